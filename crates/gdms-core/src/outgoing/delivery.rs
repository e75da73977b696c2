//! Sending due deliveries: concurrently (bounded), signed fresh on every
//! attempt, redirects not followed, response bodies capped, and every
//! attempt reported with its outcome and, on failure, when to try again.
//!
//! Order: rows of one chain (a subscription and a ticket or device) are
//! sent one after the other, oldest first, and a chain stops at its first
//! failure; a chain whose oldest pending row is not in the batch (waiting
//! for its backoff) is not sent at all. So a receiver sees the events of
//! one ticket in the order they happened.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{backoff, guard, signing};
use crate::GdmsError;

/// Bytes of a response body kept (and read: the rest is never downloaded).
pub const RESPONSE_CAP: usize = 4096;

/// Tunables of one run; every field has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct DeliverOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// TCP+TLS connect timeout, ms.
    pub connect_timeout_ms: u64,
    /// Whole-request timeout (connect, send, status, capped body), ms.
    pub timeout_ms: u64,
    /// Allow loopback/private/link-local targets.
    pub allow_private: bool,
    /// Consecutive failed attempts after which a subscription is deactivated.
    pub failure_threshold: u32,
}

impl Default for DeliverOptions {
    fn default() -> Self {
        DeliverOptions {
            concurrency: 32,
            connect_timeout_ms: 5_000,
            timeout_ms: 10_000,
            allow_private: false,
            failure_threshold: 50,
        }
    }
}

/// One queue row to send.
#[derive(Debug, Clone, Deserialize)]
pub struct Delivery {
    /// Queue row id (ascending = order of capture).
    pub queue_id: i64,
    /// Subscription id.
    pub subscription_id: i64,
    /// Ordering key within the subscription (`ticket:12`, `device:...`);
    /// empty = no order with other rows.
    #[serde(default)]
    pub chain: String,
    /// Smallest pending queue id of this chain in the whole queue (0 =
    /// unknown, this row is taken as the head).
    #[serde(default)]
    pub chain_head: i64,
    /// Target URL.
    pub url: String,
    /// Secrets to sign with, current first (two during a rotation).
    pub secrets: Vec<String>,
    /// Message id (`webhook-id`), stable across attempts.
    pub message_id: String,
    /// Body, sent as is.
    pub body: String,
    /// Attempts already made.
    #[serde(default)]
    pub attempts: u32,
}

/// A subscription's consecutive failure count before this run.
#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionState {
    /// Subscription id.
    pub id: i64,
    /// Consecutive failed attempts so far.
    #[serde(default)]
    pub failures: u32,
}

/// `gdms_outgoing_deliver` input.
#[derive(Debug, Clone, Deserialize)]
pub struct DeliverRequest {
    /// Tunables.
    #[serde(default)]
    pub options: DeliverOptions,
    /// Due rows.
    #[serde(default)]
    pub deliveries: Vec<Delivery>,
    /// Failure counts of the subscriptions involved.
    #[serde(default)]
    pub subscriptions: Vec<SubscriptionState>,
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 2xx: the row is done.
    Delivered,
    /// Failed; try again at `next_attempt_at`.
    Retry,
    /// Failed for the last time: dead-lettered.
    Dead,
    /// 410 Gone: the subscription is deactivated; the row stays pending
    /// (with its next attempt) for when an operator resumes it.
    Gone,
}

/// One attempt, to archive.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// Queue row.
    pub queue_id: i64,
    /// Subscription.
    pub subscription_id: i64,
    /// 1-based number of this attempt.
    pub attempt: u32,
    /// When it started, epoch s (also the `webhook-timestamp`).
    pub sent_at: i64,
    /// HTTP status, 0 when none was received.
    pub status: u16,
    /// Wall time, ms.
    pub duration_ms: u64,
    /// First [`RESPONSE_CAP`] bytes of the response body (lossy UTF-8).
    pub response: String,
    /// Why it failed without a status (timeout, refused, ...), else empty.
    pub error: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Next attempt, epoch s (retry and gone).
    pub next_attempt_at: Option<i64>,
}

