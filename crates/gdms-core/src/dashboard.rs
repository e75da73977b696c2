//! The NOC dashboard's figures: cards, availability and SLA tier per device,
//! the filtered, sorted page of the device table, port states, the daily
//! availability chart. Documents in [`crate::contract::dashboard`].
//!
//! Availability and tiers come from [`crate::engine::availability`], the same
//! functions the engine and the export use: the shell hands in the sums of
//! the daily roll-ups inside the window (one `GROUP BY` query) and this module
//! turns each into a percentage and a tier. Nothing here reads a clock, a
//! database or the network.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::engine::availability::{availability, DailyRollup, SlaTier};
use crate::engine::text::day_string;
use crate::snapshot::{Internet, Port, PortRole};
use crate::GdmsError;

const DAY: i64 = 86_400;

/// One stored device row, as the shell reads it (only the columns shown).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceRow {
    /// Row id.
    pub id: i64,
    /// Entity.
    pub entities_id: i64,
    /// `device_key`.
    pub device_key: String,
    /// `gwn` or `uc`.
    pub cloud: String,
    /// Display name.
    pub name: String,
    /// GLPI itemtype of the asset (may be empty).
    pub itemtype: String,
    /// GLPI asset id (0 = none).
    pub items_id: i64,
    /// Model (GLPI catalog name when the shell found one, else raw).
    pub model: String,
    /// Stored category (`router`, `switch`, `ap`, `phone`, `pbx`, `unknown`).
    pub category: String,
    /// `online`, `offline`, ...
    pub status: String,
    /// Network id.
    pub network_id: String,
    /// Network name.
    pub network_name: String,
    /// Public IP.
    pub public_ip: String,
    /// Private IP.
    pub private_ip: String,
    /// IPv6.
    pub ipv6: String,
    /// MAC.
    pub mac: String,
    /// Serial.
    pub serial: String,
    /// Firmware.
    pub firmware: String,
    /// Newest firmware known (cached by the sync).
    pub firmware_latest: String,
    /// Uptime, seconds.
    pub uptime_sec: u64,
    /// Connected clients.
    pub clients: u64,
    /// Bytes uploaded.
    pub upload_bytes: u64,
    /// Bytes downloaded.
    pub download_bytes: u64,
    /// Wi-Fi channel 2.4 GHz (0 = none).
    pub channel_2g: u32,
    /// Wi-Fi channel 5 GHz (0 = none).
    pub channel_5g: u32,
    /// First seen, `YYYY-MM-DD HH:MM:SS` UTC or empty.
    pub first_seen: String,
    /// Last seen, same format.
    pub last_seen: String,
    /// Whether the row has stored ports.
    pub has_ports: bool,
}

/// Part of one device's roll-up sums inside the window: `[entities_id, device_key, online_s, observed_s]`.
/// Several parts of one device add up (a cached window plus the days since, minus the
/// days that left the window), so a part may be negative; the total is clamped at 0.
pub type AvailabilitySum = (i64, String, i64, i64);

/// Table query (from the page URL).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TableQuery {
    /// Free text, matched case-insensitively against name, MAC, serial, model, network, IPs.
    pub search: String,
    /// `all`, `online`, `offline`.
    pub status: String,
    /// `all`, a category, `network` (router+switch+ap) or `telephony` (phone+pbx).
    pub category: String,
    /// Exact network name, empty = all.
    pub network: String,
    /// Sort column; empty = default (network gear first, then name).
    pub sort: String,
    /// `asc` or `desc`.
    pub dir: String,
    /// Page, from 1.
    pub page: usize,
    /// Rows per page (1..=500).
    pub per_page: usize,
}

impl Default for TableQuery {
    fn default() -> Self {
        TableQuery {
            search: String::new(),
            status: "all".into(),
            category: "all".into(),
            network: String::new(),
            sort: String::new(),
            dir: "asc".into(),
            page: 1,
            per_page: 50,
        }
    }
}

/// `gdms_dashboard` input.
#[derive(Debug, Clone, Deserialize)]
pub struct DashboardInput {
    /// Now, epoch s.
    pub now: i64,
    /// Availability window, days (1..=365).
    pub window_days: u16,
    /// Table query.
    #[serde(default)]
    pub query: TableQuery,
    /// Every device the user may see.
    pub devices: Vec<DeviceRow>,
    /// Roll-up sums inside the window, per device, possibly in several parts.
    #[serde(default)]
    pub availability: Vec<AvailabilitySum>,
    /// Fleet roll-up sums per day inside the window: `[day "YYYY-MM-DD", online_s, observed_s]`.
    #[serde(default)]
    pub daily: Vec<(String, u64, u64)>,
}

