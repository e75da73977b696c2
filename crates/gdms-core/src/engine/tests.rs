//! Scenario tests of the whole engine: fixtures, a stand-in for the PHP
//! "apply" step, and one module per concern.

pub(crate) mod fixtures;
mod props;
mod rules;
mod situations;

/// The example documents of `contract::plan` are exactly what the engine does.
/// After an intended change: `GDMS_REGENERATE_CONTRACT=1 cargo test -p gdms-core contract_example`.
#[test]
fn contract_example() {
    use crate::contract::plan::{EXAMPLE_INPUT, EXAMPLE_PLAN};
    let got: serde_json::Value =
        serde_json::from_str(&crate::engine::plan_json(EXAMPLE_INPUT).unwrap()).unwrap();
    if std::env::var_os("GDMS_REGENERATE_CONTRACT").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/contract/plan/example_plan.json"
        );
        std::fs::write(path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        return;
    }
    let want: serde_json::Value = serde_json::from_str(EXAMPLE_PLAN).unwrap();
    assert!(
        got == want,
        "the example plan changed; if intended: GDMS_REGENERATE_CONTRACT=1 cargo test -p gdms-core contract_example"
    );
    let s = crate::engine::summary_json(EXAMPLE_PLAN).unwrap();
    assert!(s.contains("OPEN [GDMS] Device Offline: Reception"), "{s}");
}
