//! Availability edge cases: midnight split, cap, window, no data, tier edges.

use super::*;
use crate::engine::tests_support::key;

const D: i64 = 20_000; // 2024-10-04
fn at(day: i64, secs: i64) -> i64 {
    day * DAY + secs
}
fn row(day: i64, online: u64, observed: u64) -> DailyRollup {
    DailyRollup {
        day: Day(day),
        online_s: online,
        observed_s: observed,
    }
}

#[test]
fn interval_is_split_at_utc_midnight() {
    let v = deltas(&key(1), Some(at(D, 86_100)), true, at(D + 1, 200), 3_600);
    assert_eq!(v.len(), 2);
    assert_eq!(
        (
            v[0].day.to_string().as_str(),
            v[0].online_s,
            v[0].observed_s
        ),
        ("2024-10-04", 300, 300)
    );
    assert_eq!(
        (
            v[1].day.to_string().as_str(),
            v[1].online_s,
            v[1].observed_s
        ),
        ("2024-10-05", 200, 200)
    );
    // Offline intervals count as observed only.
    let v = deltas(&key(1), Some(at(D, 0)), false, at(D, 60), 3_600);
    assert_eq!((v[0].online_s, v[0].observed_s), (0, 60));
}

#[test]
fn interval_is_capped_and_first_observation_adds_nothing() {
    let v = split_interval(at(D, 0), at(D + 3, 0), true, 600);
    assert_eq!(v, vec![(D, 600, 600)]);
    assert!(deltas(&key(1), None, true, at(D, 0), 600).is_empty());
    assert!(split_interval(at(D, 10), at(D, 10), true, 600).is_empty());
    assert!(
        split_interval(at(D, 10), at(D, 0), true, 600).is_empty(),
        "clock going back adds nothing"
    );
    // A cap spanning midnight still splits.
    assert_eq!(
        split_interval(at(D, 86_000), at(D + 2, 0), false, 1_000),
        vec![(D, 0, 400), (D + 1, 0, 600)]
    );
}

#[test]
fn availability_sums_only_the_window() {
    let now = at(D, 3_600);
    let rows = [
        row(D, 50, 100),
        row(D - 6, 100, 100),
        row(D - 7, 0, 1_000_000),
    ];
    assert_eq!(availability(&rows, 7, now), Some(75.0));
    assert_eq!(
        availability(&rows, 8, now),
        Some(150.0 * 100.0 / 1_000_200.0)
    );
    // Rows in the future are ignored; malformed days do not parse.
    assert!(serde_json::from_str::<Day>("\"nope\"").is_err());
    assert_eq!(serde_json::to_string(&Day(D)).unwrap(), "\"2024-10-04\"");
    let rows = [row(D + 1, 0, 100), row(D, 10, 10)];
    assert_eq!(availability(&rows, 7, now), Some(100.0));
}

#[test]
fn never_observed_is_no_data_not_critical() {
    let now = at(D, 0);
    assert_eq!(availability(&[], 30, now), None);
    assert_eq!(availability(&[row(D, 0, 0)], 30, now), None);
    assert_eq!(SlaTier::from_availability(None), SlaTier::NoData);
    assert_eq!(SlaTier::from_availability(Some(0.0)), SlaTier::Critical);
    assert_eq!(SlaTier::NoData.rank(), 4);
}

#[test]
fn tier_edges() {
    let cases = [
        (100.0, SlaTier::Gold),
        (99.9, SlaTier::Gold),
        (99.899_999, SlaTier::Silver),
        (99.0, SlaTier::Silver),
        (98.999_999, SlaTier::Bronze),
        (95.0, SlaTier::Bronze),
        (94.999_999, SlaTier::Critical),
        (0.0, SlaTier::Critical),
    ];
    for (p, t) in cases {
        assert_eq!(SlaTier::from_percent(p), t, "{p}");
    }
    // Exact ratios land on the edges too.
    let now = at(D, 0);
    for (on, obs, t) in [
        (999, 1000, SlaTier::Gold),
        (99, 100, SlaTier::Silver),
        (19, 20, SlaTier::Bronze),
    ] {
        assert_eq!(
            SlaTier::from_availability(availability(&[row(D, on, obs)], 7, now)),
            t
        );
    }
}

#[test]
fn retention_follows_the_window() {
    let r = retention(7, at(D, 5));
    assert_eq!(r.purge_before_day, day_string(D - 6));
    assert_eq!(r.purge_samples_before, (D - 6) * DAY);
    assert_eq!(
        retention(365, at(D, 5)).purge_before_day,
        day_string(D - 364)
    );
}
