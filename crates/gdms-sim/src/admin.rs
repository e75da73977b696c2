//! The admin HTTP API under `/__admin`: what the library handle can do, for
//! callers in other processes (PHP tests, `make demo`, `gdms-sim ctl`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::envelope::json_response;
use crate::faults::FaultRule;
use crate::scenario::Scenario;
use crate::server::{AppState, Call, Out};
use crate::state::{lock, SimState};
use crate::stats::RecordedCall;

/// Keeps a destructive call's exact body for tests to assert on.
pub fn record(state: &SimState, endpoint: &str, call: &Call, out: &Out) {
    let ret_code = match out {
        Out::Json(_, v, _) => v.get("retCode").and_then(Value::as_i64).unwrap_or(-1),
        Out::Html(..) => -1,
    };
    let body = String::from_utf8_lossy(&call.body).into_owned();
    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
    lock(&state.stats).recorded.push(RecordedCall {
        endpoint: endpoint.to_string(),
        query: call.query.clone(),
        body,
        json,
        ret_code,
        at_ms: call.now_ms,
    });
}

/// The admin routes (nested under `/__admin`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/info", get(info))
        .route("/stats", get(stats))
        .route("/stats/reset", post(stats_reset))
        .route("/recorded", get(recorded))
        .route("/recorded/clear", post(recorded_clear))
        .route("/faults", get(faults_list).post(faults_add))
        .route("/faults/clear", post(faults_clear))
        .route("/faults/{id}", delete(faults_remove))
        .route("/scenario", post(scenario))
        .route("/fleet", get(fleet))
        .route("/webhook", post(webhook))
}

fn ok(v: Value) -> Response {
    json_response(StatusCode::OK, &v)
}

fn bad(msg: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({ "error": msg }))
}

async fn info(State(state): State<AppState>) -> Response {
    let creds = lock(&state.creds).clone();
    ok(json!({
        "seed": state.config.seed,
        "uc": creds.uc,
        "gwn": creds.gwn,
        "token_lifetime_s": state.config.token_lifetime_s,
    }))
}

async fn stats(State(state): State<AppState>) -> Response {
    let snap = lock(&state.stats).snap.clone();
    ok(serde_json::to_value(snap).unwrap_or(Value::Null))
}

async fn stats_reset(State(state): State<AppState>) -> Response {
    lock(&state.stats).reset();
    ok(json!({ "ok": true }))
}

async fn recorded(State(state): State<AppState>) -> Response {
    let rec = lock(&state.stats).recorded.clone();
    ok(serde_json::to_value(rec).unwrap_or(Value::Null))
}

async fn recorded_clear(State(state): State<AppState>) -> Response {
    lock(&state.stats).recorded.clear();
    ok(json!({ "ok": true }))
}

async fn faults_list(State(state): State<AppState>) -> Response {
    let rules = lock(&state.faults).list();
    ok(serde_json::to_value(rules).unwrap_or(Value::Null))
}

async fn faults_add(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            let id = lock(&state.faults).add(rule);
            ok(json!({ "id": id }))
        }
        Err(e) => bad(&format!("bad fault rule: {e}")),
    }
}

async fn faults_clear(State(state): State<AppState>) -> Response {
    lock(&state.faults).clear();
    ok(json!({ "ok": true }))
}

async fn faults_remove(State(state): State<AppState>, Path(id): Path<u64>) -> Response {
    let removed = lock(&state.faults).remove(id);
    ok(json!({ "removed": removed }))
}

async fn scenario(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Scenario>(&body) {
        Ok(s) => match crate::scenario::apply(&state, &s) {
            Ok(v) => ok(v),
            Err(e) => json_response(StatusCode::NOT_FOUND, &json!({ "error": e.to_string() })),
        },
        Err(e) => bad(&format!("bad scenario: {e}")),
    }
}

async fn fleet(State(state): State<AppState>) -> Response {
    let summary = crate::scenario::fleet_summary(&state);
    ok(summary)
}

async fn webhook(
    State(state): State<AppState>,
    Json(req): Json<crate::webhook::PushRequest>,
) -> Response {
    let result = tokio::task::spawn_blocking(move || {
        let r = crate::webhook::push(&req);
        if r.is_ok() {
            lock(&state.stats).snap.webhooks_sent += 1;
        }
        r
    })
    .await;
    match result {
        Ok(Ok(resp)) => ok(json!({ "status": resp.status, "body": resp.body_text() })),
        Ok(Err(e)) => json_response(StatusCode::BAD_GATEWAY, &json!({ "error": e.to_string() })),
        Err(e) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({ "error": e.to_string() }),
        ),
    }
}
