//! Builds a [`Fleet`] from a [`SimConfig`]: same seed and sizes, same fleet.
//!
//! Each aspect draws from its own derived generator, and MACs come from
//! counters (not random draws), so they never collide even at 10 000 devices.

use std::collections::BTreeMap;

use gdms_core::Mac;
use serde_json::json;

use super::*;
use crate::config::SimConfig;
use crate::rng::SplitMix64;

/// Epoch ms the generated "first seen" dates count back from (2026-01-01Z):
/// fixed so the stored fleet does not depend on the wall clock.
pub const FLEET_EPOCH_MS: i64 = 1_767_225_600_000;

const CITIES: &[&str] = &[
    "Monterrey",
    "Guadalajara",
    "Puebla",
    "Queretaro",
    "Merida",
    "Leon",
    "Toluca",
    "Tijuana",
    "Cancun",
    "Saltillo",
    "Morelia",
    "Oaxaca",
    "Veracruz",
    "Chihuahua",
    "Hermosillo",
    "Durango",
];
const ROUTERS: &[&str] = &["GWN7001", "GWN7002", "GWN7003"];
const SWITCHES: &[&str] = &["GWN7801", "GWN7802P", "GWN7803P", "GWN7811P", "GWN7813P"];
const APS: &[&str] = &[
    "GWN7605",
    "GWN7615",
    "GWN7625",
    "GWN7630LR",
    "GWN7660",
    "GWN7662",
    "GWN7664",
];
const PHONES: &[&str] = &[
    "GRP2612W", "GRP2614", "GRP2601P", "GXP2170", "GXV3350", "WP820", "HT812V2", "HT802",
];
const PBXS: &[&str] = &["UCM6304", "UCM6302", "UCM6308", "UCM6510", "GCC6010"];
const ISPS: &[&str] = &[
    "ISP-Alpha",
    "ISP-Beta",
    "Telmex",
    "Totalplay",
    "Izzi",
    "Axtel",
];
const SSIDS: &[&str] = &["Corp", "Guest", "IoT", "Staff"];
const HOSTS: &[&str] = &[
    "laptop", "phone", "tablet", "printer", "tv", "desktop", "watch",
];
const PEOPLE: &[&str] = &[
    "ana", "luis", "maria", "jose", "sofia", "diego", "carla", "pedro",
];

/// The model catalogue every fleet shares: model → (latest, older, beta).
fn catalogue(rng: &mut SplitMix64) -> BTreeMap<String, FirmwareRelease> {
    let mut out = BTreeMap::new();
    for (i, m) in ROUTERS
        .iter()
        .chain(SWITCHES)
        .chain(APS)
        .chain(PHONES)
        .chain(PBXS)
        .enumerate()
    {
        let major = if m.starts_with("UCM") || m.starts_with("GCC") {
            27
        } else {
            1 + (i as u64 % 9)
        };
        let minor = rng.range(2, 30);
        let latest = format!("1.0.{major}.{minor}");
        // One model in four has a pre-release newer than the official one.
        let beta = (i % 4 == 1).then(|| format!("1.0.{major}.{}", minor + 3));
        out.insert((*m).to_string(), FirmwareRelease { latest, beta });
    }
    out
}

/// Some devices run the latest firmware, about a third an older one.
fn installed_version(rng: &mut SplitMix64, latest: &str) -> String {
    let mut parts: Vec<u64> = latest.split('.').filter_map(|p| p.parse().ok()).collect();
    if parts.len() == 4 && parts[3] > 1 && rng.chance(0.33) {
        parts[3] -= rng.range(1, parts[3] - 1);
        return parts
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".");
    }
    latest.to_string()
}

fn serial(rng: &mut SplitMix64, prefix: &str) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let mut s = prefix.to_string();
    while s.len() < 16 {
        s.push(ALNUM[rng.range(0, ALNUM.len() as u64 - 1) as usize] as char);
    }
    s
}

/// A MAC from an OUI and a 24-bit counter.
pub fn mac_from(oui: [u8; 3], n: u64) -> Mac {
    let text = format!(
        "{:02X}{:02X}{:02X}{:06X}",
        oui[0],
        oui[1],
        oui[2],
        n & 0xff_ffff
    );
    // 12 hex digits by construction.
    Mac::parse(&text).unwrap_or_else(|_| unreachable!("12 hex digits"))
}

/// Grandstream OUI used for GWN devices.
pub const GWN_OUI: [u8; 3] = [0xC0, 0x74, 0xAD];
/// Grandstream OUI used for UC devices.
pub const UC_OUI: [u8; 3] = [0x00, 0x0B, 0x82];

