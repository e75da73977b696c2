//! Counters a test reads to assert what a client did: requests per endpoint,
//! outcomes, tokens issued per cloud and grant, faults fired, concurrency,
//! and the exact bodies of destructive calls.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// A destructive call (`task/add`, `upgrade/add`) as received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedCall {
    /// Endpoint name, e.g. `uc:task/add`.
    pub endpoint: String,
    /// Decoded query parameters, in received order.
    pub query: Vec<(String, String)>,
    /// The raw body text.
    pub body: String,
    /// The body parsed, `null` if it was not JSON.
    pub json: Value,
    /// The `retCode` answered.
    pub ret_code: i64,
    /// Server time, epoch ms.
    pub at_ms: i64,
}

/// A copy of the counters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatsSnapshot {
    /// Requests received per endpoint (before faults and auth).
    pub requests: BTreeMap<String, u64>,
    /// Outcomes per endpoint: `"0"` success, `"40001"` …, `"http_503"`, `"hang"`.
    pub outcomes: BTreeMap<String, BTreeMap<String, u64>>,
    /// Tokens issued, keyed `uc:password`, `uc:refresh_token`, `gwn:client_credentials`.
    pub tokens_issued: BTreeMap<String, u64>,
    /// Token requests refused, keyed like `tokens_issued`.
    pub tokens_refused: BTreeMap<String, u64>,
    /// Faults fired per kind.
    pub faults_fired: BTreeMap<String, u64>,
    /// Webhooks pushed and answered (any HTTP status).
    pub webhooks_sent: u64,
    /// Automatic webhook pushes that could not be delivered.
    pub webhooks_failed: u64,
    /// Random scenario events applied by the chaos task.
    pub chaos_events: u64,
    /// Most requests in flight at once since the last reset.
    pub max_in_flight: u64,
}

impl StatsSnapshot {
    /// Requests to one endpoint.
    pub fn requests_to(&self, endpoint: &str) -> u64 {
        self.requests.get(endpoint).copied().unwrap_or(0)
    }

    /// Times `endpoint` answered `outcome` (`"0"`, `"40003"`, `"http_500"`…).
    pub fn outcome(&self, endpoint: &str, outcome: &str) -> u64 {
        self.outcomes
            .get(endpoint)
            .and_then(|m| m.get(outcome))
            .copied()
            .unwrap_or(0)
    }

    /// Tokens issued for a key such as `gwn:client_credentials`.
    pub fn tokens(&self, key: &str) -> u64 {
        self.tokens_issued.get(key).copied().unwrap_or(0)
    }

    /// Total requests across endpoints.
    pub fn total_requests(&self) -> u64 {
        self.requests.values().sum()
    }
}

/// The live counters.
#[derive(Debug, Default)]
pub struct Stats {
    /// Counters.
    pub snap: StatsSnapshot,
    /// Destructive calls received.
    pub recorded: Vec<RecordedCall>,
    /// Requests in flight now.
    pub in_flight: u64,
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    *map.entry(key.to_string()).or_insert(0) += 1;
}

impl Stats {
    /// A request arrived.
    pub fn request(&mut self, endpoint: &str) {
        bump(&mut self.snap.requests, endpoint);
        self.in_flight += 1;
        self.snap.max_in_flight = self.snap.max_in_flight.max(self.in_flight);
    }

    /// A request was answered with `outcome`.
    pub fn outcome(&mut self, endpoint: &str, outcome: &str) {
        bump(
            self.snap.outcomes.entry(endpoint.to_string()).or_default(),
            outcome,
        );
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// A token was issued.
    pub fn token_issued(&mut self, key: &str) {
        bump(&mut self.snap.tokens_issued, key);
    }

    /// A token request was refused.
    pub fn token_refused(&mut self, key: &str) {
        bump(&mut self.snap.tokens_refused, key);
    }

    /// A fault fired.
    pub fn fault(&mut self, kind: &str) {
        bump(&mut self.snap.faults_fired, kind);
    }

    /// Zeroes every counter and forgets recorded calls.
    pub fn reset(&mut self) {
        self.snap = StatsSnapshot {
            max_in_flight: self.in_flight,
            ..StatsSnapshot::default()
        };
        self.recorded.clear();
    }
}
