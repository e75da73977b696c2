//! One full fetch: both clouds, all their listings, per-device enrichment,
//! firmware pages, in as few round-trip waves as the dependencies allow.
//!
//! Waves (each wave's requests are all in flight at once, bounded only by the
//! transport's concurrency):
//! 1. tokens (one per credential, reused from the process cache when fresh);
//! 2. UC `device/list` page 1 ‖ GWN `network/list` page 1 ‖ firmware pages;
//! 3. the remaining announced pages ‖ every network's `ap/list` page 1 and
//!    `upgrade/version` (and alerts/clients when asked);
//! 4. per device, as soon as its network is listed: `device/info` for every
//!    online router (ports, and the serial in the same answer), for devices
//!    whose serial is unknown, and `switch/portInfo` for online switches.
//!
//! Serials the shell already knows are never looked up again; a router's
//! serial comes with its ports in one `device/info`.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokio::task::JoinSet;

use super::api::{Api, Call, Signer};
use super::config::{normalise_base, FetchOptions, FetchRequest, FIRMWARE_BASE};
use super::error::CloudError;
use super::extras::{self, Alert, WifiClient};
use super::firmware;
use super::gwn_devices::{self, DeviceInfo};
use super::pages::{read_all, Listing, PageSpec};
use super::read;
use super::token::TokenSlot;
use super::transport::{Method, Outgoing, Safety, Transport};
use super::uc_devices;
use crate::engine::classify::{classify, Category};
use crate::snapshot::{
    Cloud, CloudDevice, FetchFailure, FetchStats, FirmwareChannel, FirmwareOffer, Network,
    PortsFetch, Snapshot, SourceKey, SourceReport,
};
use crate::Mac;

/// Which optional read failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// `device/info` for a serial.
    Serial,
    /// Router (`device/info`) or switch (`switch/portInfo`) ports.
    Ports,
    /// `upgrade/version` of a network.
    FirmwareVersions,
    /// `alert/list` of a network.
    Alerts,
    /// `client/list` of a network.
    Clients,
    /// A UC firmware page.
    FirmwarePage,
    /// A network's work could not be finished at all.
    Network,
}

/// A per-device or per-network read that failed without making a listing
/// incomplete (serial lookup, ports, versions, alerts, firmware page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Which cloud (`None` for firmware pages).
    pub cloud: Option<Cloud>,
    /// What was being read.
    pub what: ProblemKind,
    /// GWN network concerned.
    pub network_id: Option<String>,
    /// Device concerned.
    pub mac: Option<Mac>,
    /// Model concerned (firmware pages).
    pub model: Option<String>,
    /// Why.
    pub failure: FetchFailure,
    /// The admin-facing message.
    pub message: String,
}

/// The `gdms_fetch` answer: the [`Snapshot`] (flattened, so the document *is*
/// a snapshot to a reader that ignores the rest) plus the optional reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FetchDocument {
    /// What the engine consumes.
    #[serde(flatten)]
    pub snapshot: Snapshot,
    /// Firmware offers for the requested UC models.
    #[serde(default)]
    pub firmware: Vec<FirmwareOffer>,
    /// Cloud alerts (when `options.alerts`).
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// Wireless clients (when `options.clients`).
    #[serde(default)]
    pub clients: Vec<WifiClient>,
    /// Reads that failed without making a listing incomplete.
    #[serde(default)]
    pub problems: Vec<Problem>,
}

struct Ctx {
    options: FetchOptions,
    known_serials: HashMap<Mac, String>,
    transport: Arc<Transport>,
}

fn report(source: SourceKey, endpoint: &str, listing: &Listing, devices: usize) -> SourceReport {
    SourceReport {
        source,
        complete: listing.complete(),
        failure: listing.failure.as_ref().map(|(e, _)| e.to_failure()),
        endpoint: listing
            .failure
            .as_ref()
            .map(|_| format!("/oapi/v1.0.0/{endpoint}")),
        page: listing.failure.as_ref().map(|(_, p)| *p).filter(|p| *p > 0),
        pages: listing.pages,
        devices: u32::try_from(devices).unwrap_or(u32::MAX),
    }
}

fn failed_report(source: SourceKey, err: &CloudError) -> SourceReport {
    SourceReport {
        source,
        complete: false,
        failure: Some(err.to_failure()),
        endpoint: None,
        page: None,
        pages: 0,
        devices: 0,
    }
}