fn router_ports(rng: &mut SplitMix64, model: &str, mac_no: u64, net_no: usize) -> Vec<RouterPort> {
    let lans = if model == "GWN7002" { 4 } else { 3 };
    let mut ports = Vec::new();
    for w in 1..=2u32 {
        // A backup WAN unplugged in about one router in eight.
        let link = w == 1 || !rng.chance(0.125);
        let sfp = w == 2 && model == "GWN7003";
        let ip = format!(
            "{}.{}.{}.{}",
            if w == 1 { 198 } else { 203 },
            if w == 1 { 51 } else { 0 },
            if w == 1 { 100 } else { 113 },
            (net_no % 250) + 2
        );
        ports.push(RouterPort {
            port_id: w,
            name: format!("WAN{w}"),
            silk: format!("P{w}"),
            wan: true,
            link,
            speed: if sfp { 7 } else { 5 },
            sfp,
            combo: sfp,
            wan_name: rng.pick(ISPS).to_string(),
            wan_id: w,
            internet: link,
            gateway: ip
                .rsplit_once('.')
                .map(|(a, _)| format!("{a}.1"))
                .unwrap_or_default(),
            ip,
            wan_type: *rng.pick(&[0u8, 0, 0, 1, 2]),
            mac: mac_from(GWN_OUI, 0x80_0000 + mac_no * 4 + u64::from(w)).to_colon_upper(),
            custom_name: String::new(),
            base_tx: rng.range(1 << 30, 1 << 36),
            base_rx: rng.range(1 << 32, 1 << 38),
            rate: rng.range(10_000, 5_000_000),
            connected_for_s: rng.range(600, 3_000_000),
        });
    }
    for l in 1..=lans {
        let id = 2 + l;
        ports.push(RouterPort {
            port_id: id,
            name: format!("LAN{l}"),
            silk: format!("P{id}"),
            wan: false,
            link: l == 1 || rng.chance(0.5),
            speed: 5,
            sfp: false,
            combo: false,
            wan_name: String::new(),
            wan_id: 0,
            internet: false,
            ip: String::new(),
            gateway: String::new(),
            wan_type: 0,
            mac: String::new(),
            custom_name: if l == 1 {
                "To switch".into()
            } else {
                String::new()
            },
            base_tx: rng.range(1 << 28, 1 << 34),
            base_rx: rng.range(1 << 28, 1 << 34),
            rate: rng.range(1_000, 2_000_000),
            connected_for_s: 0,
        });
    }
    ports
}

fn switch_ports(rng: &mut SplitMix64, model: &str) -> Vec<SwitchPort> {
    let (ge, sfp) = match model {
        "GWN7801" => (8, 2),
        "GWN7802P" => (16, 2),
        "GWN7811P" => (8, 4),
        _ => (24, 4),
    };
    let mut ports = Vec::new();
    for i in 1..=(ge + sfp) {
        let is_sfp = i > ge;
        let link = i == 1 || rng.chance(if is_sfp { 0.2 } else { 0.6 });
        ports.push(SwitchPort {
            port_id: i,
            name: if is_sfp {
                format!("SFP{}", i - ge)
            } else {
                format!("GE{i}")
            },
            silk: i.to_string(),
            link,
            speed: if is_sfp {
                7
            } else {
                *rng.pick(&[4u8, 5, 5, 5])
            },
            sfp: is_sfp,
            custom_name: if i == 1 {
                "Router uplink".into()
            } else {
                String::new()
            },
            vlan: *rng.pick(&[1u32, 1, 1, 10, 20]),
            base_tx: rng.range(0, 1 << 34),
            base_rx: rng.range(0, 1 << 34),
            rate: rng.range(0, 1_000_000),
        });
    }
    ports
}

fn wifi_clients(rng: &mut SplitMix64, net_no: usize, ap_no: usize) -> Vec<WifiClient> {
    let n = rng.range(0, 8);
    (0..n)
        .map(|c| {
            let who = rng.pick(PEOPLE);
            let what = rng.pick(HOSTS);
            let b5 = rng.chance(0.6);
            WifiClient {
                mac: mac_from(
                    [0x3A, (ap_no >> 8) as u8, ap_no as u8],
                    (c << 16) | rng.range(0, 0xffff),
                ),
                hostname: format!("{what}-{who}"),
                ip: format!("192.168.{}.{}", net_no % 250, 100 + rng.range(0, 150)),
                rssi: -(rng.range(38, 85) as i32),
                band: if b5 { "5G" } else { "2.4G" }.into(),
                ssid: rng.pick(SSIDS).to_string(),
                tx_rate: rng.range(6, if b5 { 866 } else { 144 }) as u32,
                rx_rate: rng.range(6, if b5 { 866 } else { 144 }) as u32,
                connect_time_s: rng.range(30, 86_400),
            }
        })
        .collect()
}

