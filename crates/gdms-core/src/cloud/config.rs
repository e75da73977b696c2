//! The request documents the PHP shell sends: credentials, hosts, limits.
//!
//! Secrets are held in [`Secret`], whose `Debug` prints `[REDACTED]`, so a
//! request can be debug-printed or logged without leaking anything.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::snapshot::TokenState;

/// A secret string (password, client secret, token). Never shown by `Debug`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret text, for signing and sending only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is empty (after trimming).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// GDMS UC region (spec §1): decides the default host.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// `https://www.gdms.cloud`.
    #[default]
    Us,
    /// `https://eu.gdms.cloud`.
    Eu,
}

/// Default GDMS UC host, US.
pub const UC_US_BASE: &str = "https://www.gdms.cloud";
/// Default GDMS UC host, EU.
pub const UC_EU_BASE: &str = "https://eu.gdms.cloud";
/// Default GWN host.
pub const GWN_BASE: &str = "https://www.gwn.cloud";
/// Default host of the public firmware pages (spec §9).
pub const FIRMWARE_BASE: &str = "https://www.grandstream.com";

/// GDMS UC credentials (spec §3.2).
#[derive(Debug, Clone, Deserialize)]
pub struct UcConfig {
    /// Login username (not the e-mail).
    pub username: String,
    /// Plaintext password; hashed here, never sent.
    #[serde(default)]
    pub password: Secret,
    /// Alternatively `sha256(md5hex(password))`, when the shell stores only that.
    #[serde(default)]
    pub password_hash: Secret,
    /// "API ID".
    pub client_id: String,
    /// "Secret Key".
    pub client_secret: Secret,
    /// US or EU host.
    #[serde(default)]
    pub region: Region,
    /// Host root overriding the region's (tests, simulator). A trailing `/oapi` is accepted.
    #[serde(default)]
    pub base_url: Option<String>,
}

impl UcConfig {
    /// Host root without trailing slash or `/oapi`.
    pub fn base(&self) -> String {
        let default = match self.region {
            Region::Us => UC_US_BASE,
            Region::Eu => UC_EU_BASE,
        };
        normalise_base(self.base_url.as_deref().unwrap_or(default))
    }

    /// The password parameter of the password grant.
    pub fn password_param(&self) -> String {
        if self.password_hash.is_blank() {
            crate::signing::uc_password_hash(self.password.expose())
        } else {
            self.password_hash.expose().trim().to_ascii_lowercase()
        }
    }

    /// Whether every credential needed is present.
    pub fn is_complete(&self) -> bool {
        let has_password = !self.password.is_blank() || !self.password_hash.is_blank();
        has_password
            && !self.username.trim().is_empty()
            && !self.client_id.trim().is_empty()
            && !self.client_secret.is_blank()
    }
}

/// GWN credentials (spec §4.1).
#[derive(Debug, Clone, Deserialize)]
pub struct GwnConfig {
    /// "APP ID".
    pub app_id: String,
    /// "Secret Key".
    pub secret_key: Secret,
    /// Host root overriding `https://www.gwn.cloud`.
    #[serde(default)]
    pub base_url: Option<String>,
}

impl GwnConfig {
    /// Host root without trailing slash or `/oapi`.
    pub fn base(&self) -> String {
        normalise_base(self.base_url.as_deref().unwrap_or(GWN_BASE))
    }

    /// Whether every credential needed is present.
    pub fn is_complete(&self) -> bool {
        !self.app_id.trim().is_empty() && !self.secret_key.is_blank()
    }
}

/// `https://host/oapi/` → `https://host`.
pub fn normalise_base(url: &str) -> String {
    let t = url.trim().trim_end_matches('/');
    t.strip_suffix("/oapi").unwrap_or(t).to_string()
}

fn d_concurrency() -> usize {
    8
}
fn d_connect() -> u64 {
    5_000
}
fn d_timeout() -> u64 {
    25_000
}
fn d_device_timeout() -> u64 {
    8_000
}
fn d_attempts() -> u32 {
    3
}
fn d_retry_cap() -> u64 {
    5_000
}
fn d_backoff() -> u64 {
    250
}
fn d_ceiling() -> u32 {
    50
}
fn d_true() -> bool {
    true
}

