//! Access tokens: obtained once per credential and reused for their lifetime.
//!
//! A [`TokenSlot`] serves every request of a fetch for one credential; it
//! holds an async mutex so concurrent requests that need a token wait for one
//! grant instead of each starting their own. Tokens also go into a
//! process-wide cache keyed by a fingerprint of the credential (a SHA-256, so
//! the key itself reveals nothing), which later fetches of the same php-fpm
//! worker reuse, and into [`TokenState`]s the shell stores for other processes.
//!
//! Renewal: when a business call is refused for its token (40001/40002 or
//! HTTP 401) the caller asks [`TokenSlot::renew`] with the token it used; only
//! the first such caller gets a new grant, the others receive that new token.
//! GDMS UC renews with the refresh grant first and falls back to the password
//! grant (spec §3.3); GWN has only client credentials (§4.2).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use super::config::{GwnConfig, Secret, UcConfig};
use super::error::CloudError;
use super::read;
use super::transport::{form_encode, Method, Outgoing, Safety, Transport};
use crate::signing::sha256_hex;
use crate::snapshot::{Cloud, TokenState};

/// A token is reused only while more than this remains (spec §4.2).
pub const MARGIN_MS: i64 = 60_000;

/// One access token with its refresh token and expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The access token.
    pub access: Secret,
    /// GDMS UC refresh token.
    pub refresh: Option<Secret>,
    /// Expiry, epoch ms.
    pub expires_at_ms: i64,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("expires_at_ms", &self.expires_at_ms)
            .finish_non_exhaustive()
    }
}

impl Token {
    /// Usable now (more than [`MARGIN_MS`] left).
    pub fn is_fresh(&self, now_ms: i64) -> bool {
        !self.access.is_blank() && self.expires_at_ms - MARGIN_MS > now_ms
    }
}

/// Epoch milliseconds now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

static CACHE: OnceLock<Mutex<HashMap<String, Token>>> = OnceLock::new();

fn cache() -> std::sync::MutexGuard<'static, HashMap<String, Token>> {
    CACHE
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Forgets every cached token of this process (tests; a credential change).
pub fn clear_process_cache() {
    cache().clear();
}

/// How a token is obtained.
#[derive(Clone)]
enum Grant {
    Uc {
        url: String,
        username: String,
        password: Secret,
        client_id: String,
        client_secret: Secret,
    },
    Gwn {
        url: String,
        app_id: String,
        secret: Secret,
    },
}

/// The token of one credential during a fetch.
pub struct TokenSlot {
    cloud: Cloud,
    fingerprint: String,
    grant: Grant,
    current: tokio::sync::Mutex<Option<Token>>,
    /// Renewals granted during this fetch (bounded by [`MAX_RENEWALS`]).
    renewals: std::sync::atomic::AtomicU32,
}

/// Renewals one fetch may ask for per credential: a cloud that refuses every
/// new token must not be flooded with grants.
pub const MAX_RENEWALS: u32 = 2;

