//! Outgoing webhooks against a real HTTP receiver on loopback: payloads,
//! signatures (verified here with the HMAC primitives directly, not with
//! the crate's own verifier), filters, outcomes, backoff, deactivation,
//! order, and nothing lost while the receiver is down.

mod outgoing_support;

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use gdms_core::engine::events::{Event, EventKind};
use gdms_core::outgoing::backoff::SCHEDULE_S;
use gdms_core::outgoing::delivery::{
    deliver, Attempt, DeliverOptions, DeliverReport, DeliverRequest, Delivery, Outcome,
    SubscriptionState, RESPONSE_CAP,
};
use gdms_core::outgoing::envelope::{
    self, EventInput, PrepareRequest, Prepared, SubscriptionFilter,
};
use gdms_core::outgoing::filters::Filter;
use gdms_core::outgoing::signing::generate_secret;
use gdms_core::outgoing::EventType;
use hmac::{Hmac, Mac};
use outgoing_support::{free_port, Receiver, Reply};
use serde_json::{json, Value};
use sha2::Sha256;

fn opts() -> DeliverOptions {
    DeliverOptions {
        allow_private: true,
        timeout_ms: 2_000,
        connect_timeout_ms: 1_000,
        ..DeliverOptions::default()
    }
}

fn prepare(
    kind: &str,
    data: Value,
    subject: &str,
    category: i64,
    subs: Vec<(i64, i64, &str)>,
) -> Prepared {
    envelope::prepare(&PrepareRequest {
        event: EventInput {
            kind: kind.into(),
            occurred_at: 1_795_000_000,
            data,
            subject: subject.into(),
            itilcategories_id: category,
        },
        subscriptions: subs
            .into_iter()
            .map(|(id, c, re)| SubscriptionFilter {
                id,
                filter: Filter {
                    itilcategories_id: c,
                    title_regex: re.into(),
                },
            })
            .collect(),
    })
    .unwrap()
}

fn delivery(queue_id: i64, sub: i64, url: String, secret: &str, p: &Prepared) -> Delivery {
    Delivery {
        queue_id,
        subscription_id: sub,
        chain: String::new(),
        chain_head: 0,
        url,
        secrets: vec![secret.to_string()],
        message_id: p.id.clone(),
        body: p.body.clone(),
        attempts: 0,
    }
}

fn run(
    deliveries: Vec<Delivery>,
    options: DeliverOptions,
    subs: Vec<SubscriptionState>,
) -> DeliverReport {
    deliver(DeliverRequest {
        options,
        deliveries,
        subscriptions: subs,
    })
    .unwrap()
}

fn attempt_of(r: &DeliverReport, queue_id: i64) -> &Attempt {
    r.attempts
        .iter()
        .find(|a| a.queue_id == queue_id)
        .expect("attempted")
}

/// Standard Webhooks verification written out from the spec.
fn signature_valid(secret: &str, headers: &BTreeMap<String, String>, body: &[u8]) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let id = &headers["webhook-id"];
    let ts = &headers["webhook-timestamp"];
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{ts}.").as_bytes());
    mac.update(body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    headers["webhook-signature"]
        .split(' ')
        .any(|s| s == expected)
}

