//! Outgoing webhook delivery benchmark: 1 000 queued deliveries to a
//! loopback receiver that answers every request after 100 ms.
//!
//! Run: `cargo run --release -p gdms-core --example bench_webhooks`
//!
//! The batch goes through `deliver_json`, as the PHP cron hands it over:
//! 1 000 rows of 200 tickets (5 events each, so each ticket's rows are
//! sent one after the other), one subscription, default options (32 in
//! flight). Target: drained in <= 10 s (FPWebhook sends 5-10 per minute).
//! Also prints the same batch with every row on its own chain, and the
//! cost of signing alone.

#[path = "../tests/outgoing_support/mod.rs"]
mod outgoing_support;

use std::time::Instant;

use gdms_core::outgoing::delivery::deliver_json;
use gdms_core::outgoing::envelope::prepare_json;
use gdms_core::outgoing::signing::{generate_secret, signature_header};
use outgoing_support::{Receiver, Reply};
use serde_json::{json, Value};

/// The allocator of the `gdms` extension, which runs this code in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: i64 = 1_000;
const TICKETS: i64 = 200;
const LATENCY_MS: u64 = 100;

fn batch(url: &str, secret: &str, chained: bool) -> String {
    let mut deliveries = Vec::new();
    for i in 1..=ROWS {
        let ticket = (i - 1) % TICKETS + 1;
        let p: Value = serde_json::from_str(
            &prepare_json(
                &json!({"event": {"type": "TicketFollowupAdded", "occurred_at": 1_795_000_000,
                    "data": {"ticket_id": ticket, "followup_id": i, "content": "<p>Followup text of a realistic length for a ticket update.</p>"}},
                    "subscriptions": [{"id": 1}]})
                .to_string(),
            )
            .unwrap(),
        )
        .unwrap();
        let chain = if chained {
            format!("ticket:{ticket}")
        } else {
            String::new()
        };
        deliveries.push(json!({"queue_id": i, "subscription_id": 1, "chain": chain,
            "chain_head": if chained { ticket } else { 0 },
            "url": url, "secrets": [secret], "message_id": p["id"], "body": p["body"]}));
    }
    json!({"options": {"allow_private": true}, "deliveries": deliveries,
           "subscriptions": [{"id": 1, "failures": 0}]})
    .to_string()
}

fn run(label: &str, rx: &Receiver, doc: &str) {
    let before = rx.received().len();
    let t = Instant::now();
    let report: Value = serde_json::from_str(&deliver_json(doc).unwrap()).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let attempts = report["attempts"].as_array().unwrap();
    let delivered = attempts
        .iter()
        .filter(|a| a["outcome"] == "delivered")
        .count();
    let mut ms: Vec<u64> = attempts
        .iter()
        .map(|a| a["duration_ms"].as_u64().unwrap())
        .collect();
    ms.sort_unstable();
    println!(
        "{label}: {delivered}/{ROWS} delivered in {secs:.2} s ({:.0}/s), received {}, attempt p50 {} ms p99 {} ms",
        delivered as f64 / secs,
        rx.received().len() - before,
        ms[ms.len() / 2],
        ms[ms.len() * 99 / 100],
    );
}

fn main() {
    let rx = Receiver::spawn();
    rx.always("/hook", Reply::status(200).delay(LATENCY_MS));
    let secret = generate_secret();
    let url = rx.url("/hook");
    println!("{ROWS} deliveries, receiver latency {LATENCY_MS} ms, concurrency 32 (default)");
    run(
        "ordered, 200 tickets x 5 events",
        &rx,
        &batch(&url, &secret, true),
    );
    run(
        "unordered, 1000 independent rows",
        &rx,
        &batch(&url, &secret, false),
    );

    let body = "x".repeat(600);
    let t = Instant::now();
    for i in 0..10_000 {
        std::hint::black_box(
            signature_header(std::slice::from_ref(&secret), "msg_1", i, body.as_bytes()).unwrap(),
        );
    }
    println!(
        "signing a 600-byte body: {:.1} us each",
        t.elapsed().as_secs_f64() * 1e6 / 10_000.0
    );
}
