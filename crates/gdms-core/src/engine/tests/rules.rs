//! One or more tests per rule of the engine's brief.

use super::fixtures::*;
use crate::engine::classify::{Category, Itemtype};
use crate::engine::device::{AssetRef, DeviceKey};
use crate::engine::events::EventKind;
use crate::engine::incidents::{IncidentKind, ResolveReason, TicketStatus};
use crate::engine::input::ModelEntry;
use crate::engine::matching::MatchReason;
use crate::engine::plan::{plan, PurgeReason};
use crate::engine::summary;
use crate::engine::text::{Cell, MsgId};
use crate::engine::topology::EdgeKind;
use crate::snapshot::{FetchFailure, Internet, PortsFetch, SipInfo};

// Rule 1: classification and itemtype.

#[test]
fn rule1_new_assets_get_the_itemtype_of_their_category() {
    let mut w = World::new();
    let p = w.cycle(snap(vec![
        dev(1, "GXP2170", true),
        dev(2, "UCM6304", true),
        dev(3, "GWN7660", true),
    ]));
    let its: Vec<_> = p.assets.create.iter().map(|c| c.itemtype).collect();
    assert_eq!(
        its,
        vec![
            Itemtype::Phone,
            Itemtype::NetworkEquipment,
            Itemtype::NetworkEquipment
        ]
    );
    let cats: Vec<_> = p.devices.iter().map(|d| d.category).collect();
    assert_eq!(cats, vec![Category::Phone, Category::Pbx, Category::Ap]);
}

#[test]
fn rule1_router_by_capability_gets_wan_monitoring_and_router_urgency() {
    let mut w = World::new();
    let mut r = router(1, vec![port("1", true, false, Internet::Unknown)]);
    r.model = "GWN7062".into();
    let p = w.cycle(snap(vec![r]));
    assert_eq!(p.devices[0].category, Category::Router);
    assert_eq!(p.incidents.open[0].kind, IncidentKind::WanLinkDown);
    let mut off = dev(2, "GWN7062", false);
    off.ports = PortsFetch::NotApplicable;
    // Stored WAN ports keep it a router when ports are not fetched.
    let mut r2 = router(2, vec![port("1", true, true, Internet::Up)]);
    r2.model = "GWN7062".into();
    w.cycle(snap(vec![r2]));
    let p = w.cycle(snap(vec![off]));
    let o = p
        .incidents
        .open
        .iter()
        .find(|o| o.kind == IncidentKind::DeviceOffline)
        .unwrap();
    assert_eq!(o.ticket.urgency, 4);
}

// Rule 2: matching.

#[test]
fn rule2_serial_and_mac_are_normalised_and_itemtype_is_kept() {
    let mut w = World::new();
    w.assets = vec![
        asset(10, Itemtype::NetworkEquipment, "x", "SN-000001", ""),
        asset(11, Itemtype::NetworkEquipment, "y", "", "C0-74-AD-00-00-02"),
    ];
    let p = w.cycle(snap(vec![
        dev(1, "GRP2612W", true),
        dev(2, "GRP2612W", true),
    ]));
    assert_eq!(p.matches[0].reason, MatchReason::Serial);
    assert_eq!(p.matches[0].asset, existing(Itemtype::NetworkEquipment, 10));
    assert_eq!(p.matches[1].reason, MatchReason::Mac);
    assert_eq!(p.matches[1].asset, existing(Itemtype::NetworkEquipment, 11));
    assert!(p.assets.create.is_empty());
}

#[test]
fn rule2_name_match_rejected_when_serial_differs() {
    let mut w = World::new();
    w.assets = vec![asset(10, Itemtype::Phone, "Device  1", "OTHER", "")];
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.matches[0].reason, MatchReason::Created);
    assert_eq!(
        p.matches[0].name_rejected,
        Some(existing(Itemtype::Phone, 10))
    );
    let mut w = World::new();
    w.assets = vec![asset(10, Itemtype::Phone, "device 1", "", "")];
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.matches[0].reason, MatchReason::Name);
}

