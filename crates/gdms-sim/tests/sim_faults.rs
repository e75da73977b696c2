//! Each fault happens as configured, only where it is scoped, and is counted.

mod sim_support;

use std::time::{Duration, Instant};

use gdms_sim::http_client::request;
use gdms_sim::{FaultKind, FaultRule, SimConfig};
use sim_support::*;

const AP: &str = r#"{"networkId":12345,"pageNum":1,"pageSize":100}"#;

#[test]
fn fixed_and_uniform_latency() {
    let sim = spawn();
    let token = gwn_token(&sim);
    sim.add_fault(FaultRule::new(
        "gwn:ap/list",
        FaultKind::Latency {
            min_ms: 150,
            max_ms: 150,
        },
    ));
    let t = Instant::now();
    assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP)).0, 0);
    assert!(t.elapsed() >= Duration::from_millis(150));
    // Other endpoints are not slowed.
    let t = Instant::now();
    gwn_call(&sim, &token, "network/list", "{}");
    assert!(t.elapsed() < Duration::from_millis(120));
    sim.clear_faults();
    sim.reset_stats();
    sim.add_fault(FaultRule::new(
        "*",
        FaultKind::Latency {
            min_ms: 20,
            max_ms: 120,
        },
    ));
    let mut seen = Vec::new();
    for _ in 0..12 {
        let t = Instant::now();
        gwn_call(&sim, &token, "ap/list", AP);
        seen.push(t.elapsed());
    }
    assert!(seen.iter().all(|d| *d >= Duration::from_millis(20)));
    let min = seen.iter().min().unwrap();
    let max = seen.iter().max().unwrap();
    assert!(
        *max - *min > Duration::from_millis(15),
        "uniform spread {seen:?}"
    );
    assert_eq!(sim.stats().faults_fired["latency"], 12);
}

#[test]
fn server_errors_by_count_and_by_rate() {
    let sim = spawn();
    let token = gwn_token(&sim);
    sim.add_fault(FaultRule::new("gwn:*", FaultKind::Status { status: 503 }).times(2));
    assert_eq!(gwn_call(&sim, &token, "ap/list", AP).status, 503);
    let r = gwn_call(&sim, &token, "network/list", "{}");
    assert_eq!(r.status, 503);
    assert!(r.json().is_none(), "5xx bodies are not JSON");
    assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP)).0, 0);
    // UC is out of scope.
    let uc = uc_token(&sim);
    assert_eq!(envelope(&uc_call(&sim, &uc, "device/list", "{}")).0, 0);

    sim.clear_faults();
    sim.reset_stats();
    sim.add_fault(FaultRule::new("gwn:ap/list", FaultKind::Status { status: 500 }).rate(0.3));
    let fails = (0..200)
        .filter(|_| gwn_call(&sim, &token, "ap/list", AP).status == 500)
        .count();
    assert!((35..=85).contains(&fails), "{fails}");
    let s = sim.stats();
    assert_eq!(s.outcome("gwn:ap/list", "http_500") as usize, fails);
    assert_eq!(s.requests_to("gwn:ap/list"), 200);
}

#[test]
fn hang_outlasts_the_client_timeout() {
    let sim = spawn();
    let token = gwn_token(&sim);
    sim.add_fault(FaultRule::new("gwn:device/info", FaultKind::Hang { ms: 5_000 }).times(1));
    let body = r#"{"mac":"C0:74:AD:00:00:00","networkId":12345}"#;
    let url = gwn_url(&sim, &token, "device/info", body, &now_ms());
    let t = Instant::now();
    let r = request(
        "POST",
        &url,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
        Duration::from_millis(300),
    );
    assert!(r.is_err(), "expected a timeout, got {r:?}");
    assert!(t.elapsed() < Duration::from_secs(2));
    // Other calls are served meanwhile, and the next device/info is normal again.
    assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP)).0, 0);
    assert_ne!(gwn_call(&sim, &token, "device/info", body).status, 504);
}

#[test]
fn tokens_expire_mid_cycle_for_n_calls() {
    let sim = spawn();
    let token = gwn_token(&sim);
    sim.add_fault(FaultRule::new("gwn:*", FaultKind::TokenExpired).times(2));
    assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP)).0, 40002);
    assert_eq!(
        envelope(&gwn_call(&sim, &token, "network/list", "{}")).0,
        40002
    );
    assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP)).0, 0);
}

