//! Builders and a minimal "PHP apply" so tests can run several cycles.

use std::collections::HashSet;

use crate::engine::classify::Itemtype;
use crate::engine::device::{AssetRef, DeviceKey, DeviceState};
use crate::engine::input::{Asset, EngineConfig, IncidentRecord, ModelEntry, PlanInput};
use crate::engine::plan::{plan, Plan};
use crate::snapshot::{
    Cloud, CloudDevice, CloudStatus, FetchStats, Internet, Port, PortMedium, PortRole, PortsFetch,
    Snapshot, SourceKey, SourceReport,
};
use crate::Mac;

pub const T0: i64 = 1_767_225_600; // 2026-01-01 00:00:00 UTC

pub fn cfg() -> EngineConfig {
    EngineConfig {
        entities_id: 1,
        wan_debounce_seconds: 0,
        ..EngineConfig::default()
    }
}

pub fn mac(n: u32) -> Mac {
    let b = n.to_be_bytes();
    Mac::parse(&format!("c0:74:ad:{:02x}:{:02x}:{:02x}", b[1], b[2], b[3])).unwrap()
}

pub fn key(n: u32) -> DeviceKey {
    DeviceKey::Mac(mac(n))
}

pub fn uc() -> SourceKey {
    SourceKey::UcDevices
}

pub fn net(id: &str) -> SourceKey {
    SourceKey::GwnNetwork {
        network_id: id.into(),
    }
}

pub fn dev(n: u32, model: &str, online: bool) -> CloudDevice {
    CloudDevice {
        cloud: Cloud::Uc,
        source: uc(),
        mac: Some(mac(n)),
        serial: Some(format!("sn{n:06}")),
        name: format!("Device {n}"),
        model: model.into(),
        status: if online {
            CloudStatus::Online
        } else {
            CloudStatus::Offline
        },
        network_id: None,
        network_name: Some("HQ".into()),
        public_ip: Some("203.0.113.45".into()),
        private_ip: Some(format!("192.168.10.{}", n % 250)),
        ipv6: None,
        firmware: Some("1.0.11.3".into()),
        firmware_latest: None,
        uptime_sec: Some(90_061),
        clients: None,
        upload_bytes: None,
        download_bytes: None,
        channel_2g: None,
        channel_5g: None,
        first_seen: None,
        last_seen: None,
        location: None,
        uplink_mac: None,
        ports: PortsFetch::NotApplicable,
        sip: None,
    }
}

pub fn port(id: &str, wan: bool, link: bool, inet: Internet) -> Port {
    Port {
        id: id.into(),
        name: Some(format!("WAN{id}")),
        silk: Some(format!("P{id}")),
        role: if wan { PortRole::Wan } else { PortRole::Lan },
        link_up: link,
        internet: inet,
        speed: Some(5),
        medium: PortMedium::Ge,
        is_combo: false,
        wan_name: None,
        ip: None,
        wan_type: None,
        gateway: None,
        dns1: None,
        dns2: None,
        wan_mac: None,
        ipv6: None,
        connect_duration: None,
        custom_name: None,
        description: None,
        vlan: None,
        tx_bytes: None,
        rx_bytes: None,
        tx_packets: None,
        rx_packets: None,
    }
}

pub fn router(n: u32, ports: Vec<Port>) -> CloudDevice {
    CloudDevice {
        cloud: Cloud::Gwn,
        source: net("1"),
        network_id: Some("1".into()),
        ports: PortsFetch::Fetched { ports },
        ..dev(n, "GWN7003", true)
    }
}

pub fn report(source: SourceKey, complete: bool) -> SourceReport {
    SourceReport {
        source,
        complete,
        failure: None,
        endpoint: None,
        page: None,
        pages: 1,
        devices: 0,
    }
}

pub fn snap(devices: Vec<CloudDevice>) -> Snapshot {
    let mut sources: Vec<SourceKey> = Vec::new();
    for d in &devices {
        if !sources.contains(&d.source) {
            sources.push(d.source.clone());
        }
    }
    if !sources.contains(&uc()) {
        sources.push(uc());
    }
    Snapshot {
        sources: sources.into_iter().map(|s| report(s, true)).collect(),
        devices,
        networks: vec![],
        tokens: vec![],
        stats: FetchStats::default(),
    }
}