/// Limits and optional parts of a fetch. Every field has a default.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FetchOptions {
    /// Requests in flight at once (1..=64, default 8).
    #[serde(default = "d_concurrency")]
    pub concurrency: usize,
    /// TCP+TLS connect timeout, ms (default 5000).
    #[serde(default = "d_connect")]
    pub connect_timeout_ms: u64,
    /// Whole-request timeout for token and list calls, ms (default 25000, spec §8).
    #[serde(default = "d_timeout")]
    pub timeout_ms: u64,
    /// Whole-request timeout for per-device calls and firmware pages, ms (default 8000).
    #[serde(default = "d_device_timeout")]
    pub device_timeout_ms: u64,
    /// Attempts per safe call (default 3; destructive calls always 1).
    #[serde(default = "d_attempts")]
    pub max_attempts: u32,
    /// First backoff, ms; doubles per attempt, plus 0–150 ms jitter (default 250).
    #[serde(default = "d_backoff")]
    pub backoff_ms: u64,
    /// Longest `Retry-After` honoured, ms (default 5000).
    #[serde(default = "d_retry_cap")]
    pub retry_after_cap_ms: u64,
    /// Pages read at most per listing (default 50).
    #[serde(default = "d_ceiling")]
    pub page_ceiling: u32,
    /// Fetch switch port tables (`switch/portInfo`) for online switches (default true).
    #[serde(default = "d_true")]
    pub switch_ports: bool,
    /// Fetch `upgrade/version` per network for `firmware_latest` (default true).
    #[serde(default = "d_true")]
    pub firmware_versions: bool,
    /// Fetch `alert/list` (first page) per network (default false).
    #[serde(default)]
    pub alerts: bool,
    /// Fetch `client/list` per network (default false).
    #[serde(default)]
    pub clients: bool,
    /// Look up the official firmware of every UC model listed that has a
    /// firmware page (PBXs), besides `firmware_models`, and fill those
    /// devices' `firmware_latest` (default false).
    #[serde(default)]
    pub uc_firmware: bool,
    /// Also read the beta page of every firmware slug looked up (default
    /// false: the sync needs only official releases; the dashboard's
    /// firmware check asks for betas so an admin can choose one).
    #[serde(default)]
    pub firmware_beta: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            concurrency: d_concurrency(),
            connect_timeout_ms: d_connect(),
            timeout_ms: d_timeout(),
            device_timeout_ms: d_device_timeout(),
            max_attempts: d_attempts(),
            backoff_ms: d_backoff(),
            retry_after_cap_ms: d_retry_cap(),
            page_ceiling: d_ceiling(),
            switch_ports: true,
            firmware_versions: true,
            alerts: false,
            clients: false,
            uc_firmware: false,
            firmware_beta: false,
        }
    }
}

impl FetchOptions {
    /// Concurrency clamped to 1..=64.
    pub fn concurrency(&self) -> usize {
        self.concurrency.clamp(1, 64)
    }
    /// Timeout of list and token calls.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.max(100))
    }
    /// Timeout of per-device calls.
    pub fn device_timeout(&self) -> Duration {
        Duration::from_millis(self.device_timeout_ms.max(100))
    }
    /// Connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms.max(50))
    }
    /// Page ceiling, at least 1.
    pub fn page_ceiling(&self) -> u32 {
        self.page_ceiling.max(1)
    }
}

