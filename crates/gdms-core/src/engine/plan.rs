//! The plan: every change PHP must apply after one fetch, and [`plan`], the
//! pure function that computes it.
//!
//! Order of application (PHP, one transaction): `assets.create` (remember
//! device_key → new id), `assets.fill`, `devices` (upsert; resolve planned
//! asset refs), `purge`, `samples`, `rollups`, `retention`, `topology`,
//! `incidents.resolve` THEN `incidents.open` (a port's incident may be
//! replaced in one plan; the unique key allows one open record), `events`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::assets::{AssetCreate, AssetFill, AssetPlanner, MatchRecord};
use super::availability::{self, Retention, RollupDelta};
use super::device::{merge_into, source_key_text, DeviceKey, DeviceState, PortsSeen};
use super::events::{self, Event};
use super::hash::{map_with_capacity, FastMap, FastSet};
use super::incidents::{
    self, Before, Ctx, Decisions, IncidentOpen, IncidentResolve, RecordsByPort, ResolveReason,
};
use super::input::{IncidentRecord, PlanInput};
use super::matching::normalize_serial;
use super::purge::{Absence, Sources};
use super::topology::{self, Edge};
use super::wan::{self, Debounce};

/// Assets to create and fill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetChanges {
    /// New assets.
    pub create: Vec<AssetCreate>,
    /// Empty fields to fill on existing assets.
    pub fill: Vec<AssetFill>,
}

/// Incidents to resolve, then to open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentChanges {
    /// Apply first.
    pub resolve: Vec<IncidentResolve>,
    /// Apply second.
    pub open: Vec<IncidentOpen>,
}

/// A device row's key changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rekey {
    /// The stored key (`sn:…`).
    pub from: DeviceKey,
    /// The new key (the MAC).
    pub to: DeviceKey,
}

pub use super::purge::{Purge, PurgeReason};

/// One history sample (`glpi_plugin_gdmsintegration_samples`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// Device.
    pub device_key: DeviceKey,
    /// Online at `at`.
    pub is_online: bool,
    /// Epoch s.
    pub at: i64,
}

/// A cloud device the plan ignores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// Cloud name.
    pub name: String,
    /// Model.
    pub model: String,
    /// Why: `no_key` (no MAC and no serial) or `duplicate` (key already listed).
    pub reason: SkipReason,
}

/// Why a cloud device is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Neither MAC nor serial.
    NoKey,
    /// Same key as an earlier device of the snapshot.
    Duplicate,
}

/// What happened per source (for the log and the sync status).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceOutcome {
    /// Listed completely.
    pub complete: bool,
    /// Devices it listed this cycle.
    pub listed: u32,
    /// Stored devices kept as stale because it was incomplete.
    pub stale: u32,
    /// Stored devices purged.
    pub purged: u32,
    /// Stored devices NOT purged although it was complete, because it listed
    /// nothing (an empty complete list is more likely a cloud fault than an
    /// empty account).
    pub kept_empty_list: u32,
}

/// Counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStats {
    /// Devices observed this cycle.
    pub fresh: u32,
    /// Devices kept stale.
    pub stale: u32,
    /// Devices purged.
    pub purged: u32,
    /// Assets created.
    pub created: u32,
    /// Assets filled.
    pub filled: u32,
    /// Incidents opened.
    pub opened: u32,
    /// Incidents resolved.
    pub resolved: u32,
    /// Cloud devices skipped.
    pub skipped: u32,
}

/// Everything PHP must apply. See [`crate::contract::plan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The input's "now".
    pub now: i64,
    /// The synced entity.
    pub entities_id: u64,
    /// Full new state of every device kept (fresh and stale), to upsert.
    pub devices: Vec<DeviceState>,
    /// How each device linked by matching this cycle was linked (new
    /// devices, or devices whose stored asset no longer exists). Devices that
    /// keep their stored link are not listed; every fresh row carries `asset`.
    pub matches: Vec<MatchRecord>,
    /// Asset changes.
    pub assets: AssetChanges,
    /// Incident changes.
    pub incidents: IncidentChanges,
    /// Rows whose key changed (a serial-keyed device now reports a MAC):
    /// update `device_key` from `from` to `to` in every plugin table BEFORE
    /// applying `devices`.
    pub rekeys: Vec<Rekey>,
    /// Devices to purge.
    pub purge: Vec<Purge>,
    /// One sample per fresh device.
    pub samples: Vec<Sample>,
    /// Daily roll-up additions.
    pub rollups: Vec<RollupDelta>,
    /// History retention cut-off.
    pub retention: Retention,
    /// All edges (replace the entity's links), or `null` when topology is off
    /// (leave the links table alone).
    pub topology: Option<Vec<Edge>>,
    /// Transition events.
    pub events: Vec<Event>,
    /// Per source (text key) outcome.
    #[serde(default, deserialize_with = "crate::php_compat::map_or_empty_list")]
    pub sources: BTreeMap<String, SourceOutcome>,
    /// Cloud devices ignored.
    pub skipped: Vec<Skipped>,
    /// Counters.
    pub stats: PlanStats,
}

