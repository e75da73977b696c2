//! Each scenario control changes what the cloud APIs answer.

mod sim_support;

use gdms_sim::fleet::{GwnDevice, GwnKind};
use gdms_sim::{Scenario, SimConfig, SimHandle};
use serde_json::Value;
use sim_support::*;

fn ap_row(sim: &SimHandle, token: &str, d: &GwnDevice) -> Option<Value> {
    gwn_all(sim, token, "ap/list", d.network_id, 100)
        .into_iter()
        .find(|r| r["mac"] == d.mac.to_colon_upper())
}

fn router_ports(sim: &SimHandle, token: &str, d: &GwnDevice) -> Vec<Value> {
    let body = format!(
        r#"{{"mac":"{}","networkId":{}}}"#,
        d.mac.to_compact_upper(),
        d.network_id
    );
    let (code, data) = envelope(&gwn_call(sim, token, "device/info", &body));
    assert_eq!(code, 0);
    data["portInfo"].as_array().cloned().unwrap_or_default()
}

fn port(ports: &[Value], id: u32) -> Value {
    ports.iter().find(|p| p["portId"] == id).cloned().unwrap()
}

fn healthy_router(sim: &SimHandle) -> GwnDevice {
    sim.fleet()
        .gwn
        .into_iter()
        .find(|d| {
            d.kind == GwnKind::Router
                && d.online
                && d.router_ports.iter().filter(|p| p.wan && p.link).count() == 2
        })
        .expect("a router with both WANs up")
}

fn sim() -> SimHandle {
    spawn_with(SimConfig {
        networks: 6,
        devices: 80,
        ..SimConfig::default()
    })
}

#[test]
fn device_offline_and_back_online() {
    let sim = sim();
    let token = gwn_token(&sim);
    let ap = sim
        .fleet()
        .gwn
        .into_iter()
        .find(|d| d.kind == GwnKind::Ap && d.online && !d.clients.is_empty())
        .unwrap();
    assert_eq!(ap_row(&sim, &token, &ap).unwrap()["status"], 1);
    sim.set_online(&ap.mac.to_compact_upper(), false).unwrap();
    let row = ap_row(&sim, &token, &ap).unwrap();
    assert_eq!(row["status"], 0);
    assert!(row.get("clients").is_none());
    // Its clients are gone from client/list, and an offline alert appeared.
    let clients = gwn_all(&sim, &token, "client/list", ap.network_id, 200);
    assert!(clients
        .iter()
        .all(|c| c["apMac"] != ap.mac.to_colon_upper()));
    let alerts = rows(
        &envelope(&gwn_call(
            &sim,
            &token,
            "alert/list",
            &format!(
                r#"{{"networkId":{},"pageNum":1,"pageSize":50}}"#,
                ap.network_id
            ),
        ))
        .1,
    );
    assert_eq!(alerts[0]["basicDataKey"], "offline");
    assert_eq!(alerts[0]["detailMap"]["detail"], ap.mac.to_colon_upper());
    sim.set_online(&ap.mac.to_string(), true).unwrap();
    assert_eq!(ap_row(&sim, &token, &ap).unwrap()["status"], 1);

    // UC devices too.
    let uc = uc_token(&sim);
    let phone = sim.fleet().uc.into_iter().find(|d| d.status == 1).unwrap();
    sim.set_online(&phone.mac.to_colon_upper(), false).unwrap();
    let row = rows(
        &envelope(&uc_call(
            &sim,
            &uc,
            "device/list",
            r#"{"pageNum":1,"pageSize":200}"#,
        ))
        .1,
    )
    .into_iter()
    .find(|r| r["mac"] == phone.mac.to_colon_upper())
    .unwrap();
    assert_eq!(row["status"], 0);
    assert!(sim.set_online("02:00:00:00:00:09", false).is_err());
    assert!(sim.set_online("not-a-mac", false).is_err());
}