fn problem(
    cloud: Option<Cloud>,
    what: ProblemKind,
    network_id: Option<&str>,
    mac: Option<Mac>,
    err: &CloudError,
) -> Problem {
    Problem {
        cloud,
        what,
        network_id: network_id.map(str::to_string),
        mac,
        model: None,
        failure: err.to_failure(),
        message: err.to_string(),
    }
}

/// The result of a spawned optional read; a task that panicked or was
/// cancelled counts as that read failing, never as the whole fetch failing.
async fn joined<T>(h: tokio::task::JoinHandle<Result<T, CloudError>>) -> Result<T, CloudError> {
    h.await
        .unwrap_or_else(|e| Err(CloudError::InvalidRequest(e.to_string())))
}

/// Rows that are not objects make a listing incomplete: a device we could
/// not read must not be purged as "gone".
fn devices_from<F: Fn(&Value) -> Option<CloudDevice>>(
    listing: &mut Listing,
    endpoint: &str,
    parse: F,
) -> Vec<CloudDevice> {
    let mut bad = 0usize;
    let devices: Vec<CloudDevice> = listing
        .rows
        .iter()
        .filter_map(|r| {
            let d = parse(r);
            if d.is_none() {
                bad += 1;
            }
            d
        })
        .collect();
    if bad > 0 && listing.failure.is_none() {
        listing.failure = Some((
            CloudError::Malformed {
                endpoint: format!("/oapi/v1.0.0/{endpoint}"),
                detail: format!("{bad} rows were not device objects"),
            },
            0,
        ));
    }
    devices
}

/// Runs one fetch. Never fails as a whole: every failure is recorded on the
/// source or as a [`Problem`].
///
/// # Errors
/// Only when the HTTP client cannot be built.
pub async fn fetch(req: FetchRequest) -> Result<FetchDocument, CloudError> {
    let started = Instant::now();
    let transport = Arc::new(Transport::new(&req.options)?);
    let known_serials: HashMap<Mac, String> = req
        .known_serials
        .iter()
        .filter(|(_, s)| !s.trim().is_empty())
        .filter_map(|(m, s)| Mac::parse_lenient(m).map(|m| (m, s.trim().to_string())))
        .collect();
    let ctx = Arc::new(Ctx {
        options: req.options.clone(),
        known_serials,
        transport: transport.clone(),
    });
    let timeout = req.options.timeout();

    let uc_api = req.uc.as_ref().filter(|c| c.is_complete()).map(|c| {
        let slot = Arc::new(TokenSlot::uc(c));
        slot.seed(&req.tokens);
        Arc::new(Api::new(
            c.base(),
            Signer::Uc {
                client_id: c.client_id.trim().to_string(),
                client_secret: c.client_secret.clone(),
            },
            slot,
            transport.clone(),
            timeout,
        ))
    });
    let gwn_api = req.gwn.as_ref().filter(|c| c.is_complete()).map(|c| {
        let slot = Arc::new(TokenSlot::gwn(c));
        slot.seed(&req.tokens);
        Arc::new(Api::new(
            c.base(),
            Signer::Gwn {
                app_id: c.app_id.trim().to_string(),
                secret_key: c.secret_key.clone(),
            },
            slot,
            transport.clone(),
            timeout,
        ))
    });

    let firmware_base = normalise_base(req.firmware_base_url.as_deref().unwrap_or(FIRMWARE_BASE));
    let uc_then_firmware = async {
        if !ctx.options.uc_firmware {
            // Nothing depends on the UC list: both at once.
            return tokio::join!(
                uc_part(ctx.clone(), uc_api.clone()),
                firmware_part(
                    ctx.clone(),
                    firmware_base.clone(),
                    req.firmware_models.clone()
                ),
            );
        }
        // The models to look up come from the UC list: one page per slug after it.
        let uc = uc_part(ctx.clone(), uc_api.clone()).await;
        let mut models = req.firmware_models.clone();
        models.extend(
            uc.1.iter()
                .filter(|d| firmware::slug_for(&d.model).is_some())
                .map(|d| d.model.clone()),
        );
        let fw = firmware_part(ctx.clone(), firmware_base.clone(), models).await;
        (uc, fw)
    };
    let ((uc, fw), gwn) = tokio::join!(uc_then_firmware, gwn_part(ctx.clone(), gwn_api.clone()));

    let mut doc = FetchDocument::default();
    let mut uc_devices = uc.1;
    for d in &mut uc_devices {
        let offer = fw.0.iter().find(|o| {
            o.channel == FirmwareChannel::Official
                && o.model.eq_ignore_ascii_case(d.model.trim())
                && o.version.is_some()
        });
        if let Some(o) = offer {
            d.firmware_latest = o.version.clone();
        }
    }
    doc.snapshot.sources.push(uc.0);
    doc.snapshot.devices.extend(uc_devices);
    doc.snapshot.sources.extend(gwn.sources);
    doc.snapshot.devices.extend(gwn.devices);
    doc.snapshot.networks = gwn.networks;
    doc.alerts = gwn.alerts;
    doc.clients = gwn.clients;
    doc.problems = gwn.problems;
    doc.firmware = fw.0;
    doc.problems.extend(fw.1);
    for api in [&uc_api, &gwn_api].into_iter().flatten() {
        if let Some(t) = api.tokens.state().await {
            doc.snapshot.tokens.push(t);
        }
    }
    let c = &transport.counters;
    doc.snapshot.stats = FetchStats {
        requests: c.requests.load(Ordering::Relaxed),
        tokens_issued: c.tokens.load(Ordering::Relaxed),
        retries: c.retries.load(Ordering::Relaxed),
        duration_ms: started.elapsed().as_millis() as u64,
    };
    Ok(doc)
}

