//! Subscription filters: an optional ITIL category and an optional title
//! regex. Both must pass when both are set.
//!
//! The regex is case-sensitive, written without delimiters, and evaluated
//! with the `regex` crate: linear time in the subject's length whatever the
//! pattern (no backtracking, so no catastrophic pattern), with size limits on
//! the compiled program so a huge pattern is refused on save.

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

/// Longest pattern accepted, characters.
pub const MAX_PATTERN_CHARS: usize = 500;
const SIZE_LIMIT: usize = 1 << 20;

/// The filters of one subscription.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Filter {
    /// ITIL category the ticket must have; 0 = any.
    #[serde(default)]
    pub itilcategories_id: i64,
    /// Pattern the subject must match; empty = any.
    #[serde(default)]
    pub title_regex: String,
}

/// Compiles a pattern; `None` for an empty one.
///
/// # Errors
/// A message for the administrator: too long, invalid, or too large once compiled.
pub fn compile(pattern: &str) -> Result<Option<Regex>, String> {
    if pattern.is_empty() {
        return Ok(None);
    }
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(format!(
            "the pattern is longer than {MAX_PATTERN_CHARS} characters"
        ));
    }
    RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .map(Some)
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "the pattern is too large once compiled".to_string(),
            other => other.to_string(),
        })
}

/// `""` when the pattern is usable, else why not (for the form).
pub fn check(pattern: &str) -> String {
    compile(pattern).err().unwrap_or_default()
}

/// Whether an event passes. `category` is `Some(id)` for ticket events
/// (0 = the ticket has none) and `None` for device events, which a category
/// filter never passes.
///
/// # Errors
/// The pattern does not compile (a value stored before validation existed).
pub fn matches(filter: &Filter, category: Option<i64>, subject: &str) -> Result<bool, String> {
    if filter.itilcategories_id > 0 && category != Some(filter.itilcategories_id) {
        return Ok(false);
    }
    Ok(match compile(&filter.title_regex)? {
        None => true,
        Some(re) => re.is_match(subject),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(cat: i64, re: &str) -> Filter {
        Filter {
            itilcategories_id: cat,
            title_regex: re.into(),
        }
    }

    #[test]
    fn both_filters_must_pass() {
        assert_eq!(matches(&f(0, ""), Some(0), "x"), Ok(true));
        assert_eq!(matches(&f(2, ""), Some(2), "x"), Ok(true));
        assert_eq!(matches(&f(2, ""), Some(3), "x"), Ok(false));
        assert_eq!(
            matches(&f(2, "^\\[GDMS\\]"), Some(2), "[GDMS] AP down"),
            Ok(true)
        );
        assert_eq!(matches(&f(2, "^\\[GDMS\\]"), Some(2), "AP down"), Ok(false));
        assert_eq!(matches(&f(0, "a|b"), Some(0), "b"), Ok(true));
    }

    #[test]
    fn regex_is_case_sensitive() {
        assert_eq!(matches(&f(0, "Router"), Some(0), "router down"), Ok(false));
        assert_eq!(
            matches(&f(0, "(?i)Router"), Some(0), "router down"),
            Ok(true)
        );
    }

    #[test]
    fn invalid_and_oversized_patterns_are_refused() {
        assert_ne!(check("("), "");
        assert_ne!(check(&"a".repeat(501)), "");
        assert_ne!(check("(a{1000}){1000}"), "");
        assert_eq!(check(""), "");
        assert_eq!(check("^Printer [0-9]+$"), "");
    }

    #[test]
    fn pathological_patterns_run_in_linear_time() {
        let subject = "a".repeat(100_000);
        let t = std::time::Instant::now();
        assert_eq!(matches(&f(0, "(a+)+$b"), Some(0), &subject), Ok(false));
        assert_eq!(matches(&f(0, "(a|aa)+c"), Some(0), &subject), Ok(false));
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }
}
