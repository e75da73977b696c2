//! Transition events, for outgoing webhooks and the log.
//!
//! One event per observed transition of a fresh device or port, whatever the
//! ticket toggles and debounce say: a subscriber wants to know the device went
//! down even if no ticket is opened for it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::device::{DeviceKey, DeviceState};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Online (or never seen) → not online.
    DeviceOffline,
    /// Not online → online.
    DeviceOnline,
    /// A WAN port's physical link went down.
    WanDown,
    /// A WAN port's link is up but it lost internet.
    WanNoInternet,
    /// A WAN port is back to link up + internet up.
    WanRecovered,
    /// The cloud offers a newer firmware than the installed one (once per version).
    FirmwareAvailable,
}

impl EventKind {
    /// Dotted name for webhook subscriptions, e.g. `device.offline`.
    pub fn topic(self) -> &'static str {
        match self {
            EventKind::DeviceOffline => "device.offline",
            EventKind::DeviceOnline => "device.online",
            EventKind::WanDown => "wan.down",
            EventKind::WanNoInternet => "wan.no_internet",
            EventKind::WanRecovered => "wan.recovered",
            EventKind::FirmwareAvailable => "firmware.available",
        }
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// To which device.
    pub device_key: DeviceKey,
    /// When it was observed, epoch s.
    pub at: i64,
    /// Context: always `name`, `model`, `category`; WAN events add `port`,
    /// `wan_name`; firmware adds `firmware`, `firmware_latest`; online and
    /// recovery add `outage_s` when known.
    #[serde(default, deserialize_with = "crate::php_compat::map_or_empty_list")]
    pub details: BTreeMap<String, String>,
}

impl Event {
    /// An event about a device, with its `name`, `model` and `category`.
    pub fn about(kind: EventKind, d: &DeviceState, now: i64) -> Event {
        let mut details = BTreeMap::new();
        details.insert("name".to_string(), d.display_name().to_string());
        details.insert("model".to_string(), d.model.clone());
        details.insert("category".to_string(), d.category.as_str().to_string());
        Event {
            kind,
            device_key: d.device_key.clone(),
            at: now,
            details,
        }
    }

    /// Adds one detail.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.details.insert(key.to_string(), value.into());
        self
    }
}

/// `FirmwareAvailable`, once per offered version newer than the installed one.
pub(crate) fn firmware(d: &mut DeviceState, now: i64, out: &mut Vec<Event>) {
    let (Some(latest), Some(fw)) = (d.firmware_latest.as_deref(), d.firmware.as_deref()) else {
        return;
    };
    if latest != fw
        && d.engine_state.firmware_announced.as_deref() != Some(latest)
        && version_newer(latest, fw) == Some(true)
    {
        let latest = latest.to_string();
        out.push(
            Event::about(EventKind::FirmwareAvailable, d, now)
                .with("firmware", fw)
                .with("firmware_latest", latest.clone()),
        );
        d.engine_state.firmware_announced = Some(latest);
    }
}

/// Compares dotted versions numerically (`1.0.10.2` > `1.0.9.9`); a part that
/// is not a number compares as text. `None` when either is empty.
pub fn version_newer(candidate: &str, installed: &str) -> Option<bool> {
    let (a, b) = (candidate.trim(), installed.trim());
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let pa: Vec<&str> = a.split('.').collect();
    let pb: Vec<&str> = b.split('.').collect();
    for i in 0..pa.len().max(pb.len()) {
        let x = pa.get(i).copied().unwrap_or("0");
        let y = pb.get(i).copied().unwrap_or("0");
        let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if ord != std::cmp::Ordering::Equal {
            return Some(ord == std::cmp::Ordering::Greater);
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(version_newer("1.0.10.2", "1.0.9.9"), Some(true));
        assert_eq!(version_newer("1.0.9", "1.0.9.0"), Some(false));
        assert_eq!(version_newer("1.0.7.4", "1.0.7.4"), Some(false));
        assert_eq!(version_newer("1.0.7.3", "1.0.7.4"), Some(false));
        assert_eq!(version_newer("", "1"), None);
        assert_eq!(EventKind::WanNoInternet.topic(), "wan.no_internet");
    }
}
