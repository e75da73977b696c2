//! Simulated Chatwoot (spec `chatwoot.md`): signed account-webhook
//! deliveries for scripted conversations, and the application-API endpoints
//! the plugin calls, recording what they received.
//!
//! Admin (test-only) routes under `/__chatwoot`:
//! * `POST /__chatwoot/setup` `{account_id?, token?, secret?, webhook_url?}`: the account (defaults: 1, `cw-sim-token`, unsigned, no URL).
//! * `POST /__chatwoot/script` `{steps: [...], timestamp?: int, send?: bool}`: runs steps, answers
//!   `{deliveries: [{event, headers, body, sent_status}], ids: [...]}`; with `send` (and a `webhook_url`)
//!   each delivery is POSTed in order. Steps (`op`): `contact {name,email,phone}`,
//!   `contact_update {contact,name?,email?,phone?}`, `conversation {contact, content, subject?}`
//!   (conversation_created then message_created of its first message), `message {conversation, content,
//!   type: incoming|outgoing|activity, private?, attachments?: [url], sender?}`, `status {conversation, status}`
//!   (conversation_status_changed plus the activity message Chatwoot adds), `priority {conversation, priority}`
//!   (conversation_updated). `ids` holds the id each step made (contact, display id, message id).
//! * `GET /__chatwoot/received`: API calls received; `POST /__chatwoot/received/clear`.
//! * `POST /__chatwoot/outbox`: deliveries caused by API calls since the last collection (the echo of each
//!   posted message, status changes), signed, then forgotten.
//! * `GET /__chatwoot/conversations`: the conversations as they are now.
//!
//! Application API (header `api_access_token`; 401 bad token, 404 other account or unknown conversation):
//! `POST /api/v1/accounts/{account}/conversations/{id}/messages`,
//! `POST /api/v1/accounts/{account}/conversations/{id}/toggle_status`,
//! `GET /api/v1/accounts/{account}/contacts/search`.

pub mod payloads;
pub mod state;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use state::{ApiCall, Contact, Conversation, CwState, Delivery, Message};

type Shared = Arc<Mutex<CwState>>;

fn lock(s: &Shared) -> MutexGuard<'_, CwState> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

/// The Chatwoot routes, with their own state (one account per simulator).
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let shared: Shared = Arc::new(Mutex::new(CwState::default()));
    Router::new()
        .route("/__chatwoot/setup", post(setup))
        .route("/__chatwoot/script", post(script))
        .route("/__chatwoot/received", get(received))
        .route("/__chatwoot/received/clear", post(received_clear))
        .route("/__chatwoot/outbox", post(outbox))
        .route("/__chatwoot/conversations", get(conversations))
        .route(
            "/api/v1/accounts/{account}/conversations/{id}/messages",
            post(api_message),
        )
        .route(
            "/api/v1/accounts/{account}/conversations/{id}/toggle_status",
            post(api_toggle_status),
        )
        .route(
            "/api/v1/accounts/{account}/contacts/search",
            get(api_contact_search),
        )
        .with_state(shared)
}

fn reply(status: StatusCode, v: Value) -> Response {
    (
        status,
        [("content-type", "application/json; charset=utf-8")],
        v.to_string(),
    )
        .into_response()
}

fn bad(msg: impl Into<String>) -> Response {
    reply(StatusCode::BAD_REQUEST, json!({"error": msg.into()}))
}

fn body_json(body: &Bytes) -> Result<Value, Box<Response>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|_| Box::new(bad("body is not JSON")))
}

async fn setup(State(s): State<Shared>, body: Bytes) -> Response {
    let v = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let mut st = lock(&s);
    if let Some(a) = v.get("account_id").and_then(Value::as_i64) {
        st.account_id = a;
    }
    for (key, field) in [("token", 0), ("secret", 1), ("webhook_url", 2)] {
        if let Some(t) = v.get(key).and_then(Value::as_str) {
            match field {
                0 => st.token = t.into(),
                1 => st.secret = t.into(),
                _ => st.webhook_url = t.into(),
            }
        }
    }
    reply(
        StatusCode::OK,
        json!({"account_id": st.account_id, "token": st.token, "signed": !st.secret.is_empty(), "webhook_url": st.webhook_url}),
    )
}

