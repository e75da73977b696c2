//! The HTTP side: routes, and the one pipeline every simulated endpoint runs
//! through (count → faults → latency → auth → handler → post-faults → count).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::auth::Cloud;
use crate::envelope::{self, ApiError};
use crate::faults::FaultKind;
use crate::state::{lock, now_ms, SimState};
use crate::verify::{verify, Secrets};
use crate::{admin, firmware_pages, gwn_routes, token_routes, uc_routes};

/// Shared state as handlers see it.
pub type AppState = Arc<SimState>;

/// One received call, decoded just enough for every handler.
#[derive(Debug)]
pub struct Call {
    /// Query parameters, percent-decoded, in received order.
    pub query: Vec<(String, String)>,
    /// The exact body bytes.
    pub body: Bytes,
    /// Server time at arrival, epoch ms.
    pub now_ms: i64,
}

impl Call {
    fn new(raw_query: Option<String>, body: Bytes) -> Self {
        let query = raw_query
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            query,
            body,
            now_ms: now_ms(),
        }
    }

    /// A query parameter.
    pub fn query_param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON; an empty body is `null`.
    ///
    /// # Errors
    /// [`ApiError::BadParam`] when the body is not JSON.
    pub fn json(&self) -> Result<Value, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|_| ApiError::BadParam)
    }

    /// `pageNum` if the body asks for one (for page-scoped faults).
    fn peek_page(&self) -> Option<u64> {
        let v: Value = serde_json::from_slice(&self.body).ok()?;
        int_field(&v, "pageNum").and_then(|n| u64::try_from(n).ok())
    }
}

/// An integer field that may arrive as a JSON number or a numeric string (§6.2).
pub fn int_field(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `(pageNum, pageSize)` from a list body: page ≥ 1 (default 1), size
/// defaulted and clamped to `1..=max`.
pub fn paging(v: &Value, default_size: usize, max: usize) -> (usize, usize) {
    let page = int_field(v, "pageNum").unwrap_or(1).max(1) as usize;
    let size = int_field(v, "pageSize")
        .map(|s| s.clamp(1, max as i64) as usize)
        .unwrap_or(default_size.min(max));
    (page, size)
}

/// What a handler produces.
pub enum Out {
    /// A JSON document with a status and the outcome label for counters.
    Json(StatusCode, Value, String),
    /// An HTML page.
    Html(StatusCode, String),
}

impl Out {
    /// The cloud's success envelope around `data`.
    pub fn ok(data: Value) -> Self {
        Out::Json(StatusCode::OK, envelope::success(data), "0".into())
    }

    /// The cloud's failure envelope.
    pub fn api(err: &ApiError) -> Self {
        Out::Json(StatusCode::OK, err.to_json(), err.code().to_string())
    }

    /// From a business handler's result.
    pub fn from_result(r: Result<Value, ApiError>) -> Self {
        match r {
            Ok(v) => Out::ok(v),
            Err(e) => Out::api(&e),
        }
    }
}

/// Records the outcome even when the client hangs up mid-request (the
/// handler future is then dropped, and so is this guard).
struct Flight<'a> {
    state: &'a SimState,
    endpoint: &'static str,
    outcome: Option<String>,
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let outcome = self.outcome.take().unwrap_or_else(|| "cancelled".into());
        lock(&self.state.stats).outcome(self.endpoint, &outcome);
    }
}

/// How a pipeline authenticates.
#[derive(Clone, Copy)]
pub enum Auth {
    /// Token endpoints, firmware pages.
    None,
    /// A signed business call to this cloud.
    Signed(Cloud),
}

fn html_error(status: StatusCode) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{code} {reason}</title></head><body><center><h1>{code} {reason}</h1></center><hr><center>nginx</center></body></html>",
        code = status.as_u16(),
        reason = status.canonical_reason().unwrap_or("Error")
    )
}

