//! Benchmark of the cloud clients against the simulator at 50 ms latency:
//! a full fetch of 200 GWN networks / 10,000 devices (one router per
//! network), first cycle (no serial known) and steady state (serials known),
//! at concurrency 1, 8 and 32.
//!
//! Run: `cargo run --release -p gdms-sim --example bench_fetch`
//! (`-- --quick` for a 1/10 fleet).
//!
//! Concurrency 1 would need ~8 minutes for the first cycle of the full fleet
//! (~9,000 requests × 50 ms), so that one cycle runs on a 1/10 fleet and is
//! extrapolated ×10; its steady state runs on the full fleet.

use std::collections::BTreeMap;
use std::time::Instant;

use gdms_core::cloud::{self, FetchDocument, FetchRequest};
use gdms_sim::{Sim, SimConfig, SimHandle};
use serde_json::{json, Value};

/// The allocator of the `gdms` extension, which runs this code in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LATENCY_MS: u64 = 50;

fn sim(networks: usize, devices: usize) -> SimHandle {
    Sim::spawn(SimConfig {
        networks,
        devices,
        uc_devices: Some(0),
        one_router_per_network: true,
        latency_ms: LATENCY_MS,
        worker_threads: 2,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn request(sim: &SimHandle, concurrency: usize, known: &BTreeMap<String, String>) -> FetchRequest {
    let uc = sim.uc_credentials();
    let gwn = sim.gwn_credentials();
    let v: Value = json!({
        "uc": {"username": uc.username, "password": uc.password, "client_id": uc.client_id,
               "client_secret": uc.client_secret, "base_url": sim.uc_uri()},
        "gwn": {"app_id": gwn.app_id, "secret_key": gwn.secret_key, "base_url": sim.gwn_uri()},
        "known_serials": known,
        // The cycle the plugin needs every time: lists, router ports, serials.
        // Switch port tables and firmware versions are measured separately below.
        "options": {"concurrency": concurrency, "switch_ports": false, "firmware_versions": false},
    });
    serde_json::from_value(v).expect("request")
}

struct Run {
    wall_ms: f64,
    requests: u64,
    tokens: u64,
    complete: bool,
    doc: FetchDocument,
}

fn run(sim: &SimHandle, req: FetchRequest) -> Run {
    sim.reset_stats();
    let t = Instant::now();
    let doc = cloud::fetch_blocking(req).expect("fetch");
    let wall_ms = t.elapsed().as_secs_f64() * 1000.0;
    let s = sim.stats();
    Run {
        wall_ms,
        requests: s.total_requests(),
        tokens: s.tokens_issued.values().sum(),
        complete: doc.snapshot.sources.iter().all(|r| r.complete),
        doc,
    }
}

fn known_of(doc: &FetchDocument) -> BTreeMap<String, String> {
    doc.snapshot
        .devices
        .iter()
        .filter_map(|d| Some((d.mac?.to_string(), d.serial.clone()?)))
        .collect()
}

/// One result line; `base` is the concurrency-1 wall time to compare with
/// (`Some(own)` for the c=1 line itself, `None` for no comparison).
fn line(label: &str, c: usize, r: &Run, base: Option<f64>, note: &str) {
    let ratio = base.map_or("-".to_string(), |b| format!("{:.2}x", b / r.wall_ms));
    println!(
        "{label:<14} c={c:<3} wall {:>9.0} ms  requests {:>6}  tokens {:>2}  complete {:<5} speed-up vs c=1 {ratio:>7} {note}",
        r.wall_ms, r.requests, r.tokens, r.complete
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (nets, devs) = if quick { (20, 1_000) } else { (200, 10_000) };
    println!(
        "bench_fetch: {nets} networks, {devs} GWN devices (one router per network), simulator latency {LATENCY_MS} ms"
    );
    println!("cycle = token (cached after the first) + network/list + ap/list per network + device/info per online router (ports) + device/info per unknown serial");
    let big = sim(nets, devs);
    let online_routers = big
        .fleet()
        .gwn
        .iter()
        .filter(|d| d.online && d.model.starts_with("GWN700"))
        .count();
    println!(
        "floor: 3 dependent waves (network/list -> ap/list -> device/info) x {LATENCY_MS} ms = {} ms (+{LATENCY_MS} ms when a token is granted)",
        3 * LATENCY_MS
    );
    println!(
        "steady state needs {} requests; at concurrency c the floor is ceil(requests/c) x {LATENCY_MS} ms",
        2 + nets + online_routers
    );

    // Concurrency 1, first cycle: 1/10 fleet, extrapolated.
    let small = sim(nets / 10, devs / 10);
    let r1_first_small = run(&small, request(&small, 1, &BTreeMap::new()));
    let r1_first = Run {
        wall_ms: r1_first_small.wall_ms * 10.0,
        requests: r1_first_small.requests * 10,
        tokens: r1_first_small.tokens,
        complete: r1_first_small.complete,
        doc: FetchDocument::default(),
    };
    drop(small);

    // Warm the tokens and learn the serials once (concurrency 32), as a
    // plugin would have after its first cycle.
    let warm = run(&big, request(&big, 32, &BTreeMap::new()));
    let known = known_of(&warm.doc);
    println!(
        "serials learned: {} of {} devices",
        known.len(),
        warm.doc.snapshot.devices.len()
    );

    let r1_steady = run(&big, request(&big, 1, &known));
    println!();
    println!("first cycle (no serial known):");
    line(
        "first",
        1,
        &r1_first,
        Some(r1_first.wall_ms),
        "(1/10 fleet x10, extrapolated)",
    );
    let mut firsts = Vec::new();
    for c in [8, 32] {
        let r = run(&big, request(&big, c, &BTreeMap::new()));
        line("first", c, &r, Some(r1_first.wall_ms), "");
        firsts.push(r);
    }
    println!();
    println!("steady state (serials known, tokens cached):");
    line("steady", 1, &r1_steady, Some(r1_steady.wall_ms), "");
    let mut steady8 = 0.0;
    for c in [8, 32] {
        let r = run(&big, request(&big, c, &known));
        if c == 8 {
            steady8 = r.wall_ms;
        }
        // Bound by the waves (3 x latency) or by the pipe (requests / c x latency).
        let floor = ((r.requests as f64 / c as f64).ceil() * LATENCY_MS as f64)
            .max(3.0 * LATENCY_MS as f64);
        line(
            "steady",
            c,
            &r,
            Some(r1_steady.wall_ms),
            &format!("(floor {floor:.0} ms)"),
        );
    }
    println!();
    println!(
        "target steady state <= 3000 ms at concurrency 8: {} ({steady8:.0} ms)",
        if steady8 <= 3000.0 { "MET" } else { "MISSED" }
    );

    // Everything the plugin can ask for, at concurrency 8 and 32.
    println!();
    println!("steady state with switch port tables and upgrade/version per network:");
    for c in [8, 32] {
        let mut req = request(&big, c, &known);
        req.options.switch_ports = true;
        req.options.firmware_versions = true;
        let r = run(&big, req);
        line("steady+extras", c, &r, None, "");
    }
}
