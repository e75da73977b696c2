//! One HTTP exchange with bounded concurrency and bounded retries.
//!
//! Every request of a fetch goes through one [`Transport`]: a semaphore caps
//! the requests in flight (a permit is held for one attempt, not during a
//! backoff), and safe calls are retried on timeouts, connection errors, 5xx
//! and 429 with exponential backoff plus jitter, honouring `Retry-After`
//! (capped). Destructive calls get exactly one attempt (spec §8).
//!
//! Errors never carry the URL: its query holds the token and the signature.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::Semaphore;

use super::config::FetchOptions;
use super::error::CloudError;

/// Counters shared by every request of one fetch.
#[derive(Debug, Default)]
pub struct Counters {
    /// HTTP requests sent, retries included.
    pub requests: AtomicU32,
    /// Retries.
    pub retries: AtomicU32,
    /// Tokens obtained.
    pub tokens: AtomicU32,
}

/// Whether a call may be sent again after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Reads and token grants: retried.
    Safe,
    /// `task/add`, `upgrade/add`: one attempt only.
    Destructive,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
}

/// One request, built afresh for every attempt (timestamps and signatures change).
pub struct Outgoing {
    /// GET or POST.
    pub method: Method,
    /// URL without query.
    pub url: String,
    /// Query parameters (raw values; encoded when sent).
    pub query: Vec<(String, String)>,
    /// Body bytes and content type.
    pub body: Option<(Vec<u8>, &'static str)>,
}

/// A received answer (any status).
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Whether the server said the body is HTML.
    pub html: bool,
    /// The body.
    pub body: Vec<u8>,
}

/// The request pipe of one fetch.
pub struct Transport {
    client: reqwest::Client,
    permits: Arc<Semaphore>,
    max_attempts: u32,
    backoff: Duration,
    retry_after_cap: Duration,
    /// Counters of this fetch.
    pub counters: Arc<Counters>,
}

/// Largest answer read (a list page of 200 rows is well under 1 MiB): a
/// runaway or hostile server cannot make a worker allocate without bound.
pub const MAX_BODY: usize = 32 << 20;

static JITTER_SEQ: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);

/// 0..=max_ms pseudo-random milliseconds (splitmix over time and a counter:
/// jitter only has to de-synchronise clients, not be unpredictable).
fn jitter(max_ms: u64) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    let mut z = JITTER_SEQ.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed) ^ nanos;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    Duration::from_millis(z % (max_ms + 1))
}

/// Host of a URL, for error messages (no path, no query).
pub fn host_of(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    rest.split(['/', '?']).next().unwrap_or(rest).to_string()
}

/// Path of a URL, for error messages and reports.
pub fn path_of(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    match rest.find('/') {
        Some(i) => rest[i..].split('?').next().unwrap_or("/").to_string(),
        None => "/".into(),
    }
}

/// Turns a transport error into a [`CloudError`] without the URL.
fn classify(err: reqwest::Error, url: &str, timeout: Duration) -> CloudError {
    let err = err.without_url();
    if err.is_timeout() {
        return CloudError::Timeout {
            endpoint: path_of(url),
            ms: timeout.as_millis() as u64,
        };
    }
    let mut chain = Vec::new();
    let mut src: Option<&dyn std::error::Error> = Some(&err);
    while let Some(e) = src {
        chain.push(e.to_string());
        src = e.source();
    }
    let all = chain.join(": ").to_ascii_lowercase();
    let host = host_of(url);
    if all.contains("dns error")
        || all.contains("failed to lookup")
        || all.contains("name or service not known")
    {
        return CloudError::Dns { host };
    }
    // Keep the most specific (innermost) cause; it names refused/reset/TLS.
    let detail = chain
        .last()
        .cloned()
        .unwrap_or_else(|| "connection failed".into());
    if all.contains("timed out") {
        return CloudError::Timeout {
            endpoint: path_of(url),
            ms: timeout.as_millis() as u64,
        };
    }
    let tls_words = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "alert",
    ];
    if url.starts_with("https://") && tls_words.iter().any(|w| all.contains(w)) {
        return CloudError::Tls { host, detail };
    }
    CloudError::Connect { host, detail }
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

impl Transport {
    /// A transport for one fetch with `options`' limits.
    ///
    /// # Errors
    /// As [`super::runtime::client`].
    pub fn new(options: &FetchOptions) -> Result<Self, CloudError> {
        Ok(Self {
            client: super::runtime::client(options.connect_timeout())?,
            permits: Arc::new(Semaphore::new(options.concurrency())),
            max_attempts: options.max_attempts.clamp(1, 10),
            backoff: Duration::from_millis(options.backoff_ms),
            retry_after_cap: Duration::from_millis(options.retry_after_cap_ms),
            counters: Arc::new(Counters::default()),
        })
    }

