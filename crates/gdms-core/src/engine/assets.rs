//! Asset changes: link every fresh device to a GLPI asset, creating it when
//! nothing matches, filling only EMPTY fields when something does.
//!
//! Never overwritten: name, serial, comment, description, entity, location.
//! Serials are written as the cloud wrote them (trimmed, case kept: weakness
//! 16), MACs in GLPI's lower-case colon form. Model ids come only from the
//! catalog passed in; a model is never created.

use serde::{Deserialize, Serialize};

use super::classify::Itemtype;
use super::device::{display_name, AssetRef, DeviceKey, DeviceState};
use super::hash::{map_with_capacity, FastMap};
use super::input::{Asset, ModelEntry};
use super::matching::{name_key, normalize_serial, AssetIndex, Candidate, Flags, MatchReason};

/// Create one GLPI asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetCreate {
    /// The device it is created for; [`AssetRef::Planned`] refers to it by this key.
    pub device_key: DeviceKey,
    /// `Phone` or `NetworkEquipment`.
    pub itemtype: Itemtype,
    /// The synced entity.
    pub entities_id: u64,
    /// Cloud name → model → `GDMS Device`.
    pub name: String,
    /// Serial as the cloud wrote it.
    pub serial: Option<String>,
    /// MAC, lower-case colon form, for the `uuid` column.
    pub uuid: Option<String>,
    /// Model id from the catalog, when the cloud model is in it.
    pub model_id: Option<u64>,
    /// Raw cloud model (for display and the log; not written to the asset).
    pub model: String,
}

/// Fill empty fields of an existing asset. Only the `Some` fields are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetFill {
    /// GLPI class.
    pub itemtype: Itemtype,
    /// GLPI id.
    pub id: u64,
    /// The device whose data fills it.
    pub device_key: DeviceKey,
    /// New serial (the asset's was empty).
    pub serial: Option<String>,
    /// New `uuid` (was empty).
    pub uuid: Option<String>,
    /// New model id (was 0).
    pub model_id: Option<u64>,
}

/// The keys matching tried, for the log and the dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tried {
    /// Normalised serial.
    pub serial: Option<String>,
    /// MAC.
    pub mac: Option<crate::Mac>,
    /// Normalised name (`None` also when serial or MAC matched first).
    pub name_key: Option<String>,
}

/// How one fresh device was linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRecord {
    /// The device.
    pub device_key: DeviceKey,
    /// Its asset.
    pub asset: AssetRef,
    /// Why this asset.
    pub reason: MatchReason,
    /// Keys tried.
    pub tried: Tried,
    /// A same-name asset refused because its serial or MAC differs.
    pub name_rejected: Option<AssetRef>,
}

/// What tickets need to know of the linked asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AssetInfo {
    pub asset: AssetRef,
    pub name: String,
    pub entities_id: u64,
    pub users_id_tech: u64,
    pub users_id: u64,
    pub locations_id: u64,
}

/// Builds creates and fills while devices are linked one by one.
pub(crate) struct AssetPlanner<'a> {
    index: AssetIndex<'a>,
    models: FastMap<(Itemtype, String), u64>,
    entities_id: u64,
    pub creates: Vec<AssetCreate>,
    pub fills: Vec<AssetFill>,
    fill_of_slot: FastMap<usize, usize>,
    /// Per itemtype (NetworkEquipment, Phone): raw model → catalog id.
    model_cache: [FastMap<String, Option<u64>>; 2],
}

impl<'a> AssetPlanner<'a> {
    pub fn new(assets: &'a [Asset], models: &[ModelEntry], entities_id: u64) -> Self {
        let mut catalog = map_with_capacity(models.len());
        for m in models {
            catalog
                .entry((m.itemtype, m.name.trim().to_lowercase()))
                .or_insert(m.id);
        }
        AssetPlanner {
            index: AssetIndex::build(assets),
            models: catalog,
            entities_id,
            creates: Vec::new(),
            fills: Vec::new(),
            fill_of_slot: map_with_capacity(0),
            model_cache: [FastMap::default(), FastMap::default()],
        }
    }

    /// Catalog id of a cloud model for an itemtype. Results are cached by raw
    /// model string: a fleet has a handful of models, not one per device.
    fn model_id(&mut self, itemtype: Itemtype, model: &str) -> Option<u64> {
        let model = model.trim();
        if self.models.is_empty() || model.is_empty() {
            return None;
        }
        let cache = &mut self.model_cache[usize::from(itemtype == Itemtype::Phone)];
        if let Some(hit) = cache.get(model) {
            return *hit;
        }
        let id = self.models.get(&(itemtype, model.to_lowercase())).copied();
        cache.insert(model.to_string(), id);
        id
    }

