//! The simulated estate: GWN networks with their routers, switches, APs and
//! wireless clients, and GDMS UC orgs, sites, phones and PBXs.
//!
//! The fleet is plain data. [`generate`] builds it from a seed (same seed, same
//! fleet), [`render`] turns it into the clouds' JSON rows, and the scenario
//! controls mutate it in place. Time-dependent fields (uptime, last seen,
//! traffic counters) are derived at render time from values stored here, so
//! the stored fleet stays deterministic.

pub mod generate;
pub mod render;

use std::collections::{BTreeMap, HashMap};

use gdms_core::Mac;
use serde::Serialize;
use serde_json::Value;

/// What a GWN device is, by its model (reference §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GwnKind {
    /// GWN7001/7002/7003: ports come from `device/info` `portInfo`.
    Router,
    /// GWN78xx: ports come from `switch/portInfo`.
    Switch,
    /// Everything else GWN: wireless clients hang off it.
    Ap,
}

/// What a UC device is, by its model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UcKind {
    /// GRP/GXP/GXV/WP/HT…: has SIP lines.
    Phone,
    /// UCM/GCC: refuses factory-reset tasks.
    Pbx,
}

/// A GWN network (site).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// Numeric id, unique.
    pub id: i64,
    /// `networkName`.
    pub name: String,
    /// ISO country code (extra field).
    pub country: String,
    /// IANA time zone (extra field).
    pub timezone: String,
}

/// One router port (spec §6.3 `portInfo[]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouterPort {
    /// `portId`, stable key.
    pub port_id: u32,
    /// `portName`, e.g. `WAN1`, `LAN3`.
    pub name: String,
    /// `silkScreenPort`, e.g. `P1`.
    pub silk: String,
    /// True for WAN (`role` 1).
    pub wan: bool,
    /// Physical link (`linkStatus`).
    pub link: bool,
    /// Speed enum when the link is up.
    pub speed: u8,
    /// SFP cage (`type` 1) rather than copper.
    pub sfp: bool,
    /// Combo SFP/GE.
    pub combo: bool,
    /// WAN: ISP name (`wanName`).
    pub wan_name: String,
    /// WAN: `wanId`.
    pub wan_id: u32,
    /// WAN: internet reachable (`ipv4Info.connectStatus`), meaningful when linked.
    pub internet: bool,
    /// WAN: public address.
    pub ip: String,
    /// WAN: gateway.
    pub gateway: String,
    /// WAN: `wanType` enum (0 DHCP … 4 L2TP).
    pub wan_type: u8,
    /// WAN: port MAC (`wamMac`, sic).
    pub mac: String,
    /// LAN: admin label.
    pub custom_name: String,
    /// Counters at simulator start.
    pub base_tx: u64,
    /// Counters at simulator start.
    pub base_rx: u64,
    /// Bytes/s added to the counters while the link is up.
    pub rate: u64,
    /// Seconds the WAN had been connected at simulator start.
    pub connected_for_s: u64,
}

/// One switch port (spec §6.4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwitchPort {
    /// `portId`.
    pub port_id: u32,
    /// `portName`, e.g. `GE1`, `SFP1`.
    pub name: String,
    /// `silkScreenPort`.
    pub silk: String,
    /// `linkStatus`.
    pub link: bool,
    /// Speed enum when up.
    pub speed: u8,
    /// SFP cage.
    pub sfp: bool,
    /// `portCustomName`.
    pub custom_name: String,
    /// `vlan`.
    pub vlan: u32,
    /// Counters at simulator start.
    pub base_tx: u64,
    /// Counters at simulator start.
    pub base_rx: u64,
    /// Bytes/s while up.
    pub rate: u64,
}

/// A wireless client associated to an AP (spec §6.5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WifiClient {
    /// Client MAC.
    pub mac: Mac,
    /// `hostname`.
    pub hostname: String,
    /// `ip`.
    pub ip: String,
    /// dBm.
    pub rssi: i32,
    /// `2.4G` / `5G`.
    pub band: String,
    /// SSID.
    pub ssid: String,
    /// Mbps.
    pub tx_rate: u32,
    /// Mbps.
    pub rx_rate: u32,
    /// Seconds connected at simulator start.
    pub connect_time_s: u64,
}

