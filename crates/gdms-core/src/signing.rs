//! Request signing for both Grandstream clouds, and webhook HMACs.
//!
//! Both clouds sign the same way (spec `grandstream-cloud-api.md` §3.4, §4.3):
//! sort the query parameters plus the secret ones by key, join them as
//! `k=v` with `&`, wrap the result in `&…&`, append the SHA-256 of the body
//! (only when there is a body) and hash the whole string. They differ only in
//! which secret parameters take part, so one [`canonical_string`] serves both
//! and [`uc_signature`] / [`gwn_signature`] only pick the parameters.
//!
//! The simulator verifies with the very same functions, so a client and a
//! cloud that disagree about signing cannot both pass the spec's vectors.

use hmac::{Hmac, Mac as _};
use md5::Md5;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The GDMS UC password grant never sends the password: it sends
/// `sha256_hex(md5_hex(password))`, the SHA-256 of the *hex text* of the MD5.
///
/// # Examples
/// ```
/// assert_eq!(
///     gdms_core::signing::uc_password_hash("S3cret!Pass"),
///     "942042a907ea94d54585399df760a8189b8276007fc35c9c7991262ec8314a10"
/// );
/// ```
pub fn uc_password_hash(password: &str) -> String {
    let md5_hex = hex::encode(Md5::digest(password.as_bytes()));
    sha256_hex(md5_hex.as_bytes())
}

/// Builds the string both clouds hash: `&k1=v1&k2=v2…&[sha256(body)&]`.
///
/// `params` are every parameter that takes part (sent ones and secret ones);
/// they are sorted here byte-wise by key. Values are used raw, as the clouds do.
/// An empty body adds no segment at all (not the hash of the empty string).
pub fn canonical_string(params: &[(&str, &str)], body: &[u8]) -> String {
    let mut sorted: Vec<&(&str, &str)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::with_capacity(256);
    out.push('&');
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out.push('&');
    if !body.is_empty() {
        out.push_str(&sha256_hex(body));
        out.push('&');
    }
    out
}

/// Signature of a GDMS UC business call.
///
/// `query` is every query parameter that will be sent except `signature`
/// (at least `access_token` and `timestamp`); `client_id` and `client_secret`
/// join the signed set without being sent.
pub fn uc_signature(
    query: &[(&str, &str)],
    client_id: &str,
    client_secret: &str,
    body: &[u8],
) -> String {
    let mut params: Vec<(&str, &str)> = query.to_vec();
    params.push(("client_id", client_id));
    params.push(("client_secret", client_secret));
    sha256_hex(canonical_string(&params, body).as_bytes())
}

/// Signature of a GWN business call: `access_token`, `appID`, `secretKey`
/// (the secret, under that name, never sent) and `timestamp`.
pub fn gwn_signature(
    access_token: &str,
    app_id: &str,
    secret_key: &str,
    timestamp: &str,
    body: &[u8],
) -> String {
    let params = [
        ("access_token", access_token),
        ("appID", app_id),
        ("secretKey", secret_key),
        ("timestamp", timestamp),
    ];
    sha256_hex(canonical_string(&params, body).as_bytes())
}

/// Lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
pub fn hmac_sha256_hex(secret: &[u8], body: &[u8]) -> String {
    hex::encode(hmac_sha256(secret, body))
}

/// Raw HMAC-SHA256 of `body` keyed with `secret`.
pub fn hmac_sha256(secret: &[u8], body: &[u8]) -> Vec<u8> {
    hmac_sha256_parts(secret, &[body])
}

/// Raw HMAC-SHA256 of the concatenation of `parts` keyed with `secret`
/// (signature schemes that sign `timestamp.body` and the like), without
/// building the concatenation.
pub fn hmac_sha256_parts(secret: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC-SHA256 takes keys of any length"),
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// The `X-GDMS-Signature` header value for a webhook body: `sha256=<hex hmac>`.
pub fn gdms_webhook_signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hmac_sha256_hex(secret.as_bytes(), body))
}

