//! Connection tests, firmware upgrades and firmware pages against the simulator,
//! through the JSON functions the PHP extension calls.

mod client_support;

use client_support::*;
use gdms_core::cloud;
use gdms_sim::{FaultKind, FaultRule, SimConfig};
use serde_json::{json, Value};

fn call(f: fn(&str) -> Result<String, cloud::CloudError>, req: &Value) -> Value {
    serde_json::from_str(&f(&req.to_string()).expect("valid request")).expect("JSON answer")
}

#[test]
fn connection_test_says_what_failed() {
    let sim = spawn_with(SimConfig::default());
    let ok = call(cloud::test_connection_json, &request_json(&sim, json!({})));
    assert_eq!(ok["uc"]["status"], "ok", "{ok}");
    assert_eq!(ok["gwn"]["status"], "ok", "{ok}");

    let mut bad = request_json(&sim, json!({}));
    bad["uc"]["password"] = json!("nope");
    bad["gwn"] = Value::Null;
    let r = call(cloud::test_connection_json, &bad);
    assert_eq!(r["uc"]["status"], "token_rejected");
    assert_eq!(r["uc"]["step"], "token");
    assert_eq!(r["gwn"]["status"], "not_configured");

    let mut dead = request_json(&sim, json!({"connect_timeout_ms": 500}));
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    dead["gwn"]["base_url"] = json!(format!("http://{}", l.local_addr().unwrap()));
    drop(l);
    dead["uc"]["base_url"] = json!("http://no-such-host.invalid");
    let r = call(cloud::test_connection_json, &dead);
    assert_eq!(r["gwn"]["status"], "connect", "{r}");
    assert_eq!(r["uc"]["status"], "dns", "{r}");
}

#[test]
fn connection_test_names_clock_skew_and_survives_a_credential_rotation() {
    let sim = spawn_with(SimConfig {
        timestamp_window_ms: -1,
        ..SimConfig::default()
    });
    let r = call(cloud::test_connection_json, &request_json(&sim, json!({})));
    assert_eq!(r["uc"]["status"], "clock_skew", "{r}");
    assert_eq!(r["gwn"]["status"], "clock_skew");
    assert!(r["uc"]["message"].as_str().unwrap().contains("clock"));

    let sim = spawn_with(SimConfig::default());
    // The token grant still works; the business call's signature does not.
    sim.rotate_credentials(gdms_sim::Cloud::Gwn, None);
    let r = call(cloud::test_connection_json, &request_json(&sim, json!({})));
    assert_eq!(
        r["gwn"]["status"], "ok",
        "a fresh token after rotation: {r}"
    );
}

#[test]
fn gwn_upgrade_is_sent_once_with_compact_macs() {
    let sim = spawn_with(SimConfig::default());
    let mac = sim.fleet().gwn[0].mac.to_string();
    let mut req = request_json(&sim, json!({}));
    req["cloud"] = json!("gwn");
    req["macs"] = json!([mac]);
    req["time_ms"] = json!(1_767_312_000_000_i64);
    let r = call(cloud::firmware_upgrade_json, &req);
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["accepted_macs"][0], mac.as_str());
    let rec = sim.recorded();
    assert_eq!(rec.len(), 1);
    assert_eq!(
        rec[0].json["macs"][0],
        mac.replace(':', "").to_uppercase().as_str()
    );
    assert_eq!(rec[0].json["time"], 1_767_312_000_000_i64);

    // A 503 is not retried: the cloud may have acted.
    sim.reset_stats();
    sim.add_fault(FaultRule::new(
        "gwn:upgrade/add",
        FaultKind::Status { status: 503 },
    ));
    let r = call(cloud::firmware_upgrade_json, &req);
    assert_eq!(r["ok"], false);
    assert_eq!(r["failure"]["kind"], "http");
    assert_eq!(sim.stats().requests_to("gwn:upgrade/add"), 1);
}

#[test]
fn uc_upgrade_is_a_type_3_task() {
    let sim = spawn_with(SimConfig::default());
    let mac = sim.fleet().uc[0].mac.to_string();
    let mut req = request_json(&sim, json!({}));
    req["cloud"] = json!("uc");
    req["macs"] = json!([mac]);
    req["version"] = json!("1.0.11.3");
    let r = call(cloud::firmware_upgrade_json, &req);
    assert_eq!(r["ok"], true, "{r}");
    assert!(r["task_id"].is_string());
    let rec = sim.recorded();
    assert_eq!(rec[0].endpoint, "uc:task/add");
    assert_eq!(rec[0].json["taskType"], 3);
    assert_eq!(rec[0].json["macList"][0], mac.to_uppercase().as_str());

    let mut bad = req.clone();
    bad["macs"] = json!(["not-a-mac"]);
    assert!(cloud::firmware_upgrade_json(&bad.to_string()).is_err());
}

