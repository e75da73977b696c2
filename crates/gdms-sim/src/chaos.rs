//! Background "weather" for demos: every interval, a seeded random scenario
//! event (a device drops, a WAN loses link or internet) or the undoing of an
//! earlier one, through the same [`crate::scenario::apply`] as every other
//! control, so alerts and automatic webhooks follow.

use std::sync::Arc;
use std::time::Duration;

use crate::fleet::GwnKind;
use crate::rng::SplitMix64;
use crate::scenario::{apply, Scenario};
use crate::state::{lock, SimState};

/// At most this many events are outstanding before the oldest is undone.
const MAX_OPEN: usize = 3;

/// One step: undo an open event, or start a new one. Returns the event applied.
pub fn step(state: &SimState, rng: &mut SplitMix64, open: &mut Vec<Scenario>) -> Option<Scenario> {
    if !open.is_empty() && (open.len() >= MAX_OPEN || rng.chance(0.4)) {
        let undo = open.remove(0);
        return apply(state, &undo).ok().map(|_| undo);
    }
    let (event, undo) = {
        let fleet = state.fleet();
        let roll = rng.unit();
        if roll < 0.35 {
            let routers: Vec<_> = fleet
                .gwn
                .iter()
                .filter(|d| d.kind == GwnKind::Router && d.online)
                .filter(|d| d.router_ports.iter().any(|p| p.wan && p.link && p.internet))
                .collect();
            if routers.is_empty() {
                return None;
            }
            let r = rng.pick(&routers);
            let p = r
                .router_ports
                .iter()
                .find(|p| p.wan && p.link && p.internet)?;
            let mac = r.mac.to_string();
            if rng.chance(0.5) {
                (
                    Scenario::PortLink {
                        mac: mac.clone(),
                        port: p.port_id,
                        up: false,
                    },
                    Scenario::PortLink {
                        mac,
                        port: p.port_id,
                        up: true,
                    },
                )
            } else {
                (
                    Scenario::PortInternet {
                        mac: mac.clone(),
                        port: p.port_id,
                        up: false,
                    },
                    Scenario::PortInternet {
                        mac,
                        port: p.port_id,
                        up: true,
                    },
                )
            }
        } else {
            let mut candidates: Vec<String> = fleet
                .gwn
                .iter()
                .filter(|d| d.online)
                .map(|d| d.mac.to_string())
                .collect();
            candidates.extend(
                fleet
                    .uc
                    .iter()
                    .filter(|d| d.status == 1)
                    .map(|d| d.mac.to_string()),
            );
            if candidates.is_empty() {
                return None;
            }
            let mac = rng.pick(&candidates).clone();
            (
                Scenario::DeviceOffline { mac: mac.clone() },
                Scenario::DeviceOnline { mac },
            )
        }
    };
    apply(state, &event).ok()?;
    open.push(undo);
    Some(event)
}

/// Runs forever (until the runtime stops), one step per `every`.
pub async fn run(state: Arc<SimState>, every: Duration) {
    let mut rng = SplitMix64::derive(state.config.seed, "chaos");
    let mut open = Vec::new();
    loop {
        tokio::time::sleep(every).await;
        if step(&state, &mut rng, &mut open).is_some() {
            lock(&state.stats).snap.chaos_events += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimConfig;

    #[test]
    fn steps_change_the_fleet_and_undo_themselves() {
        let state = SimState::new(SimConfig {
            networks: 3,
            devices: 40,
            ..SimConfig::default()
        });
        let before = state.fleet().clone();
        let mut rng = SplitMix64::new(3);
        let mut open = Vec::new();
        let events: Vec<Scenario> = (0..20)
            .filter_map(|_| step(&state, &mut rng, &mut open))
            .collect();
        assert!(events.len() >= 10);
        assert!(open.len() <= MAX_OPEN);
        while !open.is_empty() {
            let undo = open.remove(0);
            apply(&state, &undo).unwrap();
        }
        let after = state.fleet();
        let status = |f: &crate::fleet::Fleet| {
            (
                f.gwn
                    .iter()
                    .map(|d| {
                        (
                            d.online,
                            d.router_ports
                                .iter()
                                .map(|p| (p.link, p.internet))
                                .collect::<Vec<_>>(),
                        )
                    })
                    .collect::<Vec<_>>(),
                f.uc.iter().map(|d| d.status).collect::<Vec<_>>(),
            )
        };
        // Abnormal (-1) UC devices are never picked, so everything is back.
        assert_eq!(status(&before), status(&after));
    }
}