    /// Sends the request `build` makes, retrying safe calls on transient
    /// failures. Any HTTP status that is not retried (or is the last
    /// attempt's) comes back as a [`Reply`].
    ///
    /// # Errors
    /// Timeouts, DNS and connection failures after the last attempt; HTTP
    /// 429/5xx after the last attempt as [`CloudError::Http`].
    pub async fn send(
        &self,
        build: &(dyn Fn() -> Outgoing + Send + Sync),
        timeout: Duration,
        safety: Safety,
    ) -> Result<Reply, CloudError> {
        let attempts = match safety {
            Safety::Safe => self.max_attempts,
            Safety::Destructive => 1,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let out = build();
            let url = out.url.clone();
            let result = self.once(out, timeout).await;
            let last = attempt >= attempts;
            let wait = match &result {
                Ok((reply, ra)) if reply.status == 429 => {
                    let base = ra.unwrap_or_else(|| self.backoff_for(attempt));
                    Some(base.min(self.retry_after_cap))
                }
                Ok((reply, _)) if matches!(reply.status, 500 | 502 | 503 | 504) => {
                    Some(self.backoff_for(attempt))
                }
                Ok(_) => None,
                // TLS failures are not transient: no retry.
                Err(CloudError::Timeout { .. }) | Err(CloudError::Connect { .. }) => {
                    Some(self.backoff_for(attempt))
                }
                Err(_) => None,
            };
            match (wait, last) {
                (Some(w), false) => {
                    self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(w).await;
                }
                _ => {
                    return match result {
                        Ok((reply, _)) if reply.status == 429 => Err(CloudError::Http {
                            endpoint: path_of(&url),
                            status: 429,
                            hint: " (rate limited by the cloud: lower the concurrency)".into(),
                        }),
                        Ok((reply, _)) => Ok(reply),
                        Err(e) => Err(e),
                    };
                }
            }
        }
    }

    fn backoff_for(&self, attempt: u32) -> Duration {
        let exp = self.backoff.saturating_mul(1u32 << (attempt - 1).min(8));
        exp + jitter(150)
    }

    async fn once(
        &self,
        out: Outgoing,
        timeout: Duration,
    ) -> Result<(Reply, Option<Duration>), CloudError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| CloudError::InvalidRequest("request pipe closed".into()))?;
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let mut rb = match out.method {
            Method::Get => self.client.get(&out.url),
            Method::Post => self.client.post(&out.url),
        };
        if !out.query.is_empty() {
            rb = rb.query(&out.query);
        }
        if let Some((body, ctype)) = out.body {
            rb = rb.header(reqwest::header::CONTENT_TYPE, ctype).body(body);
        }
        rb = rb
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(timeout);
        let resp = rb
            .send()
            .await
            .map_err(|e| classify(e, &out.url, timeout))?;
        let status = resp.status().as_u16();
        let ra = retry_after(resp.headers());
        let html = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("html"));
        let mut resp = resp;
        let mut body: Vec<u8> = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| classify(e, &out.url, timeout))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(CloudError::Malformed {
                    endpoint: path_of(&out.url),
                    detail: format!("answer larger than {} MiB", MAX_BODY >> 20),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok((Reply { status, html, body }, ra))
    }
}

/// Percent-encodes a form value (`application/x-www-form-urlencoded`).
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    fn enc(s: &str, out: &mut String) {
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    out.push(b as char)
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        enc(k, &mut out);
        out.push('=');
        enc(v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_reduced_to_host_and_path() {
        assert_eq!(
            host_of("https://www.gwn.cloud/oapi/v1.0.0/ap/list?x=1"),
            "www.gwn.cloud"
        );
        assert_eq!(
            path_of("https://www.gwn.cloud/oapi/v1.0.0/ap/list?access_token=s"),
            "/oapi/v1.0.0/ap/list"
        );
        assert_eq!(path_of("http://127.0.0.1:8"), "/");
    }

    #[test]
    fn form_values_are_encoded() {
        assert_eq!(
            form_encode(&[("username", "noc admin"), ("p", "a&b=c")]),
            "username=noc+admin&p=a%26b%3Dc"
        );
    }

    #[test]
    fn jitter_is_bounded() {
        for _ in 0..100 {
            assert!(jitter(150) <= Duration::from_millis(150));
        }
    }
}
