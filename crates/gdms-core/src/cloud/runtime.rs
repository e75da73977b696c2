//! The async runtime and HTTP clients, created lazily, once per process.
//!
//! php-fpm loads the extension in the master and forks workers after MINIT;
//! threads and sockets do not survive a fork. So nothing is created at module
//! start: the first fetch in a worker creates the runtime and the pooled
//! client, and every later fetch of that worker reuses them (keep-alive
//! connections included).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tokio::runtime::Runtime;

use super::error::CloudError;

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
static CLIENTS: OnceLock<Mutex<HashMap<u64, reqwest::Client>>> = OnceLock::new();

/// `User-Agent` of every request: browser-compatible, as the reference sent to
/// the public firmware pages (spec §9), which may refuse unknown agents.
pub const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (compatible; GDMSintegration/",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// The process runtime (two worker threads: the work is waiting, not computing).
///
/// # Errors
/// [`CloudError::InvalidRequest`] when the OS refuses to start threads.
pub fn runtime() -> Result<&'static Runtime, CloudError> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("gdms-cloud")
        .enable_all()
        .build()
        .map_err(|e| CloudError::InvalidRequest(format!("cannot start the I/O runtime: {e}")))?;
    // Another thread may have won the race; its runtime is kept, ours dropped.
    let _ = RUNTIME.set(rt);
    RUNTIME
        .get()
        .ok_or_else(|| CloudError::InvalidRequest("I/O runtime unavailable".into()))
}

/// Runs `fut` to completion on the process runtime from a plain (non-async) thread.
///
/// # Errors
/// As [`runtime`]; [`CloudError::InvalidRequest`] when called from inside an
/// async runtime (blocking there would panic).
pub fn block_on<F: std::future::Future>(fut: F) -> Result<F::Output, CloudError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(CloudError::InvalidRequest(
            "the blocking cloud functions cannot run inside an async runtime; call cloud::fetch::fetch instead".into(),
        ));
    }
    Ok(runtime()?.block_on(fut))
}

/// The pooled client for a connect timeout (one per distinct value, kept).
///
/// # Errors
/// [`CloudError::InvalidRequest`] when TLS cannot be initialised.
pub fn client(connect_timeout: Duration) -> Result<reqwest::Client, CloudError> {
    let key = connect_timeout.as_millis() as u64;
    let map = CLIENTS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = map.get(&key) {
        return Ok(c.clone());
    }
    let c = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .pool_max_idle_per_host(64)
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true)
        .user_agent(USER_AGENT)
        .build()
        .map_err(|e| CloudError::InvalidRequest(format!("cannot build the HTTP client: {e}")))?;
    map.insert(key, c.clone());
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_inside_a_runtime_is_an_error_not_a_panic() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let inner = rt.block_on(async { block_on(async { 1 }) });
        assert!(matches!(inner, Err(CloudError::InvalidRequest(_))));
        assert_eq!(block_on(async { 2 }).unwrap(), 2);
    }
}