impl TokenSlot {
    /// Slot for GDMS UC credentials.
    pub fn uc(cfg: &UcConfig) -> Self {
        let base = cfg.base();
        let password = Secret::new(cfg.password_param());
        let fingerprint = sha256_hex(
            format!(
                "uc\n{base}\n{}\n{}\n{}\n{}",
                cfg.username.trim(),
                password.expose(),
                cfg.client_id.trim(),
                cfg.client_secret.expose()
            )
            .as_bytes(),
        );
        Self {
            cloud: Cloud::Uc,
            fingerprint,
            grant: Grant::Uc {
                url: format!("{base}/oapi/oauth/token"),
                username: cfg.username.trim().to_string(),
                password,
                client_id: cfg.client_id.trim().to_string(),
                client_secret: cfg.client_secret.clone(),
            },
            current: tokio::sync::Mutex::new(None),
            renewals: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// Slot for GWN credentials.
    pub fn gwn(cfg: &GwnConfig) -> Self {
        let base = cfg.base();
        let fingerprint = sha256_hex(
            format!(
                "gwn\n{base}\n{}\n{}",
                cfg.app_id.trim(),
                cfg.secret_key.expose()
            )
            .as_bytes(),
        );
        Self {
            cloud: Cloud::Gwn,
            fingerprint,
            grant: Grant::Gwn {
                url: format!("{base}/oauth/token"),
                app_id: cfg.app_id.trim().to_string(),
                secret: cfg.secret_key.clone(),
            },
            current: tokio::sync::Mutex::new(None),
            renewals: std::sync::atomic::AtomicU32::new(0),
        }
    }

    /// Drops this credential's token from the process cache (connection tests
    /// must prove the credentials, not reuse a token).
    pub fn forget(&self) {
        cache().remove(&self.fingerprint);
    }

    /// Which cloud.
    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    /// Offers tokens the shell stored: the first of this cloud that is fresher
    /// than what the process cache holds replaces it. An expired UC token is
    /// still useful for its refresh token.
    pub fn seed(&self, stored: &[TokenState]) {
        let now = now_ms();
        let mut c = cache();
        for t in stored.iter().filter(|t| t.cloud == self.cloud) {
            let token = Token {
                access: Secret::new(t.access_token.clone()),
                refresh: t
                    .refresh_token
                    .clone()
                    .filter(|r| !r.trim().is_empty())
                    .map(Secret::new),
                expires_at_ms: t.expires_at.saturating_mul(1000),
            };
            let better = match c.get(&self.fingerprint) {
                None => token.is_fresh(now) || token.refresh.is_some(),
                Some(have) => token.expires_at_ms > have.expires_at_ms,
            };
            if better {
                c.insert(self.fingerprint.clone(), token);
            }
        }
    }

    /// The token to use now: the slot's, the process cache's, or a new grant.
    ///
    /// # Errors
    /// As [`Self::renew`].
    pub async fn get(
        &self,
        t: &Transport,
        timeout: std::time::Duration,
    ) -> Result<Token, CloudError> {
        let mut cur = self.current.lock().await;
        let now = now_ms();
        if let Some(tok) = cur.as_ref().filter(|t| t.is_fresh(now)) {
            return Ok(tok.clone());
        }
        let cached = cache().get(&self.fingerprint).cloned();
        if let Some(tok) = cached.as_ref().filter(|t| t.is_fresh(now)) {
            *cur = Some(tok.clone());
            return Ok(tok.clone());
        }
        let previous = cur.clone().or(cached);
        let tok = self.obtain(t, timeout, previous.as_ref()).await?;
        *cur = Some(tok.clone());
        Ok(tok)
    }

    /// A new token after `rejected` was refused by the cloud. When another
    /// request already replaced it, that replacement is returned without a grant.
    ///
    /// # Errors
    /// [`CloudError::TokenRejected`] when the token endpoint refuses the
    /// credentials; [`CloudError::TokenRefused`] past [`MAX_RENEWALS`];
    /// transport errors as [`Transport::send`].
    pub async fn renew(
        &self,
        t: &Transport,
        timeout: std::time::Duration,
        rejected: &Token,
    ) -> Result<Token, CloudError> {
        let mut cur = self.current.lock().await;
        if let Some(tok) = cur.as_ref() {
            if tok.access != rejected.access && tok.is_fresh(now_ms()) {
                return Ok(tok.clone());
            }
        }
        if self.renewals.fetch_add(1, Ordering::Relaxed) >= MAX_RENEWALS {
            return Err(CloudError::TokenRefused {
                code: 0,
                message: "new tokens keep being refused; renewals stopped for this cycle".into(),
            });
        }
        {
            let mut c = cache();
            if c.get(&self.fingerprint).map(|x| &x.access) == Some(&rejected.access) {
                c.remove(&self.fingerprint);
            }
        }
        let previous = cur.clone();
        let tok = self.obtain(t, timeout, previous.as_ref()).await?;
        *cur = Some(tok.clone());
        Ok(tok)
    }

    /// The token held now, as the shell stores it.
    pub async fn state(&self) -> Option<TokenState> {
        let cur = self.current.lock().await;
        cur.as_ref().map(|t| TokenState {
            cloud: self.cloud,
            access_token: t.access.expose().to_string(),
            refresh_token: t.refresh.as_ref().map(|r| r.expose().to_string()),
            expires_at: t.expires_at_ms / 1000,
        })
    }

    async fn obtain(
        &self,
        t: &Transport,
        timeout: std::time::Duration,
        previous: Option<&Token>,
    ) -> Result<Token, CloudError> {
        let tok = match &self.grant {
            Grant::Uc { .. } => {
                let refresh = previous.and_then(|p| p.refresh.clone());
                match refresh {
                    Some(r) => match self.uc_grant(t, timeout, Some(&r)).await {
                        Ok(tok) => Ok(tok),
                        // Refresh refused or broken: log in with the password.
                        Err(_) => self.uc_grant(t, timeout, None).await,
                    },
                    None => self.uc_grant(t, timeout, None).await,
                }
            }
            Grant::Gwn { .. } => self.gwn_grant(t, timeout).await,
        }?;
        t.counters.tokens.fetch_add(1, Ordering::Relaxed);
        cache().insert(self.fingerprint.clone(), tok.clone());
        Ok(tok)
    }

    async fn uc_grant(
        &self,
        t: &Transport,
        timeout: std::time::Duration,
        refresh: Option<&Secret>,
    ) -> Result<Token, CloudError> {
        let Grant::Uc {
            url,
            username,
            password,
            client_id,
            client_secret,
        } = &self.grant
        else {
            return Err(CloudError::InvalidRequest("wrong grant".into()));
        };
        let body = match refresh {
            Some(r) => form_encode(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", r.expose()),
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
            ]),
            None => form_encode(&[
                ("username", username),
                ("password", password.expose()),
                ("grant_type", "password"),
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
            ]),
        };
        let build = || Outgoing {
            method: Method::Post,
            url: url.clone(),
            query: Vec::new(),
            body: Some((
                body.clone().into_bytes(),
                "application/x-www-form-urlencoded",
            )),
        };
        let reply = t.send(&build, timeout, Safety::Safe).await?;
        let secrets: Vec<&str> = [password.expose(), client_secret.expose()]
            .into_iter()
            .chain(refresh.map(Secret::expose))
            .collect();
        parse_token(reply.status, &reply.body, 3600, refresh, &secrets)
    }

    async fn gwn_grant(
        &self,
        t: &Transport,
        timeout: std::time::Duration,
    ) -> Result<Token, CloudError> {
        let Grant::Gwn {
            url,
            app_id,
            secret,
        } = &self.grant
        else {
            return Err(CloudError::InvalidRequest("wrong grant".into()));
        };
        let build = || Outgoing {
            method: Method::Get,
            url: url.clone(),
            query: vec![
                ("grant_type".into(), "client_credentials".into()),
                ("client_id".into(), app_id.clone()),
                ("client_secret".into(), secret.expose().to_string()),
            ],
            body: None,
        };
        let reply = t.send(&build, timeout, Safety::Safe).await?;
        parse_token(reply.status, &reply.body, 3599, None, &[secret.expose()])
    }
}

/// Replaces every secret in `text` (OAuth descriptions may echo them back).
fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s, "[REDACTED]");
    }
    out.chars().take(200).collect()
}

