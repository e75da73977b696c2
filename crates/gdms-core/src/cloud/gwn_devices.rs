//! GWN answers → snapshot values: `ap/list` rows (spec §6.2), `device/info`
//! (§6.3) and `upgrade/version` (§6.7).

use std::collections::HashMap;

use serde_json::Value;

use super::ports;
use super::read::{self, epoch_seconds, int, small, text, uint};
use crate::snapshot::{Cloud, CloudDevice, CloudStatus, Port, PortsFetch, SourceKey};
use crate::Mac;

/// One `ap/list` row of network `network_id`; `None` when not an object.
pub fn device(row: &Value, network_id: &str, network_name: Option<&str>) -> Option<CloudDevice> {
    if !row.is_object() {
        return None;
    }
    Some(CloudDevice {
        cloud: Cloud::Gwn,
        source: SourceKey::GwnNetwork {
            network_id: network_id.to_string(),
        },
        mac: text(row, &["mac", "id"]).and_then(|m| Mac::parse_lenient(&m)),
        serial: text(row, &["sn", "SN", "serial"]),
        name: text(row, &["name", "deviceName"]).unwrap_or_default(),
        model: text(row, &["apType", "deviceType", "model"]).unwrap_or_default(),
        // GWN: only 1 is online (spec §6.2).
        status: if int(row, &["status"]) == Some(1) {
            CloudStatus::Online
        } else {
            CloudStatus::Offline
        },
        network_id: Some(network_id.to_string()),
        network_name: network_name.map(str::to_string),
        public_ip: text(row, &["ip"]),
        private_ip: text(row, &["ipv4"]),
        ipv6: text(row, &["ipv6", "ipv6Address"]),
        firmware: text(row, &["versionFirmware", "firmwareVersion", "firmware"]),
        firmware_latest: None,
        uptime_sec: uint(row, &["upTime"]),
        clients: small(row, &["clients"]),
        upload_bytes: uint(row, &["upload"]),
        download_bytes: uint(row, &["download"]),
        channel_2g: small(row, &["channel"]),
        channel_5g: small(row, &["channel5g"]),
        first_seen: epoch_seconds(row, &["firstSeen"]),
        last_seen: epoch_seconds(row, &["lastSeen"]),
        location: text(row, &["location", "site"]),
        uplink_mac: text(row, &["uplink_mac", "uplinkMac"]).and_then(|m| Mac::parse_lenient(&m)),
        ports: PortsFetch::NotApplicable,
        sip: None,
    })
}

/// What `device/info` says about one device.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceInfo {
    /// Serial (`sn`/`serial`/`serialno` row, or `data.sn`).
    pub serial: Option<String>,
    /// Firmware row.
    pub firmware: Option<String>,
    /// Uptime row, seconds.
    pub uptime_sec: Option<u64>,
    /// Router ports (`portInfo[]`); `None` when the answer has no port list.
    pub ports: Option<Vec<Port>>,
}

/// Reads a `device/info` `data`. Never fails: missing parts are `None`.
pub fn device_info(data: &Value) -> DeviceInfo {
    let mut info = DeviceInfo::default();
    if let Some(rows) = data.get("result").and_then(Value::as_array) {
        for r in rows {
            let Some(key) = text(r, &["key"]) else {
                continue;
            };
            let value = r.get("value").and_then(read::as_text);
            match key.to_ascii_lowercase().as_str() {
                "sn" | "serial" | "serialno" => info.serial = info.serial.take().or(value),
                "firmwareversion" | "firmware" => info.firmware = info.firmware.take().or(value),
                "uptime" => {
                    info.uptime_sec = info
                        .uptime_sec
                        .or_else(|| value.and_then(|v| v.parse::<u64>().ok()))
                }
                _ => {}
            }
        }
    }
    if info.serial.is_none() {
        info.serial = text(data, &["sn", "SN"]);
    }
    info.ports = data.get("portInfo").and_then(Value::as_array).map(|rows| {
        rows.iter()
            .enumerate()
            .filter_map(|(i, r)| ports::router_port(r, i))
            .collect()
    });
    info
}

/// Words that mark a pre-release in a version or a channel field.
const PRE_RELEASE: [&str; 6] = ["beta", "rc", "alpha", "dev", "preview", "test"];
const PRE_FLAGS: [&str; 8] = [
    "isBeta",
    "beta",
    "isRC",
    "isRc",
    "isAlpha",
    "isDev",
    "isPreview",
    "isTest",
];
const CHANNEL_FIELDS: [&str; 7] = [
    "releaseType",
    "versionType",
    "channel",
    "firmwareType",
    "type",
    "status",
    "releaseChannel",
];

