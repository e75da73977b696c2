//! Tokens: issuing them at the two token endpoints (spec §3.2, §3.3, §4.2) and
//! telling a business call whether its `access_token` is good.
//!
//! Credentials can be rotated at run time: every token carries the credential
//! epoch it was issued under, and a rotation bumps the epoch, so older tokens
//! answer 40001 before their expiry, as they would after a secret is regenerated.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::envelope::ApiError;

/// Which cloud a token or request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// GDMS Unified Communications.
    Uc,
    /// GWN / GDMS Networking.
    Gwn,
}

impl Cloud {
    /// `uc` or `gwn`, the prefix of endpoint names.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Uc => "uc",
            Cloud::Gwn => "gwn",
        }
    }

    fn idx(self) -> usize {
        match self {
            Cloud::Uc => 0,
            Cloud::Gwn => 1,
        }
    }
}

#[derive(Debug, Clone)]
struct AccessToken {
    cloud: Cloud,
    expires_at_ms: i64,
    epoch: u64,
}

/// All tokens the simulated clouds have issued.
#[derive(Debug, Default)]
pub struct TokenStore {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, u64>,
    epoch: [u64; 2],
}

impl TokenStore {
    /// Records a freshly issued access token.
    pub fn insert_access(&mut self, token: String, cloud: Cloud, expires_at_ms: i64) {
        let epoch = self.epoch[cloud.idx()];
        self.access.insert(
            token,
            AccessToken {
                cloud,
                expires_at_ms,
                epoch,
            },
        );
    }

    /// Records a UC refresh token.
    pub fn insert_refresh(&mut self, token: String) {
        let epoch = self.epoch[Cloud::Uc.idx()];
        self.refresh.insert(token, epoch);
    }

    /// Whether a UC refresh token is known and not revoked.
    pub fn refresh_valid(&self, token: &str) -> bool {
        self.refresh.get(token) == Some(&self.epoch[Cloud::Uc.idx()])
    }

    /// Checks an access token presented to `cloud` at `now_ms`.
    ///
    /// # Errors
    /// [`ApiError::TokenInvalid`] when unknown, issued by the other cloud or
    /// revoked by a rotation; [`ApiError::TokenExpired`] when past its lifetime.
    pub fn check(&self, token: &str, cloud: Cloud, now_ms: i64) -> Result<(), ApiError> {
        match self.access.get(token) {
            Some(t) if t.cloud == cloud && t.epoch == self.epoch[cloud.idx()] => {
                if now_ms >= t.expires_at_ms {
                    Err(ApiError::TokenExpired)
                } else {
                    Ok(())
                }
            }
            _ => Err(ApiError::TokenInvalid),
        }
    }

    /// Revokes every token of `cloud` (credential rotation): they answer 40001.
    pub fn revoke(&mut self, cloud: Cloud) {
        self.epoch[cloud.idx()] += 1;
        self.access.retain(|_, t| t.cloud != cloud);
        if cloud == Cloud::Uc {
            self.refresh.clear();
        }
    }

    /// Makes every live token of `cloud` expired now: they answer 40002.
    pub fn expire(&mut self, cloud: Cloud) {
        for t in self.access.values_mut().filter(|t| t.cloud == cloud) {
            t.expires_at_ms = 0;
        }
    }

    /// Number of access tokens held (for stats).
    pub fn live_count(&self, cloud: Cloud, now_ms: i64) -> usize {
        self.access
            .values()
            .filter(|t| {
                t.cloud == cloud && t.expires_at_ms > now_ms && t.epoch == self.epoch[cloud.idx()]
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_rotate_and_stay_in_their_cloud() {
        let mut s = TokenStore::default();
        s.insert_access("a".into(), Cloud::Gwn, 1_000);
        s.insert_access("b".into(), Cloud::Gwn, 2_000);
        assert_eq!(s.check("a", Cloud::Gwn, 500), Ok(()));
        // Issuing a new token does not invalidate older unexpired ones (§4.2).
        assert_eq!(s.check("b", Cloud::Gwn, 500), Ok(()));
        assert_eq!(s.check("a", Cloud::Uc, 500), Err(ApiError::TokenInvalid));
        assert_eq!(s.check("a", Cloud::Gwn, 1_000), Err(ApiError::TokenExpired));
        assert_eq!(s.check("zz", Cloud::Gwn, 0), Err(ApiError::TokenInvalid));
        s.expire(Cloud::Gwn);
        assert_eq!(s.check("b", Cloud::Gwn, 500), Err(ApiError::TokenExpired));
        s.revoke(Cloud::Gwn);
        assert_eq!(s.check("b", Cloud::Gwn, 500), Err(ApiError::TokenInvalid));
        s.insert_refresh("r".into());
        assert!(s.refresh_valid("r"));
        s.revoke(Cloud::Uc);
        assert!(!s.refresh_valid("r"));
    }
}
