//! Tokens, signatures, timestamps: the simulator accepts what the spec signs
//! and refuses the rest with the spec's exact envelopes (§2.2, §3, §4).

mod sim_support;

use std::time::Duration;

use gdms_core::signing;
use gdms_sim::{Cloud, SimConfig};
use serde_json::json;
use sim_support::*;

#[test]
fn uc_password_and_refresh_grants() {
    let sim = spawn();
    let r = uc_token_response(&sim);
    assert_eq!(r.status, 200);
    let t = json(&r);
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 3599);
    assert_eq!(t["scope"], "all");
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(access.len(), 36);
    let refresh = t["refresh_token"].as_str().unwrap().to_string();

    let c = sim.uc_credentials();
    let r = post_form(
        &format!("{}/oapi/oauth/token", sim.uc_uri()),
        &format!(
            "grant_type=refresh_token&refresh_token={refresh}&client_id={}&client_secret={}",
            c.client_id, c.client_secret
        ),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let t2 = json(&r);
    assert_ne!(t2["access_token"], t["access_token"]);
    assert_eq!(t2["refresh_token"], refresh.as_str());
    let s = sim.stats();
    assert_eq!(s.tokens("uc:password"), 1);
    assert_eq!(s.tokens("uc:refresh_token"), 1);
    // Both access tokens work.
    for tok in [access, t2["access_token"].as_str().unwrap()] {
        let (code, _) = envelope(&uc_call(
            &sim,
            tok,
            "device/list",
            r#"{"pageNum":1,"pageSize":100}"#,
        ));
        assert_eq!(code, 0);
    }
}

#[test]
fn uc_bad_credentials_are_oauth_errors() {
    let sim = spawn();
    let c = sim.uc_credentials();
    let url = format!("{}/oapi/oauth/token", sim.uc_uri());
    // Plain password instead of sha256(md5hex).
    let r = post_form(
        &url,
        &format!(
            "username={}&password={}&grant_type=password&client_id={}&client_secret={}",
            c.username, c.password, c.client_id, c.client_secret
        ),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        json(&r),
        json!({"error": "invalid_grant", "error_description": "Bad credentials"})
    );
    let r = post_form(
        &url,
        &format!(
            "username={}&password={}&grant_type=password&client_id={}&client_secret=nope",
            c.username,
            signing::uc_password_hash(&c.password),
            c.client_id
        ),
    );
    assert_eq!(r.status, 401);
    assert_eq!(json(&r)["error"], "invalid_client");
    let r = post_form(
        &url,
        &format!(
            "grant_type=refresh_token&refresh_token=bogus&client_id={}&client_secret={}",
            c.client_id, c.client_secret
        ),
    );
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["error"], "invalid_grant");
    assert_eq!(sim.stats().tokens_issued.values().sum::<u64>(), 0);
}

#[test]
fn gwn_token_by_get_and_post_form() {
    let sim = spawn();
    let c = sim.gwn_credentials();
    let _ = gwn_token(&sim);
    let r = post_form(
        &format!("{}/oauth/token", sim.gwn_uri()),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&resource=",
            c.app_id, c.secret_key
        ),
    );
    assert_eq!(r.status, 200);
    let t = json(&r);
    assert_eq!(t["expires_in"], 3599);
    assert!(t.get("refresh_token").is_none());
    assert_eq!(sim.stats().tokens("gwn:client_credentials"), 2);
    let r = get(&format!(
        "{}/oauth/token?grant_type=client_credentials&client_id={}&client_secret=wrong",
        sim.gwn_uri(),
        c.app_id
    ));
    assert_eq!(r.status, 401);
    // The GWN token path has no /oapi prefix; the UC one does.
    let r = get(&format!(
        "{}/oapi/oauth/token?grant_type=client_credentials&client_id={}&client_secret={}",
        sim.uri(),
        c.app_id,
        c.secret_key
    ));
    assert_eq!(r.status, 405);
}

const AP_BODY: &str = r#"{"networkId":12345,"pageNum":1,"pageSize":100}"#;

