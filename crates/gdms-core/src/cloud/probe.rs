//! "Test connection" per cloud: a fresh token grant and one signed call,
//! reporting exactly which step failed and why.

use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::api::{Api, Call, Signer};
use super::config::FetchRequest;
use super::error::CloudError;
use super::token::TokenSlot;
use super::transport::{Method, Safety, Transport};

/// What a connection test found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeStatus {
    /// Token and signed call both worked.
    Ok,
    /// No (complete) credentials for this cloud.
    NotConfigured,
    /// The host name does not resolve.
    Dns,
    /// TCP connection refused or unreachable.
    Connect,
    /// TLS handshake or certificate problem.
    Tls,
    /// No answer in time.
    Timeout,
    /// The token endpoint refused the credentials.
    TokenRejected,
    /// A business call refused the signature (wrong secret).
    SignatureRejected,
    /// A business call refused the timestamp (server clock).
    ClockSkew,
    /// Another HTTP status.
    Http,
    /// Another `retCode`.
    CloudError,
    /// An answer that is not the documented JSON.
    Malformed,
}

/// One cloud's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeResult {
    /// Outcome.
    pub status: ProbeStatus,
    /// Which step: `token`, `call` or `none`.
    pub step: String,
    /// Admin-facing explanation.
    pub message: String,
    /// Time taken, ms.
    pub elapsed_ms: u64,
}

/// Both clouds' results (`gdms_test_connection` answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeReport {
    /// GDMS UC.
    pub uc: ProbeResult,
    /// GWN.
    pub gwn: ProbeResult,
}

fn status_of(e: &CloudError) -> ProbeStatus {
    match e {
        CloudError::NotConfigured => ProbeStatus::NotConfigured,
        CloudError::Dns { .. } => ProbeStatus::Dns,
        CloudError::Connect { .. } => ProbeStatus::Connect,
        CloudError::Tls { .. } => ProbeStatus::Tls,
        CloudError::Timeout { .. } => ProbeStatus::Timeout,
        CloudError::TokenRejected { .. } | CloudError::TokenRefused { .. } => {
            ProbeStatus::TokenRejected
        }
        CloudError::SignatureRejected => ProbeStatus::SignatureRejected,
        CloudError::ClockSkew => ProbeStatus::ClockSkew,
        CloudError::Http { .. } => ProbeStatus::Http,
        CloudError::Cloud { .. } => ProbeStatus::CloudError,
        CloudError::Malformed { .. }
        | CloudError::PageCeiling { .. }
        | CloudError::InvalidRequest(_) => ProbeStatus::Malformed,
    }
}

async fn probe(api: Option<Api>, endpoint: &'static str) -> ProbeResult {
    let started = Instant::now();
    let Some(api) = api else {
        return ProbeResult {
            status: ProbeStatus::NotConfigured,
            step: "none".into(),
            message: CloudError::NotConfigured.to_string(),
            elapsed_ms: 0,
        };
    };
    let done = |status, step: &str, message: String| ProbeResult {
        status,
        step: step.into(),
        message,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    // A connection test checks the credentials: never a cached token.
    api.tokens.forget();
    if let Err(e) = api.tokens.get(&api.transport, api.timeout).await {
        return done(status_of(&e), "token", e.to_string());
    }
    let body = json!({"pageNum": 1, "pageSize": 1});
    match api
        .call(&Call {
            method: Method::Post,
            endpoint,
            query: &[],
            body: Some(&body),
            timeout: api.timeout,
            safety: Safety::Safe,
        })
        .await
    {
        Ok(_) => done(
            ProbeStatus::Ok,
            "call",
            format!("token obtained and {endpoint} answered"),
        ),
        Err(e) => done(status_of(&e), "call", e.to_string()),
    }
}

/// Tests both clouds of `req` (one attempt per step, no retries).
///
/// # Errors
/// Only when the HTTP client cannot be built.
pub async fn test_connection(req: FetchRequest) -> Result<ProbeReport, CloudError> {
    let mut options = req.options.clone();
    options.max_attempts = 1;
    let transport = Arc::new(Transport::new(&options)?);
    let timeout = options.timeout();
    let uc = req.uc.as_ref().filter(|c| c.is_complete()).map(|c| {
        Api::new(
            c.base(),
            Signer::Uc {
                client_id: c.client_id.trim().to_string(),
                client_secret: c.client_secret.clone(),
            },
            Arc::new(TokenSlot::uc(c)),
            transport.clone(),
            timeout,
        )
    });
    let gwn = req.gwn.as_ref().filter(|c| c.is_complete()).map(|c| {
        Api::new(
            c.base(),
            Signer::Gwn {
                app_id: c.app_id.trim().to_string(),
                secret_key: c.secret_key.clone(),
            },
            Arc::new(TokenSlot::gwn(c)),
            transport.clone(),
            timeout,
        )
    });
    let (uc, gwn) = tokio::join!(probe(uc, "device/list"), probe(gwn, "network/list"));
    Ok(ProbeReport { uc, gwn })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_name_the_cause() {
        assert_eq!(status_of(&CloudError::ClockSkew), ProbeStatus::ClockSkew);
        assert_eq!(
            status_of(&CloudError::Tls {
                host: "h".into(),
                detail: "invalid peer certificate: UnknownIssuer".into()
            }),
            ProbeStatus::Tls
        );
        assert_eq!(
            status_of(&CloudError::Dns { host: "h".into() }),
            ProbeStatus::Dns
        );
    }
}
