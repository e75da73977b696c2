//! Documents of the Chatwoot calls (implemented in [`crate::chatwoot`]).
//!
//! | PHP function | Input | Output |
//! |---|---|---|
//! | `gdms_chatwoot_verify(string $secret, string $timestamp, string $body, string $signature, int $now): string` | `X-Chatwoot-Timestamp`, raw body, `X-Chatwoot-Signature`, unix now | `{"ok":true}` or `{"ok":false,"reason":"missing_signature"\|"bad_timestamp"\|"stale"\|"mismatch","error":"..."}` |
//! | `gdms_chatwoot_parse(string $body): string` | raw body | `{"ok":true,"event":Event}` or `{"ok":false,"error":"..."}` |
//! | `gdms_chatwoot_send(string $request): string` | send request | `{"results":[ActionResult...]}` |
//! | `gdms_chatwoot_test(string $account): string` | account | `{"ok":bool,"http_status":int,"error":string\|null}` |
//! | `gdms_chatwoot_sign(string $secret, string $timestamp, string $body): string` | | `sha256=<hex>` |
//!
//! The signature is HMAC-SHA256(secret, `"<timestamp>.<raw body>"`),
//! compared in constant time; the timestamp must be within 300 s of `$now`.
//!
//! ## Event ([`EVENT_EXAMPLE`])
//! `event` (name as sent), `kind` (`contact`, `conversation_created`,
//! `conversation_updated`, `message`, `ignored`), `account_id` (null when the
//! payload names none), `contact`, `conversation`, `message` (null when not
//! applicable). A contact has `id, name, firstname, realname, email, phone,
//! login, identifiable`. A conversation has `id` (display id), `status`,
//! `priority`, `glpi_status` (null without status; open 2, pending 4,
//! resolved 5, snoozed 4, other 1), `glpi_priority` (low 2, medium 3, high 4,
//! urgent 5, none 3), `update_status`/`update_priority` (what an update event
//! changes), `title`, `description_html`, `first_message` (importable
//! message carried by the payload, or the message event's own message),
//! `contact` (`meta.sender`, else a contact sender), `updated_at_ms` (the
//! conversation's `updated_at` in ms, null when absent: an update older than
//! the last applied one is stale). A message has `id,
//! conversation_id, message_type` (always a string, whatever the payload
//! used), `private, sender_type, sender_name, created_at` (UTC
//! `YYYY-MM-DD HH:MM:SS`), `content, attachments` (URLs), `followup_html`
//! (escaped text with `<br>`), `from_glpi` (the plugin's own echo),
//! `importable`.
//!
//! ## Send request ([`SEND_EXAMPLE`])
//! `base_url`, `account_id`, `token`, optional `timeout_ms`, and `actions`:
//! `{id, kind:"message", conversation_id, html, private, marker}` (posted as
//! an outgoing message with `content_attributes.gdmsintegration = marker`,
//! the HTML flattened to text) or `{id, kind:"status", conversation_id,
//! status}` (`toggle_status`). Each result: `{id, ok, http_status,
//! message_id, error, retryable}`; retryable = timeout, connection error,
//! 408, 425, 429, 5xx. A malformed request throws a PHP `Exception`.

/// An event document, as `gdms_chatwoot_parse` returns it (inside `event`).
pub const EVENT_EXAMPLE: &str = r#"{"event":"message_created","kind":"message","account_id":3,
 "contact":{"id":5,"name":"Ana López","firstname":"Ana","realname":"López","email":"ana@example.com","phone":"+5215550001","login":"ana@example.com","identifiable":true},
 "conversation":{"id":12,"status":"open","priority":null,"glpi_status":2,"glpi_priority":3,"update_status":false,"update_priority":false,
   "title":"[Chatwoot #12] Hi","description_html":"[2026-01-01 00:05:00] Ana López:<br>Hi","first_message":null,"contact":null},
 "message":{"id":101,"conversation_id":12,"message_type":"incoming","private":false,"sender_type":"contact","sender_name":"Ana López",
   "created_at":"2026-01-01 00:05:00","content":"Hi","attachments":[],"followup_html":"[2026-01-01 00:05:00] Ana López:<br>Hi","from_glpi":false,"importable":true}}"#;

/// A send request.
pub const SEND_EXAMPLE: &str = r#"{"base_url":"https://chat.example.com","account_id":3,"token":"xyz","actions":[
 {"id":1,"kind":"message","conversation_id":12,"html":"<p>Replaced the toner</p>","private":false,"marker":{"itemtype":"ITILFollowup","items_id":44}},
 {"id":2,"kind":"status","conversation_id":12,"status":"resolved"}]}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_have_the_documented_shape() {
        let e: serde_json::Value = serde_json::from_str(EVENT_EXAMPLE).unwrap();
        let keys = [
            "event",
            "kind",
            "account_id",
            "contact",
            "conversation",
            "message",
        ];
        let parsed: serde_json::Value = serde_json::from_str(&crate::chatwoot::parse_json(
            br#"{"event":"message_created","id":101,"content":"Hi","message_type":"incoming","conversation":{"id":12},"account":{"id":3}}"#,
        ))
        .unwrap();
        for k in keys {
            assert!(e.get(k).is_some(), "{k}");
            assert!(parsed["event"].get(k).is_some(), "{k}");
        }
        for k in e["message"].as_object().unwrap().keys() {
            assert!(parsed["event"]["message"].get(k).is_some(), "message.{k}");
        }
        let r: crate::chatwoot::client::SendRequest = serde_json::from_str(SEND_EXAMPLE).unwrap();
        assert_eq!(r.actions.len(), 2);
    }
}