async fn uc_part(ctx: Arc<Ctx>, api: Option<Arc<Api>>) -> (SourceReport, Vec<CloudDevice>) {
    let Some(api) = api else {
        return (
            failed_report(SourceKey::UcDevices, &CloudError::NotConfigured),
            Vec::new(),
        );
    };
    let spec = Arc::new(PageSpec {
        endpoint: "device/list",
        base: Map::new(),
        page_size: 100,
        ceiling: ctx.options.page_ceiling(),
        trust_total_page: false,
        timeout: ctx.options.timeout(),
    });
    let mut listing = read_all(api, spec).await;
    let devices = devices_from(&mut listing, "device/list", uc_devices::device);
    (
        report(SourceKey::UcDevices, "device/list", &listing, devices.len()),
        devices,
    )
}

#[derive(Default)]
struct GwnPart {
    sources: Vec<SourceReport>,
    devices: Vec<CloudDevice>,
    networks: Vec<Network>,
    alerts: Vec<Alert>,
    clients: Vec<WifiClient>,
    problems: Vec<Problem>,
}

async fn gwn_part(ctx: Arc<Ctx>, api: Option<Arc<Api>>) -> GwnPart {
    let mut out = GwnPart::default();
    let Some(api) = api else {
        out.sources.push(failed_report(
            SourceKey::GwnNetworks,
            &CloudError::NotConfigured,
        ));
        return out;
    };
    let spec = Arc::new(PageSpec {
        endpoint: "network/list",
        base: Map::new(),
        page_size: 200,
        ceiling: ctx.options.page_ceiling(),
        trust_total_page: true,
        timeout: ctx.options.timeout(),
    });
    let listing = read_all(api.clone(), spec).await;
    let mut seen = BTreeSet::new();
    for row in &listing.rows {
        let Some(id) = read::text(row, &["id", "networkId"]) else {
            continue;
        };
        if seen.insert(id.clone()) {
            out.networks.push(Network {
                id,
                name: read::text(row, &["networkName", "name"]).unwrap_or_default(),
            });
        }
    }
    out.sources
        .push(report(SourceKey::GwnNetworks, "network/list", &listing, 0));

    let mut set = JoinSet::new();
    for n in out.networks.clone() {
        set.spawn(network_part(ctx.clone(), api.clone(), n));
    }
    while let Some(r) = set.join_next().await {
        match r {
            Ok(n) => {
                out.sources.push(n.source);
                out.devices.extend(n.devices);
                out.alerts.extend(n.alerts);
                out.clients.extend(n.clients);
                out.problems.extend(n.problems);
            }
            Err(e) => out.problems.push(problem(
                Some(Cloud::Gwn),
                ProblemKind::Network,
                None,
                None,
                &CloudError::InvalidRequest(format!("network task failed: {e}")),
            )),
        }
    }
    // Stable output order: networks as listed, devices by network then list order.
    let order: HashMap<&str, usize> = out
        .networks
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let key = |s: &SourceKey| match s {
        SourceKey::GwnNetwork { network_id } => order
            .get(network_id.as_str())
            .copied()
            .unwrap_or(usize::MAX),
        _ => 0,
    };
    out.sources.sort_by_key(|r| match &r.source {
        SourceKey::GwnNetworks => 0,
        s => key(s) + 1,
    });
    out.devices.sort_by_key(|d| key(&d.source));
    out
}