/// Online/offline counter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// Online devices.
    pub online: u64,
    /// Devices not online.
    pub offline: u64,
}

impl Count {
    fn add(&mut self, online: bool) {
        if online {
            self.online += 1;
        } else {
            self.offline += 1;
        }
    }
}

/// The summary cards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cards {
    /// Distinct non-empty network names.
    pub networks: u64,
    /// Routers.
    pub router: Count,
    /// Switches.
    pub switch: Count,
    /// Access points.
    pub ap: Count,
    /// Phones and PBXs.
    pub phones_pbx: Count,
    /// Connected clients (sum).
    pub clients: u64,
    /// All devices.
    pub all: Count,
}

/// Per-network figures for the network modal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkStats {
    /// Routers.
    pub router: Count,
    /// Switches.
    pub switch: Count,
    /// Access points.
    pub ap: Count,
    /// Phones and PBXs.
    pub phones_pbx: Count,
    /// Clients.
    pub clients: u64,
    /// Bytes uploaded (sum of devices).
    pub upload_bytes: u64,
    /// Bytes downloaded (sum of devices).
    pub download_bytes: u64,
}

/// One table row: the stored row plus its availability.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// Stored columns.
    #[serde(flatten)]
    pub device: DeviceRow,
    /// Availability %, 2 decimals; null = nothing observed in the window.
    pub availability: Option<f64>,
    /// SLA tier.
    pub tier: SlaTier,
    /// Whether `firmware_latest` is newer than `firmware`.
    pub firmware_update: bool,
}

/// A device of the Critical-and-offline banner.
#[derive(Debug, Clone, Serialize)]
pub struct CriticalDevice {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Asset itemtype.
    pub itemtype: String,
    /// Asset id.
    pub items_id: i64,
    /// Availability %.
    pub availability: f64,
}

/// `gdms_dashboard` output.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardOutput {
    /// Cards over every visible device.
    pub cards: Cards,
    /// Share of devices online now, rounded %.
    pub online_percent: u64,
    /// Critical tier and offline.
    pub critical_offline: Vec<CriticalDevice>,
    /// Devices matching the filter.
    pub filtered: usize,
    /// Page shown (clamped).
    pub page: usize,
    /// Rows per page.
    pub per_page: usize,
    /// Number of pages (≥ 1).
    pub pages: usize,
    /// The page.
    pub rows: Vec<TableRow>,
    /// Networks: name → figures (every network, for the modal and the filter list).
    pub networks: BTreeMap<String, NetworkStats>,
    /// Fleet availability per day inside the window: `{day, percent}`.
    pub chart: Vec<serde_json::Value>,
}

fn rollup(day: i64, online_s: u64, observed_s: u64) -> Option<DailyRollup> {
    // Built through serde so the day field's representation stays the engine's business.
    serde_json::from_value(
        json!({"day": day_string(day), "online_s": online_s, "observed_s": observed_s}),
    )
    .ok()
}

/// Availability % of sums over the window, through [`availability`].
pub fn percent_of(online_s: u64, observed_s: u64, now: i64) -> Option<f64> {
    let r = rollup(now.div_euclid(DAY), online_s, observed_s)?;
    availability(std::slice::from_ref(&r), 1, now)
}

fn round2(p: f64) -> f64 {
    (p * 100.0).round() / 100.0
}

