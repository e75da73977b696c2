//! The stored state of one cloud device: one row of
//! `glpi_plugin_gdmsintegration_devices`, read in as the previous state and
//! written out, complete, as the new state.
//!
//! A device is keyed by its MAC, else by its normalised serial ([`DeviceKey`]),
//! so a device without a MAC keeps one row across cycles (the reference
//! re-created it every cycle, weakness 17). Merging a fresh observation into
//! the previous row never turns "the cloud did not say" into an empty value
//! (weakness 9): each field the snapshot lacks keeps its stored value.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::classify::{Category, Itemtype};
use super::matching::normalize_serial;
use super::wan::WanPortState;
use crate::snapshot::{
    Cloud, CloudDevice, CloudStatus, Port, PortRole, PortsFetch, SipInfo, SourceKey,
};
use crate::{GdmsError, Mac};

/// The identity of a device row: its MAC, else its normalised serial.
///
/// Text form (the `device_key` column, max 120 chars): the MAC in lower-case
/// colon form (`c0:74:ad:12:34:56`), or `sn:` + the serial upper-cased with
/// everything but letters and digits removed (`sn:20EZ9KX7A1234567`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceKey {
    /// Keyed by MAC.
    Mac(Mac),
    /// Keyed by normalised serial (no MAC known).
    Serial(String),
}

impl DeviceKey {
    /// The key of a cloud device, `None` when it has neither MAC nor serial.
    pub fn of(mac: Option<Mac>, serial: Option<&str>) -> Option<DeviceKey> {
        match mac {
            Some(m) => Some(DeviceKey::Mac(m)),
            None => serial.and_then(normalize_serial).map(DeviceKey::Serial),
        }
    }
}

impl fmt::Display for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceKey::Mac(m) => write!(f, "{m}"),
            DeviceKey::Serial(s) => write!(f, "sn:{s}"),
        }
    }
}

impl FromStr for DeviceKey {
    type Err = GdmsError;
    fn from_str(s: &str) -> Result<Self, GdmsError> {
        match s.strip_prefix("sn:") {
            Some(serial) => normalize_serial(serial)
                .map(DeviceKey::Serial)
                .ok_or_else(|| GdmsError::InvalidInput {
                    what: "device key",
                    detail: format!("'{s}' has an empty serial"),
                }),
            None => Mac::parse(s).map(DeviceKey::Mac),
        }
    }
}

impl Serialize for DeviceKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DeviceKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Which GLPI asset a device is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssetRef {
    /// An asset that exists: `{"kind":"existing","itemtype":"Phone","id":12}`.
    Existing {
        /// GLPI class.
        itemtype: Itemtype,
        /// GLPI id.
        id: u64,
    },
    /// The asset this plan creates for `device_key` (an entry of
    /// `assets.create`): `{"kind":"planned","itemtype":"Phone","device_key":"c0:…"}`.
    Planned {
        /// GLPI class of the asset to create.
        itemtype: Itemtype,
        /// The `device_key` of the `assets.create` entry.
        device_key: DeviceKey,
    },
}

impl AssetRef {
    /// The asset's GLPI class.
    pub fn itemtype(&self) -> Itemtype {
        match self {
            AssetRef::Existing { itemtype, .. } | AssetRef::Planned { itemtype, .. } => *itemtype,
        }
    }
}

impl fmt::Display for AssetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetRef::Existing { itemtype, id } => write!(f, "{} #{id}", itemtype.as_str()),
            AssetRef::Planned {
                itemtype,
                device_key,
            } => {
                write!(f, "new {} (created for {device_key})", itemtype.as_str())
            }
        }
    }
}

/// The engine's own memory of a device (`engine_state_json`): counters and
/// per-port WAN state the next cycle needs. PHP stores and returns it as is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineState {
    /// Consecutive fresh cycles the device was seen not online (0 when online).
    pub offline_cycles: u32,
    /// WAN port id → state of that port's state machine.
    #[serde(default, deserialize_with = "crate::php_compat::map_or_empty_list")]
    pub wan: BTreeMap<String, WanPortState>,
    /// When the device became stale (absent from an incomplete source).
    pub stale_since: Option<i64>,
    /// Uplink MAC the cloud last named (topology).
    pub uplink_mac: Option<Mac>,
    /// The `firmware_latest` a FirmwareAvailable event was last emitted for.
    pub firmware_announced: Option<String>,
}

