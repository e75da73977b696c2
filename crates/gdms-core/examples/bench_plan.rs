//! Plan benchmark: 100 000 devices (5 000 routers with WAN ports), 1 % transitions (0.5 % down, 0.5 % back up).
//!
//! Run: `cargo run --release -p gdms-core --example bench_plan`
//!
//! Builds a fleet, plans a first cycle (everything new), applies it the way
//! the PHP side would (assets created, state stored, incidents recorded), then
//! times the second cycle's `plan()` with 1 % of devices changing state. Also
//! times the JSON round trip PHP pays (`plan_json`), and prints peak memory
//! (VmHWM) before and after.

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use gdms_core::engine::classify::Itemtype;
use gdms_core::engine::input::{Asset, EngineConfig, IncidentRecord, PlanInput};
use gdms_core::engine::{plan, plan_json, AssetRef, Plan};
use gdms_core::snapshot::{
    Cloud, CloudDevice, CloudStatus, FetchStats, Internet, Port, PortMedium, PortRole, PortsFetch,
    Snapshot, SourceKey, SourceReport,
};
use gdms_core::Mac;

/// Counts live heap bytes and their peak, so the plan's own working memory
/// can be told apart from the input it is given (VmHWM only ever grows).
/// Allocates with mimalloc, the allocator of the `gdms` extension that runs
/// `plan()` in production.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to mimalloc.
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to mimalloc.
        unsafe { MiMalloc.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged to mimalloc.
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            let live = if new_size >= layout.size() {
                LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size()
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed)
                    - (layout.size() - new_size)
            };
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const DEVICES: u32 = 100_000;
const ROUTERS: u32 = 5_000;
const NETWORKS: u32 = 500;

fn vm_hwm_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time of this thread in ns (`/proc/thread-self/schedstat`): less
/// disturbed than wall time on a machine shared with other jobs.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn port(id: u32, wan: bool, link: bool, inet: Internet) -> Port {
    Port {
        id: id.to_string(),
        name: Some(if wan {
            format!("WAN{id}")
        } else {
            format!("LAN{id}")
        }),
        silk: Some(format!("P{id}")),
        role: if wan { PortRole::Wan } else { PortRole::Lan },
        link_up: link,
        internet: if wan { inet } else { Internet::Unknown },
        speed: Some(5),
        medium: PortMedium::Ge,
        is_combo: false,
        wan_name: wan.then(|| format!("ISP-{id}")),
        ip: Some("198.51.100.10".into()),
        wan_type: Some(0),
        gateway: None,
        dns1: None,
        dns2: None,
        wan_mac: None,
        ipv6: None,
        connect_duration: Some(86_400),
        custom_name: None,
        description: None,
        vlan: None,
        tx_bytes: Some(1 << 30),
        rx_bytes: Some(1 << 32),
        tx_packets: None,
        rx_packets: None,
    }
}

/// Device `n`; `flip` makes it transition: 0.5 % go down (n % 200 == 1:
/// devices offline, router WAN1 link down or no internet), 0.5 % come back
/// (n % 200 == 7, offline since cycle 0).
fn device(n: u32, flip: bool) -> CloudDevice {
    let b = n.to_be_bytes();
    let mac = Mac::parse(&format!(
        "c0:74:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3]
    ))
    .ok();
    let is_router = n < ROUTERS;
    let is_uc = !is_router && n % 2 == 0;
    let network = (n % NETWORKS).to_string();
    let (model, cloud, source) = if is_router {
        (
            "GWN7003",
            Cloud::Gwn,
            SourceKey::GwnNetwork {
                network_id: network.clone(),
            },
        )
    } else if is_uc {
        ("GRP2612W", Cloud::Uc, SourceKey::UcDevices)
    } else {
        (
            "GWN7660",
            Cloud::Gwn,
            SourceKey::GwnNetwork {
                network_id: network.clone(),
            },
        )
    };
    let online = (n % 50 != 7) ^ (flip && !is_router);
    let ports = if is_router {
        let wan1_up = !(flip && n % 2 == 0);
        let inet = if flip && n % 2 == 1 {
            Internet::Down
        } else {
            Internet::Up
        };
        PortsFetch::Fetched {
            ports: vec![
                port(1, true, wan1_up, inet),
                port(2, true, true, Internet::Up),
                port(3, false, true, Internet::Unknown),
            ],
        }
    } else {
        PortsFetch::NotApplicable
    };
    CloudDevice {
        cloud,
        source,
        mac,
        serial: Some(format!("SN{n:010}")),
        name: format!("Device {n}"),
        model: model.into(),
        status: if online {
            CloudStatus::Online
        } else {
            CloudStatus::Offline
        },
        network_id: (cloud == Cloud::Gwn).then_some(network),
        network_name: Some(format!("Site {}", n % NETWORKS)),
        public_ip: Some("203.0.113.45".into()),
        private_ip: Some(format!("10.{}.{}.{}", b[1], b[2], b[3])),
        ipv6: None,
        firmware: Some("1.0.11.3".into()),
        firmware_latest: Some("1.0.11.3".into()),
        uptime_sec: Some(86_400),
        clients: Some(3),
        upload_bytes: Some(1 << 20),
        download_bytes: Some(1 << 24),
        channel_2g: None,
        channel_5g: None,
        first_seen: Some(1_735_689_600),
        last_seen: Some(1_767_225_590),
        location: None,
        uplink_mac: None,
        ports,
        sip: None,
    }
}