/// Runs one request through counters, faults, latency and authentication,
/// then `handler`, then the faults that alter an answer.
pub async fn pipeline<F>(
    state: AppState,
    endpoint: &'static str,
    auth: Auth,
    raw_query: Option<String>,
    body: Bytes,
    handler: F,
) -> Response
where
    F: FnOnce(&SimState, &Call) -> Out,
{
    lock(&state.stats).request(endpoint);
    let mut flight = Flight {
        state: &state,
        endpoint,
        outcome: None,
    };
    let call = Call::new(raw_query, body);
    let (decision, fired) = lock(&state.faults).decide(endpoint, call.peek_page());
    if !fired.is_empty() {
        let mut stats = lock(&state.stats);
        for f in &fired {
            stats.fault(f);
        }
    }
    let latency = Duration::from_millis(state.config.latency_ms) + decision.latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut post_fault = None;
    match decision.action {
        Some(FaultKind::Status { status }) => {
            let s = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            flight.outcome = Some(format!("http_{}", s.as_u16()));
            let text = s.canonical_reason().unwrap_or("Server Error");
            return (s, [(header::CONTENT_TYPE, "text/plain")], text).into_response();
        }
        Some(FaultKind::Html { status }) => {
            let s = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            flight.outcome = Some(format!("html_{}", s.as_u16()));
            return (s, [(header::CONTENT_TYPE, "text/html")], html_error(s)).into_response();
        }
        Some(FaultKind::Hang { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            flight.outcome = Some("hang".into());
            return (StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout").into_response();
        }
        Some(FaultKind::RateLimit { retry_after_s }) => {
            flight.outcome = Some("http_429".into());
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"retCode":429,"msg":"too many requests","data":null}"#,
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return r;
        }
        Some(FaultKind::TokenExpired) => {
            let out = Out::api(&ApiError::TokenExpired);
            return finish(out, &mut flight, None);
        }
        Some(other) => post_fault = Some(other),
        None => {}
    }
    state.settle();
    if let Auth::Signed(_) = auth {
        let token = call.query_param("access_token").unwrap_or("");
        if !state.within_rate_limit(token, call.now_ms) {
            flight.outcome = Some("http_429".into());
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::RETRY_AFTER, "1"),
                ],
                r#"{"retCode":429,"msg":"too many requests","data":null}"#,
            )
                .into_response();
        }
    }
    if let Auth::Signed(cloud) = auth {
        let creds = lock(&state.creds).clone();
        let secrets = match cloud {
            Cloud::Uc => Secrets::Uc {
                client_id: &creds.uc.client_id,
                client_secret: &creds.uc.client_secret,
            },
            Cloud::Gwn => Secrets::Gwn {
                app_id: &creds.gwn.app_id,
                secret_key: &creds.gwn.secret_key,
            },
        };
        let checked = {
            let tokens = lock(&state.tokens);
            verify(
                &tokens,
                &secrets,
                &call.query,
                &call.body,
                call.now_ms,
                state.config.timestamp_window_ms,
            )
        };
        if let Err(e) = checked {
            return finish(Out::api(&e), &mut flight, None);
        }
    }
    // A bug in the simulator must not pass for a cloud fault: the panic is
    // kept and re-raised when the handle is dropped (as test harnesses do).
    let out =
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&state, &call))) {
            Ok(out) => out,
            Err(payload) => {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "non-text panic".into());
                lock(&state.panics).push(format!("{endpoint}: {msg}"));
                Out::Json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "error": "simulator panic", "detail": msg }),
                    "panic".into(),
                )
            }
        };
    finish(out, &mut flight, post_fault)
}

fn finish(out: Out, flight: &mut Flight<'_>, post: Option<FaultKind>) -> Response {
    match out {
        Out::Html(status, html) => {
            flight.outcome = Some(format!("html_{}", status.as_u16()));
            (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response()
        }
        Out::Json(status, mut body, outcome) => {
            flight.outcome = Some(outcome);
            match post {
                Some(FaultKind::ShortPage) => {
                    if let Some(rows) = body
                        .pointer_mut("/data/result")
                        .and_then(Value::as_array_mut)
                    {
                        let keep = rows.len() / 2;
                        rows.truncate(keep);
                    }
                    envelope::json_response(status, &body)
                }
                Some(FaultKind::MalformedJson) => {
                    let text = body.to_string();
                    let cut: String = text.chars().take(text.chars().count() / 2).collect();
                    (
                        status,
                        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
                        cut,
                    )
                        .into_response()
                }
                _ => envelope::json_response(status, &body),
            }
        }
    }
}

async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    lock(&state.stats).request("unknown");
    lock(&state.stats).outcome("unknown", "http_404");
    envelope::json_response(
        StatusCode::NOT_FOUND,
        &json!({ "timestamp": now_ms(), "status": 404, "error": "Not Found", "path": uri.path() }),
    )
}

/// Every route of the simulator: both clouds, firmware pages, admin API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/oapi/oauth/token", post(token_routes::uc_token))
        .route(
            "/oauth/token",
            get(token_routes::gwn_token_get).post(token_routes::gwn_token_post),
        )
        .merge(uc_routes::routes())
        .merge(gwn_routes::routes())
        .merge(firmware_pages::routes())
        .nest("/__admin", admin::routes())
        .merge(crate::chatwoot::routes())
        .fallback(not_found)
        .with_state(state)
}

/// Declares an axum handler that runs `$f` through the [`pipeline`] as
/// endpoint `$ep` with authentication `$auth`.
macro_rules! endpoint {
    ($name:ident, $ep:literal, $auth:expr, $f:path) => {
        pub(crate) async fn $name(
            axum::extract::State(state): axum::extract::State<$crate::server::AppState>,
            axum::extract::RawQuery(query): axum::extract::RawQuery,
            body: axum::body::Bytes,
        ) -> axum::response::Response {
            $crate::server::pipeline(state, $ep, $auth, query, body, $f).await
        }
    };
}
pub(crate) use endpoint;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handler_panics_become_500_and_are_kept() {
        let state = Arc::new(SimState::new(crate::SimConfig {
            devices: 2,
            networks: 1,
            ..Default::default()
        }));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let resp = rt.block_on(pipeline(
            state.clone(),
            "test:boom",
            Auth::None,
            None,
            Bytes::new(),
            |_, _| -> Out { panic!("boom") },
        ));
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            lock(&state.panics).as_slice(),
            ["test:boom: boom".to_string()]
        );
        assert_eq!(lock(&state.stats).snap.outcomes["test:boom"]["panic"], 1);
    }

    #[test]
    fn paging_defaults_and_clamps() {
        assert_eq!(paging(&json!({}), 100, 200), (1, 100));
        assert_eq!(
            paging(&json!({"pageNum": 0, "pageSize": -5}), 100, 200),
            (1, 1)
        );
        assert_eq!(
            paging(&json!({"pageNum": "3", "pageSize": "5000"}), 100, 200),
            (3, 200)
        );
        assert_eq!(paging(&json!([]), 50, 200), (1, 50));
    }
}