#[test]
fn firmware_pages_give_each_model_its_own_version() {
    let sim = spawn_with(SimConfig::default());
    sim.publish_firmware("UCM6304", "1.0.29.5").unwrap();
    let mut req = request_json(&sim, json!({}));
    req["gwn"] = Value::Null;
    req["firmware_models"] = json!(["UCM6304", "UCM6302A", "GRP2612W", "UCM6304"]);
    let doc = call(cloud::fetch_json, &req);
    let offers = doc["firmware"].as_array().unwrap();
    assert_eq!(offers.len(), 3);
    let by = |m: &str| offers.iter().find(|o| o["model"] == m).unwrap().clone();
    assert_eq!(by("UCM6304")["version"], "1.0.29.5");
    assert_eq!(
        by("UCM6304")["download_url"],
        "https://firmware.grandstream.com/ucm6300fw.bin"
    );
    let a = by("UCM6302A");
    assert!(a["version"].is_string());
    assert_ne!(a["version"], "1.0.29.5", "the A family has its own row");
    assert_eq!(by("GRP2612W")["version"], Value::Null);
    assert_eq!(
        sim.stats().requests_to("firmware:page"),
        1,
        "one page per slug"
    );
}

#[test]
fn beta_pages_are_read_only_when_asked_and_a_missing_one_is_no_problem() {
    let sim = spawn_with(SimConfig::default());
    sim.publish_firmware_with_beta("UCM6304", "1.0.29.5", Some("1.0.31.2"))
        .unwrap();
    let mut req = request_json(&sim, json!({}));
    req["gwn"] = Value::Null;
    req["firmware_models"] = json!(["UCM6304", "UCM6510", "GRP2612W"]);

    let doc = call(cloud::fetch_json, &req);
    let offers = doc["firmware"].as_array().unwrap();
    assert!(
        offers.iter().all(|o| o["channel"] == "official"),
        "no beta unless asked: {offers:?}"
    );
    assert_eq!(sim.stats().requests_to("firmware:page"), 2);

    req["options"]["firmware_beta"] = json!(true);
    let doc = call(cloud::fetch_json, &req);
    let offers = doc["firmware"].as_array().unwrap();
    let find = |m: &str, c: &str| {
        offers
            .iter()
            .find(|o| o["model"] == m && o["channel"] == c)
            .cloned()
    };
    let beta = find("UCM6304", "beta").expect("the UCM6300 family is in beta");
    assert_eq!(beta["version"], "1.0.31.2");
    assert_eq!(
        beta["download_url"], "https://firmware.grandstream.com/ucm6300fw1.0.31.2.bin",
        "a beta keeps its versioned file: the fw.bin alias serves the official release"
    );
    assert_eq!(find("UCM6304", "official").unwrap()["version"], "1.0.29.5");
    // UCM6510 has no beta page (404) and GRP2612W is a CDN model: no beta offer, no problem.
    assert!(find("UCM6510", "beta").is_none());
    assert!(find("GRP2612W", "beta").is_none());
    assert_eq!(doc["problems"], json!([]), "{doc}");
}

#[test]
fn uc_pbx_firmware_is_looked_up_once_per_page_when_asked() {
    let sim = spawn_with(SimConfig {
        devices: 200,
        uc_devices: Some(150),
        ..SimConfig::default()
    });
    let mut req = request_json(&sim, json!({"uc_firmware": true}));
    req["gwn"] = Value::Null;
    let doc = call(cloud::fetch_json, &req);
    let pbx: Vec<&Value> = doc["devices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["model"].as_str().unwrap().starts_with("UCM63"))
        .collect();
    assert!(!pbx.is_empty(), "the fleet has UCM63xx PBXs");
    assert!(
        pbx.iter().all(|d| d["firmware_latest"].is_string()),
        "{pbx:?}"
    );
    let pages = sim.stats().requests_to("firmware:page");
    let slugs: std::collections::BTreeSet<_> = doc["devices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| cloud::firmware::slug_for(d["model"].as_str().unwrap()))
        .collect();
    assert_eq!(pages, slugs.len() as u64);
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_failure() {
    let sim = spawn_with(SimConfig::default());
    let mut req = request_json(&sim, json!({}));
    req["gwn"]["base_url"] = json!(sim.uri().replace("http://", "https://"));
    req["uc"] = Value::Null;
    let r = call(cloud::test_connection_json, &req);
    assert_eq!(r["gwn"]["status"], "tls", "{r}");
}