/// One device row. Every field maps to the column of the same name in
/// `glpi_plugin_gdmsintegration_devices` (timestamps as epoch seconds UTC;
/// `None` → `''`/`0`/`NULL`), except `sip` → `sip_json`, `ports` →
/// `ports_json`, `engine_state` → `engine_state_json`, `asset` → `itemtype` +
/// `items_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceState {
    /// Row identity.
    pub device_key: DeviceKey,
    /// Which cloud lists it.
    pub cloud: Cloud,
    /// Which source listed it last (text form, see [`source_key_text`]).
    #[serde(with = "source_key_text")]
    pub source_key: SourceKey,
    /// MAC, when known.
    #[serde(default)]
    pub mac: Option<Mac>,
    /// Serial as the cloud wrote it (trimmed).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub serial: Option<String>,
    /// Cloud name (may be empty).
    #[serde(default)]
    pub name: String,
    /// Raw cloud model string.
    #[serde(default)]
    pub model: String,
    /// Category from [`super::classify::classify`].
    pub category: Category,
    /// Last cloud status (`online` / `offline` / `abnormal`).
    pub status: CloudStatus,
    /// Absent from an incomplete source this cycle: data is old, no decision taken.
    #[serde(default)]
    pub is_stale: bool,
    /// GWN network id.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub network_id: Option<String>,
    /// GWN network / GDMS site name.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub network_name: Option<String>,
    /// Public address.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub public_ip: Option<String>,
    /// LAN IPv4 address.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub private_ip: Option<String>,
    /// IPv6 address.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub ipv6: Option<String>,
    /// Current firmware.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub firmware: Option<String>,
    /// Newest stable firmware offered.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub firmware_latest: Option<String>,
    /// Uptime seconds at the last observation.
    #[serde(default)]
    pub uptime_sec: Option<u64>,
    /// Connected clients.
    #[serde(default)]
    pub clients: Option<u32>,
    /// Cumulative upload bytes.
    #[serde(default)]
    pub upload_bytes: Option<u64>,
    /// Cumulative download bytes.
    #[serde(default)]
    pub download_bytes: Option<u64>,
    /// 2.4 GHz channel.
    #[serde(default)]
    pub channel_2g: Option<u16>,
    /// 5 GHz channel.
    #[serde(default)]
    pub channel_5g: Option<u16>,
    /// Free-text location.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub location: Option<String>,
    /// First seen (cloud's, else first observation), epoch s.
    #[serde(default)]
    pub first_seen: Option<i64>,
    /// Last seen (cloud's, else last fresh observation), epoch s.
    #[serde(default)]
    pub last_seen: Option<i64>,
    /// Last cycle the device was observed fresh (roll-up interval start), epoch s.
    #[serde(default)]
    pub last_observed_at: Option<i64>,
    /// When the current `status` began (first observation of it), epoch s.
    #[serde(default)]
    pub status_since: Option<i64>,
    /// SIP state of UC phones.
    #[serde(default)]
    pub sip: Option<SipInfo>,
    /// Router/switch ports, last successfully fetched.
    #[serde(default)]
    pub ports: Vec<Port>,
    /// Engine memory.
    #[serde(default)]
    pub engine_state: EngineState,
    /// Linked asset (`itemtype` + `items_id` columns). On input, PHP passes the
    /// stored link as `{"kind":"existing",…}` (or `null`): while that asset
    /// is in the input's `assets`, the device stays linked to it without
    /// matching. On output it is set for every fresh device (possibly
    /// `planned`); `null` on a stale row means "keep the stored columns".
    #[serde(default)]
    pub asset: Option<AssetRef>,
}

impl DeviceState {
    /// Whether the device counts as up.
    pub fn is_online(&self) -> bool {
        self.status.is_online()
    }

    /// Whether any stored port is a WAN port.
    pub fn has_wan_ports(&self) -> bool {
        self.ports.iter().any(|p| p.role == PortRole::Wan)
    }

    /// The name people know the device by: cloud name, else model, else "GDMS Device".
    pub fn display_name(&self) -> &str {
        display_name(&self.name, &self.model)
    }
}

