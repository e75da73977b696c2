//! Scenario controls: the events a test or demo makes happen in the fleet
//! (a device drops, a WAN loses link or internet, a router fails over, a device
//! disappears or appears, firmware is released, a credential is rotated).
//!
//! One [`Scenario`] value is the command for the library
//! ([`crate::SimHandle::apply`]), the admin API (`POST /__admin/scenario`, the
//! same JSON) and `gdms-sim ctl`. Events that the real cloud would alert on
//! also append to `alert/list`.

use gdms_core::Mac;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::auth::Cloud;
use crate::error::SimError;
use crate::fleet::generate::{gwn_device, uc_device};
use crate::fleet::{FirmwareRelease, Fleet, GwnKind};
use crate::state::{lock, now_ms, SimState};
use crate::webhook::PushRequest;

/// One scenario event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Scenario {
    /// The device stops answering: GWN `status` 0, UC `status` 0.
    DeviceOffline {
        /// MAC, any spelling.
        mac: String,
    },
    /// The device comes back: `status` 1.
    DeviceOnline {
        /// MAC, any spelling.
        mac: String,
    },
    /// A router or switch port loses (`up: false`) or regains physical link.
    PortLink {
        /// MAC of the router/switch.
        mac: String,
        /// `portId`.
        port: u32,
        /// Link state to set.
        up: bool,
    },
    /// A router WAN port keeps link but loses (`up: false`) or regains internet
    /// (`ipv4Info.connectStatus`).
    PortInternet {
        /// Router MAC.
        mac: String,
        /// WAN `portId`.
        port: u32,
        /// Internet state to set.
        up: bool,
    },
    /// The active WAN of a router goes down and every other WAN comes up
    /// connected (the backup takes over).
    Failover {
        /// Router MAC.
        mac: String,
    },
    /// The device disappears from every list (deleted from the cloud).
    RemoveDevice {
        /// MAC, any spelling.
        mac: String,
    },
    /// A removed device comes back as it was.
    RestoreDevice {
        /// MAC, any spelling.
        mac: String,
    },
    /// A new device appears; its MAC is in the answer.
    AddDevice {
        /// `router`, `switch`, `ap` (GWN) or `phone`, `pbx` (UC).
        kind: String,
        /// GWN network (default: the first).
        #[serde(default)]
        network_id: Option<i64>,
    },
    /// The cloud now offers `version` for `model` (`upgrade/version`
    /// `lastVersion`, and the firmware pages for UC models).
    Firmware {
        /// Model, e.g. `GWN7660`, `UCM6304`.
        model: String,
        /// New official version.
        version: String,
        /// Optional newer pre-release.
        #[serde(default)]
        beta: Option<String>,
    },
    /// The credential is regenerated: every token of that cloud answers 40001
    /// from now on; with `secret`, the old secret stops working too.
    RotateCredentials {
        /// `uc` or `gwn`.
        cloud: Cloud,
        /// New client secret (UC) / secret key (GWN).
        #[serde(default)]
        secret: Option<String>,
    },
    /// Every token of that cloud expires now (answers 40002).
    ExpireTokens {
        /// `uc` or `gwn`.
        cloud: Cloud,
    },
    /// From now on, every status change made by a scenario is also pushed as
    /// a §7 webhook to `url` (signed with `secret` if given); no `url` stops it.
    SetWebhook {
        /// Receiver URL (`http://` only).
        #[serde(default)]
        url: Option<String>,
        /// HMAC secret.
        #[serde(default)]
        secret: Option<String>,
    },
}

fn parse_mac(text: &str) -> Result<Mac, SimError> {
    Mac::parse(text).map_err(|_| SimError::InvalidMac(text.to_string()))
}

fn alert_for(
    fleet: &mut Fleet,
    mac: &Mac,
    level: i32,
    key: &str,
    content: String,
    port: Option<u32>,
) {
    let Some(d) = fleet.gwn_device(mac) else {
        return;
    };
    let (net, name, kind) = (d.network_id, d.name.clone(), d.kind);
    let mut detail = json!({
        "apName": name, "isMac": "1", "detail": mac.to_colon_upper(), "reason": "", "deviceType": kind,
    });
    if let Some(p) = port {
        detail["portId"] = json!(p);
        detail["reason"] = json!(key);
    }
    fleet.push_alert(
        net,
        now_ms(),
        level,
        key,
        format!("{name}: {content}"),
        detail,
    );
}

