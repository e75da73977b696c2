//! Chatwoot account-webhook bodies as Chatwoot builds them (spec `chatwoot.md` §2):
//! `message_type` a string at the top of message events and an integer
//! inside `conversation.messages[]`, display ids for conversations,
//! `changed_attributes` on updates.

use serde_json::{json, Value};

use super::state::{Contact, Conversation, Message};

/// The contact's push data (also `meta.sender`).
pub fn contact_data(c: &Contact) -> Value {
    json!({
        "id": c.id, "name": c.name, "email": c.email, "phone_number": c.phone,
        "identifier": null, "thumbnail": "", "additional_attributes": {}, "custom_attributes": {},
        "type": "contact",
    })
}

fn message_type_int(t: &str) -> i64 {
    match t {
        "incoming" => 0,
        "outgoing" => 1,
        "activity" => 2,
        _ => 3,
    }
}

fn sender(m: &Message, contact: Option<&Contact>) -> Value {
    match (m.message_type.as_str(), contact) {
        ("incoming", Some(c)) => contact_data(c),
        _ => {
            json!({"id": 1, "name": m.sender_name, "email": "agent@chatwoot.test", "type": "user"})
        }
    }
}

fn attachments(m: &Message, account_id: i64) -> Value {
    Value::Array(
        m.attachments
            .iter()
            .enumerate()
            .map(|(i, url)| {
                json!({"id": m.id * 10 + i as i64, "message_id": m.id, "file_type": "file", "account_id": account_id,
                       "extension": url.rsplit('.').next().unwrap_or(""), "data_url": url, "thumb_url": "", "file_size": 1024})
            })
            .collect(),
    )
}

/// The push-event form of a message (inside `conversation.messages[]`): integer `message_type`, epoch `created_at`.
pub fn push_message(
    m: &Message,
    conv: &Conversation,
    contact: Option<&Contact>,
    account_id: i64,
) -> Value {
    let mut v = json!({
        "id": m.id, "content": m.content, "account_id": account_id, "inbox_id": conv.inbox_id,
        "conversation_id": conv.display_id, "message_type": message_type_int(&m.message_type),
        "created_at": m.created_at, "updated_at": m.created_at, "private": m.private, "status": "sent",
        "source_id": null, "content_type": "text", "content_attributes": m.content_attributes,
        "sender_type": if m.message_type == "incoming" { "Contact" } else { "User" },
        "sender_id": if m.message_type == "incoming" { conv.contact_id } else { 1 },
        "external_source_ids": {}, "additional_attributes": {}, "processed_message_content": m.content,
        "sender": sender(m, contact),
    });
    if !m.attachments.is_empty() {
        v["attachments"] = attachments(m, account_id);
    }
    v
}

/// Conversation push data (`Conversations::EventDataPresenter#push_data`); `messages` holds at most the last chat message.
pub fn conversation_data(conv: &Conversation, contact: Option<&Contact>, account_id: i64) -> Value {
    let last = conv
        .messages
        .iter()
        .rev()
        .find(|m| m.message_type != "activity")
        .map(|m| push_message(m, conv, contact, account_id));
    let mut additional = json!({"browser": {"browser_name": "Firefox"}});
    if let Some(s) = &conv.subject {
        additional["mail_subject"] = json!(s);
    }
    json!({
        "id": conv.display_id, "inbox_id": conv.inbox_id, "channel": "Channel::WebWidget",
        "status": conv.status, "priority": conv.priority, "can_reply": true,
        "additional_attributes": additional, "custom_attributes": {}, "labels": [], "snoozed_until": null,
        "contact_inbox": {"id": conv.display_id, "contact_id": conv.contact_id, "inbox_id": conv.inbox_id,
                          "source_id": format!("src-{}", conv.display_id), "hmac_verified": false, "pubsub_token": "x",
                          "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"},
        "meta": {"sender": contact.map(contact_data), "assignee": null, "assignee_type": null, "team": null, "hmac_verified": false},
        "messages": last.map(|m| vec![m]).unwrap_or_default(),
        "unread_count": 0, "first_reply_created_at": null, "waiting_since": conv.created_at,
        "agent_last_seen_at": 0, "contact_last_seen_at": 0, "last_activity_at": conv.created_at,
        "timestamp": conv.created_at, "created_at": conv.created_at, "updated_at": conv.updated_at as f64 + 0.25,
    })
}

/// `message_created`: string `message_type`, ISO `created_at`, the conversation object inside.
pub fn message_event(
    m: &Message,
    conv: &Conversation,
    contact: Option<&Contact>,
    account_id: i64,
) -> Value {
    let created = chrono_iso(m.created_at);
    let mut v = json!({
        "event": "message_created", "id": m.id, "content": m.content, "created_at": created,
        "message_type": m.message_type, "content_type": "text", "content_attributes": m.content_attributes,
        "source_id": null, "private": m.private, "additional_attributes": {},
        "sender": sender(m, contact), "inbox": {"id": conv.inbox_id, "name": "Website"},
        "conversation": conversation_data(conv, contact, account_id),
        "account": {"id": account_id, "name": "Acme Support"},
    });
    if !m.attachments.is_empty() {
        v["attachments"] = attachments(m, account_id);
    }
    v
}

/// `conversation_created` / `conversation_updated` / `conversation_status_changed`.
pub fn conversation_event(
    event: &str,
    conv: &Conversation,
    contact: Option<&Contact>,
    account_id: i64,
    changed: Option<Value>,
) -> Value {
    let mut v = conversation_data(conv, contact, account_id);
    v["event"] = json!(event);
    v["account"] = json!({"id": account_id, "name": "Acme Support"});
    if let Some(c) = changed {
        v["changed_attributes"] = c;
    }
    v
}

/// `contact_created` / `contact_updated`.
pub fn contact_event(event: &str, c: &Contact, account_id: i64, changed: Option<Value>) -> Value {
    let mut v = contact_data(c);
    v["event"] = json!(event);
    v["avatar"] = json!("");
    v["account"] = json!({"id": account_id, "name": "Acme Support"});
    if let Some(ch) = changed {
        v["changed_attributes"] = ch;
    }
    v
}

/// Epoch seconds as `YYYY-MM-DDTHH:MM:SS.000Z` (civil-from-days, no extra dependency).
pub fn chrono_iso(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_dates() {
        assert_eq!(super::chrono_iso(1_767_225_600), "2026-01-01T00:00:00.000Z");
        assert_eq!(
            super::chrono_iso(951_782_400 + 3661),
            "2000-02-29T01:01:01.000Z"
        );
    }
}
