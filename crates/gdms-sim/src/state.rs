//! The state one simulator instance shares between its request handlers and
//! its [`crate::SimHandle`]. Locks are std locks held only for short, non-async
//! sections (never across an `.await`).

use std::sync::atomic::AtomicI64;
use std::sync::{mpsc, Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::auth::TokenStore;
use crate::config::{GwnCredentials, SimConfig, UcCredentials};
use crate::faults::FaultEngine;
use crate::fleet::render::RenderCtx;
use crate::fleet::Fleet;
use crate::rng::SplitMix64;
use crate::stats::Stats;
use crate::webhook::PushRequest;

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

    /// A fresh UUID-shaped token.
    pub fn new_token(&self) -> String {
        lock(&self.token_rng).uuid()
    }
}