/// Sets a device's status; true when it changed.
fn set_online(fleet: &mut Fleet, mac: &Mac, online: bool) -> Result<bool, SimError> {
    if let Some(d) = fleet.gwn_device_mut(mac) {
        let changed = d.online != online;
        d.online = online;
        if changed {
            let (level, key, text) = if online {
                (1, "online", "back online")
            } else {
                (4, "offline", "is offline")
            };
            alert_for(fleet, mac, level, key, text.into(), None);
        }
        return Ok(changed);
    }
    if let Some(d) = fleet.uc_device_mut(mac) {
        let changed = (d.status == 1) != online;
        d.status = i32::from(online);
        return Ok(changed);
    }
    Err(SimError::UnknownDevice(mac.to_string()))
}

/// Status change → webhook, when a receiver is set. Pushes go through one
/// queue and one sender thread: in order (an offline never overtakes the
/// online that followed it) and without stalling the API or the caller.
fn status_changed(state: &SimState, mac: &Mac, online: bool) -> Value {
    let target = lock(&state.webhook_target).clone();
    let pushed = target.is_some();
    if let Some((url, secret)) = target {
        state.queue_webhook(PushRequest {
            url,
            secret,
            body: None,
            mac: Some(mac.to_string()),
            status: Some(if online { "online" } else { "offline" }.into()),
        });
    }
    json!({ "mac": mac.to_string(), "online": online, "webhook": pushed })
}

fn online_event(state: &SimState, mac: &str, online: bool) -> Result<Value, SimError> {
    let mac = parse_mac(mac)?;
    let changed = set_online(&mut state.fleet_mut(), &mac, online)?;
    if changed {
        Ok(status_changed(state, &mac, online))
    } else {
        Ok(json!({ "mac": mac.to_string(), "online": online, "webhook": false }))
    }
}

fn port_change(
    fleet: &mut Fleet,
    mac: &Mac,
    port: u32,
    up: bool,
    internet: bool,
) -> Result<Value, SimError> {
    let d = fleet
        .gwn_device_mut(mac)
        .ok_or_else(|| SimError::UnknownDevice(mac.to_string()))?;
    if let Some(p) = d.router_ports.iter_mut().find(|p| p.port_id == port) {
        if internet {
            if !p.wan {
                return Err(SimError::UnknownPort(mac.to_string(), port));
            }
            p.internet = up;
        } else {
            p.link = up;
            // A WAN that regains link regains internet; one that loses it loses both.
            p.internet = up;
        }
        let wan = p.wan;
        if wan {
            let (level, key, what) = match (internet, up) {
                (false, false) => (4, "wan", format!("WAN port {port} link down")),
                (false, true) => (1, "wan", format!("WAN port {port} link up")),
                (true, false) => (4, "wan", format!("WAN port {port} no internet")),
                (true, true) => (1, "wan", format!("WAN port {port} internet restored")),
            };
            alert_for(fleet, mac, level, key, what, Some(port));
        }
        return Ok(json!({ "mac": mac.to_string(), "port": port, "up": up }));
    }
    if !internet {
        if let Some(p) = d.switch_ports.iter_mut().find(|p| p.port_id == port) {
            p.link = up;
            return Ok(json!({ "mac": mac.to_string(), "port": port, "up": up }));
        }
    }
    Err(SimError::UnknownPort(mac.to_string(), port))
}