struct NetworkPart {
    source: SourceReport,
    devices: Vec<CloudDevice>,
    alerts: Vec<Alert>,
    clients: Vec<WifiClient>,
    problems: Vec<Problem>,
}

fn net_body(id: &str) -> Map<String, Value> {
    let mut m = Map::new();
    // Numeric ids go out as numbers, as the reference sends them.
    let v = id
        .parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| json!(id));
    m.insert("networkId".into(), v);
    m
}

async fn network_part(ctx: Arc<Ctx>, api: Arc<Api>, net: Network) -> NetworkPart {
    let id = net.id.clone();
    let opts = &ctx.options;
    let versions = opts.firmware_versions.then(|| {
        let (api, id) = (api.clone(), id.clone());
        let timeout = opts.timeout();
        tokio::spawn(async move {
            let body = Value::Object(net_body(&id));
            api.call(&Call {
                method: Method::Post,
                endpoint: "upgrade/version",
                query: &[],
                body: Some(&body),
                timeout,
                safety: Safety::Safe,
            })
            .await
            .map(|d| gwn_devices::stable_versions(&d))
        })
    });
    let alerts = opts.alerts.then(|| {
        let (api, id) = (api.clone(), id.clone());
        let timeout = opts.timeout();
        tokio::spawn(async move {
            let mut body = net_body(&id);
            body.insert("pageNum".into(), json!(1));
            body.insert("pageSize".into(), json!(50));
            let body = Value::Object(body);
            api.call(&Call {
                method: Method::Post,
                endpoint: "alert/list",
                query: &[],
                body: Some(&body),
                timeout,
                safety: Safety::Safe,
            })
            .await
        })
    });
    let clients = opts.clients.then(|| {
        let spec = Arc::new(PageSpec {
            endpoint: "client/list",
            base: net_body(&id),
            page_size: 200,
            ceiling: opts.page_ceiling(),
            trust_total_page: true,
            timeout: opts.timeout(),
        });
        tokio::spawn(read_all(api.clone(), spec))
    });

    let spec = Arc::new(PageSpec {
        endpoint: "ap/list",
        base: net_body(&id),
        page_size: 100,
        ceiling: opts.page_ceiling(),
        trust_total_page: true,
        timeout: opts.timeout(),
    });
    let mut listing = read_all(api.clone(), spec).await;
    let mut devices = devices_from(&mut listing, "ap/list", |r| {
        gwn_devices::device(r, &id, Some(net.name.as_str()))
    });
    let source = report(
        SourceKey::GwnNetwork {
            network_id: id.clone(),
        },
        "ap/list",
        &listing,
        devices.len(),
    );
    let mut problems = Vec::new();
    enrich(&ctx, &api, &id, &mut devices, &mut problems).await;
    // An optional read of this network that failed.
    let failed =
        |what: ProblemKind, e: &CloudError| problem(Some(Cloud::Gwn), what, Some(&id), None, e);

    if let Some(h) = versions {
        match joined(h).await {
            Ok(map) => {
                for d in &mut devices {
                    // No row for the device: the cloud offers nothing newer.
                    d.firmware_latest = d
                        .mac
                        .and_then(|m| map.get(&m).cloned())
                        .or_else(|| d.firmware.clone());
                }
            }
            Err(e) => problems.push(failed(ProblemKind::FirmwareVersions, &e)),
        }
    }
    let mut alert_rows = Vec::new();
    if let Some(h) = alerts {
        match joined(h).await {
            Ok(data) => {
                alert_rows = read::rows(&data)
                    .map(|rows| rows.iter().filter_map(|r| extras::alert(r, &id)).collect())
                    .unwrap_or_default();
            }
            Err(e) => problems.push(failed(ProblemKind::Alerts, &e)),
        }
    }
    let mut client_rows = Vec::new();
    if let Some(h) = clients {
        if let Ok(l) = h.await {
            client_rows = l
                .rows
                .iter()
                .filter_map(|r| extras::client(r, &id))
                .collect();
            if let Some((e, _)) = &l.failure {
                problems.push(failed(ProblemKind::Clients, e));
            }
        }
    }
    NetworkPart {
        source,
        devices,
        alerts: alert_rows,
        clients: client_rows,
        problems,
    }
}

