//! Pushing cloud webhooks to the plugin (spec §7): a JSON body such as
//! `{"mac":"c0:74:ad:12:34:56","status":"offline"}` with
//! `X-GDMS-Signature: sha256=<hmac>` made by the plugin's own
//! [`gdms_core::signing::gdms_webhook_signature`].

use std::time::Duration;

use gdms_core::Mac;
use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::http_client::{request, HttpResponse};

/// One push, as the library, the admin API (`POST /__admin/webhook`) and
/// `gdms-sim ctl webhook` describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// `http://` URL of the receiver (e.g. the plugin's `front/webhook.php`).
    pub url: String,
    /// Shared secret; no signature header when absent.
    #[serde(default)]
    pub secret: Option<String>,
    /// Raw body to send as is; when absent it is built from `mac` and `status`.
    #[serde(default)]
    pub body: Option<String>,
    /// Device MAC (any spelling; sent lower-case colon form).
    #[serde(default)]
    pub mac: Option<String>,
    /// `offline`, `online`, … (sent as given).
    #[serde(default)]
    pub status: Option<String>,
}

/// The status-event body in the spec's format, byte for byte:
/// `{"mac":"<lower colon mac>","status":"<status>"}`.
pub fn status_body(mac: &str, status: &str) -> String {
    let mac = Mac::parse(mac)
        .map(|m| m.to_string())
        .unwrap_or_else(|_| mac.trim().to_lowercase());
    format!(
        "{{\"mac\":{},\"status\":{}}}",
        serde_json::Value::from(mac),
        serde_json::Value::from(status)
    )
}

impl PushRequest {
    /// The body that will be sent.
    ///
    /// # Errors
    /// [`SimError::BadRequest`] when there is neither a body nor a MAC.
    pub fn wire_body(&self) -> Result<String, SimError> {
        match (&self.body, &self.mac) {
            (Some(b), _) => Ok(b.clone()),
            (None, Some(mac)) => Ok(status_body(
                mac,
                self.status.as_deref().unwrap_or("offline"),
            )),
            (None, None) => Err(SimError::BadRequest("webhook needs a body or a mac".into())),
        }
    }

    /// The `X-GDMS-Signature` value, if a secret is set.
    ///
    /// # Errors
    /// As [`PushRequest::wire_body`].
    pub fn signature(&self) -> Result<Option<String>, SimError> {
        let body = self.wire_body()?;
        Ok(self
            .secret
            .as_deref()
            .map(|s| gdms_core::signing::gdms_webhook_signature(s, body.as_bytes())))
    }
}

/// Sends the push (blocking) and returns the receiver's answer.
///
/// # Errors
/// [`SimError::BadRequest`] without body or MAC, [`SimError::Http`] when the
/// receiver cannot be reached.
pub fn push(req: &PushRequest) -> Result<HttpResponse, SimError> {
    let body = req.wire_body()?;
    let sig = req.signature()?;
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("User-Agent", "GDMS-Webhook/1.0"),
    ];
    if let Some(s) = sig.as_deref() {
        headers.push(("X-GDMS-Signature", s));
    }
    request(
        "POST",
        &req.url,
        &headers,
        body.as_bytes(),
        Duration::from_secs(10),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vector_w_h1() {
        let req = PushRequest {
            url: "http://127.0.0.1:9/".into(),
            secret: Some("whsec-demo-123".into()),
            body: None,
            mac: Some("C0:74:AD:12:34:56".into()),
            status: Some("offline".into()),
        };
        assert_eq!(
            req.wire_body().unwrap(),
            r#"{"mac":"c0:74:ad:12:34:56","status":"offline"}"#
        );
        assert_eq!(
            req.signature().unwrap().as_deref(),
            Some("sha256=a24131fdacbfbcc4259ed7851ca330e13b276d394601191eafb0fd05100f066a")
        );
    }
}