/// New state of a subscription after the run.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SubscriptionUpdate {
    /// Subscription.
    pub id: i64,
    /// Consecutive failed attempts now (0 after a success).
    pub failures: u32,
    /// `gone` (410) or `max_failures` when it must be deactivated.
    pub deactivate: Option<&'static str>,
}

/// `gdms_outgoing_deliver` output.
#[derive(Debug, Clone, Serialize)]
pub struct DeliverReport {
    /// Attempts, in completion order.
    pub attempts: Vec<Attempt>,
    /// Rows not attempted (chain blocked or stopped, subscription gone).
    pub skipped: Vec<i64>,
    /// Subscriptions whose state changed, by id.
    pub subscriptions: Vec<SubscriptionUpdate>,
    /// Wall time of the run, ms.
    pub duration_ms: u64,
}

static CLIENTS: OnceLock<Mutex<HashMap<(bool, u64), reqwest::Client>>> = OnceLock::new();

/// The delivery client: no redirects, guarded resolver, pooled; one per
/// (allow_private, connect timeout), created on first use in the process.
fn client(opts: &DeliverOptions) -> Result<reqwest::Client, GdmsError> {
    let key = (opts.allow_private, opts.connect_timeout_ms);
    let map = CLIENTS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = map.get(&key) {
        return Ok(c.clone());
    }
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_millis(opts.connect_timeout_ms.max(1)))
        .dns_resolver(Arc::new(guard::GuardedResolver {
            allow_private: opts.allow_private,
        }))
        .pool_max_idle_per_host(64)
        .pool_idle_timeout(Duration::from_secs(30))
        .tcp_nodelay(true)
        .user_agent(crate::cloud::runtime::USER_AGENT)
        .build()
        .map_err(|e| GdmsError::InvalidConfig {
            field: "outgoing client",
            reason: e.to_string(),
        })?;
    map.insert(key, c.clone());
    Ok(c)
}

fn now_s() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The error and its causes, joined.
fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    parts.join(": ")
}

struct Shared {
    client: reqwest::Client,
    opts: DeliverOptions,
    sem: tokio::sync::Semaphore,
    gone: Mutex<HashSet<i64>>,
    attempts: Mutex<Vec<Attempt>>,
    skipped: Mutex<Vec<i64>>,
}

/// Sends one attempt and classifies it.
async fn attempt(shared: &Shared, d: &Delivery) -> Attempt {
    let sent_at = now_s();
    let number = d.attempts + 1;
    let started = Instant::now();
    let (status, response, error) = match send(shared, d, sent_at).await {
        Ok((status, body)) => (status, body, String::new()),
        Err(error) => (0, String::new(), error),
    };
    let outcome = if (200..300).contains(&status) {
        Outcome::Delivered
    } else if status == 410 {
        Outcome::Gone
    } else if number >= backoff::MAX_ATTEMPTS {
        Outcome::Dead
    } else {
        Outcome::Retry
    };
    let next_attempt_at = match outcome {
        Outcome::Retry | Outcome::Gone => {
            backoff::delay_random_s(number.min(backoff::MAX_ATTEMPTS - 1)).map(|s| sent_at + s)
        }
        _ => None,
    };
    Attempt {
        queue_id: d.queue_id,
        subscription_id: d.subscription_id,
        attempt: number,
        sent_at,
        status,
        duration_ms: started.elapsed().as_millis() as u64,
        response,
        error,
        outcome,
        next_attempt_at,
    }
}

