//! Account-webhook bodies (spec §2) parsed into one normalised [`Event`].
//!
//! The trap: `message_type` is a STRING (`incoming`, `outgoing`, `activity`,
//! `template`) at the top level of `message_*` events, but an INTEGER
//! (0, 1, 2, 3) inside `conversation.messages[]`. Both spellings are
//! accepted everywhere. Ids may arrive as numbers or numeric strings.
//! Conversation ids are display ids (the ones in API URLs).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use thiserror::Error;

use super::mapping;
use super::text::text_to_html;

/// Largest body accepted, bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Key of `content_attributes` marking a message the plugin posted itself.
pub const ECHO_MARKER: &str = "gdmsintegration";

/// Why a body is not a usable event (the endpoint answers 400).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PayloadError {
    /// Larger than [`MAX_BODY_BYTES`].
    #[error("body larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    /// Not JSON.
    #[error("body is not valid JSON")]
    NotJson,
    /// Not an object.
    #[error("body must be a JSON object")]
    NotObject,
    /// No `event`.
    #[error("no event name")]
    MissingEvent,
    /// A required id is absent or not a positive integer.
    #[error("{0} is missing or not a positive integer")]
    MissingId(&'static str),
}

/// What the plugin must do with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// contact_created / contact_updated.
    Contact,
    /// conversation_created.
    ConversationCreated,
    /// conversation_updated / conversation_status_changed.
    ConversationUpdated,
    /// message_created.
    Message,
    /// Anything else (message_updated, typing, webwidget_triggered...).
    Ignored,
}

/// A Chatwoot contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Contact id.
    pub id: i64,
    /// Full name, trimmed ("" when none).
    pub name: String,
    /// First word of the name.
    pub firstname: String,
    /// The rest of the name.
    pub realname: String,
    /// E-mail, lower-cased ("" when none).
    pub email: String,
    /// Phone (E.164 as sent, "" when none).
    pub phone: String,
    /// Login for a GLPI user made from this contact.
    pub login: String,
    /// At least one of name, e-mail, phone (the seed's "identifiable").
    pub identifiable: bool,
}

/// A message, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Message id.
    pub id: i64,
    /// Conversation display id.
    pub conversation_id: i64,
    /// `incoming`, `outgoing`, `activity`, `template` (or `unknown`).
    pub message_type: String,
    /// Internal note.
    pub private: bool,
    /// `contact`, `user`, `agent_bot`... ("" when unknown).
    pub sender_type: String,
    /// Sender's name (a fallback by type when none).
    pub sender_name: String,
    /// UTC `YYYY-MM-DD HH:MM:SS`.
    pub created_at: String,
    /// Content as sent ("" when none).
    pub content: String,
    /// `data_url` of each attachment.
    pub attachments: Vec<String>,
    /// The seed's followup text, as GLPI rich text.
    pub followup_html: String,
    /// Posted by this plugin (echo marker in `content_attributes`).
    pub from_glpi: bool,
    /// Worth a followup: not an activity, not an echo, not empty.
    pub importable: bool,
}

/// A conversation, normalised, with the GLPI values it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversation {
    /// Display id.
    pub id: i64,
    /// Chatwoot status (null when the payload has none).
    pub status: Option<String>,
    /// Chatwoot priority (null = none).
    pub priority: Option<String>,
    /// Mapped GLPI status (null when no status was sent).
    pub glpi_status: Option<i64>,
    /// Mapped GLPI priority.
    pub glpi_priority: i64,
    /// Whether a ticket update should set the status.
    pub update_status: bool,
    /// Whether a ticket update should set the priority.
    pub update_priority: bool,
    /// Ticket title.
    pub title: String,
    /// Ticket description (GLPI rich text).
    pub description_html: String,
    /// The message carried by the payload (at most one), if a chat message.
    pub first_message: Option<Message>,
    /// The customer (`meta.sender`).
    pub contact: Option<Contact>,
    /// `updated_at` of the conversation, epoch milliseconds: an update older
    /// than the last one applied is stale (replayed or out of order).
    pub updated_at_ms: Option<i64>,
}

/// One webhook delivery, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The `event` name as sent.
    pub event: String,
    /// What to do.
    pub kind: Kind,
    /// Account id named by the payload, when it names one.
    pub account_id: Option<i64>,
    /// The contact (contact events; the customer of conversation events).
    pub contact: Option<Contact>,
    /// The conversation (conversation and message events).
    pub conversation: Option<Conversation>,
    /// The message (message events).
    pub message: Option<Message>,
}

