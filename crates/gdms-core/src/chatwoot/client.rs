//! The Chatwoot application API calls the plugin makes (spec §4):
//! `POST /api/v1/accounts/{account}/conversations/{id}/messages`,
//! `POST .../conversations/{id}/toggle_status`, and a read-only
//! `GET .../contacts/search` as the connection test. Header
//! `api_access_token`. Runs on the process runtime (created lazily in the
//! php-fpm worker, see [`crate::cloud::runtime`]); the token never appears
//! in an error.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::payload::ECHO_MARKER;
use super::text::html_to_text;
use crate::cloud::runtime;

/// Where and as whom to call.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    /// `https://chat.example.com` (no `/api/...`).
    pub base_url: String,
    /// Account id.
    pub account_id: i64,
    /// User or agent-bot access token.
    pub token: String,
    /// Whole-request timeout, ms (default 10000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// One thing to tell Chatwoot.
#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    /// The caller's id for it (queue row), echoed in the result.
    pub id: i64,
    /// `message` or `status`.
    pub kind: String,
    /// Conversation display id.
    pub conversation_id: i64,
    /// `message`: GLPI rich text, sent flattened to plain text.
    #[serde(default)]
    pub html: String,
    /// `message`: internal note.
    #[serde(default)]
    pub private: bool,
    /// `status`: `open`, `resolved`, `pending`, `snoozed`.
    #[serde(default)]
    pub status: String,
    /// `message`: stored in `content_attributes.gdmsintegration` so the
    /// webhook echo of this message is recognised and never imported.
    #[serde(default)]
    pub marker: Value,
}

/// A batch of actions, sent in order.
#[derive(Debug, Clone, Deserialize)]
pub struct SendRequest {
    /// The account.
    #[serde(flatten)]
    pub account: Account,
    /// Actions, in order.
    pub actions: Vec<Action>,
}

/// What happened to one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionResult {
    /// The action's id.
    pub id: i64,
    /// Accepted by Chatwoot (2xx).
    pub ok: bool,
    /// HTTP status, 0 when no answer arrived.
    pub http_status: u16,
    /// Id of the message Chatwoot created, for `message`.
    pub message_id: Option<i64>,
    /// What went wrong, when not ok.
    pub error: Option<String>,
    /// Worth trying again later (timeouts, connection errors, 408, 429, 5xx).
    pub retryable: bool,
}

fn base(account: &Account) -> Result<String, String> {
    let b = account.base_url.trim().trim_end_matches('/');
    if !(b.starts_with("http://") || b.starts_with("https://")) || b.len() < 10 {
        return Err("the Chatwoot URL must start with http:// or https://".into());
    }
    if account.account_id <= 0 {
        return Err("the account id must be a positive integer".into());
    }
    Ok(format!("{b}/api/v1/accounts/{}", account.account_id))
}