/// A GWN device (router, switch or AP), as `ap/list` and `device/info` see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GwnDevice {
    /// MAC, the identity.
    pub mac: Mac,
    /// Network it belongs to.
    pub network_id: i64,
    /// `name`.
    pub name: String,
    /// `apType` (model).
    pub model: String,
    /// Router, switch or AP.
    pub kind: GwnKind,
    /// `status` 1 when true, 0 otherwise.
    pub online: bool,
    /// Public IP (`ip`).
    pub ip: String,
    /// LAN IPv4 (`ipv4`).
    pub ipv4: String,
    /// Optional IPv6.
    pub ipv6: Option<String>,
    /// `versionFirmware`.
    pub firmware: String,
    /// Serial number (always in `device/info`).
    pub sn: String,
    /// Whether `ap/list` also carries `sn` (usually not, as in the real cloud).
    pub sn_in_list: bool,
    /// Uptime at simulator start, seconds.
    pub uptime_s: u64,
    /// `firstSeen`, epoch ms.
    pub first_seen_ms: i64,
    /// AP traffic at simulator start (bytes).
    pub base_upload: u64,
    /// AP traffic at simulator start (bytes).
    pub base_download: u64,
    /// AP 2.4 GHz channel.
    pub channel: u32,
    /// AP 5 GHz channel.
    pub channel5g: u32,
    /// Router ports (empty for others).
    pub router_ports: Vec<RouterPort>,
    /// Switch ports (empty for others).
    pub switch_ports: Vec<SwitchPort>,
    /// AP clients (empty for others).
    pub clients: Vec<WifiClient>,
}

/// A SIP line of a UC phone (`device/detail` `lineInfo[]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SipLine {
    /// Line number, 1-based.
    pub line: u32,
    /// SIP account / extension.
    pub account: String,
    /// Registrar.
    pub sip_server: String,
    /// 1 registered.
    pub register_status: i32,
}

/// A GDMS UC device (`device/list` row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UcDevice {
    /// MAC.
    pub mac: Mac,
    /// `sn`.
    pub sn: String,
    /// `deviceName`.
    pub name: String,
    /// `deviceType` (model).
    pub model: String,
    /// Phone or PBX.
    pub kind: UcKind,
    /// 1 online, 0 offline, −1 abnormal.
    pub status: i32,
    /// `publicIp`.
    pub public_ip: String,
    /// `privateIp`.
    pub private_ip: String,
    /// `firmwareVersion`.
    pub firmware: String,
    /// Site id.
    pub site_id: i64,
    /// `siteName`.
    pub site_name: String,
    /// `accountStatus` (phones; absent for PBXs).
    pub account_status: Option<i32>,
    /// `dnd`.
    pub dnd: i32,
    /// `isSynchronized`.
    pub is_synchronized: i32,
    /// `syncFailureMsg`.
    pub sync_failure_msg: String,
    /// `scheduledTask`, set when a task/add targets the device.
    pub scheduled_task: i32,
    /// Uptime at simulator start, when the device reports one.
    pub uptime_s: Option<u64>,
    /// Seconds before simulator start the device was last seen (offline ones).
    pub last_seen_ago_s: u64,
    /// SIP lines (phones).
    pub lines: Vec<SipLine>,
}

/// A GDMS UC organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Org {
    /// `id`.
    pub id: i64,
    /// `name`.
    pub name: String,
}

/// A GDMS UC site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// `id`.
    pub id: i64,
    /// `siteName`.
    pub name: String,
    /// Owning org.
    pub org_id: i64,
}

/// A GWN cloud alert (spec §6.6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// `id`.
    pub id: i64,
    /// Network.
    pub network_id: i64,
    /// Epoch ms.
    pub time_ms: i64,
    /// 5 Emergency … 1 Info.
    pub level: i32,
    /// `basicDataKey`.
    pub key: String,
    /// `content`.
    pub content: String,
    /// `detailMap`.
    pub detail: Value,
}