/// The `gdms_fetch` request document (see `contract::fetch`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FetchRequest {
    /// GDMS UC credentials; absent, `null`, `[]` or `{}` = not configured.
    #[serde(default, deserialize_with = "optional_section")]
    pub uc: Option<UcConfig>,
    /// GWN credentials; absent, `null`, `[]` or `{}` = not configured.
    #[serde(default, deserialize_with = "optional_section")]
    pub gwn: Option<GwnConfig>,
    /// Serials already stored, by MAC (any spelling): not looked up again.
    /// Either `{"<mac>": "<serial>"}` or `[{"mac": …, "serial": …}]`.
    #[serde(default, deserialize_with = "known_serials")]
    pub known_serials: BTreeMap<String, String>,
    /// Tokens stored by the shell from an earlier fetch.
    #[serde(default)]
    pub tokens: Vec<TokenState>,
    /// Limits and optional parts.
    #[serde(default)]
    pub options: FetchOptions,
    /// UC models whose official firmware to look up on the firmware pages.
    #[serde(default)]
    pub firmware_models: Vec<String>,
    /// Host of the firmware pages (default `https://www.grandstream.com`).
    #[serde(default)]
    pub firmware_base_url: Option<String>,
}

/// A section that PHP's `json_encode` may write as `[]` (an empty array) or
/// `{}` when there is nothing in it: both mean "absent".
pub(crate) fn optional_section<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    let empty = match &v {
        serde_json::Value::Null => true,
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if empty {
        return Ok(None);
    }
    serde_json::from_value(v)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// One entry of the list spelling of `known_serials`.
#[derive(Deserialize)]
struct KnownSerial {
    mac: String,
    #[serde(alias = "sn")]
    serial: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum KnownSerials {
    Map(BTreeMap<String, String>),
    List(Vec<KnownSerial>),
}

fn known_serials<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    Ok(match Option::<KnownSerials>::deserialize(d)? {
        None => BTreeMap::new(),
        Some(KnownSerials::Map(m)) => m,
        Some(KnownSerials::List(l)) => l.into_iter().map(|k| (k.mac, k.serial)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_empty_arrays_mean_absent() {
        let r: FetchRequest = serde_json::from_str(
            r#"{"uc": [], "gwn": {}, "known_serials": [], "tokens": [], "options": [], "firmware_models": []}"#,
        )
        .unwrap();
        assert!(r.uc.is_none() && r.gwn.is_none());
        assert_eq!(r.options.concurrency, 8);
        let e = serde_json::from_str::<FetchRequest>(r#"{"gwn": {"app_id": "1"}}"#).unwrap_err();
        assert!(e.to_string().contains("secret_key"), "{e}");
    }

    #[test]
    fn known_serials_as_map_or_list() {
        let a: FetchRequest =
            serde_json::from_str(r#"{"known_serials":{"C0:74:AD:00:00:01":"S1"}}"#).unwrap();
        let b: FetchRequest = serde_json::from_str(
            r#"{"known_serials":[{"mac":"C0:74:AD:00:00:01","serial":"S1"}]}"#,
        )
        .unwrap();
        assert_eq!(a.known_serials, b.known_serials);
        let c: FetchRequest = serde_json::from_str(r#"{"known_serials":null}"#).unwrap();
        assert!(c.known_serials.is_empty());
        assert!(serde_json::from_str::<FetchRequest>(r#"{"known_serials":5}"#).is_err());
    }

    #[test]
    fn secrets_never_debug_print() {
        let r: FetchRequest = serde_json::from_str(
            r#"{"uc":{"username":"u","password":"pw-very-secret","client_id":"1","client_secret":"cs-very-secret"},
                "gwn":{"app_id":"2","secret_key":"sk-very-secret"}}"#,
        )
        .unwrap();
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("very-secret"), "{dbg}");
        assert_eq!(r.options.concurrency, 8);
        assert!(r.uc.as_ref().unwrap().is_complete());
    }

    #[test]
    fn hosts_per_region_and_override() {
        let mut uc: UcConfig = serde_json::from_str(
            r#"{"username":"u","password":"p","client_id":"1","client_secret":"s","region":"eu"}"#,
        )
        .unwrap();
        assert_eq!(uc.base(), "https://eu.gdms.cloud");
        uc.region = Region::Us;
        assert_eq!(uc.base(), "https://www.gdms.cloud");
        uc.base_url = Some("http://127.0.0.1:9/oapi/".into());
        assert_eq!(uc.base(), "http://127.0.0.1:9");
        assert_eq!(uc.password_param().len(), 64, "sha256 hex of the md5 hex");
    }
}
