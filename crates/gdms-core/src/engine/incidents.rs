//! Incidents: what to open and what to resolve, with the ticket's content as
//! structured, translatable data (see [`super::text`]).
//!
//! The plugin's incident table holds at most one open record per device
//! (`port_key` `''`) and per WAN port. The record, not the ticket, is the
//! guard: when a technician closes the ticket while the device is still down,
//! the record stays open (`ticket_open: false`) so the plan never opens a
//! second one (the reference re-opened one every cycle, weakness 10); when the
//! condition clears the record is resolved, with no followup or solution on
//! the already-closed ticket.

use serde::{Deserialize, Serialize};

use super::assets::AssetInfo;
use super::classify::Itemtype;
use super::device::{AssetRef, DeviceKey, DeviceState};
use super::events::{Event, EventKind};
use super::hash::FastMap;
use super::input::{EngineConfig, IncidentRecord};
use super::text::{duration_dhm, utc_datetime, Body, Cell, Message, MsgId, Row, Title};
use super::wan::Debounce;
use crate::snapshot::Port;

/// Open incident records of one device, by port key (`""` = the device).
pub(crate) type RecordsByPort<'a> = FastMap<&'a str, Vec<&'a IncidentRecord>>;

/// Everything decided over one plan, in order.
#[derive(Debug, Default)]
pub(crate) struct Decisions {
    pub resolves: Vec<IncidentResolve>,
    pub opens: Vec<IncidentOpen>,
    pub events: Vec<Event>,
}

/// The settings every decision reads.
pub(crate) struct Ctx<'a> {
    pub cfg: &'a EngineConfig,
    pub debounce: Debounce,
    pub now: i64,
}

/// The device's previous observation (`None`: first seen).
pub(crate) struct Before {
    pub online: Option<bool>,
    pub since: Option<i64>,
}

/// Device online / offline: counters, the device incident, events.
/// `info` is `None` only when the device is online with no open record
/// (nothing to open or resolve).
pub(crate) fn decide_device(
    d: &mut DeviceState,
    before: &Before,
    recs: &[&IncidentRecord],
    info: Option<&AssetInfo>,
    ctx: &Ctx<'_>,
    out: &mut Decisions,
) {
    let now = ctx.now;
    let came_back = before.online == Some(false);
    if d.is_online() {
        d.engine_state.offline_cycles = 0;
        if let Some(info) = info {
            let outage_start = if came_back { before.since } else { None };
            for r in recs {
                out.resolves.push(resolve(
                    r,
                    ResolveReason::DeviceOnline,
                    &info.name,
                    None,
                    outage_start,
                    now,
                ));
            }
        }
        if came_back {
            let mut e = Event::about(EventKind::DeviceOnline, d, now);
            if let Some(s) = before.since {
                e = e.with("outage_s", (now - s).max(0).to_string());
            }
            out.events.push(e);
        }
    } else {
        d.engine_state.offline_cycles = d.engine_state.offline_cycles.saturating_add(1);
        if let Some(info) = info {
            if recs.is_empty()
                && d.engine_state.offline_cycles >= ctx.debounce.cycles
                && ctx.cfg.tickets_for(d.category)
            {
                out.opens.push(device_offline(d, info, ctx.cfg, now));
            }
        }
        if before.online != Some(false) {
            out.events
                .push(Event::about(EventKind::DeviceOffline, d, now));
        }
    }
}

/// What an incident is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// The device is not online (`port_key` `''`).
    DeviceOffline,
    /// A WAN port's physical link is down.
    WanLinkDown,
    /// A WAN port's link is up without internet.
    WanNoInternet,
}

/// Why an incident record is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolveReason {
    /// The device is online again.
    DeviceOnline,
    /// The WAN port is link up + internet up.
    WanRecovered,
    /// Link back, internet not reported (closes a link-down incident).
    WanLinkRestored,
    /// Link back but no internet: a no-internet incident replaces it.
    WanLinkBackNoInternet,
    /// No-internet became link-down: a link-down incident replaces it.
    WanLinkLost,
    /// The router no longer reports this WAN port.
    WanPortGone,
    /// The device was purged (removed from the cloud): ticket left open.
    DeviceRemoved,
}

impl ResolveReason {
    /// Whether the ticket gets a solution (the problem is over).
    pub fn solves(self) -> bool {
        !matches!(self, ResolveReason::DeviceRemoved)
    }

    fn followup(self) -> MsgId {
        match self {
            ResolveReason::DeviceOnline => MsgId::FollowupDeviceOnline,
            ResolveReason::WanRecovered => MsgId::FollowupWanRecovered,
            ResolveReason::WanLinkRestored => MsgId::FollowupWanLinkRestored,
            ResolveReason::WanLinkBackNoInternet => MsgId::FollowupWanLinkBackNoInternet,
            ResolveReason::WanLinkLost => MsgId::FollowupWanLinkLost,
            ResolveReason::WanPortGone => MsgId::FollowupWanPortGone,
            ResolveReason::DeviceRemoved => MsgId::FollowupDeviceRemoved,
        }
    }
}

