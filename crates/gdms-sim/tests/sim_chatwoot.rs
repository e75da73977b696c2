//! The simulated Chatwoot: signed deliveries of a scripted conversation,
//! application API with token checks, recorded calls and echo deliveries.

use std::time::Duration;

use gdms_sim::http_client::{get, request};
use gdms_sim::{Sim, SimConfig};
use serde_json::{json, Value};

fn post(url: &str, body: Value, token: Option<&str>) -> (u16, Value) {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(t) = token {
        headers.push(("api_access_token", t));
    }
    let r = request(
        "POST",
        url,
        &headers,
        body.to_string().as_bytes(),
        Duration::from_secs(5),
    )
    .unwrap();
    (r.status, r.json().unwrap_or(Value::Null))
}

#[test]
fn scripted_conversation_is_signed_and_parses_into_the_expected_events() {
    let sim = Sim::spawn(SimConfig {
        devices: 2,
        networks: 1,
        ..SimConfig::default()
    })
    .unwrap();
    let base = sim.uri();
    post(
        &format!("{base}/__chatwoot/setup"),
        json!({"account_id": 7, "token": "tok", "secret": "whsec"}),
        None,
    );
    let (status, out) = post(
        &format!("{base}/__chatwoot/script"),
        json!({"timestamp": 1_767_225_600, "steps": [
            {"op": "contact", "name": "Ana López", "email": "ana@example.com", "phone": "+5215550001"},
            {"op": "conversation", "contact": 101, "content": "Printer down"},
            {"op": "message", "conversation": 1, "content": "Looking", "type": "outgoing", "private": true},
            {"op": "message", "conversation": 1, "content": "Photo", "attachments": ["https://cw.test/p.png"]},
            {"op": "status", "conversation": 1, "status": "pending"},
            {"op": "priority", "conversation": 1, "priority": "high"}
        ]}),
        None,
    );
    assert_eq!(status, 200, "{out}");
    let events: Vec<&str> = out["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "contact_created",
            "conversation_created",
            "message_created",
            "message_created",
            "message_created",
            "conversation_status_changed",
            "message_created",
            "conversation_updated"
        ]
    );
    for d in out["deliveries"].as_array().unwrap() {
        let body = d["body"].as_str().unwrap();
        let ts = d["headers"]["x-chatwoot-timestamp"].as_str().unwrap();
        let sig = d["headers"]["x-chatwoot-signature"].as_str().unwrap();
        assert_eq!(
            gdms_core::chatwoot::signature::verify(
                "whsec",
                ts,
                body.as_bytes(),
                sig,
                1_767_225_600
            ),
            Ok(())
        );
        let e = gdms_core::chatwoot::payload::parse(body.as_bytes()).unwrap();
        assert_eq!(e.account_id, Some(7));
    }
    let created = gdms_core::chatwoot::payload::parse(
        out["deliveries"][1]["body"].as_str().unwrap().as_bytes(),
    )
    .unwrap();
    let conv = created.conversation.unwrap();
    assert_eq!(
        (conv.id, conv.title.as_str()),
        (1, "[Chatwoot #1] Printer down")
    );
    let raw: Value = serde_json::from_str(out["deliveries"][1]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        raw["messages"][0]["message_type"],
        json!(0),
        "integer inside conversation.messages[]"
    );
    let raw: Value = serde_json::from_str(out["deliveries"][2]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        raw["message_type"],
        json!("incoming"),
        "string at the top of message events"
    );
}

