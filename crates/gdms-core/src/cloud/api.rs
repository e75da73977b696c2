//! Signed business calls of both clouds, with the envelope read and the
//! token renewed once when the cloud refuses it.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::config::Secret;
use super::error::CloudError;
use super::read;
use super::token::{now_ms, Token, TokenSlot};
use super::transport::{path_of, Method, Outgoing, Reply, Safety, Transport};
use crate::signing::{gwn_signature, uc_signature};

/// The business API root under a host: `/oapi/v1.0.0`.
pub const API_ROOT: &str = "/oapi/v1.0.0";

/// How calls of one cloud are signed (spec §3.4, §4.3).
#[derive(Clone)]
pub enum Signer {
    /// GDMS UC: `client_id` and `client_secret` take part in the signature only.
    Uc {
        /// API ID.
        client_id: String,
        /// Secret key.
        client_secret: Secret,
    },
    /// GWN: `appID` is sent; the secret signs as `secretKey`.
    Gwn {
        /// APP ID.
        app_id: String,
        /// Secret key.
        secret_key: Secret,
    },
}

/// One cloud's API for the duration of a fetch.
pub struct Api {
    base: String,
    signer: Signer,
    /// The credential's token.
    pub tokens: Arc<TokenSlot>,
    /// The fetch's request pipe.
    pub transport: Arc<Transport>,
    /// Timeout of token and list calls.
    pub timeout: Duration,
}

/// One call: method, endpoint (below `/oapi/v1.0.0/`), extra query, body.
pub struct Call<'a> {
    /// GET or POST.
    pub method: Method,
    /// E.g. `device/list`.
    pub endpoint: &'a str,
    /// Extra query parameters that are sent and signed (e.g. `orgId`).
    pub query: &'a [(&'a str, &'a str)],
    /// JSON body (`None`: no body).
    pub body: Option<&'a Value>,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Retried or not.
    pub safety: Safety,
}

impl Api {
    /// An API over `base` (host root).
    pub fn new(
        base: String,
        signer: Signer,
        tokens: Arc<TokenSlot>,
        transport: Arc<Transport>,
        timeout: Duration,
    ) -> Self {
        Self {
            base,
            signer,
            tokens,
            transport,
            timeout,
        }
    }

    /// Sends `call` and returns the envelope's `data` on `retCode` 0.
    ///
    /// When the cloud refuses the token (40001, 40002, HTTP 401) the token is
    /// renewed once and the call sent once more. That holds for destructive
    /// calls too: a refused token means the cloud did nothing.
    ///
    /// # Errors
    /// Every [`CloudError`] but `NotConfigured` and `PageCeiling`.
    pub async fn call(&self, call: &Call<'_>) -> Result<Value, CloudError> {
        let token = self.tokens.get(&self.transport, self.timeout).await?;
        match self.attempt(call, &token).await {
            Err(e) if e.is_token_problem() => {
                let fresh = self
                    .tokens
                    .renew(&self.transport, self.timeout, &token)
                    .await?;
                match self.attempt(call, &fresh).await {
                    Err(CloudError::Cloud { code, message }) if code == 40001 || code == 40002 => {
                        Err(CloudError::TokenRefused { code, message })
                    }
                    Err(CloudError::Http { status: 401, .. }) => Err(CloudError::TokenRefused {
                        code: 401,
                        message: "HTTP 401 Unauthorized".into(),
                    }),
                    other => other,
                }
            }
            other => other,
        }
    }

    async fn attempt(&self, call: &Call<'_>, token: &Token) -> Result<Value, CloudError> {
        let url = format!("{}{}/{}", self.base, API_ROOT, call.endpoint);
        let body: Option<Vec<u8>> = match call.body {
            Some(v) => Some(
                serde_json::to_vec(v)
                    .map_err(|e| CloudError::InvalidRequest(format!("body: {e}")))?,
            ),
            None => None,
        };
        let build = || {
            let ts = now_ms().to_string();
            let bytes: &[u8] = body.as_deref().unwrap_or(b"");
            let mut query: Vec<(String, String)> =
                vec![("access_token".into(), token.access.expose().to_string())];
            let signature = match &self.signer {
                Signer::Uc {
                    client_id,
                    client_secret,
                } => {
                    let mut signed: Vec<(&str, &str)> = vec![
                        ("access_token", token.access.expose()),
                        ("timestamp", ts.as_str()),
                    ];
                    signed.extend(call.query.iter().copied());
                    uc_signature(&signed, client_id, client_secret.expose(), bytes)
                }
                Signer::Gwn { app_id, secret_key } => {
                    query.push(("appID".into(), app_id.clone()));
                    gwn_signature(
                        token.access.expose(),
                        app_id,
                        secret_key.expose(),
                        &ts,
                        bytes,
                    )
                }
            };
            query.extend(
                call.query
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            );
            query.push(("timestamp".into(), ts));
            query.push(("signature".into(), signature));
            Outgoing {
                method: call.method,
                url: url.clone(),
                query,
                body: body.clone().map(|b| (b, "application/json")),
            }
        };
        let reply = self
            .transport
            .send(&build, call.timeout, call.safety)
            .await?;
        read_envelope(&path_of(&url), &reply)
    }
}

