//! The cloud clients against the simulator: a full fetch, token reuse,
//! pagination, serial reuse, concurrency bound.

mod client_support;

use std::collections::BTreeMap;

use client_support::*;
use gdms_core::cloud::token::TokenSlot;
use gdms_core::cloud::FetchRequest;
use gdms_core::snapshot::{Cloud as SnapCloud, CloudStatus, FetchFailure, PortsFetch, SourceKey};
use gdms_sim::{Cloud, SimConfig};
use serde_json::json;

fn small() -> SimConfig {
    SimConfig {
        networks: 6,
        devices: 90,
        ..SimConfig::default()
    }
}

#[test]
fn full_fetch_lists_every_device_completely() {
    let sim = spawn_with(small());
    let doc = fetch(&sim, json!({}));
    assert!(all_complete(&doc), "{:#?}", doc.snapshot.sources);
    let fleet = sim.fleet();
    assert_eq!(doc.snapshot.networks.len(), 6);
    assert_eq!(gwn_network_reports(&doc).len(), 6);
    let gwn: Vec<_> = doc
        .snapshot
        .devices
        .iter()
        .filter(|d| d.cloud == SnapCloud::Gwn)
        .collect();
    let uc: Vec<_> = doc
        .snapshot
        .devices
        .iter()
        .filter(|d| d.cloud == SnapCloud::Uc)
        .collect();
    assert_eq!(gwn.len(), fleet.gwn.len());
    assert_eq!(uc.len(), fleet.uc.len());
    // Every device got its serial (list or device/info).
    assert!(doc.snapshot.devices.iter().all(|d| d.serial.is_some()));
    // Online routers carry their ports; WAN ports among them.
    for d in &gwn {
        if d.model.starts_with("GWN700") && d.status == CloudStatus::Online {
            match &d.ports {
                PortsFetch::Fetched { ports } => assert!(!ports.is_empty(), "{}", d.model),
                other => panic!("router ports {other:?}"),
            }
        }
        assert!(d.firmware_latest.is_some(), "upgrade/version read");
    }
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    assert_eq!(doc.snapshot.tokens.len(), 2);
    // The document is a snapshot to the engine.
    let text = serde_json::to_string(&doc).unwrap();
    let snap: gdms_core::snapshot::Snapshot = serde_json::from_str(&text).unwrap();
    assert_eq!(snap.devices.len(), doc.snapshot.devices.len());
}

#[test]
fn one_token_per_credential_for_a_cycle_over_many_networks_and_across_cycles() {
    let sim = spawn_with(small());
    let doc = fetch(&sim, json!({}));
    assert!(all_complete(&doc));
    let s = sim.stats();
    assert_eq!(
        s.tokens("gwn:client_credentials"),
        1,
        "{:?}",
        s.tokens_issued
    );
    assert_eq!(s.tokens("uc:password"), 1);
    assert_eq!(doc.snapshot.stats.tokens_issued, 2);
    assert!(s.requests_to("gwn:ap/list") >= 6);
    // Same process, next cycle: the cached tokens, no grant at all.
    sim.reset_stats();
    let doc2 = fetch(&sim, json!({}));
    assert!(all_complete(&doc2));
    assert_eq!(sim.stats().tokens_issued.values().sum::<u64>(), 0);
    assert_eq!(doc2.snapshot.stats.tokens_issued, 0);
}

#[test]
fn stored_tokens_serve_a_new_process() {
    let sim = spawn_with(small());
    let doc = fetch(&sim, json!({}));
    // A "new process": empty cache, tokens handed back by the shell.
    let mut req = request_json(&sim, json!({}));
    let parsed: FetchRequest = serde_json::from_value(req.clone()).unwrap();
    TokenSlot::uc(parsed.uc.as_ref().unwrap()).forget();
    TokenSlot::gwn(parsed.gwn.as_ref().unwrap()).forget();
    sim.reset_stats();
    req["tokens"] = serde_json::to_value(&doc.snapshot.tokens).unwrap();
    let doc2 = fetch_value(&req);
    assert!(all_complete(&doc2));
    assert_eq!(sim.stats().tokens_issued.values().sum::<u64>(), 0);
}

#[test]
fn expired_token_mid_cycle_recovers_with_one_renewal() {
    let sim = spawn_with(small());
    fetch(&sim, json!({}));
    // The cloud expires every token while the client still thinks them fresh.
    sim.expire_tokens(Cloud::Gwn);
    sim.expire_tokens(Cloud::Uc);
    sim.reset_stats();
    let doc = fetch(&sim, json!({}));
    assert!(all_complete(&doc), "{:#?}", doc.snapshot.sources);
    let s = sim.stats();
    assert_eq!(
        s.tokens("gwn:client_credentials"),
        1,
        "{:?}",
        s.tokens_issued
    );
    // UC renews with the refresh grant, not the password.
    assert_eq!(s.tokens("uc:refresh_token"), 1, "{:?}", s.tokens_issued);
    assert_eq!(s.tokens("uc:password"), 0);
}

