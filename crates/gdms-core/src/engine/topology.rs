//! Topology edges (spec §9), computed in one pass with hash maps.
//!
//! * `uplink`: a device whose cloud entry names an uplink MAC → that device
//!   (only when the uplink is a known device; never a self-loop).
//! * `sip_pbx`: a phone with SIP state → the first PBX in the same /24 of its
//!   private IP (else public IP), else the first PBX with the same network
//!   name (case-insensitive); never a self-loop.

use serde::{Deserialize, Serialize};

use super::classify::Category;
use super::device::{DeviceKey, DeviceState};
use super::hash::{FastMap, FastSet};

/// Kind of edge (the `type` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Device → its uplink.
    Uplink,
    /// Phone → its PBX.
    SipPbx,
}

/// One edge (`source_key`, `target_key`, `type`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edge {
    /// From.
    pub source_key: DeviceKey,
    /// To.
    pub target_key: DeviceKey,
    /// Kind.
    #[serde(rename = "type")]
    pub kind: EdgeKind,
}

/// First three octets of a dotted IPv4 address.
fn prefix24(ip: &str) -> Option<[u8; 3]> {
    let addr: std::net::Ipv4Addr = ip.trim().parse().ok()?;
    let o = addr.octets();
    Some([o[0], o[1], o[2]])
}

fn subnet_of(d: &DeviceState) -> Option<[u8; 3]> {
    d.private_ip
        .as_deref()
        .and_then(prefix24)
        .or_else(|| d.public_ip.as_deref().and_then(prefix24))
}

/// All edges among `devices`, in device order.
pub fn edges(devices: &[DeviceState]) -> Vec<Edge> {
    // One pass over the rows indexes the PBXs and notes the few devices that
    // can have an edge (an uplink named, or a phone with SIP state); only
    // those are visited again. Right after planning 100 000 rows are out of
    // cache, and every full pass loads each row from memory once more.
    let mut pbx_by_net: FastMap<[u8; 3], usize> = FastMap::default();
    let mut pbx_by_name: FastMap<String, usize> = FastMap::default();
    let mut from: Vec<usize> = Vec::new();
    let mut any_uplink = false;
    for (i, d) in devices.iter().enumerate() {
        if d.category == Category::Pbx {
            if let Some(n) = subnet_of(d) {
                pbx_by_net.entry(n).or_insert(i);
            }
            if let Some(name) = d.network_name.as_deref().map(|s| s.trim().to_lowercase()) {
                if !name.is_empty() {
                    pbx_by_name.entry(name).or_insert(i);
                }
            }
        }
        let uplink = d.engine_state.uplink_mac.is_some();
        any_uplink |= uplink;
        if uplink || (d.category == Category::Phone && d.sip.is_some()) {
            from.push(i);
        }
    }
    // Only built when some device names an uplink (the clouds rarely do).
    let known: FastSet<&DeviceKey> = if any_uplink {
        devices.iter().map(|d| &d.device_key).collect()
    } else {
        FastSet::default()
    };
    let mut out = Vec::new();
    for i in from {
        let d = &devices[i];
        if let Some(up) = d.engine_state.uplink_mac {
            let target = DeviceKey::Mac(up);
            if target != d.device_key && known.contains(&target) {
                out.push(Edge {
                    source_key: d.device_key.clone(),
                    target_key: target,
                    kind: EdgeKind::Uplink,
                });
            }
        }
        if d.category == Category::Phone && d.sip.is_some() {
            let by_net = subnet_of(d).and_then(|n| pbx_by_net.get(&n));
            let by_name = || {
                d.network_name
                    .as_deref()
                    .and_then(|n| pbx_by_name.get(&n.trim().to_lowercase()))
            };
            if let Some(&p) = by_net.or_else(by_name) {
                if p != i {
                    out.push(Edge {
                        source_key: d.device_key.clone(),
                        target_key: devices[p].device_key.clone(),
                        kind: EdgeKind::SipPbx,
                    });
                }
            }
        }
    }
    out
}