/// Cloud name → model → `GDMS Device`.
pub fn display_name<'a>(name: &'a str, model: &'a str) -> &'a str {
    let n = name.trim();
    if !n.is_empty() {
        return n;
    }
    let m = model.trim();
    if !m.is_empty() {
        return m;
    }
    "GDMS Device"
}

/// What the fresh observation says about ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortsSeen {
    /// Fetched this cycle: WAN decisions may be taken.
    Fresh,
    /// Not asked or failed: stored ports kept, no WAN decision.
    Kept,
}

impl DeviceState {
    /// A blank row for a device seen for the first time (filled by [`merge_into`]).
    pub(crate) fn blank(key: DeviceKey, dev: &CloudDevice) -> Self {
        DeviceState {
            device_key: key,
            cloud: dev.cloud,
            source_key: dev.source.clone(),
            mac: None,
            serial: None,
            name: String::new(),
            model: String::new(),
            category: Category::Unknown,
            status: dev.status,
            is_stale: false,
            network_id: None,
            network_name: None,
            public_ip: None,
            private_ip: None,
            ipv6: None,
            firmware: None,
            firmware_latest: None,
            uptime_sec: None,
            clients: None,
            upload_bytes: None,
            download_bytes: None,
            channel_2g: None,
            channel_5g: None,
            location: None,
            first_seen: None,
            last_seen: None,
            last_observed_at: None,
            status_since: None,
            sip: None,
            ports: Vec::new(),
            engine_state: EngineState::default(),
            asset: None,
        }
    }
}

/// Merges a fresh cloud observation into a row, in place (`is_new`: the row
/// was just made by [`DeviceState::blank`]). Values the cloud did not give
/// keep their stored value.
pub(crate) fn merge_into(
    p: &mut DeviceState,
    dev: &mut CloudDevice,
    is_new: bool,
    now: i64,
) -> PortsSeen {
    let (ports, seen) = match &mut dev.ports {
        PortsFetch::Fetched { ports } => (Some(std::mem::take(ports)), PortsSeen::Fresh),
        PortsFetch::NotApplicable | PortsFetch::Failed { .. } => (None, PortsSeen::Kept),
    };
    let status_changed = is_new || p.status.is_online() != dev.status.is_online();
    fn keep<T>(new: Option<T>, old: &mut Option<T>) {
        if new.is_some() {
            *old = new;
        }
    }
    fn keep_text(new: Option<String>, old: &mut Option<String>) {
        if let Some(v) = new {
            // No comparison with the old value: replacing costs one free
            // either way, and comparing would touch both strings.
            let t = fast_trim(&v);
            if !t.is_empty() {
                *old = Some(if t.len() == v.len() { v } else { t.to_string() });
            }
        }
    }
    p.cloud = dev.cloud;
    if p.source_key != dev.source {
        p.source_key = dev.source.clone();
    }
    keep(dev.mac, &mut p.mac);
    keep_text(dev.serial.take(), &mut p.serial);
    for (new, old) in [(&dev.name, &mut p.name), (&dev.model, &mut p.model)] {
        let t = fast_trim(new);
        if !t.is_empty() && t != old.as_str() {
            *old = t.to_string();
        }
    }
    p.status = dev.status;
    p.is_stale = false;
    p.engine_state.stale_since = None;
    keep_text(dev.network_id.take(), &mut p.network_id);
    keep_text(dev.network_name.take(), &mut p.network_name);
    keep_text(dev.public_ip.take(), &mut p.public_ip);
    keep_text(dev.private_ip.take(), &mut p.private_ip);
    keep_text(dev.ipv6.take(), &mut p.ipv6);
    keep_text(dev.firmware.take(), &mut p.firmware);
    keep_text(dev.firmware_latest.take(), &mut p.firmware_latest);
    keep(dev.uptime_sec, &mut p.uptime_sec);
    keep(dev.clients, &mut p.clients);
    keep(dev.upload_bytes, &mut p.upload_bytes);
    keep(dev.download_bytes, &mut p.download_bytes);
    keep(dev.channel_2g, &mut p.channel_2g);
    keep(dev.channel_5g, &mut p.channel_5g);
    keep_text(dev.location.take(), &mut p.location);
    keep(dev.sip.take(), &mut p.sip);
    keep(dev.uplink_mac, &mut p.engine_state.uplink_mac);
    p.first_seen = match (p.first_seen, dev.first_seen) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b).or(Some(now)),
    };
    p.last_seen = match dev.last_seen {
        Some(t) => Some(p.last_seen.map_or(t, |old| old.max(t))),
        None if dev.status.is_online() => Some(now),
        None => p.last_seen,
    };
    if status_changed || p.status_since.is_none() {
        p.status_since = Some(now);
    }
    if let Some(ports) = ports {
        p.ports = ports;
    }
    p.category = super::classify::classify(&p.model, p.has_wan_ports());
    seen
}

