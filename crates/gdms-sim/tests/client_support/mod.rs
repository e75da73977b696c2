//! Shared helpers of the client-vs-simulator tests: a simulator, a fetch
//! request pointing at it, and readers of the answer.
#![allow(dead_code)]

use gdms_core::cloud::{self, FetchDocument, FetchRequest};
use gdms_core::snapshot::{FetchFailure, SourceKey, SourceReport};
use gdms_sim::{Sim, SimConfig, SimHandle};
use serde_json::{json, Value};

pub fn spawn_with(config: SimConfig) -> SimHandle {
    Sim::spawn(config).expect("simulator starts")
}

/// The request JSON for both clouds of `sim`, with `options` merged in.
pub fn request_json(sim: &SimHandle, options: Value) -> Value {
    let uc = sim.uc_credentials();
    let gwn = sim.gwn_credentials();
    json!({
        "uc": {
            "username": uc.username, "password": uc.password,
            "client_id": uc.client_id, "client_secret": uc.client_secret,
            "region": "us", "base_url": sim.uc_uri(),
        },
        "gwn": { "app_id": gwn.app_id, "secret_key": gwn.secret_key, "base_url": sim.gwn_uri() },
        "firmware_base_url": sim.firmware_uri(),
        "options": options,
    })
}

pub fn fetch_value(req: &Value) -> FetchDocument {
    let r: FetchRequest = serde_json::from_value(req.clone()).expect("request shape");
    cloud::fetch_blocking(r).expect("fetch runs")
}

pub fn fetch(sim: &SimHandle, options: Value) -> FetchDocument {
    fetch_value(&request_json(sim, options))
}

pub fn source<'a>(doc: &'a FetchDocument, key: &SourceKey) -> &'a SourceReport {
    doc.snapshot
        .sources
        .iter()
        .find(|r| &r.source == key)
        .unwrap_or_else(|| panic!("no report for {key:?}: {:?}", doc.snapshot.sources))
}

pub fn gwn_network_reports(doc: &FetchDocument) -> Vec<&SourceReport> {
    doc.snapshot
        .sources
        .iter()
        .filter(|r| matches!(r.source, SourceKey::GwnNetwork { .. }))
        .collect()
}

pub fn all_complete(doc: &FetchDocument) -> bool {
    doc.snapshot.sources.iter().all(|r| r.complete)
}

pub fn failure(r: &SourceReport) -> FetchFailure {
    r.failure
        .clone()
        .unwrap_or_else(|| panic!("expected a failure on {r:?}"))
}