/// Builds a GWN device of `kind` in network `net_no` (0-based) with MAC counter `no`.
pub fn gwn_device(
    seed: u64,
    no: u64,
    kind: GwnKind,
    network: &Network,
    net_no: usize,
    catalogue: &BTreeMap<String, FirmwareRelease>,
) -> GwnDevice {
    let mut rng = SplitMix64::derive(seed, &format!("gwn-device-{no}"));
    let model = match kind {
        GwnKind::Router => rng.pick(ROUTERS),
        GwnKind::Switch => rng.pick(SWITCHES),
        GwnKind::Ap => rng.pick(APS),
    }
    .to_string();
    let latest = catalogue
        .get(&model)
        .map(|r| r.latest.clone())
        .unwrap_or_else(|| "1.0.1.1".into());
    let label = match kind {
        GwnKind::Router => "Edge router",
        GwnKind::Switch => "Switch",
        GwnKind::Ap => "AP",
    };
    let host = match kind {
        GwnKind::Router => 1,
        GwnKind::Switch => 2 + (no % 20),
        GwnKind::Ap => 30 + (no % 200),
    };
    GwnDevice {
        mac: mac_from(GWN_OUI, (seed.wrapping_mul(0x1000) + no) & 0x7f_ffff),
        network_id: network.id,
        name: format!(
            "{label} {} {}",
            network.name.rsplit(' ').next().unwrap_or(""),
            no + 1
        ),
        kind,
        online: !rng.chance(0.08),
        ip: format!("198.51.100.{}", (net_no % 250) + 2),
        ipv4: format!("192.168.{}.{host}", net_no % 250),
        ipv6: rng
            .chance(0.3)
            .then(|| format!("2001:db8:{:x}::{:x}", net_no, host)),
        firmware: installed_version(&mut rng, &latest),
        sn: serial(
            &mut rng,
            match kind {
                GwnKind::Router => "31",
                GwnKind::Switch => "32",
                GwnKind::Ap => "30",
            },
        ),
        sn_in_list: rng.chance(0.1),
        uptime_s: rng.range(3_600, 5_000_000),
        first_seen_ms: FLEET_EPOCH_MS - rng.range(86_400, 400 * 86_400) as i64 * 1000,
        base_upload: if kind == GwnKind::Ap {
            rng.range(1 << 20, 1 << 34)
        } else {
            0
        },
        base_download: if kind == GwnKind::Ap {
            rng.range(1 << 24, 1 << 36)
        } else {
            0
        },
        channel: *rng.pick(&[1u32, 6, 11]),
        channel5g: *rng.pick(&[36u32, 44, 149, 157]),
        router_ports: if kind == GwnKind::Router {
            router_ports(&mut rng, &model, no, net_no)
        } else {
            Vec::new()
        },
        switch_ports: if kind == GwnKind::Switch {
            switch_ports(&mut rng, &model)
        } else {
            Vec::new()
        },
        clients: if kind == GwnKind::Ap {
            wifi_clients(&mut rng, net_no, no as usize)
        } else {
            Vec::new()
        },
        model,
    }
}

