//! What becomes of a stored device the snapshot does not list.
//!
//! Absence proves removal only when the source that used to list the device
//! was listed completely (every page, natural end) and listed something: an
//! empty "complete" list is more likely a cloud fault than an emptied account
//! (the reference also refused to purge on an empty list). A GWN network that
//! vanished from a complete network list takes its devices with it. Anything
//! else keeps the device as stale: no purge, no incident decision (the
//! reference deleted devices of networks whose listing failed, ≤ 1.4.1).

use serde::{Deserialize, Serialize};

use super::device::DeviceKey;
use super::hash::{FastMap, FastSet};
use crate::snapshot::{Snapshot, SourceKey};

/// Why a device row is purged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurgeReason {
    /// Its source was listed completely and it was not in the list.
    NotListed,
    /// Its GWN network is no longer in the complete network list.
    NetworkGone,
}

/// Delete a device's state, samples, daily rows and links (the GLPI asset is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purge {
    /// Device.
    pub device_key: DeviceKey,
    /// Cloud name, for the log line.
    pub name: String,
    /// Why.
    pub reason: PurgeReason,
}

/// The fate of an absent device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absence {
    /// Removed from the cloud: purge.
    Purge(PurgeReason),
    /// Its source is incomplete: keep, stale.
    Stale,
    /// Its source is complete but listed nothing: keep, stale.
    KeptEmptyList,
}

/// What the snapshot says about its sources.
#[derive(Debug, Default)]
pub struct Sources {
    complete: FastSet<SourceKey>,
    networks_complete: bool,
    network_ids: FastSet<String>,
    listed: FastMap<SourceKey, u32>,
}

impl Sources {
    /// Reads completeness, networks and per-source counts from a snapshot.
    pub fn of(snapshot: &Snapshot) -> Self {
        let complete: FastSet<SourceKey> = snapshot
            .sources
            .iter()
            .filter(|r| r.complete)
            .map(|r| r.source.clone())
            .collect();
        // Counted on borrowed keys, by runs (a source's devices usually come
        // together): no key is copied per device.
        let mut counts: FastMap<&SourceKey, u32> = FastMap::default();
        let mut run: Option<(&SourceKey, u32)> = None;
        for d in &snapshot.devices {
            match &mut run {
                Some((k, n)) if *k == &d.source => *n += 1,
                _ => {
                    if let Some((k, n)) = run.take() {
                        *counts.entry(k).or_default() += n;
                    }
                    run = Some((&d.source, 1));
                }
            }
        }
        if let Some((k, n)) = run {
            *counts.entry(k).or_default() += n;
        }
        Sources {
            networks_complete: complete.contains(&SourceKey::GwnNetworks),
            complete,
            network_ids: snapshot.networks.iter().map(|n| n.id.clone()).collect(),
            listed: counts.into_iter().map(|(k, n)| (k.clone(), n)).collect(),
        }
    }

    /// Whether the source was listed completely.
    pub fn is_complete(&self, s: &SourceKey) -> bool {
        self.complete.contains(s)
    }

    /// Devices the source listed.
    pub fn listed(&self, s: &SourceKey) -> u32 {
        self.listed.get(s).copied().unwrap_or(0)
    }

    /// Every source that listed devices, with its count.
    pub fn listed_counts(&self) -> impl Iterator<Item = (&SourceKey, u32)> {
        self.listed.iter().map(|(k, n)| (k, *n))
    }

    /// The fate of a stored device of source `s` that the snapshot does not list.
    pub fn absent(&self, s: &SourceKey) -> Absence {
        if let SourceKey::GwnNetwork { network_id } = s {
            if self.networks_complete
                && !self.network_ids.is_empty()
                && !self.network_ids.contains(network_id)
            {
                return Absence::Purge(PurgeReason::NetworkGone);
            }
        }
        match (self.is_complete(s), self.listed(s) > 0) {
            (true, true) => Absence::Purge(PurgeReason::NotListed),
            (true, false) => Absence::KeptEmptyList,
            (false, _) => Absence::Stale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests_support::{dev, net, report, snap, uc};
    use crate::snapshot::Network;

    #[test]
    fn absence_table() {
        let mut s = snap(vec![dev(1, "GRP2612W", true)]);
        s.sources.push(report(net("7"), false));
        s.sources.push(report(net("8"), true));
        s.sources.push(report(SourceKey::GwnNetworks, true));
        s.networks = vec![
            Network {
                id: "7".into(),
                name: "a".into(),
            },
            Network {
                id: "8".into(),
                name: "b".into(),
            },
        ];
        let v = Sources::of(&s);
        assert_eq!(v.absent(&uc()), Absence::Purge(PurgeReason::NotListed));
        assert_eq!(v.absent(&net("7")), Absence::Stale);
        assert_eq!(v.absent(&net("8")), Absence::KeptEmptyList);
        assert_eq!(
            v.absent(&net("9")),
            Absence::Purge(PurgeReason::NetworkGone)
        );
        assert_eq!(v.listed(&uc()), 1);
        // Without a complete network list a missing network proves nothing.
        s.sources.retain(|r| r.source != SourceKey::GwnNetworks);
        assert_eq!(Sources::of(&s).absent(&net("9")), Absence::Stale);
    }
}