/// Status a new ticket is created with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// `CommonITILObject::INCOMING` (1): nobody assigned.
    New,
    /// `CommonITILObject::ASSIGNED` (2): the asset's technician is assigned.
    Assigned,
}

/// Everything PHP needs to create the GLPI ticket (type Incident).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSpec {
    /// The asset's entity (the synced entity for a planned asset).
    pub entities_id: u64,
    /// Title.
    pub title: Title,
    /// Content.
    pub body: Body,
    /// 1–5.
    pub urgency: u8,
    /// 1–5.
    pub impact: u8,
    /// 1–5.
    pub priority: u8,
    /// ITIL category (0 = none).
    pub itilcategories_id: u64,
    /// Location (0 = none).
    pub locations_id: u64,
    /// Requester user (0 = none): asset user, else the configured requester.
    pub requester_users_id: u64,
    /// Assigned technician (0 = none).
    pub assign_users_id: u64,
    /// Initial status.
    pub status: TicketStatus,
}

/// Open one incident: create the ticket, link the asset, insert the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentOpen {
    /// Device.
    pub device_key: DeviceKey,
    /// `''` for the device, else the WAN port id.
    pub port_key: String,
    /// Kind (the record's `kind`).
    pub kind: IncidentKind,
    /// Asset to link (Item_Ticket).
    pub asset: AssetRef,
    /// When the condition began (record `opened_at` is "now").
    pub since: i64,
    /// The ticket.
    pub ticket: TicketSpec,
}

/// Close one incident record, and its ticket when still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentResolve {
    /// Record id.
    pub incident_id: u64,
    /// Ticket id (0 = none).
    pub tickets_id: u64,
    /// Device.
    pub device_key: DeviceKey,
    /// Port key of the record.
    pub port_key: String,
    /// Kind of the record.
    pub kind: IncidentKind,
    /// Why.
    pub reason: ResolveReason,
    /// Public followup to add first (`None` when the ticket is no longer open).
    pub followup: Option<Message>,
    /// Solution to add after the followup (`None`: leave the ticket's status alone).
    pub solution: Option<Message>,
    /// Outage length, seconds.
    pub duration_s: i64,
}

/// Builds the resolution of one record.
pub(crate) fn resolve(
    rec: &IncidentRecord,
    reason: ResolveReason,
    device_name: &str,
    port_label: Option<&str>,
    outage_start: Option<i64>,
    now: i64,
) -> IncidentResolve {
    let start = outage_start.unwrap_or(rec.opened_at).min(rec.opened_at);
    let duration = now.saturating_sub(start).max(0);
    let followup = rec.ticket_open.then(|| {
        let mut m = Message::new(reason.followup())
            .with("time", utc_datetime(now))
            .with("duration", duration_dhm(duration));
        match port_label {
            Some(p) => m = m.with("port", p).with("device", device_name),
            None => m = m.with("name", device_name),
        }
        m
    });
    let solution =
        (rec.ticket_open && reason.solves()).then(|| Message::new(MsgId::SolutionAutoResolved));
    IncidentResolve {
        incident_id: rec.id,
        tickets_id: rec.tickets_id,
        device_key: rec.device_key.clone(),
        port_key: rec.port_key.clone(),
        kind: rec.kind,
        reason,
        followup,
        solution,
        duration_s: duration,
    }
}

fn upper_or_na(v: Option<String>) -> Cell {
    match v.filter(|s| !s.trim().is_empty()) {
        Some(s) => Cell::Text(s.trim().to_uppercase()),
        None => Cell::Msg(Message::new(MsgId::ValueNa)),
    }
}

fn row(label: MsgId, value: Cell) -> Row {
    Row {
        label: Message::new(label),
        value,
    }
}

fn ticket_common(
    info: &AssetInfo,
    cfg: &EngineConfig,
    urgency: u8,
    title: Title,
    body: Body,
) -> TicketSpec {
    let itemtype: Itemtype = info.asset.itemtype();
    TicketSpec {
        entities_id: info.entities_id,
        title,
        body,
        urgency,
        impact: urgency,
        priority: urgency,
        itilcategories_id: cfg.itil_category(itemtype),
        locations_id: info.locations_id,
        requester_users_id: if info.users_id != 0 {
            info.users_id
        } else {
            cfg.users_id_requester
        },
        assign_users_id: info.users_id_tech,
        status: if info.users_id_tech != 0 {
            TicketStatus::Assigned
        } else {
            TicketStatus::New
        },
    }
}