/// What one device needs this cycle.
struct Need {
    index: usize,
    mac: Mac,
    /// `device/info` (for ports, serial or both), with the MAC spelling to send.
    info: Option<String>,
    /// Ports come from `device/info` (router).
    router_ports: bool,
    /// `switch/portInfo`.
    switch_ports: bool,
    /// Whether the serial is wanted from `device/info`.
    serial: bool,
}

struct Enriched {
    index: usize,
    info: Option<Result<DeviceInfo, CloudError>>,
    switch: Option<Result<Vec<crate::snapshot::Port>, CloudError>>,
    router_ports: bool,
    serial: bool,
    mac: Mac,
}

async fn enrich(
    ctx: &Arc<Ctx>,
    api: &Arc<Api>,
    network_id: &str,
    devices: &mut [CloudDevice],
    problems: &mut Vec<Problem>,
) {
    let mut needs = Vec::new();
    for (index, d) in devices.iter_mut().enumerate() {
        let Some(mac) = d.mac else { continue };
        if d.serial.is_none() {
            if let Some(s) = ctx.known_serials.get(&mac) {
                d.serial = Some(s.clone());
            }
        }
        let serial = d.serial.is_none();
        let online = d.status.is_online();
        let category = classify(&d.model, false);
        let router_ports = online && category == Category::Router;
        let switch_ports = online && category == Category::Switch && ctx.options.switch_ports;
        // Routers: 12 hex upper (port fetch); serial lookups: colon form as listed.
        let info = if router_ports {
            Some(mac.to_compact_upper())
        } else if serial {
            Some(mac.to_colon_upper())
        } else {
            None
        };
        if info.is_some() || switch_ports {
            needs.push(Need {
                index,
                mac,
                info,
                router_ports,
                switch_ports,
                serial,
            });
        }
    }
    let mut set = JoinSet::new();
    let timeout = ctx.options.device_timeout();
    for n in needs {
        let api = api.clone();
        let id = network_id.to_string();
        set.spawn(async move {
            let info = async {
                match &n.info {
                    Some(m) => Some(device_info(&api, &id, m, timeout).await),
                    None => None,
                }
            };
            let switch = async {
                if n.switch_ports {
                    Some(switch_ports(&api, &id, &n.mac.to_compact_upper(), timeout).await)
                } else {
                    None
                }
            };
            let (info, switch) = tokio::join!(info, switch);
            Enriched {
                index: n.index,
                info,
                switch,
                router_ports: n.router_ports,
                serial: n.serial,
                mac: n.mac,
            }
        });
    }
    while let Some(r) = set.join_next().await {
        let Ok(e) = r else { continue };
        let Some(d) = devices.get_mut(e.index) else {
            continue;
        };
        match e.info {
            Some(Ok(info)) => {
                if e.serial {
                    d.serial = info.serial.clone();
                }
                d.firmware = d.firmware.take().or(info.firmware);
                d.uptime_sec = d.uptime_sec.or(info.uptime_sec);
                if e.router_ports {
                    d.ports = PortsFetch::Fetched {
                        ports: info.ports.unwrap_or_default(),
                    };
                }
            }
            Some(Err(err)) => {
                if e.router_ports {
                    d.ports = PortsFetch::Failed {
                        failure: err.to_failure(),
                    };
                    problems.push(problem(
                        Some(Cloud::Gwn),
                        ProblemKind::Ports,
                        Some(network_id),
                        Some(e.mac),
                        &err,
                    ));
                } else {
                    problems.push(problem(
                        Some(Cloud::Gwn),
                        ProblemKind::Serial,
                        Some(network_id),
                        Some(e.mac),
                        &err,
                    ));
                }
            }
            None => {}
        }
        match e.switch {
            Some(Ok(ports)) => d.ports = PortsFetch::Fetched { ports },
            Some(Err(err)) => {
                d.ports = PortsFetch::Failed {
                    failure: err.to_failure(),
                };
                problems.push(problem(
                    Some(Cloud::Gwn),
                    ProblemKind::Ports,
                    Some(network_id),
                    Some(e.mac),
                    &err,
                ));
            }
            None => {}
        }
    }
}

