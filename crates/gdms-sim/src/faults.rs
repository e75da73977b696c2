//! Fault injection: rules that make chosen endpoints slow, fail, hang, lie or
//! throttle, so clients can be tested against what real networks do.
//!
//! A rule matches an endpoint scope (`"*"`, `"gwn:*"`, `"uc:device/list"`),
//! optionally only one page number, fires with a probability (seeded, so a run
//! is reproducible) and optionally only a number of times. Latency rules add
//! up; of the other rules the first that fires decides the response.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::rng::SplitMix64;

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Adds a delay drawn uniformly from `[min_ms, max_ms]` (equal for fixed).
    Latency {
        /// Lower bound, ms.
        min_ms: u64,
        /// Upper bound, ms (taken as `min_ms` when smaller).
        #[serde(default)]
        max_ms: u64,
    },
    /// Answers this HTTP status (5xx usually) with a plain-text body.
    Status {
        /// HTTP status code.
        status: u16,
    },
    /// Answers this HTTP status with an HTML error page (as a proxy would).
    Html {
        /// HTTP status code (200 for a captive-portal style page).
        status: u16,
    },
    /// Holds the request for `ms` before answering 504: longer than a
    /// client's timeout, so it times out.
    Hang {
        /// How long to hold, ms.
        ms: u64,
    },
    /// Answers `retCode` 40002 `access_token expired` whatever the token.
    TokenExpired,
    /// Answers HTTP 200 with a JSON body cut in the middle.
    MalformedJson,
    /// Drops the second half of a list page's rows (a page that comes short).
    ShortPage,
    /// Answers 429 with `Retry-After`.
    RateLimit {
        /// Seconds in the `Retry-After` header.
        retry_after_s: u64,
    },
}

impl FaultKind {
    /// Short name for counters.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Latency { .. } => "latency",
            FaultKind::Status { .. } => "status",
            FaultKind::Html { .. } => "html",
            FaultKind::Hang { .. } => "hang",
            FaultKind::TokenExpired => "token_expired",
            FaultKind::MalformedJson => "malformed_json",
            FaultKind::ShortPage => "short_page",
            FaultKind::RateLimit { .. } => "rate_limit",
        }
    }
}

fn default_scope() -> String {
    "*".into()
}

fn default_rate() -> f64 {
    1.0
}

/// One fault rule, as given to `add_fault` or `POST /__admin/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Endpoint scope: `*`, `uc:*`, `gwn:*`, or an endpoint name such as
    /// `gwn:ap/list`, `uc:token`, `firmware:page`.
    #[serde(default = "default_scope")]
    pub endpoint: String,
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Probability each matching request is hit (0..=1).
    #[serde(default = "default_rate")]
    pub rate: f64,
    /// Fire at most this many times (`None`: forever).
    #[serde(default)]
    pub count: Option<u64>,
    /// Only requests whose body asks for this `pageNum`.
    #[serde(default)]
    pub page: Option<u64>,
}

impl FaultRule {
    /// A rule that always fires on `endpoint`.
    pub fn new(endpoint: &str, kind: FaultKind) -> Self {
        Self {
            endpoint: endpoint.into(),
            kind,
            rate: 1.0,
            count: None,
            page: None,
        }
    }

    /// Fire with probability `rate`.
    pub fn rate(mut self, rate: f64) -> Self {
        self.rate = rate;
        self
    }

    /// Fire only `n` times.
    pub fn times(mut self, n: u64) -> Self {
        self.count = Some(n);
        self
    }

    /// Fire only on page `n`.
    pub fn on_page(mut self, n: u64) -> Self {
        self.page = Some(n);
        self
    }

    fn matches(&self, endpoint: &str, page: Option<u64>) -> bool {
        let scope_ok = self.endpoint == "*"
            || self.endpoint == endpoint
            || self
                .endpoint
                .strip_suffix('*')
                .is_some_and(|prefix| endpoint.starts_with(prefix));
        let page_ok = self.page.is_none() || self.page == page;
        scope_ok && page_ok && self.count != Some(0)
    }
}