/// The device-offline incident (spec §6.1).
pub(crate) fn device_offline(
    d: &DeviceState,
    info: &AssetInfo,
    cfg: &EngineConfig,
    now: i64,
) -> IncidentOpen {
    let since = d.status_since.unwrap_or(now);
    let title = Title {
        prefix: "[GDMS]".into(),
        text: Message::new(MsgId::TitleDeviceOffline).with("name", info.name.clone()),
        suffix: String::new(),
    };
    let rows = vec![
        row(MsgId::FieldMac, upper_or_na(d.mac.map(|m| m.to_string()))),
        row(MsgId::FieldSerial, upper_or_na(d.serial.clone())),
        row(MsgId::FieldPublicIp, Cell::or_na(d.public_ip.as_deref())),
        row(MsgId::FieldPrivateIp, Cell::or_na(d.private_ip.as_deref())),
        row(MsgId::FieldNetwork, Cell::or_na(d.network_name.as_deref())),
        row(MsgId::FieldFirmware, Cell::or_na(d.firmware.as_deref())),
        row(
            MsgId::FieldLastUptime,
            match d.uptime_sec.filter(|u| *u > 0) {
                Some(u) => Cell::Text(duration_dhm(i64::try_from(u).unwrap_or(i64::MAX))),
                None => Cell::Msg(Message::new(MsgId::ValueNa)),
            },
        ),
        row(MsgId::FieldDetected, Cell::Text(utc_datetime(since))),
    ];
    let body = Body::new(
        vec![Message::new(MsgId::BodyDeviceOffline).with("name", info.name.clone())],
        rows,
        MsgId::FooterDevice,
    );
    IncidentOpen {
        device_key: d.device_key.clone(),
        port_key: String::new(),
        kind: IncidentKind::DeviceOffline,
        asset: info.asset.clone(),
        since,
        ticket: ticket_common(info, cfg, d.category.offline_urgency(), title, body),
    }
}

/// A WAN incident (spec §6.3). `failover` is the first other WAN port that is
/// link up with internet confirmed this cycle.
pub(crate) fn wan(
    kind: IncidentKind,
    d: &DeviceState,
    info: &AssetInfo,
    port: &Port,
    failover: Option<&Port>,
    since: i64,
    cfg: &EngineConfig,
) -> IncidentOpen {
    let label = port.label().to_string();
    let isp = port
        .wan_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let no_inet = kind == IncidentKind::WanNoInternet;
    let title_id = match (no_inet, isp.is_some()) {
        (false, false) => MsgId::TitleWanLinkDown,
        (false, true) => MsgId::TitleWanLinkDownIsp,
        (true, false) => MsgId::TitleWanNoInternet,
        (true, true) => MsgId::TitleWanNoInternetIsp,
    };
    let with_isp = |m: Message| match isp {
        Some(i) => m.with("isp", i),
        None => m,
    };
    let title = Title {
        prefix: "[GDMS]".into(),
        text: with_isp(
            Message::new(title_id)
                .with("device", info.name.clone())
                .with("port", label.clone()),
        ),
        suffix: if no_inet {
            format!("[GDMS-WAN-NOINET:{label}]")
        } else {
            format!("[GDMS-WAN:{label}]")
        },
    };
    let intro = with_isp(
        Message::new(if isp.is_some() {
            MsgId::BodyWanPortIsp
        } else {
            MsgId::BodyWanPort
        })
        .with("device", info.name.clone())
        .with("port", label.clone()),
    );
    let what = Message::new(if no_inet {
        MsgId::BodyWanNoInternet
    } else {
        MsgId::BodyWanLinkDown
    });
    let mut rows = vec![
        row(MsgId::FieldMac, upper_or_na(d.mac.map(|m| m.to_string()))),
        row(MsgId::FieldSerial, upper_or_na(d.serial.clone())),
        row(MsgId::FieldNetwork, Cell::or_na(d.network_name.as_deref())),
        row(MsgId::FieldDetected, Cell::Text(utc_datetime(since))),
    ];
    if let Some(f) = failover {
        let value = match f
            .wan_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(n) => Message::new(MsgId::ValueFailoverIsp).with("isp", n),
            None => Message::new(MsgId::ValueFailoverPort).with("port", f.label()),
        };
        rows.push(row(MsgId::FieldFailover, Cell::Msg(value)));
    }
    IncidentOpen {
        device_key: d.device_key.clone(),
        port_key: port.id.clone(),
        kind,
        asset: info.asset.clone(),
        since,
        ticket: ticket_common(
            info,
            cfg,
            4,
            title,
            Body::new(vec![intro, what], rows, MsgId::FooterWan),
        ),
    }
}