#[test]
fn rule2_assets_created_in_the_plan_match_later_devices() {
    let mut w = World::new();
    let mut a = dev(1, "GRP2612W", true);
    a.serial = Some("SAME".into());
    let mut b = dev(2, "GRP2612W", true);
    b.serial = Some("same".into());
    let p = w.cycle(snap(vec![a, b]));
    assert_eq!(p.assets.create.len(), 1);
    assert_eq!(p.matches[1].reason, MatchReason::Serial);
    assert_eq!(
        p.matches[1].asset,
        AssetRef::Planned {
            itemtype: Itemtype::Phone,
            device_key: key(1)
        }
    );
}

#[test]
fn rule2_stored_link_is_kept_while_the_asset_exists_else_rematched() {
    let mut w = World::new();
    w.assets = vec![asset(10, Itemtype::Phone, "x", "sn000001", "")];
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.matches.len(), 1);
    // An admin edits the serial: the device stays linked, nothing re-matched.
    w.assets[0].serial = "EDITED".into();
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert!(p.matches.is_empty());
    assert_eq!(p.devices[0].asset, Some(existing(Itemtype::Phone, 10)));
    // The asset is deleted: matched again (here: created).
    w.assets.clear();
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.matches[0].reason, MatchReason::Created);
}

// Rule 3: creates and fills.

#[test]
fn rule3_create_name_fallbacks_entity_and_serial_case() {
    let mut w = World::new();
    w.models = vec![ModelEntry {
        itemtype: Itemtype::Phone,
        id: 7,
        name: " grp2612w ".into(),
    }];
    let mut a = dev(1, "GRP2612W", true);
    a.name = "  ".into();
    a.serial = Some(" 20Ez9Kx ".into());
    let mut b = dev(2, "", true);
    b.name = String::new();
    let p = w.cycle(snap(vec![a, b]));
    let c = &p.assets.create;
    assert_eq!(c[0].name, "GRP2612W");
    assert_eq!(c[0].serial.as_deref(), Some("20Ez9Kx"));
    assert_eq!(c[0].model_id, Some(7));
    assert_eq!(c[0].entities_id, 1);
    assert_eq!(c[0].uuid.as_deref(), Some("c0:74:ad:00:00:01"));
    assert_eq!(c[1].name, "GDMS Device");
    assert_eq!(c[1].model_id, None, "never invents a model");
}

#[test]
fn rule3_fill_only_empty_fields_never_name_or_serial() {
    let mut w = World::new();
    w.models = vec![ModelEntry {
        itemtype: Itemtype::NetworkEquipment,
        id: 9,
        name: "GRP2612W".into(),
    }];
    let mut a = asset(
        10,
        Itemtype::NetworkEquipment,
        "Keep me",
        "",
        "c0:74:ad:00:00:01",
    );
    a.otherserial = "INV".into();
    let mut full = asset(
        11,
        Itemtype::NetworkEquipment,
        "Full",
        "sn000002",
        "c0:74:ad:00:00:02",
    );
    full.model_id = 3;
    w.assets = vec![a, full];
    let p = w.cycle(snap(vec![
        dev(1, "GRP2612W", true),
        dev(2, "GRP2612W", true),
    ]));
    assert_eq!(p.assets.fill.len(), 1);
    let f = &p.assets.fill[0];
    assert_eq!(
        (f.id, f.serial.as_deref(), f.uuid.as_deref(), f.model_id),
        (10, Some("sn000001"), None, Some(9))
    );
    assert_eq!(w.assets[0].name, "Keep me");
}

// Rule 4: incidents.