#[test]
fn gwn_signature_failures_answer_exact_envelopes() {
    let sim = spawn();
    let token = gwn_token(&sim);
    let c = sim.gwn_credentials();
    let ts = now_ms();
    let good = gwn_url(&sim, &token, "ap/list", AP_BODY, &ts);
    let (code, data) = envelope(&post_json(&good, AP_BODY));
    assert_eq!(code, 0);
    assert!(!rows(&data).is_empty());
    // Same URL again (same timestamp): replays are accepted (§8).
    assert_eq!(envelope(&post_json(&good, AP_BODY)).0, 0);

    let exact = |url: &str, body: &str, code: i64, msg: &str| {
        let r = post_json(url, body);
        assert_eq!(r.status, 200);
        assert_eq!(
            json(&r),
            json!({"retCode": code, "msg": msg, "data": null}),
            "{url}"
        );
    };
    // Body changed after signing.
    exact(
        &good,
        r#"{"networkId":12345,"pageNum":2,"pageSize":100}"#,
        40003,
        "signature error",
    );
    // Signature of another secret.
    let sig = signing::gwn_signature(&token, &c.app_id, "other-secret", &ts, AP_BODY.as_bytes());
    exact(
        &format!(
            "{}/oapi/v1.0.0/ap/list?access_token={token}&appID={}&timestamp={ts}&signature={sig}",
            sim.uri(),
            c.app_id
        ),
        AP_BODY,
        40003,
        "signature error",
    );
    // Missing signature.
    exact(
        &format!(
            "{}/oapi/v1.0.0/ap/list?access_token={token}&appID={}&timestamp={ts}",
            sim.uri(),
            c.app_id
        ),
        AP_BODY,
        40003,
        "signature error",
    );
    // Stale timestamp (10 minutes ago), correctly signed.
    let old = (ts.parse::<i64>().unwrap() - 600_000).to_string();
    exact(
        &gwn_url(&sim, &token, "ap/list", AP_BODY, &old),
        AP_BODY,
        40005,
        "timestamp expired",
    );
    // Seconds instead of milliseconds.
    let secs = (ts.parse::<i64>().unwrap() / 1000).to_string();
    exact(
        &gwn_url(&sim, &token, "ap/list", AP_BODY, &secs),
        AP_BODY,
        40005,
        "timestamp expired",
    );
    // Missing timestamp.
    exact(
        &format!(
            "{}/oapi/v1.0.0/ap/list?access_token={token}&appID={}&signature={sig}",
            sim.uri(),
            c.app_id
        ),
        AP_BODY,
        40005,
        "timestamp expired",
    );
    // Unknown token, missing token.
    exact(
        &gwn_url(
            &sim,
            "5f0c9a2e-0000-4e3a-9c11-2f6b8d4e7a90",
            "ap/list",
            AP_BODY,
            &ts,
        ),
        AP_BODY,
        40001,
        "access_token invalid",
    );
    exact(
        &format!(
            "{}/oapi/v1.0.0/ap/list?appID={}&timestamp={ts}&signature={sig}",
            sim.uri(),
            c.app_id
        ),
        AP_BODY,
        40001,
        "access_token invalid",
    );
    // Missing or unknown appID.
    exact(
        &format!(
            "{}/oapi/v1.0.0/ap/list?access_token={token}&timestamp={ts}&signature={sig}",
            sim.uri()
        ),
        AP_BODY,
        40006,
        "app not exist",
    );
    exact(
        &format!(
            "{}/oapi/v1.0.0/ap/list?access_token={token}&appID=999&timestamp={ts}&signature={sig}",
            sim.uri()
        ),
        AP_BODY,
        40006,
        "app not exist",
    );
    // A UC token is refused by GWN.
    let uc = uc_token(&sim);
    exact(
        &gwn_url(&sim, &uc, "ap/list", AP_BODY, &ts),
        AP_BODY,
        40001,
        "access_token invalid",
    );

    let s = sim.stats();
    assert_eq!(s.outcome("gwn:ap/list", "40003"), 3);
    assert_eq!(s.outcome("gwn:ap/list", "40005"), 3);
    assert_eq!(s.outcome("gwn:ap/list", "0"), 2);
}