/// Parses one delivery body.
///
/// # Errors
/// A [`PayloadError`] naming what is wrong.
pub fn parse(body: &[u8]) -> Result<Event, PayloadError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(PayloadError::TooLarge);
    }
    let v: Value = serde_json::from_slice(body).map_err(|_| PayloadError::NotJson)?;
    let o = v.as_object().ok_or(PayloadError::NotObject)?;
    let event = o
        .get("event")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or(PayloadError::MissingEvent)?
        .to_string();
    let mut out = Event {
        event: event.clone(),
        kind: Kind::Ignored,
        account_id: account_id(o),
        contact: None,
        conversation: None,
        message: None,
    };
    match event.as_str() {
        "contact_created" | "contact_updated" => {
            out.kind = Kind::Contact;
            out.contact = Some(contact(o).ok_or(PayloadError::MissingId("contact id"))?);
        }
        "conversation_created" | "conversation_updated" | "conversation_status_changed" => {
            out.kind = if event == "conversation_created" {
                Kind::ConversationCreated
            } else {
                Kind::ConversationUpdated
            };
            let conv =
                conversation(o, &event, None).ok_or(PayloadError::MissingId("conversation id"))?;
            out.contact = conv.contact.clone();
            out.conversation = Some(conv);
        }
        "message_created" => {
            out.kind = Kind::Message;
            let conv_obj = o.get("conversation").and_then(Value::as_object);
            let conv_id = conv_obj
                .and_then(|c| int(c.get("id")))
                .or_else(|| int(o.get("conversation_id")))
                .ok_or(PayloadError::MissingId("conversation.id"))?;
            let msg = message(o, conv_id).ok_or(PayloadError::MissingId("message id"))?;
            if let Some(c) = conv_obj {
                let sender_contact = (msg.sender_type == "contact")
                    .then(|| o.get("sender").and_then(Value::as_object).and_then(contact))
                    .flatten();
                let mut conv = conversation(c, &event, Some(&msg));
                if let Some(conv) = conv.as_mut() {
                    if conv.contact.is_none() {
                        conv.contact = sender_contact;
                    }
                    out.contact = conv.contact.clone();
                }
                out.conversation = conv;
            }
            if out.account_id.is_none() {
                out.account_id = conv_obj.and_then(account_id);
            }
            out.message = Some(msg);
        }
        _ => {}
    }
    Ok(out)
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n| *n > 0)
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn account_id(o: &Map<String, Value>) -> Option<i64> {
    int(o.get("account").and_then(|a| a.get("id")))
        .or_else(|| int(o.get("account_id")))
        .or_else(|| {
            o.get("messages")
                .and_then(Value::as_array)
                .and_then(|m| m.first())
                .and_then(|m| int(m.get("account_id")))
        })
}

fn contact(o: &Map<String, Value>) -> Option<Contact> {
    let id = int(o.get("id"))?;
    let name = text(o.get("name"));
    let email = text(o.get("email")).to_lowercase();
    let phone = text(o.get("phone_number"));
    let (firstname, realname) = mapping::split_name(&name);
    Some(Contact {
        id,
        login: mapping::user_login(id, Some(&email)),
        identifiable: !(name.is_empty() && email.is_empty() && phone.is_empty()),
        name,
        firstname,
        realname,
        email,
        phone,
    })
}

/// `message_type` as a string whether it came as one or as the push-form integer.
fn message_type(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "0" | "incoming" => "incoming",
            "1" | "outgoing" => "outgoing",
            "2" | "activity" => "activity",
            "3" | "template" => "template",
            _ => "unknown",
        },
        Some(Value::Number(n)) => match n.as_i64() {
            Some(0) => "incoming",
            Some(1) => "outgoing",
            Some(2) => "activity",
            Some(3) => "template",
            _ => "unknown",
        },
        _ => "unknown",
    }
    .to_string()
}

