//! The WAN state machine over every pair of (link, internet) observations.

use super::*;
use crate::engine::tests_support::*;

const OBS: [(bool, Internet); 6] = [
    (false, Internet::Up),
    (false, Internet::Down),
    (false, Internet::Unknown),
    (true, Internet::Up),
    (true, Internet::Down),
    (true, Internet::Unknown),
];

/// The incident expected open on the port after observing `b` right after `a`
/// (debounce 0, one cycle).
fn expected_after(a: (bool, Internet), b: (bool, Internet)) -> Option<IncidentKind> {
    match WanCondition::of(b.0, b.1) {
        WanCondition::LinkDown => Some(IncidentKind::WanLinkDown),
        WanCondition::NoInternet => Some(IncidentKind::WanNoInternet),
        WanCondition::Healthy => None,
        WanCondition::Unverified => (WanCondition::of(a.0, a.1) == WanCondition::NoInternet)
            .then_some(IncidentKind::WanNoInternet),
    }
}

#[test]
fn every_pair_of_observations_then_recovery_ends_resolved() {
    for a in OBS {
        for b in OBS {
            let mut w = World::new();
            let k = key(1);
            w.cycle(snap(vec![router(1, vec![port("1", true, a.0, a.1)])]));
            w.cycle(snap(vec![router(1, vec![port("1", true, b.0, b.1)])]));
            let open: Vec<_> = w.open_kinds(&k).into_iter().map(|(_, kind)| kind).collect();
            assert_eq!(
                open,
                expected_after(a, b).into_iter().collect::<Vec<_>>(),
                "{a:?} → {b:?}"
            );
            w.cycle(snap(vec![router(
                1,
                vec![port("1", true, true, Internet::Up)],
            )]));
            assert!(
                w.open_kinds(&k).is_empty(),
                "{a:?} → {b:?} → up: incident left open"
            );
        }
    }
}

#[test]
fn every_sequence_of_three_ends_resolved_and_never_two_open() {
    // World::apply asserts "never two open records per port" after each cycle.
    for a in OBS {
        for b in OBS {
            for c in OBS {
                let mut w = World::new();
                for o in [a, b, c, (true, Internet::Up)] {
                    w.cycle(snap(vec![router(
                        1,
                        vec![
                            port("1", true, o.0, o.1),
                            port("2", true, true, Internet::Up),
                        ],
                    )]));
                }
                assert!(w.incidents.is_empty(), "{a:?} {b:?} {c:?}");
            }
        }
    }
}

#[test]
fn first_seen_port_counts_from_its_first_cycle() {
    let d = Debounce {
        cycles: 1,
        no_internet_seconds: 0,
    };
    let s = step(None, false, Internet::Unknown, None, 10, d, true);
    assert_eq!(
        (s.open, s.event),
        (Some(IncidentKind::WanLinkDown), Some(EventKind::WanDown))
    );
    let s = step(None, true, Internet::Down, None, 10, d, true);
    assert_eq!(s.open, Some(IncidentKind::WanNoInternet));
    let s = step(None, true, Internet::Up, None, 10, d, true);
    assert_eq!((s.open, s.event), (None, None));
}

#[test]
fn unknown_internet_never_opens_nor_resolves_no_internet() {
    let d = Debounce {
        cycles: 1,
        no_internet_seconds: 0,
    };
    let prev = WanPortState {
        condition: WanCondition::NoInternet,
        since: 0,
        cycles: 3,
    };
    let s = step(
        Some(&prev),
        true,
        Internet::Unknown,
        Some(IncidentKind::WanNoInternet),
        10,
        d,
        true,
    );
    assert_eq!((s.resolve, s.open), (None, None));
    let s = step(None, true, Internet::Unknown, None, 10, d, true);
    assert_eq!((s.resolve, s.open), (None, None));
}

#[test]
fn no_internet_debounce_counts_seconds_from_the_first_observation() {
    let d = Debounce {
        cycles: 1,
        no_internet_seconds: 300,
    };
    let s1 = step(None, true, Internet::Down, None, 1000, d, true);
    assert_eq!(s1.open, None);
    let s2 = step(Some(&s1.state), true, Internet::Down, None, 1299, d, true);
    assert_eq!(s2.open, None);
    let s3 = step(Some(&s2.state), true, Internet::Down, None, 1300, d, true);
    assert_eq!(s3.open, Some(IncidentKind::WanNoInternet));
    assert_eq!(s3.state.since, 1000);
    // Link-down is debounced by cycles only.
    let s = step(None, false, Internet::Down, None, 1000, d, true);
    assert_eq!(s.open, Some(IncidentKind::WanLinkDown));
}

#[test]
fn conversions_are_immediate_and_disabled_tickets_still_resolve() {
    let d = Debounce {
        cycles: 3,
        no_internet_seconds: 3600,
    };
    let down = WanPortState {
        condition: WanCondition::LinkDown,
        since: 0,
        cycles: 5,
    };
    let s = step(
        Some(&down),
        true,
        Internet::Down,
        Some(IncidentKind::WanLinkDown),
        10,
        d,
        true,
    );
    assert_eq!(s.resolve, Some(ResolveReason::WanLinkBackNoInternet));
    assert_eq!(s.open, Some(IncidentKind::WanNoInternet));
    let s = step(
        Some(&down),
        true,
        Internet::Up,
        Some(IncidentKind::WanLinkDown),
        10,
        d,
        false,
    );
    assert_eq!(
        (s.resolve, s.open),
        (Some(ResolveReason::WanRecovered), None)
    );
    let s = step(
        Some(&down),
        true,
        Internet::Down,
        Some(IncidentKind::WanLinkDown),
        10,
        d,
        false,
    );
    assert_eq!(
        (s.resolve, s.open),
        (Some(ResolveReason::WanLinkBackNoInternet), None)
    );
}

#[test]
fn port_that_disappears_has_its_incident_resolved() {
    let mut w = World::new();
    w.cycle(snap(vec![router(
        1,
        vec![
            port("1", true, false, Internet::Down),
            port("2", true, true, Internet::Up),
        ],
    )]));
    let p = w.cycle(snap(vec![router(
        1,
        vec![port("2", true, true, Internet::Up)],
    )]));
    assert_eq!(p.incidents.resolve[0].reason, ResolveReason::WanPortGone);
    assert!(w.incidents.is_empty());
}