/// Compares dotted versions numerically (`1.0.10.2` > `1.0.9.9`); non-numeric parts as text.
pub fn version_cmp(a: &str, b: &str) -> Ordering {
    let pa: Vec<&str> = a.trim().split(['.', '-', '_']).collect();
    let pb: Vec<&str> = b.trim().split(['.', '-', '_']).collect();
    for i in 0..pa.len().max(pb.len()) {
        let x = pa.get(i).copied().unwrap_or("0");
        let y = pb.get(i).copied().unwrap_or("0");
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(m), Ok(n)) => m.cmp(&n),
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Whether `latest` is a newer version than `current` (both non-empty).
pub fn has_update(current: &str, latest: &str) -> bool {
    !current.trim().is_empty()
        && !latest.trim().is_empty()
        && version_cmp(latest, current) == Ordering::Greater
}

fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (sx, sy) = (&x[..nx], &y[..ny]);
                let tx = sx.iter().skip_while(|c| **c == b'0').count();
                let ty = sy.iter().skip_while(|c| **c == b'0').count();
                let o = tx.cmp(&ty).then_with(|| sx[nx - tx..].cmp(&sy[ny - ty..]));
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn is_online(d: &DeviceRow) -> bool {
    d.status == "online"
}

fn matches(d: &DeviceRow, q: &TableQuery, needle: &str) -> bool {
    let status_ok = match q.status.as_str() {
        "online" => is_online(d),
        "offline" => !is_online(d),
        _ => true,
    };
    let cat_ok = match q.category.as_str() {
        "" | "all" => true,
        "network" => matches!(d.category.as_str(), "router" | "switch" | "ap"),
        "telephony" => matches!(d.category.as_str(), "phone" | "pbx"),
        c => d.category == c,
    };
    let net_ok = q.network.is_empty() || d.network_name == q.network;
    let text_ok = needle.is_empty()
        || [
            &d.name,
            &d.mac,
            &d.serial,
            &d.model,
            &d.network_name,
            &d.public_ip,
            &d.private_ip,
            &d.firmware,
        ]
        .iter()
        .any(|f| f.to_lowercase().contains(needle));
    status_ok && cat_ok && net_ok && text_ok
}

fn sort_rows(rows: &mut [TableRow], sort: &str, desc: bool) {
    let cmp = |a: &TableRow, b: &TableRow| -> Ordering {
        let (x, y) = (&a.device, &b.device);
        let o = match sort {
            "name" => natural_cmp(&x.name, &y.name),
            "type" => x.category.cmp(&y.category),
            "model" => natural_cmp(&x.model, &y.model),
            "network" => natural_cmp(&x.network_name, &y.network_name),
            "ip" => natural_cmp(&x.public_ip, &y.public_ip)
                .then_with(|| natural_cmp(&x.private_ip, &y.private_ip)),
            "mac" => x.mac.cmp(&y.mac),
            "serial" => natural_cmp(&x.serial, &y.serial),
            "firmware" => version_cmp(&x.firmware, &y.firmware),
            "uptime" => x.uptime_sec.cmp(&y.uptime_sec),
            "status" => is_online(y).cmp(&is_online(x)),
            "clients" => x.clients.cmp(&y.clients),
            "availability" => a
                .availability
                .unwrap_or(-1.0)
                .partial_cmp(&b.availability.unwrap_or(-1.0))
                .unwrap_or(Ordering::Equal),
            "sla" => a.tier.rank().cmp(&b.tier.rank()),
            _ => {
                let phone = |d: &DeviceRow| matches!(d.category.as_str(), "phone");
                phone(x)
                    .cmp(&phone(y))
                    .then_with(|| natural_cmp(&x.name, &y.name))
            }
        };
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| x.id.cmp(&y.id))
    };
    rows.sort_by(cmp);
}

fn bucket<'a>(stats: &'a mut NetworkStats, category: &str) -> Option<&'a mut Count> {
    match category {
        "router" => Some(&mut stats.router),
        "switch" => Some(&mut stats.switch),
        "ap" => Some(&mut stats.ap),
        "phone" | "pbx" => Some(&mut stats.phones_pbx),
        _ => None,
    }
}

