//! What a simulator instance is started with: credentials, fleet size, clocks.
//!
//! Defaults are the spec's own example values (§3.5, §4.4), so a test that
//! only needs "a cloud" can use `SimConfig::default()` and the spec vectors'
//! credentials together.

use serde::{Deserialize, Serialize};

/// GDMS UC account and API developer credentials (spec §3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UcCredentials {
    /// GDMS login username (not the email).
    pub username: String,
    /// Plaintext password; the token endpoint expects `sha256(md5hex(password))`.
    pub password: String,
    /// "API ID".
    pub client_id: String,
    /// "Secret Key".
    pub client_secret: String,
}

impl Default for UcCredentials {
    fn default() -> Self {
        Self {
            username: "noc.admin".into(),
            password: "S3cret!Pass".into(),
            client_id: "10245".into(),
            client_secret: "a1B2c3D4e5F6g7H8".into(),
        }
    }
}

/// GWN / GDMS Networking developer credentials (spec §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GwnCredentials {
    /// "APP ID" (sent as `appID` and `client_id`).
    pub app_id: String,
    /// "Secret Key" (signature key `secretKey`, token `client_secret`).
    pub secret_key: String,
}

impl Default for GwnCredentials {
    fn default() -> Self {
        Self {
            app_id: "100200".into(),
            secret_key: "Zx9Yw8Vu7Ts6Rq5P".into(),
        }
    }
}

/// Which meaning `task/add`'s `taskType` has (spec §5.2: the evidence conflicts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaskTypeMap {
    /// Plugin 1.6.0: 1 reboot, 2 factory reset, 3 upgrade (the default).
    #[default]
    Plugin160,
    /// Plugin 1.2.x: 1 upgrade, 2 factory reset (3 is unknown).
    Plugin12,
}

/// Everything a simulator is started with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seed of the fleet and of probabilistic faults: same seed, same fleet.
    pub seed: u64,
    /// Number of GWN networks.
    pub networks: usize,
    /// Total devices in both clouds.
    pub devices: usize,
    /// How many of `devices` are GDMS UC devices (phones, PBXs); `None` = 40 %.
    pub uc_devices: Option<usize>,
    /// Every network gets exactly one router (GWN700x) when true; otherwise
    /// routers are drawn at random like any other kind.
    pub one_router_per_network: bool,
    /// GDMS UC credentials.
    pub uc: UcCredentials,
    /// GWN credentials.
    pub gwn: GwnCredentials,
    /// `expires_in` of issued access tokens, seconds (spec: 3599).
    pub token_lifetime_s: u64,
    /// Accepted distance between the request `timestamp` and server time, ms.
    pub timestamp_window_ms: i64,
    /// Fixed latency added to every cloud request, ms.
    pub latency_ms: u64,
    /// `taskType` meaning for GDMS `task/add`.
    pub task_types: TaskTypeMap,
    /// Whether a refresh-grant response carries `refresh_token` (spec §3.3 says
    /// it may be omitted; clients must then keep the old one).
    pub refresh_returns_refresh_token: bool,
    /// Largest `pageSize` honoured by list endpoints; larger requests are clamped.
    pub max_page_size: usize,
    /// Runtime worker threads of the server.
    pub worker_threads: usize,
    /// Where to push a §7 webhook when a scenario changes a device's status
    /// (`None`: no automatic pushes; can be set later with a scenario).
    pub webhook_url: Option<String>,
    /// Secret for the automatic pushes' `X-GDMS-Signature`.
    pub webhook_secret: Option<String>,
    /// Seconds an accepted upgrade (`upgrade/add` without `time`, `task/add`
    /// upgrade with `execType` 1) takes before the device runs the new firmware.
    pub upgrade_delay_s: u64,
    /// Optional per-token limit of business requests per second (spec §8
    /// (inferred)); excess requests answer 429 with `Retry-After: 1`.
    pub rate_limit_per_s: Option<u32>,
    /// For demos: every this many ms, a seeded random scenario event (device
    /// drops, WAN down, no internet) or the undoing of an earlier one.
    pub chaos_interval_ms: Option<u64>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            seed: 1,
            networks: 3,
            devices: 30,
            uc_devices: None,
            one_router_per_network: true,
            uc: UcCredentials::default(),
            gwn: GwnCredentials::default(),
            token_lifetime_s: 3599,
            timestamp_window_ms: 300_000,
            latency_ms: 0,
            task_types: TaskTypeMap::default(),
            refresh_returns_refresh_token: true,
            max_page_size: 200,
            worker_threads: 2,
            webhook_url: None,
            webhook_secret: None,
            upgrade_delay_s: 60,
            rate_limit_per_s: None,
            chaos_interval_ms: None,
        }
    }
}

impl SimConfig {
    /// Number of UC devices the fleet will have.
    pub fn uc_device_count(&self) -> usize {
        self.uc_devices
            .unwrap_or(self.devices * 2 / 5)
            .min(self.devices)
    }

    /// Number of GWN devices the fleet will have.
    pub fn gwn_device_count(&self) -> usize {
        self.devices - self.uc_device_count()
    }
}