/// Wraps a payload as Chatwoot delivers it: headers, signature over `"<ts>.<body>"`.
fn delivery(st: &mut CwState, payload: &Value, timestamp: i64) -> Delivery {
    st.deliveries += 1;
    let body = payload.to_string();
    let ts = timestamp.to_string();
    let mut headers = BTreeMap::new();
    headers.insert("content-type".to_string(), "application/json".to_string());
    headers.insert("accept".to_string(), "application/json".to_string());
    headers.insert(
        "x-chatwoot-delivery".to_string(),
        format!("00000000-0000-4000-8000-{:012}", st.deliveries),
    );
    if !st.secret.is_empty() {
        headers.insert("x-chatwoot-timestamp".to_string(), ts.clone());
        headers.insert(
            "x-chatwoot-signature".to_string(),
            gdms_core::chatwoot::signature::sign(&st.secret, &ts, body.as_bytes()),
        );
    }
    Delivery {
        event: payload["event"].as_str().unwrap_or_default().to_string(),
        headers,
        body,
        sent_status: None,
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn text(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

/// Runs one step; returns its payloads and the id it made.
fn step(st: &mut CwState, v: &Value) -> Result<(Vec<Value>, i64), String> {
    let op = v.get("op").and_then(Value::as_str).unwrap_or_default();
    let account = st.account_id;
    st.clock += 30;
    let clock = st.clock;
    let conv_id = v.get("conversation").and_then(Value::as_i64).unwrap_or(0);
    match op {
        "contact" => {
            let c = Contact {
                id: st.id(),
                name: text(v, "name").unwrap_or_default(),
                email: text(v, "email"),
                phone: text(v, "phone"),
            };
            let p = payloads::contact_event("contact_created", &c, account, None);
            let id = c.id;
            st.contacts.push(c);
            Ok((vec![p], id))
        }
        "contact_update" => {
            let id = v.get("contact").and_then(Value::as_i64).unwrap_or(0);
            let c = st
                .contacts
                .iter_mut()
                .find(|c| c.id == id)
                .ok_or(format!("no contact {id}"))?;
            let mut changed = Vec::new();
            if let Some(n) = text(v, "name") {
                changed.push(json!({"name": {"previous_value": c.name, "current_value": n}}));
                c.name = n;
            }
            if let Some(e) = text(v, "email") {
                changed.push(json!({"email": {"previous_value": c.email, "current_value": e}}));
                c.email = Some(e);
            }
            if let Some(p) = text(v, "phone") {
                changed
                    .push(json!({"phone_number": {"previous_value": c.phone, "current_value": p}}));
                c.phone = Some(p);
            }
            Ok((
                vec![payloads::contact_event(
                    "contact_updated",
                    c,
                    account,
                    Some(Value::Array(changed)),
                )],
                id,
            ))
        }
        "conversation" => {
            let contact_id = v.get("contact").and_then(Value::as_i64).unwrap_or(0);
            let contact = st
                .contact(contact_id)
                .cloned()
                .ok_or(format!("no contact {contact_id}"))?;
            let display_id = st
                .conversations
                .iter()
                .map(|c| c.display_id)
                .max()
                .unwrap_or(0)
                + 1;
            let first = Message {
                id: st.id(),
                content: text(v, "content").unwrap_or_default(),
                message_type: "incoming".into(),
                private: false,
                sender_name: contact.name.clone(),
                attachments: Vec::new(),
                created_at: clock,
                content_attributes: json!({}),
            };
            let conv = Conversation {
                display_id,
                inbox_id: 1,
                contact_id,
                status: "open".into(),
                priority: None,
                subject: text(v, "subject"),
                messages: vec![first.clone()],
                created_at: clock,
                updated_at: clock,
            };
            let created = payloads::conversation_event(
                "conversation_created",
                &conv,
                Some(&contact),
                account,
                None,
            );
            let msg = payloads::message_event(&first, &conv, Some(&contact), account);
            st.conversations.push(conv);
            Ok((vec![created, msg], display_id))
        }
        "message" => {
            let id = st.id();
            let kind = text(v, "type").unwrap_or_else(|| "incoming".into());
            let conv = st
                .conversation_mut(conv_id)
                .ok_or(format!("no conversation {conv_id}"))?;
            let m = Message {
                id,
                content: text(v, "content").unwrap_or_default(),
                sender_name: text(v, "sender").unwrap_or_else(|| "Support Agent".into()),
                message_type: kind,
                private: v.get("private").and_then(Value::as_bool).unwrap_or(false),
                attachments: v
                    .get("attachments")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|u| u.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                created_at: clock,
                content_attributes: json!({}),
            };
            if m.message_type == "incoming" && conv.status != "open" {
                conv.status = "open".into();
            }
            conv.messages.push(m.clone());
            conv.updated_at = clock;
            let conv = conv.clone();
            let contact = st.contact(conv.contact_id).cloned();
            Ok((
                vec![payloads::message_event(
                    &m,
                    &conv,
                    contact.as_ref(),
                    account,
                )],
                id,
            ))
        }
        "status" => {
            let status = text(v, "status").ok_or("status needs a status")?;
            let out = set_status(st, conv_id, &status, "Support Agent")?;
            Ok((out, conv_id))
        }
        "priority" => {
            let priority = text(v, "priority").filter(|p| p != "none");
            let conv = st
                .conversation_mut(conv_id)
                .ok_or(format!("no conversation {conv_id}"))?;
            let changed =
                json!([{"priority": {"previous_value": conv.priority, "current_value": priority}}]);
            conv.priority = priority;
            conv.updated_at = clock;
            let conv = conv.clone();
            let contact = st.contact(conv.contact_id).cloned();
            Ok((
                vec![payloads::conversation_event(
                    "conversation_updated",
                    &conv,
                    contact.as_ref(),
                    account,
                    Some(changed),
                )],
                conv_id,
            ))
        }
        other => Err(format!("unknown step op {other:?}")),
    }
}

/// A status change as Chatwoot reports it: conversation_status_changed, then its activity message.
fn set_status(
    st: &mut CwState,
    conv_id: i64,
    status: &str,
    by: &str,
) -> Result<Vec<Value>, String> {
    if !["open", "resolved", "pending", "snoozed"].contains(&status) {
        return Err(format!("unknown status {status:?}"));
    }
    let account = st.account_id;
    let id = st.id();
    let clock = st.clock;
    let conv = st
        .conversation_mut(conv_id)
        .ok_or(format!("no conversation {conv_id}"))?;
    let changed = json!([{"status": {"previous_value": conv.status, "current_value": status}}]);
    conv.status = status.to_string();
    let activity = Message {
        id,
        content: format!("Conversation was marked {status} by {by}"),
        message_type: "activity".into(),
        private: false,
        sender_name: by.into(),
        attachments: Vec::new(),
        created_at: clock,
        content_attributes: json!({}),
    };
    conv.messages.push(activity.clone());
    conv.updated_at = clock;
    let conv = conv.clone();
    let contact = st.contact(conv.contact_id).cloned();
    Ok(vec![
        payloads::conversation_event(
            "conversation_status_changed",
            &conv,
            contact.as_ref(),
            account,
            Some(changed),
        ),
        payloads::message_event(&activity, &conv, contact.as_ref(), account),
    ])
}

async fn script(State(s): State<Shared>, body: Bytes) -> Response {
    let v = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let (mut deliveries, ids, url) = {
        let mut st = lock(&s);
        let ts = v
            .get("timestamp")
            .and_then(Value::as_i64)
            .unwrap_or_else(now);
        let mut deliveries = Vec::new();
        let mut ids = Vec::new();
        for step_doc in v
            .get("steps")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            match step(&mut st, &step_doc) {
                Ok((payloads, id)) => {
                    ids.push(id);
                    for p in payloads {
                        deliveries.push(delivery(&mut st, &p, ts));
                    }
                }
                Err(e) => return bad(e),
            }
        }
        let send = v.get("send").and_then(Value::as_bool).unwrap_or(false);
        (
            deliveries,
            ids,
            send.then(|| st.webhook_url.clone())
                .filter(|u| !u.is_empty()),
        )
    };
    if let Some(url) = url {
        deliveries = match tokio::task::spawn_blocking(move || send_all(&url, deliveries)).await {
            Ok(d) => d,
            Err(e) => {
                return reply(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": e.to_string()}),
                )
            }
        };
    }
    reply(
        StatusCode::OK,
        json!({"deliveries": deliveries, "ids": ids}),
    )
}

fn send_all(url: &str, mut deliveries: Vec<Delivery>) -> Vec<Delivery> {
    for d in &mut deliveries {
        let headers: Vec<(&str, &str)> = d
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        d.sent_status = crate::http_client::request(
            "POST",
            url,
            &headers,
            d.body.as_bytes(),
            Duration::from_secs(10),
        )
        .ok()
        .map(|r| r.status);
    }
    deliveries
}

async fn received(State(s): State<Shared>) -> Response {
    reply(StatusCode::OK, json!({"calls": lock(&s).received}))
}

async fn received_clear(State(s): State<Shared>) -> Response {
    lock(&s).received.clear();
    reply(StatusCode::OK, json!({"ok": true}))
}

async fn outbox(State(s): State<Shared>) -> Response {
    let out = std::mem::take(&mut lock(&s).outbox);
    reply(StatusCode::OK, json!({"deliveries": out}))
}

async fn conversations(State(s): State<Shared>) -> Response {
    reply(
        StatusCode::OK,
        json!({"conversations": lock(&s).conversations}),
    )
}

/// Token and account checks; the call is recorded whatever the outcome.
fn authorise(
    st: &mut CwState,
    headers: &HeaderMap,
    account: &str,
    method: &str,
    path: String,
    body: &Value,
) -> Result<(), Box<Response>> {
    let token_ok = headers
        .get("api_access_token")
        .and_then(|v| v.to_str().ok())
        == Some(st.token.as_str());
    let status = if !token_ok {
        401
    } else if account.parse::<i64>().ok() != Some(st.account_id) {
        404
    } else {
        200
    };
    st.received.push(ApiCall {
        method: method.into(),
        path,
        body: body.clone(),
        status,
    });
    match status {
        401 => Err(Box::new(reply(
            StatusCode::UNAUTHORIZED,
            json!({"errors": ["Invalid Access Token"]}),
        ))),
        404 => Err(Box::new(reply(
            StatusCode::NOT_FOUND,
            json!({"error": "Resource could not be found"}),
        ))),
        _ => Ok(()),
    }
}

fn not_found(st: &mut CwState) -> Response {
    if let Some(last) = st.received.last_mut() {
        last.status = 404;
    }
    reply(
        StatusCode::NOT_FOUND,
        json!({"error": "Resource could not be found"}),
    )
}

async fn api_message(
    State(s): State<Shared>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let v = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let mut st = lock(&s);
    let path = format!("/api/v1/accounts/{account}/conversations/{id}/messages");
    if let Err(r) = authorise(&mut st, &headers, &account, "POST", path, &v) {
        return *r;
    }
    let display_id = id.parse::<i64>().unwrap_or(0);
    if st.conversation_mut(display_id).is_none() {
        return not_found(&mut st);
    }
    let content = text(&v, "content").unwrap_or_default();
    if content.trim().is_empty() {
        if let Some(last) = st.received.last_mut() {
            last.status = 422;
        }
        return reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"description": "Content can't be blank", "errors": [{"field": "content", "message": "can't be blank", "code": "blank"}]}),
        );
    }
    st.clock += 30;
    let m = Message {
        id: st.id(),
        content,
        message_type: text(&v, "message_type").unwrap_or_else(|| "outgoing".into()),
        private: v.get("private").and_then(Value::as_bool).unwrap_or(false),
        sender_name: "GLPI Bot".into(),
        attachments: Vec::new(),
        created_at: st.clock,
        content_attributes: v
            .get("content_attributes")
            .cloned()
            .unwrap_or_else(|| json!({})),
    };
    let account_id = st.account_id;
    let conv = {
        let conv = st.conversation_mut(display_id).expect("checked above");
        conv.messages.push(m.clone());
        conv.updated_at = m.created_at;
        conv.clone()
    };
    let contact = st.contact(conv.contact_id).cloned();
    let echo = payloads::message_event(&m, &conv, contact.as_ref(), account_id);
    let ts = now();
    let d = delivery(&mut st, &echo, ts);
    st.outbox.push(d);
    reply(
        StatusCode::OK,
        json!({
            "id": m.id, "content": m.content, "inbox_id": conv.inbox_id, "conversation_id": display_id,
            "message_type": payloads::push_message(&m, &conv, contact.as_ref(), account_id)["message_type"],
            "content_type": "text", "content_attributes": m.content_attributes, "created_at": m.created_at,
            "private": m.private, "source_id": null, "sender": {"id": 1, "name": "GLPI Bot", "type": "user"},
        }),
    )
}

