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

use std::fmt;

use serde::{Deserialize, Serialize};

use super::classify::Itemtype;
use super::device::AssetRef;
use super::hash::{map_with_capacity, FastMap};
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
    let out: String = if s.is_ascii() {
        let mut b = Vec::with_capacity(s.len());
        b.extend(
            s.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase()),
        );
        // Only ASCII letters and digits were kept.
        String::from_utf8(b).unwrap_or_default()
    } else {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect()
    };
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
        if word.is_ascii() {
            out.push_str(word);
            let from = out.len() - word.len();
            out[from..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A MAC from GLPI text, without the cost of an error for the (common) empty field.
pub(crate) fn mac_of(s: &str) -> Option<Mac> {
    if s.len() < 12 {
        return None;
    }
    Mac::parse_lenient(s)
}

/// What the plan has learned or decided about one asset: planned assets, and
/// existing assets touched by a fill. Untouched existing assets have none
/// (their state is their input row), so a steady cycle allocates nothing here.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub asset: AssetRef,
    /// Index into `assets.create`, for planned ones.
    pub create: Option<usize>,
    /// Serial known besides the input asset's own (planned asset, or filled).
    pub extra_serial: Option<String>,
    /// MAC known besides the input asset's own (planned asset, or filled).
    pub extra_mac: Option<Mac>,
    /// Name of a planned asset (indexed by name); empty for existing ones.
    pub name_hint: String,
    pub flags: Flags,
}

/// Which fillable fields an asset already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flags {
    pub has_serial: bool,
    pub has_uuid: bool,
    pub has_model: bool,
}

impl Flags {
    fn of(a: &Asset) -> Self {
        let filled = |s: &str| !s.chars().all(char::is_whitespace);
        Flags {
            has_serial: filled(&a.serial),
            has_uuid: filled(&a.uuid),
            has_model: a.model_id != 0,
        }
    }
}

/// What matching found for one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub slot: usize,
    pub reason: MatchReason,
}

/// The asset index. A slot is an input asset's position (`< assets.len()`)
/// or a planned asset's (`assets.len() + i`). The key maps are built on
/// first need: in a steady cycle every device keeps its stored link and
/// only the id map is used.
#[derive(Debug)]
pub(crate) struct AssetIndex<'a> {
    assets: &'a [Asset],
    planned: Vec<Candidate>,
    touched: FastMap<usize, Candidate>,
    /// Built on the first miss of `id_cursor` (see [`AssetIndex::by_id`]).
    by_id: Option<FastMap<(Itemtype, u64), usize>>,
    /// Per itemtype (NetworkEquipment, Phone): the slot after the last hit.
    id_cursor: [usize; 2],
    /// Assets are ordered by (itemtype name, id): binary search works.
    sorted: bool,
    keys_built: bool,
    by_serial: FastMap<String, usize>,
    by_mac: FastMap<Mac, usize>,
    by_name: FastMap<String, usize>,
}

impl<'a> AssetIndex<'a> {
    /// Builds the id map over the input assets (first asset wins).
    pub fn build(assets: &'a [Asset]) -> Self {
        AssetIndex {
            assets,
            planned: Vec::new(),
            touched: FastMap::default(),
            by_id: None,
            id_cursor: [0, 0],
            sorted: assets
                .windows(2)
                .all(|w| (w[0].itemtype.as_str(), w[0].id) < (w[1].itemtype.as_str(), w[1].id)),
            keys_built: false,
            by_serial: FastMap::default(),
            by_mac: FastMap::default(),
            by_name: FastMap::default(),
        }
    }

    /// The slot of an existing asset, by GLPI identity. Assets come ordered
    /// by itemtype then id and linked devices mostly in creation order, so a
    /// cursor per itemtype answers most lookups; misses binary-search (or,
    /// when the input is not ordered, use a map built on the first miss).
    pub fn by_id(&mut self, itemtype: Itemtype, id: u64) -> Option<usize> {
        let t = usize::from(itemtype == Itemtype::Phone);
        if self.by_id.is_none() {
            let c = self.id_cursor[t];
            if self
                .assets
                .get(c)
                .is_some_and(|a| a.itemtype == itemtype && a.id == id)
            {
                self.id_cursor[t] = c + 1;
                return Some(c);
            }
        }
        let assets = self.assets;
        if self.sorted {
            let slot = assets
                .binary_search_by(|a| (a.itemtype.as_str(), a.id).cmp(&(itemtype.as_str(), id)))
                .ok()?;
            self.id_cursor[t] = slot + 1;
            return Some(slot);
        }
        let map = self.by_id.get_or_insert_with(|| {
            let mut m = map_with_capacity(assets.len());
            for (slot, a) in assets.iter().enumerate() {
                m.entry((a.itemtype, a.id)).or_insert(slot);
            }
            m
        });
        map.get(&(itemtype, id)).copied()
    }