#[test]
fn api_checks_the_token_records_calls_and_echoes_posted_messages() {
    let sim = Sim::spawn(SimConfig {
        devices: 2,
        networks: 1,
        ..SimConfig::default()
    })
    .unwrap();
    let base = sim.uri();
    post(
        &format!("{base}/__chatwoot/setup"),
        json!({"account_id": 3, "token": "tok"}),
        None,
    );
    post(
        &format!("{base}/__chatwoot/script"),
        json!({"steps": [{"op": "contact", "name": "Bo"}, {"op": "conversation", "contact": 101, "content": "hi"}]}),
        None,
    );
    let url = format!("{base}/api/v1/accounts/3/conversations/1/messages");
    assert_eq!(post(&url, json!({"content": "x"}), Some("wrong")).0, 401);
    assert_eq!(
        post(
            &format!("{base}/api/v1/accounts/4/conversations/1/messages"),
            json!({"content": "x"}),
            Some("tok")
        )
        .0,
        404
    );
    assert_eq!(
        post(
            &format!("{base}/api/v1/accounts/3/conversations/9/messages"),
            json!({"content": "x"}),
            Some("tok")
        )
        .0,
        404
    );
    let (s, m) = post(
        &url,
        json!({"content": "Fixed", "message_type": "outgoing", "private": false, "content_attributes": {"gdmsintegration": {"items_id": 4}}}),
        Some("tok"),
    );
    assert_eq!(s, 200, "{m}");
    let (s, t) = post(
        &format!("{base}/api/v1/accounts/3/conversations/1/toggle_status"),
        json!({"status": "resolved"}),
        Some("tok"),
    );
    assert_eq!(
        (s, t["payload"]["current_status"].as_str()),
        (200, Some("resolved"))
    );
    let calls = get(
        &format!("{base}/__chatwoot/received"),
        Duration::from_secs(5),
    )
    .unwrap()
    .json()
    .unwrap();
    let statuses: Vec<i64> = calls["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [401, 404, 404, 200, 200]);
    let (_, outbox) = post(&format!("{base}/__chatwoot/outbox"), json!({}), None);
    let echo = gdms_core::chatwoot::payload::parse(
        outbox["deliveries"][0]["body"].as_str().unwrap().as_bytes(),
    )
    .unwrap();
    let msg = echo.message.unwrap();
    assert_eq!(msg.id, m["id"].as_i64().unwrap());
    assert!(
        msg.from_glpi && !msg.importable,
        "the echo of a posted message carries the marker"
    );
    assert_eq!(
        outbox["deliveries"][1]["event"],
        json!("conversation_status_changed")
    );
    let (_, again) = post(&format!("{base}/__chatwoot/outbox"), json!({}), None);
    assert_eq!(again["deliveries"], json!([]));
    let search = request(
        "GET",
        &format!("{base}/api/v1/accounts/3/contacts/search?q=x"),
        &[("api_access_token", "tok")],
        b"",
        Duration::from_secs(5),
    )
    .unwrap();
    assert_eq!(search.status, 200);
}

#[test]
fn the_plugin_client_posts_messages_and_resolves_through_the_sim() {
    use gdms_core::chatwoot::client::{send, test_connection, Account, Action, SendRequest};
    let sim = Sim::spawn(SimConfig {
        devices: 2,
        networks: 1,
        ..SimConfig::default()
    })
    .unwrap();
    let base = sim.uri();
    post(
        &format!("{base}/__chatwoot/setup"),
        json!({"account_id": 3, "token": "tok"}),
        None,
    );
    post(
        &format!("{base}/__chatwoot/script"),
        json!({"steps": [{"op": "contact", "name": "Bo"}, {"op": "conversation", "contact": 101, "content": "hi"}]}),
        None,
    );
    let account = |token: &str| Account {
        base_url: format!("{base}/"),
        account_id: 3,
        token: token.into(),
        timeout_ms: Some(3000),
    };
    assert!(test_connection(&account("tok")).ok);
    let bad = test_connection(&account("nope"));
    assert_eq!((bad.ok, bad.http_status), (false, 401));
    let results = send(&SendRequest {
        account: account("tok"),
        actions: vec![
            Action {
                id: 1,
                kind: "message".into(),
                conversation_id: 1,
                html: "<p>Toner &amp; drum replaced</p>".into(),
                private: false,
                status: String::new(),
                marker: json!({"itemtype": "ITILFollowup", "items_id": 9}),
            },
            Action {
                id: 2,
                kind: "status".into(),
                conversation_id: 1,
                html: String::new(),
                private: false,
                status: "resolved".into(),
                marker: Value::Null,
            },
            Action {
                id: 3,
                kind: "message".into(),
                conversation_id: 42,
                html: "x".into(),
                private: false,
                status: String::new(),
                marker: Value::Null,
            },
        ],
    });
    assert!(
        results[0].ok && results[0].message_id.is_some(),
        "{results:?}"
    );
    assert!(results[1].ok);
    assert_eq!(
        (results[2].ok, results[2].http_status, results[2].retryable),
        (false, 404, false)
    );
    let calls = get(
        &format!("{base}/__chatwoot/received"),
        Duration::from_secs(5),
    )
    .unwrap()
    .json()
    .unwrap();
    assert_eq!(
        calls["calls"][2]["body"]["content"],
        json!("Toner & drum replaced")
    );
    assert_eq!(
        calls["calls"][2]["body"]["content_attributes"]["gdmsintegration"]["items_id"],
        json!(9)
    );
    let down = send(&SendRequest {
        account: Account {
            base_url: "http://127.0.0.1:9".into(),
            account_id: 3,
            token: "tok".into(),
            timeout_ms: Some(500),
        },
        actions: vec![Action {
            id: 5,
            kind: "status".into(),
            conversation_id: 1,
            html: String::new(),
            private: false,
            status: "resolved".into(),
            marker: Value::Null,
        }],
    });
    assert!(!down[0].ok && down[0].retryable, "{down:?}");
}