async fn call(
    client: &reqwest::Client,
    account: &Account,
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> (u16, Result<Value, String>) {
    let timeout = Duration::from_millis(account.timeout_ms.unwrap_or(10_000).clamp(100, 60_000));
    let mut req = client
        .request(method, url)
        .timeout(timeout)
        .header("api_access_token", account.token.as_str())
        .header("Accept", "application/json");
    if let Some(b) = body {
        req = req.json(&b);
    }
    match req.send().await {
        Err(e) => {
            let what = if e.is_timeout() {
                "timeout"
            } else if e.is_connect() {
                "cannot connect"
            } else {
                "request failed"
            };
            (0, Err(what.to_string()))
        }
        Ok(resp) => {
            let status = resp.status().as_u16();
            let bytes = resp.bytes().await.unwrap_or_default();
            let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if (200..300).contains(&status) {
                (status, Ok(v))
            } else {
                let detail = v
                    .get("description")
                    .or_else(|| v.get("error"))
                    .or_else(|| v.get("message"))
                    .and_then(Value::as_str)
                    .map(|s| s.chars().take(120).collect::<String>())
                    .unwrap_or_else(|| match status {
                        401 => "access token refused".into(),
                        404 => "account or conversation not found".into(),
                        _ => format!("HTTP {status}"),
                    });
                (status, Err(detail))
            }
        }
    }
}

fn retryable(status: u16) -> bool {
    matches!(status, 0 | 408 | 425 | 429) || status >= 500
}

/// Sends the actions in order; never fails as a whole.
pub fn send(req: &SendRequest) -> Vec<ActionResult> {
    let fail_all = |msg: String, retry: bool| {
        req.actions
            .iter()
            .map(|a| ActionResult {
                id: a.id,
                ok: false,
                http_status: 0,
                message_id: None,
                error: Some(msg.clone()),
                retryable: retry,
            })
            .collect::<Vec<_>>()
    };
    let root = match base(&req.account) {
        Ok(r) => r,
        Err(e) => return fail_all(e, false),
    };
    let client = match runtime::client(Duration::from_secs(5)) {
        Ok(c) => c,
        Err(e) => return fail_all(e.to_string(), true),
    };
    let fut = async {
        let mut out = Vec::with_capacity(req.actions.len());
        for a in &req.actions {
            let conv = format!("{root}/conversations/{}", a.conversation_id);
            let (url, body) = match a.kind.as_str() {
                "message" => {
                    let mut attrs = serde_json::Map::new();
                    attrs.insert(
                        ECHO_MARKER.into(),
                        if a.marker.is_null() {
                            json!({})
                        } else {
                            a.marker.clone()
                        },
                    );
                    (
                        format!("{conv}/messages"),
                        json!({"content": html_to_text(&a.html), "message_type": "outgoing", "private": a.private, "content_type": "text", "content_attributes": attrs}),
                    )
                }
                "status" => (format!("{conv}/toggle_status"), json!({"status": a.status})),
                other => {
                    out.push(ActionResult {
                        id: a.id,
                        ok: false,
                        http_status: 0,
                        message_id: None,
                        error: Some(format!("unknown action kind {other:?}")),
                        retryable: false,
                    });
                    continue;
                }
            };
            let (status, r) = call(
                &client,
                &req.account,
                reqwest::Method::POST,
                url,
                Some(body),
            )
            .await;
            out.push(match r {
                Ok(v) => ActionResult {
                    id: a.id,
                    ok: true,
                    http_status: status,
                    message_id: (a.kind == "message")
                        .then(|| v.get("id").and_then(Value::as_i64))
                        .flatten(),
                    error: None,
                    retryable: false,
                },
                Err(e) => ActionResult {
                    id: a.id,
                    ok: false,
                    http_status: status,
                    message_id: None,
                    error: Some(e),
                    retryable: retryable(status),
                },
            });
        }
        out
    };
    match runtime::block_on(fut) {
        Ok(r) => r,
        Err(e) => fail_all(e.to_string(), true),
    }
}

/// Connection test result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestResult {
    /// The token and account were accepted.
    pub ok: bool,
    /// HTTP status, 0 when no answer arrived.
    pub http_status: u16,
    /// What went wrong.
    pub error: Option<String>,
}

/// A read-only call proving URL, account and token: `GET .../contacts/search?q=…`.
pub fn test_connection(account: &Account) -> TestResult {
    let root = match base(account) {
        Ok(r) => r,
        Err(e) => {
            return TestResult {
                ok: false,
                http_status: 0,
                error: Some(e),
            }
        }
    };
    let client = match runtime::client(Duration::from_secs(5)) {
        Ok(c) => c,
        Err(e) => {
            return TestResult {
                ok: false,
                http_status: 0,
                error: Some(e.to_string()),
            }
        }
    };
    let url = format!("{root}/contacts/search?q=gdmsintegration-connection-test");
    match runtime::block_on(call(&client, account, reqwest::Method::GET, url, None)) {
        Ok((status, Ok(_))) => TestResult {
            ok: true,
            http_status: status,
            error: None,
        },
        Ok((status, Err(e))) => TestResult {
            ok: false,
            http_status: status,
            error: Some(e),
        },
        Err(e) => TestResult {
            ok: false,
            http_status: 0,
            error: Some(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_accounts_fail_without_a_request() {
        let r = send(&SendRequest {
            account: Account {
                base_url: "ftp://x".into(),
                account_id: 1,
                token: "t".into(),
                timeout_ms: None,
            },
            actions: vec![Action {
                id: 4,
                kind: "status".into(),
                conversation_id: 1,
                html: String::new(),
                private: false,
                status: "resolved".into(),
                marker: Value::Null,
            }],
        });
        assert_eq!(r.len(), 1);
        assert!(!r[0].ok && !r[0].retryable);
        let t = test_connection(&Account {
            base_url: "https://chat.example.com".into(),
            account_id: 0,
            token: "t".into(),
            timeout_ms: None,
        });
        assert_eq!(
            t.error.as_deref(),
            Some("the account id must be a positive integer")
        );
    }

    #[test]
    fn retry_policy() {
        for (s, r) in [
            (0, true),
            (408, true),
            (429, true),
            (500, true),
            (503, true),
            (400, false),
            (401, false),
            (404, false),
            (422, false),
        ] {
            assert_eq!(retryable(s), r, "{s}");
        }
    }
}
