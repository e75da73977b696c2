//! # Export area: `gdms_export_xlsx`
//!
//! `gdms_export_xlsx(string $inputJson, string $path): string` writes the
//! history workbook to `$path` (a temporary file PHP streams, then deletes)
//! and answers a small report. Building the file is the extension's work;
//! PHP only gathers rows (bulk reads, entity scoped) and translates strings.
//!
//! Input, [`crate::export::ExportInput`] (every field optional):
//! ```json
//! {"now": 1767268800, "window_days": 30,
//!  "devices": [{"key": "c0:74:ad:00:00:01", "name": "HQ router", "category": "Router",
//!               "model": "GWN7003", "network": "HQ", "status": "Online",
//!               "online_s": [86400, 86000], "observed_s": [86400, 86400]}],
//!  "incidents": [{"device": "HQ router", "kind": "Offline", "opened": 1767200000,
//!                 "resolved": 1767203600, "ticket_id": 12}],
//!  "labels": {"summary": "Summary", "availability": "Availability", "incidents": "Incidents",
//!             "device": "Device", "category": "Type", "model": "Model", "network": "Network",
//!             "status": "Status", "availability_percent": "Availability %", "tier": "SLA tier",
//!             "count": "Devices", "kind": "Kind", "opened": "Opened", "resolved": "Resolved",
//!             "duration": "Duration (min)", "ticket": "Ticket",
//!             "tiers": {"gold": "Gold", "silver": "Silver", "bronze": "Bronze",
//!                       "critical": "Critical", "no_data": "No data"}}}
//! ```
//! * `online_s` / `observed_s`: the device's daily roll-ups, index 0 = the
//!   window's first UTC day (`today - window_days + 1`), `observed_s` 0 = no
//!   row that day. Availability and tier over the window are computed by the
//!   engine ([`crate::engine::availability`]), rounded to 2 decimals like the
//!   dashboard.
//! * Display strings (`name`, `category`, `status`, `kind`, labels) arrive
//!   translated; totals per category group by the `category` text.
//!
//! Output, [`crate::export::ExportReport`]:
//! `{"devices": 1, "incidents": 1, "days": 30, "first_day": "2025-12-03",
//!   "tiers": {"gold": 1}}`.
//!
//! A document of the wrong shape or an unwritable path throws a PHP
//! `Exception` ("invalid export input document: …", "cannot write the
//! workbook: …").
//!
//! ## `gdms_import_xlsx(string $requestJson): string`
//!
//! Request, [`crate::export::import::ImportRequest`]:
//! `{"path": "/tmp/phpAbc", "max_bytes": 5242880, "devices": {"HQ router": ["c0:74:ad:00:00:01"]}}`.
//! Answer: `{"ok": true, "days": [{"device_key", "day", "online_s", "observed_s"}],
//! "skipped": [{"row", "name", "reason"}]}` (reasons `unknown_device`,
//! `ambiguous_name`, `no_values`) or `{"ok": false, "error": "…"}` for a file
//! that is too large, not xlsx, or not this export's layout. PHP inserts only
//! the days not stored yet.
