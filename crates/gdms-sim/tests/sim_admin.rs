//! The admin API, webhook pushes, firmware pages, the CLI, and use from an
//! async runtime.

mod sim_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use gdms_core::signing;
use gdms_sim::{Cloud, PushRequest, SimConfig};
use serde_json::{json, Value};
use sim_support::*;

#[test]
fn stats_count_and_reset_over_http() {
    let sim = spawn();
    let token = gwn_token(&sim);
    for _ in 0..3 {
        gwn_call(&sim, &token, "network/list", "{}");
    }
    let s = json(&get(&format!("{}/stats", sim.admin_uri())));
    assert_eq!(s["requests"]["gwn:network/list"], 3);
    assert_eq!(s["outcomes"]["gwn:network/list"]["0"], 3);
    assert_eq!(s["tokens_issued"]["gwn:client_credentials"], 1);
    assert_eq!(s["requests"]["gwn:token"], 1);
    assert_eq!(
        post_json(&format!("{}/stats/reset", sim.admin_uri()), "").status,
        200
    );
    assert_eq!(sim.stats().total_requests(), 0);
    let info = json(&get(&format!("{}/info", sim.admin_uri())));
    assert_eq!(info["gwn"]["app_id"], "100200");
}

#[test]
fn scenarios_recorded_calls_and_fleet_over_http() {
    let sim = spawn();
    let fleet = json(&get(&format!("{}/fleet", sim.admin_uri())));
    assert_eq!(fleet["counts"]["networks"], 3);
    let mac = fleet["networks"][0]["devices"][0]["mac"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post_json(
        &format!("{}/scenario", sim.admin_uri()),
        &json!({"op": "device_offline", "mac": mac}).to_string(),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let fleet = json(&get(&format!("{}/fleet", sim.admin_uri())));
    assert_eq!(fleet["networks"][0]["devices"][0]["online"], false);
    assert_eq!(
        post_json(
            &format!("{}/scenario", sim.admin_uri()),
            r#"{"op":"device_offline","mac":"02:00:00:00:00:01"}"#
        )
        .status,
        404
    );
    assert_eq!(
        post_json(
            &format!("{}/scenario", sim.admin_uri()),
            r#"{"op":"explode"}"#
        )
        .status,
        400
    );

    let gwn = gwn_token(&sim);
    let body = format!(r#"{{"macs":["{}"]}}"#, mac.replace(':', ""));
    assert_eq!(envelope(&gwn_call(&sim, &gwn, "upgrade/add", &body)).0, 0);
    let rec = json(&get(&format!("{}/recorded", sim.admin_uri())));
    assert_eq!(rec[0]["endpoint"], "gwn:upgrade/add");
    assert_eq!(rec[0]["body"], body.as_str());
    assert_eq!(rec[0]["json"]["macs"][0], mac.replace(':', "").as_str());
    post_json(&format!("{}/recorded/clear", sim.admin_uri()), "");
    assert!(sim.recorded().is_empty());
}

#[test]
fn webhook_push_signature_is_spec_vector_w_h1() {
    let sim = spawn();
    let rx = Receiver::start();
    let r = sim
        .push_device_status(
            &rx.url,
            Some("whsec-demo-123"),
            "C0:74:AD:12:34:56",
            "offline",
        )
        .unwrap();
    assert_eq!(r.status, 200);
    let got = rx.wait_for(1);
    assert!(got[0]
        .request_line
        .starts_with("POST /plugins/gdmsintegration/front/webhook.php"));
    assert_eq!(
        got[0].body,
        br#"{"mac":"c0:74:ad:12:34:56","status":"offline"}"#
    );
    assert_eq!(
        got[0].header("X-GDMS-Signature"),
        Some("sha256=a24131fdacbfbcc4259ed7851ca330e13b276d394601191eafb0fd05100f066a")
    );
    assert_eq!(got[0].header("Content-Type"), Some("application/json"));

    // Raw body through the admin API; no secret → no signature header.
    let req =
        json!({"url": rx.url, "body": "{\"deviceMac\":\"c0:74:ad:12:34:56\",\"event\":\"down\"}"});
    let r = post_json(&format!("{}/webhook", sim.admin_uri()), &req.to_string());
    assert_eq!(json(&r)["status"], 200);
    let got = rx.wait_for(2);
    assert_eq!(got[1].header("X-GDMS-Signature"), None);
    assert_eq!(sim.stats().webhooks_sent, 2);
    // An unreachable receiver is an error, not a panic.
    let bad = PushRequest {
        url: "http://127.0.0.1:1/x".into(),
        secret: None,
        body: Some("{}".into()),
        mac: None,
        status: None,
    };
    assert!(sim.push_webhook(&bad).is_err());
}

#[test]
fn scenario_status_changes_push_webhooks_when_configured() {
    let rx = Receiver::start();
    let sim = spawn_with(SimConfig {
        webhook_url: Some(rx.url.clone()),
        webhook_secret: Some("s3cr3t".into()),
        ..SimConfig::default()
    });
    let d = sim.fleet().gwn.into_iter().find(|d| d.online).unwrap();
    sim.set_online(&d.mac.to_string(), false).unwrap();
    sim.set_online(&d.mac.to_string(), false).unwrap(); // no change, no push
    sim.set_online(&d.mac.to_string(), true).unwrap();
    let got = rx.wait_for(2);
    assert_eq!(got.len(), 2);
    let first: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(
        first,
        json!({"mac": d.mac.to_string(), "status": "offline"})
    );
    assert_eq!(
        got[0].header("X-GDMS-Signature").unwrap(),
        signing::gdms_webhook_signature("s3cr3t", &got[0].body)
    );
    let second: Value = serde_json::from_slice(&got[1].body).unwrap();
    assert_eq!(second["status"], "online");
    // Switched off by scenario.
    sim.apply(gdms_sim::Scenario::SetWebhook {
        url: None,
        secret: None,
    })
    .unwrap();
    sim.set_online(&d.mac.to_string(), false).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(rx.got.lock().unwrap().len(), 2);
}

/// What a naive scraper takes: the first `N.N.N.N` on the page (spec §9).
fn first_quad(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit() && b[i - 1] != b'.') {
            let mut j = i;
            let mut dots = 0;
            while j < b.len()
                && (b[j].is_ascii_digit()
                    || (b[j] == b'.' && j + 1 < b.len() && b[j + 1].is_ascii_digit()))
            {
                if b[j] == b'.' {
                    dots += 1;
                }
                j += 1;
            }
            if dots == 3 {
                return Some(html[i..j].to_string());
            }
            i = j;
        }
        i += 1;
    }
    None
}

#[test]
fn firmware_pages_defeat_the_first_version_reader() {
    let sim = spawn();
    sim.publish_firmware("UCM6304", "1.0.29.5").unwrap();
    let r = get(&format!(
        "{}/support/firmware/ucm6300-official-firmware",
        sim.firmware_uri()
    ));
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = r.body_text();
    assert!(html.contains(r#"<td class="fw-version">1.0.29.5</td>"#));
    assert!(html.contains(r#"href="/files/ucm6300fw1.0.29.5.bin""#));
    assert!(
        html.contains("UCM6300A Series"),
        "several families on one page"
    );
    let naive = first_quad(&html).unwrap();
    assert_ne!(naive, "1.0.29.5", "a decoy comes first");
    // Beta page, other slugs, unknown slug.
    assert_eq!(
        get(&format!(
            "{}/support/firmware/ucm6510-official-firmware",
            sim.uri()
        ))
        .status,
        200
    );
    assert_eq!(
        get(&format!(
            "{}/support/firmware/ucm6300-beta-firmware",
            sim.uri()
        ))
        .status,
        200
    );
    assert_eq!(
        get(&format!(
            "{}/support/firmware/nope-official-firmware",
            sim.uri()
        ))
        .status,
        404
    );
    assert_eq!(
        get(&format!("{}/files/ucm6300fw1.0.29.5.bin", sim.uri())).status,
        200
    );
    assert_eq!(sim.stats().requests_to("firmware:page"), 4);
}

#[test]
fn works_inside_an_async_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sim = spawn();
        let uri = sim.uri();
        let r = tokio::task::spawn_blocking(move || {
            get(&format!("{uri}/support/firmware/ucm6510-official-firmware")).status
        })
        .await
        .unwrap();
        assert_eq!(r, 200);
        sim.rotate_credentials(Cloud::Uc, None);
        drop(sim); // must not panic inside a runtime
    });
}

#[test]
fn cli_serve_prints_one_json_line_and_ctl_drives_it() {
    let exe = env!("CARGO_BIN_EXE_gdms-sim");
    let mut child = Command::new(exe)
        .args([
            "serve",
            "--port",
            "0",
            "--networks",
            "2",
            "--devices",
            "20",
            "--seed",
            "3",
            "--latency-ms",
            "0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    let admin = info["admin_uri"].as_str().unwrap().to_string();
    assert_eq!(info["uc"]["client_id"], "10245");
    assert_eq!(
        info["uc"]["password_hash"],
        signing::uc_password_hash("S3cret!Pass")
    );
    assert_eq!(info["gwn"]["app_id"], "100200");
    assert_eq!(info["networks"], 2);
    assert_eq!(info["seed"], 3);
    let fleet = json(&get(&format!("{admin}/fleet")));
    let mac = fleet["networks"][0]["devices"][0]["mac"]
        .as_str()
        .unwrap()
        .to_string();
    let ctl = |args: &[&str]| {
        Command::new(exe)
            .arg("ctl")
            .arg(&admin)
            .args(args)
            .output()
            .unwrap()
    };
    let out = ctl(&["offline", &mac]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ctl(&["link", &mac, "1", "down"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ctl(&[
        "fault",
        r#"{"endpoint":"gwn:*","kind":"status","status":503}"#,
    ]);
    assert!(out.status.success());
    let out = ctl(&["stats"]);
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(stats["requests"].is_object());
    assert!(!ctl(&["offline", "02:00:00:00:00:01"]).status.success());
    assert!(!ctl(&["frobnicate"]).status.success());
    // The root URI works as well as the admin URI.
    let out = Command::new(exe)
        .args(["ctl", info["uri"].as_str().unwrap(), "info"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let i: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(i["seed"], 3);
    let fleet = json(&get(&format!("{admin}/fleet")));
    assert_eq!(fleet["networks"][0]["devices"][0]["online"], false);
    child.kill().unwrap();
    child.wait().unwrap();
}