#[test]
fn malformed_json_html_pages_and_rate_limits() {
    let sim = spawn();
    let token = gwn_token(&sim);
    sim.add_fault(FaultRule::new("gwn:ap/list", FaultKind::MalformedJson).times(1));
    let r = gwn_call(&sim, &token, "ap/list", AP);
    assert_eq!(r.status, 200);
    assert!(r.json().is_none());
    assert!(r.body_text().starts_with("{\""));

    sim.add_fault(FaultRule::new("gwn:ap/list", FaultKind::Html { status: 502 }).times(1));
    let r = gwn_call(&sim, &token, "ap/list", AP);
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body_text().starts_with("<!DOCTYPE html>"));

    sim.add_fault(
        FaultRule::new("gwn:ap/list", FaultKind::RateLimit { retry_after_s: 2 }).times(1),
    );
    let r = gwn_call(&sim, &token, "ap/list", AP);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP)).0, 0);
    let f = sim.stats().faults_fired;
    assert_eq!((f["malformed_json"], f["html"], f["rate_limit"]), (1, 1, 1));
}

#[test]
fn truncated_pagination_a_page_short_or_failing() {
    let sim = spawn_with(SimConfig {
        devices: 250,
        uc_devices: Some(250),
        ..SimConfig::default()
    });
    let token = uc_token(&sim);
    let page = |n: u32| {
        uc_call(
            &sim,
            &token,
            "device/list",
            &format!(r#"{{"pageNum":{n},"pageSize":100}}"#),
        )
    };
    sim.add_fault(FaultRule::new("uc:device/list", FaultKind::ShortPage).on_page(2));
    assert_eq!(rows(&envelope(&page(1)).1).len(), 100);
    let (code, data) = envelope(&page(2));
    assert_eq!(code, 0);
    assert_eq!(
        rows(&data).len(),
        50,
        "short page while totalPage still says 3"
    );
    assert_eq!(data["totalPage"], 3);
    sim.clear_faults();
    sim.add_fault(FaultRule::new("uc:device/list", FaultKind::Status { status: 502 }).on_page(3));
    assert_eq!(envelope(&page(2)).0, 0);
    assert_eq!(page(3).status, 502);
}

#[test]
fn token_endpoints_can_fail_too() {
    let sim = spawn();
    sim.add_fault(FaultRule::new("uc:token", FaultKind::Status { status: 500 }).times(1));
    assert_eq!(uc_token_response(&sim).status, 500);
    assert_eq!(uc_token_response(&sim).status, 200);
    assert_eq!(sim.stats().tokens("uc:password"), 1);
}

#[test]
fn faults_through_the_admin_api() {
    let sim = spawn();
    let token = gwn_token(&sim);
    let r = post_json(
        &format!("{}/faults", sim.admin_uri()),
        r#"{"endpoint":"gwn:ap/list","kind":"status","status":504,"count":1}"#,
    );
    assert_eq!(r.status, 200);
    let id = json(&r)["id"].as_u64().unwrap();
    let listed = json(&get(&format!("{}/faults", sim.admin_uri())));
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["rule"]["kind"], "status");
    assert_eq!(gwn_call(&sim, &token, "ap/list", AP).status, 504);
    let r = request(
        "DELETE",
        &format!("{}/faults/{id}", sim.admin_uri()),
        &[],
        b"",
        TIMEOUT,
    )
    .unwrap();
    assert_eq!(json(&r)["removed"], true);
    assert_eq!(
        post_json(
            &format!("{}/faults", sim.admin_uri()),
            r#"{"kind":"bogus"}"#
        )
        .status,
        400
    );
}

#[test]
fn optional_per_token_rate_limit() {
    let sim = spawn_with(SimConfig {
        rate_limit_per_s: Some(5),
        ..SimConfig::default()
    });
    let token = gwn_token(&sim);
    // Stay inside one wall-clock second as far as possible.
    while now_ms().parse::<i64>().unwrap() % 1000 > 500 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let statuses: Vec<u16> = (0..8)
        .map(|_| gwn_call(&sim, &token, "ap/list", AP).status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        3,
        "{statuses:?}"
    );
    let r = gwn_call(&sim, &token, "ap/list", AP);
    if r.status == 429 {
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(gwn_call(&sim, &token, "ap/list", AP).status, 200);
}
