//! The one error type of the simulator's library and admin API.

use std::fmt;

/// Why a simulator control or push failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    /// The text is not a MAC in any known spelling.
    InvalidMac(String),
    /// No device with this MAC (in the live fleet, or among removed ones).
    UnknownDevice(String),
    /// The device has no port with this id (or no WAN port to fail over).
    UnknownPort(String, u32),
    /// No network with this id.
    UnknownNetwork(i64),
    /// A parameter is not acceptable (unknown kind, empty version…).
    BadRequest(String),
    /// The server could not be started.
    Start(String),
    /// An HTTP exchange (webhook push, `ctl`) failed.
    Http(String),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::InvalidMac(m) => write!(f, "invalid MAC address: {m:?}"),
            SimError::UnknownDevice(m) => write!(f, "no such device: {m}"),
            SimError::UnknownPort(m, p) => write!(f, "device {m} has no port {p}"),
            SimError::UnknownNetwork(n) => write!(f, "no such network: {n}"),
            SimError::BadRequest(m) => write!(f, "bad request: {m}"),
            SimError::Start(m) => write!(f, "simulator could not start: {m}"),
            SimError::Http(m) => write!(f, "HTTP exchange failed: {m}"),
        }
    }
}

impl std::error::Error for SimError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(
            SimError::UnknownPort("c0:74:ad:00:00:01".into(), 9).to_string(),
            "device c0:74:ad:00:00:01 has no port 9"
        );
        assert_eq!(
            SimError::InvalidMac("x".into()).to_string(),
            "invalid MAC address: \"x\""
        );
        assert_eq!(
            SimError::UnknownNetwork(5).to_string(),
            "no such network: 5"
        );
    }
}
