//! Benchmark of the Excel export (issue 7): 10,000 devices × 365 days.
//!
//! Builds the JSON document PHP would hand to `gdms_export_xlsx` (devices with
//! one roll-up per day, ~2 % of days partly offline, 5,000 incidents), then
//! times `export_json` (parse + three sheets in constant-memory mode + zip)
//! and prints the process's peak resident memory (VmHWM) before and after, so
//! the export's own share is visible next to the input it was given.

use std::fmt::Write as _;
use std::time::Instant;

use gdms_core::export::{export_json, ExportInput};

/// The allocator of the `gdms` extension, which runs this code in production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEVICES: usize = 10_000;
const DAYS: usize = 365;
const NOW: i64 = 20_400 * 86_400 + 43_200;

fn vm_hwm_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Deterministic pseudo-random numbers (no dependency, same figures each run).
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn input() -> String {
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let cats = ["Router", "Switch", "Access point", "Phone", "PBX"];
    // Sized once: a doubling copy of a 44 MB string would add its own peak.
    let mut s = String::with_capacity(DEVICES * DAYS * 14);
    write!(s, "{{\"now\":{NOW},\"window_days\":{DAYS},\"devices\":[").ok();
    for d in 0..DEVICES {
        if d > 0 {
            s.push(',');
        }
        write!(
            s,
            "{{\"key\":\"k{d}\",\"name\":\"Device {d:05}\",\"category\":\"{}\",\"model\":\"GWN7062\",\"network\":\"Site {}\",\"status\":\"Online\",\"online_s\":[",
            cats[d % cats.len()],
            d % 50
        )
        .ok();
        let mut online = Vec::with_capacity(DAYS);
        for i in 0..DAYS {
            let v = if next(&mut rng) % 50 == 0 {
                86_400 - (next(&mut rng) % 86_400) as u32
            } else {
                86_400
            };
            online.push(v);
            if i > 0 {
                s.push(',');
            }
            write!(s, "{v}").ok();
        }
        s.push_str("],\"observed_s\":[");
        for i in 0..DAYS {
            if i > 0 {
                s.push(',');
            }
            s.push_str("86400");
        }
        s.push_str("]}");
    }
    s.push_str("],\"incidents\":[");
    for i in 0..DEVICES / 2 {
        if i > 0 {
            s.push(',');
        }
        let opened = NOW - 86_400 * (i as i64 % 365);
        write!(
            s,
            "{{\"device\":\"Device {:05}\",\"kind\":\"Device offline\",\"opened\":{opened},\"resolved\":{},\"ticket_id\":{}}}",
            i * 2,
            opened + 1_800,
            i + 1
        )
        .ok();
    }
    s.push_str("]}");
    s
}

fn main() {
    let before_input = vm_hwm_mb();
    let json = input();
    let with_input = vm_hwm_mb();
    let path = std::env::temp_dir().join(format!("gdms_bench_export_{}.xlsx", std::process::id()));
    let started = Instant::now();
    let report = match export_json(&json, &path.to_string_lossy()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("export failed: {e}");
            std::process::exit(1);
        }
    };
    let elapsed = started.elapsed();
    let after = vm_hwm_mb();
    // Share of the JSON parse alone (the rest is the three sheets and the zip).
    let t = Instant::now();
    let parsed: Result<ExportInput, _> = serde_json::from_str(&json);
    let parse_s = t.elapsed().as_secs_f64();
    drop(parsed);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&path);
    println!(
        "export {DEVICES} devices x {DAYS} days ({} cells on Availability): {:.2} s, file {:.1} MB",
        DEVICES * DAYS,
        elapsed.as_secs_f64(),
        size as f64 / 1_048_576.0
    );
    println!(
        "  input JSON {:.1} MB; VmHWM: {before_input:.1} MB at start, {with_input:.1} MB with the input built, {after:.1} MB after the export (export's own share ≈ {:.1} MB)",
        json.len() as f64 / 1_048_576.0,
        after - with_input
    );
    println!("  of which JSON parse alone: {parse_s:.2} s");
    println!("  report: {}", &report[..report.len().min(200)]);
}
