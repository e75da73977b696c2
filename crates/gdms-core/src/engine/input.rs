//! The plan input document (`gdms_plan`'s argument) and its validation.
//!
//! Everything the engine knows comes in here: no clock, no database, no
//! randomness. See [`crate::contract::plan`] for the JSON shape.

use serde::{Deserialize, Deserializer, Serialize};

use super::classify::{Category, Itemtype};
use super::device::{DeviceKey, DeviceState};
use super::incidents::IncidentKind;
use crate::snapshot::Snapshot;
use crate::GdmsError;

/// The whole input of one plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    /// "Now", epoch seconds UTC (the PHP side's `time()`).
    pub now: i64,
    /// The synced entity's configuration.
    pub config: EngineConfig,
    /// Stored device rows of the synced entity (all of them, stale included).
    #[serde(default)]
    pub devices: Vec<DeviceState>,
    /// GLPI `Phone` and `NetworkEquipment` assets the devices may match
    /// (not deleted, not templates), ordered by itemtype then id.
    #[serde(default)]
    pub assets: Vec<Asset>,
    /// Model catalogs (`PhoneModel`, `NetworkEquipmentModel`).
    #[serde(default)]
    pub models: Vec<ModelEntry>,
    /// Plugin incident records still open (`open_guard = 1`) of the entity.
    #[serde(default)]
    pub incidents: Vec<IncidentRecord>,
    /// The fetch result.
    pub snapshot: Snapshot,
}

impl PlanInput {
    /// Parses and validates the JSON document.
    ///
    /// # Errors
    /// [`GdmsError::InvalidInput`] when the JSON does not have the documented
    /// shape (the message names the field, line and column);
    /// [`GdmsError::InvalidConfig`] when a configuration value is out of range.
    pub fn from_json(json: &str) -> Result<Self, GdmsError> {
        let input: PlanInput =
            serde_json::from_str(json).map_err(|e| GdmsError::invalid_input("plan input", &e))?;
        input.config.validate()?;
        input.check_unique_rows()?;
        Ok(input)
    }

    /// Stored rows must have distinct keys (the table's unique key).
    ///
    /// # Errors
    /// [`GdmsError::InvalidInput`] naming the first repeated key.
    pub fn check_unique_rows(&self) -> Result<(), GdmsError> {
        let mut seen: super::hash::FastSet<&DeviceKey> = super::hash::FastSet::default();
        seen.reserve(self.devices.len());
        for d in &self.devices {
            if !seen.insert(&d.device_key) {
                return Err(GdmsError::InvalidInput {
                    what: "plan input",
                    detail: format!("devices: device_key '{}' appears twice", d.device_key),
                });
            }
        }
        Ok(())
    }
}

/// Per-entity configuration (columns of `glpi_plugin_gdmsintegration_configs`).
/// Booleans accept `true`/`false`, `0`/`1` and `"0"`/`"1"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineConfig {
    /// The synced entity: new assets are created in it.
    pub entities_id: u64,
    /// Seconds between sync cycles (≥ 30). Roll-up intervals are capped at
    /// twice this, so a stopped cron does not count as online or offline time.
    pub refresh_interval: u32,
    /// Availability window and retention, days (7–365).
    pub availability_days: u16,
    /// Compute topology edges.
    #[serde(deserialize_with = "flex_bool")]
    pub show_topology: bool,
    /// Offline tickets for phones.
    #[serde(deserialize_with = "flex_bool")]
    pub tickets_phone: bool,
    /// Offline tickets for routers.
    #[serde(deserialize_with = "flex_bool")]
    pub tickets_router: bool,
    /// Offline tickets for switches.
    #[serde(deserialize_with = "flex_bool")]
    pub tickets_switch: bool,
    /// Offline tickets for access points.
    #[serde(deserialize_with = "flex_bool")]
    pub tickets_ap: bool,
    /// Offline tickets for PBXs.
    #[serde(deserialize_with = "flex_bool")]
    pub tickets_pbx: bool,
    /// WAN link-down and no-internet tickets.
    #[serde(deserialize_with = "flex_bool")]
    pub wan_tickets_enabled: bool,
    /// Seconds a port must stay "link up, no internet" before its incident (0–3600).
    pub wan_debounce_seconds: u32,
    /// Consecutive cycles a condition must be seen before its incident opens (1–100).
    pub debounce_cycles: u32,
    /// Requester when the asset has no user (0 = none).
    pub users_id_requester: u64,
    /// ITIL category of incidents on NetworkEquipment (0 = none).
    pub itilcategories_id_network: u64,
    /// ITIL category of incidents on Phones (0 = none).
    pub itilcategories_id_telephony: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            entities_id: 0,
            refresh_interval: 300,
            availability_days: 60,
            show_topology: true,
            tickets_phone: true,
            tickets_router: true,
            tickets_switch: true,
            tickets_ap: true,
            tickets_pbx: true,
            wan_tickets_enabled: true,
            wan_debounce_seconds: 300,
            debounce_cycles: 1,
            users_id_requester: 0,
            itilcategories_id_network: 0,
            itilcategories_id_telephony: 0,
        }
    }
}

impl EngineConfig {
    /// Checks every range.
    ///
    /// # Errors
    /// [`GdmsError::InvalidConfig`] naming the first field out of range.
    pub fn validate(&self) -> Result<(), GdmsError> {
        let bad =
            |field: &'static str, reason: String| Err(GdmsError::InvalidConfig { field, reason });
        if self.refresh_interval < 30 {
            return bad(
                "refresh_interval",
                format!("{} s is below the minimum of 30 s", self.refresh_interval),
            );
        }
        if !(7..=365).contains(&self.availability_days) {
            return bad(
                "availability_days",
                format!("{} is outside 7–365 days", self.availability_days),
            );
        }
        if self.wan_debounce_seconds > 3600 {
            return bad(
                "wan_debounce_seconds",
                format!("{} is outside 0–3600 s", self.wan_debounce_seconds),
            );
        }
        if !(1..=100).contains(&self.debounce_cycles) {
            return bad(
                "debounce_cycles",
                format!("{} is outside 1–100 cycles", self.debounce_cycles),
            );
        }
        Ok(())
    }