fn snapshot(cycle: u32) -> Snapshot {
    let devices: Vec<CloudDevice> = (0..DEVICES)
        .map(|n| device(n, cycle > 0 && (n % 200 == 1 || n % 200 == 7)))
        .collect();
    let mut sources = vec![SourceKey::UcDevices, SourceKey::GwnNetworks];
    sources.extend((0..NETWORKS).map(|i| SourceKey::GwnNetwork {
        network_id: i.to_string(),
    }));
    Snapshot {
        sources: sources
            .into_iter()
            .map(|source| SourceReport {
                source,
                complete: true,
                failure: None,
                endpoint: None,
                page: None,
                pages: 1,
                devices: 0,
            })
            .collect(),
        devices,
        networks: (0..NETWORKS)
            .map(|i| gdms_core::snapshot::Network {
                id: i.to_string(),
                name: format!("Site {i}"),
            })
            .collect(),
        tokens: vec![],
        stats: FetchStats::default(),
    }
}

/// What PHP does with a plan, reduced to what the next cycle reads back.
fn apply(
    p: &mut Plan,
    assets: &mut Vec<Asset>,
    incidents: &mut Vec<IncidentRecord>,
    next: &mut u64,
) {
    let mut created = std::collections::HashMap::new();
    for c in &p.assets.create {
        *next += 1;
        created.insert(c.device_key.clone(), (c.itemtype, *next));
        assets.push(Asset {
            itemtype: c.itemtype,
            id: *next,
            entities_id: c.entities_id,
            name: c.name.clone(),
            serial: c.serial.clone().unwrap_or_default(),
            otherserial: String::new(),
            uuid: c.uuid.clone().unwrap_or_default(),
            macs: vec![],
            model_id: c.model_id.unwrap_or(0),
            users_id_tech: 0,
            users_id: 0,
            locations_id: 0,
        });
    }
    // PHP reads assets ordered by itemtype, then id.
    assets.sort_by(|a, b| (a.itemtype.as_str(), a.id).cmp(&(b.itemtype.as_str(), b.id)));
    for d in &mut p.devices {
        if let Some(AssetRef::Planned { device_key, .. }) = &d.asset {
            if let Some(&(itemtype, id)) = created.get(device_key) {
                d.asset = Some(AssetRef::Existing { itemtype, id });
            }
        }
    }
    let gone: std::collections::HashSet<u64> =
        p.incidents.resolve.iter().map(|r| r.incident_id).collect();
    incidents.retain(|r| !gone.contains(&r.id));
    for o in &p.incidents.open {
        *next += 1;
        incidents.push(IncidentRecord {
            id: *next,
            device_key: o.device_key.clone(),
            port_key: o.port_key.clone(),
            kind: o.kind,
            tickets_id: *next,
            ticket_open: true,
            opened_at: p.now,
        });
    }
}