/// Builds a UC device with MAC counter `no`.
pub fn uc_device(
    seed: u64,
    no: u64,
    pbx: bool,
    sites: &[Site],
    catalogue: &BTreeMap<String, FirmwareRelease>,
) -> UcDevice {
    let mut rng = SplitMix64::derive(seed, &format!("uc-device-{no}"));
    let model = if pbx {
        rng.pick(PBXS)
    } else {
        rng.pick(PHONES)
    }
    .to_string();
    let latest = catalogue
        .get(&model)
        .map(|r| r.latest.clone())
        .unwrap_or_else(|| "1.0.1.1".into());
    let site = sites
        .get(no as usize % sites.len().max(1))
        .cloned()
        .unwrap_or(Site {
            id: 0,
            name: String::new(),
            org_id: 0,
        });
    let roll = rng.unit();
    let status = if roll < 0.85 {
        1
    } else if roll < 0.95 {
        0
    } else {
        -1
    };
    let ext = 2100 + no;
    let kind = if pbx { UcKind::Pbx } else { UcKind::Phone };
    let registered = if status == 1 && rng.chance(0.9) { 1 } else { 0 };
    UcDevice {
        mac: mac_from(UC_OUI, (seed.wrapping_mul(0x1000) + no) & 0x7f_ffff),
        sn: serial(&mut rng, if pbx { "24UCM" } else { "20EZ" }),
        name: if pbx {
            format!("PBX {}", site.name)
        } else if rng.chance(0.1) {
            String::new()
        } else {
            format!("Ext {ext}")
        },
        kind,
        status,
        public_ip: format!("203.0.113.{}", 2 + (site.id % 250)),
        private_ip: if rng.chance(0.05) {
            format!("fd00::{:x}", 0x100 + no)
        } else {
            format!("192.168.{}.{}", 10 + site.id % 200, 20 + no % 200)
        },
        firmware: installed_version(&mut rng, &latest),
        site_id: site.id,
        site_name: site.name.clone(),
        account_status: (!pbx).then_some(registered),
        dnd: i32::from(!pbx && rng.chance(0.05)),
        is_synchronized: i32::from(!rng.chance(0.05)),
        sync_failure_msg: String::new(),
        scheduled_task: 0,
        uptime_s: rng.chance(0.7).then(|| rng.range(600, 3_000_000)),
        last_seen_ago_s: if status == 1 {
            rng.range(5, 120)
        } else {
            rng.range(600, 400_000)
        },
        lines: if pbx {
            Vec::new()
        } else {
            vec![SipLine {
                line: 1,
                account: ext.to_string(),
                sip_server: format!("192.168.{}.2", 10 + site.id % 200),
                register_status: registered,
            }]
        },
        model,
    }
}