/// Firmware known to the cloud for one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirmwareRelease {
    /// Newest official version.
    pub latest: String,
    /// A newer pre-release, shown as an extra `upgrade/version` row with `isBeta`.
    pub beta: Option<String>,
}

/// The whole estate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fleet {
    /// GWN networks, in `network/list` order.
    pub networks: Vec<Network>,
    /// GWN devices, grouped by network, in `ap/list` order.
    pub gwn: Vec<GwnDevice>,
    /// UC orgs.
    pub orgs: Vec<Org>,
    /// UC sites.
    pub sites: Vec<Site>,
    /// UC devices, in `device/list` order.
    pub uc: Vec<UcDevice>,
    /// Alerts, oldest first.
    pub alerts: Vec<Alert>,
    /// Firmware catalogue by model (GWN and UC).
    pub firmware: BTreeMap<String, FirmwareRelease>,
    /// Devices taken away by a scenario, kept so they can come back.
    pub removed_gwn: Vec<GwnDevice>,
    /// Devices taken away by a scenario, kept so they can come back.
    pub removed_uc: Vec<UcDevice>,
    /// Next alert id.
    pub next_alert_id: i64,
    /// Next device serial number used by `add_device`.
    pub next_device_no: u64,
    #[serde(skip)]
    gwn_index: HashMap<Mac, usize>,
    #[serde(skip)]
    uc_index: HashMap<Mac, usize>,
}

impl Fleet {
    /// Rebuilds the MAC indexes after the device vectors changed.
    pub fn reindex(&mut self) {
        self.gwn_index = self
            .gwn
            .iter()
            .enumerate()
            .map(|(i, d)| (d.mac, i))
            .collect();
        self.uc_index = self
            .uc
            .iter()
            .enumerate()
            .map(|(i, d)| (d.mac, i))
            .collect();
    }

    /// A network by id.
    pub fn network(&self, id: i64) -> Option<&Network> {
        self.networks.iter().find(|n| n.id == id)
    }

    /// The GWN devices of one network, in list order.
    pub fn gwn_in(&self, network_id: i64) -> Vec<&GwnDevice> {
        self.gwn
            .iter()
            .filter(|d| d.network_id == network_id)
            .collect()
    }

    /// A GWN device by MAC.
    pub fn gwn_device(&self, mac: &Mac) -> Option<&GwnDevice> {
        self.gwn_index.get(mac).and_then(|&i| self.gwn.get(i))
    }

    /// A GWN device by MAC, for mutation.
    pub fn gwn_device_mut(&mut self, mac: &Mac) -> Option<&mut GwnDevice> {
        match self.gwn_index.get(mac) {
            Some(&i) => self.gwn.get_mut(i),
            None => None,
        }
    }

    /// A UC device by MAC.
    pub fn uc_device(&self, mac: &Mac) -> Option<&UcDevice> {
        self.uc_index.get(mac).and_then(|&i| self.uc.get(i))
    }

    /// A UC device by MAC, for mutation.
    pub fn uc_device_mut(&mut self, mac: &Mac) -> Option<&mut UcDevice> {
        match self.uc_index.get(mac) {
            Some(&i) => self.uc.get_mut(i),
            None => None,
        }
    }

    /// The newest official firmware for a model, if the catalogue knows it.
    pub fn latest_firmware(&self, model: &str) -> Option<&FirmwareRelease> {
        self.firmware.get(model)
    }

    /// Appends an alert to a network (scenario events leave a trace in `alert/list`).
    pub fn push_alert(
        &mut self,
        network_id: i64,
        time_ms: i64,
        level: i32,
        key: &str,
        content: String,
        detail: Value,
    ) {
        let id = self.next_alert_id;
        self.next_alert_id += 1;
        self.alerts.push(Alert {
            id,
            network_id,
            time_ms,
            level,
            key: key.to_string(),
            content,
            detail,
        });
    }
}