async fn send(shared: &Shared, d: &Delivery, ts: i64) -> Result<(u16, String), String> {
    let url = guard::check_url(&d.url, shared.opts.allow_private)?;
    let signature = signing::signature_header(&d.secrets, &d.message_id, ts, d.body.as_bytes())
        .map_err(|e| e.to_string())?;
    let resp = shared
        .client
        .post(url)
        .timeout(Duration::from_millis(shared.opts.timeout_ms.max(1)))
        .header("content-type", "application/json")
        .header("webhook-id", &d.message_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", signature)
        .body(d.body.clone())
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("timeout: {}", error_text(&e))
            } else {
                error_text(&e)
            }
        })?;
    let status = resp.status().as_u16();
    let mut resp = resp;
    let mut buf: Vec<u8> = Vec::new();
    // A body that fails or times out half-way still leaves its status.
    while buf.len() < RESPONSE_CAP {
        match resp.chunk().await {
            Ok(Some(chunk)) => buf.extend_from_slice(&chunk),
            _ => break,
        }
    }
    buf.truncate(RESPONSE_CAP);
    Ok((status, String::from_utf8_lossy(&buf).into_owned()))
}

async fn run_chain(shared: Arc<Shared>, rows: Vec<Delivery>) {
    let head_ok = rows
        .first()
        .is_some_and(|r| r.chain_head == 0 || r.chain_head >= r.queue_id);
    let mut stop = !head_ok;
    for d in &rows {
        if !stop
            && shared
                .gone
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(&d.subscription_id)
        {
            stop = true;
        }
        if stop {
            shared
                .skipped
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(d.queue_id);
            continue;
        }
        let a = {
            let _permit = shared.sem.acquire().await.expect("semaphore never closed");
            attempt(&shared, d).await
        };
        if a.outcome == Outcome::Gone {
            shared
                .gone
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(d.subscription_id);
        }
        if a.outcome != Outcome::Delivered && !d.chain.is_empty() {
            stop = true;
        }
        shared
            .attempts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(a);
    }
}

/// Sends a batch on the process runtime and reports every attempt.
///
/// # Errors
/// Only when the runtime or the HTTP client cannot be created.
pub fn deliver(req: DeliverRequest) -> Result<DeliverReport, GdmsError> {
    let started = Instant::now();
    let client = client(&req.options)?;
    let shared = Arc::new(Shared {
        client,
        sem: tokio::sync::Semaphore::new(req.options.concurrency.clamp(1, 256)),
        opts: req.options.clone(),
        gone: Mutex::new(HashSet::new()),
        attempts: Mutex::new(Vec::new()),
        skipped: Mutex::new(Vec::new()),
    });
    // Chains: rows with a chain key group by (subscription, chain); the
    // others each form their own chain.
    let mut chains: BTreeMap<(i64, String, i64), Vec<Delivery>> = BTreeMap::new();
    for d in req.deliveries {
        let key = if d.chain.is_empty() {
            (d.subscription_id, String::new(), d.queue_id)
        } else {
            (d.subscription_id, d.chain.clone(), 0)
        };
        chains.entry(key).or_default().push(d);
    }
    let run = {
        let shared = shared.clone();
        async move {
            let mut set = tokio::task::JoinSet::new();
            for (_, mut rows) in chains {
                rows.sort_by_key(|r| r.queue_id);
                set.spawn(run_chain(shared.clone(), rows));
            }
            while set.join_next().await.is_some() {}
        }
    };
    crate::cloud::runtime::block_on(run).map_err(|e| GdmsError::InvalidConfig {
        field: "outgoing runtime",
        reason: e.to_string(),
    })?;
    let attempts = std::mem::take(&mut *shared.attempts.lock().unwrap_or_else(|p| p.into_inner()));
    let mut skipped =
        std::mem::take(&mut *shared.skipped.lock().unwrap_or_else(|p| p.into_inner()));
    skipped.sort_unstable();
    let subscriptions =
        subscription_updates(&req.subscriptions, &attempts, req.options.failure_threshold);
    Ok(DeliverReport {
        attempts,
        skipped,
        subscriptions,
        duration_ms: started.elapsed().as_millis() as u64,
    })
}