/// Builds the whole fleet for `config`.
pub fn generate(config: &SimConfig) -> Fleet {
    let seed = config.seed;
    let mut rng = SplitMix64::derive(seed, "catalogue");
    let firmware = catalogue(&mut rng);

    let mut rng = SplitMix64::derive(seed, "networks");
    let networks: Vec<Network> = (0..config.networks)
        .map(|i| {
            let city = CITIES[(i + rng.range(0, 3) as usize) % CITIES.len()];
            let prefix = if i == 0 { "HQ" } else { "Branch" };
            let suffix = if i >= CITIES.len() {
                format!(" {}", i / CITIES.len() + 1)
            } else {
                String::new()
            };
            Network {
                id: 12345 + i as i64,
                name: format!("{prefix} {city}{suffix}"),
                country: "MX".into(),
                timezone: "America/Mexico_City".into(),
            }
        })
        .collect();

    // GWN devices: spread round-robin over networks; with one router per
    // network, the first device of each network is its router.
    let gwn_count = config.gwn_device_count();
    let mut rng = SplitMix64::derive(seed, "kinds");
    let mut per_net: Vec<Vec<GwnDevice>> = vec![Vec::new(); networks.len()];
    if !networks.is_empty() {
        for no in 0..gwn_count {
            let net_no = no % networks.len();
            let first_in_net = no < networks.len();
            let kind = if config.one_router_per_network {
                if first_in_net {
                    GwnKind::Router
                } else if rng.chance(0.3) {
                    GwnKind::Switch
                } else {
                    GwnKind::Ap
                }
            } else {
                let r = rng.unit();
                if r < 0.1 {
                    GwnKind::Router
                } else if r < 0.35 {
                    GwnKind::Switch
                } else {
                    GwnKind::Ap
                }
            };
            per_net[net_no].push(gwn_device(
                seed,
                no as u64,
                kind,
                &networks[net_no],
                net_no,
                &firmware,
            ));
        }
    }
    let gwn: Vec<GwnDevice> = per_net.into_iter().flatten().collect();

    let orgs = vec![
        Org {
            id: 7788,
            name: "Acme Telecom".into(),
        },
        Org {
            id: 7789,
            name: "Acme Retail".into(),
        },
    ];
    let uc_count = config.uc_device_count();
    let site_count = (uc_count / 25).clamp(1, 20);
    let sites: Vec<Site> = (0..site_count)
        .map(|i| Site {
            id: 5000 + i as i64,
            name: format!(
                "{} Floor {}",
                if i % 2 == 0 { "HQ" } else { "Store" },
                i / 2 + 1
            ),
            org_id: orgs[i % orgs.len()].id,
        })
        .collect();
    // One PBX per site first, then phones; the rest of the mix is 10 % PBX.
    let mut rng = SplitMix64::derive(seed, "uc-kinds");
    let uc: Vec<UcDevice> = (0..uc_count)
        .map(|no| {
            let pbx = (no < site_count && uc_count >= 5) || (no >= site_count && rng.chance(0.03));
            uc_device(seed, no as u64, pbx, &sites, &firmware)
        })
        .collect();

    let mut fleet = Fleet {
        networks,
        gwn,
        orgs,
        sites,
        uc,
        alerts: Vec::new(),
        firmware,
        removed_gwn: Vec::new(),
        removed_uc: Vec::new(),
        next_alert_id: 99_001,
        next_device_no: config.devices as u64,
        gwn_index: Default::default(),
        uc_index: Default::default(),
    };
    fleet.reindex();

    // Initial alerts: every offline GWN device has one, plus some CPU noise.
    let mut rng = SplitMix64::derive(seed, "alerts");
    let offline: Vec<(i64, String, Mac, GwnKind)> = fleet
        .gwn
        .iter()
        .filter(|d| !d.online)
        .map(|d| (d.network_id, d.name.clone(), d.mac, d.kind))
        .collect();
    for (net, name, mac, kind) in offline {
        let t = FLEET_EPOCH_MS - rng.range(60, 86_400) as i64 * 1000;
        fleet.push_alert(net, t, 4, "offline", format!("{name} is offline"), json!({
            "apName": name, "isMac": "1", "detail": mac.to_colon_upper(), "reason": "", "deviceType": kind,
        }));
    }
    let routers: Vec<(i64, String, Mac)> = fleet
        .gwn
        .iter()
        .filter(|d| d.kind == GwnKind::Router)
        .map(|d| (d.network_id, d.name.clone(), d.mac))
        .collect();
    for (net, name, mac) in routers {
        if rng.chance(0.3) {
            let t = FLEET_EPOCH_MS - rng.range(60, 86_400) as i64 * 1000;
            fleet.push_alert(net, t, 3, "cpu", "CPU usage above 90%".into(), json!({
                "apName": name, "isMac": "1", "detail": mac.to_colon_upper(), "reason": "", "deviceType": "router",
            }));
        }
    }
    fleet.alerts.sort_by_key(|a| a.time_ms);
    fleet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(seed: u64, networks: usize, devices: usize) -> SimConfig {
        SimConfig {
            seed,
            networks,
            devices,
            ..SimConfig::default()
        }
    }

    #[test]
    fn same_seed_same_fleet_other_seed_other_fleet() {
        let a = generate(&cfg(5, 4, 80));
        let b = generate(&cfg(5, 4, 80));
        assert_eq!(a, b);
        let c = generate(&cfg(6, 4, 80));
        assert_ne!(a, c);
    }

    #[test]
    fn sizes_and_one_router_per_network() {
        let f = generate(&cfg(1, 12, 300));
        assert_eq!(f.networks.len(), 12);
        assert_eq!(f.gwn.len() + f.uc.len(), 300);
        assert_eq!(f.uc.len(), 120);
        for n in &f.networks {
            let routers = f
                .gwn_in(n.id)
                .iter()
                .filter(|d| d.kind == GwnKind::Router)
                .count();
            assert_eq!(routers, 1, "network {}", n.id);
        }
        assert!(f.uc.iter().any(|d| d.kind == UcKind::Pbx));
        assert!(f.gwn.iter().any(|d| d.kind == GwnKind::Switch));
        assert!(f.gwn.iter().any(|d| d.kind == GwnKind::Ap));
    }

    #[test]
    fn macs_are_unique_at_ten_thousand() {
        let f = generate(&cfg(3, 50, 10_000));
        let mut macs: Vec<Mac> = f
            .gwn
            .iter()
            .map(|d| d.mac)
            .chain(f.uc.iter().map(|d| d.mac))
            .collect();
        let n = macs.len();
        macs.sort();
        macs.dedup();
        assert_eq!(macs.len(), n);
    }

    #[test]
    fn some_firmware_is_behind_and_serials_mostly_hidden() {
        let f = generate(&cfg(1, 6, 200));
        let behind = f
            .gwn
            .iter()
            .filter(|d| f.firmware[&d.model].latest != d.firmware)
            .count();
        assert!(behind > 0 && behind < f.gwn.len());
        let listed = f.gwn.iter().filter(|d| d.sn_in_list).count();
        assert!(listed < f.gwn.len() / 3);
    }
}