    /// Whether incidents are opened for devices of this category.
    /// Unknown devices are always monitored.
    pub fn tickets_for(&self, c: Category) -> bool {
        match c {
            Category::Phone => self.tickets_phone,
            Category::Router => self.tickets_router,
            Category::Switch => self.tickets_switch,
            Category::Ap => self.tickets_ap,
            Category::Pbx => self.tickets_pbx,
            Category::Unknown => true,
        }
    }

    /// The ITIL category for an incident on an asset of this class.
    pub fn itil_category(&self, t: Itemtype) -> u64 {
        match t {
            Itemtype::Phone => self.itilcategories_id_telephony,
            Itemtype::NetworkEquipment => self.itilcategories_id_network,
        }
    }

    /// Roll-up interval cap: twice the refresh interval.
    pub fn rollup_cap(&self) -> i64 {
        2 * i64::from(self.refresh_interval)
    }
}

/// One GLPI asset. Empty text and 0 ids mean "empty field".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    /// `Phone` or `NetworkEquipment`.
    pub itemtype: Itemtype,
    /// GLPI id.
    pub id: u64,
    /// Entity of the asset (tickets go there).
    #[serde(default)]
    pub entities_id: u64,
    /// Asset name.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub name: String,
    /// Serial number.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub serial: String,
    /// Inventory number (also matched as a serial).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub otherserial: String,
    /// `uuid` column, where the plugin writes the MAC.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub uuid: String,
    /// MACs of the asset's network ports (`glpi_networkports.mac`), any spelling.
    #[serde(default)]
    pub macs: Vec<String>,
    /// `phonemodels_id` / `networkequipmentmodels_id` (0 = empty).
    #[serde(default)]
    pub model_id: u64,
    /// Technician in charge (0 = none): assigned to incidents.
    #[serde(default)]
    pub users_id_tech: u64,
    /// User of the asset (0 = none): requester of incidents.
    #[serde(default)]
    pub users_id: u64,
    /// Location (0 = none): location of incidents.
    #[serde(default)]
    pub locations_id: u64,
}

/// One model of a GLPI model catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelEntry {
    /// Which catalog: `Phone` → `PhoneModel`, `NetworkEquipment` → `NetworkEquipmentModel`.
    pub itemtype: Itemtype,
    /// Model id.
    pub id: u64,
    /// Model name (matched case-insensitively, trimmed, against the cloud model).
    pub name: String,
}

/// One plugin incident record still open (`open_guard = 1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRecord {
    /// Row id in `glpi_plugin_gdmsintegration_incidents`.
    pub id: u64,
    /// Device it belongs to.
    pub device_key: DeviceKey,
    /// `''` for the device itself, else the WAN port id.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub port_key: String,
    /// What it is about.
    pub kind: IncidentKind,
    /// The GLPI ticket.
    #[serde(default)]
    pub tickets_id: u64,
    /// Whether that ticket is still open (New, Assigned, Planned, Waiting).
    /// `false` when a technician solved/closed it or it was deleted: the
    /// record stays open (so nothing is re-opened) until the condition clears.
    #[serde(deserialize_with = "flex_bool")]
    pub ticket_open: bool,
    /// When the incident was opened, epoch s.
    pub opened_at: i64,
}

/// `true`/`false`, `0`/`1`, `"0"`/`"1"`/`""` (PHP database values).
fn flex_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flex {
        B(bool),
        I(i64),
        S(String),
    }
    match Flex::deserialize(d)? {
        Flex::B(b) => Ok(b),
        Flex::I(i) => Ok(i != 0),
        Flex::S(s) => match s.trim() {
            "" | "0" | "false" => Ok(false),
            "1" | "true" => Ok(true),
            other => Err(serde::de::Error::custom(format!(
                "'{other}' is not a boolean (0/1)"
            ))),
        },
    }
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_document_parses_with_defaults() {
        let j = r#"{"now":1767225600,"config":{"entities_id":3,"tickets_ap":"0","show_topology":0},
            "snapshot":{"sources":[],"devices":[],"networks":[],"tokens":[],"stats":{"requests":0,"tokens_issued":0,"retries":0,"duration_ms":0}}}"#;
        let i = PlanInput::from_json(j).unwrap();
        assert_eq!(i.config.entities_id, 3);
        assert!(!i.config.tickets_ap);
        assert!(!i.config.show_topology);
        assert!(i.config.tickets_phone);
        assert_eq!(i.config.debounce_cycles, 1);
    }

    #[test]
    fn snapshot_without_tokens_or_stats_is_accepted() {
        let j = r#"{"now":1,"config":{},"snapshot":{"sources":[],"devices":[]}}"#;
        assert!(PlanInput::from_json(j).is_ok());
    }

    #[test]
    fn bad_documents_name_the_problem() {
        let e = PlanInput::from_json("{\"now\":\"x\"}").unwrap_err();
        assert!(
            e.to_string().starts_with("invalid plan input document"),
            "{e}"
        );
        let j = r#"{"now":1,"config":{"availability_days":400},"snapshot":{"sources":[],"devices":[],"networks":[],"tokens":[],"stats":{"requests":0,"tokens_issued":0,"retries":0,"duration_ms":0}}}"#;
        let e = PlanInput::from_json(j).unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration value 'availability_days' is invalid: 400 is outside 7–365 days"
        );
    }
}