/// A rule with its id and how often it fired.
#[derive(Debug, Clone, Serialize)]
pub struct ActiveRule {
    /// Id to remove it by.
    pub id: u64,
    /// The rule (its `count` counts down).
    pub rule: FaultRule,
    /// Times fired.
    pub fired: u64,
}

/// What to do to one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// Total added latency.
    pub latency: Duration,
    /// The response-changing fault, if any fired.
    pub action: Option<FaultKind>,
}

/// All fault rules plus the seeded dice.
#[derive(Debug)]
pub struct FaultEngine {
    rules: Vec<ActiveRule>,
    next_id: u64,
    rng: SplitMix64,
}

impl FaultEngine {
    /// No rules; dice seeded from the simulator seed.
    pub fn new(seed: u64) -> Self {
        Self {
            rules: Vec::new(),
            next_id: 1,
            rng: SplitMix64::derive(seed, "faults"),
        }
    }

    /// Adds a rule, returns its id.
    pub fn add(&mut self, rule: FaultRule) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.rules.push(ActiveRule { id, rule, fired: 0 });
        id
    }

    /// Removes one rule; false when unknown.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        before != self.rules.len()
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules, for the admin API.
    pub fn list(&self) -> Vec<ActiveRule> {
        self.rules.clone()
    }

    /// Decides what happens to one request to `endpoint` asking for `page`.
    /// Returns the decision and the names of the faults that fired.
    pub fn decide(&mut self, endpoint: &str, page: Option<u64>) -> (Decision, Vec<&'static str>) {
        let mut d = Decision::default();
        let mut fired = Vec::new();
        for r in &mut self.rules {
            if !r.rule.matches(endpoint, page) {
                continue;
            }
            let is_latency = matches!(r.rule.kind, FaultKind::Latency { .. });
            if !is_latency && d.action.is_some() {
                continue;
            }
            if r.rule.rate < 1.0 && !self.rng.chance(r.rule.rate) {
                continue;
            }
            if let Some(c) = r.rule.count.as_mut() {
                *c -= 1;
            }
            r.fired += 1;
            fired.push(r.rule.kind.name());
            match &r.rule.kind {
                FaultKind::Latency { min_ms, max_ms } => {
                    let ms = self.rng.range(*min_ms, (*max_ms).max(*min_ms));
                    d.latency += Duration::from_millis(ms);
                }
                other => d.action = Some(other.clone()),
            }
        }
        (d, fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_pages_counts_and_rates() {
        let mut f = FaultEngine::new(1);
        f.add(FaultRule::new("gwn:*", FaultKind::Status { status: 503 }).times(2));
        f.add(FaultRule::new("uc:device/list", FaultKind::ShortPage).on_page(2));
        f.add(FaultRule::new(
            "*",
            FaultKind::Latency {
                min_ms: 5,
                max_ms: 5,
            },
        ));
        let (d, _) = f.decide("gwn:ap/list", Some(1));
        assert_eq!(d.action, Some(FaultKind::Status { status: 503 }));
        assert_eq!(d.latency, Duration::from_millis(5));
        f.decide("gwn:ap/list", None);
        assert_eq!(f.decide("gwn:ap/list", None).0.action, None);
        assert_eq!(f.decide("uc:device/list", Some(1)).0.action, None);
        assert_eq!(
            f.decide("uc:device/list", Some(2)).0.action,
            Some(FaultKind::ShortPage)
        );

        let mut g = FaultEngine::new(9);
        g.add(FaultRule::new("*", FaultKind::TokenExpired).rate(0.25));
        let hits = (0..4000)
            .filter(|_| g.decide("uc:org/list", None).0.action.is_some())
            .count();
        assert!((800..1200).contains(&hits), "{hits}");
    }

    #[test]
    fn rules_read_from_json() {
        let r: FaultRule = serde_json::from_str(
            r#"{"endpoint":"gwn:ap/list","kind":"rate_limit","retry_after_s":2,"count":1}"#,
        )
        .unwrap();
        assert_eq!(r.kind, FaultKind::RateLimit { retry_after_s: 2 });
        assert_eq!(r.count, Some(1));
        let l: FaultRule =
            serde_json::from_str(r#"{"kind":"latency","min_ms":10,"max_ms":50}"#).unwrap();
        assert_eq!(l.endpoint, "*");
    }
}
