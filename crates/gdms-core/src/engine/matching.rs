//! Matching a cloud device to a GLPI asset: serial → MAC → name.
//!
//! One index over BOTH itemtypes and every asset passed in (PHP passes the
//! entities it wants searched), built once per plan: three hash maps, so a
//! plan over n devices and m assets costs O(n + m). Keys are normalised so
//! spellings never hide a match (weakness 16): serials upper-cased with
//! separators removed, MACs parsed into [`Mac`] (any separator or case), names
//! with whitespace runs collapsed and lower-cased. First asset wins a key.
//!
//! A name match is rejected when the candidate has a non-empty serial (or
//! inventory number) or MAC that differs from the device's (reference 1.6.0):
//! two "Reception phone"s are not the same device.
//!
//! Assets created or filled earlier in the same plan are added to the index,
//! so a later device of the same snapshot matches them instead of creating a
//! duplicate.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::device::AssetRef;
use super::input::Asset;
use crate::Mac;

/// Why a device was linked to its asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// Serial (or inventory number) equal after normalisation.
    Serial,
    /// MAC equal (asset `uuid` or one of its port MACs).
    Mac,
    /// Normalised name equal, and no conflicting serial or MAC.
    Name,
    /// Nothing matched: the plan creates the asset.
    Created,
}

impl fmt::Display for MatchReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MatchReason::Serial => "serial",
            MatchReason::Mac => "mac",
            MatchReason::Name => "name",
            MatchReason::Created => "created",
        })
    }
}

/// Upper-case letters and digits only; `None` when nothing is left.
///
/// # Examples
/// ```
/// use gdms_core::engine::matching::normalize_serial;
/// assert_eq!(normalize_serial(" 20ez-9kx:7 ").as_deref(), Some("20EZ9KX7"));
/// assert_eq!(normalize_serial(" - "), None);
/// ```
pub fn normalize_serial(s: &str) -> Option<String> {
    let out: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    (!out.is_empty()).then_some(out)
}

/// Whitespace runs collapsed to one space, trimmed, lower-cased; `None` when empty.
///
/// # Examples
/// ```
/// use gdms_core::engine::matching::name_key;
/// assert_eq!(name_key("  Reception   Phone ").as_deref(), Some("reception phone"));
/// ```
pub fn name_key(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    (!out.is_empty()).then_some(out)
}

/// One asset as the index knows it (existing, or planned in this plan).
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub asset: AssetRef,
    /// Index into the input assets, for existing ones.
    pub input: Option<usize>,
    /// Index into `assets.create`, for planned ones.
    pub create: Option<usize>,
    pub serials: Vec<String>,
    pub macs: Vec<Mac>,
    pub has_uuid: bool,
    pub has_serial: bool,
    pub has_model: bool,
}

/// What matching found for one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub slot: usize,
    pub reason: MatchReason,
}

/// The asset index.
#[derive(Debug, Default)]
pub(crate) struct AssetIndex {
    pub candidates: Vec<Candidate>,
    by_serial: HashMap<String, usize>,
    by_mac: HashMap<Mac, usize>,
    by_name: HashMap<String, usize>,
}

impl AssetIndex {
    /// Builds the index over the input assets (first asset wins a key).
    pub fn build(assets: &[Asset]) -> Self {
        let mut ix = AssetIndex {
            candidates: Vec::with_capacity(assets.len()),
            by_serial: HashMap::with_capacity(assets.len() * 2),
            by_mac: HashMap::with_capacity(assets.len()),
            by_name: HashMap::with_capacity(assets.len()),
        };
        for (i, a) in assets.iter().enumerate() {
            let serials: Vec<String> = [&a.serial, &a.otherserial]
                .into_iter()
                .filter_map(|s| normalize_serial(s))
                .collect();
            let mut macs: Vec<Mac> = Mac::parse_lenient(&a.uuid).into_iter().collect();
            macs.extend(a.macs.iter().filter_map(|m| Mac::parse_lenient(m)));
            let cand = Candidate {
                asset: AssetRef::Existing {
                    itemtype: a.itemtype,
                    id: a.id,
                },
                input: Some(i),
                create: None,
                has_uuid: !a.uuid.trim().is_empty(),
                has_serial: !a.serial.trim().is_empty(),
                has_model: a.model_id != 0,
                serials,
                macs,
            };
            ix.push(cand, name_key(&a.name));
        }
        ix
    }

    /// Adds a candidate and indexes its keys (existing keys keep their asset).
    pub fn push(&mut self, cand: Candidate, name: Option<String>) -> usize {
        let slot = self.candidates.len();
        for s in &cand.serials {
            self.by_serial.entry(s.clone()).or_insert(slot);
        }
        for m in &cand.macs {
            self.by_mac.entry(*m).or_insert(slot);
        }
        if let Some(n) = name {
            self.by_name.entry(n).or_insert(slot);
        }
        self.candidates.push(cand);
        slot
    }

