//! GDMS UC `device/list` rows → [`CloudDevice`] (spec §5.1).

use serde_json::Value;

use super::read::{epoch_seconds, flag, int, text, uint};
use crate::snapshot::{Cloud, CloudDevice, CloudStatus, PortsFetch, SipInfo, SourceKey};
use crate::Mac;

/// `status`: 1 online, -1 abnormal, anything else offline (spec quirk 8).
pub fn status_of(row: &Value) -> CloudStatus {
    match int(row, &["status"]) {
        Some(1) => CloudStatus::Online,
        Some(-1) => CloudStatus::Abnormal,
        _ => CloudStatus::Offline,
    }
}

/// `lastTime` `"YYYY-MM-DD HH:MM:SS"`: read as UTC (the cloud does not say
/// which zone; UTC keeps every sample on one clock, weakness 15), or an epoch.
fn last_seen(row: &Value) -> Option<i64> {
    if let Some(e) = epoch_seconds(row, &["lastSeen", "lastTimestamp"]) {
        return Some(e);
    }
    let s = text(row, &["lastTime"])?;
    chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|d| d.and_utc().timestamp())
}

/// One `device/list` row; `None` when the row is not an object.
pub fn device(row: &Value) -> Option<CloudDevice> {
    if !row.is_object() {
        return None;
    }
    let private = text(row, &["privateIp", "privateip"]);
    let (private_ip, ipv6) = match private {
        Some(p) if p.contains(':') => (None, Some(p)),
        other => (other, None),
    };
    let has_sip = [
        "accountStatus",
        "dnd",
        "isSynchronized",
        "syncFailureMsg",
        "scheduledTask",
    ]
    .iter()
    .any(|k| row.get(*k).is_some_and(|v| !v.is_null()));
    let sip = has_sip.then(|| SipInfo {
        registered: int(row, &["accountStatus"]) == Some(1),
        extension: text(row, &["sip_extension", "sipExtension", "account"]),
        dnd: flag(row, &["dnd"]),
        is_synchronized: flag(row, &["isSynchronized"]),
        sync_failure_msg: text(row, &["syncFailureMsg"]),
        scheduled_task: flag(row, &["scheduledTask"]),
    });
    Some(CloudDevice {
        cloud: Cloud::Uc,
        source: SourceKey::UcDevices,
        mac: text(row, &["mac"]).and_then(|m| Mac::parse_lenient(&m)),
        serial: text(row, &["sn", "SN"]),
        name: text(row, &["deviceName", "name"]).unwrap_or_default(),
        model: text(row, &["deviceType", "model"]).unwrap_or_default(),
        status: status_of(row),
        network_id: None,
        network_name: text(row, &["siteName"]),
        public_ip: text(row, &["publicIp"]),
        private_ip,
        ipv6,
        firmware: text(row, &["firmwareVersion", "firmware"]),
        firmware_latest: None,
        uptime_sec: uint(row, &["upTime"]),
        clients: None,
        upload_bytes: None,
        download_bytes: None,
        channel_2g: None,
        channel_5g: None,
        first_seen: None,
        last_seen: last_seen(row),
        location: text(row, &["location", "site"]),
        uplink_mac: None,
        ports: PortsFetch::NotApplicable,
        sip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spec_example_row() {
        let row = json!({
            "mac": "C0:74:AD:12:34:56", "sn": "20EZ9KX7A1234567", "deviceName": "Reception phone",
            "deviceType": "GRP2612W", "status": 1, "publicIp": "203.0.113.45",
            "privateIp": "192.168.10.21", "firmwareVersion": "1.0.11.3", "siteName": "HQ Floor 2",
            "accountStatus": 1, "lastTime": "2026-01-01 09:14:05", "dnd": 0,
            "isSynchronized": 1, "syncFailureMsg": "", "scheduledTask": 0
        });
        let d = device(&row).unwrap();
        assert_eq!(d.mac.unwrap().to_string(), "c0:74:ad:12:34:56");
        assert_eq!(d.serial.as_deref(), Some("20EZ9KX7A1234567"));
        assert_eq!(d.status, CloudStatus::Online);
        assert_eq!(d.last_seen, Some(1_767_258_845));
        let sip = d.sip.unwrap();
        assert!(sip.registered);
        assert_eq!(sip.dnd, Some(false));
        assert_eq!(sip.sync_failure_msg, None);
    }

    #[test]
    fn odd_rows_do_not_panic() {
        assert!(device(&json!("x")).is_none());
        let d =
            device(&json!({"mac": 12, "status": "-1", "privateIp": "2001:db8::5", "upTime": "x"}))
                .unwrap();
        assert_eq!(d.mac, None);
        assert_eq!(d.status, CloudStatus::Abnormal);
        assert_eq!(d.ipv6.as_deref(), Some("2001:db8::5"));
        assert_eq!(d.private_ip, None);
        assert_eq!(d.uptime_sec, None);
        assert!(d.sip.is_none());
        let d = device(&json!({})).unwrap();
        assert_eq!(d.status, CloudStatus::Offline);
        assert_eq!(d.model, "");
    }
}
