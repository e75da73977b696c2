//! `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`
//! with `X-Chatwoot-Timestamp: <unix seconds>` (spec §3).
//!
//! Chatwoot itself enforces no replay window; the receiver refuses
//! timestamps more than [`WINDOW_SECONDS`] away from its clock.

use thiserror::Error;

use crate::signing::{constant_time_eq, hmac_sha256_parts};

/// Largest accepted distance between the sender's timestamp and now, seconds.
pub const WINDOW_SECONDS: i64 = 300;

/// Why a delivery is not authentic.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignatureError {
    /// No `X-Chatwoot-Signature` header.
    #[error("missing X-Chatwoot-Signature")]
    MissingSignature,
    /// No or non-numeric `X-Chatwoot-Timestamp` header.
    #[error("missing or malformed X-Chatwoot-Timestamp")]
    BadTimestamp,
    /// The timestamp is outside the window.
    #[error("timestamp outside the {WINDOW_SECONDS} s window")]
    Stale,
    /// A signature that does not match (or is not `sha256=<64 hex>`).
    #[error("signature mismatch")]
    Mismatch,
}

impl SignatureError {
    /// Short machine code: `missing_signature`, `bad_timestamp`, `stale`, `mismatch`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingSignature => "missing_signature",
            Self::BadTimestamp => "bad_timestamp",
            Self::Stale => "stale",
            Self::Mismatch => "mismatch",
        }
    }
}

/// The header value Chatwoot sends: `sha256=<lowercase hex>`.
///
/// ```
/// use gdms_core::chatwoot::signature::sign;
/// let s = sign("s3cret", "1767225600", br#"{"event":"message_created"}"#);
/// assert!(s.starts_with("sha256=") && s.len() == 7 + 64);
/// ```
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(mac(secret, timestamp, body)))
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    hmac_sha256_parts(secret.as_bytes(), &[timestamp.as_bytes(), b".", body])
}

/// Checks a delivery: timestamp within the window of `now` (unix seconds),
/// then the HMAC, compared in constant time.
///
/// # Errors
/// The first [`SignatureError`] found.
pub fn verify(
    secret: &str,
    timestamp: &str,
    body: &[u8],
    header: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.trim();
    if header.is_empty() {
        return Err(SignatureError::MissingSignature);
    }
    let ts_text = timestamp.trim();
    if ts_text.is_empty() || ts_text.len() > 12 || !ts_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SignatureError::BadTimestamp);
    }
    let ts: i64 = ts_text.parse().map_err(|_| SignatureError::BadTimestamp)?;
    if (now - ts).abs() > WINDOW_SECONDS {
        return Err(SignatureError::Stale);
    }
    let hex_part = header
        .strip_prefix("sha256=")
        .ok_or(SignatureError::Mismatch)?;
    let given = hex::decode(hex_part.to_ascii_lowercase()).map_err(|_| SignatureError::Mismatch)?;
    let expected = mac(secret, ts_text, body);
    if constant_time_eq(&given, &expected) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"event":"conversation_created","id":7}"#;

    #[test]
    fn known_vector() {
        // printf '%s' '1700000000.{}' | openssl dgst -sha256 -hmac secret
        assert_eq!(
            sign("secret", "1700000000", b"{}"),
            "sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
    }

    #[test]
    fn accepts_its_own_signature_within_the_window() {
        let sig = sign("k", "1000", BODY);
        assert_eq!(verify("k", "1000", BODY, &sig, 1000), Ok(()));
        assert_eq!(verify("k", "1000", BODY, &sig, 1300), Ok(()));
        assert_eq!(verify("k", "1000", BODY, &sig, 700), Ok(()));
        assert_eq!(
            verify(
                "k",
                "1000",
                BODY,
                &sig.to_uppercase().replace("SHA256=", "sha256="),
                1000
            ),
            Ok(())
        );
    }

    #[test]
    fn refuses_everything_else() {
        let sig = sign("k", "1000", BODY);
        assert_eq!(
            verify("k", "1000", BODY, &sig, 1301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify("k", "1000", BODY, &sig, 699),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify("k", "", BODY, &sig, 1000),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify("k", "10a0", BODY, &sig, 1000),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify("k", "1000", BODY, "", 1000),
            Err(SignatureError::MissingSignature)
        );
        assert_eq!(
            verify("other", "1000", BODY, &sig, 1000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("k", "1001", BODY, &sig, 1000),
            Err(SignatureError::Mismatch),
            "timestamp is signed"
        );
        assert_eq!(
            verify("k", "1000", b"{}", &sig, 1000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("k", "1000", BODY, &sig[7..], 1000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("k", "1000", BODY, "sha256=zz", 1000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("k", "1000", BODY, &sig[..40], 1000),
            Err(SignatureError::Mismatch)
        );
    }
}
