//! The state one simulator instance shares between its request handlers and
//! its [`crate::SimHandle`]. Locks are std locks held only for short, non-async
//! sections (never across an `.await`).

use std::collections::HashMap;
use std::sync::atomic::AtomicI64;
use std::sync::{mpsc, Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use gdms_core::Mac;

use crate::auth::TokenStore;
use crate::config::{GwnCredentials, SimConfig, UcCredentials};
use crate::faults::FaultEngine;
use crate::fleet::render::RenderCtx;
use crate::fleet::Fleet;
use crate::rng::SplitMix64;
use crate::stats::Stats;
use crate::webhook::PushRequest;

/// An accepted firmware upgrade waiting for its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingUpgrade {
    /// Target device.
    pub mac: Mac,
    /// When it completes, epoch ms.
    pub due_ms: i64,
    /// Version to install; `None` = the catalogue's latest at completion.
    pub version: Option<String>,
}

/// Current credentials (they change on rotation).
#[derive(Debug, Clone)]
pub struct Credentials {
    /// GDMS UC.
    pub uc: UcCredentials,
    /// GWN.
    pub gwn: GwnCredentials,
}

/// Everything a running simulator knows.
#[derive(Debug)]
pub struct SimState {
    /// Start-up configuration.
    pub config: SimConfig,
    /// Live credentials.
    pub creds: Mutex<Credentials>,
    /// Issued tokens.
    pub tokens: Mutex<TokenStore>,
    /// The estate.
    pub fleet: RwLock<Fleet>,
    /// Fault rules.
    pub faults: Mutex<FaultEngine>,
    /// Counters and recordings.
    pub stats: Arc<Mutex<Stats>>,
    /// Token generator (not seeded from the fleet seed alone, so two
    /// simulators never hand out the same token).
    pub token_rng: Mutex<SplitMix64>,
    /// Next GDMS task id.
    pub next_task_id: AtomicI64,
    /// When the simulator started (counters grow from here).
    pub started: Instant,
    /// Receiver of automatic status webhooks: `(url, secret)`.
    pub webhook_target: Mutex<Option<(String, Option<String>)>>,
    /// Panics caught in request handlers (simulator bugs), re-raised on drop.
    pub panics: Mutex<Vec<String>>,
    /// Upgrades accepted and not yet applied.
    pub pending_upgrades: Mutex<Vec<PendingUpgrade>>,
    /// Per-token request counts in the current second (rate limit).
    pub rate_windows: Mutex<HashMap<String, (i64, u32)>>,
    /// Queue of the automatic-webhook sender thread, started on first use.
    webhook_queue: Mutex<Option<mpsc::Sender<PushRequest>>>,
}

/// Locks a mutex, recovering from poisoning: a panicked handler must not take
/// the whole fixture down with it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Server wall-clock time, epoch ms.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl SimState {
    /// Builds the state (and generates the fleet) for `config`.
    pub fn new(config: SimConfig) -> Self {
        let fleet = crate::fleet::generate::generate(&config);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Self {
            creds: Mutex::new(Credentials {
                uc: config.uc.clone(),
                gwn: config.gwn.clone(),
            }),
            tokens: Mutex::new(TokenStore::default()),
            fleet: RwLock::new(fleet),
            faults: Mutex::new(FaultEngine::new(config.seed)),
            stats: Arc::new(Mutex::new(Stats::default())),
            token_rng: Mutex::new(SplitMix64::new(config.seed ^ nanos)),
            next_task_id: AtomicI64::new(880_011),
            started: Instant::now(),
            webhook_queue: Mutex::new(None),
            panics: Mutex::new(Vec::new()),
            pending_upgrades: Mutex::new(Vec::new()),
            rate_windows: Mutex::new(HashMap::new()),
            webhook_target: Mutex::new(
                config
                    .webhook_url
                    .clone()
                    .map(|u| (u, config.webhook_secret.clone())),
            ),
            config,
        }
    }

    /// Reads the fleet.
    pub fn fleet(&self) -> RwLockReadGuard<'_, Fleet> {
        self.fleet.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the fleet.
    pub fn fleet_mut(&self) -> RwLockWriteGuard<'_, Fleet> {
        self.fleet.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The render context for now.
    pub fn render_ctx(&self) -> RenderCtx {
        RenderCtx {
            now_ms: now_ms(),
            elapsed_s: self.started.elapsed().as_secs(),
        }
    }

    /// The counters, shareable with a background thread.
    pub fn stats_handle(&self) -> Arc<Mutex<Stats>> {
        self.stats.clone()
    }

    /// Queues an automatic webhook; the sender thread pushes them in order
    /// and ends when the simulator is dropped.
    pub fn queue_webhook(&self, req: PushRequest) {
        let mut q = lock(&self.webhook_queue);
        let tx = q.get_or_insert_with(|| {
            let (tx, rx) = mpsc::channel::<PushRequest>();
            let stats = self.stats_handle();
            std::thread::spawn(move || {
                for req in rx {
                    let ok = crate::webhook::push(&req).is_ok();
                    let mut s = lock(&stats);
                    if ok {
                        s.snap.webhooks_sent += 1;
                    } else {
                        s.snap.webhooks_failed += 1;
                    }
                }
            });
            tx
        });
        let _ = tx.send(req);
    }

    /// Applies every upgrade whose time has come: the device then reports
    /// the new firmware (and a UC device no longer has a scheduled task).
    /// Called on each request and before the fleet is read through the handle.
    pub fn settle(&self) {
        let now = now_ms();
        let due: Vec<PendingUpgrade> = {
            let mut pending = lock(&self.pending_upgrades);
            if pending.is_empty() {
                return;
            }
            let (due, later): (Vec<_>, Vec<_>) = pending.drain(..).partition(|u| u.due_ms <= now);
            *pending = later;
            due
        };
        if due.is_empty() {
            return;
        }
        let mut fleet = self.fleet_mut();
        for u in due {
            if let Some(model) = fleet.gwn_device(&u.mac).map(|d| d.model.clone()) {
                let v = u
                    .version
                    .or_else(|| fleet.latest_firmware(&model).map(|r| r.latest.clone()));
                if let (Some(v), Some(d)) = (v, fleet.gwn_device_mut(&u.mac)) {
                    d.firmware = v;
                }
            } else if let Some(model) = fleet.uc_device(&u.mac).map(|d| d.model.clone()) {
                let v = u
                    .version
                    .or_else(|| fleet.latest_firmware(&model).map(|r| r.latest.clone()));
                if let Some(d) = fleet.uc_device_mut(&u.mac) {
                    if let Some(v) = v {
                        d.firmware = v;
                    }
                    d.scheduled_task = 0;
                }
            }
        }
    }

    /// Counts a request against its token's per-second budget; false when
    /// over the configured limit.
    pub fn within_rate_limit(&self, token: &str, now_ms: i64) -> bool {
        let Some(limit) = self.config.rate_limit_per_s else {
            return true;
        };
        let second = now_ms / 1000;
        let mut windows = lock(&self.rate_windows);
        let w = windows.entry(token.to_string()).or_insert((second, 0));
        if w.0 != second {
            *w = (second, 0);
        }
        w.1 += 1;
        w.1 <= limit
    }

    /// A fresh UUID-shaped token.
    pub fn new_token(&self) -> String {
        lock(&self.token_rng).uuid()
    }
}