/// Checks an `X-GDMS-Signature` header in constant time, prefix included
/// (spec §7). Hex case is not significant.
pub fn verify_gdms_webhook(secret: &str, body: &[u8], header: &str) -> bool {
    let expected = gdms_webhook_signature(secret, body);
    constant_time_eq(
        expected.as_bytes(),
        header.trim().to_ascii_lowercase().as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const UC_TOKEN: &str = "5f0c9a2e-1b7d-4e3a-9c11-2f6b8d4e7a90";
    const UC_TS: &str = "1767225600000";
    const GWN_TOKEN: &str = "8c3e51f2-7a44-4b0e-b6d2-0e9f1a3c5d77";
    const GWN_TS: &str = "1767225600123";

    #[test]
    fn uc_password_vector() {
        assert_eq!(
            hex::encode(Md5::digest(b"S3cret!Pass")),
            "4f6134f18c272ce4b58510f20ada720a"
        );
        assert_eq!(
            uc_password_hash("S3cret!Pass"),
            "942042a907ea94d54585399df760a8189b8276007fc35c9c7991262ec8314a10"
        );
    }

    #[test]
    fn vector_g1_device_list() {
        let body = br#"{"pageNum":1,"pageSize":100}"#;
        assert_eq!(
            sha256_hex(body),
            "7d1f6dc954dbcd13059f383de85754c6ce516cb28c0aa64709bbbe925b24449c"
        );
        let q = [("access_token", UC_TOKEN), ("timestamp", UC_TS)];
        let mut params = q.to_vec();
        params.extend([
            ("client_id", "10245"),
            ("client_secret", "a1B2c3D4e5F6g7H8"),
        ]);
        assert_eq!(
            canonical_string(&params, body),
            "&access_token=5f0c9a2e-1b7d-4e3a-9c11-2f6b8d4e7a90&client_id=10245&client_secret=a1B2c3D4e5F6g7H8&timestamp=1767225600000&7d1f6dc954dbcd13059f383de85754c6ce516cb28c0aa64709bbbe925b24449c&"
        );
        assert_eq!(
            uc_signature(&q, "10245", "a1B2c3D4e5F6g7H8", body),
            "48318575c56ffbb00f9271427c9cf76513bbaa7939fdf539cf945eeee81be0cb"
        );
    }

    #[test]
    fn vector_g2_no_body() {
        let q = [("access_token", UC_TOKEN), ("timestamp", UC_TS)];
        assert_eq!(
            uc_signature(&q, "10245", "a1B2c3D4e5F6g7H8", b""),
            "69d9d1d229b19123bb3e0fee1562d4928ba8127711bd497ad0acf035091eee50"
        );
    }

    #[test]
    fn vector_g3_extra_query_param_sorted() {
        let q = [
            ("access_token", UC_TOKEN),
            ("timestamp", UC_TS),
            ("orgId", "7788"),
        ];
        assert_eq!(
            uc_signature(&q, "10245", "a1B2c3D4e5F6g7H8", b""),
            "f846a2ef8db0f3929c8c0e0276ad715c3085aa563fa8740dba1396b26b9eeec8"
        );
    }

    #[test]
    fn vector_g4_task_add() {
        let body = br#"{"taskName":"GLPI11_UPG_C074AD123456_1767225600000","taskType":3,"macList":["C0:74:AD:12:34:56"],"execType":1,"fwVersion":"1.0.3.21"}"#;
        assert_eq!(
            sha256_hex(body),
            "8981f0235f165d9421647a68a0b5f03f3cf95a3deb592090bd9afe141bc43739"
        );
        let q = [("access_token", UC_TOKEN), ("timestamp", UC_TS)];
        assert_eq!(
            uc_signature(&q, "10245", "a1B2c3D4e5F6g7H8", body),
            "e1fef6dd317f85808a088f1b90c9ac794a8e700e1e2ff2feeb535ee0e6027e79"
        );
    }

    #[test]
    fn vectors_gwn() {
        let w1 = br#"{"pageNum":1,"pageSize":200}"#;
        assert_eq!(
            sha256_hex(w1),
            "5f528c3a39853b543e8277751357882a039820fd2616521fd9c709f2ea3a0fc5"
        );
        assert_eq!(
            gwn_signature(GWN_TOKEN, "100200", "Zx9Yw8Vu7Ts6Rq5P", GWN_TS, w1),
            "5aa3279d5faf7265652899e48c3809b0c762470708d466b60b773b3ba4c4ac1a"
        );
        let w2 = br#"{"networkId":12345,"pageNum":1,"pageSize":100}"#;
        assert_eq!(
            sha256_hex(w2),
            "76d6e86e84c189a9ff4caf03b1aebf4637bbfee3033950cbfbc8cac4e1753944"
        );
        assert_eq!(
            gwn_signature(GWN_TOKEN, "100200", "Zx9Yw8Vu7Ts6Rq5P", GWN_TS, w2),
            "bae3dab42167f3e703c3ffa3df27fa3e731c397b2041e5e5455e5de656d68cc0"
        );
        assert_eq!(
            gwn_signature(GWN_TOKEN, "100200", "Zx9Yw8Vu7Ts6Rq5P", GWN_TS, b""),
            "aabb6cce79ec756ba8638e411579de3739e22849649590fe66d406bfa8c1d4bc"
        );
    }

    #[test]
    fn empty_body_is_never_hashed_in() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(!canonical_string(&[("a", "1")], b"").contains("e3b0c442"));
    }

    #[test]
    fn webhook_vector_w_h1() {
        let body = br#"{"mac":"c0:74:ad:12:34:56","status":"offline"}"#;
        let header = "sha256=a24131fdacbfbcc4259ed7851ca330e13b276d394601191eafb0fd05100f066a";
        assert_eq!(gdms_webhook_signature("whsec-demo-123", body), header);
        assert!(verify_gdms_webhook("whsec-demo-123", body, header));
        assert!(verify_gdms_webhook(
            "whsec-demo-123",
            body,
            &header.to_uppercase().replace("SHA256=", "sha256=")
        ));
        assert!(!verify_gdms_webhook("whsec-demo-124", body, header));
        assert!(!verify_gdms_webhook("whsec-demo-123", body, &header[7..]));
        assert!(!verify_gdms_webhook("whsec-demo-123", b"{}", header));
    }
}
