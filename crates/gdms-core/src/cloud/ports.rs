//! Router `portInfo[]` (spec §6.3) and switch `switch/portInfo` rows (§6.4)
//! → [`Port`].

use serde_json::Value;

use super::read::{as_text, field, int, small, text, truthy, uint};
use crate::snapshot::{Internet, Port, PortMedium, PortRole};

fn port_id(row: &Value, index: usize) -> String {
    text(row, &["portId", "silkScreenPort", "silkNum", "portName"])
        .unwrap_or_else(|| format!("#{}", index + 1))
}

fn medium(row: &Value) -> PortMedium {
    if int(row, &["type"]) == Some(1) {
        PortMedium::Sfp
    } else {
        PortMedium::Ge
    }
}

fn link(row: &Value) -> bool {
    field(row, &["linkStatus"]).is_some_and(truthy)
}

/// One router port. WAN when `role == 1`, or a WAN name or WAN id is present.
pub fn router_port(row: &Value, index: usize) -> Option<Port> {
    if !row.is_object() {
        return None;
    }
    let wan_name = text(row, &["wanName"]);
    let is_wan = int(row, &["role"]) == Some(1)
        || wan_name.is_some()
        || field(row, &["wanId"]).and_then(as_text).is_some();
    let v4 = row.get("ipv4Info").filter(|v| v.is_object());
    let v4t = |keys: &[&str]| v4.and_then(|o| text(o, keys));
    let internet = if !is_wan {
        Internet::Unknown
    } else {
        match v4.and_then(|o| int(o, &["connectStatus"])) {
            Some(1) => Internet::Up,
            Some(0) => Internet::Down,
            _ => Internet::Unknown,
        }
    };
    let agg = row.get("aggregate").filter(|v| v.is_object());
    let aggu = |k: &str| agg.and_then(|a| uint(a, &[k]));
    let ipv6 = row
        .get("ipv6Info")
        .and_then(|o| text(o, &["ipv6Address"]))
        .or_else(|| text(row, &["ipv6Address"]));
    Some(Port {
        id: port_id(row, index),
        name: text(row, &["portName"]),
        silk: text(row, &["silkScreenPort"]),
        role: if is_wan { PortRole::Wan } else { PortRole::Lan },
        link_up: link(row),
        internet,
        speed: small(row, &["portSpeed"]),
        medium: medium(row),
        is_combo: field(row, &["isCombo"]).is_some_and(truthy),
        wan_name,
        ip: v4t(&["ip4Address"]),
        wan_type: v4.and_then(|o| small(o, &["wanType", "type"])),
        gateway: v4t(&["gateway"]),
        dns1: v4t(&["firstDns", "dns1"]),
        dns2: v4t(&["secondDns", "dns2"]),
        wan_mac: text(row, &["wamMac", "portMac"]),
        ipv6,
        connect_duration: uint(row, &["connectDuration"]),
        custom_name: text(row, &["portCustomName"]),
        description: text(row, &["portDesc"]),
        vlan: None,
        tx_bytes: aggu("txBytes"),
        rx_bytes: aggu("rxBytes"),
        tx_packets: aggu("txPackets"),
        rx_packets: aggu("rxPackets"),
    })
}

/// One switch port: always LAN (spec §6.4).
pub fn switch_port(row: &Value, index: usize) -> Option<Port> {
    if !row.is_object() {
        return None;
    }
    let agg = row.get("aggregate").filter(|v| v.is_object());
    let aggu = |k: &str| agg.and_then(|a| uint(a, &[k]));
    Some(Port {
        id: port_id(row, index),
        name: text(row, &["portName"]),
        silk: text(row, &["silkScreenPort"]),
        role: PortRole::Lan,
        link_up: link(row),
        internet: Internet::Unknown,
        speed: small(row, &["portSpeed"]),
        medium: medium(row),
        is_combo: field(row, &["isCombo"]).is_some_and(truthy),
        wan_name: None,
        ip: None,
        wan_type: None,
        gateway: None,
        dns1: None,
        dns2: None,
        wan_mac: None,
        ipv6: None,
        connect_duration: None,
        custom_name: text(row, &["portCustomName"]),
        description: text(row, &["portDesc"]),
        vlan: small(row, &["vlan"]),
        tx_bytes: aggu("txBytes"),
        rx_bytes: aggu("rxBytes"),
        tx_packets: aggu("txPackets"),
        rx_packets: aggu("rxPackets"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spec_router_ports() {
        let wan1 = json!({ "portId": 1, "portName": "WAN1", "silkScreenPort": "P1", "role": 1,
            "linkStatus": 1, "portSpeed": 5, "type": 0, "wanName": "ISP-Alpha", "wanId": 1,
            "connectDuration": 86400, "wamMac": "C0:74:AD:AA:00:10",
            "aggregate": { "txBytes": 52428800000_u64, "rxBytes": 314572800000_u64,
                           "txPackets": 41000000, "rxPackets": 250000000 },
            "ipv4Info": { "ip4Address": "198.51.100.10", "connectStatus": 1, "wanType": 0,
                          "gateway": "198.51.100.1", "gatewayStatus": 1,
                          "firstDns": "1.1.1.1", "secondDns": "8.8.8.8" } });
        let p = router_port(&wan1, 0).unwrap();
        assert_eq!(p.id, "1");
        assert_eq!(p.role, PortRole::Wan);
        assert!(p.link_up);
        assert_eq!(p.internet, Internet::Up);
        assert_eq!(p.speed, Some(5));
        assert_eq!(p.wan_type, Some(0));
        assert_eq!(p.tx_bytes, Some(52_428_800_000));
        assert_eq!(p.dns2.as_deref(), Some("8.8.8.8"));
        let wan2 = json!({ "portId": 2, "role": 1, "linkStatus": 0, "type": 1, "wanId": 2,
            "ipv4Info": { "ip4Address": "", "connectStatus": 0, "wanType": 2 } });
        let p = router_port(&wan2, 1).unwrap();
        assert_eq!(p.internet, Internet::Down);
        assert_eq!(p.medium, PortMedium::Sfp);
        assert_eq!(p.ip, None);
        let lan = json!({ "portId": 3, "portName": "LAN1", "role": 0, "linkStatus": "1",
            "portCustomName": "To switch" });
        let p = router_port(&lan, 2).unwrap();
        assert_eq!(p.role, PortRole::Lan);
        assert_eq!(p.internet, Internet::Unknown);
        assert!(p.link_up);
        // A WAN without connectStatus is unknown, never down.
        let p = router_port(&json!({"role": 1, "ipv4Info": {}}), 3).unwrap();
        assert_eq!((p.internet, p.id.as_str()), (Internet::Unknown, "#4"));
        assert!(router_port(&json!(7), 0).is_none());
    }

    #[test]
    fn spec_switch_ports() {
        let r = json!({ "portId": 25, "portName": "SFP1", "silkScreenPort": "25", "linkStatus": 0,
            "portSpeed": 0, "type": 1, "vlan": "1", "aggregate": { "txBytes": 0, "rxBytes": 0 } });
        let p = switch_port(&r, 0).unwrap();
        assert_eq!(p.role, PortRole::Lan);
        assert_eq!(p.vlan, Some(1));
        assert_eq!(p.medium, PortMedium::Sfp);
        assert!(!p.link_up);
    }
}