/// Consecutive failures per subscription after `attempts` (in completion
/// order), and which subscriptions must be deactivated.
pub fn subscription_updates(
    before: &[SubscriptionState],
    attempts: &[Attempt],
    threshold: u32,
) -> Vec<SubscriptionUpdate> {
    let mut state: BTreeMap<i64, (u32, Option<&'static str>)> = BTreeMap::new();
    for a in attempts {
        let entry = state.entry(a.subscription_id).or_insert_with(|| {
            let f = before
                .iter()
                .find(|s| s.id == a.subscription_id)
                .map_or(0, |s| s.failures);
            (f, None)
        });
        match a.outcome {
            Outcome::Delivered => entry.0 = 0,
            Outcome::Gone => {
                entry.0 += 1;
                entry.1 = Some("gone");
            }
            Outcome::Retry | Outcome::Dead => {
                entry.0 += 1;
                if threshold > 0 && entry.0 >= threshold && entry.1.is_none() {
                    entry.1 = Some("max_failures");
                }
            }
        }
    }
    state
        .into_iter()
        .map(|(id, (failures, deactivate))| SubscriptionUpdate {
            id,
            failures,
            deactivate,
        })
        .collect()
}

/// [`deliver`] on JSON documents.
///
/// # Errors
/// A document that does not have the documented shape.
pub fn deliver_json(json: &str) -> Result<String, GdmsError> {
    let req: DeliverRequest =
        serde_json::from_str(json).map_err(|e| GdmsError::invalid_input("outgoing deliver", &e))?;
    let report = deliver(req)?;
    serde_json::to_string(&report).map_err(|e| GdmsError::invalid_input("outgoing report", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(sub: i64, outcome: Outcome) -> Attempt {
        Attempt {
            queue_id: 1,
            subscription_id: sub,
            attempt: 1,
            sent_at: 0,
            status: 0,
            duration_ms: 0,
            response: String::new(),
            error: String::new(),
            outcome,
            next_attempt_at: None,
        }
    }

    #[test]
    fn failures_are_consecutive_and_deactivate_past_the_threshold() {
        let before = [
            SubscriptionState { id: 1, failures: 8 },
            SubscriptionState { id: 2, failures: 3 },
        ];
        let u = subscription_updates(
            &before,
            &[
                a(1, Outcome::Retry),
                a(2, Outcome::Delivered),
                a(2, Outcome::Retry),
                a(1, Outcome::Dead),
                a(3, Outcome::Gone),
            ],
            10,
        );
        assert_eq!(
            u,
            vec![
                SubscriptionUpdate {
                    id: 1,
                    failures: 10,
                    deactivate: Some("max_failures")
                },
                SubscriptionUpdate {
                    id: 2,
                    failures: 1,
                    deactivate: None
                },
                SubscriptionUpdate {
                    id: 3,
                    failures: 1,
                    deactivate: Some("gone")
                },
            ]
        );
    }

    #[test]
    fn refused_targets_fail_without_a_request() {
        let req: DeliverRequest = serde_json::from_value(serde_json::json!({
            "deliveries": [{"queue_id": 5, "subscription_id": 1, "url": "http://127.0.0.1:9/x",
                            "secrets": [signing::generate_secret()], "message_id": "msg_1", "body": "{}"}]
        }))
        .unwrap();
        let r = deliver(req).unwrap();
        assert_eq!(r.attempts.len(), 1);
        assert_eq!(r.attempts[0].status, 0);
        assert_eq!(r.attempts[0].error, guard::PRIVATE_REFUSED);
        assert_eq!(r.attempts[0].outcome, Outcome::Retry);
        let next = r.attempts[0].next_attempt_at.unwrap() - r.attempts[0].sent_at;
        assert!((54..=66).contains(&next), "{next}");
    }
}
