//! Every business endpoint answers with the spec's shapes (§5, §6), pages the
//! way the plugin's "short page = end" rule needs (§10.13), and refuses bad
//! parameters with the cloud's codes.

mod sim_support;

use gdms_core::Mac;
use gdms_sim::fleet::GwnKind;
use gdms_sim::SimConfig;
use serde_json::{json, Value};
use sim_support::*;

fn big() -> gdms_sim::SimHandle {
    spawn_with(SimConfig {
        networks: 2,
        devices: 500,
        uc_devices: Some(250),
        ..SimConfig::default()
    })
}

#[test]
fn uc_device_list_pages_full_short_and_empty() {
    let sim = big();
    let token = uc_token(&sim);
    let page = |n: usize, size: usize| {
        let (code, data) = envelope(&uc_call(
            &sim,
            &token,
            "device/list",
            &format!(r#"{{"pageNum":{n},"pageSize":{size}}}"#),
        ));
        assert_eq!(code, 0);
        data
    };
    let p1 = page(1, 100);
    assert_eq!(rows(&p1).len(), 100);
    assert_eq!(p1["total"], 250);
    assert_eq!(p1["totalPage"], 3);
    assert_eq!(rows(&page(2, 100)).len(), 100);
    assert_eq!(rows(&page(3, 100)).len(), 50);
    assert_eq!(rows(&page(4, 100)).len(), 0);
    // Exactly divisible: the last full page is followed by an empty one.
    assert_eq!(rows(&page(5, 50)).len(), 50);
    assert_eq!(rows(&page(6, 50)).len(), 0);
    // Oversized pages are clamped to the maximum.
    assert_eq!(rows(&page(1, 1000)).len(), 200);
    // Every row has the fields the plugin reads.
    let row = &rows(&p1)[0];
    for k in [
        "mac",
        "sn",
        "deviceName",
        "deviceType",
        "status",
        "publicIp",
        "privateIp",
        "firmwareVersion",
        "siteName",
        "lastTime",
        "dnd",
        "isSynchronized",
        "syncFailureMsg",
        "scheduledTask",
    ] {
        assert!(row.get(k).is_some(), "missing {k} in {row}");
    }
    assert!(Mac::parse(row["mac"].as_str().unwrap()).is_ok());
    // All MACs distinct across pages.
    let mut macs: Vec<String> = (1..=3)
        .flat_map(|n| rows(&page(n, 100)))
        .map(|r| r["mac"].as_str().unwrap().to_string())
        .collect();
    macs.sort();
    macs.dedup();
    assert_eq!(macs.len(), 250);
}

#[test]
fn gwn_network_and_ap_lists() {
    let sim = spawn_with(SimConfig {
        networks: 5,
        devices: 100,
        ..SimConfig::default()
    });
    let token = gwn_token(&sim);
    let (code, data) = envelope(&gwn_call(
        &sim,
        &token,
        "network/list",
        r#"{"pageNum":1,"pageSize":2}"#,
    ));
    assert_eq!(code, 0);
    assert_eq!(rows(&data).len(), 2);
    assert_eq!(data["currentPage"], 1);
    assert_eq!(data["totalPage"], 3);
    assert_eq!(
        rows(&data)[0],
        json!({"id": 12345, "networkName": rows(&data)[0]["networkName"], "country": "MX", "timezone": "America/Mexico_City", "deviceCount": 12})
    );
    let (_, last) = envelope(&gwn_call(
        &sim,
        &token,
        "network/list",
        r#"{"pageNum":3,"pageSize":2}"#,
    ));
    assert_eq!(rows(&last).len(), 1);
    assert_eq!(last["currentPage"], 3);

    // networkId as a string works the same as an int.
    let a = envelope(&gwn_call(
        &sim,
        &token,
        "ap/list",
        r#"{"networkId":12345,"pageNum":1,"pageSize":100}"#,
    ))
    .1;
    let b = envelope(&gwn_call(&sim, &token, "ap/list", r#"{"networkId":"12345","pageNum":1,"pageSize":100,"type":"","order":"","search":"","filter":{"showType":"all"}}"#)).1;
    let macs = |d: &Value| rows(d).iter().map(|r| r["mac"].clone()).collect::<Vec<_>>();
    assert_eq!(macs(&a), macs(&b));
    let all = gwn_all(&sim, &token, "ap/list", 12345, 5);
    assert_eq!(all.len(), 12);
    // Routers and switches come through ap/list too, with their model in apType.
    let types: Vec<&str> = all.iter().map(|r| r["apType"].as_str().unwrap()).collect();
    assert!(types.iter().any(|t| t.starts_with("GWN700")));
    assert!(all
        .iter()
        .all(|r| r["id"] == r["mac"] && r["networkId"] == 12345));
    // Serials are mostly absent from ap/list.
    assert!(all.iter().filter(|r| r.get("sn").is_some()).count() < all.len());
    // Unknown network: 50004; missing networkId: 40004.
    assert_eq!(
        envelope(&gwn_call(
            &sim,
            &token,
            "ap/list",
            r#"{"networkId":1,"pageNum":1,"pageSize":100}"#
        ))
        .0,
        50004
    );
    assert_eq!(
        envelope(&gwn_call(
            &sim,
            &token,
            "ap/list",
            r#"{"pageNum":1,"pageSize":100}"#
        ))
        .0,
        40004
    );
    assert_eq!(
        envelope(&gwn_call(&sim, &token, "ap/list", "not json")).0,
        40004
    );
}

#[test]
fn device_info_serials_and_router_ports_any_mac_spelling() {
    let sim = spawn();
    let token = gwn_token(&sim);
    let fleet = sim.fleet();
    let router = fleet
        .gwn
        .iter()
        .find(|d| d.kind == GwnKind::Router)
        .unwrap();
    let net = router.network_id;
    for spelling in [
        router.mac.to_colon_upper(),
        router.mac.to_compact_upper(),
        router.mac.to_string(),
    ] {
        let body = format!(r#"{{"mac":"{spelling}","networkId":{net}}}"#);
        let (code, data) = envelope(&gwn_call(&sim, &token, "device/info", &body));
        assert_eq!(code, 0, "{spelling}");
        let sn = rows(&data)
            .iter()
            .find(|r| r["key"] == "sn")
            .map(|r| r["value"].clone());
        assert_eq!(sn, Some(json!(router.sn)));
        let ports = data["portInfo"].as_array().unwrap();
        let wans: Vec<&Value> = ports.iter().filter(|p| p["role"] == 1).collect();
        assert_eq!(wans.len(), 2);
        assert!(ports.iter().any(|p| p["role"] == 0));
        for w in &wans {
            assert!(
                w["wanName"].is_string()
                    && w["wanId"].is_number()
                    && w["ipv4Info"]["connectStatus"].is_number()
            );
        }
        assert!(data["ipv4Info"].is_array());
    }
    let ap = fleet.gwn.iter().find(|d| d.kind == GwnKind::Ap).unwrap();
    let (code, data) = envelope(&gwn_call(
        &sim,
        &token,
        "device/info",
        &format!(
            r#"{{"mac":"{}","networkId":"{}"}}"#,
            ap.mac.to_colon_upper(),
            ap.network_id
        ),
    ));
    assert_eq!(code, 0);
    assert_eq!(data["portInfo"], json!([]));
    // Wrong network, invalid MAC, unknown MAC, missing MAC.
    let other_net = fleet
        .networks
        .iter()
        .find(|n| n.id != ap.network_id)
        .unwrap()
        .id;
    assert_eq!(
        envelope(&gwn_call(
            &sim,
            &token,
            "device/info",
            &format!(r#"{{"mac":"{}","networkId":{other_net}}}"#, ap.mac)
        ))
        .0,
        50004
    );
    let r = gwn_call(
        &sim,
        &token,
        "device/info",
        &format!(r#"{{"mac":"C0:74:AD:ZZ:00:01","networkId":{net}}}"#),
    );
    assert_eq!(
        json(&r),
        json!({"retCode": 50007, "msg": "invalid mac", "data": null})
    );
    assert_eq!(
        envelope(&gwn_call(
            &sim,
            &token,
            "device/info",
            &format!(r#"{{"mac":"02:00:00:00:00:01","networkId":{net}}}"#)
        ))
        .0,
        50004
    );
    assert_eq!(
        envelope(&gwn_call(
            &sim,
            &token,
            "device/info",
            &format!(r#"{{"networkId":{net}}}"#)
        ))
        .0,
        40004
    );
}

#[test]
fn switch_ports_clients_alerts_and_versions() {
    let sim = spawn_with(SimConfig {
        networks: 2,
        devices: 60,
        ..SimConfig::default()
    });
    let token = gwn_token(&sim);
    let fleet = sim.fleet();
    let sw = fleet
        .gwn
        .iter()
        .find(|d| d.kind == GwnKind::Switch)
        .unwrap();
    let (code, data) = envelope(&gwn_call(
        &sim,
        &token,
        "switch/portInfo",
        &format!(
            r#"{{"mac":"{}","networkId":{}}}"#,
            sw.mac.to_compact_upper(),
            sw.network_id
        ),
    ));
    assert_eq!(code, 0);
    assert_eq!(rows(&data).len(), sw.switch_ports.len());
    assert!(rows(&data)
        .iter()
        .all(|p| p["vlan"].is_number() && p["aggregate"]["txBytes"].is_number()));
    // A router is not a switch.
    let router = fleet
        .gwn
        .iter()
        .find(|d| d.kind == GwnKind::Router)
        .unwrap();
    assert_eq!(
        envelope(&gwn_call(
            &sim,
            &token,
            "switch/portInfo",
            &format!(
                r#"{{"mac":"{}","networkId":{}}}"#,
                router.mac.to_compact_upper(),
                router.network_id
            )
        ))
        .0,
        50004
    );

    // Clients: all online APs' clients, or one AP's with the mac filter.
    let net = fleet.networks[0].id;
    let expected: usize = fleet
        .gwn_in(net)
        .iter()
        .filter(|d| d.online)
        .map(|d| d.clients.len())
        .sum();
    let all = gwn_all(&sim, &token, "client/list", net, 200);
    assert_eq!(all.len(), expected);
    let ap = fleet
        .gwn_in(net)
        .into_iter()
        .find(|d| d.online && !d.clients.is_empty())
        .unwrap();
    let body = format!(
        r#"{{"networkId":{net},"pageNum":1,"pageSize":200,"mac":"{}"}}"#,
        ap.mac.to_compact_upper()
    );
    let one = rows(&envelope(&gwn_call(&sim, &token, "client/list", &body)).1);
    assert_eq!(one.len(), ap.clients.len());
    assert!(one
        .iter()
        .all(|c| c["apMac"] == ap.mac.to_colon_upper() && c["rssi"].as_i64().unwrap() < 0));

    // Alerts: newest first, with the plugin's field names.
    let alerts = rows(
        &envelope(&gwn_call(
            &sim,
            &token,
            "alert/list",
            &format!(r#"{{"networkId":{net},"pageNum":1,"pageSize":50}}"#),
        ))
        .1,
    );
    for a in &alerts {
        for k in [
            "id",
            "time",
            "level",
            "content",
            "basicDataKey",
            "detailMap",
        ] {
            assert!(a.get(k).is_some(), "{k}");
        }
    }
    assert!(alerts
        .windows(2)
        .all(|w| w[0]["time"].as_i64() >= w[1]["time"].as_i64()));

    // Versions: one official row per device, plus beta rows for some models.
    let (code, data) = envelope(&gwn_call(
        &sim,
        &token,
        "upgrade/version",
        &format!(r#"{{"networkId":{net}}}"#),
    ));
    assert_eq!(code, 0);
    let r = rows(&data);
    let official = r.iter().filter(|x| x.get("isBeta").is_none()).count();
    assert_eq!(official, fleet.gwn_in(net).len());
    assert!(
        r.iter()
            .any(|x| x["currentVersion"] != x["lastVersion"] && x.get("isBeta").is_none()),
        "some device is behind"
    );
}

#[test]
fn destructive_calls_are_checked_and_recorded() {
    let sim = spawn();
    let fleet = sim.fleet();
    let uc = uc_token(&sim);
    let phone = fleet
        .uc
        .iter()
        .find(|d| d.kind == gdms_sim::fleet::UcKind::Phone)
        .unwrap();
    let pbx = fleet
        .uc
        .iter()
        .find(|d| d.kind == gdms_sim::fleet::UcKind::Pbx)
        .unwrap();
    let body = format!(
        r#"{{"taskName":"GLPI11_UPG_{}_1767225600000","taskType":3,"macList":["{}"],"execType":1,"fwVersion":"1.0.3.21"}}"#,
        phone.mac.to_compact_upper(),
        phone.mac.to_colon_upper()
    );
    let (code, data) = envelope(&uc_call(&sim, &uc, "task/add", &body));
    assert_eq!(code, 0);
    assert!(data["taskId"].as_i64().unwrap() >= 880_011);
    let reset_pbx = format!(
        r#"{{"taskName":"x","taskType":2,"macList":["{}"],"execType":1}}"#,
        pbx.mac.to_colon_upper()
    );
    let r = uc_call(&sim, &uc, "task/add", &reset_pbx);
    let v = json(&r);
    assert_ne!(v["retCode"], 0);
    assert_eq!(v["msg"], "reset task not support ucm");
    assert_eq!(
        envelope(&uc_call(
            &sim,
            &uc,
            "task/add",
            r#"{"taskName":"x","taskType":9,"macList":["C0:74:AD:12:34:56"],"execType":1}"#
        ))
        .0,
        40004
    );
    assert_eq!(
        envelope(&uc_call(
            &sim,
            &uc,
            "task/add",
            r#"{"taskName":"x","taskType":1,"macList":["xx"],"execType":1}"#
        ))
        .0,
        50007
    );
    assert_eq!(
        envelope(&uc_call(
            &sim,
            &uc,
            "task/add",
            r#"{"taskName":"x","taskType":1,"macList":[],"execType":1}"#
        ))
        .0,
        40004
    );

    let gwn = gwn_token(&sim);
    let ap = &fleet.gwn[3];
    let body = format!(
        r#"{{"macs":["{}"],"time":1767312000000}}"#,
        ap.mac.to_compact_upper()
    );
    let (code, data) = envelope(&gwn_call(&sim, &gwn, "upgrade/add", &body));
    assert_eq!(code, 0);
    assert_eq!(
        data["success_upgrade_macs"],
        json!([ap.mac.to_compact_upper()])
    );

    let rec = sim.recorded();
    assert_eq!(rec.len(), 6);
    assert_eq!(rec[0].endpoint, "uc:task/add");
    assert_eq!(rec[0].json["taskType"], 3);
    assert_eq!(rec[0].ret_code, 0);
    assert_eq!(rec[1].ret_code, 50004);
    assert_eq!(rec[5].endpoint, "gwn:upgrade/add");
    assert_eq!(rec[5].body, body);
    // The phone now has a scheduled task.
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
    assert_eq!(row["scheduledTask"], 1);
}

#[test]
fn uc_detail_orgs_and_unknown_paths() {
    let sim = spawn();
    let token = uc_token(&sim);
    let phone = sim
        .fleet()
        .uc
        .iter()
        .find(|d| !d.lines.is_empty())
        .cloned()
        .unwrap();
    let mac = phone.mac.to_colon_upper();
    let r = uc_call_with(
        &sim,
        "POST",
        &token,
        "device/detail",
        &[("isFirst", "1"), ("mac", &mac)],
        "[]",
        &now_ms(),
    );
    let (code, data) = envelope(&r);
    assert_eq!(code, 0, "{}", r.body_text());
    assert_eq!(
        data["lineInfo"][0]["account"],
        phone.lines[0].account.as_str()
    );
    let (code, data) = envelope(&uc_call_with(
        &sim,
        "GET",
        &token,
        "org/list",
        &[],
        "",
        &now_ms(),
    ));
    assert_eq!(code, 0);
    assert_eq!(rows(&data).len(), 2);
    assert_eq!(
        envelope(&uc_call_with(
            &sim,
            "GET",
            &token,
            "site/list",
            &[("orgId", "1")],
            "",
            &now_ms()
        ))
        .0,
        50004
    );
    assert_eq!(
        envelope(&uc_call_with(
            &sim,
            "GET",
            &token,
            "site/list",
            &[],
            "",
            &now_ms()
        ))
        .0,
        40004
    );
    // alert/dismiss does not exist (404), nor do other unknown paths.
    let gwn = gwn_token(&sim);
    assert_eq!(
        gwn_call(&sim, &gwn, "alert/dismiss", r#"{"id":1}"#).status,
        404
    );
    assert_eq!(gwn_call(&sim, &gwn, "statistics/client", "{}").status, 404);
    assert_eq!(sim.stats().requests_to("unknown"), 2);
}

#[test]
fn ten_thousand_devices_are_cheap() {
    let start = std::time::Instant::now();
    let sim = spawn_with(SimConfig {
        networks: 50,
        devices: 10_000,
        ..SimConfig::default()
    });
    let token = uc_token(&sim);
    let (code, data) = envelope(&uc_call(
        &sim,
        &token,
        "device/list",
        r#"{"pageNum":40,"pageSize":100}"#,
    ));
    assert_eq!(code, 0);
    assert_eq!(data["total"], 4000);
    let gwn = gwn_token(&sim);
    let all = gwn_all(&sim, &gwn, "ap/list", 12345, 100);
    assert_eq!(all.len(), 120);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn accepted_upgrades_complete_after_the_delay() {
    let sim = spawn_with(SimConfig {
        upgrade_delay_s: 0,
        ..SimConfig::default()
    });
    let fleet = sim.fleet();
    let behind = fleet
        .gwn
        .iter()
        .find(|d| fleet.firmware[&d.model].latest != d.firmware)
        .cloned()
        .unwrap();
    let latest = fleet.firmware[&behind.model].latest.clone();
    let gwn = gwn_token(&sim);
    let body = format!(r#"{{"macs":["{}"]}}"#, behind.mac.to_compact_upper());
    assert_eq!(envelope(&gwn_call(&sim, &gwn, "upgrade/add", &body)).0, 0);
    let row = gwn_all(&sim, &gwn, "ap/list", behind.network_id, 100)
        .into_iter()
        .find(|r| r["mac"] == behind.mac.to_colon_upper())
        .unwrap();
    assert_eq!(row["versionFirmware"], latest.as_str());

    // A scheduled one waits for its time.
    let other = fleet
        .gwn
        .iter()
        .find(|d| d.mac != behind.mac && fleet.firmware[&d.model].latest != d.firmware)
        .cloned()
        .unwrap();
    let body = format!(
        r#"{{"macs":["{}"],"time":{}}}"#,
        other.mac.to_compact_upper(),
        now_ms().parse::<i64>().unwrap() + 3_600_000
    );
    assert_eq!(envelope(&gwn_call(&sim, &gwn, "upgrade/add", &body)).0, 0);
    assert_eq!(
        sim.fleet().gwn_device(&other.mac).unwrap().firmware,
        other.firmware
    );

    // UC: task/add upgrade installs fwVersion and clears the scheduled task.
    let uc = uc_token(&sim);
    let phone = fleet.uc[fleet.uc.len() - 1].clone();
    let body = format!(
        r#"{{"taskName":"x","taskType":3,"macList":["{}"],"execType":1,"fwVersion":"1.0.77.1"}}"#,
        phone.mac.to_colon_upper()
    );
    assert_eq!(envelope(&uc_call(&sim, &uc, "task/add", &body)).0, 0);
    let d = sim.fleet().uc_device(&phone.mac).cloned().unwrap();
    assert_eq!((d.firmware.as_str(), d.scheduled_task), ("1.0.77.1", 0));
}

#[test]
fn forty_parallel_device_info_over_ten_thousand_devices() {
    let sim = spawn_with(SimConfig {
        networks: 50,
        devices: 10_000,
        latency_ms: 20,
        ..SimConfig::default()
    });
    let token = gwn_token(&sim);
    let devices: Vec<_> = sim.fleet().gwn.into_iter().take(400).collect();
    let start = std::time::Instant::now();
    std::thread::scope(|s| {
        for chunk in devices.chunks(10) {
            let (sim, token) = (&sim, &token);
            s.spawn(move || {
                for d in chunk {
                    let body = format!(
                        r#"{{"mac":"{}","networkId":{}}}"#,
                        d.mac.to_colon_upper(),
                        d.network_id
                    );
                    assert_eq!(envelope(&gwn_call(sim, token, "device/info", &body)).0, 0);
                }
            });
        }
    });
    // 400 calls, 40 at a time, 20 ms each: about 0.2 s of waiting.
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(sim.stats().outcome("gwn:device/info", "0"), 400);
}