pub fn asset(id: u64, it: Itemtype, name: &str, serial: &str, uuid: &str) -> Asset {
    Asset {
        itemtype: it,
        id,
        entities_id: 5,
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

/// The PHP side, reduced to what the next cycle reads back.
pub struct World {
    pub now: i64,
    pub cfg: EngineConfig,
    pub devices: Vec<DeviceState>,
    pub assets: Vec<Asset>,
    pub models: Vec<ModelEntry>,
    pub incidents: Vec<IncidentRecord>,
    pub next_id: u64,
}

impl World {
    pub fn new() -> Self {
        World {
            now: T0,
            cfg: cfg(),
            devices: vec![],
            assets: vec![],
            models: vec![],
            incidents: vec![],
            next_id: 1000,
        }
    }

    pub fn input(&self, snapshot: Snapshot) -> PlanInput {
        PlanInput {
            now: self.now,
            config: self.cfg.clone(),
            devices: self.devices.clone(),
            assets: self.assets.clone(),
            models: self.models.clone(),
            incidents: self.incidents.clone(),
            snapshot,
        }
    }

    /// Plans, checks the invariants, applies, advances the clock by one interval.
    pub fn cycle(&mut self, snapshot: Snapshot) -> Plan {
        let p = plan(self.input(snapshot));
        self.apply(&p);
        self.now += i64::from(self.cfg.refresh_interval);
        p
    }

    pub fn apply(&mut self, p: &Plan) {
        let mut created = std::collections::HashMap::new();
        for c in &p.assets.create {
            self.next_id += 1;
            created.insert(c.device_key.clone(), (c.itemtype, self.next_id));
            let mut a = asset(
                self.next_id,
                c.itemtype,
                &c.name,
                c.serial.as_deref().unwrap_or(""),
                c.uuid.as_deref().unwrap_or(""),
            );
            a.entities_id = c.entities_id;
            a.model_id = c.model_id.unwrap_or(0);
            self.assets.push(a);
        }
        for f in &p.assets.fill {
            let a = self
                .assets
                .iter_mut()
                .find(|a| a.id == f.id && a.itemtype == f.itemtype)
                .expect("fill of a known asset");
            if let Some(s) = &f.serial {
                assert!(a.serial.is_empty(), "fill overwrote a serial");
                a.serial = s.clone();
            }
            if let Some(u) = &f.uuid {
                assert!(a.uuid.is_empty(), "fill overwrote a uuid");
                a.uuid = u.clone();
            }
            if let Some(m) = f.model_id {
                assert_eq!(a.model_id, 0, "fill overwrote a model");
                a.model_id = m;
            }
        }
        for r in &p.rekeys {
            for rec in &mut self.incidents {
                if rec.device_key == r.from {
                    rec.device_key = r.to.clone();
                }
            }
        }
        self.devices = p.devices.clone();
        for d in &mut self.devices {
            // PHP stores itemtype/items_id and passes them back as an existing ref.
            if let Some(AssetRef::Planned { device_key, .. }) = &d.asset {
                let (itemtype, id) = created[device_key];
                d.asset = Some(AssetRef::Existing { itemtype, id });
            }
        }
        let resolved: HashSet<u64> = p.incidents.resolve.iter().map(|r| r.incident_id).collect();
        assert_eq!(
            resolved.len(),
            p.incidents.resolve.len(),
            "an incident resolved twice"
        );
        self.incidents.retain(|r| !resolved.contains(&r.id));
        for o in &p.incidents.open {
            self.next_id += 1;
            self.incidents.push(IncidentRecord {
                id: self.next_id,
                device_key: o.device_key.clone(),
                port_key: o.port_key.clone(),
                kind: o.kind,
                tickets_id: self.next_id,
                ticket_open: true,
                opened_at: self.now,
            });
        }
        let mut guard = HashSet::new();
        for r in &self.incidents {
            assert!(
                guard.insert((r.device_key.clone(), r.port_key.clone())),
                "two open incidents on {} '{}'",
                r.device_key,
                r.port_key
            );
        }
    }

    pub fn open_kinds(
        &self,
        k: &DeviceKey,
    ) -> Vec<(String, crate::engine::incidents::IncidentKind)> {
        let mut v: Vec<_> = self
            .incidents
            .iter()
            .filter(|r| &r.device_key == k)
            .map(|r| (r.port_key.clone(), r.kind))
            .collect();
        v.sort();
        v
    }

    pub fn device(&self, k: &DeviceKey) -> Option<&DeviceState> {
        self.devices.iter().find(|d| &d.device_key == k)
    }
}

pub fn existing(it: Itemtype, id: u64) -> AssetRef {
    AssetRef::Existing { itemtype: it, id }
}