/// `str::trim`, skipping the Unicode scan in the usual case of nothing to trim.
fn fast_trim(s: &str) -> &str {
    let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
    if edge(s.chars().next()) || edge(s.chars().next_back()) {
        s.trim()
    } else {
        s
    }
}

/// Reads `""` and `null` as `None` (PHP stores absent text as `''`).
fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<String>::deserialize(d)?;
    Ok(v.filter(|s| !s.trim().is_empty()))
}

/// Text form of a [`SourceKey`] (the `source_key` column): `uc_devices`,
/// `gwn_networks`, `gwn_network:<id>`.
pub mod source_key_text {
    use super::*;

    /// The text form.
    pub fn to_text(k: &SourceKey) -> String {
        match k {
            SourceKey::UcDevices => "uc_devices".into(),
            SourceKey::GwnNetworks => "gwn_networks".into(),
            SourceKey::GwnNetwork { network_id } => format!("gwn_network:{network_id}"),
        }
    }

    /// Parses the text form.
    ///
    /// # Errors
    /// [`GdmsError::InvalidInput`] for any other text.
    pub fn from_text(s: &str) -> Result<SourceKey, GdmsError> {
        match s {
            "uc_devices" => Ok(SourceKey::UcDevices),
            "gwn_networks" => Ok(SourceKey::GwnNetworks),
            _ => s
                .strip_prefix("gwn_network:")
                .map(|id| SourceKey::GwnNetwork {
                    network_id: id.to_string(),
                })
                .ok_or_else(|| GdmsError::InvalidInput {
                    what: "source key",
                    detail: format!("'{s}' is not uc_devices, gwn_networks or gwn_network:<id>"),
                }),
        }
    }

    /// serde `with` support.
    ///
    /// # Errors
    /// Never fails on its own; the serializer may.
    pub fn serialize<S: Serializer>(k: &SourceKey, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_text(k))
    }

    /// serde `with` support.
    ///
    /// # Errors
    /// When the text is not a source key.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SourceKey, D::Error> {
        let s = String::deserialize(d)?;
        from_text(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_as_text() {
        let m = DeviceKey::of(Mac::parse_lenient("C0-74-AD-12-34-56"), Some("x")).unwrap();
        assert_eq!(m.to_string(), "c0:74:ad:12:34:56");
        let s = DeviceKey::of(None, Some(" 20ez-9kx ")).unwrap();
        assert_eq!(s.to_string(), "sn:20EZ9KX");
        for k in [m, s] {
            let j = serde_json::to_string(&k).unwrap();
            assert_eq!(serde_json::from_str::<DeviceKey>(&j).unwrap(), k);
        }
        assert!(DeviceKey::of(None, Some(" - ")).is_none());
        assert!("sn:".parse::<DeviceKey>().is_err());
    }

    #[test]
    fn source_keys_round_trip_as_text() {
        for k in [
            SourceKey::UcDevices,
            SourceKey::GwnNetworks,
            SourceKey::GwnNetwork {
                network_id: "12:3".into(),
            },
        ] {
            assert_eq!(
                source_key_text::from_text(&source_key_text::to_text(&k)).unwrap(),
                k
            );
        }
        assert!(source_key_text::from_text("nope").is_err());
    }

    #[test]
    fn display_name_fallbacks() {
        assert_eq!(display_name(" AP ", "GWN7660"), "AP");
        assert_eq!(display_name("", "GWN7660"), "GWN7660");
        assert_eq!(display_name(" ", " "), "GDMS Device");
    }
}
