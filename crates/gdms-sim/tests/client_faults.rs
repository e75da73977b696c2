//! Every fault the simulator injects ends as an incomplete source with a
//! reason an administrator can act on, and never as a panic.

mod client_support;

use client_support::*;
use gdms_core::snapshot::{FetchFailure, PortsFetch, SourceKey};
use gdms_sim::{FaultKind, FaultRule, SimConfig};
use serde_json::{json, Value};

fn sim() -> gdms_sim::SimHandle {
    spawn_with(SimConfig {
        networks: 4,
        devices: 290,
        uc_devices: Some(250),
        ..SimConfig::default()
    })
}

/// Quick retries so faulty runs stay short.
fn quick(extra: Value) -> Value {
    let mut o = json!({"backoff_ms": 10, "retry_after_cap_ms": 1500, "timeout_ms": 2000});
    if let (Some(o), Some(e)) = (o.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    o
}

#[test]
fn latency_only_slows_down() {
    let sim = sim();
    sim.add_fault(FaultRule::new(
        "*",
        FaultKind::Latency {
            min_ms: 10,
            max_ms: 40,
        },
    ));
    let doc = fetch(&sim, quick(json!({})));
    assert!(all_complete(&doc), "{:#?}", doc.snapshot.sources);
}

#[test]
fn timeouts_make_each_network_incomplete() {
    let sim = sim();
    sim.add_fault(FaultRule::new("gwn:ap/list", FaultKind::Hang { ms: 3_000 }));
    let doc = fetch(&sim, quick(json!({"timeout_ms": 300, "max_attempts": 2})));
    let nets = gwn_network_reports(&doc);
    assert_eq!(nets.len(), 4);
    for r in nets {
        assert!(!r.complete);
        assert_eq!(failure(r), FetchFailure::Timeout);
        assert_eq!(r.page, Some(1));
        assert_eq!(r.endpoint.as_deref(), Some("/oapi/v1.0.0/ap/list"));
    }
    assert!(source(&doc, &SourceKey::UcDevices).complete);
    assert_eq!(doc.snapshot.stats.retries, 4, "one retry per network");
}

#[test]
fn server_errors_are_retried_then_reported_with_status_and_page() {
    let sim = sim();
    sim.add_fault(FaultRule::new("uc:device/list", FaultKind::Status { status: 503 }).on_page(2));
    let doc = fetch(&sim, quick(json!({})));
    let uc = source(&doc, &SourceKey::UcDevices);
    assert!(!uc.complete);
    assert_eq!(failure(uc), FetchFailure::Http { status: 503 });
    assert_eq!(uc.page, Some(2));
    assert_eq!(
        sim.stats().outcome("uc:device/list", "http_503"),
        3,
        "3 attempts"
    );

    // A passing 502 is absorbed by one retry.
    sim.clear_faults();
    sim.add_fault(FaultRule::new("gwn:network/list", FaultKind::Status { status: 502 }).times(1));
    let doc = fetch(&sim, quick(json!({})));
    assert!(all_complete(&doc));
    assert_eq!(doc.snapshot.stats.retries, 1);
}

#[test]
fn rate_limits_honour_retry_after() {
    let sim = sim();
    sim.add_fault(
        FaultRule::new(
            "gwn:network/list",
            FaultKind::RateLimit { retry_after_s: 1 },
        )
        .times(1),
    );
    let doc = fetch(&sim, quick(json!({})));
    assert!(all_complete(&doc));
    assert!(
        doc.snapshot.stats.duration_ms >= 1_000,
        "{}",
        doc.snapshot.stats.duration_ms
    );

    // Throttled for good: incomplete, 429, and the wait is capped.
    sim.clear_faults();
    sim.add_fault(FaultRule::new(
        "gwn:network/list",
        FaultKind::RateLimit { retry_after_s: 30 },
    ));
    let doc = fetch(&sim, quick(json!({"retry_after_cap_ms": 100})));
    let r = source(&doc, &SourceKey::GwnNetworks);
    assert_eq!(failure(r), FetchFailure::Http { status: 429 });
    assert!(doc.snapshot.stats.duration_ms < 5_000);
}

#[test]
fn a_token_refused_for_good_is_token_rejected_and_grants_stay_bounded() {
    let sim = sim();
    sim.add_fault(FaultRule::new("gwn:ap/list", FaultKind::TokenExpired));
    let doc = fetch(&sim, quick(json!({})));
    for r in gwn_network_reports(&doc) {
        assert!(
            matches!(failure(r), FetchFailure::TokenRejected { .. }),
            "{r:?}"
        );
    }
    assert!(source(&doc, &SourceKey::GwnNetworks).complete);
    // One initial grant plus at most two renewals, whatever the network count.
    assert!(sim.stats().tokens("gwn:client_credentials") <= 3);
}

#[test]
fn malformed_json_is_malformed() {
    let sim = sim();
    sim.add_fault(FaultRule::new("uc:device/list", FaultKind::MalformedJson));
    let doc = fetch(&sim, quick(json!({})));
    let uc = source(&doc, &SourceKey::UcDevices);
    match failure(uc) {
        FetchFailure::Malformed { detail } => assert!(detail.contains("invalid JSON"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_truncated_page_is_not_a_natural_end() {
    let sim = sim();
    sim.add_fault(FaultRule::new("uc:device/list", FaultKind::ShortPage).on_page(1));
    let doc = fetch(&sim, quick(json!({})));
    let uc = source(&doc, &SourceKey::UcDevices);
    assert!(!uc.complete);
    match failure(uc) {
        FetchFailure::Malformed { detail } => assert!(detail.contains("cut"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn html_error_pages_are_named() {
    let sim = sim();
    sim.add_fault(FaultRule::new(
        "gwn:network/list",
        FaultKind::Html { status: 502 },
    ));
    sim.add_fault(FaultRule::new(
        "uc:device/list",
        FaultKind::Html { status: 200 },
    ));
    let doc = fetch(&sim, quick(json!({})));
    let n = source(&doc, &SourceKey::GwnNetworks);
    assert_eq!(failure(n), FetchFailure::Http { status: 502 });
    assert!(gwn_network_reports(&doc).is_empty());
    match failure(source(&doc, &SourceKey::UcDevices)) {
        FetchFailure::Malformed { detail } => assert!(detail.contains("HTML"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn per_device_failures_keep_listings_complete() {
    let sim = sim();
    sim.add_fault(FaultRule::new(
        "gwn:device/info",
        FaultKind::Status { status: 500 },
    ));
    let doc = fetch(&sim, quick(json!({"max_attempts": 1})));
    assert!(gwn_network_reports(&doc).iter().all(|r| r.complete));
    assert!(!doc.problems.is_empty());
    let failed_routers = doc
        .snapshot
        .devices
        .iter()
        .filter(|d| matches!(d.ports, PortsFetch::Failed { .. }))
        .count();
    assert!(failed_routers > 0);
}

#[test]
fn wrong_credentials_are_token_rejected_on_every_source() {
    let sim = sim();
    let mut req = request_json(&sim, quick(json!({})));
    req["uc"]["password"] = json!("wrong");
    req["gwn"]["secret_key"] = json!("wrong");
    let doc = fetch_value(&req);
    for key in [SourceKey::UcDevices, SourceKey::GwnNetworks] {
        match failure(source(&doc, &key)) {
            FetchFailure::TokenRejected { detail } => assert!(!detail.contains("wrong")),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_dead_host_is_a_connect_failure() {
    let sim = sim();
    let mut req = request_json(&sim, quick(json!({"max_attempts": 1})));
    // A port nothing listens on.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    req["gwn"]["base_url"] = json!(url);
    let doc = fetch_value(&req);
    assert!(matches!(
        failure(source(&doc, &SourceKey::GwnNetworks)),
        FetchFailure::Connect { .. }
    ));
    assert!(source(&doc, &SourceKey::UcDevices).complete);
}
