//! Checking a business call's query authentication exactly as the clouds do
//! (spec §3.6 for GDMS UC, §4.3 for GWN), with the clients' own signing
//! functions from [`gdms_core::signing`] over the raw received body.
//!
//! Order of checks, and the code each failure answers (§2.2):
//! token (40001 missing/unknown/revoked, 40002 expired) → GWN `appID`
//! (40006) → `timestamp` (40005: missing, not 13 digits, outside the window)
//! → `signature` (40003: missing or different). Replays of the same
//! timestamp are accepted (§8).

use gdms_core::signing;

use crate::auth::{Cloud, TokenStore};
use crate::envelope::ApiError;

/// The secrets a signature is checked against.
#[derive(Debug, Clone)]
pub enum Secrets<'a> {
    /// GDMS UC: `client_id` and `client_secret` join the signed set.
    Uc {
        /// API ID.
        client_id: &'a str,
        /// Secret key.
        client_secret: &'a str,
    },
    /// GWN: `appID` is sent, `secretKey` only signed.
    Gwn {
        /// APP ID.
        app_id: &'a str,
        /// Secret key.
        secret_key: &'a str,
    },
}

fn param<'q>(query: &'q [(String, String)], key: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Verifies one business call.
///
/// `query` is the decoded query string in received order; `body` the exact
/// received bytes; `now_ms` server time.
///
/// # Errors
/// The [`ApiError`] the cloud would answer, per the order in the module docs.
pub fn verify(
    tokens: &TokenStore,
    secrets: &Secrets<'_>,
    query: &[(String, String)],
    body: &[u8],
    now_ms: i64,
    window_ms: i64,
) -> Result<(), ApiError> {
    let cloud = match secrets {
        Secrets::Uc { .. } => Cloud::Uc,
        Secrets::Gwn { .. } => Cloud::Gwn,
    };
    let token = param(query, "access_token").ok_or(ApiError::TokenInvalid)?;
    tokens.check(token, cloud, now_ms)?;
    if let Secrets::Gwn { app_id, .. } = secrets {
        match param(query, "appID") {
            Some(a) if a == *app_id => {}
            _ => return Err(ApiError::AppNotExist),
        }
    }
    let ts = param(query, "timestamp").ok_or(ApiError::TimestampExpired)?;
    if ts.len() != 13 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::TimestampExpired);
    }
    let ts_ms: i64 = ts.parse().map_err(|_| ApiError::TimestampExpired)?;
    if (ts_ms - now_ms).abs() > window_ms {
        return Err(ApiError::TimestampExpired);
    }
    let got = param(query, "signature").ok_or(ApiError::BadSignature)?;
    let want = match secrets {
        Secrets::Uc {
            client_id,
            client_secret,
        } => {
            // Every received parameter except the signature takes part (§3.4).
            let signed: Vec<(&str, &str)> = query
                .iter()
                .filter(|(k, _)| k != "signature")
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            signing::uc_signature(&signed, client_id, client_secret, body)
        }
        Secrets::Gwn { app_id, secret_key } => {
            // Exactly four parameters take part (§4.3); extras are ignored.
            signing::gwn_signature(token, app_id, secret_key, ts, body)
        }
    };
    if signing::constant_time_eq(want.as_bytes(), got.to_ascii_lowercase().as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600_000;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn store(cloud: Cloud, token: &str) -> TokenStore {
        let mut s = TokenStore::default();
        s.insert_access(token.into(), cloud, NOW + 3_599_000);
        s
    }

    const UC: Secrets<'static> = Secrets::Uc {
        client_id: "10245",
        client_secret: "a1B2c3D4e5F6g7H8",
    };
    const GWN: Secrets<'static> = Secrets::Gwn {
        app_id: "100200",
        secret_key: "Zx9Yw8Vu7Ts6Rq5P",
    };
    const UC_TOKEN: &str = "5f0c9a2e-1b7d-4e3a-9c11-2f6b8d4e7a90";
    const GWN_TOKEN: &str = "8c3e51f2-7a44-4b0e-b6d2-0e9f1a3c5d77";

    #[test]
    fn spec_vector_g1_passes_and_case_is_ignored() {
        let s = store(Cloud::Uc, UC_TOKEN);
        let body = br#"{"pageNum":1,"pageSize":100}"#;
        let sig = "48318575c56ffbb00f9271427c9cf76513bbaa7939fdf539cf945eeee81be0cb";
        let query = q(&[
            ("access_token", UC_TOKEN),
            ("timestamp", "1767225600000"),
            ("signature", sig),
        ]);
        assert_eq!(verify(&s, &UC, &query, body, NOW, 300_000), Ok(()));
        let upper = q(&[
            ("access_token", UC_TOKEN),
            ("timestamp", "1767225600000"),
            ("signature", &sig.to_uppercase()),
        ]);
        assert_eq!(verify(&s, &UC, &upper, body, NOW, 300_000), Ok(()));
        // One byte of body changed: the signature no longer matches.
        assert_eq!(
            verify(
                &s,
                &UC,
                &query,
                br#"{"pageNum":2,"pageSize":100}"#,
                NOW,
                300_000
            ),
            Err(ApiError::BadSignature)
        );
    }

    #[test]
    fn spec_vector_g3_extra_param_is_signed() {
        let s = store(Cloud::Uc, UC_TOKEN);
        let sig = "f846a2ef8db0f3929c8c0e0276ad715c3085aa563fa8740dba1396b26b9eeec8";
        let query = q(&[
            ("orgId", "7788"),
            ("access_token", UC_TOKEN),
            ("timestamp", "1767225600000"),
            ("signature", sig),
        ]);
        assert_eq!(verify(&s, &UC, &query, b"", NOW, 300_000), Ok(()));
    }

    #[test]
    fn spec_vector_w2_passes_and_failures_have_their_codes() {
        let s = store(Cloud::Gwn, GWN_TOKEN);
        let body = br#"{"networkId":12345,"pageNum":1,"pageSize":100}"#;
        let sig = "bae3dab42167f3e703c3ffa3df27fa3e731c397b2041e5e5455e5de656d68cc0";
        let ok = q(&[
            ("access_token", GWN_TOKEN),
            ("appID", "100200"),
            ("timestamp", "1767225600123"),
            ("signature", sig),
        ]);
        assert_eq!(verify(&s, &GWN, &ok, body, NOW, 300_000), Ok(()));
        let no_app = q(&[
            ("access_token", GWN_TOKEN),
            ("timestamp", "1767225600123"),
            ("signature", sig),
        ]);
        assert_eq!(
            verify(&s, &GWN, &no_app, body, NOW, 300_000),
            Err(ApiError::AppNotExist)
        );
        let stale = q(&[
            ("access_token", GWN_TOKEN),
            ("appID", "100200"),
            ("timestamp", "1767225000123"),
            ("signature", sig),
        ]);
        assert_eq!(
            verify(&s, &GWN, &stale, body, NOW, 300_000),
            Err(ApiError::TimestampExpired)
        );
        let secs = q(&[
            ("access_token", GWN_TOKEN),
            ("appID", "100200"),
            ("timestamp", "1767225600"),
            ("signature", sig),
        ]);
        assert_eq!(
            verify(&s, &GWN, &secs, body, NOW, 300_000),
            Err(ApiError::TimestampExpired)
        );
        let nosig = q(&[
            ("access_token", GWN_TOKEN),
            ("appID", "100200"),
            ("timestamp", "1767225600123"),
        ]);
        assert_eq!(
            verify(&s, &GWN, &nosig, body, NOW, 300_000),
            Err(ApiError::BadSignature)
        );
        let notoken = q(&[
            ("appID", "100200"),
            ("timestamp", "1767225600123"),
            ("signature", sig),
        ]);
        assert_eq!(
            verify(&s, &GWN, &notoken, body, NOW, 300_000),
            Err(ApiError::TokenInvalid)
        );
        // A UC token is not a GWN token.
        let uc = store(Cloud::Uc, GWN_TOKEN);
        assert_eq!(
            verify(&uc, &GWN, &ok, body, NOW, 300_000),
            Err(ApiError::TokenInvalid)
        );
    }
}
