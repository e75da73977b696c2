//! Incoming GDMS webhook events (spec `grandstream-cloud-api.md` §7).
//!
//! The reference plugin took any unrecognised status as "online" and any
//! shape as an event (weakness 1 and 9). Here an event is a JSON object with
//! a MAC and a status from a closed list; everything else is a clear error
//! the endpoint turns into HTTP 400.

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::Mac;

/// Largest body accepted, bytes (the endpoint answers 413 beyond).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A parsed event: which device, and whether it is online now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceStatusEvent {
    /// The device's MAC, canonical form.
    pub mac: Mac,
    /// `true` for online, `false` for offline.
    pub online: bool,
}

/// Why a webhook body is not an event.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WebhookError {
    /// Larger than [`MAX_BODY_BYTES`].
    #[error("body larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    /// Not JSON.
    #[error("body is not valid JSON: {0}")]
    NotJson(String),
    /// JSON, but not an object.
    #[error("body must be a JSON object")]
    NotObject,
    /// None of `mac`, `device_mac`, `deviceMac`.
    #[error("no device MAC (expected one of mac, device_mac, deviceMac)")]
    MissingMac,
    /// A MAC field that is not a MAC.
    #[error("'{0}' is not a MAC address")]
    InvalidMac(String),
    /// None of `status`, `deviceStatus`, `event`.
    #[error("no status (expected one of status, deviceStatus, event)")]
    MissingStatus,
    /// A status outside the known values.
    #[error("unknown status '{0}' (expected online/offline, up/down, connect/disconnect, 1/0)")]
    UnknownStatus(String),
}

/// Parses a webhook body.
///
/// # Errors
/// A [`WebhookError`] naming what is missing or wrong.
///
/// # Examples
/// ```
/// use gdms_core::webhook::parse_device_event;
/// let e = parse_device_event(br#"{"mac":"C0-74-AD-12-34-56","status":"offline"}"#).unwrap();
/// assert_eq!(e.mac.to_string(), "c0:74:ad:12:34:56");
/// assert!(!e.online);
/// ```
pub fn parse_device_event(body: &[u8]) -> Result<DeviceStatusEvent, WebhookError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(WebhookError::TooLarge);
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| WebhookError::NotJson(e.to_string()))?;
    let obj = value.as_object().ok_or(WebhookError::NotObject)?;
    let mac_text =
        first_text(obj, &["mac", "device_mac", "deviceMac"]).ok_or(WebhookError::MissingMac)?;
    let mac = Mac::parse(&mac_text).map_err(|_| WebhookError::InvalidMac(truncate(&mac_text)))?;
    let status =
        first_text(obj, &["status", "deviceStatus", "event"]).ok_or(WebhookError::MissingStatus)?;
    let online = match status.trim().to_ascii_lowercase().as_str() {
        "online" | "up" | "connect" | "connected" | "1" => true,
        "offline" | "down" | "disconnect" | "disconnected" | "0" => false,
        other => return Err(WebhookError::UnknownStatus(truncate(other))),
    };
    Ok(DeviceStatusEvent { mac, online })
}

/// The first of `keys` present as a non-empty string or a number.
fn first_text(obj: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match obj.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// Keeps error messages short whatever the sender put in a field.
fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_statuses() {
        let e = parse_device_event(br#"{"deviceMac":"c074ad123456","deviceStatus":0}"#).unwrap();
        assert!(!e.online);
        let e =
            parse_device_event(br#"{"device_mac":"c0:74:ad:12:34:56","event":"Connect"}"#).unwrap();
        assert!(e.online);
    }

    #[test]
    fn every_bad_body_is_a_clear_error() {
        assert!(matches!(
            parse_device_event(b"{nope"),
            Err(WebhookError::NotJson(_))
        ));
        assert_eq!(parse_device_event(b"[1]"), Err(WebhookError::NotObject));
        assert_eq!(
            parse_device_event(br#"{"status":"up"}"#),
            Err(WebhookError::MissingMac)
        );
        assert_eq!(
            parse_device_event(br#"{"mac":"zz","status":"up"}"#),
            Err(WebhookError::InvalidMac("zz".into()))
        );
        assert_eq!(
            parse_device_event(br#"{"mac":"c074ad123456"}"#),
            Err(WebhookError::MissingStatus)
        );
        assert_eq!(
            parse_device_event(br#"{"mac":"c074ad123456","status":"maybe"}"#),
            Err(WebhookError::UnknownStatus("maybe".into()))
        );
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(parse_device_event(&big), Err(WebhookError::TooLarge));
    }
}
