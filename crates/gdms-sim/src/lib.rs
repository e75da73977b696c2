//! # gdms-sim
//!
//! A loopback simulator of the Grandstream GDMS UC and GWN clouds, faithful to
//! `spec/grandstream-cloud-api.md`: it checks tokens, timestamps and signatures
//! exactly as the clouds do (with the same [`gdms_core::signing`] functions the
//! clients use), serves a seeded fleet, and injects faults. Used by tests,
//! `make demo` and `make bench`; never shipped with the plugin.
//!
//! ```no_run
//! use gdms_sim::{Sim, SimConfig};
//! let sim = Sim::spawn(SimConfig { networks: 2, devices: 20, ..SimConfig::default() }).unwrap();
//! let base = sim.uri(); // http://127.0.0.1:<port>, serves both clouds
//! # let _ = base;
//! // ... point a client at it; the server stops when `sim` is dropped.
//! ```
#![warn(missing_docs)]

mod admin;
pub mod auth;
mod chaos;
pub mod chatwoot;
pub mod config;
pub mod envelope;
pub mod error;
pub mod faults;
mod firmware_pages;
pub mod fleet;
mod gwn_routes;
pub mod http_client;
mod params;
pub mod rng;
pub mod scenario;
mod server;
mod state;
pub mod stats;
mod token_routes;
mod uc_routes;
pub mod verify;
pub mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::{json, Value};

pub use auth::Cloud;
pub use config::{GwnCredentials, SimConfig, TaskTypeMap, UcCredentials};
pub use error::SimError;
pub use faults::{FaultKind, FaultRule};
pub use fleet::Fleet;
pub use http_client::HttpResponse;
pub use scenario::Scenario;
pub use stats::{RecordedCall, StatsSnapshot};
pub use webhook::PushRequest;

use state::{lock, SimState};

/// Name the binary answers to, for `--version`.
pub const NAME: &str = "gdms-sim";

/// Starts simulators.
pub struct Sim;

impl Sim {
    /// Starts a simulator on `127.0.0.1:<config.port>` (0 = any free port) in
    /// its own thread pool, so blocking and async callers can both use it.
    /// The fleet is generated before this returns.
    ///
    /// # Errors
    /// [`SimError::Start`] when the port cannot be bound or the runtime not built.
    pub fn spawn(config: SimConfig) -> Result<SimHandle, SimError> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))
            .map_err(|e| SimError::Start(e.to_string()))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| SimError::Start(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| SimError::Start(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.max(1))
            .thread_name("gdms-sim")
            .enable_all()
            .build()
            .map_err(|e| SimError::Start(e.to_string()))?;
        let state = Arc::new(SimState::new(config));
        let app = server::router(state.clone());
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener)
                .map_err(|e| SimError::Start(e.to_string()))?
        };
        runtime.spawn(async move {
            // Serving only ends with the runtime (handle dropped).
            let _ = axum::serve(listener, app).await;
        });
        if let Some(ms) = state.config.chaos_interval_ms.filter(|ms| *ms > 0) {
            runtime.spawn(chaos::run(
                state.clone(),
                std::time::Duration::from_millis(ms),
            ));
        }
        Ok(SimHandle {
            state,
            addr,
            runtime: Some(runtime),
        })
    }
}

/// A running simulator. Dropping it stops the server at once (requests in
/// flight, including injected hangs, are abandoned) and re-raises any panic
/// caught in a request handler.
pub struct SimHandle {
    state: Arc<SimState>,
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            // Non-blocking: safe to drop from inside another async runtime.
            rt.shutdown_background();
        }
        let panics = self.panics();
        if !panics.is_empty() && !std::thread::panicking() {
            panic!("gdms-sim: request handlers panicked: {panics:?}");
        }
    }
}

impl SimHandle {
    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the host root. Both clouds share it since
    /// their paths do not collide (spec §1 path table): GDMS UC at
    /// `/oapi/oauth/token` and `/oapi/v1.0.0/…`, GWN at `/oauth/token` and
    /// `/oapi/v1.0.0/…`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Base to use in place of `https://www.gdms.cloud` (same as [`Self::uri`]).
    pub fn uc_uri(&self) -> String {
        self.uri()
    }

    /// Base to use in place of `https://www.gwn.cloud` (same as [`Self::uri`]).
    pub fn gwn_uri(&self) -> String {
        self.uri()
    }

    /// Base to use in place of `https://www.grandstream.com`: pages at
    /// `/support/firmware/<slug>-official-firmware` (same host as [`Self::uri`]).
    pub fn firmware_uri(&self) -> String {
        self.uri()
    }

