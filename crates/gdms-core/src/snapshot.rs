//! What one fetch from the clouds saw: devices, their ports, and per source
//! whether the listing was complete.
//!
//! This is the contract between the cloud clients (which produce a
//! [`Snapshot`]) and the sync engine (which consumes it). Completeness is
//! recorded per [`SourceKey`] because the engine may purge a device only when
//! the source that used to list it was listed completely this time; a device
//! of an incomplete source is kept and marked stale, never purged and never
//! used to open or resolve an incident.
//!
//! `Option` fields mean "the cloud did not say": the engine never turns a
//! missing value into an empty one over a stored value.

use serde::{Deserialize, Serialize};

use crate::Mac;

/// Which cloud a device or a source belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// GDMS Unified Communications (phones, ATAs, UCM/GCC PBXs).
    Uc,
    /// GWN Cloud / GDMS Networking (APs, switches, routers).
    Gwn,
}

/// One unit of listing whose completeness is tracked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceKey {
    /// The GDMS UC `device/list` of the account (all its pages).
    UcDevices,
    /// The GWN `network/list` of the account (all its pages).
    GwnNetworks,
    /// The GWN `ap/list` of one network (all its pages).
    GwnNetwork {
        /// GWN network id, as text (the cloud sends int or string).
        network_id: String,
    },
}

/// Why a source was not listed completely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FetchFailure {
    /// No credentials configured for this cloud: nothing was asked.
    NotConfigured,
    /// The request did not complete within the configured timeout.
    Timeout,
    /// No connection could be made (DNS, refused, TLS).
    Connect {
        /// The transport's own description.
        detail: String,
    },
    /// The cloud answered with a non-2xx HTTP status.
    Http {
        /// The status code.
        status: u16,
    },
    /// The cloud answered HTTP 200 with a non-zero `retCode`.
    Cloud {
        /// The `retCode`.
        code: i64,
        /// The cloud's `msg`.
        message: String,
    },
    /// The token endpoint refused the credentials.
    TokenRejected {
        /// The OAuth error description, or the HTTP status.
        detail: String,
    },
    /// The body was not the JSON shape the endpoint documents.
    Malformed {
        /// What was wrong (never the whole body).
        detail: String,
    },
    /// Pagination hit the page ceiling with a full last page.
    PageCeiling {
        /// The ceiling that was hit.
        pages: u32,
    },
    /// A source this one depends on failed (e.g. the network list).
    Upstream,
}

/// Completeness of one source in one fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceReport {
    /// Which source.
    pub source: SourceKey,
    /// `true` only when every page succeeded and pagination ended naturally.
    pub complete: bool,
    /// Why not complete; `None` when complete.
    pub failure: Option<FetchFailure>,
    /// The endpoint that failed, e.g. `/oapi/v1.0.0/ap/list` (never with its query).
    pub endpoint: Option<String>,
    /// The page that failed, when the failure is on a page.
    pub page: Option<u32>,
    /// Pages read successfully.
    pub pages: u32,
    /// Devices listed by this source.
    pub devices: u32,
}

/// Online state as the cloud reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloudStatus {
    /// `status == 1`.
    Online,
    /// `status == 0` (or anything but 1 and -1).
    Offline,
    /// GDMS `status == -1`; treated as not online.
    Abnormal,
}

impl CloudStatus {
    /// Only `Online` counts as up (spec quirk 8).
    pub fn is_online(self) -> bool {
        matches!(self, CloudStatus::Online)
    }
}

/// WAN or LAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortRole {
    /// `role == 1`, or a WAN name / WAN id present.
    Wan,
    /// Everything else, and every switch port.
    Lan,
}

/// Whether a WAN port reaches the internet (`ipv4Info.connectStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Internet {
    /// `connectStatus == 1`.
    Up,
    /// `connectStatus == 0`.
    Down,
    /// Missing or any other value: never triggers an incident.
    Unknown,
}

/// Copper or fibre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortMedium {
    /// GE copper.
    Ge,
    /// `type == 1`.
    Sfp,
}