fn mac_body(network_id: &str, mac: &str) -> Value {
    let mut b = net_body(network_id);
    b.insert("mac".into(), json!(mac));
    Value::Object(b)
}

async fn device_info(
    api: &Api,
    network_id: &str,
    mac: &str,
    timeout: Duration,
) -> Result<DeviceInfo, CloudError> {
    let body = mac_body(network_id, mac);
    api.call(&Call {
        method: Method::Post,
        endpoint: "device/info",
        query: &[],
        body: Some(&body),
        timeout,
        safety: Safety::Safe,
    })
    .await
    .map(|d| gwn_devices::device_info(&d))
}

async fn switch_ports(
    api: &Api,
    network_id: &str,
    mac: &str,
    timeout: Duration,
) -> Result<Vec<crate::snapshot::Port>, CloudError> {
    let body = mac_body(network_id, mac);
    let data = api
        .call(&Call {
            method: Method::Post,
            endpoint: "switch/portInfo",
            query: &[],
            body: Some(&body),
            timeout,
            safety: Safety::Safe,
        })
        .await?;
    let rows = read::rows(&data).ok_or_else(|| CloudError::Malformed {
        endpoint: "/oapi/v1.0.0/switch/portInfo".into(),
        detail: "no result list".into(),
    })?;
    Ok(rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| super::ports::switch_port(r, i))
        .collect())
}

/// Fetches one firmware page (GET, only HTTP 200 counts).
///
/// # Errors
/// Transport errors; [`CloudError::Http`] for any other status.
pub async fn firmware_page(
    transport: &Transport,
    base: &str,
    slug: &str,
    channel: FirmwareChannel,
    timeout: Duration,
) -> Result<String, CloudError> {
    let path = format!("/support/firmware/{slug}-{}-firmware", channel.as_str());
    let build = || Outgoing {
        method: Method::Get,
        url: format!("{base}{path}"),
        query: Vec::new(),
        body: None,
    };
    let reply = transport.send(&build, timeout, Safety::Safe).await?;
    if reply.status != 200 {
        return Err(CloudError::Http {
            endpoint: path,
            status: reply.status,
            hint: String::new(),
        });
    }
    Ok(String::from_utf8_lossy(&reply.body).into_owned())
}

async fn firmware_part(
    ctx: Arc<Ctx>,
    base: String,
    models: Vec<String>,
) -> (Vec<FirmwareOffer>, Vec<Problem>) {
    let models: BTreeSet<String> = models
        .into_iter()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let mut channels = vec![FirmwareChannel::Official];
    if ctx.options.firmware_beta {
        channels.push(FirmwareChannel::Beta);
    }
    let pages: BTreeSet<(&'static str, FirmwareChannel)> = models
        .iter()
        .filter_map(|m| firmware::slug_for(m))
        .flat_map(|slug| channels.iter().map(move |c| (slug, *c)))
        .collect();
    // One request per page, however many models share it (per-request cache).
    let mut set = JoinSet::new();
    for (slug, channel) in pages {
        let (ctx, base) = (ctx.clone(), base.clone());
        set.spawn(async move {
            let timeout = ctx.options.device_timeout();
            let r = firmware_page(&ctx.transport, &base, slug, channel, timeout).await;
            ((slug, channel), r)
        });
    }
    let mut read: HashMap<(&'static str, FirmwareChannel), Result<String, CloudError>> =
        HashMap::new();
    while let Some(r) = set.join_next().await {
        if let Ok((key, page)) = r {
            read.insert(key, page);
        }
    }
    let mut offers = Vec::new();
    let mut problems = Vec::new();
    for m in models {
        let Some(slug) = firmware::slug_for(&m) else {
            offers.push(firmware::cdn_offer(&m));
            continue;
        };
        for &channel in &channels {
            match read.get(&(slug, channel)) {
                Some(Ok(html)) => offers.push(firmware::read_page(html, &m, slug, channel)),
                // Most families have no beta programme: no page is no offer, not a fault.
                Some(Err(CloudError::Http { status: 404, .. }))
                    if channel == FirmwareChannel::Beta => {}
                Some(Err(e)) => {
                    let mut p = problem(None, ProblemKind::FirmwarePage, None, None, e);
                    p.model = Some(m.clone());
                    problems.push(p);
                }
                None => {}
            }
        }
    }
    (offers, problems)
}