#[test]
fn rule4_ticket_fields_body_rows_and_assignment() {
    let mut w = World::new();
    let mut a = asset(10, Itemtype::Phone, "Reception", "sn000001", "");
    a.users_id_tech = 4;
    a.users_id = 8;
    a.locations_id = 2;
    a.entities_id = 6;
    w.assets = vec![a];
    w.cfg.itilcategories_id_telephony = 12;
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    let t = &p.incidents.open[0].ticket;
    assert_eq!(t.title.english(), "[GDMS] Device Offline: Reception");
    assert_eq!(
        (t.entities_id, t.urgency, t.impact, t.priority),
        (6, 3, 3, 3)
    );
    assert_eq!(
        (
            t.assign_users_id,
            t.requester_users_id,
            t.locations_id,
            t.itilcategories_id
        ),
        (4, 8, 2, 12)
    );
    assert_eq!(t.status, TicketStatus::Assigned);
    let rows: Vec<(MsgId, String)> = t
        .body
        .rows
        .iter()
        .map(|r| (r.label.id, r.value.english()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (MsgId::FieldMac, "C0:74:AD:00:00:01".into()),
            (MsgId::FieldSerial, "SN000001".into()),
            (MsgId::FieldPublicIp, "203.0.113.45".into()),
            (MsgId::FieldPrivateIp, "192.168.10.1".into()),
            (MsgId::FieldNetwork, "HQ".into()),
            (MsgId::FieldFirmware, "1.0.11.3".into()),
            (MsgId::FieldLastUptime, "1d 1h 1m".into()),
            (MsgId::FieldDetected, "2026-01-01 00:00:00".into()),
        ]
    );
    assert_eq!(t.body.footer.id, MsgId::FooterDevice);
    assert!(matches!(t.body.rows[1].value, Cell::Text(_)));
}

#[test]
fn rule4_technician_closed_ticket_is_not_reopened_and_record_closes_on_recovery() {
    let mut w = World::new();
    w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    w.incidents[0].ticket_open = false; // closed by a technician
    for _ in 0..3 {
        let p = w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
        assert!(p.incidents.open.is_empty());
    }
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    let r = &p.incidents.resolve[0];
    assert!(r.followup.is_none() && r.solution.is_none());
    assert!(w.incidents.is_empty());
}

#[test]
fn rule4_toggles_suppress_creation_never_resolution() {
    let mut w = World::new();
    w.cfg.tickets_phone = false;
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    assert!(p.incidents.open.is_empty());
    w.cfg.tickets_phone = true;
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    assert_eq!(
        p.incidents.open.len(),
        1,
        "already-offline device gets its ticket once enabled"
    );
    w.cfg.tickets_phone = false;
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.incidents.resolve.len(), 1);
    // WAN toggle.
    let mut w = World::new();
    w.cfg.wan_tickets_enabled = false;
    let p = w.cycle(snap(vec![router(
        1,
        vec![port("1", true, false, Internet::Up)],
    )]));
    assert!(p.incidents.open.is_empty());
    assert_eq!(p.events[0].kind, EventKind::WanDown, "events still flow");
}

#[test]
fn rule4_debounce_cycles_and_no_internet_seconds() {
    let mut w = World::new();
    w.cfg.debounce_cycles = 2;
    assert!(w
        .cycle(snap(vec![dev(1, "GRP2612W", false)]))
        .incidents
        .open
        .is_empty());
    assert_eq!(
        w.cycle(snap(vec![dev(1, "GRP2612W", false)]))
            .incidents
            .open
            .len(),
        1
    );
    let mut w = World::new();
    w.cfg.wan_debounce_seconds = 600;
    let r = || router(1, vec![port("1", true, true, Internet::Down)]);
    assert!(w.cycle(snap(vec![r()])).incidents.open.is_empty()); // t=0
    assert!(w.cycle(snap(vec![r()])).incidents.open.is_empty()); // t=300
    let p = w.cycle(snap(vec![r()])); // t=600
    assert_eq!(p.incidents.open[0].kind, IncidentKind::WanNoInternet);
    assert_eq!(p.incidents.open[0].since, T0, "detected = when it started");
}

