//! Availability from daily roll-ups, and SLA tiers.
//!
//! Each fresh observation adds the interval since the device's previous
//! observation to that device's daily rows (`online_s`, `observed_s`), split at
//! UTC midnight. The interval is attributed to the status seen at its START
//! (the last thing known until now) and counted only up to a cap (twice the
//! refresh interval): a cron stopped for a day adds at most the cap, so the
//! gap counts as neither online nor offline time (the reference counted raw
//! samples, biased by manual syncs and page refreshes, weakness 14).
//!
//! Availability over a window of N days = Σ online_s / Σ observed_s of the
//! device's rows for the last N UTC days (today included): at most 365 rows,
//! never raw samples. No observed time = "no data", not 0 % Critical.
//! The dashboard and the Excel export call [`availability`] and
//! [`SlaTier::from_availability`], so both show the same figure.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::device::DeviceKey;
use super::text::day_string;

const DAY: i64 = 86_400;

/// A UTC day, as days since 1970-01-01; JSON `"YYYY-MM-DD"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub i64);

impl Day {
    /// The UTC day of an epoch second.
    pub fn of(epoch: i64) -> Day {
        Day(epoch.div_euclid(DAY))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&day_string(self.0))
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_day(&text)
            .map(Day)
            .ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a YYYY-MM-DD day")))
    }
}

/// Seconds to ADD to one device's row of one UTC day
/// (`INSERT … ON DUPLICATE KEY UPDATE online_seconds = online_seconds + …`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollupDelta {
    /// Device.
    pub device_key: DeviceKey,
    /// UTC day, `YYYY-MM-DD`.
    pub day: Day,
    /// Seconds online to add.
    pub online_s: u32,
    /// Seconds observed to add.
    pub observed_s: u32,
}

/// One stored daily row of one device, as read back for availability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyRollup {
    /// UTC day, `YYYY-MM-DD`.
    pub day: Day,
    /// Seconds online that day.
    pub online_s: u64,
    /// Seconds observed that day.
    pub observed_s: u64,
}

/// Splits the observed interval `[start, min(end, start + cap))` at UTC
/// midnights: `(day number, online seconds, observed seconds)` per day.
/// Empty when `end <= start`.
///
/// # Examples
/// ```
/// use gdms_core::engine::availability::split_interval;
/// // 23:50 → 00:10 online: 600 s on each day.
/// let d = 20_000 * 86_400;
/// assert_eq!(split_interval(d - 600, d + 600, true, 3_600),
///            vec![(19_999, 600, 600), (20_000, 600, 600)]);
/// ```
pub fn split_interval(start: i64, end: i64, online: bool, cap: i64) -> Vec<(i64, u32, u32)> {
    let end = end.min(start.saturating_add(cap.max(0)));
    let mut out = Vec::new();
    let mut t = start;
    while t < end {
        let day = t.div_euclid(DAY);
        let next = ((day + 1) * DAY).min(end);
        let secs = u32::try_from(next - t).unwrap_or(u32::MAX);
        out.push((day, if online { secs } else { 0 }, secs));
        t = next;
    }
    out
}

/// Appends the roll-up additions of one observation to `out`.
pub(crate) fn push_deltas(
    out: &mut Vec<RollupDelta>,
    key: &DeviceKey,
    prev_observed: Option<i64>,
    prev_online: bool,
    now: i64,
    cap: i64,
) {
    let Some(start) = prev_observed else {
        return;
    };
    let end = now.min(start.saturating_add(cap.max(0)));
    let mut t = start;
    while t < end {
        let day = t.div_euclid(DAY);
        let next = ((day + 1) * DAY).min(end);
        let secs = u32::try_from(next - t).unwrap_or(u32::MAX);
        out.push(RollupDelta {
            device_key: key.clone(),
            day: Day(day),
            online_s: if prev_online { secs } else { 0 },
            observed_s: secs,
        });
        t = next;
    }
}

#[cfg(test)]
pub(crate) fn deltas(
    key: &DeviceKey,
    prev_observed: Option<i64>,
    prev_online: bool,
    now: i64,
    cap: i64,
) -> Vec<RollupDelta> {
    let mut v = Vec::new();
    push_deltas(&mut v, key, prev_observed, prev_online, now, cap);
    v
}

/// Day number (days since 1970-01-01) of `YYYY-MM-DD`; `None` when malformed.
pub fn parse_day(day: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some((d - epoch).num_days())
}

/// Availability percentage (0–100) of one device over the last `window_days`
/// UTC days ending today (clamped to 1–365), or `None` when nothing was
/// observed in the window. Rows outside the window are ignored.
///
/// # Examples
/// ```
/// use gdms_core::engine::availability::{availability, DailyRollup, Day};
/// let now = 20_000 * 86_400 + 3_600;
/// let rows = [DailyRollup { day: Day(20_000), online_s: 999, observed_s: 1000 }];
/// assert_eq!(availability(&rows, 7, now), Some(99.9));
/// assert_eq!(availability(&[], 7, now), None);
/// ```
pub fn availability(rollups: &[DailyRollup], window_days: u16, now: i64) -> Option<f64> {
    let today = now.div_euclid(DAY);
    let first = today - i64::from(window_days.clamp(1, 365)) + 1;
    let (mut online, mut observed) = (0u64, 0u64);
    for r in rollups {
        if (first..=today).contains(&r.day.0) {
            online = online.saturating_add(r.online_s.min(r.observed_s));
            observed = observed.saturating_add(r.observed_s);
        }
    }
    (observed > 0).then(|| online as f64 * 100.0 / observed as f64)
}

/// SLA tier of an availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaTier {
    /// ≥ 99.9 %.
    Gold,
    /// ≥ 99.0 %.
    Silver,
    /// ≥ 95.0 %.
    Bronze,
    /// < 95.0 %.
    Critical,
    /// Never observed in the window.
    NoData,
}

impl SlaTier {
    /// Tier of a percentage.
    ///
    /// # Examples
    /// ```
    /// use gdms_core::engine::availability::SlaTier;
    /// assert_eq!(SlaTier::from_percent(99.9), SlaTier::Gold);
    /// assert_eq!(SlaTier::from_percent(99.89), SlaTier::Silver);
    /// assert_eq!(SlaTier::from_percent(94.99), SlaTier::Critical);
    /// ```
    pub fn from_percent(p: f64) -> SlaTier {
        if p >= 99.9 {
            SlaTier::Gold
        } else if p >= 99.0 {
            SlaTier::Silver
        } else if p >= 95.0 {
            SlaTier::Bronze
        } else {
            SlaTier::Critical
        }
    }

    /// Tier of an [`availability`] result: `None` → [`SlaTier::NoData`].
    pub fn from_availability(p: Option<f64>) -> SlaTier {
        p.map_or(SlaTier::NoData, SlaTier::from_percent)
    }

    /// Sort rank: Gold 0 … Critical 3, no data 4.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// What PHP deletes this cycle: samples and daily rows older than the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Delete daily rows with `day <` this (`YYYY-MM-DD`).
    pub purge_before_day: String,
    /// Delete samples with `date <` this instant, epoch s (midnight of that day).
    pub purge_samples_before: i64,
}

/// Retention for a window of `window_days` ending today.
pub fn retention(window_days: u16, now: i64) -> Retention {
    let first = now.div_euclid(DAY) - i64::from(window_days.clamp(1, 365)) + 1;
    Retention {
        purge_before_day: day_string(first),
        purge_samples_before: first * DAY,
    }
}

#[cfg(test)]
mod tests;
