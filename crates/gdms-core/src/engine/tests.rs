//! Scenario tests of the whole engine: fixtures, a stand-in for the PHP
//! "apply" step, and one module per concern.

pub(crate) mod fixtures;
mod props;
mod rules;
mod situations;

/// The example documents of `contract::plan` are exactly what the engine does.
#[test]
fn contract_example() {
    use crate::contract::plan::{EXAMPLE_INPUT, EXAMPLE_PLAN};
    let got: serde_json::Value =
        serde_json::from_str(&crate::engine::plan_json(EXAMPLE_INPUT).unwrap()).unwrap();
    let want: serde_json::Value = serde_json::from_str(EXAMPLE_PLAN).unwrap();
    assert_eq!(
        got, want,
        "regenerate src/contract/plan/example_plan.json if the change is intended"
    );
    let s = crate::engine::summary_json(EXAMPLE_PLAN).unwrap();
    assert!(s.contains("OPEN [GDMS] Device Offline: Reception"), "{s}");
}