/// Computes the dashboard.
pub fn dashboard(input: DashboardInput) -> DashboardOutput {
    let now = input.now;
    let window = input.window_days.clamp(1, 365);
    let mut sums: HashMap<(i64, &str), (i64, i64)> = HashMap::with_capacity(input.devices.len());
    for (e, k, on, obs) in &input.availability {
        let s = sums.entry((*e, k.as_str())).or_default();
        s.0 = s.0.saturating_add(*on);
        s.1 = s.1.saturating_add(*obs);
    }

    let mut cards = Cards::default();
    let mut networks: BTreeMap<String, NetworkStats> = BTreeMap::new();
    let mut critical = Vec::new();
    let q = &input.query;
    let needle = q.search.trim().to_lowercase();
    let mut rows = Vec::new();
    for d in &input.devices {
        let online = is_online(d);
        let availability = sums
            .get(&(d.entities_id, d.device_key.as_str()))
            .and_then(|(on, obs)| {
                percent_of(
                    u64::try_from(*on).unwrap_or(0),
                    u64::try_from(*obs).unwrap_or(0),
                    now,
                )
            })
            .map(round2);
        let tier = SlaTier::from_availability(availability);
        cards.all.add(online);
        cards.clients += d.clients;
        let mut stub = NetworkStats::default();
        if let Some(c) = bucket(&mut stub, &d.category) {
            c.add(online);
        }
        cards.router.online += stub.router.online;
        cards.router.offline += stub.router.offline;
        cards.switch.online += stub.switch.online;
        cards.switch.offline += stub.switch.offline;
        cards.ap.online += stub.ap.online;
        cards.ap.offline += stub.ap.offline;
        cards.phones_pbx.online += stub.phones_pbx.online;
        cards.phones_pbx.offline += stub.phones_pbx.offline;
        if !d.network_name.trim().is_empty() {
            let n = networks.entry(d.network_name.clone()).or_default();
            if let Some(c) = bucket(n, &d.category) {
                c.add(online);
            }
            n.clients += d.clients;
            n.upload_bytes = n.upload_bytes.saturating_add(d.upload_bytes);
            n.download_bytes = n.download_bytes.saturating_add(d.download_bytes);
        }
        if tier == SlaTier::Critical && !online {
            critical.push(CriticalDevice {
                id: d.id,
                name: d.name.clone(),
                itemtype: d.itemtype.clone(),
                items_id: d.items_id,
                availability: availability.unwrap_or(0.0),
            });
        }
        if matches(d, q, &needle) {
            rows.push(TableRow {
                firmware_update: has_update(&d.firmware, &d.firmware_latest),
                device: d.clone(),
                availability,
                tier,
            });
        }
    }
    cards.networks = networks.len() as u64;
    critical.sort_by(|a, b| natural_cmp(&a.name, &b.name));

    sort_rows(&mut rows, &q.sort, q.dir.eq_ignore_ascii_case("desc"));
    let per_page = q.per_page.clamp(1, 500);
    let filtered = rows.len();
    let pages = filtered.div_ceil(per_page).max(1);
    let page = q.page.clamp(1, pages);
    let start = (page - 1) * per_page;
    let rows: Vec<TableRow> = rows.into_iter().skip(start).take(per_page).collect();

    let online_percent = if cards.all.online + cards.all.offline == 0 {
        0
    } else {
        (cards.all.online as f64 * 100.0 / (cards.all.online + cards.all.offline) as f64).round()
            as u64
    };

    let today = now.div_euclid(DAY);
    let first = today - i64::from(window) + 1;
    let mut chart = Vec::new();
    let mut daily: Vec<(i64, u64, u64)> = input
        .daily
        .iter()
        .filter_map(|(d, on, obs)| {
            crate::engine::availability::parse_day(d).map(|n| (n, *on, *obs))
        })
        .filter(|(n, _, _)| (first..=today).contains(n))
        .collect();
    daily.sort_by_key(|(n, _, _)| *n);
    let mut merged: Vec<(i64, u64, u64)> = Vec::with_capacity(daily.len());
    for (n, on, obs) in daily {
        match merged.last_mut() {
            Some(last) if last.0 == n => {
                last.1 += on;
                last.2 += obs;
            }
            _ => merged.push((n, on, obs)),
        }
    }
    for (n, on, obs) in merged {
        // The day's own figure: its sums seen from the end of that day.
        if let Some(p) = percent_of(on, obs, n * DAY + DAY - 1) {
            chart.push(json!({"day": day_string(n), "percent": round2(p)}));
        }
    }

    DashboardOutput {
        cards,
        online_percent,
        critical_offline: critical,
        filtered,
        page,
        per_page,
        pages,
        rows,
        networks,
        chart,
    }
}

/// `gdms_dashboard` on JSON.
///
/// # Errors
/// [`GdmsError::InvalidInput`] when the document does not have the documented shape.
pub fn dashboard_json(input: &str) -> Result<String, GdmsError> {
    let input: DashboardInput =
        serde_json::from_str(input).map_err(|e| GdmsError::InvalidInput {
            what: "dashboard input",
            detail: e.to_string(),
        })?;
    Ok(serde_json::to_string(&dashboard(input)).unwrap_or_else(|_| "{}".into()))
}