    /// Links one fresh device: match, then fill or create. Returns the
    /// record and the candidate slot (for [`AssetPlanner::info`]).
    pub fn link(&mut self, d: &DeviceState) -> (Option<MatchRecord>, AssetRef, usize) {
        // The stored link holds while its asset exists: no matching needed.
        if let Some(AssetRef::Existing { itemtype, id }) = &d.asset {
            if let Some(slot) = self.index.by_id(*itemtype, *id) {
                self.fill(slot, d);
                let asset = AssetRef::Existing {
                    itemtype: *itemtype,
                    id: *id,
                };
                return (None, asset, slot);
            }
        }
        self.index.ensure_keys();
        let serial_n = d.serial.as_deref().and_then(normalize_serial);
        let ((found, rejected), nkey) = self
            .index
            .find_lazy(serial_n.as_deref(), d.mac, || name_key(&d.name));
        let name_rejected = rejected.and_then(|s| self.index.asset_ref(s));
        let (slot, reason) = match found {
            Some(f) => {
                self.fill(f.slot, d);
                (f.slot, f.reason)
            }
            None => (self.create(d), MatchReason::Created),
        };
        let asset = self.asset_ref(slot, d);
        (
            Some(MatchRecord {
                device_key: d.device_key.clone(),
                asset: asset.clone(),
                reason,
                tried: Tried {
                    serial: serial_n,
                    mac: d.mac,
                    name_key: nkey,
                },
                name_rejected,
            }),
            asset,
            slot,
        )
    }

    /// The reference of a slot (a slot always exists once linked).
    fn asset_ref(&self, slot: usize, d: &DeviceState) -> AssetRef {
        self.index
            .asset_ref(slot)
            .unwrap_or_else(|| AssetRef::Planned {
                itemtype: d.category.itemtype(),
                device_key: d.device_key.clone(),
            })
    }

    /// What tickets need of the asset in `slot` (only built when a ticket is).
    pub fn info(&self, slot: usize, d: &DeviceState) -> AssetInfo {
        let asset = self.asset_ref(slot, d);
        match self.index.input(slot) {
            Some(a) => AssetInfo {
                asset,
                name: if a.name.trim().is_empty() {
                    d.display_name().to_string()
                } else {
                    a.name.trim().to_string()
                },
                entities_id: a.entities_id,
                users_id_tech: a.users_id_tech,
                users_id: a.users_id,
                locations_id: a.locations_id,
            },
            None => AssetInfo {
                asset,
                name: self
                    .index
                    .create_of(slot)
                    .and_then(|c| self.creates.get(c))
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| d.display_name().to_string()),
                entities_id: self.entities_id,
                users_id_tech: 0,
                users_id: 0,
                locations_id: 0,
            },
        }
    }

    fn create(&mut self, d: &DeviceState) -> usize {
        let itemtype = d.category.itemtype();
        let create = AssetCreate {
            device_key: d.device_key.clone(),
            itemtype,
            entities_id: self.entities_id,
            name: display_name(&d.name, &d.model).to_string(),
            serial: d.serial.clone(),
            uuid: d.mac.map(|m| m.to_string()),
            model_id: self.model_id(itemtype, &d.model),
            model: d.model.clone(),
        };
        let cand = Candidate {
            asset: AssetRef::Planned {
                itemtype,
                device_key: d.device_key.clone(),
            },
            create: Some(self.creates.len()),
            extra_serial: d.serial.as_deref().and_then(normalize_serial),
            extra_mac: d.mac,
            name_hint: create.name.clone(),
            flags: Flags {
                has_uuid: create.uuid.is_some(),
                has_serial: create.serial.is_some(),
                has_model: create.model_id.is_some(),
            },
        };
        self.creates.push(create);
        self.index.push(cand)
    }

    /// Fills what is empty on the candidate with what the device knows.
    fn fill(&mut self, slot: usize, d: &DeviceState) {
        let Some(flags) = self.index.flags(slot) else {
            return;
        };
        let serial = (!flags.has_serial).then(|| d.serial.clone()).flatten();
        let uuid = (!flags.has_uuid)
            .then(|| d.mac.map(|m| m.to_string()))
            .flatten();
        let model_id = match (flags.has_model, self.index.asset_ref(slot)) {
            (false, Some(r)) => self.model_id(r.itemtype(), &d.model),
            _ => None,
        };
        if serial.is_none() && uuid.is_none() && model_id.is_none() {
            return;
        }
        let Some(c) = self.index.cand_mut(slot) else {
            return;
        };
        c.flags.has_serial |= serial.is_some();
        c.flags.has_uuid |= uuid.is_some();
        c.flags.has_model |= model_id.is_some();
        match (c.create, c.asset.clone()) {
            (Some(ci), _) => {
                let cr = &mut self.creates[ci];
                cr.serial = cr.serial.take().or(serial.clone());
                cr.uuid = cr.uuid.take().or(uuid.clone());
                cr.model_id = cr.model_id.or(model_id);
            }
            (None, AssetRef::Existing { itemtype, id }) => match self.fill_of_slot.get(&slot) {
                Some(&fi) => {
                    let f = &mut self.fills[fi];
                    f.serial = f.serial.take().or(serial.clone());
                    f.uuid = f.uuid.take().or(uuid.clone());
                    f.model_id = f.model_id.or(model_id);
                }
                None => {
                    self.fill_of_slot.insert(slot, self.fills.len());
                    self.fills.push(AssetFill {
                        itemtype,
                        id,
                        device_key: d.device_key.clone(),
                        serial: serial.clone(),
                        uuid: uuid.clone(),
                        model_id,
                    });
                }
            },
            (None, AssetRef::Planned { .. }) => {}
        }
        self.index.learn(
            slot,
            serial.as_deref(),
            uuid.as_deref().and_then(super::matching::mac_of),
        );
    }
}