/// ISO-8601 string or epoch seconds (int or float) as UTC `YYYY-MM-DD HH:MM:SS`.
fn timestamp(v: Option<&Value>) -> String {
    let dt: Option<DateTime<Utc>> = match v {
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .map(|d| d.with_timezone(&Utc))
            .or_else(|| {
                s.trim()
                    .parse::<i64>()
                    .ok()
                    .and_then(|n| DateTime::from_timestamp(n, 0))
            }),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .and_then(|n| DateTime::from_timestamp(n, 0)),
        _ => None,
    };
    dt.unwrap_or_else(Utc::now)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn message(o: &Map<String, Value>, conversation_id: i64) -> Option<Message> {
    let id = int(o.get("id"))?;
    let message_type = message_type(o.get("message_type"));
    let sender = o.get("sender").and_then(Value::as_object);
    let sender_type = sender
        .map(|s| text(s.get("type")))
        .filter(|t| !t.is_empty())
        .or_else(|| Some(text(o.get("sender_type"))).filter(|t| !t.is_empty()))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let sender_name = sender
        .map(|s| text(s.get("name")))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| match message_type.as_str() {
            "incoming" => "Contact".into(),
            _ => "Agent".into(),
        });
    let content = match o.get("content") {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let attachments: Vec<String> = o
        .get("attachments")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| a.get("data_url").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let from_glpi = o
        .get("content_attributes")
        .and_then(Value::as_object)
        .is_some_and(|c| c.contains_key(ECHO_MARKER));
    let created_at = timestamp(o.get("created_at"));
    let private = matches!(o.get("private"), Some(Value::Bool(true)));
    let importable = message_type != "activity"
        && !from_glpi
        && (!content.trim().is_empty() || !attachments.is_empty());
    let followup_html = text_to_html(&mapping::followup_text(
        &created_at,
        &sender_name,
        &content,
        &attachments,
    ));
    Some(Message {
        id,
        conversation_id: int(o.get("conversation_id")).unwrap_or(conversation_id),
        message_type,
        private,
        sender_type,
        sender_name,
        created_at,
        content,
        attachments,
        followup_html,
        from_glpi,
        importable,
    })
}

fn changed(o: &Map<String, Value>) -> Option<Vec<String>> {
    let list = o.get("changed_attributes")?.as_array()?;
    let mut keys: Vec<String> = list
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    (!keys.is_empty()).then_some(keys)
}

/// `own_message`: for message events, the message itself (the conversation
/// object inside may carry an older `messages[]`).
fn conversation(
    o: &Map<String, Value>,
    event: &str,
    own_message: Option<&Message>,
) -> Option<Conversation> {
    let id = int(o.get("id"))?;
    let status = o
        .get("status")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty());
    let priority = o
        .get("priority")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty() && s != "none");
    let contact = o
        .get("meta")
        .and_then(|m| m.get("sender"))
        .and_then(Value::as_object)
        .and_then(contact);
    let listed = o
        .get("messages")
        .and_then(Value::as_array)
        .and_then(|m| m.first())
        .and_then(Value::as_object)
        .and_then(|m| message(m, id));
    let first_message = own_message.cloned().or(listed).filter(|m| m.importable);
    let subject = o
        .get("additional_attributes")
        .and_then(|a| a.get("mail_subject"))
        .and_then(Value::as_str);
    let title = mapping::ticket_title(
        id,
        subject,
        first_message.as_ref().map(|m| m.content.as_str()),
        contact.as_ref().map(|c| c.name.as_str()),
    );
    let description_html = match &first_message {
        Some(m) => m.followup_html.clone(),
        None => text_to_html(&format!(
            "New conversation from {}",
            contact
                .as_ref()
                .map(|c| c.name.as_str())
                .filter(|n| !n.is_empty())
                .unwrap_or("Chatwoot")
        )),
    };
    let changed = changed(o);
    let has = |k: &str| changed.as_ref().map_or(true, |c| c.iter().any(|x| x == k));
    let (update_status, update_priority) = match event {
        "conversation_status_changed" => (
            true,
            changed
                .as_ref()
                .is_some_and(|c| c.iter().any(|x| x == "priority")),
        ),
        "conversation_updated" => (has("status"), has("priority")),
        _ => (false, false),
    };
    let updated_at_ms = match o.get("updated_at") {
        Some(Value::Number(n)) => n.as_f64().map(|f| (f * 1000.0).round() as i64),
        Some(Value::String(t)) => DateTime::parse_from_rfc3339(t.trim())
            .ok()
            .map(|d| d.timestamp_millis()),
        _ => None,
    };
    Some(Conversation {
        id,
        updated_at_ms,
        glpi_status: status.as_deref().map(mapping::glpi_status),
        glpi_priority: mapping::glpi_priority(priority.as_deref()),
        update_status: update_status && status.is_some(),
        update_priority: update_priority && o.contains_key("priority"),
        status,
        priority,
        title,
        description_html,
        first_message,
        contact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> Event {
        parse(v.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn message_type_is_a_string_at_top_level_and_an_integer_in_messages() {
        let conv = p(json!({
            "event": "conversation_created", "id": 12, "status": "open", "priority": null,
            "meta": {"sender": {"id": 5, "name": "Ana López", "email": "Ana@Example.com", "phone_number": "+5215550001", "type": "contact"}},
            "messages": [{"id": 100, "content": "My printer\nis broken", "message_type": 0, "created_at": 1767225600,
                          "conversation_id": 12, "account_id": 3, "private": false, "sender": {"name": "Ana López", "type": "contact"}}]
        }));
        assert_eq!(conv.kind, Kind::ConversationCreated);
        assert_eq!(conv.account_id, Some(3));
        let c = conv.conversation.unwrap();
        assert_eq!((c.id, c.glpi_status, c.glpi_priority), (12, Some(2), 3));
        assert_eq!(c.title, "[Chatwoot #12] My printer");
        let m = c.first_message.unwrap();
        assert_eq!(m.message_type, "incoming");
        assert_eq!(m.created_at, "2026-01-01 00:00:00");
        assert_eq!(
            c.description_html,
            "[2026-01-01 00:00:00] Ana López:<br>My printer<br>is broken"
        );
        let who = c.contact.unwrap();
        assert_eq!(
            (
                who.firstname.as_str(),
                who.realname.as_str(),
                who.email.as_str()
            ),
            ("Ana", "López", "ana@example.com")
        );

        let msg = p(json!({
            "event": "message_created", "id": 101, "content": "note", "message_type": "outgoing", "private": true,
            "created_at": "2026-01-01T00:05:00Z", "account": {"id": 3},
            "sender": {"id": 9, "name": "Bob Agent", "type": "user"},
            "attachments": [{"id": 1, "data_url": "https://cw.example/a.png"}],
            "conversation": {"id": 12, "status": "open", "messages": [{"id": 100, "message_type": 0, "content": "old"}]}
        }));
        let m = msg.message.unwrap();
        assert_eq!(
            (m.id, m.conversation_id, m.message_type.as_str(), m.private),
            (101, 12, "outgoing", true)
        );
        assert_eq!(m.attachments, vec!["https://cw.example/a.png".to_string()]);
        assert_eq!(m.followup_html, "[2026-01-01 00:05:00] Bob Agent:<br>note<br><br>Attachments:<br>- https://cw.example/a.png");
        assert!(m.importable);
        assert_eq!(
            msg.conversation.unwrap().first_message.unwrap().id,
            101,
            "the event's own message, not messages[]"
        );
    }

    #[test]
    fn activity_and_echo_messages_are_not_importable() {
        for (t, attrs) in [
            (json!("activity"), json!({})),
            (json!(2), json!({})),
            (
                json!("outgoing"),
                json!({"gdmsintegration": {"followup_id": 4}}),
            ),
        ] {
            let e = p(
                json!({"event": "message_created", "id": 5, "content": "x", "message_type": t, "content_attributes": attrs, "conversation": {"id": 1}}),
            );
            assert!(!e.message.unwrap().importable);
        }
    }

    #[test]
    fn updates_say_what_changed() {
        let e = p(
            json!({"event": "conversation_status_changed", "id": 3, "status": "snoozed", "priority": "urgent",
                         "changed_attributes": [{"status": {"previous_value": "open", "current_value": "snoozed"}}]}),
        );
        let c = e.conversation.unwrap();
        assert_eq!(
            (c.update_status, c.update_priority, c.glpi_status),
            (true, false, Some(4))
        );
        assert_eq!(c.updated_at_ms, None);
        let e = p(json!({"event": "conversation_updated", "id": 3, "updated_at": 1767225600.25}));
        assert_eq!(
            e.conversation.unwrap().updated_at_ms,
            Some(1_767_225_600_250)
        );
        let e = p(
            json!({"event": "conversation_updated", "id": 3, "status": "open", "priority": "high",
                         "changed_attributes": [{"priority": {"previous_value": null, "current_value": "high"}}]}),
        );
        let c = e.conversation.unwrap();
        assert_eq!(
            (c.update_status, c.update_priority, c.glpi_priority),
            (false, true, 4)
        );
        let e = p(
            json!({"event": "conversation_updated", "id": 3, "status": "resolved", "priority": null}),
        );
        let c = e.conversation.unwrap();
        assert_eq!(
            (
                c.update_status,
                c.update_priority,
                c.glpi_status,
                c.glpi_priority
            ),
            (true, true, Some(5), 3)
        );
    }

    #[test]
    fn contacts_and_errors() {
        let e = p(
            json!({"event": "contact_created", "id": "8", "name": "", "email": null, "phone_number": null, "account": {"id": 1}}),
        );
        let c = e.contact.unwrap();
        assert!(!c.identifiable);
        assert_eq!(c.login, "chatwoot-8");
        assert_eq!(
            p(json!({"event": "webwidget_triggered"})).kind,
            Kind::Ignored
        );
        assert_eq!(parse(b"{nope"), Err(PayloadError::NotJson));
        assert_eq!(parse(b"[]"), Err(PayloadError::NotObject));
        assert_eq!(parse(br#"{"id":1}"#), Err(PayloadError::MissingEvent));
        assert_eq!(
            parse(br#"{"event":"contact_created"}"#),
            Err(PayloadError::MissingId("contact id"))
        );
        assert_eq!(
            parse(br#"{"event":"message_created","id":1}"#),
            Err(PayloadError::MissingId("conversation.id"))
        );
        assert_eq!(
            parse(br#"{"event":"conversation_created","id":-1}"#),
            Err(PayloadError::MissingId("conversation id"))
        );
        assert_eq!(
            parse(&vec![b' '; MAX_BODY_BYTES + 1]),
            Err(PayloadError::TooLarge)
        );
    }
}
