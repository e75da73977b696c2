//! What can go wrong talking to a cloud, in words an administrator can act on.
//!
//! Every variant maps to one [`FetchFailure`] of the snapshot contract, so a
//! failed listing says *why* it is incomplete. Messages never contain tokens,
//! secrets, signatures or whole response bodies.

use thiserror::Error;

use crate::snapshot::FetchFailure;

/// One failed cloud call (after retries).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum CloudError {
    /// No credentials for this cloud in the request.
    #[error("not configured: no credentials for this cloud")]
    NotConfigured,
    /// The host name did not resolve.
    #[error("DNS lookup failed for {host}: check the base URL and the server's DNS")]
    Dns {
        /// Host that did not resolve.
        host: String,
    },
    /// TCP or TLS could not be established.
    #[error("could not connect to {host}: {detail} (check firewall, proxy and TLS)")]
    Connect {
        /// Host tried.
        host: String,
        /// The transport's description.
        detail: String,
    },
    /// The TLS handshake failed (certificate, protocol, interception).
    #[error("TLS handshake with {host} failed: {detail} (check the CA certificates, a TLS-intercepting proxy, or the clock)")]
    Tls {
        /// Host tried.
        host: String,
        /// The TLS library's description.
        detail: String,
    },
    /// No complete answer within the timeout.
    #[error("timed out after {ms} ms calling {endpoint}")]
    Timeout {
        /// Endpoint path.
        endpoint: String,
        /// Timeout in force.
        ms: u64,
    },
    /// A non-2xx HTTP status (after retries for 5xx and 429).
    #[error("HTTP {status} from {endpoint}{hint}")]
    Http {
        /// Endpoint path.
        endpoint: String,
        /// Status code.
        status: u16,
        /// Extra advice, e.g. for 429.
        hint: String,
    },
    /// The token endpoint refused the credentials.
    #[error("the cloud refused the credentials: {detail} (check the API ID/APP ID, secret, username and password)")]
    TokenRejected {
        /// OAuth `error_description` or HTTP status.
        detail: String,
    },
    /// A business call refused the token even after one renewal.
    #[error("the cloud keeps refusing the access token ({code} {message}) even after a new login")]
    TokenRefused {
        /// `retCode`.
        code: i64,
        /// `msg`.
        message: String,
    },
    /// `retCode` 40003: the signature did not verify (wrong secret).
    #[error("signature rejected by the cloud (retCode 40003): the secret key is probably wrong")]
    SignatureRejected,
    /// `retCode` 40005: the timestamp is outside the cloud's window.
    #[error("timestamp rejected by the cloud (retCode 40005): the server clock is probably wrong, check NTP")]
    ClockSkew,
    /// Any other non-zero `retCode`.
    #[error("the cloud answered retCode {code}: {message}")]
    Cloud {
        /// `retCode`.
        code: i64,
        /// `msg` / `retMsg`.
        message: String,
    },
    /// The body was not the documented JSON (HTML error page, cut JSON, wrong types).
    #[error("unexpected answer from {endpoint}: {detail}")]
    Malformed {
        /// Endpoint path.
        endpoint: String,
        /// What was wrong (never the body itself).
        detail: String,
    },
    /// Pagination stopped at the ceiling with a full last page.
    #[error("more than {pages} pages: listing stopped at the safety ceiling")]
    PageCeiling {
        /// The ceiling.
        pages: u32,
    },
    /// The request document could not be used.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

/// `retCode` of a missing/unknown token (spec §2.2).
pub const CODE_TOKEN_INVALID: i64 = 40001;
/// `retCode` of an expired token.
pub const CODE_TOKEN_EXPIRED: i64 = 40002;
/// `retCode` of a bad signature.
pub const CODE_BAD_SIGNATURE: i64 = 40003;
/// `retCode` of a timestamp outside the window.
pub const CODE_TIMESTAMP: i64 = 40005;

impl CloudError {
    /// Whether a new token might cure this (token invalid/expired, HTTP 401).
    pub fn is_token_problem(&self) -> bool {
        match self {
            CloudError::Cloud { code, .. } => {
                *code == CODE_TOKEN_INVALID || *code == CODE_TOKEN_EXPIRED
            }
            CloudError::Http { status, .. } => *status == 401,
            _ => false,
        }
    }

    /// The snapshot's description of this failure.
    pub fn to_failure(&self) -> FetchFailure {
        match self {
            CloudError::NotConfigured => FetchFailure::NotConfigured,
            CloudError::Dns { .. } | CloudError::Connect { .. } | CloudError::Tls { .. } => {
                FetchFailure::Connect {
                    detail: self.to_string(),
                }
            }
            CloudError::Timeout { .. } => FetchFailure::Timeout,
            CloudError::Http { status, .. } => FetchFailure::Http { status: *status },
            CloudError::TokenRejected { detail } => FetchFailure::TokenRejected {
                detail: detail.clone(),
            },
            CloudError::TokenRefused { code, message } => FetchFailure::TokenRejected {
                detail: format!("retCode {code}: {message}"),
            },
            CloudError::SignatureRejected => FetchFailure::Cloud {
                code: CODE_BAD_SIGNATURE,
                message: "signature error (check the secret key)".into(),
            },
            CloudError::ClockSkew => FetchFailure::Cloud {
                code: CODE_TIMESTAMP,
                message: "timestamp expired (check the server clock)".into(),
            },
            CloudError::Cloud { code, message } => FetchFailure::Cloud {
                code: *code,
                message: message.clone(),
            },
            CloudError::Malformed { detail, .. } => FetchFailure::Malformed {
                detail: detail.clone(),
            },
            CloudError::PageCeiling { pages } => FetchFailure::PageCeiling { pages: *pages },
            CloudError::InvalidRequest(d) => FetchFailure::Malformed { detail: d.clone() },
        }
    }

    /// From a non-zero `retCode`: the named codes get their own variants.
    pub fn from_code(code: i64, message: String) -> Self {
        match code {
            CODE_BAD_SIGNATURE => CloudError::SignatureRejected,
            CODE_TIMESTAMP => CloudError::ClockSkew,
            _ => CloudError::Cloud { code, message },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_problems_are_recognised() {
        assert!(CloudError::Cloud {
            code: 40002,
            message: "access_token expired".into()
        }
        .is_token_problem());
        assert!(CloudError::Http {
            endpoint: "/x".into(),
            status: 401,
            hint: String::new()
        }
        .is_token_problem());
        assert!(!CloudError::SignatureRejected.is_token_problem());
    }

    #[test]
    fn failures_keep_the_reason() {
        assert_eq!(
            CloudError::from_code(40005, "timestamp expired".into()).to_failure(),
            FetchFailure::Cloud {
                code: 40005,
                message: "timestamp expired (check the server clock)".into()
            }
        );
        assert!(CloudError::ClockSkew.to_string().contains("NTP"));
    }
}