#[test]
fn wan_link_down_no_internet_and_failover() {
    let sim = sim();
    let token = gwn_token(&sim);
    let r = healthy_router(&sim);
    let mac = r.mac.to_colon_upper();

    sim.set_port_link(&mac, 1, false).unwrap();
    let p = port(&router_ports(&sim, &token, &r), 1);
    assert_eq!(
        (
            p["linkStatus"].as_i64(),
            p["portSpeed"].as_i64(),
            p["ipv4Info"]["connectStatus"].as_i64()
        ),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(p["ipv4Info"]["ip4Address"], "");
    sim.set_port_link(&mac, 1, true).unwrap();
    let p = port(&router_ports(&sim, &token, &r), 1);
    assert_eq!(
        (
            p["linkStatus"].as_i64(),
            p["ipv4Info"]["connectStatus"].as_i64()
        ),
        (Some(1), Some(1))
    );

    sim.set_port_internet(&mac, 2, false).unwrap();
    let p = port(&router_ports(&sim, &token, &r), 2);
    assert_eq!(
        (
            p["linkStatus"].as_i64(),
            p["ipv4Info"]["connectStatus"].as_i64()
        ),
        (Some(1), Some(0))
    );
    sim.set_port_internet(&mac, 2, true).unwrap();
    // LAN ports have no internet state.
    assert!(sim.set_port_internet(&mac, 3, false).is_err());
    assert!(sim.set_port_link(&mac, 99, false).is_err());

    sim.failover(&mac).unwrap();
    let ports = router_ports(&sim, &token, &r);
    assert_eq!(port(&ports, 1)["linkStatus"], 0);
    assert_eq!(port(&ports, 2)["linkStatus"], 1);
    assert_eq!(port(&ports, 2)["ipv4Info"]["connectStatus"], 1);
    // The router-level summary follows.
    let body = format!(
        r#"{{"mac":"{}","networkId":{}}}"#,
        r.mac.to_compact_upper(),
        r.network_id
    );
    let summary = envelope(&gwn_call(&sim, &token, "device/info", &body)).1["ipv4Info"].clone();
    assert_eq!(summary[0]["connectStatus"], 0);
    assert_eq!(summary[1]["connectStatus"], 1);
    // WAN events leave "wan" alerts.
    let alerts = rows(
        &envelope(&gwn_call(
            &sim,
            &token,
            "alert/list",
            &format!(
                r#"{{"networkId":{},"pageNum":1,"pageSize":50}}"#,
                r.network_id
            ),
        ))
        .1,
    );
    assert!(alerts.iter().filter(|a| a["basicDataKey"] == "wan").count() >= 4);

    // Switch ports too.
    let sw = sim
        .fleet()
        .gwn
        .into_iter()
        .find(|d| d.kind == GwnKind::Switch && d.online)
        .unwrap();
    sim.set_port_link(&sw.mac.to_string(), 1, false).unwrap();
    let body = format!(
        r#"{{"mac":"{}","networkId":{}}}"#,
        sw.mac.to_compact_upper(),
        sw.network_id
    );
    let p1 = rows(&envelope(&gwn_call(&sim, &token, "switch/portInfo", &body)).1)[0].clone();
    assert_eq!(p1["linkStatus"], 0);
}

#[test]
fn offline_router_reports_ports_down() {
    let sim = sim();
    let token = gwn_token(&sim);
    let r = healthy_router(&sim);
    sim.set_online(&r.mac.to_string(), false).unwrap();
    assert!(router_ports(&sim, &token, &r)
        .iter()
        .all(|p| p["linkStatus"] == 0));
}

#[test]
fn remove_restore_and_add_devices() {
    let sim = sim();
    let token = gwn_token(&sim);
    let ap = sim
        .fleet()
        .gwn
        .into_iter()
        .find(|d| d.kind == GwnKind::Ap)
        .unwrap();
    let before = gwn_all(&sim, &token, "ap/list", ap.network_id, 100).len();
    sim.remove_device(&ap.mac.to_string()).unwrap();
    assert!(ap_row(&sim, &token, &ap).is_none());
    assert_eq!(
        gwn_all(&sim, &token, "ap/list", ap.network_id, 100).len(),
        before - 1
    );
    let body = format!(r#"{{"mac":"{}","networkId":{}}}"#, ap.mac, ap.network_id);
    assert_eq!(
        envelope(&gwn_call(&sim, &token, "device/info", &body)).0,
        50004
    );
    sim.restore_device(&ap.mac.to_string()).unwrap();
    assert!(ap_row(&sim, &token, &ap).is_some());
    assert!(sim.restore_device(&ap.mac.to_string()).is_err());

    let mac = sim.add_device("switch", Some(ap.network_id)).unwrap();
    let rows_now = gwn_all(&sim, &token, "ap/list", ap.network_id, 100);
    assert_eq!(rows_now.len(), before + 1);
    let new = rows_now
        .iter()
        .find(|r| r["mac"] == mac.to_uppercase())
        .unwrap();
    assert!(new["apType"].as_str().unwrap().starts_with("GWN78"));
    assert!(sim.add_device("toaster", None).is_err());
    assert!(sim.add_device("ap", Some(1)).is_err());

    let uc = uc_token(&sim);
    let pbx = sim.add_device("pbx", None).unwrap();
    let all = rows(
        &envelope(&uc_call(
            &sim,
            &uc,
            "device/list",
            r#"{"pageNum":1,"pageSize":200}"#,
        ))
        .1,
    );
    assert!(all.iter().any(|r| r["mac"] == pbx.to_uppercase()));
}

#[test]
fn new_firmware_shows_in_upgrade_version_and_pages() {
    let sim = sim();
    let token = gwn_token(&sim);
    let d = sim.fleet().gwn[0].clone();
    sim.publish_firmware(&d.model, "1.0.99.1").unwrap();
    let rows_ = rows(
        &envelope(&gwn_call(
            &sim,
            &token,
            "upgrade/version",
            &format!(r#"{{"networkId":{}}}"#, d.network_id),
        ))
        .1,
    );
    let mine: Vec<&Value> = rows_
        .iter()
        .filter(|r| r["mac"] == d.mac.to_colon_upper())
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["lastVersion"], "1.0.99.1");
    assert_eq!(mine[0]["currentVersion"], d.firmware.as_str());

    sim.publish_firmware("UCM6304", "1.0.31.2").unwrap();
    let page = get(&format!(
        "{}/support/firmware/ucm6300-official-firmware",
        sim.firmware_uri()
    ));
    assert!(page
        .body_text()
        .contains("<td class=\"fw-version\">1.0.31.2</td>"));
    assert!(sim.publish_firmware("X", " ").is_err());
}

#[test]
fn scenarios_through_the_same_enum() {
    let sim = sim();
    let r = healthy_router(&sim);
    let v = sim
        .apply(Scenario::Failover {
            mac: r.mac.to_string(),
        })
        .unwrap();
    assert_eq!(v["down"], 1);
    assert_eq!(v["active"], 2);
    let s: Scenario =
        serde_json::from_str(r#"{"op":"port_link","mac":"C074ADAA0001","port":1,"up":false}"#)
            .unwrap();
    assert_eq!(
        s,
        Scenario::PortLink {
            mac: "C074ADAA0001".into(),
            port: 1,
            up: false
        }
    );
}

#[test]
fn chaos_mode_applies_events_in_the_background() {
    let sim = spawn_with(SimConfig {
        networks: 3,
        devices: 40,
        chaos_interval_ms: Some(20),
        ..SimConfig::default()
    });
    for _ in 0..100 {
        if sim.stats().chaos_events >= 3 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(sim.stats().chaos_events >= 3);
}
