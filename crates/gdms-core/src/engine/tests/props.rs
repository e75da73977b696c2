//! Property tests over random fleets and histories.

use proptest::prelude::*;

use super::fixtures::*;
use crate::engine::plan::plan;
use crate::snapshot::{CloudDevice, CloudStatus, Internet, PortsFetch};

/// (device number, online, (link, internet) per port).
type Obs = (u32, bool, Vec<(bool, u8)>);

/// One random device observation: (device number 0..12, online, port states).
/// Devices 0–5 are phones, 6–11 routers whose ports are given (1–2 WAN ports).
fn arb_obs() -> impl Strategy<Value = Obs> {
    (
        0u32..12,
        any::<bool>(),
        proptest::collection::vec((any::<bool>(), 0u8..3), 1..3),
    )
}

fn inet(n: u8) -> Internet {
    [Internet::Up, Internet::Down, Internet::Unknown][usize::from(n % 3)]
}

fn build(obs: &[Obs]) -> Vec<CloudDevice> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (n, online, ports) in obs {
        if !seen.insert(*n) {
            continue;
        }
        let d = match (*n >= 6).then_some(ports) {
            Some(ps) => {
                let ports = ps
                    .iter()
                    .enumerate()
                    .map(|(i, (l, c))| port(&i.to_string(), true, *l, inet(*c)))
                    .collect();
                let mut r = router(*n, ports);
                r.status = if *online {
                    CloudStatus::Online
                } else {
                    CloudStatus::Offline
                };
                r
            }
            None => dev(*n, "GRP2612W", *online),
        };
        out.push(d);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn same_snapshot_twice_opens_nothing_new(cycles in proptest::collection::vec(proptest::collection::vec(arb_obs(), 0..10), 1..5)) {
        let mut w = World::new();
        for c in &cycles {
            w.cycle(snap(build(c)));
        }
        let last = snap(build(cycles.last().unwrap()));
        w.cycle(last.clone());
        let p = w.cycle(last);
        prop_assert!(p.incidents.open.is_empty(), "{:?}", p.incidents.open);
        prop_assert!(p.assets.create.is_empty());
    }

    #[test]
    fn partial_snapshot_never_purges_nor_decides_for_missing_devices(
        first in proptest::collection::vec(arb_obs(), 1..10),
        keep in proptest::collection::vec(any::<bool>(), 12),
    ) {
        let mut w = World::new();
        w.cycle(snap(build(&first)));
        let before = w.incidents.clone();
        let kept: Vec<CloudDevice> = build(&first).into_iter().enumerate().filter(|(i, _)| keep[*i % 12]).map(|(_, d)| d).collect();
        let mut s = snap(kept.clone());
        for r in &mut s.sources {
            r.complete = false;
        }
        let p = plan(w.input(s));
        prop_assert!(p.purge.is_empty());
        let listed: std::collections::HashSet<_> = kept.iter().map(|d| d.mac.unwrap()).collect();
        for d in p.devices.iter().filter(|d| !listed.contains(&d.mac.unwrap())) {
            prop_assert!(d.is_stale);
            prop_assert!(p.incidents.open.iter().all(|o| o.device_key != d.device_key));
            prop_assert!(p.incidents.resolve.iter().all(|r| r.device_key != d.device_key));
            prop_assert!(p.samples.iter().all(|s| s.device_key != d.device_key));
        }
        prop_assert_eq!(p.devices.len(), w.devices.len());
        // And an unchanged partial snapshot changes no incident at all.
        let mut s = snap(build(&first));
        for r in &mut s.sources {
            r.complete = false;
        }
        w.cycle(s);
        prop_assert_eq!(w.incidents.len(), before.len());
    }

    #[test]
    fn every_open_incident_resolves_when_devices_recover(
        cycles in proptest::collection::vec(proptest::collection::vec(arb_obs(), 0..10), 1..6),
        toggles in any::<bool>(),
    ) {
        let mut w = World::new();
        for c in &cycles {
            w.cfg.wan_tickets_enabled = toggles;
            w.cfg.tickets_router = !toggles;
            w.cycle(snap(build(c)));
        }
        // Everything ever seen comes back: online, every port link up + internet up.
        // (Last observation of each device, so a router is still a router.)
        let all: Vec<_> = cycles.iter().flatten().rev().cloned().collect();
        let mut healthy = build(&all);
        for d in &mut healthy {
            d.status = CloudStatus::Online;
            if let PortsFetch::Fetched { ports } = &mut d.ports {
                for p in ports { p.link_up = true; p.internet = Internet::Up; }
            }
        }
        w.cycle(snap(healthy));
        prop_assert!(w.incidents.is_empty(), "{:?}", w.incidents);
    }
}