fn sample_events() -> Vec<(&'static str, Value, Vec<&'static str>)> {
    let device = |kind, details: &[(&str, &str)]| {
        let e = Event {
            kind,
            device_key: serde_json::from_value(json!("ec:74:d7:00:00:01")).unwrap(),
            at: 1_795_000_000,
            details: details
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        envelope::device_data(&e, 0)
    };
    let base = [
        ("name", "AP Lobby"),
        ("model", "GWN7660"),
        ("category", "ap"),
    ];
    let wan = [
        ("name", "GW"),
        ("model", "GWN7003"),
        ("category", "router"),
        ("port", "1"),
        ("wan_name", "WAN1"),
    ];
    vec![
        (
            "TicketCreated",
            json!({"ticket_id": 12, "subject": "Printer", "content": "<p>Jam</p>"}),
            vec!["ticket_id", "subject", "content"],
        ),
        (
            "TicketSolved",
            json!({"ticket_id": 12, "solution_id": 3, "content": "<p>Fixed</p>", "status": "solved"}),
            vec!["ticket_id", "solution_id", "content", "status"],
        ),
        (
            "TicketFollowupAdded",
            json!({"ticket_id": 12, "followup_id": 8, "content": "<p>On it</p>"}),
            vec!["ticket_id", "followup_id", "content"],
        ),
        (
            "TicketApprovalAdded",
            json!({"approval_id": 4, "ticket_id": 12, "user_id": 2, "content": "Please"}),
            vec!["approval_id", "ticket_id", "user_id", "content"],
        ),
        (
            "TicketApprovalResolved",
            json!({"approval_id": 4, "ticket_id": 12, "user_id": 2, "content": "OK", "status": "approved"}),
            vec!["approval_id", "ticket_id", "user_id", "content", "status"],
        ),
        (
            "DeviceOffline",
            device(EventKind::DeviceOffline, &base),
            vec![
                "device_key",
                "entities_id",
                "observed_at",
                "name",
                "model",
                "category",
            ],
        ),
        (
            "DeviceOnline",
            device(
                EventKind::DeviceOnline,
                &[base[0], base[1], base[2], ("outage_s", "120")],
            ),
            vec!["device_key", "name", "outage_s"],
        ),
        (
            "WanDown",
            device(EventKind::WanDown, &wan),
            vec!["device_key", "port", "wan_name"],
        ),
        (
            "WanNoInternet",
            device(EventKind::WanNoInternet, &wan),
            vec!["device_key", "port", "wan_name"],
        ),
        (
            "WanRecovered",
            device(EventKind::WanRecovered, &wan),
            vec!["device_key", "port", "wan_name"],
        ),
        (
            "FirmwareAvailable",
            device(
                EventKind::FirmwareAvailable,
                &[
                    base[0],
                    base[1],
                    base[2],
                    ("firmware", "1.0.1"),
                    ("firmware_latest", "1.0.2"),
                ],
            ),
            vec!["device_key", "firmware", "firmware_latest"],
        ),
    ]
}

#[test]
fn every_event_type_arrives_with_its_payload_and_a_valid_signature() {
    let rx = Receiver::spawn();
    let secret = generate_secret();
    let events = sample_events();
    assert_eq!(events.len(), EventType::SUBSCRIBABLE.len());
    let mut deliveries = Vec::new();
    let mut prepared = Vec::new();
    for (i, (kind, data, _)) in events.iter().enumerate() {
        let p = prepare(kind, data.clone(), "x", 0, vec![(1, 0, "")]);
        deliveries.push(delivery(
            i as i64 + 1,
            1,
            rx.url(&format!("/{kind}")),
            &secret,
            &p,
        ));
        prepared.push(p);
    }
    let before = chrono::Utc::now().timestamp();
    let r = run(deliveries, opts(), vec![]);
    assert!(
        r.attempts.iter().all(|a| a.outcome == Outcome::Delivered),
        "{:?}",
        r.attempts
    );
    for ((kind, data, fields), p) in events.iter().zip(&prepared) {
        let got = rx.received_on(&format!("/{kind}"));
        assert_eq!(got.len(), 1, "{kind}");
        let req = &got[0];
        assert_eq!(req.method, "POST");
        assert_eq!(req.headers["content-type"], "application/json");
        assert_eq!(
            req.body,
            p.body.as_bytes(),
            "{kind}: the stored bytes are sent"
        );
        assert!(
            signature_valid(&secret, &req.headers, &req.body),
            "{kind}: signature"
        );
        assert!(!signature_valid(
            &generate_secret(),
            &req.headers,
            &req.body
        ));
        let ts: i64 = req.headers["webhook-timestamp"].parse().unwrap();
        assert!((before - 1..=before + 5).contains(&ts), "fresh timestamp");
        let v: Value = serde_json::from_slice(&req.body).unwrap();
        let et = EventType::parse(kind).unwrap();
        assert_eq!(v["id"], json!(req.headers["webhook-id"]));
        assert_eq!(v["type"], json!(et.topic()));
        assert_eq!(v["timestamp"], json!("2026-11-18T11:06:40Z"));
        for f in fields {
            assert!(v["data"].get(*f).is_some(), "{kind}: data.{f}");
        }
        if et.is_ticket() {
            assert_eq!(
                &v["data"], data,
                "{kind}: the FPWebhook body, one level down"
            );
        }
    }
}

#[test]
fn filters_by_category_and_title_regex() {
    let rx = Receiver::spawn();
    let secret = generate_secret();
    let subs = vec![
        (1, 0, ""),
        (2, 5, ""),
        (3, 6, ""),
        (4, 0, "^\\[GDMS\\] "),
        (5, 5, "Router"),
        (6, 0, "router"),
    ];
    let p = prepare(
        "TicketCreated",
        json!({"ticket_id": 1}),
        "[GDMS] Router down",
        5,
        subs,
    );
    assert_eq!(p.subscriptions, vec![1, 2, 4, 5]);
    let ds = p
        .subscriptions
        .iter()
        .map(|s| delivery(*s, *s, rx.url(&format!("/s{s}")), &secret, &p))
        .collect();
    run(ds, opts(), vec![]);
    for s in 1..=6 {
        assert_eq!(
            rx.received_on(&format!("/s{s}")).len(),
            usize::from([1, 2, 4, 5].contains(&s)),
            "sub {s}"
        );
    }
}

#[test]
fn outcomes_2xx_410_4xx_5xx_redirect_timeout_refused() {
    let rx = Receiver::spawn();
    let secret = generate_secret();
    rx.always("/ok", Reply::status(200));
    rx.always("/accepted", Reply::status(202));
    rx.always("/gone", Reply::status(410));
    rx.always("/bad", Reply::status(400).body("nope"));
    rx.always("/boom", Reply::status(503).body("x".repeat(10_000)));
    rx.always("/moved", Reply::status(302).location("/ok2"));
    rx.always("/slow", Reply::status(200).delay(3_000));
    let p = prepare("TicketCreated", json!({"ticket_id": 1}), "", 0, vec![]);
    let refused = format!("http://127.0.0.1:{}/x", free_port());
    let paths = [
        "/ok",
        "/accepted",
        "/gone",
        "/bad",
        "/boom",
        "/moved",
        "/slow",
    ];
    let mut ds: Vec<Delivery> = paths
        .iter()
        .enumerate()
        .map(|(i, path)| delivery(i as i64 + 1, i as i64 + 1, rx.url(path), &secret, &p))
        .collect();
    ds.push(delivery(8, 8, refused, &secret, &p));
    let o = DeliverOptions {
        timeout_ms: 500,
        ..opts()
    };
    let r = run(ds, o, vec![]);
    let expect = [
        (1, 200, Outcome::Delivered),
        (2, 202, Outcome::Delivered),
        (3, 410, Outcome::Gone),
        (4, 400, Outcome::Retry),
        (5, 503, Outcome::Retry),
        (6, 302, Outcome::Retry),
        (7, 0, Outcome::Retry),
        (8, 0, Outcome::Retry),
    ];
    for (q, status, outcome) in expect {
        let a = attempt_of(&r, q);
        assert_eq!((a.status, a.outcome), (status, outcome), "row {q}: {a:?}");
        assert_eq!(a.attempt, 1);
        assert_eq!(a.next_attempt_at.is_some(), outcome != Outcome::Delivered);
    }
    assert_eq!(attempt_of(&r, 4).response, "nope");
    assert_eq!(
        attempt_of(&r, 5).response.len(),
        RESPONSE_CAP,
        "response body capped"
    );
    assert!(
        attempt_of(&r, 7).error.contains("timeout"),
        "{}",
        attempt_of(&r, 7).error
    );
    assert!(attempt_of(&r, 7).duration_ms < 2_000);
    assert!(!attempt_of(&r, 8).error.is_empty());
    assert!(
        rx.received_on("/ok2").is_empty(),
        "redirects are not followed"
    );
    let gone: Vec<_> = r
        .subscriptions
        .iter()
        .filter(|s| s.deactivate.is_some())
        .collect();
    assert_eq!(gone.len(), 1);
    assert_eq!((gone[0].id, gone[0].deactivate), (3, Some("gone")));
}

#[test]
fn private_targets_are_refused_unless_allowed() {
    let rx = Receiver::spawn();
    let secret = generate_secret();
    let p = prepare("WanDown", json!({}), "", 0, vec![]);
    let url_ip = rx.url("/a");
    let url_name = url_ip.replace("127.0.0.1", "localhost");
    let ds = vec![
        delivery(1, 1, url_ip, &secret, &p),
        delivery(2, 2, url_name, &secret, &p),
    ];
    let r = run(
        ds.clone(),
        DeliverOptions {
            allow_private: false,
            ..opts()
        },
        vec![],
    );
    assert!(
        r.attempts
            .iter()
            .all(|a| a.status == 0 && a.error.contains("private")),
        "{:?}",
        r.attempts
    );
    assert!(rx.received().is_empty());
    let r = run(ds, opts(), vec![]);
    assert!(r.attempts.iter().all(|a| a.outcome == Outcome::Delivered));
}

#[test]
fn backoff_schedule_then_dead_letter() {
    let rx = Receiver::spawn();
    rx.always("/fail", Reply::status(500));
    let secret = generate_secret();
    let p = prepare("TicketCreated", json!({}), "", 0, vec![]);
    let ds: Vec<Delivery> = (0..8u32)
        .map(|n| Delivery {
            attempts: n,
            ..delivery(
                i64::from(n) + 1,
                i64::from(n) + 1,
                rx.url("/fail"),
                &secret,
                &p,
            )
        })
        .collect();
    let r = run(ds, opts(), vec![]);
    for n in 0..7u32 {
        let a = attempt_of(&r, i64::from(n) + 1);
        assert_eq!(a.attempt, n + 1);
        assert_eq!(a.outcome, Outcome::Retry);
        let wait = (a.next_attempt_at.unwrap() - a.sent_at) as f64;
        let base = SCHEDULE_S[n as usize] as f64;
        assert!(
            wait >= base * 0.9 - 1.0 && wait <= base * 1.1 + 1.0,
            "attempt {}: {wait} vs {base}",
            n + 1
        );
    }
    let last = attempt_of(&r, 8);
    assert_eq!(
        (last.attempt, last.outcome, last.next_attempt_at),
        (8, Outcome::Dead, None)
    );
}

#[test]
fn consecutive_failures_deactivate_and_a_success_resets() {
    let rx = Receiver::spawn();
    rx.always("/fail", Reply::status(500));
    let secret = generate_secret();
    let p = prepare("TicketCreated", json!({}), "", 0, vec![]);
    let o = DeliverOptions {
        failure_threshold: 10,
        ..opts()
    };
    let subs = vec![
        SubscriptionState { id: 1, failures: 9 },
        SubscriptionState { id: 2, failures: 9 },
    ];
    let r = run(
        vec![
            delivery(1, 1, rx.url("/fail"), &secret, &p),
            delivery(2, 2, rx.url("/ok"), &secret, &p),
        ],
        o,
        subs,
    );
    let s1 = r.subscriptions.iter().find(|s| s.id == 1).unwrap();
    let s2 = r.subscriptions.iter().find(|s| s.id == 2).unwrap();
    assert_eq!((s1.failures, s1.deactivate), (10, Some("max_failures")));
    assert_eq!((s2.failures, s2.deactivate), (0, None));
}

/// The PHP queue, as far as delivery is concerned: pending rows with their
/// attempts; a chain's head is its smallest pending id.
struct Queue {
    rows: Vec<(Delivery, i64)>, // (row, next_attempt_at)
}

impl Queue {
    fn due(&self, now: i64) -> Vec<Delivery> {
        self.rows
            .iter()
            .filter(|(_, next)| *next <= now)
            .map(|(d, _)| {
                let head = self
                    .rows
                    .iter()
                    .filter(|(o, _)| o.subscription_id == d.subscription_id && o.chain == d.chain)
                    .map(|(o, _)| o.queue_id)
                    .min()
                    .unwrap();
                Delivery {
                    chain_head: head,
                    ..d.clone()
                }
            })
            .collect()
    }

    fn apply(&mut self, r: &DeliverReport) {
        for a in &r.attempts {
            let i = self
                .rows
                .iter()
                .position(|(d, _)| d.queue_id == a.queue_id)
                .unwrap();
            match a.outcome {
                Outcome::Delivered | Outcome::Dead => {
                    self.rows.remove(i);
                }
                Outcome::Retry | Outcome::Gone => {
                    self.rows[i].0.attempts = a.attempt;
                    self.rows[i].1 = a.next_attempt_at.unwrap();
                }
            }
        }
    }
}

#[test]
fn nothing_is_lost_while_the_receiver_is_down_and_order_holds_per_ticket() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let secret = generate_secret();
    let mut q = Queue { rows: Vec::new() };
    let mut ids = Vec::new();
    for i in 1..=6i64 {
        let ticket = if i % 2 == 0 { 2 } else { 1 };
        let p = prepare(
            "TicketFollowupAdded",
            json!({"ticket_id": ticket, "followup_id": i}),
            "",
            0,
            vec![],
        );
        ids.push((ticket, p.id.clone()));
        let d = Delivery {
            chain: format!("ticket:{ticket}"),
            ..delivery(i, 1, url.clone(), &secret, &p)
        };
        q.rows.push((d, 0));
    }
    // Down: each chain's head fails, the rest of each chain waits.
    let now = chrono::Utc::now().timestamp();
    let r = run(q.due(now), opts(), vec![]);
    assert_eq!(r.attempts.len(), 2, "{:?}", r.attempts);
    assert!(r.attempts.iter().all(|a| a.outcome == Outcome::Retry));
    assert_eq!(r.skipped, vec![3, 4, 5, 6]);
    q.apply(&r);
    // Still in backoff: nothing is sent, not even rows behind the heads.
    let r = run(q.due(now), opts(), vec![]);
    assert!(r.attempts.is_empty());
    assert_eq!(r.skipped, vec![3, 4, 5, 6]);
    // Back up, and the backoff expired.
    let rx = Receiver::spawn_on(port);
    let later = now + 3_600;
    let r = run(q.due(later), opts(), vec![]);
    q.apply(&r);
    assert!(q.rows.is_empty(), "all delivered");
    let got: Vec<Value> = rx
        .received()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(got.len(), 6);
    for ticket in [1, 2] {
        let sent: Vec<&Value> = got
            .iter()
            .filter(|v| v["data"]["ticket_id"] == json!(ticket))
            .map(|v| &v["id"])
            .collect();
        let queued: Vec<Value> = ids
            .iter()
            .filter(|(t, _)| *t == ticket)
            .map(|(_, id)| json!(id))
            .collect();
        assert_eq!(
            sent,
            queued.iter().collect::<Vec<_>>(),
            "ticket {ticket} in order, once each"
        );
    }
}

#[test]
fn a_chain_stops_at_its_first_failure() {
    let rx = Receiver::spawn();
    rx.once("/h", Reply::status(200));
    rx.once("/h", Reply::status(500));
    let secret = generate_secret();
    let p = prepare("TicketFollowupAdded", json!({}), "", 0, vec![]);
    let ds: Vec<Delivery> = (1..=4)
        .map(|i| Delivery {
            chain: "ticket:9".into(),
            chain_head: 1,
            ..delivery(i, 1, rx.url("/h"), &secret, &p)
        })
        .collect();
    let r = run(ds, opts(), vec![]);
    assert_eq!(attempt_of(&r, 1).outcome, Outcome::Delivered);
    assert_eq!(attempt_of(&r, 2).outcome, Outcome::Retry);
    assert_eq!(r.skipped, vec![3, 4]);
    assert_eq!(rx.received().len(), 2);
}
