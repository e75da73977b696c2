//! Optional per-network reads: cloud alerts (spec §6.6) and wireless clients
//! (§6.5). They are not part of the [`crate::snapshot::Snapshot`] contract;
//! the fetch document carries them beside it (see `contract::fetch`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::read::{epoch_seconds, int, text, uint};
use crate::Mac;

/// One cloud alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// GWN network id.
    pub network_id: String,
    /// Alert id (int or string in the cloud), as text.
    pub id: String,
    /// Epoch seconds.
    pub time: Option<i64>,
    /// 5 emergency … 1 info.
    pub level: Option<i64>,
    /// `basicDataKey`, e.g. `offline`, `wan`, `cpu`.
    pub category: Option<String>,
    /// Description.
    pub content: Option<String>,
    /// Device MAC from `detailMap` (`detail` when `isMac` = 1, `apMac`, `mac`).
    pub mac: Option<Mac>,
    /// Device name from `detailMap`.
    pub device_name: Option<String>,
    /// Reason from `detailMap`.
    pub reason: Option<String>,
}

/// One alert row; `None` without an id.
pub fn alert(row: &Value, network_id: &str) -> Option<Alert> {
    let id = text(row, &["id"])?;
    let empty = Value::Null;
    let d = row
        .get("detailMap")
        .filter(|v| v.is_object())
        .unwrap_or(&empty);
    let mac = text(d, &["apMac", "mac"])
        .or_else(|| {
            (int(d, &["isMac"]) == Some(1))
                .then(|| text(d, &["detail"]))
                .flatten()
        })
        .and_then(|m| Mac::parse_lenient(&m));
    Some(Alert {
        network_id: network_id.to_string(),
        id,
        time: epoch_seconds(row, &["time"]),
        level: int(row, &["level"]),
        category: text(row, &["basicDataKey"]),
        content: text(row, &["content"]),
        mac,
        device_name: text(d, &["apName", "name", "routerName"]),
        reason: text(d, &["reason", "failReason"]),
    })
}

/// One wireless client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WifiClient {
    /// GWN network id.
    pub network_id: String,
    /// Client MAC.
    pub mac: Mac,
    /// Host name.
    pub hostname: Option<String>,
    /// IP address.
    pub ip: Option<String>,
    /// Signal, dBm.
    pub rssi: Option<i64>,
    /// Band, e.g. `5G`.
    pub band: Option<String>,
    /// SSID.
    pub ssid: Option<String>,
    /// AP the client is on.
    pub ap_mac: Option<Mac>,
    /// Upload rate, Mbps.
    pub tx_rate: Option<u64>,
    /// Download rate, Mbps.
    pub rx_rate: Option<u64>,
    /// Seconds connected.
    pub connect_time: Option<u64>,
}

/// One `client/list` row (first name, falling back to the second, spec §6.5).
pub fn client(row: &Value, network_id: &str) -> Option<WifiClient> {
    let mac = text(row, &["mac", "clientMac"]).and_then(|m| Mac::parse_lenient(&m))?;
    Some(WifiClient {
        network_id: network_id.to_string(),
        mac,
        hostname: text(row, &["hostname", "clientName"]),
        ip: text(row, &["ip", "ipAddress"]),
        rssi: int(row, &["rssi", "signal"]),
        band: text(row, &["band", "frequency"]),
        ssid: text(row, &["ssid", "wifiName"]),
        ap_mac: text(row, &["apMac", "connectedApMac"]).and_then(|m| Mac::parse_lenient(&m)),
        tx_rate: uint(row, &["txRate", "uploadRate"]),
        rx_rate: uint(row, &["rxRate", "downloadRate"]),
        connect_time: uint(row, &["connectTime", "onlineTime"]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spec_alert_and_client() {
        let a = alert(
            &json!({ "id": 99001, "time": 1767225000000_i64, "level": 4, "basicDataKey": "cpu",
            "content": "CPU usage above 90%",
            "detailMap": { "apName": "Edge router", "isMac": "1", "detail": "C0:74:AD:AA:00:01",
                           "reason": "", "deviceType": "router" } }),
            "12345",
        )
        .unwrap();
        assert_eq!(a.id, "99001");
        assert_eq!(a.time, Some(1_767_225_000));
        assert_eq!(
            a.mac.map(|m| m.to_string()).as_deref(),
            Some("c0:74:ad:aa:00:01")
        );
        assert_eq!(a.reason, None);
        assert!(alert(&json!({"level": 1}), "1").is_none());
        let c = client(
            &json!({ "clientMac": "3A:11:22:33:44:55", "clientName": "laptop", "signal": "-58" }),
            "1",
        )
        .unwrap();
        assert_eq!(c.rssi, Some(-58));
        assert_eq!(c.hostname.as_deref(), Some("laptop"));
        assert!(client(&json!({}), "1").is_none());
    }
}