/// Reads a token endpoint answer (spec §3.2, §4.2, §2.3).
fn parse_token(
    status: u16,
    body: &[u8],
    default_lifetime_s: i64,
    old_refresh: Option<&Secret>,
    secrets: &[&str],
) -> Result<Token, CloudError> {
    let v: Option<Value> = serde_json::from_slice(body).ok();
    let access = v.as_ref().and_then(|v| read::text(v, &["access_token"]));
    match (status, access) {
        (200..=299, Some(access)) => {
            let v = v.unwrap_or(Value::Null);
            let lifetime = read::int(&v, &["expires_in"])
                .unwrap_or(default_lifetime_s)
                .max(60);
            let refresh = read::text(&v, &["refresh_token"])
                .map(Secret::new)
                .or_else(|| old_refresh.cloned());
            Ok(Token {
                access: Secret::new(access),
                refresh,
                expires_at_ms: now_ms() + lifetime * 1000,
            })
        }
        (400 | 401 | 403, _) | (200..=299, None) => {
            let detail = v
                .as_ref()
                .map(|v| {
                    let e = read::text(v, &["error"]).unwrap_or_default();
                    let d =
                        read::text(v, &["error_description", "msg", "message"]).unwrap_or_default();
                    format!("{e} {d}").trim().to_string()
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("HTTP {status} without an access token"));
            Err(CloudError::TokenRejected {
                detail: redact(&detail, secrets),
            })
        }
        (s, _) => Err(CloudError::Http {
            endpoint: "token".into(),
            status: s,
            hint: " from the token endpoint".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers() {
        let t = parse_token(
            200,
            br#"{"access_token":"abc","expires_in":"3599","refresh_token":"r1"}"#,
            3600,
            None,
            &[],
        )
        .unwrap();
        assert!(t.is_fresh(now_ms()));
        assert_eq!(t.refresh.as_ref().map(Secret::expose), Some("r1"));
        // A refresh answer without refresh_token keeps the old one.
        let old = Secret::new("r0");
        let t = parse_token(200, br#"{"access_token":"x"}"#, 3600, Some(&old), &[]).unwrap();
        assert_eq!(t.refresh, Some(old));
        let e = parse_token(
            400,
            br#"{"error":"invalid_grant","error_description":"Invalid refresh token: r0-secret"}"#,
            3600,
            None,
            &["r0-secret"],
        )
        .unwrap_err();
        assert!(
            matches!(&e, CloudError::TokenRejected { detail } if !detail.contains("r0-secret")),
            "{e}"
        );
        assert!(matches!(
            parse_token(503, b"<html>", 3600, None, &[]),
            Err(CloudError::Http { status: 503, .. })
        ));
        assert!(matches!(
            parse_token(200, b"{}", 3600, None, &[]),
            Err(CloudError::TokenRejected { .. })
        ));
    }

    #[test]
    fn token_debug_hides_the_secret() {
        let t = Token {
            access: Secret::new("tok-secret"),
            refresh: Some(Secret::new("ref-secret")),
            expires_at_ms: 1,
        };
        let d = format!("{t:?}");
        assert!(!d.contains("secret"), "{d}");
    }
}