#[test]
fn rule4_wan_titles_markers_failover_and_urgency() {
    let mut w = World::new();
    let mut p1 = port("1", true, false, Internet::Down);
    p1.wan_name = Some("ISP-Alpha".into());
    let mut p2 = port("2", true, true, Internet::Up);
    p2.wan_name = Some("ISP-Beta".into());
    let p3 = port("3", true, true, Internet::Up);
    let p = w.cycle(snap(vec![router(
        1,
        vec![p1, p2, p3, port("4", false, false, Internet::Unknown)],
    )]));
    assert_eq!(p.incidents.open.len(), 1, "LAN ports never open incidents");
    let o = &p.incidents.open[0];
    assert_eq!(
        o.ticket.title.english(),
        "[GDMS] Device 1 — WAN P1 (ISP-Alpha): Link Down [GDMS-WAN:P1]"
    );
    assert_eq!(o.ticket.urgency, 4);
    let fo = o.ticket.body.rows.last().unwrap();
    assert_eq!(fo.label.id, MsgId::FieldFailover);
    assert_eq!(fo.value.english(), "Active → ISP-Beta");
    // Without a WAN name the failover names the port.
    let mut w = World::new();
    let p = w.cycle(snap(vec![router(
        2,
        vec![
            port("1", true, true, Internet::Down),
            port("2", true, true, Internet::Up),
        ],
    )]));
    let o = &p.incidents.open[0];
    assert_eq!(
        o.ticket.title.english(),
        "[GDMS] Device 2 — WAN P1: No Internet [GDMS-WAN-NOINET:P1]"
    );
    assert_eq!(
        o.ticket.body.rows.last().unwrap().value.english(),
        "Active → Port P2"
    );
}

#[test]
fn rule4_link_down_then_up_without_internet_then_up_ends_resolved() {
    let mut w = World::new();
    let k = key(1);
    w.cycle(snap(vec![router(
        1,
        vec![port("1", true, false, Internet::Unknown)],
    )]));
    assert_eq!(
        w.open_kinds(&k),
        vec![("1".into(), IncidentKind::WanLinkDown)]
    );
    let p = w.cycle(snap(vec![router(
        1,
        vec![port("1", true, true, Internet::Down)],
    )]));
    assert_eq!(
        p.incidents.resolve[0].reason,
        ResolveReason::WanLinkBackNoInternet
    );
    assert_eq!(
        w.open_kinds(&k),
        vec![("1".into(), IncidentKind::WanNoInternet)]
    );
    let p = w.cycle(snap(vec![router(
        1,
        vec![port("1", true, true, Internet::Up)],
    )]));
    assert_eq!(p.incidents.resolve[0].reason, ResolveReason::WanRecovered);
    assert!(w.open_kinds(&k).is_empty());
}

// Rule 5: purge, stale, failed ports, keys.

#[test]
fn rule5_incomplete_source_keeps_devices_stale_without_decisions() {
    let mut w = World::new();
    w.cycle(snap(vec![
        dev(1, "GRP2612W", true),
        dev(2, "GRP2612W", false),
    ]));
    let mut s = snap(vec![]);
    s.sources = vec![report(uc(), false)];
    let p = w.cycle(s);
    assert!(p.purge.is_empty());
    assert!(p.devices.iter().all(|d| d.is_stale));
    assert!(p.incidents.open.is_empty() && p.incidents.resolve.is_empty());
    assert!(p.samples.is_empty());
    assert_eq!(p.sources["uc_devices"].stale, 2);
}

#[test]
fn rule5_failed_ports_keep_stored_ports_and_decide_nothing() {
    let mut w = World::new();
    w.cycle(snap(vec![router(
        1,
        vec![port("1", true, false, Internet::Down)],
    )]));
    let mut r = router(1, vec![]);
    r.ports = PortsFetch::Failed {
        failure: FetchFailure::Timeout,
    };
    let p = w.cycle(snap(vec![r]));
    assert_eq!(p.devices[0].ports.len(), 1);
    assert!(p.incidents.resolve.is_empty() && p.incidents.open.is_empty());
    assert_eq!(w.open_kinds(&key(1)).len(), 1);
}