/// What became of a row during planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Not (yet) in the snapshot.
    NotSeen,
    /// Observed this cycle.
    Fresh,
    /// Purged, or a duplicate stored row: not in the output.
    Dropped,
}

/// Finds rows by key. PHP reads rows back in the order the plan wrote them
/// and the clouds list devices in a stable order, so a cursor guessing "the
/// next row" answers most lookups without hashing; the map is built on the
/// first miss. Among rows with the same key, the first wins.
#[derive(Default)]
struct RowIndex {
    map: Option<FastMap<DeviceKey, usize>>,
    cursor: usize,
}

impl RowIndex {
    fn map<'m>(
        map: &'m mut Option<FastMap<DeviceKey, usize>>,
        rows: &[DeviceState],
    ) -> &'m mut FastMap<DeviceKey, usize> {
        map.get_or_insert_with(|| {
            let mut m = map_with_capacity(rows.len() + rows.len() / 8 + 16);
            for (i, r) in rows.iter().enumerate() {
                m.entry(r.device_key.clone()).or_insert(i);
            }
            m
        })
    }

    fn find(&mut self, rows: &[DeviceState], key: &DeviceKey) -> Option<usize> {
        if self.map.is_none() && rows.get(self.cursor).is_some_and(|r| &r.device_key == key) {
            self.cursor += 1;
            return Some(self.cursor - 1);
        }
        Self::map(&mut self.map, rows).get(key).copied()
    }

    fn insert(&mut self, rows: &[DeviceState], key: DeviceKey, at: usize) {
        Self::map(&mut self.map, rows).insert(key, at);
    }
}

