//! `gdms-sim`: serves the simulated clouds on loopback, or drives a running one.
//!
//! ```text
//! gdms-sim serve [options]            print one JSON line (URIs, credentials), serve until killed
//! gdms-sim ctl <admin-uri> <command>  scenario / fault / stats commands against a running sim
//! ```
//! Run `gdms-sim help` for every option. Arguments are parsed by hand to keep
//! the fixture's dependencies small.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use gdms_sim::http_client::{get, post_json};
use gdms_sim::{FaultKind, FaultRule, Sim, SimConfig, TaskTypeMap};
use serde_json::json;

const HELP: &str = "\
gdms-sim: loopback simulator of the Grandstream GDMS UC and GWN clouds

USAGE:
  gdms-sim serve [OPTIONS]
  gdms-sim ctl <admin-uri | uri> <COMMAND> [ARGS]
  gdms-sim --version | help

SERVE OPTIONS (defaults in brackets):
  --config FILE             JSON SimConfig (any subset of its fields); later flags win
  --port N                  TCP port on 127.0.0.1 [0 = any free port]
  --seed N                  fleet and fault seed [1]
  --networks N              GWN networks [3]
  --devices N               devices in both clouds [30]
  --uc-devices N            how many of them are UC phones/PBXs [40%]
  --random-routers          routers drawn at random instead of one per network
  --latency-ms A[..B]       fixed latency A, or uniform between A and B [0]
  --token-lifetime S        expires_in of tokens, seconds [3599]
  --timestamp-window-ms W   accepted timestamp skew [300000]
  --task-types 160|12       taskType meaning (plugin 1.6.0 or 1.2.x) [160]
  --no-refresh-token        refresh grant answers without refresh_token
  --max-page-size N         largest pageSize honoured [200]
  --workers N               server threads [2]
  --uc-username U --uc-password P --uc-client-id I --uc-client-secret S
  --gwn-app-id I --gwn-secret S
  --upgrade-delay-s S       seconds an accepted upgrade takes [60]
  --chaos-ms N              every N ms a random device/WAN event or its undoing [off]
  --rate-limit N            per-token business requests per second [none]
  --webhook-url URL         push a webhook on every scenario status change
  --webhook-secret S        sign those pushes (X-GDMS-Signature)
  --fault JSON              add a fault rule (repeatable), e.g.
                            '{\"endpoint\":\"gwn:ap/list\",\"kind\":\"status\",\"status\":503,\"rate\":0.1}'