#[test]
fn rule5_serial_keyed_device_is_stable_and_readded_device_relinks() {
    let mut w = World::new();
    let mut d = dev(1, "HT812", true);
    d.mac = None;
    let p = w.cycle(snap(vec![d.clone()]));
    assert_eq!(
        p.devices[0].device_key,
        DeviceKey::Serial("SN000001".into())
    );
    let p = w.cycle(snap(vec![d.clone()]));
    assert!(p.purge.is_empty() && p.assets.create.is_empty());
    // Removed, then re-added: fresh row, same asset by serial.
    let p = w.cycle(snap(vec![dev(9, "HT812", true)]));
    assert_eq!(p.purge.len(), 1);
    let p = w.cycle(snap(vec![d, dev(9, "HT812", true)]));
    assert_eq!(p.matches[0].reason, MatchReason::Serial);
    assert!(p.assets.create.is_empty());
}

#[test]
fn rule5_serial_keyed_device_that_gains_a_mac_is_rekeyed_not_recreated() {
    let mut w = World::new();
    let mut d = dev(1, "HT812", false);
    d.mac = None;
    w.cycle(snap(vec![d.clone()]));
    assert_eq!(
        w.incidents[0].device_key,
        DeviceKey::Serial("SN000001".into())
    );
    d.mac = Some(mac(1));
    let p = w.cycle(snap(vec![d]));
    assert_eq!(p.rekeys.len(), 1);
    assert_eq!(
        (p.rekeys[0].from.to_string(), p.rekeys[0].to.clone()),
        ("sn:SN000001".to_string(), key(1))
    );
    assert!(p.purge.is_empty() && p.assets.create.is_empty());
    assert!(
        p.incidents.open.is_empty() && p.incidents.resolve.is_empty(),
        "the open incident carries over"
    );
    assert_eq!(p.devices.len(), 1);
    assert_eq!(p.devices[0].device_key, key(1));
}

#[test]
fn rule5_vanished_network_purges_and_empty_complete_list_keeps() {
    let mut w = World::new();
    let mut a = dev(1, "GWN7660", true);
    a.source = net("7");
    w.cycle(snap(vec![a, dev(2, "GRP2612W", true)]));
    let mut s = snap(vec![]);
    s.sources = vec![
        report(crate::snapshot::SourceKey::GwnNetworks, true),
        report(uc(), true),
    ];
    s.networks = vec![crate::snapshot::Network {
        id: "8".into(),
        name: "Other".into(),
    }];
    let p = w.cycle(s);
    assert_eq!(p.purge.len(), 1);
    assert_eq!(p.purge[0].reason, PurgeReason::NetworkGone);
    assert_eq!(p.sources["uc_devices"].kept_empty_list, 1);
}

// Rule 6: history (more in availability tests).

#[test]
fn rule6_one_sample_per_device_and_capped_rollup() {
    let mut w = World::new();
    w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    w.now += 86_400; // cron stopped for a day
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    assert_eq!(p.samples.len(), 1);
    let total: u32 = p.rollups.iter().map(|r| r.observed_s).sum();
    assert_eq!(total, 600, "capped at 2 × refresh interval");
    assert_eq!(
        p.rollups[0].online_s, 600,
        "attributed to the status at the start"
    );
    assert_eq!(p.retention.purge_before_day, "2025-11-04");
}

// Rule 7: topology.

/// SIP state of a registered phone (what makes it a candidate for a PBX edge).
fn registered_sip() -> SipInfo {
    SipInfo {
        registered: true,
        extension: None,
        dnd: None,
        is_synchronized: None,
        sync_failure_msg: None,
        scheduled_task: None,
    }
}