/// Whether a word of `s` (split on non-alphanumerics) starts with a pre-release marker.
fn names_pre_release(s: &str) -> bool {
    s.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| {
            PRE_RELEASE.iter().any(|m| {
                w.strip_prefix(m)
                    .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
            })
        })
}

fn is_pre_release(row: &Value, version: &str) -> bool {
    PRE_FLAGS
        .iter()
        .any(|k| row.get(*k).is_some_and(read::truthy))
        || CHANNEL_FIELDS
            .iter()
            .filter_map(|k| row.get(*k).and_then(Value::as_str))
            .any(names_pre_release)
        || names_pre_release(version)
}

/// Numeric comparison key of a dotted version (`1.0.27.10` > `1.0.9.1`).
pub fn version_key(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u64>().unwrap_or(u64::MAX))
        .collect()
}

/// `upgrade/version` `data` → highest stable version per MAC (pre-release rows ignored).
pub fn stable_versions(data: &Value) -> HashMap<Mac, String> {
    let mut out: HashMap<Mac, String> = HashMap::new();
    let Some(rows) = read::rows(data) else {
        return out;
    };
    for r in rows {
        let Some(mac) = text(r, &["mac"]).and_then(|m| Mac::parse_lenient(&m)) else {
            continue;
        };
        let Some(v) = text(
            r,
            &[
                "lastVersion",
                "version",
                "firmwareVersion",
                "versionFirmware",
            ],
        ) else {
            continue;
        };
        if is_pre_release(r, &v) {
            continue;
        }
        let better = out
            .get(&mac)
            .map_or(true, |have| version_key(&v) > version_key(have));
        if better {
            out.insert(mac, v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ap_list_row_of_the_spec() {
        let row = json!({ "id": "C0:74:AD:AA:00:03", "mac": "C0:74:AD:AA:00:03", "name": "Lobby AP",
            "apType": "GWN7660", "status": 0, "networkId": 12345,
            "ip": "198.51.100.10", "ipv4": "192.168.1.30", "ipv6": "2001:db8:1::30",
            "versionFirmware": "1.0.25.30", "clients": 0, "upload": 1048576000,
            "download": 7340032000_u64, "usage": 8388608000_u64, "channel": 6, "channel5g": 44,
            "firstSeen": 1735689600000_i64 });
        let d = device(&row, "12345", Some("Branch")).unwrap();
        assert_eq!(d.status, CloudStatus::Offline);
        assert_eq!(d.model, "GWN7660");
        assert_eq!(d.download_bytes, Some(7_340_032_000));
        assert_eq!(d.channel_5g, Some(44));
        assert_eq!(d.first_seen, Some(1_735_689_600));
        assert_eq!(d.network_name.as_deref(), Some("Branch"));
        assert!(device(&json!(null), "1", None).is_none());
    }

    #[test]
    fn device_info_serial_spellings() {
        let i = device_info(
            &json!({"result": [{"type": "string", "key": "SerialNo", "value": "31AB"}]}),
        );
        assert_eq!(i.serial.as_deref(), Some("31AB"));
        assert_eq!(i.ports, None);
        let i = device_info(
            &json!({"sn": "30XY", "result": [{"key": "upTime", "value": "864000"}], "portInfo": []}),
        );
        assert_eq!(i.serial.as_deref(), Some("30XY"));
        assert_eq!(i.uptime_sec, Some(864_000));
        assert_eq!(i.ports, Some(vec![]));
        let i = device_info(&json!({"result": "garbage", "portInfo": [1, {"portId": 2}]}));
        assert_eq!(i.ports.map(|p| p.len()), Some(1));
        assert_eq!(device_info(&json!(null)), DeviceInfo::default());
    }

    #[test]
    fn stable_version_per_mac() {
        let data = json!({ "result": [
            { "mac": "C0:74:AD:AA:00:01", "type": "GWN7003", "currentVersion": "1.0.5.12", "lastVersion": "1.0.7.4" },
            { "mac": "C0:74:AD:AA:00:01", "type": "GWN7003", "lastVersion": "1.0.9.1", "isBeta": 1 },
            { "mac": "C0-74-AD-AA-00-01", "lastVersion": "1.0.8.2-rc1" },
            { "mac": "C0:74:AD:AA:00:01", "lastVersion": "1.0.7.10", "releaseType": "official" },
            { "mac": "C0:74:AD:AA:00:03", "version": "1.0.25.30" },
            { "mac": "bad", "lastVersion": "9.9.9.9" },
            "junk"
        ]});
        let v = stable_versions(&data);
        assert_eq!(v.len(), 2);
        let m = Mac::parse("C0:74:AD:AA:00:01").unwrap();
        assert_eq!(v.get(&m).map(String::as_str), Some("1.0.7.10"));
        assert!(names_pre_release("Beta"));
        assert!(!names_pre_release("GWN7003"));
        assert!(!names_pre_release("official"));
    }
}