fn main() {
    let hwm_start = vm_hwm_kib();
    let config = EngineConfig {
        entities_id: 1,
        wan_debounce_seconds: 0,
        ..EngineConfig::default()
    };
    let now = 1_767_225_600;

    // Cycle 0: everything new.
    let input = PlanInput {
        now,
        config: config.clone(),
        devices: vec![],
        assets: vec![],
        models: vec![],
        incidents: vec![],
        snapshot: snapshot(0),
    };
    let t = Instant::now();
    let mut first = plan(input);
    let cold = t.elapsed();
    let (mut assets, mut incidents, mut next) = (Vec::new(), Vec::new(), 0u64);
    apply(&mut first, &mut assets, &mut incidents, &mut next);
    let routers = first
        .devices
        .iter()
        .filter(|d| d.category == gdms_core::engine::Category::Router)
        .count();
    let phones = assets
        .iter()
        .filter(|a| a.itemtype == Itemtype::Phone)
        .count();

    // Cycle 1: 1 % transitions (0.5 % down, 0.5 % back up).
    let input = PlanInput {
        now: now + 300,
        config,
        devices: first.devices,
        assets,
        models: vec![],
        incidents,
        snapshot: snapshot(1),
    };
    let json = serde_json::to_string(&input).unwrap_or_default();
    // Best of 5 (the machine is shared; the minimum is the plan's own cost).
    let mut warm = std::time::Duration::MAX;
    let mut cpu = u64::MAX;
    for _ in 0..4 {
        let copy = input.clone();
        let (t, c) = (Instant::now(), cpu_ns());
        let p = plan(copy);
        warm = warm.min(t.elapsed());
        cpu = cpu.min(cpu_ns().zip(c).map_or(u64::MAX, |(b, a)| b - a));
        drop(p);
    }
    let hwm_before = vm_hwm_kib();
    let live_before = LIVE.load(Ordering::Relaxed);
    PEAK.store(live_before, Ordering::Relaxed);
    let (t, c) = (Instant::now(), cpu_ns());
    let second = plan(input);
    warm = warm.min(t.elapsed());
    cpu = cpu.min(cpu_ns().zip(c).map_or(u64::MAX, |(b, a)| b - a));
    let plan_peak = PEAK.load(Ordering::Relaxed).saturating_sub(live_before);
    let hwm_after = vm_hwm_kib();
    let t = Instant::now();
    let out = plan_json(&json);
    let json_total = t.elapsed();

    println!("bench_plan: {DEVICES} devices ({routers} routers with WAN ports, {phones} phones), 1 % transitions (0.5 % down, 0.5 % back up)");
    println!(
        "  cycle 0 (all new, {} creates): {:.1} ms",
        first.assets.create.len(),
        cold.as_secs_f64() * 1e3
    );
    println!(
        "  cycle 1 plan() (best of 5): {:.1} ms wall, {:.1} ms CPU — {} opened, {} resolved, {} events, {} samples, {} roll-up rows",
        warm.as_secs_f64() * 1e3,
        cpu as f64 / 1e6,
        second.incidents.open.len(),
        second.incidents.resolve.len(),
        second.events.len(),
        second.samples.len(),
        second.rollups.len()
    );
    println!(
        "  cycle 1 via JSON (parse {:.1} MB + plan + serialise {:.1} MB): {:.1} ms",
        json.len() as f64 / 1e6,
        out.as_ref().map_or(0, String::len) as f64 / 1e6,
        json_total.as_secs_f64() * 1e3
    );
    let kib = |v: Option<u64>| {
        v.map_or_else(
            || "n/a".to_string(),
            |k| format!("{:.1} MiB", k as f64 / 1024.0),
        )
    };
    println!(
        "  plan() working memory beyond its input (heap peak − heap at call): {:.1} MiB",
        plan_peak as f64 / (1024.0 * 1024.0)
    );
    println!(
        "  peak memory (VmHWM, whole process incl. input copies and JSON): start {}, before cycle 1 {}, after cycle 1 {}",
        kib(hwm_start),
        kib(hwm_before),
        kib(hwm_after)
    );
    if warm.as_millis() > 50 {
        println!("  WARNING: plan() above the 50 ms target");
    }
}