#[test]
fn rule7_phone_to_pbx_edges_and_toggle() {
    let mut w = World::new();
    let mut phone = dev(1, "GRP2612W", true);
    phone.sip = Some(registered_sip());
    let mut pbx = dev(2, "UCM6304", true);
    pbx.private_ip = Some("192.168.10.2".into());
    phone.private_ip = Some("192.168.10.21".into());
    let mut ap = dev(3, "GWN7660", true);
    ap.uplink_mac = Some(mac(3));
    let p = w.cycle(snap(vec![phone.clone(), pbx.clone(), ap]));
    let e = p.topology.unwrap();
    assert_eq!(e.len(), 1, "no self loop");
    assert_eq!(
        (e[0].source_key.clone(), e[0].target_key.clone(), e[0].kind),
        (key(1), key(2), EdgeKind::SipPbx)
    );
    w.cfg.show_topology = false;
    assert!(w.cycle(snap(vec![phone, pbx])).topology.is_none());
}

#[test]
fn rule7_edges_in_device_order_uplinks_only_to_known_devices() {
    let mut w = World::new();
    let mut ap = dev(3, "GWN7660", true);
    ap.uplink_mac = Some(mac(4));
    let mut phone = dev(1, "GRP2612W", true);
    phone.sip = Some(registered_sip());
    phone.uplink_mac = Some(mac(4));
    phone.private_ip = Some("192.168.10.21".into());
    let mut lost = dev(5, "GWN7660", true);
    lost.uplink_mac = Some(mac(99));
    // The PBX is listed after the phone that registers to it.
    let mut pbx = dev(2, "UCM6304", true);
    pbx.private_ip = Some("192.168.10.2".into());
    let switch = dev(4, "GWN7813P", true);
    let p = w.cycle(snap(vec![ap, phone, lost, pbx, switch]));
    let e: Vec<_> = p
        .topology
        .unwrap()
        .into_iter()
        .map(|e| (e.source_key, e.target_key, e.kind))
        .collect();
    assert_eq!(
        e,
        vec![
            (key(3), key(4), EdgeKind::Uplink),
            (key(1), key(4), EdgeKind::Uplink),
            (key(1), key(2), EdgeKind::SipPbx),
        ]
    );
}

// Rule 8: events.

#[test]
fn rule8_events_for_each_transition() {
    let mut w = World::new();
    let mut d = dev(1, "GRP2612W", true);
    d.firmware_latest = Some("1.0.13.1".into());
    let p = w.cycle(snap(vec![d.clone()]));
    assert_eq!(
        p.events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![EventKind::FirmwareAvailable]
    );
    assert!(
        w.cycle(snap(vec![d.clone()])).events.is_empty(),
        "once per version"
    );
    d.status = crate::snapshot::CloudStatus::Offline;
    assert_eq!(
        w.cycle(snap(vec![d.clone()])).events[0].kind,
        EventKind::DeviceOffline
    );
    d.status = crate::snapshot::CloudStatus::Online;
    let p = w.cycle(snap(vec![d]));
    assert_eq!(p.events[0].kind, EventKind::DeviceOnline);
    assert_eq!(p.events[0].details["outage_s"], "300");
    let mut w = World::new();
    w.cycle(snap(vec![router(
        5,
        vec![port("1", true, true, Internet::Up)],
    )]));
    let p = w.cycle(snap(vec![router(
        5,
        vec![port("1", true, true, Internet::Down)],
    )]));
    assert_eq!(p.events[0].kind, EventKind::WanNoInternet);
    let p = w.cycle(snap(vec![router(
        5,
        vec![port("1", true, true, Internet::Up)],
    )]));
    assert_eq!(p.events[0].kind, EventKind::WanRecovered);
}

// Rule 9: dry run.

