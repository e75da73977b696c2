//! Standard Webhooks signatures (spec `outgoing-webhooks.md` §3).
//!
//! Secret: `whsec_` + base64 of 24 to 64 random bytes; the HMAC key is the
//! decoded part. Signed content: `"<webhook-id>.<webhook-timestamp>.<body>"`,
//! HMAC-SHA256, base64; header `webhook-signature: v1,<base64>` (one entry per
//! secret, space separated, while a rotated secret is still honoured).

use crate::signing::{constant_time_eq, hmac_sha256_parts};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Prefix of every secret.
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a generated secret.
pub const SECRET_BYTES: usize = 32;

/// A secret that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Not `whsec_<base64>`.
    #[error("a webhook secret must look like whsec_<base64>")]
    Format,
    /// Decoded key outside 24..=64 bytes.
    #[error("a webhook secret must hold 24 to 64 bytes, this one holds {0}")]
    Length(usize),
}

/// A fresh secret, `whsec_` + base64 of [`SECRET_BYTES`] OS-random bytes.
pub fn generate_secret() -> String {
    format!(
        "{SECRET_PREFIX}{}",
        STANDARD.encode(super::random::bytes(SECRET_BYTES))
    )
}

/// The HMAC key of a secret.
///
/// # Errors
/// [`SecretError`] when the secret is not `whsec_` + base64 of 24..=64 bytes.
pub fn secret_key(secret: &str) -> Result<Vec<u8>, SecretError> {
    let b64 = secret
        .trim()
        .strip_prefix(SECRET_PREFIX)
        .ok_or(SecretError::Format)?;
    let key = STANDARD.decode(b64).map_err(|_| SecretError::Format)?;
    if !(24..=64).contains(&key.len()) {
        return Err(SecretError::Length(key.len()));
    }
    Ok(key)
}

/// One `v1,<base64>` entry for a key.
pub fn sign(key: &[u8], msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    let timestamp = timestamp.to_string();
    let mac = hmac_sha256_parts(
        key,
        &[msg_id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
    );
    format!("v1,{}", STANDARD.encode(mac))
}

/// The `webhook-signature` header value: one entry per secret, in order.
///
/// # Errors
/// The first secret that cannot be used.
pub fn signature_header(
    secrets: &[String],
    msg_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, SecretError> {
    let mut parts = Vec::with_capacity(secrets.len());
    for s in secrets {
        parts.push(sign(&secret_key(s)?, msg_id, timestamp, body));
    }
    if parts.is_empty() {
        return Err(SecretError::Format);
    }
    Ok(parts.join(" "))
}

/// What a receiver does: true when one `v1` entry of `header` matches the
/// secret (constant-time) and `timestamp` is within `tolerance_s` of `now`.
pub fn verify(
    secret: &str,
    msg_id: &str,
    timestamp: i64,
    body: &[u8],
    header: &str,
    now: i64,
    tolerance_s: i64,
) -> bool {
    let Ok(key) = secret_key(secret) else {
        return false;
    };
    if (now - timestamp).abs() > tolerance_s {
        return false;
    }
    let expected = sign(&key, msg_id, timestamp, body);
    header
        .split(' ')
        .any(|entry| constant_time_eq(entry.as_bytes(), expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vector of the Standard Webhooks reference libraries (their README).
    #[test]
    fn standard_webhooks_reference_vector() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = br#"{"test": 2432232314}"#;
        let sig = sign(&secret_key(secret).unwrap(), id, 1614265330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(verify(secret, id, 1614265330, body, &sig, 1614265330, 300));
        assert!(!verify(
            secret,
            id,
            1614265330,
            body,
            &sig,
            1614265330 + 301,
            300
        ));
        assert!(!verify(
            secret, id, 1614265330, b"{}", &sig, 1614265330, 300
        ));
    }

    #[test]
    fn generated_secrets_are_fresh_and_usable() {
        let a = generate_secret();
        let b = generate_secret();
        assert_ne!(a, b);
        assert!(a.starts_with("whsec_"));
        assert_eq!(secret_key(&a).unwrap().len(), SECRET_BYTES);
    }

    #[test]
    fn rotation_sends_one_entry_per_secret() {
        let (a, b) = (generate_secret(), generate_secret());
        let h = signature_header(&[a.clone(), b.clone()], "msg_1", 10, b"x").unwrap();
        assert_eq!(h.split(' ').count(), 2);
        assert!(verify(&a, "msg_1", 10, b"x", &h, 10, 300));
        assert!(verify(&b, "msg_1", 10, b"x", &h, 10, 300));
    }

    #[test]
    fn bad_secrets_are_refused() {
        assert_eq!(secret_key("abc"), Err(SecretError::Format));
        assert_eq!(secret_key("whsec_!!"), Err(SecretError::Format));
        assert_eq!(secret_key("whsec_AAAA"), Err(SecretError::Length(3)));
        assert!(signature_header(&[], "m", 1, b"").is_err());
    }
}