/// Computes the plan. Pure: the same input always gives the same plan.
///
/// Consumes the input so device data moves into the plan without copies.
/// Every lookup is a hash map or a cursor: O(devices + assets + incidents).
///
/// Precondition: stored rows have distinct `device_key`s (the table's unique
/// key; [`PlanInput::from_json`] checks it). A repeated row is dropped.
pub fn plan(input: PlanInput) -> Plan {
    let PlanInput {
        now,
        config: cfg,
        devices: stored,
        assets,
        models,
        incidents: records,
        snapshot,
    } = input;
    let debounce = Debounce {
        cycles: cfg.debounce_cycles.max(1),
        no_internet_seconds: cfg.wan_debounce_seconds,
    };
    let cap = cfg.rollup_cap();

    // The stored rows become the output rows, updated in place (no copy of
    // 100 000 rows); new devices are appended. `fate` says what each became.
    let mut rows = stored;
    let mut row_ix = RowIndex::default();
    let mut fate: Vec<Fate> = Vec::with_capacity(rows.len() + snapshot.devices.len());
    fate.resize(rows.len(), Fate::NotSeen);
    let stored_len = rows.len();

    // Open incident records by device, then port.
    let mut recs: FastMap<&DeviceKey, RecordsByPort<'_>> = map_with_capacity(records.len());
    for r in &records {
        recs.entry(&r.device_key)
            .or_default()
            .entry(r.port_key.as_str())
            .or_default()
            .push(r);
    }

    // Sources.
    let src = Sources::of(&snapshot);
    let mut sources: BTreeMap<String, SourceOutcome> = BTreeMap::new();
    for r in &snapshot.sources {
        sources
            .entry(source_key_text::to_text(&r.source))
            .or_default()
            .complete = r.complete;
    }
    for (k, n) in src.listed_counts() {
        let o = sources.entry(source_key_text::to_text(k)).or_default();
        o.listed = n;
        o.complete = src.is_complete(k);
    }

    let n = snapshot.devices.len();
    let mut planner = AssetPlanner::new(&assets, &models, cfg.entities_id);
    if stored_len == 0 {
        rows.reserve(n);
    }
    let mut matches = Vec::new();
    let mut fresh = 0usize;
    let mut samples = Vec::with_capacity(n);
    let mut rollups = Vec::with_capacity(n + n / 8);
    // Sized up front: growing big vectors mid-loop makes the allocator
    // consolidate every string freed so far, again and again.
    let mut out = Decisions {
        resolves: Vec::with_capacity(records.len() + n / 64),
        opens: Vec::with_capacity(n / 64),
        events: Vec::with_capacity(n / 32),
    };
    let mut skipped = Vec::new();
    let mut rekeys: Vec<Rekey> = Vec::new();
    // Devices whose incident records were looked at (the rest are orphans).
    let mut handled: FastSet<&DeviceKey> = FastSet::default();
    handled.reserve(records.len());

    // Iterated in place: each device's fields are taken, not the ~500-byte
    // struct copied; what is left is freed with the vector.
    let mut snapshot_devices = snapshot.devices;
    for dev in snapshot_devices.iter_mut() {
        let Some(key) = DeviceKey::of(dev.mac, dev.serial.as_deref()) else {
            skipped.push(Skipped {
                name: std::mem::take(&mut dev.name),
                model: std::mem::take(&mut dev.model),
                reason: SkipReason::NoKey,
            });
            continue;
        };
        // A device stored by serial that now reports a MAC keeps its row
        // (and history): re-keyed, not purged and re-created.
        let mut old_key: Option<DeviceKey> = None;
        let at = match row_ix.find(&rows, &key) {
            Some(at) => at,
            None => {
                let by_serial = match (&key, dev.serial.as_deref().and_then(normalize_serial)) {
                    (DeviceKey::Mac(_), Some(sn)) => row_ix
                        .find(&rows, &DeviceKey::Serial(sn))
                        .filter(|&i| i < stored_len && fate[i] == Fate::NotSeen),
                    _ => None,
                };
                match by_serial {
                    Some(i) => {
                        let from = std::mem::replace(&mut rows[i].device_key, key.clone());
                        row_ix.insert(&rows, key.clone(), i);
                        rekeys.push(Rekey {
                            from: from.clone(),
                            to: key,
                        });
                        old_key = Some(from);
                        i
                    }
                    None => {
                        let at = rows.len();
                        row_ix.insert(&rows, key.clone(), at);
                        rows.push(DeviceState::blank(key, dev));
                        fate.push(Fate::NotSeen);
                        at
                    }
                }
            }
        };
        if fate[at] == Fate::Fresh {
            skipped.push(Skipped {
                name: std::mem::take(&mut dev.name),
                model: std::mem::take(&mut dev.model),
                reason: SkipReason::Duplicate,
            });
            continue;
        }
        let is_new = at >= stored_len;
        fate[at] = Fate::Fresh;
        fresh += 1;
        let d = &mut rows[at];
        let before = Before {
            online: (!is_new).then(|| d.is_online()),
            since: if is_new { None } else { d.status_since },
        };
        let prev_observed = if is_new { None } else { d.last_observed_at };
        let ports_seen = merge_into(d, dev, is_new, now);
        let (m, asset, slot) = planner.link(d);
        d.asset = Some(asset);
        matches.extend(m);

        // History.
        samples.push(Sample {
            device_key: d.device_key.clone(),
            is_online: d.is_online(),
            at: now,
        });
        availability::push_deltas(
            &mut rollups,
            &d.device_key,
            prev_observed,
            before.online.unwrap_or(false),
            now,
            cap,
        );
        d.last_observed_at = Some(now);

        let mine = recs
            .get_key_value(&d.device_key)
            .or_else(|| old_key.as_ref().and_then(|k| recs.get_key_value(k)))
            .map(|(k, m)| {
                handled.insert(*k);
                m
            });
        let device_recs: &[&IncidentRecord] =
            mine.and_then(|m| m.get("")).map_or(&[], Vec::as_slice);
        let wan_fresh = ports_seen == PortsSeen::Fresh && d.is_online();
        // Ticket data is only built for the few devices that may need it.
        let info = (mine.is_some() || !d.is_online() || (wan_fresh && d.has_wan_ports()))
            .then(|| planner.info(slot, d));

        let ctx = Ctx {
            cfg: &cfg,
            debounce,
            now,
        };
        incidents::decide_device(d, &before, device_recs, info.as_ref(), &ctx, &mut out);
        // WAN ports: only from ports fetched this cycle on an online device.
        match (wan_fresh, &info) {
            (true, Some(info)) => wan::decide_ports(d, mine, info, &ctx, &mut out),
            (true, None) => d.engine_state.wan.clear(),
            _ => {}
        }
        events::firmware(d, now, &mut out.events);
    }

    // Stored devices not listed: purge or keep stale.
    let mut purge = Vec::new();
    for i in 0..stored_len {
        if fate[i] != Fate::NotSeen {
            continue;
        }
        // A second stored row with the key of another row (cannot happen
        // under the table's unique key, but never purge a live device for it).
        if row_ix.find(&rows, &rows[i].device_key) != Some(i) {
            fate[i] = Fate::Dropped;
            continue;
        }
        let (d, f) = (&mut rows[i], &mut fate[i]);
        let absence = src.absent(&d.source_key);
        let outcome = sources
            .entry(source_key_text::to_text(&d.source_key))
            .or_default();
        match absence {
            Absence::Purge(reason) => {
                outcome.purged += 1;
                if let Some((k, m)) = recs.get_key_value(&d.device_key) {
                    handled.insert(*k);
                    let mut all: Vec<&&IncidentRecord> = m.values().flatten().collect();
                    all.sort_by_key(|r| r.id);
                    for r in all {
                        out.resolves.push(incidents::resolve(
                            r,
                            ResolveReason::DeviceRemoved,
                            d.display_name(),
                            None,
                            None,
                            now,
                        ));
                    }
                }
                purge.push(Purge {
                    name: d.display_name().to_string(),
                    device_key: d.device_key.clone(),
                    reason,
                });
                *f = Fate::Dropped;
            }
            Absence::Stale | Absence::KeptEmptyList => {
                if absence == Absence::KeptEmptyList {
                    outcome.kept_empty_list += 1;
                } else {
                    outcome.stale += 1;
                }
                if let Some((k, _)) = recs.get_key_value(&d.device_key) {
                    handled.insert(*k);
                }
                d.is_stale = true;
                d.engine_state.stale_since.get_or_insert(now);
                d.asset = None;
            }
        }
    }
    if fate.contains(&Fate::Dropped) {
        let mut it = fate.iter();
        rows.retain(|_| it.next() != Some(&Fate::Dropped));
    }
    let out_devices = rows;

    // Records of devices neither listed nor stored: orphans, closed.
    for r in &records {
        if !handled.contains(&r.device_key) {
            let name = r.device_key.to_string();
            out.resolves.push(incidents::resolve(
                r,
                ResolveReason::DeviceRemoved,
                &name,
                None,
                None,
                now,
            ));
        }
    }

    let topology = cfg.show_topology.then(|| topology::edges(&out_devices));
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let stats = PlanStats {
        fresh: count(fresh),
        stale: count(out_devices.len() - fresh),
        purged: count(purge.len()),
        created: count(planner.creates.len()),
        filled: count(planner.fills.len()),
        opened: count(out.opens.len()),
        resolved: count(out.resolves.len()),
        skipped: count(skipped.len()),
    };
    let AssetPlanner { creates, fills, .. } = planner;
    Plan {
        now,
        entities_id: cfg.entities_id,
        devices: out_devices,
        matches,
        assets: AssetChanges {
            create: creates,
            fill: fills,
        },
        incidents: IncidentChanges {
            resolve: out.resolves,
            open: out.opens,
        },
        rekeys,
        purge,
        samples,
        rollups,
        retention: availability::retention(cfg.availability_days, now),
        topology,
        events: out.events,
        sources,
        skipped,
        stats,
    }
}

/// Parses a plan input document, plans, and serialises the plan.
///
/// # Errors
/// [`crate::GdmsError::InvalidInput`] / [`crate::GdmsError::InvalidConfig`]
/// from [`PlanInput::from_json`].
pub fn plan_json(input_json: &str) -> Result<String, crate::GdmsError> {
    let input = PlanInput::from_json(input_json)?;
    let p = plan(input);
    serde_json::to_string(&p).map_err(|e| crate::GdmsError::invalid_input("plan output", &e))
}