fn failover(fleet: &mut Fleet, mac: &Mac) -> Result<Value, SimError> {
    let d = fleet
        .gwn_device_mut(mac)
        .ok_or_else(|| SimError::UnknownDevice(mac.to_string()))?;
    let active = d
        .router_ports
        .iter()
        .find(|p| p.wan && p.link && p.internet)
        .map(|p| p.port_id)
        .ok_or(SimError::UnknownPort(mac.to_string(), 0))?;
    let mut backup = None;
    for p in d.router_ports.iter_mut().filter(|p| p.wan) {
        if p.port_id == active {
            p.link = false;
            p.internet = false;
        } else {
            p.link = true;
            p.internet = true;
            backup.get_or_insert(p.port_id);
        }
    }
    alert_for(
        fleet,
        mac,
        4,
        "wan",
        format!(
            "WAN port {active} down, failover to WAN port {}",
            backup.unwrap_or(0)
        ),
        Some(active),
    );
    Ok(json!({ "mac": mac.to_string(), "down": active, "active": backup }))
}

fn remove(fleet: &mut Fleet, mac: &Mac) -> Result<Value, SimError> {
    if let Some(i) = fleet.gwn.iter().position(|d| d.mac == *mac) {
        let d = fleet.gwn.remove(i);
        fleet.removed_gwn.push(d);
    } else if let Some(i) = fleet.uc.iter().position(|d| d.mac == *mac) {
        let d = fleet.uc.remove(i);
        fleet.removed_uc.push(d);
    } else {
        return Err(SimError::UnknownDevice(mac.to_string()));
    }
    fleet.reindex();
    Ok(json!({ "mac": mac.to_string(), "removed": true }))
}

fn restore(fleet: &mut Fleet, mac: &Mac) -> Result<Value, SimError> {
    if let Some(i) = fleet.removed_gwn.iter().position(|d| d.mac == *mac) {
        let d = fleet.removed_gwn.remove(i);
        // Back at the end of its network's group, where a new device appears.
        let at = fleet
            .gwn
            .iter()
            .rposition(|x| x.network_id == d.network_id)
            .map(|p| p + 1)
            .unwrap_or(fleet.gwn.len());
        fleet.gwn.insert(at, d);
    } else if let Some(i) = fleet.removed_uc.iter().position(|d| d.mac == *mac) {
        let d = fleet.removed_uc.remove(i);
        fleet.uc.push(d);
    } else {
        return Err(SimError::UnknownDevice(mac.to_string()));
    }
    fleet.reindex();
    Ok(json!({ "mac": mac.to_string(), "restored": true }))
}

fn add(
    fleet: &mut Fleet,
    seed: u64,
    kind: &str,
    network_id: Option<i64>,
) -> Result<Value, SimError> {
    let no = fleet.next_device_no;
    fleet.next_device_no += 1;
    let gwn_kind = match kind {
        "router" => Some(GwnKind::Router),
        "switch" => Some(GwnKind::Switch),
        "ap" => Some(GwnKind::Ap),
        "phone" | "pbx" => None,
        other => {
            return Err(SimError::BadRequest(format!(
                "unknown device kind {other:?}"
            )))
        }
    };
    let mac = if let Some(k) = gwn_kind {
        let net_no = match network_id {
            Some(id) => fleet
                .networks
                .iter()
                .position(|n| n.id == id)
                .ok_or(SimError::UnknownNetwork(id))?,
            None if fleet.networks.is_empty() => {
                return Err(SimError::BadRequest("the fleet has no network".into()))
            }
            None => 0,
        };
        let network = fleet.networks[net_no].clone();
        let d = gwn_device(seed, no, k, &network, net_no, &fleet.firmware);
        let mac = d.mac;
        let at = fleet
            .gwn
            .iter()
            .rposition(|x| x.network_id == network.id)
            .map(|p| p + 1)
            .unwrap_or(fleet.gwn.len());
        fleet.gwn.insert(at, d);
        mac
    } else {
        let d = uc_device(seed, no, kind == "pbx", &fleet.sites, &fleet.firmware);
        let mac = d.mac;
        fleet.uc.push(d);
        mac
    };
    fleet.reindex();
    Ok(json!({ "mac": mac.to_string(), "added": true }))
}