    /// The admin API root, `http://127.0.0.1:<port>/__admin`.
    pub fn admin_uri(&self) -> String {
        format!("{}/__admin", self.uri())
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &SimConfig {
        &self.state.config
    }

    /// Current UC credentials (after any rotation).
    pub fn uc_credentials(&self) -> UcCredentials {
        lock(&self.state.creds).uc.clone()
    }

    /// Current GWN credentials (after any rotation).
    pub fn gwn_credentials(&self) -> GwnCredentials {
        lock(&self.state.creds).gwn.clone()
    }

    /// What `gdms-sim serve` prints: URIs and credentials as one JSON object.
    pub fn describe(&self) -> Value {
        let uc = self.uc_credentials();
        let gwn = self.gwn_credentials();
        let fleet = self.state.fleet();
        json!({
            "uri": self.uri(),
            "uc_uri": self.uc_uri(),
            "gwn_uri": self.gwn_uri(),
            "firmware_uri": self.firmware_uri(),
            "admin_uri": self.admin_uri(),
            "port": self.addr.port(),
            "seed": self.state.config.seed,
            "uc": {
                "username": uc.username,
                "password": uc.password,
                "password_hash": gdms_core::signing::uc_password_hash(&uc.password),
                "client_id": uc.client_id,
                "client_secret": uc.client_secret,
            },
            "gwn": { "app_id": gwn.app_id, "secret_key": gwn.secret_key },
            "networks": fleet.networks.len(),
            "gwn_devices": fleet.gwn.len(),
            "uc_devices": fleet.uc.len(),
        })
    }

    /// A copy of the fleet as it is now.
    pub fn fleet(&self) -> Fleet {
        self.state.settle();
        self.state.fleet().clone()
    }

    /// Reads the fleet without copying it.
    pub fn with_fleet<R>(&self, f: impl FnOnce(&Fleet) -> R) -> R {
        self.state.settle();
        f(&self.state.fleet())
    }

    /// Applies a scenario event (see [`Scenario`]).
    ///
    /// # Errors
    /// As [`scenario::apply`].
    pub fn apply(&self, event: Scenario) -> Result<Value, SimError> {
        scenario::apply(&self.state, &event)
    }

    /// Takes a device (GWN or UC) offline or brings it back.
    ///
    /// # Errors
    /// [`SimError::InvalidMac`] or [`SimError::UnknownDevice`].
    pub fn set_online(&self, mac: &str, online: bool) -> Result<(), SimError> {
        let mac = mac.to_string();
        let ev = if online {
            Scenario::DeviceOnline { mac }
        } else {
            Scenario::DeviceOffline { mac }
        };
        self.apply(ev).map(drop)
    }

    /// Sets the physical link of a router or switch port.
    ///
    /// # Errors
    /// [`SimError::InvalidMac`], [`SimError::UnknownDevice`] or [`SimError::UnknownPort`].
    pub fn set_port_link(&self, mac: &str, port: u32, up: bool) -> Result<(), SimError> {
        self.apply(Scenario::PortLink {
            mac: mac.into(),
            port,
            up,
        })
        .map(drop)
    }

    /// Sets internet reachability of a router WAN port (link unchanged).
    ///
    /// # Errors
    /// As [`Self::set_port_link`]; LAN ports are [`SimError::UnknownPort`].
    pub fn set_port_internet(&self, mac: &str, port: u32, up: bool) -> Result<(), SimError> {
        self.apply(Scenario::PortInternet {
            mac: mac.into(),
            port,
            up,
        })
        .map(drop)
    }

    /// Fails a router over from its active WAN to the other(s).
    ///
    /// # Errors
    /// [`SimError::UnknownPort`] when no WAN is active.
    pub fn failover(&self, mac: &str) -> Result<(), SimError> {
        self.apply(Scenario::Failover { mac: mac.into() }).map(drop)
    }

    /// Removes a device from the cloud (it can be restored).
    ///
    /// # Errors
    /// [`SimError::InvalidMac`] or [`SimError::UnknownDevice`].
    pub fn remove_device(&self, mac: &str) -> Result<(), SimError> {
        self.apply(Scenario::RemoveDevice { mac: mac.into() })
            .map(drop)
    }

    /// Brings a removed device back.
    ///
    /// # Errors
    /// [`SimError::InvalidMac`] or [`SimError::UnknownDevice`].
    pub fn restore_device(&self, mac: &str) -> Result<(), SimError> {
        self.apply(Scenario::RestoreDevice { mac: mac.into() })
            .map(drop)
    }

    /// Adds a new device of `kind` (`router`, `switch`, `ap`, `phone`, `pbx`)
    /// and returns its MAC (lower-case colon form).
    ///
    /// # Errors
    /// [`SimError::BadRequest`] for an unknown kind, [`SimError::UnknownNetwork`].
    pub fn add_device(&self, kind: &str, network_id: Option<i64>) -> Result<String, SimError> {
        let v = self.apply(Scenario::AddDevice {
            kind: kind.into(),
            network_id,
        })?;
        Ok(v["mac"].as_str().unwrap_or_default().to_string())
    }

    /// Publishes a new official firmware for `model` (and withdraws its beta).
    ///
    /// # Errors
    /// [`SimError::BadRequest`] for an empty version.
    pub fn publish_firmware(&self, model: &str, version: &str) -> Result<(), SimError> {
        self.publish_firmware_with_beta(model, version, None)
    }

    /// Publishes an official firmware for `model` and, with `beta`, a newer
    /// pre-release (the family's `-beta-firmware` page, GWN beta rows).
    ///
    /// # Errors
    /// [`SimError::BadRequest`] for an empty version.
    pub fn publish_firmware_with_beta(
        &self,
        model: &str,
        version: &str,
        beta: Option<&str>,
    ) -> Result<(), SimError> {
        self.apply(Scenario::Firmware {
            model: model.into(),
            version: version.into(),
            beta: beta.map(str::to_string),
        })
        .map(drop)
    }

    /// Rotates a cloud's credential: its tokens answer 40001 from now on; with
    /// `new_secret`, the old secret is refused too.
    pub fn rotate_credentials(&self, cloud: Cloud, new_secret: Option<&str>) {
        let _ = self.apply(Scenario::RotateCredentials {
            cloud,
            secret: new_secret.map(str::to_string),
        });
    }

    /// Expires every token of a cloud now (they answer 40002).
    pub fn expire_tokens(&self, cloud: Cloud) {
        let _ = self.apply(Scenario::ExpireTokens { cloud });
    }

    /// Adds a fault rule; returns its id.
    pub fn add_fault(&self, rule: FaultRule) -> u64 {
        lock(&self.state.faults).add(rule)
    }

    /// Removes a fault rule; false when unknown.
    pub fn remove_fault(&self, id: u64) -> bool {
        lock(&self.state.faults).remove(id)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// The fault rules with how often each fired.
    pub fn faults(&self) -> Vec<faults::ActiveRule> {
        lock(&self.state.faults).list()
    }

    /// Panics caught in request handlers (each answered HTTP 500). A non-empty
    /// list makes dropping the handle panic, so simulator bugs fail the test.
    pub fn panics(&self) -> Vec<String> {
        lock(&self.state.panics).clone()
    }

    /// A copy of the counters.
    pub fn stats(&self) -> StatsSnapshot {
        lock(&self.state.stats).snap.clone()
    }

    /// Zeroes the counters and forgets recorded calls.
    pub fn reset_stats(&self) {
        lock(&self.state.stats).reset();
    }

    /// Destructive calls received (`task/add`, `upgrade/add`), oldest first.
    pub fn recorded(&self) -> Vec<RecordedCall> {
        lock(&self.state.stats).recorded.clone()
    }

    /// Pushes a webhook (blocking; call from a blocking context or
    /// `spawn_blocking`).
    ///
    /// # Errors
    /// As [`webhook::push`].
    pub fn push_webhook(&self, req: &PushRequest) -> Result<HttpResponse, SimError> {
        let r = webhook::push(req)?;
        lock(&self.state.stats).snap.webhooks_sent += 1;
        Ok(r)
    }

    /// Pushes `{"mac":…,"status":…}` to `url`, signed when `secret` is given.
    ///
    /// # Errors
    /// As [`webhook::push`].
    pub fn push_device_status(
        &self,
        url: &str,
        secret: Option<&str>,
        mac: &str,
        status: &str,
    ) -> Result<HttpResponse, SimError> {
        self.push_webhook(&PushRequest {
            url: url.into(),
            secret: secret.map(str::to_string),
            body: None,
            mac: Some(mac.into()),
            status: Some(status.into()),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signing_is_shared_with_the_clients() {
        // The simulator verifies with the clients' own function: spec vector W3.
        assert_eq!(
            gdms_core::signing::gwn_signature(
                "8c3e51f2-7a44-4b0e-b6d2-0e9f1a3c5d77",
                "100200",
                "Zx9Yw8Vu7Ts6Rq5P",
                "1767225600123",
                b""
            ),
            "aabb6cce79ec756ba8638e411579de3739e22849649590fe66d406bfa8c1d4bc"
        );
    }
}
