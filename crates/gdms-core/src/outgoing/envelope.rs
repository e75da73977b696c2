//! The body of every delivery: `{"id", "type", "timestamp", "data"}`.
//!
//! `id` is the message id (also the `webhook-id` header, the same on every
//! attempt: receivers dedupe on it), `type` the dotted event type,
//! `timestamp` the ISO-8601 UTC time of the event, `data` the event's fields
//! (for ticket events exactly FPWebhook's body). The body is built once when
//! the event is captured and stored; every attempt sends the same bytes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::filters::{self, Filter};
use super::EventType;
use crate::GdmsError;

/// A new message id: `msg_` + 32 hex digits of OS randomness.
pub fn message_id() -> String {
    format!("msg_{}", hex::encode(super::random::bytes(16)))
}

/// ISO-8601 UTC (`2026-11-22T07:27:19Z`) of an epoch second.
pub fn iso8601(epoch_s: i64) -> String {
    chrono::DateTime::from_timestamp(epoch_s, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[derive(Serialize)]
struct Envelope<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    timestamp: String,
    data: &'a Value,
}

/// The JSON body of an event.
pub fn body(kind: EventType, id: &str, occurred_at: i64, data: &Value) -> String {
    serde_json::to_string(&Envelope {
        id,
        kind: kind.topic(),
        timestamp: iso8601(occurred_at),
        data,
    })
    .expect("a JSON value always serialises")
}

/// One captured event, as PHP describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct EventInput {
    /// [`EventType::name`] or [`EventType::topic`].
    #[serde(rename = "type")]
    pub kind: String,
    /// When it happened, epoch s.
    pub occurred_at: i64,
    /// The `data` object of the envelope.
    pub data: Value,
    /// Ticket title (ticket events) or device name (device events): the
    /// text the title regex is matched against.
    #[serde(default)]
    pub subject: String,
    /// The ticket's ITIL category (0 = none; ignored for device events).
    #[serde(default)]
    pub itilcategories_id: i64,
}

/// A subscription to match against.
#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionFilter {
    /// Subscription id.
    pub id: i64,
    /// Its filters.
    #[serde(flatten)]
    pub filter: Filter,
}

/// `gdms_outgoing_prepare` input.
#[derive(Debug, Clone, Deserialize)]
pub struct PrepareRequest {
    /// The event.
    pub event: EventInput,
    /// Active subscriptions of the event's type.
    #[serde(default)]
    pub subscriptions: Vec<SubscriptionFilter>,
}

/// A subscription whose stored filter could not be evaluated.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FilterProblem {
    /// Subscription id.
    pub id: i64,
    /// Why.
    pub error: String,
}

/// `gdms_outgoing_prepare` output.
#[derive(Debug, Clone, Serialize)]
pub struct Prepared {
    /// Message id.
    pub id: String,
    /// Dotted type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The body to store and send.
    pub body: String,
    /// Ids of the subscriptions whose filters pass, in input order.
    pub subscriptions: Vec<i64>,
    /// Subscriptions skipped because their filter is invalid.
    pub problems: Vec<FilterProblem>,
}

/// Builds the envelope and evaluates every subscription's filters.
///
/// # Errors
/// An unknown event type or a `data` that is not an object.
pub fn prepare(req: &PrepareRequest) -> Result<Prepared, GdmsError> {
    let kind = EventType::parse(&req.event.kind).ok_or_else(|| GdmsError::InvalidConfig {
        field: "event.type",
        reason: format!("unknown event type '{}'", req.event.kind),
    })?;
    if !req.event.data.is_object() {
        return Err(GdmsError::InvalidConfig {
            field: "event.data",
            reason: "must be a JSON object".into(),
        });
    }
    let id = message_id();
    let body = body(kind, &id, req.event.occurred_at, &req.event.data);
    let category = kind.is_ticket().then_some(req.event.itilcategories_id);
    let mut subscriptions = Vec::new();
    let mut problems = Vec::new();
    for s in &req.subscriptions {
        match filters::matches(&s.filter, category, &req.event.subject) {
            Ok(true) => subscriptions.push(s.id),
            Ok(false) => {}
            Err(error) => problems.push(FilterProblem { id: s.id, error }),
        }
    }
    Ok(Prepared {
        id,
        kind: kind.topic(),
        body,
        subscriptions,
        problems,
    })
}