/// Applies one scenario event and says what changed.
///
/// # Errors
/// [`SimError::InvalidMac`], [`SimError::UnknownDevice`],
/// [`SimError::UnknownPort`], [`SimError::UnknownNetwork`] or
/// [`SimError::BadRequest`] when the event names something that is not there.
pub fn apply(state: &SimState, event: &Scenario) -> Result<Value, SimError> {
    match event {
        Scenario::DeviceOffline { mac } => online_event(state, mac, false),
        Scenario::DeviceOnline { mac } => online_event(state, mac, true),
        Scenario::PortLink { mac, port, up } => {
            port_change(&mut state.fleet_mut(), &parse_mac(mac)?, *port, *up, false)
        }
        Scenario::PortInternet { mac, port, up } => {
            port_change(&mut state.fleet_mut(), &parse_mac(mac)?, *port, *up, true)
        }
        Scenario::Failover { mac } => failover(&mut state.fleet_mut(), &parse_mac(mac)?),
        Scenario::RemoveDevice { mac } => remove(&mut state.fleet_mut(), &parse_mac(mac)?),
        Scenario::RestoreDevice { mac } => restore(&mut state.fleet_mut(), &parse_mac(mac)?),
        Scenario::AddDevice { kind, network_id } => {
            add(&mut state.fleet_mut(), state.config.seed, kind, *network_id)
        }
        Scenario::Firmware {
            model,
            version,
            beta,
        } => {
            if version.trim().is_empty() {
                return Err(SimError::BadRequest("empty version".into()));
            }
            state.fleet_mut().firmware.insert(
                model.clone(),
                FirmwareRelease {
                    latest: version.clone(),
                    beta: beta.clone(),
                },
            );
            Ok(json!({ "model": model, "version": version }))
        }
        Scenario::RotateCredentials { cloud, secret } => {
            lock(&state.tokens).revoke(*cloud);
            if let Some(s) = secret {
                let mut creds = lock(&state.creds);
                match cloud {
                    Cloud::Uc => creds.uc.client_secret = s.clone(),
                    Cloud::Gwn => creds.gwn.secret_key = s.clone(),
                }
            }
            Ok(json!({ "cloud": cloud, "rotated": true }))
        }
        Scenario::ExpireTokens { cloud } => {
            lock(&state.tokens).expire(*cloud);
            Ok(json!({ "cloud": cloud, "expired": true }))
        }
        Scenario::SetWebhook { url, secret } => {
            if let Some(u) = url {
                if !u.starts_with("http://") {
                    return Err(SimError::BadRequest(format!(
                        "only http:// webhook URLs: {u}"
                    )));
                }
            }
            *lock(&state.webhook_target) = url.clone().map(|u| (u, secret.clone()));
            Ok(json!({ "webhook": url }))
        }
    }
}

/// A compact description of the fleet for other processes (`GET /__admin/fleet`):
/// networks with their devices, UC devices, and counts.
pub fn fleet_summary(state: &SimState) -> Value {
    state.settle();
    let fleet = state.fleet();
    let networks: Vec<Value> = fleet
        .networks
        .iter()
        .map(|n| {
            let devices: Vec<Value> = fleet
                .gwn_in(n.id)
                .iter()
                .map(|d| json!({
                    "mac": d.mac.to_colon_upper(), "name": d.name, "model": d.model, "kind": d.kind,
                    "online": d.online, "sn": d.sn, "firmware": d.firmware,
                    "latest": fleet.latest_firmware(&d.model).map(|r| r.latest.clone()),
                    "ports": d.router_ports.iter().map(|p| json!({"portId": p.port_id, "name": p.name, "wan": p.wan, "link": p.link, "internet": p.internet})).collect::<Vec<_>>(),
                }))
                .collect();
            json!({ "id": n.id, "name": n.name, "devices": devices })
        })
        .collect();
    let uc: Vec<Value> = fleet
        .uc
        .iter()
        .map(|d| {
            json!({
                "mac": d.mac.to_colon_upper(), "name": d.name, "model": d.model, "kind": d.kind,
                "status": d.status, "sn": d.sn, "firmware": d.firmware, "site": d.site_name,
            })
        })
        .collect();
    json!({
        "counts": { "networks": fleet.networks.len(), "gwn": fleet.gwn.len(), "uc": fleet.uc.len(),
                     "removed": fleet.removed_gwn.len() + fleet.removed_uc.len() },
        "networks": networks,
        "uc": uc,
        "firmware": fleet.firmware,
    })
}
