//! When a failed delivery is tried again.
//!
//! After the n-th failed attempt the next one waits `SCHEDULE_S[n-1]`
//! seconds, plus or minus [`JITTER`] of it so that a receiver that comes
//! back is not hit by every queued message in the same second. After the
//! last step the message is dead-lettered (kept, no longer sent; an
//! operator may replay it).

/// Waits after the 1st, 2nd, ... failed attempt: 1 min, 5 min, 30 min,
/// 2 h, 6 h, 12 h, 24 h (8 attempts over about 45 h).
pub const SCHEDULE_S: [i64; 7] = [60, 300, 1_800, 7_200, 21_600, 43_200, 86_400];
/// Relative jitter: a wait of `d` becomes a value in `[d*(1-J), d*(1+J))`.
pub const JITTER: f64 = 0.1;
/// Attempts before a message is dead-lettered.
pub const MAX_ATTEMPTS: u32 = SCHEDULE_S.len() as u32 + 1;

/// Seconds to wait after `failed_attempts` failures (1-based), with `unit` in
/// `[0, 1)` choosing the jitter; `None` when the message is dead.
pub fn delay_s(failed_attempts: u32, unit: f64) -> Option<i64> {
    let i = usize::try_from(failed_attempts.checked_sub(1)?).ok()?;
    let base = *SCHEDULE_S.get(i)? as f64;
    let factor = 1.0 - JITTER + 2.0 * JITTER * unit.clamp(0.0, 1.0);
    Some((base * factor).round().max(1.0) as i64)
}

/// [`delay_s`] with OS randomness.
pub fn delay_random_s(failed_attempts: u32) -> Option<i64> {
    delay_s(failed_attempts, super::random::unit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_grows_then_dead_letters() {
        let mid: Vec<i64> = (1..=7).map(|n| delay_s(n, 0.5).unwrap()).collect();
        assert_eq!(mid, SCHEDULE_S.to_vec());
        assert_eq!(delay_s(8, 0.5), None);
        assert_eq!(delay_s(0, 0.5), None);
        assert_eq!(MAX_ATTEMPTS, 8);
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        assert_eq!(delay_s(1, 0.0), Some(54));
        assert_eq!(delay_s(1, 0.999_999), Some(66));
        for _ in 0..100 {
            let d = delay_random_s(4).unwrap();
            assert!((6_480..=7_920).contains(&d), "{d}");
        }
    }
}