/// One router or switch port.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Port {
    /// Stable key for transition tracking: `portId`, else the silk label.
    pub id: String,
    /// `portName`, e.g. `WAN1`.
    pub name: Option<String>,
    /// `silkScreenPort`, the label on the chassis.
    pub silk: Option<String>,
    /// WAN or LAN.
    pub role: PortRole,
    /// Physical link up.
    pub link_up: bool,
    /// Internet reachability; `Unknown` on LAN ports.
    pub internet: Internet,
    /// `portSpeed` enum (0 none … 7 10G full).
    pub speed: Option<u8>,
    /// GE or SFP.
    pub medium: PortMedium,
    /// `isCombo`.
    pub is_combo: bool,
    /// ISP / WAN connection name.
    pub wan_name: Option<String>,
    /// WAN IPv4 address.
    pub ip: Option<String>,
    /// `wanType` (0 DHCP, 1 Static, 2 PPPoE, 3 PPTP, 4 L2TP).
    pub wan_type: Option<u8>,
    /// Gateway address.
    pub gateway: Option<String>,
    /// First DNS server.
    pub dns1: Option<String>,
    /// Second DNS server.
    pub dns2: Option<String>,
    /// WAN port MAC (`wamMac` / `portMac`).
    pub wan_mac: Option<String>,
    /// IPv6 address on the port.
    pub ipv6: Option<String>,
    /// Seconds connected.
    pub connect_duration: Option<u64>,
    /// Admin label (`portCustomName`).
    pub custom_name: Option<String>,
    /// Admin description (`portDesc`).
    pub description: Option<String>,
    /// VLAN (switch ports).
    pub vlan: Option<u32>,
    /// Cumulative bytes sent.
    pub tx_bytes: Option<u64>,
    /// Cumulative bytes received.
    pub rx_bytes: Option<u64>,
    /// Cumulative packets sent.
    pub tx_packets: Option<u64>,
    /// Cumulative packets received.
    pub rx_packets: Option<u64>,
}

impl Port {
    /// The label people know the port by: silk label, else name, else id.
    pub fn label(&self) -> &str {
        self.silk
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self.name.as_deref().filter(|s| !s.is_empty()))
            .unwrap_or(&self.id)
    }
}

/// SIP account state of a UC phone (`accountStatus` etc.).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SipInfo {
    /// `accountStatus == 1`.
    pub registered: bool,
    /// SIP extension, when known.
    pub extension: Option<String>,
    /// Do-Not-Disturb active.
    pub dnd: Option<bool>,
    /// Provisioning config synchronised.
    pub is_synchronized: Option<bool>,
    /// Provisioning error text.
    pub sync_failure_msg: Option<String>,
    /// A GDMS task is pending.
    pub scheduled_task: Option<bool>,
}

/// Ports as fetched this cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PortsFetch {
    /// Not asked: not a router/switch, offline, or no GWN network.
    NotApplicable,
    /// Asked and read.
    Fetched {
        /// The ports, in the cloud's order.
        ports: Vec<Port>,
    },
    /// Asked and failed: keep the stored ports, decide nothing from them.
    Failed {
        /// Why.
        failure: FetchFailure,
    },
}

/// One device as the cloud lists it, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudDevice {
    /// Which cloud.
    pub cloud: Cloud,
    /// Which source listed it (for completeness decisions).
    pub source: SourceKey,
    /// Normalised MAC; `None` when the cloud gave none or an invalid one.
    pub mac: Option<Mac>,
    /// Serial exactly as the cloud wrote it (trimmed), from the list or `device/info`.
    pub serial: Option<String>,
    /// `deviceName` / `name`, trimmed; may be empty.
    pub name: String,
    /// Raw model string (`deviceType` / `apType`).
    pub model: String,
    /// Online state.
    pub status: CloudStatus,
    /// GWN network id, or `None` for UC devices.
    pub network_id: Option<String>,
    /// GWN network name or GDMS site name.
    pub network_name: Option<String>,
    /// Public / WAN address.
    pub public_ip: Option<String>,
    /// LAN IPv4 address.
    pub private_ip: Option<String>,
    /// IPv6 address.
    pub ipv6: Option<String>,
    /// Current firmware.
    pub firmware: Option<String>,
    /// Newest stable firmware the cloud offers (GWN `upgrade/version`).
    pub firmware_latest: Option<String>,
    /// Uptime in seconds.
    pub uptime_sec: Option<u64>,
    /// Connected wireless clients.
    pub clients: Option<u32>,
    /// Cumulative upload bytes.
    pub upload_bytes: Option<u64>,
    /// Cumulative download bytes.
    pub download_bytes: Option<u64>,
    /// 2.4 GHz channel.
    pub channel_2g: Option<u16>,
    /// 5 GHz channel.
    pub channel_5g: Option<u16>,
    /// First seen, epoch seconds UTC.
    pub first_seen: Option<i64>,
    /// Last seen, epoch seconds UTC.
    pub last_seen: Option<i64>,
    /// Free-text location.
    pub location: Option<String>,
    /// Uplink device MAC, when the cloud names one (topology edge).
    pub uplink_mac: Option<Mac>,
    /// Router/switch ports.
    pub ports: PortsFetch,
    /// SIP state (UC phones only).
    pub sip: Option<SipInfo>,
}