/// Colour state of a port dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortState {
    /// WAN up with internet (green).
    Internet,
    /// WAN up without internet (orange).
    NoInternet,
    /// WAN up, internet unknown (amber).
    Unknown,
    /// LAN link up (teal).
    LanUp,
    /// Link down (gray).
    Down,
}

/// State of one port.
pub fn port_state(p: &Port) -> PortState {
    match (p.link_up, p.role, p.internet) {
        (false, _, _) => PortState::Down,
        (true, PortRole::Lan, _) => PortState::LanUp,
        (true, PortRole::Wan, Internet::Up) => PortState::Internet,
        (true, PortRole::Wan, Internet::Down) => PortState::NoInternet,
        (true, PortRole::Wan, Internet::Unknown) => PortState::Unknown,
    }
}

/// A port with its display state and label.
#[derive(Debug, Clone, Serialize)]
pub struct PortView {
    /// Stored port.
    #[serde(flatten)]
    pub port: Port,
    /// Dot colour state.
    pub state: PortState,
    /// Label (silk, else name, else id).
    pub label: String,
}

/// Ports of each device, WAN first, then by label (natural order). Input:
/// `{"<row id>": "<ports_json as stored>"}`; unreadable JSON gives no ports.
pub fn ports(stored: &BTreeMap<String, String>) -> BTreeMap<String, Vec<PortView>> {
    stored
        .iter()
        .map(|(id, json)| {
            let mut list: Vec<Port> = serde_json::from_str(json).unwrap_or_default();
            list.sort_by(|a, b| {
                let wa = a.role == PortRole::Wan;
                let wb = b.role == PortRole::Wan;
                wb.cmp(&wa).then_with(|| natural_cmp(a.label(), b.label()))
            });
            let views = list
                .into_iter()
                .map(|p| PortView {
                    state: port_state(&p),
                    label: p.label().to_string(),
                    port: p,
                })
                .collect();
            (id.clone(), views)
        })
        .collect()
}

/// `gdms_dashboard_ports` on JSON.
///
/// # Errors
/// [`GdmsError::InvalidInput`] when the document is not an object of strings.
pub fn ports_json(input: &str) -> Result<String, GdmsError> {
    let stored: BTreeMap<String, String> =
        serde_json::from_str(input).map_err(|e| GdmsError::InvalidInput {
            what: "dashboard ports",
            detail: e.to_string(),
        })?;
    Ok(serde_json::to_string(&ports(&stored)).unwrap_or_else(|_| "{}".into()))
}

