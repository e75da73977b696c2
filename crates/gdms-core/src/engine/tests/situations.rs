//! The seed's situation table: online, offline, back online, removed from cloud.

use super::fixtures::*;
use crate::engine::incidents::{IncidentKind, ResolveReason};
use crate::engine::matching::MatchReason;
use crate::engine::plan::PurgeReason;
use crate::engine::text::MsgId;

#[test]
fn situation_online_device_is_linked_and_sampled_without_incident() {
    let mut w = World::new();
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.assets.create.len(), 1);
    assert_eq!(p.matches[0].reason, MatchReason::Created);
    assert!(p.incidents.open.is_empty() && p.incidents.resolve.is_empty());
    assert_eq!(p.samples.len(), 1);
    assert!(p.samples[0].is_online);
    assert!(p.events.is_empty(), "first seen online is not a transition");
}

#[test]
fn situation_offline_opens_an_incident_on_the_first_cycle() {
    let mut w = World::new();
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    assert_eq!(p.incidents.open.len(), 1);
    let o = &p.incidents.open[0];
    assert_eq!(o.kind, IncidentKind::DeviceOffline);
    assert_eq!(o.ticket.title.english(), "[GDMS] Device Offline: Device 1");
    // Online → offline on an existing row too.
    let mut w = World::new();
    w.cycle(snap(vec![dev(2, "GRP2612W", true)]));
    let p = w.cycle(snap(vec![dev(2, "GRP2612W", false)]));
    assert_eq!(p.incidents.open.len(), 1);
    // Still offline: nothing new.
    let p = w.cycle(snap(vec![dev(2, "GRP2612W", false)]));
    assert!(p.incidents.open.is_empty());
}

#[test]
fn situation_back_online_resolves_with_outage_duration() {
    let mut w = World::new();
    w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    w.cycle(snap(vec![dev(1, "GRP2612W", false)]));
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.incidents.resolve.len(), 1);
    let r = &p.incidents.resolve[0];
    assert_eq!(r.reason, ResolveReason::DeviceOnline);
    assert_eq!(r.duration_s, 600);
    let f = r.followup.as_ref().unwrap();
    assert_eq!(f.id, MsgId::FollowupDeviceOnline);
    assert_eq!(f.params["duration"], "0d 0h 10m");
    assert!(r.solution.is_some());
    assert!(w.incidents.is_empty());
}

#[test]
fn situation_removed_from_cloud_is_purged_without_ticket_asset_kept() {
    let mut w = World::new();
    w.cycle(snap(vec![
        dev(1, "GRP2612W", true),
        dev(2, "GRP2612W", true),
    ]));
    let assets_before = w.assets.clone();
    let p = w.cycle(snap(vec![dev(1, "GRP2612W", true)]));
    assert_eq!(p.purge.len(), 1);
    assert_eq!(p.purge[0].device_key, key(2));
    assert_eq!(p.purge[0].reason, PurgeReason::NotListed);
    assert!(p.incidents.open.is_empty());
    assert!(p.assets.create.is_empty() && p.assets.fill.is_empty());
    assert_eq!(w.assets, assets_before);
    assert!(w.device(&key(2)).is_none());
}
