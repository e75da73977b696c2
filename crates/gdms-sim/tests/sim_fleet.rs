//! Same seed, same fleet, as seen through the API; and the mix the brief asks for.

mod sim_support;

use gdms_sim::fleet::{GwnKind, UcKind};
use gdms_sim::SimConfig;
use serde_json::Value;
use sim_support::*;

fn cfg(seed: u64) -> SimConfig {
    SimConfig {
        seed,
        networks: 4,
        devices: 120,
        ..SimConfig::default()
    }
}

/// Rows minus the fields that move with the clock.
fn stable(rows: Vec<Value>) -> Vec<Value> {
    rows.into_iter()
        .map(|mut r| {
            if let Some(o) = r.as_object_mut() {
                for k in [
                    "upTime", "lastSeen", "lastTime", "upload", "download", "usage",
                ] {
                    o.remove(k);
                }
            }
            r
        })
        .collect()
}

fn snapshot(seed: u64) -> (Vec<Value>, Vec<Value>) {
    let sim = spawn_with(cfg(seed));
    let g = gwn_token(&sim);
    let u = uc_token(&sim);
    let mut gwn = Vec::new();
    for net in 12345..12349 {
        gwn.extend(gwn_all(&sim, &g, "ap/list", net, 100));
    }
    let uc = rows(
        &envelope(&uc_call(
            &sim,
            &u,
            "device/list",
            r#"{"pageNum":1,"pageSize":200}"#,
        ))
        .1,
    );
    (stable(gwn), stable(uc))
}

#[test]
fn same_seed_same_api_answers() {
    let a = snapshot(4);
    let b = snapshot(4);
    assert_eq!(a, b);
    let c = snapshot(5);
    assert_ne!(a.0, c.0);
    assert_ne!(a.1, c.1);
    assert_eq!(spawn_with(cfg(9)).fleet(), spawn_with(cfg(9)).fleet());
}

#[test]
fn the_mix() {
    let sim = spawn_with(SimConfig {
        networks: 12,
        devices: 300,
        seed: 1,
        ..SimConfig::default()
    });
    let f = sim.fleet();
    assert_eq!(f.networks.len(), 12);
    assert_eq!(f.gwn.len() + f.uc.len(), 300);
    for n in &f.networks {
        assert_eq!(
            f.gwn_in(n.id)
                .iter()
                .filter(|d| d.kind == GwnKind::Router)
                .count(),
            1
        );
    }
    assert!(f.gwn.iter().filter(|d| d.kind == GwnKind::Router).all(|r| r
        .router_ports
        .iter()
        .filter(|p| p.wan)
        .count()
        == 2
        && r.router_ports.iter().any(|p| !p.wan)));
    assert!(f
        .gwn
        .iter()
        .any(|d| d.kind == GwnKind::Switch && !d.switch_ports.is_empty()));
    assert!(f
        .gwn
        .iter()
        .any(|d| d.kind == GwnKind::Ap && !d.clients.is_empty()));
    assert!(
        f.uc.iter().any(|d| d.kind == UcKind::Pbx) && f.uc.iter().any(|d| d.kind == UcKind::Phone)
    );
    assert!(
        f.gwn.iter().any(|d| !d.online),
        "some devices start offline"
    );
    let random = spawn_with(SimConfig {
        networks: 12,
        devices: 300,
        one_router_per_network: false,
        ..SimConfig::default()
    })
    .fleet();
    let per_net: Vec<usize> = random
        .networks
        .iter()
        .map(|n| {
            random
                .gwn_in(n.id)
                .iter()
                .filter(|d| d.kind == GwnKind::Router)
                .count()
        })
        .collect();
    assert!(per_net.iter().any(|&c| c != 1), "{per_net:?}");
}
