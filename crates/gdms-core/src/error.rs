//! The one error type of the crate.
//!
//! Messages are written for the administrator who reads them in the GLPI log or
//! on the configuration page: they say what failed and what to check.

use thiserror::Error;

/// Every failure gdms-core can report.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum GdmsError {
    /// A JSON document handed in by the PHP shell did not have the documented shape.
    #[error("invalid {what} document: {detail}")]
    InvalidInput {
        /// Which document (e.g. "fetch request", "plan input").
        what: &'static str,
        /// serde's description of the first problem, with its line and column.
        detail: String,
    },
    /// A MAC address that is not 12 hex digits once separators are removed.
    #[error("'{0}' is not a MAC address (expected 12 hexadecimal digits, separators ':' '-' '.' allowed)")]
    InvalidMac(String),
    /// A configuration value outside its documented range.
    #[error("configuration value '{field}' is invalid: {reason}")]
    InvalidConfig {
        /// The configuration field.
        field: &'static str,
        /// What is wrong with it and what is allowed.
        reason: String,
    },
}

impl GdmsError {
    /// Wraps a serde_json error for the named input document.
    pub fn invalid_input(what: &'static str, err: &serde_json::Error) -> Self {
        GdmsError::InvalidInput {
            what,
            detail: err.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_problem() {
        let e = GdmsError::InvalidMac("zz".into());
        assert_eq!(
            e.to_string(),
            "'zz' is not a MAC address (expected 12 hexadecimal digits, separators ':' '-' '.' allowed)"
        );
        let err = serde_json::from_str::<u32>("x").unwrap_err();
        let e = GdmsError::invalid_input("plan input", &err);
        assert!(e
            .to_string()
            .starts_with("invalid plan input document: expected value"));
    }
}
