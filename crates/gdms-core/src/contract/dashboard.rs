//! Documents of the dashboard calls: `gdms_dashboard`, `gdms_dashboard_ports`.
//!
//! | PHP function | Input | Output |
//! |---|---|---|
//! | `gdms_dashboard(string $inputJson): string` | dashboard input | dashboard document |
//! | `gdms_dashboard_ports(string $inputJson): string` | `{"<row id>": "<ports_json>"}` | `{"<row id>": [port view, …]}` |
//!
//! Implemented by [`crate::dashboard::dashboard_json`] and
//! [`crate::dashboard::ports_json`]. A document of the wrong shape throws a
//! PHP `Exception` naming the problem.
//!
//! ## Dashboard input ([`DASHBOARD_INPUT_EXAMPLE`])
//! * `now` (epoch s), `window_days` (the entity's `availability_days`, 1..=365);
//! * `query`: `search`, `status` (`all`|`online`|`offline`), `category`
//!   (`all`, a category, `network` = router+switch+ap, `telephony` =
//!   phone+pbx), `network` (exact name), `sort` (`name`, `type`, `model`,
//!   `network`, `ip`, `mac`, `serial`, `firmware`, `uptime`, `status`,
//!   `clients`, `availability`, `sla`; empty = network gear first, then
//!   name), `dir` (`asc`|`desc`), `page` (from 1), `per_page` (1..=500);
//! * `devices`: every device row the user may see (columns of
//!   `glpi_plugin_gdmsintegration_devices` shown on the dashboard, see
//!   [`crate::dashboard::DeviceRow`]; all optional);
//! * `availability`: `[entities_id, device_key, Σ online_seconds, Σ observed_seconds]`
//!   over the daily rows inside the window; several entries of one device add
//!   up and may be negative (the shell sends a cached window sum, plus the days
//!   since, minus the days that left the window); a total below 0 counts as 0;
//! * `daily`: `[day, Σ online_seconds, Σ observed_seconds]` of the whole
//!   visible fleet per day inside the window (the chart); entries of one day add up.
//!
//! ## Dashboard document ([`DASHBOARD_OUTPUT_EXAMPLE`])
//! `cards` (`networks`, `router`/`switch`/`ap`/`phones_pbx`/`all` as
//! `{online, offline}`, `clients`), `online_percent` (rounded share online
//! now), `critical_offline` (tier Critical and offline: `id`, `name`,
//! `itemtype`, `items_id`, `availability`), `filtered`, `page`, `per_page`,
//! `pages`, `rows` (the page: device columns plus `availability` — 2
//! decimals, `null` when nothing was observed — `tier` ∈ `gold`, `silver`,
//! `bronze`, `critical`, `no_data`, and `firmware_update`), `networks`
//! (name → per-category counts, `clients`, `upload_bytes`,
//! `download_bytes`), `chart` (`[{day, percent}]`, days with observations).
//! Availability and tiers come from `engine::availability` (the engine's and
//! the export's functions).
//!
//! ## Port views
//! Each stored [`crate::snapshot::Port`] plus `state` ∈ `internet` (WAN up,
//! internet), `no_internet`, `unknown` (WAN up, internet unknown), `lan_up`,
//! `down`, and `label` (silk, else name, else id); WAN ports first, then by
//! label in natural order. Unreadable JSON gives an empty list.

/// A dashboard input.
pub const DASHBOARD_INPUT_EXAMPLE: &str = r#"{
  "now": 1767225600, "window_days": 30,
  "query": {"search": "", "status": "all", "category": "all", "network": "",
            "sort": "availability", "dir": "desc", "page": 1, "per_page": 50},
  "devices": [
    {"id": 1, "entities_id": 0, "device_key": "c0:74:ad:00:00:01", "cloud": "gwn", "name": "HQ router",
     "itemtype": "NetworkEquipment", "items_id": 12, "model": "GWN7003", "category": "router",
     "status": "online", "network_id": "1001", "network_name": "HQ", "public_ip": "203.0.113.7",
     "private_ip": "192.168.1.1", "mac": "c0:74:ad:00:00:01", "serial": "30XYZ",
     "firmware": "1.0.5.12", "firmware_latest": "1.0.7.4", "uptime_sec": 86400, "clients": 12,
     "upload_bytes": 1000, "download_bytes": 2000, "has_ports": true}
  ],
  "availability": [[0, "c0:74:ad:00:00:01", 86000, 86400]],
  "daily": [["2026-01-01", 86000, 86400]]
}"#;

/// The dashboard document for [`DASHBOARD_INPUT_EXAMPLE`] (device columns abridged).
pub const DASHBOARD_OUTPUT_EXAMPLE: &str = r#"{
  "cards": {"networks": 1, "router": {"online": 1, "offline": 0}, "switch": {"online": 0, "offline": 0},
            "ap": {"online": 0, "offline": 0}, "phones_pbx": {"online": 0, "offline": 0},
            "clients": 12, "all": {"online": 1, "offline": 0}},
  "online_percent": 100, "critical_offline": [], "filtered": 1, "page": 1, "per_page": 50, "pages": 1,
  "rows": [{"id": 1, "name": "HQ router", "category": "router", "status": "online",
            "availability": 99.54, "tier": "silver", "firmware_update": true}],
  "networks": {"HQ": {"router": {"online": 1, "offline": 0}, "switch": {"online": 0, "offline": 0},
               "ap": {"online": 0, "offline": 0}, "phones_pbx": {"online": 0, "offline": 0},
               "clients": 12, "upload_bytes": 1000, "download_bytes": 2000}},
  "chart": [{"day": "2026-01-01", "percent": 99.54}]
}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_input_gives_example_figures() {
        let out: serde_json::Value = serde_json::from_str(
            &crate::dashboard::dashboard_json(DASHBOARD_INPUT_EXAMPLE).unwrap(),
        )
        .unwrap();
        let want: serde_json::Value = serde_json::from_str(DASHBOARD_OUTPUT_EXAMPLE).unwrap();
        for k in [
            "cards",
            "online_percent",
            "critical_offline",
            "filtered",
            "pages",
            "networks",
            "chart",
        ] {
            assert_eq!(out[k], want[k], "{k}");
        }
        for k in ["availability", "tier", "firmware_update", "name"] {
            assert_eq!(out["rows"][0][k], want["rows"][0][k], "{k}");
        }
    }
}
