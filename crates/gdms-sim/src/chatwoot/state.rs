//! What the simulated Chatwoot account holds, and what it received.

use serde::Serialize;
use serde_json::Value;

/// A contact.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    /// Id.
    pub id: i64,
    /// Name ("" = none).
    pub name: String,
    /// E-mail (null = none).
    pub email: Option<String>,
    /// E.164 phone (null = none).
    pub phone: Option<String>,
}

/// A message.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// Id.
    pub id: i64,
    /// Text.
    pub content: String,
    /// `incoming`, `outgoing`, `activity`, `template`.
    pub message_type: String,
    /// Internal note.
    pub private: bool,
    /// Agent name for outgoing/activity messages.
    pub sender_name: String,
    /// Attachment URLs.
    pub attachments: Vec<String>,
    /// Epoch seconds.
    pub created_at: i64,
    /// As posted.
    pub content_attributes: Value,
}

/// A conversation.
#[derive(Debug, Clone, Serialize)]
pub struct Conversation {
    /// Display id.
    pub display_id: i64,
    /// Inbox.
    pub inbox_id: i64,
    /// Customer.
    pub contact_id: i64,
    /// `open`, `resolved`, `pending`, `snoozed`.
    pub status: String,
    /// Null or `low`..`urgent`.
    pub priority: Option<String>,
    /// E-mail subject (null for chat).
    pub subject: Option<String>,
    /// Messages, oldest first.
    pub messages: Vec<Message>,
    /// Epoch seconds.
    pub created_at: i64,
    /// Epoch seconds of the last change.
    pub updated_at: i64,
}

/// One application-API call received.
#[derive(Debug, Clone, Serialize)]
pub struct ApiCall {
    /// `GET`, `POST`.
    pub method: String,
    /// Path (no query).
    pub path: String,
    /// JSON body (null when none).
    pub body: Value,
    /// HTTP status answered.
    pub status: u16,
}

/// One webhook delivery: what Chatwoot would POST.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// Event name.
    pub event: String,
    /// Headers (lower-case names).
    pub headers: std::collections::BTreeMap<String, String>,
    /// Raw body.
    pub body: String,
    /// Receiver's status when it was sent (null: not sent).
    pub sent_status: Option<u16>,
}

/// The simulated account.
#[derive(Debug)]
pub struct CwState {
    /// Account id served.
    pub account_id: i64,
    /// Accepted `api_access_token`.
    pub token: String,
    /// Webhook secret (deliveries unsigned when empty).
    pub secret: String,
    /// Where deliveries go (empty: only returned / kept in the outbox).
    pub webhook_url: String,
    /// Contacts by id.
    pub contacts: Vec<Contact>,
    /// Conversations.
    pub conversations: Vec<Conversation>,
    /// Next ids.
    pub next_id: i64,
    /// Clock of scripted events (epoch seconds).
    pub clock: i64,
    /// API calls received, oldest first.
    pub received: Vec<ApiCall>,
    /// Deliveries caused by API calls (echoes), not yet collected.
    pub outbox: Vec<Delivery>,
    /// Deliveries counter (X-Chatwoot-Delivery).
    pub deliveries: u64,
}

impl Default for CwState {
    fn default() -> Self {
        Self {
            account_id: 1,
            token: "cw-sim-token".into(),
            secret: String::new(),
            webhook_url: String::new(),
            contacts: Vec::new(),
            conversations: Vec::new(),
            next_id: 100,
            clock: 1_767_225_600,
            received: Vec::new(),
            outbox: Vec::new(),
            deliveries: 0,
        }
    }
}

impl CwState {
    /// A fresh id.
    pub fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// The conversation with this display id.
    pub fn conversation_mut(&mut self, display_id: i64) -> Option<&mut Conversation> {
        self.conversations
            .iter_mut()
            .find(|c| c.display_id == display_id)
    }

    /// The contact with this id.
    pub fn contact(&self, id: i64) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }
}