#[test]
fn uppercase_signature_is_accepted() {
    let sim = spawn();
    let token = gwn_token(&sim);
    let url = gwn_url(&sim, &token, "ap/list", AP_BODY, &now_ms());
    let (head, sig) = url.rsplit_once("signature=").unwrap();
    let url = format!("{head}signature={}", sig.to_uppercase());
    assert_eq!(envelope(&post_json(&url, AP_BODY)).0, 0);
}

#[test]
fn uc_signed_get_with_extra_param_and_failures() {
    let sim = spawn();
    let token = uc_token(&sim);
    let r = uc_call_with(
        &sim,
        "GET",
        &token,
        "site/list",
        &[("orgId", "7788")],
        "",
        &now_ms(),
    );
    let (code, data) = envelope(&r);
    assert_eq!(code, 0, "{}", r.body_text());
    assert!(rows(&data).iter().all(|s| s["orgId"] == 7788));
    // orgId added after signing: 40003.
    let ts = now_ms();
    let c = sim.uc_credentials();
    let q = [("access_token", token.as_str()), ("timestamp", ts.as_str())];
    let sig = signing::uc_signature(&q, &c.client_id, &c.client_secret, b"");
    let r = get(&format!(
        "{}/oapi/v1.0.0/site/list?access_token={token}&timestamp={ts}&orgId=7788&signature={sig}",
        sim.uri()
    ));
    assert_eq!(envelope(&r).0, 40003);
    // Stale timestamp.
    let old = (ts.parse::<i64>().unwrap() + 400_000).to_string();
    let r = uc_call_with(
        &sim,
        "POST",
        &token,
        "device/list",
        &[],
        r#"{"pageNum":1,"pageSize":100}"#,
        &old,
    );
    assert_eq!(
        json(&r),
        json!({"retCode": 40005, "msg": "timestamp expired", "data": null})
    );
}

#[test]
fn expired_tokens_answer_40002() {
    let sim = spawn_with(SimConfig {
        token_lifetime_s: 1,
        ..SimConfig::default()
    });
    let token = gwn_token(&sim);
    assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP_BODY)).0, 0);
    std::thread::sleep(Duration::from_millis(1100));
    let r = gwn_call(&sim, &token, "ap/list", AP_BODY);
    assert_eq!(
        json(&r),
        json!({"retCode": 40002, "msg": "access_token expired", "data": null})
    );
    // The scenario control does the same without waiting.
    let fresh = uc_token(&sim);
    sim.expire_tokens(Cloud::Uc);
    assert_eq!(
        envelope(&uc_call(&sim, &fresh, "device/list", "{}")).0,
        40002
    );
}

#[test]
fn rotation_revokes_tokens_and_old_secret() {
    let sim = spawn();
    let token = gwn_token(&sim);
    let old_secret = sim.gwn_credentials().secret_key;
    sim.rotate_credentials(Cloud::Gwn, Some("NewSecret0123456789"));
    // The old token is refused before its expiry, even correctly signed with the new secret.
    assert_eq!(
        envelope(&gwn_call(&sim, &token, "ap/list", AP_BODY)).0,
        40001
    );
    let r = get(&format!(
        "{}/oauth/token?grant_type=client_credentials&client_id=100200&client_secret={old_secret}",
        sim.uri()
    ));
    assert_eq!(r.status, 401);
    let fresh = gwn_token(&sim);
    assert_eq!(envelope(&gwn_call(&sim, &fresh, "ap/list", AP_BODY)).0, 0);
    // UC tokens are untouched by a GWN rotation.
    let uc = uc_token(&sim);
    sim.rotate_credentials(Cloud::Gwn, None);
    assert_eq!(envelope(&uc_call(&sim, &uc, "device/list", "{}")).0, 0);
}

#[test]
fn sixty_four_concurrent_calls_with_latency() {
    let sim = spawn_with(SimConfig {
        latency_ms: 200,
        ..SimConfig::default()
    });
    let token = gwn_token(&sim);
    let start = std::time::Instant::now();
    std::thread::scope(|s| {
        for _ in 0..64 {
            s.spawn(|| assert_eq!(envelope(&gwn_call(&sim, &token, "ap/list", AP_BODY)).0, 0));
        }
    });
    // Sleeps are timers, not parked threads: 64 × 200 ms overlap.
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
    assert!(
        sim.stats().max_in_flight >= 32,
        "{}",
        sim.stats().max_in_flight
    );
}