CTL COMMANDS:
  info | stats | stats-reset | recorded | recorded-clear | fleet
  faults | faults-clear | fault <JSON> | fault-remove <id>
  offline <mac> | online <mac> | remove <mac> | restore <mac>
  link <mac> <port> up|down | internet <mac> <port> up|down | failover <mac>
  add <router|switch|ap|phone|pbx> [network-id]
  firmware <model> <version> [beta-version]
  rotate uc|gwn [new-secret] | expire uc|gwn
  webhook <url> <mac> <status> [secret]
  webhook-target <url|off> [secret]
  scenario <JSON>           any scenario object, e.g. '{\"op\":\"device_offline\",\"mac\":\"...\"}'
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("ctl") => ctl(&args[1..]),
        Some("--version") | Some("-V") => {
            println!("{} {}", gdms_sim::NAME, env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}; try `gdms-sim help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gdms-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

fn num<T: std::str::FromStr>(flag: &str, v: Option<&String>) -> Result<T, String> {
    v.ok_or_else(|| format!("{flag} needs a value"))?
        .parse()
        .map_err(|_| format!("{flag}: not a number"))
}

fn text(flag: &str, v: Option<&String>) -> Result<String, String> {
    v.cloned().ok_or_else(|| format!("{flag} needs a value"))
}

fn parse_serve(args: &[String]) -> Result<(SimConfig, Vec<FaultRule>), String> {
    let mut c = SimConfig::default();
    let mut faults = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--config" => {
                // A JSON SimConfig (any subset of fields); later flags override it.
                let path = text(flag, it.next())?;
                let raw =
                    std::fs::read_to_string(&path).map_err(|e| format!("--config {path}: {e}"))?;
                c = serde_json::from_str(&raw).map_err(|e| format!("--config {path}: {e}"))?;
            }
            "--port" => c.port = num(flag, it.next())?,
            "--seed" => c.seed = num(flag, it.next())?,
            "--networks" => c.networks = num(flag, it.next())?,
            "--devices" => c.devices = num(flag, it.next())?,
            "--uc-devices" => c.uc_devices = Some(num(flag, it.next())?),
            "--random-routers" => c.one_router_per_network = false,
            "--latency-ms" => {
                let v = text(flag, it.next())?;
                match v.split_once("..") {
                    Some((a, b)) => {
                        let min = a
                            .parse()
                            .map_err(|_| "--latency-ms: bad range".to_string())?;
                        let max = b
                            .parse()
                            .map_err(|_| "--latency-ms: bad range".to_string())?;
                        faults.push(FaultRule::new(
                            "*",
                            FaultKind::Latency {
                                min_ms: min,
                                max_ms: max,
                            },
                        ));
                    }
                    None => {
                        c.latency_ms = v
                            .parse()
                            .map_err(|_| "--latency-ms: not a number".to_string())?
                    }
                }
            }
            "--token-lifetime" => c.token_lifetime_s = num(flag, it.next())?,
            "--timestamp-window-ms" => c.timestamp_window_ms = num(flag, it.next())?,
            "--task-types" => {
                c.task_types = match text(flag, it.next())?.as_str() {
                    "160" | "1.6.0" => TaskTypeMap::Plugin160,
                    "12" | "1.2" => TaskTypeMap::Plugin12,
                    other => return Err(format!("--task-types: unknown {other:?}")),
                }
            }
            "--no-refresh-token" => c.refresh_returns_refresh_token = false,
            "--max-page-size" => c.max_page_size = num(flag, it.next())?,
            "--workers" => c.worker_threads = num(flag, it.next())?,
            "--uc-username" => c.uc.username = text(flag, it.next())?,
            "--uc-password" => c.uc.password = text(flag, it.next())?,
            "--uc-client-id" => c.uc.client_id = text(flag, it.next())?,
            "--uc-client-secret" => c.uc.client_secret = text(flag, it.next())?,
            "--gwn-app-id" => c.gwn.app_id = text(flag, it.next())?,
            "--gwn-secret" => c.gwn.secret_key = text(flag, it.next())?,
            "--upgrade-delay-s" => c.upgrade_delay_s = num(flag, it.next())?,
            "--chaos-ms" => c.chaos_interval_ms = Some(num(flag, it.next())?),
            "--rate-limit" => c.rate_limit_per_s = Some(num(flag, it.next())?),
            "--webhook-url" => c.webhook_url = Some(text(flag, it.next())?),
            "--webhook-secret" => c.webhook_secret = Some(text(flag, it.next())?),
            "--fault" => {
                let j = text(flag, it.next())?;
                faults.push(serde_json::from_str(&j).map_err(|e| format!("--fault: {e}"))?);
            }
            other => return Err(format!("unknown option {other:?}; try `gdms-sim help`")),
        }
    }
    if c.max_page_size == 0 {
        return Err("--max-page-size must be at least 1".into());
    }
    Ok((c, faults))
}

fn serve(args: &[String]) -> Result<(), String> {
    let (config, faults) = parse_serve(args)?;
    let sim = Sim::spawn(config).map_err(|e| e.to_string())?;
    for f in faults {
        sim.add_fault(f);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", sim.describe()).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    loop {
        std::thread::park();
    }
}

const CTL_TIMEOUT: Duration = Duration::from_secs(30);

fn ctl(args: &[String]) -> Result<(), String> {
    let base = args
        .first()
        .ok_or("ctl needs the admin URI (e.g. http://127.0.0.1:PORT/__admin)")?;
    // The admin root, or the simulator's root URI (then `/__admin` is added).
    let base = base.trim_end_matches('/');
    let base = if base.ends_with("/__admin") {
        base.to_string()
    } else {
        format!("{base}/__admin")
    };
    let cmd = args
        .get(1)
        .map(String::as_str)
        .ok_or("ctl needs a command")?;
    let a = |i: usize| {
        args.get(i + 2)
            .cloned()
            .ok_or_else(|| format!("{cmd}: missing argument {}", i + 1))
    };
    let updown = |s: String| match s.as_str() {
        "up" | "1" | "true" => Ok(true),
        "down" | "0" | "false" => Ok(false),
        other => Err(format!("expected up or down, got {other:?}")),
    };
    let scenario = |v: serde_json::Value| ("POST", "/scenario".to_string(), v.to_string());
    let (method, path, body) = match cmd {
        "info" => ("GET", "/info".into(), String::new()),
        "stats" => ("GET", "/stats".into(), String::new()),
        "stats-reset" => ("POST", "/stats/reset".into(), String::new()),
        "recorded" => ("GET", "/recorded".into(), String::new()),
        "recorded-clear" => ("POST", "/recorded/clear".into(), String::new()),
        "fleet" => ("GET", "/fleet".into(), String::new()),
        "faults" => ("GET", "/faults".into(), String::new()),
        "faults-clear" => ("POST", "/faults/clear".into(), String::new()),
        "fault" => ("POST", "/faults".into(), a(0)?),
        "fault-remove" => ("DELETE", format!("/faults/{}", a(0)?), String::new()),
        "offline" => scenario(json!({"op": "device_offline", "mac": a(0)?})),
        "online" => scenario(json!({"op": "device_online", "mac": a(0)?})),
        "remove" => scenario(json!({"op": "remove_device", "mac": a(0)?})),
        "restore" => scenario(json!({"op": "restore_device", "mac": a(0)?})),
        "link" => scenario(
            json!({"op": "port_link", "mac": a(0)?, "port": num::<u32>("port", Some(&a(1)?))?, "up": updown(a(2)?)?}),
        ),
        "internet" => scenario(
            json!({"op": "port_internet", "mac": a(0)?, "port": num::<u32>("port", Some(&a(1)?))?, "up": updown(a(2)?)?}),
        ),
        "failover" => scenario(json!({"op": "failover", "mac": a(0)?})),
        "add" => {
            let net = match args.get(3) {
                Some(n) => Some(num::<i64>("network-id", Some(n))?),
                None => None,
            };
            scenario(json!({"op": "add_device", "kind": a(0)?, "network_id": net}))
        }
        "firmware" => scenario(
            json!({"op": "firmware", "model": a(0)?, "version": a(1)?, "beta": args.get(4)}),
        ),
        "rotate" => {
            scenario(json!({"op": "rotate_credentials", "cloud": a(0)?, "secret": args.get(3)}))
        }
        "expire" => scenario(json!({"op": "expire_tokens", "cloud": a(0)?})),
        "webhook" => (
            "POST",
            "/webhook".into(),
            json!({"url": a(0)?, "mac": a(1)?, "status": a(2)?, "secret": args.get(5)}).to_string(),
        ),
        "webhook-target" => {
            let url = a(0)?;
            let url = if url == "off" { None } else { Some(url) };
            scenario(json!({"op": "set_webhook", "url": url, "secret": args.get(3)}))
        }
        "scenario" => ("POST", "/scenario".into(), a(0)?),
        other => {
            return Err(format!(
                "unknown ctl command {other:?}; try `gdms-sim help`"
            ))
        }
    };
    let url = format!("{base}{path}");
    let resp = match method {
        "GET" => get(&url, CTL_TIMEOUT),
        "DELETE" => gdms_sim::http_client::request("DELETE", &url, &[], b"", CTL_TIMEOUT),
        _ => post_json(&url, &body, CTL_TIMEOUT),
    }
    .map_err(|e| e.to_string())?;
    println!("{}", resp.body_text());
    if (200..300).contains(&resp.status) {
        Ok(())
    } else {
        Err(format!("admin API answered HTTP {}", resp.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn serve_options() {
        let (c, f) = parse_serve(&s(&[
            "--port",
            "0",
            "--networks",
            "12",
            "--devices",
            "300",
            "--seed",
            "7",
            "--latency-ms",
            "10..50",
            "--task-types",
            "12",
        ]))
        .unwrap();
        assert_eq!((c.networks, c.devices, c.seed), (12, 300, 7));
        assert_eq!(c.task_types, TaskTypeMap::Plugin12);
        assert_eq!(
            f[0].kind,
            FaultKind::Latency {
                min_ms: 10,
                max_ms: 50
            }
        );
        let (c, _) = parse_serve(&s(&["--latency-ms", "25"])).unwrap();
        assert_eq!(c.latency_ms, 25);
        assert!(parse_serve(&s(&["--bogus"])).is_err());
        let path =
            std::env::temp_dir().join(format!("gdms-sim-config-{}.json", std::process::id()));
        std::fs::write(
            &path,
            r#"{"networks": 7, "gwn": {"app_id": "1", "secret_key": "k"}}"#,
        )
        .unwrap();
        let p = path.to_string_lossy().to_string();
        let (c, _) = parse_serve(&s(&["--config", &p, "--seed", "9"])).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            (c.networks, c.seed, c.gwn.app_id.as_str(), c.devices),
            (7, 9, "1", 30)
        );
        assert!(parse_serve(&s(&["--devices"])).is_err());
        assert!(parse_serve(&s(&["--fault", "{\"kind\":\"nope\"}"])).is_err());
    }
}