/// Which release programme a firmware comes from. Grandstream publishes
/// official releases for every family and betas for some; only UC upgrades
/// (`task/add` with a download URL) can install a beta, since GWN's
/// `upgrade/add` always applies the latest official release.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FirmwareChannel {
    /// The `<slug>-official-firmware` page, or the CDN file of a model.
    #[default]
    Official,
    /// The `<slug>-beta-firmware` page.
    Beta,
}

impl FirmwareChannel {
    /// The word the firmware page's address carries.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Beta => "beta",
        }
    }
}

/// Firmware offered for one model of UC device (firmware pages, §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmwareOffer {
    /// Model the offer applies to.
    pub model: String,
    /// Official release or beta (absent in older documents: official).
    #[serde(default)]
    pub channel: FirmwareChannel,
    /// Version, when the page names one for this model.
    pub version: Option<String>,
    /// Download URL on `firmware.grandstream.com`.
    pub download_url: Option<String>,
}

/// A token the PHP shell may store encrypted so a new process reuses it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenState {
    /// Which cloud.
    pub cloud: Cloud,
    /// The access token.
    pub access_token: String,
    /// GDMS UC refresh token.
    pub refresh_token: Option<String>,
    /// Expiry, epoch seconds UTC.
    pub expires_at: i64,
}

impl std::fmt::Debug for TokenState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens are secrets: never in a debug dump or a log line.
        f.debug_struct("TokenState")
            .field("cloud", &self.cloud)
            .field("access_token", &"[REDACTED]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[REDACTED]"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Counters of one fetch, for logs, tests and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchStats {
    /// HTTP requests sent (retries included).
    pub requests: u32,
    /// Tokens obtained (password, refresh or client-credentials grants).
    pub tokens_issued: u32,
    /// Retries after timeouts, 5xx or 429.
    pub retries: u32,
    /// Wall time of the fetch in milliseconds.
    pub duration_ms: u64,
}

/// Everything one fetch saw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Completeness per source, one entry per source asked (or not configured).
    pub sources: Vec<SourceReport>,
    /// Devices listed, from every source (including incomplete ones).
    pub devices: Vec<CloudDevice>,
    /// GWN networks: id and name.
    #[serde(default)]
    pub networks: Vec<Network>,
    /// Tokens in use at the end of the fetch, to store encrypted. Optional
    /// on input so the PHP shell can strip them before handing the snapshot
    /// to `gdms_plan` (the plan never needs them).
    #[serde(default)]
    pub tokens: Vec<TokenState>,
    /// Counters.
    #[serde(default)]
    pub stats: FetchStats,
}

/// A GWN network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    /// Network id, as text.
    pub id: String,
    /// Network name.
    pub name: String,
}

impl Snapshot {
    /// Whether `source` was listed completely in this snapshot. A source the
    /// snapshot does not mention was not listed, so it is not complete.
    pub fn is_complete(&self, source: &SourceKey) -> bool {
        self.sources
            .iter()
            .any(|r| &r.source == source && r.complete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmentioned_source_is_not_complete() {
        let snap = Snapshot {
            sources: vec![SourceReport {
                source: SourceKey::UcDevices,
                complete: true,
                failure: None,
                endpoint: None,
                page: None,
                pages: 1,
                devices: 0,
            }],
            ..Snapshot::default()
        };
        assert!(snap.is_complete(&SourceKey::UcDevices));
        assert!(!snap.is_complete(&SourceKey::GwnNetwork {
            network_id: "1".into()
        }));
    }

    #[test]
    fn token_debug_is_redacted() {
        let t = TokenState {
            cloud: Cloud::Gwn,
            access_token: "abc-secret".into(),
            refresh_token: Some("r-secret".into()),
            expires_at: 1,
        };
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("secret"), "{dbg}");
    }

    #[test]
    fn source_key_json_shape() {
        let k = SourceKey::GwnNetwork {
            network_id: "12345".into(),
        };
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            r#"{"kind":"gwn_network","network_id":"12345"}"#
        );
    }
}