#[test]
fn a_token_refused_mid_cycle_by_several_requests_is_renewed_once() {
    let sim = spawn_with(SimConfig {
        latency_ms: 20,
        ..small()
    });
    fetch(&sim, json!({}));
    sim.reset_stats();
    // Three concurrent ap/list calls are told their (same) token expired.
    sim.add_fault(
        gdms_sim::FaultRule::new("gwn:ap/list", gdms_sim::FaultKind::TokenExpired).times(3),
    );
    let doc = fetch(&sim, json!({}));
    assert!(all_complete(&doc), "{:#?}", doc.snapshot.sources);
    assert_eq!(sim.stats().tokens("gwn:client_credentials"), 1);
    assert_eq!(doc.snapshot.stats.tokens_issued, 1);
}

#[test]
fn known_serials_are_not_looked_up_again() {
    let sim = spawn_with(small());
    let first = fetch(&sim, json!({}));
    let known: BTreeMap<String, String> = first
        .snapshot
        .devices
        .iter()
        .filter_map(|d| Some((d.mac?.to_string(), d.serial.clone()?)))
        .collect();
    let fleet = sim.fleet();
    let online_routers = fleet
        .gwn
        .iter()
        .filter(|d| d.online && d.model.starts_with("GWN700"))
        .count() as u64;
    let online_switches = fleet
        .gwn
        .iter()
        .filter(|d| d.online && (d.model.starts_with("GWN78") || d.model.starts_with("GSS")))
        .count() as u64;
    sim.reset_stats();
    let mut req = request_json(&sim, json!({}));
    req["known_serials"] = serde_json::to_value(&known).unwrap();
    let doc = fetch_value(&req);
    assert!(all_complete(&doc));
    let s = sim.stats();
    // One device/info per online router (ports), none for serials.
    assert_eq!(s.requests_to("gwn:device/info"), online_routers);
    assert_eq!(s.requests_to("gwn:switch/portInfo"), online_switches);
    assert!(doc.snapshot.devices.iter().all(|d| d.serial.is_some()));
}

#[test]
fn pagination_across_many_pages_and_the_ceiling() {
    let sim = spawn_with(SimConfig {
        networks: 1,
        devices: 1_260,
        uc_devices: Some(1_250),
        ..SimConfig::default()
    });
    let doc = fetch(&sim, json!({}));
    let uc = source(&doc, &SourceKey::UcDevices);
    assert!(uc.complete, "{uc:?}");
    assert_eq!(uc.pages, 13);
    assert_eq!(uc.devices, 1_250);
    let macs: std::collections::BTreeSet<_> = doc
        .snapshot
        .devices
        .iter()
        .filter(|d| d.cloud == SnapCloud::Uc)
        .filter_map(|d| d.mac)
        .collect();
    assert_eq!(macs.len(), 1_250, "no page read twice or skipped");

    let doc = fetch(&sim, json!({"page_ceiling": 5}));
    let uc = source(&doc, &SourceKey::UcDevices);
    assert!(!uc.complete);
    assert_eq!(failure(uc), FetchFailure::PageCeiling { pages: 5 });
    assert_eq!(uc.devices, 500);
}

#[test]
fn requests_in_flight_never_exceed_the_concurrency() {
    let sim = spawn_with(SimConfig {
        networks: 12,
        devices: 200,
        latency_ms: 20,
        worker_threads: 2,
        ..SimConfig::default()
    });
    fetch(&sim, json!({"concurrency": 4}));
    let s = sim.stats();
    assert!(s.max_in_flight <= 4, "{}", s.max_in_flight);
    assert!(
        s.max_in_flight >= 2,
        "requests overlap: {}",
        s.max_in_flight
    );
}

#[test]
fn a_refused_refresh_token_falls_back_to_the_password() {
    let sim = spawn_with(small());
    fetch(&sim, json!({}));
    // Rotation revokes access and refresh tokens alike (40001 on use).
    sim.rotate_credentials(Cloud::Uc, None);
    sim.reset_stats();
    let doc = fetch(&sim, json!({}));
    assert!(source(&doc, &SourceKey::UcDevices).complete);
    let s = sim.stats();
    assert_eq!(s.tokens_refused.get("uc:refresh_token"), Some(&1));
    assert_eq!(s.tokens("uc:password"), 1);
}

#[test]
fn uc_orgs_sites_and_device_detail() {
    use gdms_core::cloud::{runtime, uc_calls};
    let sim = spawn_with(small());
    let req: FetchRequest = serde_json::from_value(request_json(&sim, json!({}))).unwrap();
    let api = gdms_core::cloud::uc_api(req.uc.as_ref().unwrap(), &req.options).unwrap();
    let mac = sim.fleet().uc[0].mac;
    let (orgs, sites, lines) = runtime::block_on(async {
        let orgs = uc_calls::org_list(&api).await.unwrap();
        let sites = uc_calls::site_list(&api, &orgs[0].id).await.unwrap();
        let lines = uc_calls::device_detail(&api, mac).await;
        (orgs, sites, lines)
    })
    .unwrap();
    assert_eq!(orgs.len(), 2);
    assert!(!sites.is_empty());
    assert!(sites
        .iter()
        .all(|s| s.org_id.as_deref() == Some(orgs[0].id.as_str())));
    assert!(lines.is_ok(), "{lines:?}");
}