/// Reads the envelope of spec §2: HTTP 2xx, JSON object, `retCode` 0 → `data`.
///
/// # Errors
/// [`CloudError::Http`] for other statuses, [`CloudError::Malformed`] for a
/// body that is not the envelope, the `retCode` error otherwise.
pub fn read_envelope(endpoint: &str, reply: &Reply) -> Result<Value, CloudError> {
    if !(200..300).contains(&reply.status) {
        let hint = if reply.html {
            " (an HTML error page)"
        } else {
            ""
        };
        return Err(CloudError::Http {
            endpoint: endpoint.to_string(),
            status: reply.status,
            hint: hint.into(),
        });
    }
    let malformed = |detail: String| CloudError::Malformed {
        endpoint: endpoint.to_string(),
        detail,
    };
    let first = reply.body.iter().find(|b| !b.is_ascii_whitespace());
    if reply.html || first == Some(&b'<') {
        return Err(malformed(
            "an HTML page instead of JSON (a proxy, captive portal or maintenance page?)".into(),
        ));
    }
    if first.is_none() {
        return Err(malformed("an empty body".into()));
    }
    let v: Value = serde_json::from_slice(&reply.body).map_err(|e| {
        malformed(format!(
            "invalid JSON ({e}); {} bytes received",
            reply.body.len()
        ))
    })?;
    if !v.is_object() {
        return Err(malformed("JSON that is not an object".into()));
    }
    let code = read::int(&v, &["retCode"]).ok_or_else(|| malformed("no retCode".into()))?;
    if code != 0 {
        let message = read::text(&v, &["msg", "retMsg", "message"]).unwrap_or_default();
        return Err(CloudError::from_code(
            code,
            message.chars().take(200).collect(),
        ));
    }
    Ok(v.get("data").cloned().unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, html: bool, body: &str) -> Reply {
        Reply {
            status,
            html,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn envelopes_of_every_kind() {
        let ep = "/oapi/v1.0.0/ap/list";
        assert_eq!(
            read_envelope(
                ep,
                &reply(200, false, r#"{"retCode":0,"data":{"result":[]}}"#)
            )
            .unwrap(),
            serde_json::json!({"result": []})
        );
        assert_eq!(
            read_envelope(ep, &reply(200, false, r#"{"retCode":"0"}"#)).unwrap(),
            Value::Null
        );
        assert!(matches!(
            read_envelope(
                ep,
                &reply(200, false, r#"{"retCode":50004,"msg":"service error"}"#)
            ),
            Err(CloudError::Cloud { code: 50004, .. })
        ));
        assert!(matches!(
            read_envelope(
                ep,
                &reply(200, false, r#"{"retCode":40003,"msg":"signature error"}"#)
            ),
            Err(CloudError::SignatureRejected)
        ));
        assert!(matches!(
            read_envelope(ep, &reply(200, false, r#"{"retCode":0,"da"#)),
            Err(CloudError::Malformed { .. })
        ));
        assert!(matches!(
            read_envelope(ep, &reply(200, true, "<html>maintenance</html>")),
            Err(CloudError::Malformed { .. })
        ));
        assert!(matches!(
            read_envelope(ep, &reply(200, false, "[1,2]")),
            Err(CloudError::Malformed { .. })
        ));
        assert!(matches!(
            read_envelope(ep, &reply(200, false, r#"{"msg":"x"}"#)),
            Err(CloudError::Malformed { .. })
        ));
        assert!(matches!(
            read_envelope(ep, &reply(502, true, "<html>")),
            Err(CloudError::Http { status: 502, .. })
        ));
        assert!(matches!(
            read_envelope(ep, &reply(200, false, "  ")),
            Err(CloudError::Malformed { .. })
        ));
    }
}