#[test]
fn rule9_summary_names_every_kind_of_change() {
    let mut w = World::new();
    w.assets = vec![asset(10, Itemtype::Phone, "x", "sn000002", "")];
    w.cycle(snap(vec![dev(3, "GRP2612W", true)]));
    let p = plan(w.input(snap(vec![
        dev(1, "GRP2612W", false),
        dev(2, "GRP2612W", true),
    ])));
    let s = summary(&p);
    for want in [
        "CREATE Phone 'Device 1'",
        "FILL Phone #10",
        "by serial",
        "OPEN [GDMS] Device Offline: Device 1",
        "PURGE c0:74:ad:00:00:03",
        "uc_devices: complete",
    ] {
        assert!(s.contains(want), "missing {want:?} in:\n{s}");
    }
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(crate::engine::summary_json(&json).unwrap(), s);
}

// Rule 10: partial updates never wipe stored fields.

#[test]
fn rule10_missing_values_keep_stored_ones() {
    let mut w = World::new();
    let mut d = dev(1, "GWN7660", true);
    d.clients = Some(12);
    d.location = Some("Lobby".into());
    w.cycle(snap(vec![d.clone()]));
    let first_seen = w.devices[0].first_seen;
    d.clients = None;
    d.location = None;
    d.firmware = None;
    d.public_ip = Some("  ".into());
    d.name = String::new();
    let p = w.cycle(snap(vec![d]));
    let s = &p.devices[0];
    assert_eq!(s.clients, Some(12));
    assert_eq!(s.location.as_deref(), Some("Lobby"));
    assert_eq!(s.firmware.as_deref(), Some("1.0.11.3"));
    assert_eq!(s.public_ip.as_deref(), Some("203.0.113.45"));
    assert_eq!(s.name, "Device 1");
    assert_eq!(s.first_seen, first_seen);
    assert_eq!(s.last_observed_at, Some(T0 + 300));
}

#[test]
fn rule5_stale_device_comes_back_fresh_and_decisions_resume() {
    let mut w = World::new();
    w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    let mut s = snap(vec![]);
    s.sources = vec![report(uc(), false)];
    let p = w.cycle(s);
    assert!(p.devices[0].is_stale && p.devices[0].engine_state.stale_since.is_some());
    assert!(
        p.devices[0].asset.is_none(),
        "stale rows leave the stored link alone"
    );
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    assert!(!p.devices[0].is_stale && p.devices[0].engine_state.stale_since.is_none());
    assert_eq!(p.incidents.open.len(), 1);
    // The roll-up after a gap is capped: the stale cycle counts at most 2 intervals.
    assert_eq!(p.rollups.iter().map(|r| r.observed_s).sum::<u32>(), 600);
}

#[test]
fn rule4_abnormal_counts_as_offline_and_orphan_records_close() {
    let mut w = World::new();
    let mut d = dev(1, "UCM6304", true);
    d.status = crate::snapshot::CloudStatus::Abnormal;
    let p = w.cycle(snap(vec![d]));
    assert_eq!(p.incidents.open[0].kind, IncidentKind::DeviceOffline);
    // A record whose device row no longer exists is closed, ticket left open.
    w.devices.clear();
    let p = w.cycle(snap(vec![dev(2, "GRP2612W", true)]));
    let r = &p.incidents.resolve[0];
    assert_eq!(
        (r.reason, r.solution.is_none(), r.followup.is_some()),
        (ResolveReason::DeviceRemoved, true, true)
    );
}

#[test]
fn rule1_rule3_duplicate_and_keyless_cloud_devices_are_skipped() {
    let mut w = World::new();
    let mut nokey = dev(3, "GRP2612W", true);
    nokey.mac = None;
    nokey.serial = Some(" ".into());
    let p = w.cycle(snap(vec![
        dev(1, "GRP2612W", true),
        dev(1, "GRP2612W", false),
        nokey,
    ]));
    let why: Vec<_> = p.skipped.iter().map(|s| s.reason).collect();
    use crate::engine::plan::SkipReason;
    assert_eq!(why, vec![SkipReason::Duplicate, SkipReason::NoKey]);
    assert_eq!(p.devices.len(), 1);
    assert!(p.devices[0].is_online(), "first listing wins");
}
