//! # Documents of the sync-engine calls
//!
//! | PHP function | Input | Output | Errors |
//! |---|---|---|---|
//! | `gdms_plan(string $inputJson): string` | the plan input document | the plan document | `Exception` with the message of [`crate::GdmsError`] |
//! | `gdms_plan_summary(string $planJson): string` | a plan document (as returned) | readable multi-line English text (dry run, `make demo`, verbose log) | `Exception` when the text is not a plan |
//!
//! `gdms_plan` is pure: same input, same output; no clock, no I/O. Everything
//! (including "now") comes in the input. Rust entry points:
//! [`crate::engine::plan_json`], [`crate::engine::plan()`] (typed),
//! [`crate::engine::summary_json`], [`crate::engine::summary`]. Errors:
//! `invalid plan input document: <serde message with line and column>`,
//! `invalid plan input document: devices: device_key '<key>' appears twice`,
//! `configuration value '<field>' is invalid: <reason>`.
//!
//! Conventions: times are epoch seconds UTC (integers); days are
//! `"YYYY-MM-DD"` UTC; MACs are written lower-case colon form and read in any
//! spelling; `null` (or an absent key) means "unknown / keep"; booleans of
//! `config` and `ticket_open` also accept `0`/`1`/`"0"`/`"1"` (database values).
//!
//! ## Device keys
//! `device_key` (≤ 120 chars) identifies a device row: its MAC
//! (`c0:74:ad:12:34:56`), else `sn:` + its serial upper-cased with everything
//! but letters and digits removed (`sn:20EZ9KX7A1234567`). It is the
//! `device_key` column of the devices, samples, dailies, links and incidents
//! tables.
//!
//! ## Input document
//!
//! | Key | Type | Meaning |
//! |---|---|---|
//! | `now` | int | PHP's `time()` |
//! | `config` | object | the entity's configuration row (below) |
//! | `devices` | array of device rows | EVERY stored row of the entity (`glpi_plugin_gdmsintegration_devices`, stale ones included), as the previous plan wrote them, ordered by `id` (the order they were written) |
//! | `assets` | array | the GLPI `NetworkEquipment` and `Phone` assets devices may match: not deleted, not templates, of the entities to search (the synced entity and its children, or all: PHP decides), **ordered by itemtype name then id** |
//! | `models` | array | `{itemtype, id, name}` of `NetworkEquipmentModel` (itemtype `NetworkEquipment`) and `PhoneModel` (itemtype `Phone`) |
//! | `incidents` | array | the entity's plugin incident records with `open_guard = 1` |
//! | `snapshot` | object | the fetch result as `gdms_fetch` returned it ([`crate::snapshot::Snapshot`]); `tokens` and `stats` may be removed (strip the tokens: the plan never needs them) |
//!
//! `config` (every key optional, default in parentheses; out-of-range → error):
//! `entities_id` (default 0) synced entity, new assets go there; `refresh_interval`
//! (default 300) s, ≥ 30 (roll-up cap = 2×); `availability_days` (default 60) 7–365, the
//! availability window and the retention of samples and daily rows;
//! `show_topology` (default 1); `tickets_phone`, `tickets_router`, `tickets_switch`,
//! `tickets_ap`, `tickets_pbx` (default 1) device-offline incidents per category
//! (unknown devices always); `wan_tickets_enabled` (default 1); `wan_debounce_seconds`
//! (default 300) 0–3600, seconds of "link up, no internet" before its incident;
//! `debounce_cycles` (default 1) 1–100, consecutive cycles a condition must be seen
//! before any incident opens (NOT a column of the configs table yet: add it
//! or omit it); `users_id_requester` (default 0); `itilcategories_id_network` (default 0),
//! `itilcategories_id_telephony` (default 0).
//!
//! `assets[]`: `itemtype` (`"Phone"` / `"NetworkEquipment"`), `id`,
//! `entities_id`, `name`, `serial`, `otherserial`, `uuid` (where the plugin
//! writes the MAC), `macs` (MACs of the asset's network ports, any spelling;
//! may be `[]`), `model_id` (`phonemodels_id` / `networkequipmentmodels_id`),
//! `users_id_tech`, `users_id`, `locations_id`. Empty text and 0 mean "empty".
//!
//! `incidents[]`: `id` (row id), `device_key`, `port_key` (`""` for the
//! device, else the WAN port id), `kind` (`device_offline` | `wan_link_down` |
//! `wan_no_internet`), `tickets_id`, `ticket_open` (the ticket's status is
//! New/Assigned/Planned/Waiting: `true`; solved, closed or deleted: `false`),
//! `opened_at`.
//!
//! ### Device rows (input and output)
//! One object per row; keys = columns of `glpi_plugin_gdmsintegration_devices`
//! except: `sip` ↔ `sip_json`, `ports` ↔ `ports_json`, `engine_state` ↔
//! `engine_state_json` (store these three as JSON text, pass them back
//! decoded), `asset` ↔ `itemtype` + `items_id`. Keys: `device_key`, `cloud`
//! (`uc`|`gwn`), `source_key` (`uc_devices` | `gwn_networks` |
//! `gwn_network:<id>`), `mac`, `serial` (as the cloud wrote it), `name` (cloud
//! name), `model` (raw cloud model), `category` (`phone` `pbx` `router`
//! `switch` `ap` `unknown`), `status` (`online` `offline` `abnormal`),
//! `is_stale`, `network_id`, `network_name`, `public_ip`, `private_ip`,
//! `ipv6`, `firmware`, `firmware_latest`, `uptime_sec`, `clients`,
//! `upload_bytes`, `download_bytes`, `channel_2g`, `channel_5g`, `location`,
//! `first_seen`, `last_seen`, `last_observed_at`, `status_since` (epoch s),
//! `sip` ([`crate::snapshot::SipInfo`] or null), `ports`
//! ([`crate::snapshot::Port`] array), `engine_state` (opaque to PHP: store
//! and return as is), `asset`.
//! On input `asset` is the stored link, `{"kind":"existing","itemtype":…,"id":…}`
//! built from `itemtype`/`items_id`, or `null`: while that asset is among
//! `assets`, the device stays linked to it without matching (and its empty
//! fields are still filled). Text `""` and `null` are the same on input.
//!
//! ## Plan document — what PHP does with each part
//! Apply in this order, in one transaction where possible:
//!
//! 0. `rekeys[]` — `{from, to}`: a device stored by serial (`sn:…`) now
//!    reports a MAC; its row keeps its history: UPDATE `device_key` from
//!    `from` to `to` in the devices, samples, dailies, links (both columns)
//!    and incidents tables before anything else.
//! 1. `assets.create[]` — `{device_key, itemtype, entities_id, name, serial,
//!    uuid, model_id, model}`: add the asset (`serial`/`uuid`/model id only
//!    when non-null; `model` is the raw cloud string, for the log only).
//!    Remember `device_key → new id`: `asset` references of kind `planned`
//!    point to it by `device_key`.
//! 2. `assets.fill[]` — `{itemtype, id, device_key, serial, uuid, model_id}`:
//!    update ONLY the non-null fields (each was empty on the asset). Never
//!    touch anything else.
//! 3. `devices[]` — full new rows (format above) of every kept device: upsert
//!    by `(entities_id, device_key)`, writing every column (a `null` value is
//!    `''`/0/NULL; the engine already kept stored values the cloud did not
//!    send). `asset`: `existing` → `itemtype`,`items_id`; `planned` → the id
//!    created in step 1; `null` (stale rows) → leave `itemtype`/`items_id`
//!    as stored. Order: stored rows in input order, then new devices.
//! 4. `purge[]` — `{device_key, name, reason: not_listed|network_gone}`:
//!    delete the device's row, samples, daily rows and links (both
//!    directions). The GLPI asset is kept. Log
//!    `REMOVED <device_key> (<name>): not returned by the cloud`.
//! 5. `samples[]` — `{device_key, is_online, at}`: insert (bulk).
//! 6. `rollups[]` — `{device_key, day, online_s, observed_s}`: ADD to the
//!    day's row (`INSERT … ON DUPLICATE KEY UPDATE online_seconds =
//!    online_seconds + VALUES(online_seconds), observed_seconds = …`).
//! 7. `retention` — `{purge_before_day, purge_samples_before}`: delete daily
//!    rows with `day < purge_before_day` and samples with `date <
//!    FROM_UNIXTIME(purge_samples_before)`, for the entity.
//! 8. `topology` — `null`: topology is off, leave the links table alone;
//!    else the complete edge list `[{source_key, target_key, type:
//!    uplink|sip_pbx}]`: replace the entity's links with it.
//! 9. `incidents.resolve[]` — FIRST (a port's incident may be replaced in the
//!    same plan, and the unique key allows one open record per device/port):
//!    `{incident_id, tickets_id, device_key, port_key, kind, reason, followup,
//!    solution, duration_s}`. If `followup` is non-null and the ticket is
//!    still open: add it as a public ITILFollowup. If `solution` is non-null
//!    and the ticket still open: add an ITILSolution (the ticket becomes
//!    Solved). Then mark the record resolved (`open_guard = NULL`,
//!    `resolved_at = now`) in every case. `reason`: `device_online`,
//!    `wan_recovered`, `wan_link_restored`, `wan_link_back_no_internet`,
//!    `wan_link_lost`, `wan_port_gone` (solved), `device_removed` (followup
//!    only; the ticket stays open for a person).
//! 10. `incidents.open[]` — `{device_key, port_key, kind, asset, since,
//!     ticket}`: create the Ticket (type Incident) from `ticket` =
//!     `{entities_id, title, body, urgency, impact, priority,
//!     itilcategories_id, locations_id, requester_users_id, assign_users_id,
//!     status: new|assigned}` (0 = none for ids; requester notification off,
//!     assignee notification on), link `asset` (Item_Ticket), then insert the
//!     incident record `{device_key, port_key, kind, tickets_id, open_guard:
//!     1, opened_at: now}`. A duplicate-key error on the record means another
//!     run got there first: delete the just-created ticket or skip.
//! 11. `events[]` — `{kind, device_key, at, details}` with kind
//!     `device_offline` `device_online` `wan_down` `wan_no_internet`
//!     `wan_recovered` `firmware_available` ([`crate::engine::events::EventKind::topic`]
//!     gives `device.offline` …); enqueue for outgoing webhooks.
//!
//! Also: `matches[]` `{device_key, asset, reason: serial|mac|name|created,
//! tried: {serial, mac, name_key}, name_rejected}` for the log (`MATCH by
//! serial …`, `NO MATCH … will CREATE`, `NAME match rejected`), only for
//! devices linked by matching this cycle; `sources` `{<source_key>: {complete,
//! listed, stale, purged, kept_empty_list}}` for the sync status (`ok` when
//! all complete, else `partial`); `skipped[]` `{name, model, reason: no_key |
//! duplicate}`; `stats` counters; `now`; `entities_id`.
//!
//! ### Rendering structured text (translation)
//! Every human text is a message `{"id", "msgid", "params"}`: `msgid` is the
//! English gettext msgid with `{name}` placeholders, `params` the values
//! (already formatted: UTC `YYYY-MM-DD HH:MM:SS`, durations `1d 2h 3m`).
//! Render: `strtr(__($m['msgid'], 'gdmsintegration'), ['{k}' => esc($v), …])`.
//! The catalog of every msgid is [`crate::engine::text::MsgId::ALL`] (add
//! them to the .pot). Parts:
//! * `title` = `{prefix, text, suffix}`: `prefix` + ` ` + rendered `text` +
//!   (` ` + `suffix` when non-empty). `prefix` (`[GDMS]`) and `suffix`
//!   (`[GDMS-WAN:<port>]`, `[GDMS-WAN-NOINET:<port>]`) are markers: never
//!   translated.
//! * `body` = `{lines, header, rows, footer}`: each of `lines` is a paragraph
//!   (render parameter values in bold); then a two-column table with header
//!   cells `header[0]`/`header[1]` (Field / Value) and one row per `rows[]`
//!   = `{label: message, value: {"text": "…"} | {"msg": message}}` (`text` is
//!   data: escape, do not translate); then `footer` in italics.
//! * `followup`, `solution`: one message each.
//!
//! ## Semantics worth knowing
//! * Stale: a stored device absent from an INCOMPLETE source keeps its row
//!   (`is_stale: true`, `engine_state.stale_since`), gets no sample, no
//!   roll-up, and no incident is opened or resolved for it. A device absent
//!   from a COMPLETE source that listed at least one device, or whose GWN
//!   network vanished from a complete network list, is purged. A complete
//!   source listing nothing purges nothing (`kept_empty_list`).
//! * Listed devices are fresh even when their source is incomplete: what the
//!   cloud said about them is current, only absence is uncertain.
//! * `PortsFetch::Failed` / `not_applicable`: stored ports kept, no WAN
//!   decision; WAN decisions only for online devices with fetched ports.
//! * The incident record is the duplicate guard (see `incidents` module).
//!
//! ## Example input
//! ```json
#![doc = include_str!("plan/example_input.json")]
//! ```
//!
//! ## The plan for that input
//! (Tested: `engine::tests::contract_example`.)
//! ```json
#![doc = include_str!("plan/example_plan.json")]
//! ```

/// The example input above, for tests on both sides.
pub const EXAMPLE_INPUT: &str = include_str!("plan/example_input.json");

/// The plan [`EXAMPLE_INPUT`] gives.
pub const EXAMPLE_PLAN: &str = include_str!("plan/example_plan.json");