/// [`prepare`] on JSON documents.
///
/// # Errors
/// A document that does not have the documented shape.
pub fn prepare_json(json: &str) -> Result<String, GdmsError> {
    let req: PrepareRequest =
        serde_json::from_str(json).map_err(|e| GdmsError::invalid_input("outgoing prepare", &e))?;
    let out = prepare(&req)?;
    serde_json::to_string(&out).map_err(|e| GdmsError::invalid_input("outgoing prepared", &e))
}

/// The `data` of a device event from the engine: `device_key`,
/// `entities_id`, `observed_at` (epoch s) and every detail of the event
/// (`name`, `model`, `category`, and per kind `port`, `wan_name`,
/// `firmware`, `firmware_latest`, `outage_s`).
pub fn device_data(event: &crate::engine::events::Event, entities_id: i64) -> Value {
    let mut m = Map::new();
    for (k, v) in &event.details {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    m.insert(
        "device_key".into(),
        Value::String(event.device_key.to_string()),
    );
    m.insert("entities_id".into(), Value::from(entities_id));
    m.insert("observed_at".into(), Value::from(event.at));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelope_has_id_type_timestamp_data_in_order() {
        let b = body(
            EventType::TicketCreated,
            "msg_1",
            0,
            &json!({"ticket_id": 4711, "subject": "S", "content": "<p>x</p>"}),
        );
        assert_eq!(
            b,
            r#"{"id":"msg_1","type":"ticket.created","timestamp":"1970-01-01T00:00:00Z","data":{"content":"<p>x</p>","subject":"S","ticket_id":4711}}"#
        );
    }

    #[test]
    fn prepare_filters_and_reports_bad_patterns() {
        let req: PrepareRequest = serde_json::from_value(json!({
            "event": {"type": "TicketCreated", "occurred_at": 1, "data": {"ticket_id": 1},
                      "subject": "Router down", "itilcategories_id": 3},
            "subscriptions": [
                {"id": 1, "itilcategories_id": 0, "title_regex": ""},
                {"id": 2, "itilcategories_id": 3, "title_regex": "^Router"},
                {"id": 3, "itilcategories_id": 4, "title_regex": ""},
                {"id": 4, "itilcategories_id": 0, "title_regex": "router"},
                {"id": 5, "itilcategories_id": 0, "title_regex": "("}
            ]
        }))
        .unwrap();
        let p = prepare(&req).unwrap();
        assert_eq!(p.subscriptions, vec![1, 2]);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].id, 5);
        assert!(p.id.starts_with("msg_") && p.id.len() == 36);
        let v: Value = serde_json::from_str(&p.body).unwrap();
        assert_eq!(v["id"], json!(p.id));
    }

    #[test]
    fn category_filter_never_passes_device_events() {
        let req: PrepareRequest = serde_json::from_value(json!({
            "event": {"type": "DeviceOffline", "occurred_at": 1, "data": {}, "subject": "AP-1"},
            "subscriptions": [{"id": 1, "itilcategories_id": 2}, {"id": 2, "title_regex": "^AP-"}]
        }))
        .unwrap();
        assert_eq!(prepare(&req).unwrap().subscriptions, vec![2]);
    }

    #[test]
    fn unknown_types_and_non_object_data_are_errors() {
        assert!(prepare_json(r#"{"event":{"type":"Nope","occurred_at":1,"data":{}}}"#).is_err());
        assert!(prepare_json(r#"{"event":{"type":"WanDown","occurred_at":1,"data":[]}}"#).is_err());
        assert!(prepare_json(
            r#"{"event":{"type":"WanDown","occurred_at":1,"data":{}},"subscriptions":[]}"#
        )
        .is_ok());
    }
}