    /// Records that a planned fill gave the candidate a serial / MAC, so later
    /// devices match it by them.
    pub fn learn(&mut self, slot: usize, serial: Option<&str>, mac: Option<Mac>) {
        if let Some(s) = serial.and_then(normalize_serial) {
            self.by_serial.entry(s.clone()).or_insert(slot);
            self.candidates[slot].serials.push(s);
        }
        if let Some(m) = mac {
            self.by_mac.entry(m).or_insert(slot);
            self.candidates[slot].macs.push(m);
        }
    }

    /// Serial, then MAC, then name. Returns the match and, when a name match
    /// was refused, the refused candidate.
    pub fn find(
        &self,
        serial: Option<&str>,
        mac: Option<Mac>,
        name: Option<&str>,
    ) -> (Option<Found>, Option<usize>) {
        if let Some(&slot) = serial.and_then(|s| self.by_serial.get(s)) {
            return (
                Some(Found {
                    slot,
                    reason: MatchReason::Serial,
                }),
                None,
            );
        }
        if let Some(&slot) = mac.and_then(|m| self.by_mac.get(&m)) {
            return (
                Some(Found {
                    slot,
                    reason: MatchReason::Mac,
                }),
                None,
            );
        }
        if let Some(&slot) = name.and_then(|n| self.by_name.get(n)) {
            let c = &self.candidates[slot];
            let serial_conflict =
                serial.is_some_and(|s| !c.serials.is_empty() && !c.serials.iter().any(|x| x == s));
            let mac_conflict = mac.is_some_and(|m| !c.macs.is_empty() && !c.macs.contains(&m));
            if serial_conflict || mac_conflict {
                return (None, Some(slot));
            }
            return (
                Some(Found {
                    slot,
                    reason: MatchReason::Name,
                }),
                None,
            );
        }
        (None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::classify::Itemtype;

    fn asset(id: u64, it: Itemtype, name: &str, serial: &str, uuid: &str) -> Asset {
        Asset {
            itemtype: it,
            id,
            entities_id: 0,
            name: name.into(),
            serial: serial.into(),
            otherserial: String::new(),
            uuid: uuid.into(),
            macs: vec![],
            model_id: 0,
            users_id_tech: 0,
            users_id: 0,
            locations_id: 0,
        }
    }

    #[test]
    fn serial_beats_mac_beats_name_across_itemtypes() {
        let ix = AssetIndex::build(&[
            asset(1, Itemtype::Phone, "Desk", "abc-123", ""),
            asset(
                2,
                Itemtype::NetworkEquipment,
                "Core",
                "",
                "C0-74-AD-00-00-01",
            ),
            asset(3, Itemtype::NetworkEquipment, "Lobby  AP", "", ""),
        ]);
        let mac = Mac::parse_lenient("c074ad000001");
        let (f, _) = ix.find(Some("ABC123"), mac, Some("lobby ap"));
        assert_eq!(
            f.unwrap(),
            Found {
                slot: 0,
                reason: MatchReason::Serial
            }
        );
        let (f, _) = ix.find(Some("ZZZ"), mac, Some("lobby ap"));
        assert_eq!(
            f.unwrap(),
            Found {
                slot: 1,
                reason: MatchReason::Mac
            }
        );
        let (f, _) = ix.find(None, None, name_key("LOBBY AP").as_deref());
        assert_eq!(
            f.unwrap(),
            Found {
                slot: 2,
                reason: MatchReason::Name
            }
        );
    }

    #[test]
    fn name_match_rejected_on_conflicting_serial_or_mac() {
        let ix = AssetIndex::build(&[
            asset(1, Itemtype::Phone, "Reception", "S1", ""),
            asset(2, Itemtype::Phone, "Hall", "", "c0:74:ad:00:00:09"),
        ]);
        let (f, rej) = ix.find(Some("S2"), None, Some("reception"));
        assert_eq!((f, rej), (None, Some(0)));
        let (f, rej) = ix.find(None, Mac::parse_lenient("c0:74:ad:00:00:08"), Some("hall"));
        assert_eq!((f, rej), (None, Some(1)));
        // No serial on the device: nothing conflicts.
        let (f, _) = ix.find(None, None, Some("reception"));
        assert_eq!(f.unwrap().reason, MatchReason::Name);
    }

    #[test]
    fn inventory_number_and_port_macs_match() {
        let mut a = asset(7, Itemtype::NetworkEquipment, "x", "", "");
        a.otherserial = "inv-9".into();
        a.macs = vec!["C074.AD00.0042".into()];
        let ix = AssetIndex::build(&[a]);
        assert_eq!(
            ix.find(Some("INV9"), None, None).0.unwrap().reason,
            MatchReason::Serial
        );
        let m = Mac::parse_lenient("c0:74:ad:00:00:42");
        assert_eq!(ix.find(None, m, None).0.unwrap().reason, MatchReason::Mac);
    }
}
