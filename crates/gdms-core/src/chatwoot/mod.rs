//! Chatwoot: conversations as GLPI tickets, GLPI replies back (spec `chatwoot.md`).
//!
//! * [`signature`]: `X-Chatwoot-Signature` over `"<timestamp>.<body>"`,
//!   checked in constant time with a five-minute timestamp window.
//! * [`payload`]: account-webhook bodies parsed into one normalised event,
//!   including the `message_type` trap (a string at the top of message
//!   events, an integer inside `conversation.messages[]`).
//! * [`mapping`]: the seed integration's tables (status, priority), the
//!   ticket title and description, followup text, name split.
//! * [`client`]: the application API calls the plugin makes (post a
//!   message, set a status, test the connection), on the shared runtime.
//!
//! The PHP documents are described in [`crate::contract::chatwoot`].

pub mod client;
pub mod mapping;
pub mod payload;
pub mod signature;
pub mod text;

use serde_json::json;

/// `gdms_chatwoot_verify`: `{"ok":true}` or `{"ok":false,"reason":"stale|mismatch|missing_signature|bad_timestamp","error":"..."}`.
pub fn verify_json(
    secret: &str,
    timestamp: &str,
    body: &[u8],
    signature: &str,
    now: i64,
) -> String {
    match signature::verify(secret, timestamp, body, signature, now) {
        Ok(()) => json!({"ok": true}).to_string(),
        Err(e) => json!({"ok": false, "reason": e.code(), "error": e.to_string()}).to_string(),
    }
}

/// `gdms_chatwoot_parse`: `{"ok":true,"event":{...}}` or `{"ok":false,"error":"..."}`.
pub fn parse_json(body: &[u8]) -> String {
    match payload::parse(body) {
        Ok(e) => json!({"ok": true, "event": e}).to_string(),
        Err(e) => json!({"ok": false, "error": e.to_string()}).to_string(),
    }
}

/// `gdms_chatwoot_send`: a send request in, `{"results":[...]}` out.
///
/// # Errors
/// A message naming the problem when the request is not the documented shape.
pub fn send_json(request: &str) -> Result<String, String> {
    let req: client::SendRequest =
        serde_json::from_str(request).map_err(|e| format!("invalid request: {e}"))?;
    Ok(json!({"results": client::send(&req)}).to_string())
}

/// `gdms_chatwoot_test`: an account in, `{"ok","http_status","error"}` out.
///
/// # Errors
/// As [`send_json`].
pub fn test_json(request: &str) -> Result<String, String> {
    let acc: client::Account =
        serde_json::from_str(request).map_err(|e| format!("invalid request: {e}"))?;
    Ok(serde_json::to_string(&client::test_connection(&acc)).unwrap_or_else(|_| "{}".into()))
}

/// `gdms_chatwoot_sign` (the simulator's and the tests' signer): `sha256=<hex>`.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    signature::sign(secret, timestamp, body)
}
