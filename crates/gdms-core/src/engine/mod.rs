//! The sync engine: stored state + fresh snapshot → a [`Plan`]. Pure: no I/O,
//! no clock, no randomness; everything comes in through [`PlanInput`].
//!
//! Modules, one domain each:
//! * [`mod@classify`]: device category and GLPI itemtype (shared with dashboard/export);
//! * [`input`]: the input document and configuration;
//! * [`device`]: device keys and the device-state row, merging observations;
//! * [`matching`], [`assets`]: serial → MAC → name matching, creates and fills;
//! * [`incidents`], [`wan`]: incident decisions, the WAN port state machine;
//! * [`availability`]: roll-ups, availability, SLA tiers, retention;
//! * [`purge`]: purge or keep stale what the snapshot does not list;
//! * [`topology`], [`events`]: edges and transition events;
//! * [`text`]: translatable, structured ticket text;
//! * [`mod@plan`] and [`summary()`]: the plan and its dry-run rendering.
//!
//! The JSON documents are specified in [`crate::contract::plan`].

pub mod assets;
pub mod availability;
pub mod classify;
pub mod device;
pub mod events;
mod hash;
pub mod incidents;
pub mod input;
pub mod matching;
pub mod plan;
pub mod purge;
mod summary;
pub mod text;
pub mod topology;
pub mod wan;

pub use availability::SlaTier;
pub use classify::{classify, Category, Itemtype};
pub use device::{AssetRef, DeviceKey, DeviceState};
pub use input::{EngineConfig, PlanInput};
pub use plan::{plan, plan_json, Plan};
pub use summary::summary;

/// Parses a plan document (as returned by [`plan_json`]) and renders its summary.
///
/// # Errors
/// [`crate::GdmsError::InvalidInput`] when the document is not a plan.
pub fn summary_json(plan_json: &str) -> Result<String, crate::GdmsError> {
    let p: Plan =
        serde_json::from_str(plan_json).map_err(|e| crate::GdmsError::invalid_input("plan", &e))?;
    Ok(summary(&p))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) use tests::fixtures as tests_support;