async fn api_toggle_status(
    State(s): State<Shared>,
    Path((account, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let v = match body_json(&body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let mut st = lock(&s);
    let path = format!("/api/v1/accounts/{account}/conversations/{id}/toggle_status");
    if let Err(r) = authorise(&mut st, &headers, &account, "POST", path, &v) {
        return *r;
    }
    let display_id = id.parse::<i64>().unwrap_or(0);
    if st.conversation_mut(display_id).is_none() {
        return not_found(&mut st);
    }
    let status = text(&v, "status").unwrap_or_else(|| "resolved".into());
    st.clock += 30;
    match set_status(&mut st, display_id, &status, "GLPI Bot") {
        Ok(payloads) => {
            let ts = now();
            for p in payloads {
                let d = delivery(&mut st, &p, ts);
                st.outbox.push(d);
            }
            reply(
                StatusCode::OK,
                json!({"meta": {}, "payload": {"success": true, "current_status": status, "conversation_id": display_id}}),
            )
        }
        Err(e) => {
            if let Some(last) = st.received.last_mut() {
                last.status = 422;
            }
            reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"description": e, "errors": []}),
            )
        }
    }
}

async fn api_contact_search(
    State(s): State<Shared>,
    Path(account): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut st = lock(&s);
    let path = format!("/api/v1/accounts/{account}/contacts/search");
    if let Err(r) = authorise(&mut st, &headers, &account, "GET", path, &Value::Null) {
        return *r;
    }
    reply(
        StatusCode::OK,
        json!({"meta": {"count": 0, "current_page": 1}, "payload": []}),
    )
}