    /// The input asset of a slot, for existing assets.
    pub fn input(&self, slot: usize) -> Option<&'a Asset> {
        self.assets.get(slot)
    }

    fn cand(&self, slot: usize) -> Option<&Candidate> {
        match slot.checked_sub(self.assets.len()) {
            Some(i) => self.planned.get(i),
            None => self.touched.get(&slot),
        }
    }

    /// The candidate record of a slot, created for an existing asset on first touch.
    pub fn cand_mut(&mut self, slot: usize) -> Option<&mut Candidate> {
        match slot.checked_sub(self.assets.len()) {
            Some(i) => self.planned.get_mut(i),
            None => {
                let a = self.assets.get(slot)?;
                Some(self.touched.entry(slot).or_insert_with(|| Candidate {
                    asset: AssetRef::Existing {
                        itemtype: a.itemtype,
                        id: a.id,
                    },
                    create: None,
                    extra_serial: None,
                    extra_mac: None,
                    name_hint: String::new(),
                    flags: Flags::of(a),
                }))
            }
        }
    }

    /// The asset reference of a slot.
    pub fn asset_ref(&self, slot: usize) -> Option<AssetRef> {
        match self.assets.get(slot) {
            Some(a) => Some(AssetRef::Existing {
                itemtype: a.itemtype,
                id: a.id,
            }),
            None => self.cand(slot).map(|c| c.asset.clone()),
        }
    }

    /// The create entry of a planned slot.
    pub fn create_of(&self, slot: usize) -> Option<usize> {
        self.cand(slot).and_then(|c| c.create)
    }

    /// Which fillable fields the slot's asset has (input plus planned fills).
    pub fn flags(&self, slot: usize) -> Option<Flags> {
        match self.cand(slot) {
            Some(c) => Some(c.flags),
            None => self.assets.get(slot).map(Flags::of),
        }
    }

    /// Builds the serial / MAC / name maps, once.
    pub fn ensure_keys(&mut self) {
        if self.keys_built {
            return;
        }
        self.keys_built = true;
        let n = self.assets.len();
        self.by_serial.reserve(n * 2);
        self.by_mac.reserve(n);
        self.by_name.reserve(n);
        for (slot, a) in self.assets.iter().enumerate() {
            for s in [&a.serial, &a.otherserial] {
                if let Some(k) = normalize_serial(s) {
                    self.by_serial.entry(k).or_insert(slot);
                }
            }
            for m in std::iter::once(&a.uuid).chain(&a.macs) {
                if let Some(m) = mac_of(m) {
                    self.by_mac.entry(m).or_insert(slot);
                }
            }
            if let Some(k) = name_key(&a.name) {
                self.by_name.entry(k).or_insert(slot);
            }
        }
        // Keys learned before the maps existed (fills of linked assets).
        let mut learned: Vec<(usize, Option<String>, Option<Mac>)> = self
            .touched
            .iter()
            .map(|(slot, c)| (*slot, c.extra_serial.clone(), c.extra_mac))
            .collect();
        learned.sort_by_key(|(slot, _, _)| *slot);
        for (slot, s, m) in learned {
            if let Some(s) = s {
                self.by_serial.entry(s).or_insert(slot);
            }
            if let Some(m) = m {
                self.by_mac.entry(m).or_insert(slot);
            }
        }
        for i in 0..self.planned.len() {
            let slot = n + i;
            let c = &self.planned[i];
            let (s, m, k) = (c.extra_serial.clone(), c.extra_mac, name_key(&c.name_hint));
            if let Some(s) = s {
                self.by_serial.entry(s).or_insert(slot);
            }
            if let Some(m) = m {
                self.by_mac.entry(m).or_insert(slot);
            }
            if let Some(k) = k {
                self.by_name.entry(k).or_insert(slot);
            }
        }
    }

    /// Adds a planned candidate and indexes its keys (existing keys keep their asset).
    pub fn push(&mut self, cand: Candidate) -> usize {
        let slot = self.assets.len() + self.planned.len();
        if self.keys_built {
            if let Some(s) = &cand.extra_serial {
                self.by_serial.entry(s.clone()).or_insert(slot);
            }
            if let Some(m) = cand.extra_mac {
                self.by_mac.entry(m).or_insert(slot);
            }
            if let Some(n) = name_key(&cand.name_hint) {
                self.by_name.entry(n).or_insert(slot);
            }
        }
        self.planned.push(cand);
        slot
    }

    /// Records that a planned fill gave the candidate a serial / MAC, so later
    /// devices match it by them.
    pub fn learn(&mut self, slot: usize, serial: Option<&str>, mac: Option<Mac>) {
        let serial = serial.and_then(normalize_serial);
        if self.keys_built {
            if let Some(s) = &serial {
                self.by_serial.entry(s.clone()).or_insert(slot);
            }
            if let Some(m) = mac {
                self.by_mac.entry(m).or_insert(slot);
            }
        }
        if let Some(c) = self.cand_mut(slot) {
            if let Some(s) = serial {
                c.extra_serial.get_or_insert(s);
            }
            if let Some(m) = mac {
                c.extra_mac.get_or_insert(m);
            }
        }
    }

    /// Normalised serials and MACs the candidate carries.
    fn keys_of(&self, slot: usize) -> (Vec<String>, Vec<Mac>) {
        let mut serials: Vec<String> = Vec::new();
        let mut macs: Vec<Mac> = Vec::new();
        if let Some(c) = self.cand(slot) {
            serials.extend(c.extra_serial.iter().cloned());
            macs.extend(c.extra_mac);
        }
        if let Some(a) = self.assets.get(slot) {
            serials.extend(
                [&a.serial, &a.otherserial]
                    .into_iter()
                    .filter_map(|s| normalize_serial(s)),
            );
            macs.extend(
                std::iter::once(&a.uuid)
                    .chain(&a.macs)
                    .filter_map(|m| mac_of(m)),
            );
        }
        (serials, macs)
    }

    /// Serial, then MAC, then name. Returns the match and, when a name match
    /// was refused, the refused candidate.
    #[cfg(test)]
    pub fn find(
        &self,
        serial: Option<&str>,
        mac: Option<Mac>,
        name: Option<&str>,
    ) -> (Option<Found>, Option<usize>) {
        self.find_lazy(serial, mac, || name.map(str::to_string)).0
    }

    /// [`AssetIndex::find`] computing the name key only when serial and MAC
    /// both miss; also returns the name key when it was computed.
    pub fn find_lazy(
        &self,
        serial: Option<&str>,
        mac: Option<Mac>,
        name: impl FnOnce() -> Option<String>,
    ) -> ((Option<Found>, Option<usize>), Option<String>) {
        let r = self.find_keys(serial, mac);
        if r.is_some() {
            return ((r, None), None);
        }
        let key = name();
        (self.find_name(serial, mac, key.as_deref()), key)
    }

    fn find_keys(&self, serial: Option<&str>, mac: Option<Mac>) -> Option<Found> {
        if let Some(&slot) = serial.and_then(|s| self.by_serial.get(s)) {
            return Some(Found {
                slot,
                reason: MatchReason::Serial,
            });
        }
        mac.and_then(|m| self.by_mac.get(&m)).map(|&slot| Found {
            slot,
            reason: MatchReason::Mac,
        })
    }

    fn find_name(
        &self,
        serial: Option<&str>,
        mac: Option<Mac>,
        name: Option<&str>,
    ) -> (Option<Found>, Option<usize>) {
        if let Some(&slot) = name.and_then(|n| self.by_name.get(n)) {
            let (serials, macs) = self.keys_of(slot);
            let serial_conflict =
                serial.is_some_and(|s| !serials.is_empty() && !serials.iter().any(|x| x == s));
            let mac_conflict = mac.is_some_and(|m| !macs.is_empty() && !macs.contains(&m));
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
        let assets = [
            asset(1, Itemtype::Phone, "Desk", "abc-123", ""),
            asset(
                2,
                Itemtype::NetworkEquipment,
                "Core",
                "",
                "C0-74-AD-00-00-01",
            ),
            asset(3, Itemtype::NetworkEquipment, "Lobby  AP", "", ""),
        ];
        let mut ix = AssetIndex::build(&assets);
        ix.ensure_keys();
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
        let assets = [
            asset(1, Itemtype::Phone, "Reception", "S1", ""),
            asset(2, Itemtype::Phone, "Hall", "", "c0:74:ad:00:00:09"),
        ];
        let mut ix = AssetIndex::build(&assets);
        ix.ensure_keys();
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
        let assets = [a];
        let mut ix = AssetIndex::build(&assets);
        ix.ensure_keys();
        assert_eq!(
            ix.find(Some("INV9"), None, None).0.unwrap().reason,
            MatchReason::Serial
        );
        let m = Mac::parse_lenient("c0:74:ad:00:00:42");
        assert_eq!(ix.find(None, m, None).0.unwrap().reason, MatchReason::Mac);
    }
}