/// Availability % and tier of one sum (for the shell's single-device views).
pub fn tier_of(online_s: u64, observed_s: u64, now: i64) -> (Option<f64>, SlaTier) {
    let p = percent_of(online_s, observed_s, now).map(round2);
    (p, SlaTier::from_availability(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(id: i64, name: &str, cat: &str, status: &str, net: &str) -> DeviceRow {
        DeviceRow {
            id,
            entities_id: 0,
            device_key: format!("k{id}"),
            name: name.into(),
            category: cat.into(),
            status: status.into(),
            network_name: net.into(),
            clients: 2,
            ..Default::default()
        }
    }

    fn input(
        devices: Vec<DeviceRow>,
        availability: Vec<AvailabilitySum>,
        query: TableQuery,
    ) -> DashboardInput {
        DashboardInput {
            now: 20_000 * DAY + 3600,
            window_days: 30,
            query,
            devices,
            availability,
            daily: vec![],
        }
    }

    #[test]
    fn cards_count_categories_and_networks() {
        let out = dashboard(input(
            vec![
                dev(1, "R1", "router", "online", "HQ"),
                dev(2, "S1", "switch", "offline", "HQ"),
                dev(3, "P1", "phone", "online", "Branch"),
                dev(4, "U1", "pbx", "offline", ""),
                dev(5, "A1", "ap", "online", "Branch"),
            ],
            vec![],
            TableQuery::default(),
        ));
        assert_eq!(out.cards.networks, 2);
        assert_eq!(
            out.cards.router,
            Count {
                online: 1,
                offline: 0
            }
        );
        assert_eq!(
            out.cards.switch,
            Count {
                online: 0,
                offline: 1
            }
        );
        assert_eq!(
            out.cards.phones_pbx,
            Count {
                online: 1,
                offline: 1
            }
        );
        assert_eq!(out.cards.clients, 10);
        assert_eq!(out.online_percent, 60);
        // Default order: network gear before phones, then by name.
        let names: Vec<_> = out.rows.iter().map(|r| r.device.name.as_str()).collect();
        assert_eq!(names, ["A1", "R1", "S1", "U1", "P1"]);
    }

    #[test]
    fn availability_uses_engine_tiers_and_flags_critical_offline() {
        let out = dashboard(input(
            vec![
                dev(1, "gold", "ap", "online", ""),
                dev(2, "bad", "ap", "offline", ""),
                dev(3, "new", "ap", "online", ""),
            ],
            vec![(0, "k1".into(), 999, 1000), (0, "k2".into(), 50, 100)],
            TableQuery {
                sort: "availability".into(),
                dir: "desc".into(),
                ..Default::default()
            },
        ));
        assert_eq!(out.rows[0].availability, Some(99.9));
        assert_eq!(out.rows[0].tier, SlaTier::Gold);
        assert_eq!(out.rows[1].tier, SlaTier::Critical);
        assert_eq!(out.rows[2].availability, None);
        assert_eq!(out.rows[2].tier, SlaTier::NoData);
        assert_eq!(out.critical_offline.len(), 1);
        assert_eq!(out.critical_offline[0].name, "bad");
    }

    #[test]
    fn availability_parts_add_up() {
        let out = dashboard(input(
            vec![dev(1, "a", "ap", "online", "")],
            vec![
                (0, "k1".into(), 900, 1000),
                (0, "k1".into(), 100, 100),
                (0, "k1".into(), -100, -100),
            ],
            TableQuery::default(),
        ));
        assert_eq!(out.rows[0].availability, Some(90.0));
    }

    #[test]
    fn filter_and_paginate() {
        let devices = (1..=120)
            .map(|i| {
                dev(
                    i,
                    &format!("dev{i}"),
                    "ap",
                    if i % 2 == 0 { "online" } else { "offline" },
                    "N",
                )
            })
            .collect();
        let out = dashboard(input(
            devices,
            vec![],
            TableQuery {
                status: "online".into(),
                search: "DEV1".into(),
                sort: "name".into(),
                per_page: 10,
                page: 2,
                ..Default::default()
            },
        ));
        // dev10, dev12, ..., dev18, dev100..dev120 even → 5 + 11 = 16
        assert_eq!(out.filtered, 16);
        assert_eq!(out.pages, 2);
        assert_eq!(out.rows.len(), 6);
        assert_eq!(out.rows[0].device.name, "dev110");
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(has_update("1.0.9.9", "1.0.10.2"));
        assert!(!has_update("1.0.10.2", "1.0.10.2"));
        assert!(!has_update("", "1.0"));
    }

    #[test]
    fn ports_sorted_wan_first_with_states() {
        let json = r#"[
          {"id":"3","name":"LAN1","silk":"P3","role":"lan","link_up":true,"internet":"unknown","speed":5,"medium":"ge","is_combo":false},
          {"id":"2","name":"WAN2","silk":"P2","role":"wan","link_up":true,"internet":"down","medium":"ge","is_combo":false},
          {"id":"1","name":"WAN1","silk":"P1","role":"wan","link_up":true,"internet":"up","medium":"sfp","is_combo":false},
          {"id":"4","name":"LAN2","silk":"P4","role":"lan","link_up":false,"internet":"unknown","medium":"ge","is_combo":false}
        ]"#;
        let mut m = BTreeMap::new();
        m.insert("7".to_string(), json.to_string());
        let out = ports(&m);
        let states: Vec<_> = out["7"]
            .iter()
            .map(|p| (p.label.as_str(), p.state))
            .collect();
        assert_eq!(
            states,
            [
                ("P1", PortState::Internet),
                ("P2", PortState::NoInternet),
                ("P3", PortState::LanUp),
                ("P4", PortState::Down)
            ]
        );
    }

    #[test]
    fn chart_per_day() {
        let mut i = input(vec![], vec![], TableQuery::default());
        i.daily = vec![
            ("1970-01-01".into(), 1, 1),
            (day_string(20_000), 50, 100),
            (day_string(19_999), 100, 100),
        ];
        let out = dashboard(i);
        assert_eq!(
            out.chart,
            vec![
                json!({"day": day_string(19_999), "percent": 100.0}),
                json!({"day": day_string(20_000), "percent": 50.0})
            ]
        );
    }
}
