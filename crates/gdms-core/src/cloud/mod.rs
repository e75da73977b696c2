//! Clients of the Grandstream clouds (GDMS UC and GWN) and the fetch that
//! turns their answers into a [`crate::snapshot::Snapshot`].
//!
//! | Module | Holds |
//! |---|---|
//! | [`config`] | request documents: credentials, hosts, limits |
//! | [`runtime`] | the lazily created tokio runtime and pooled HTTP clients |
//! | [`transport`] | one HTTP exchange: concurrency bound, retries, backoff |
//! | [`token`] | token grants, reuse and renewal |
//! | [`api`] | signed business calls and the response envelope |
//! | [`pages`] | reading every page of a list |
//! | [`uc_devices`], [`gwn_devices`], [`ports`], [`extras`] | answers → snapshot values |
//! | [`firmware`] | UC firmware pages |
//! | [`fetch`] | one full fetch |
//! | [`uc_calls`] | GDMS UC organisations, sites, device detail |
//! | [`probe`] | connection tests |
//! | [`actions`] | firmware upgrades (destructive, never retried) |
//!
//! The `*_json` functions are what the PHP extension calls: a JSON string in,
//! a JSON string out (documents in [`crate::contract::fetch`]). They run on
//! the process runtime and must be called from a thread that is not itself
//! inside a tokio runtime.

pub mod actions;
pub mod api;
pub mod config;
pub mod error;
pub mod extras;
pub mod fetch;
pub mod firmware;
pub mod gwn_devices;
pub mod pages;
pub mod ports;
pub mod probe;
pub mod read;
#[cfg(test)]
mod robustness;
pub mod runtime;
pub mod token;
pub mod transport;
pub mod uc_calls;
pub mod uc_devices;

pub use config::FetchRequest;
pub use error::CloudError;
pub use fetch::FetchDocument;

fn parse<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T, CloudError> {
    serde_json::from_str(json)
        .map_err(|e| CloudError::InvalidRequest(format!("{what} document: {e}")))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, CloudError> {
    serde_json::to_string(v)
        .map_err(|e| CloudError::InvalidRequest(format!("cannot encode the answer: {e}")))
}

/// Runs a fetch from a plain thread.
///
/// # Errors
/// As [`fetch::fetch`] and [`runtime::block_on`].
pub fn fetch_blocking(req: FetchRequest) -> Result<FetchDocument, CloudError> {
    runtime::block_on(fetch::fetch(req))?
}

/// A GDMS UC [`api::Api`] over its own transport, for the calls outside a
/// fetch ([`uc_calls`]). Tokens come from the process cache like a fetch's.
///
/// # Errors
/// [`CloudError::NotConfigured`] for incomplete credentials; as [`transport::Transport::new`].
pub fn uc_api(
    cfg: &config::UcConfig,
    options: &config::FetchOptions,
) -> Result<api::Api, CloudError> {
    if !cfg.is_complete() {
        return Err(CloudError::NotConfigured);
    }
    Ok(api::Api::new(
        cfg.base(),
        api::Signer::Uc {
            client_id: cfg.client_id.trim().to_string(),
            client_secret: cfg.client_secret.clone(),
        },
        std::sync::Arc::new(token::TokenSlot::uc(cfg)),
        std::sync::Arc::new(transport::Transport::new(options)?),
        options.timeout(),
    ))
}

/// `gdms_fetch`: fetch request document in, fetch document out.
///
/// # Errors
/// [`CloudError::InvalidRequest`] when the request is not the documented shape
/// (cloud failures are inside the answer, never errors).
pub fn fetch_json(request: &str) -> Result<String, CloudError> {
    let req: FetchRequest = parse("fetch request", request)?;
    to_json(&fetch_blocking(req)?)
}

/// `gdms_test_connection`: fetch request document (credentials and options) in,
/// [`probe::ProbeReport`] out.
///
/// # Errors
/// As [`fetch_json`].
pub fn test_connection_json(request: &str) -> Result<String, CloudError> {
    let req: FetchRequest = parse("test connection request", request)?;
    to_json(&runtime::block_on(probe::test_connection(req))??)
}

/// `gdms_firmware_upgrade`: [`actions::UpgradeRequest`] in, [`actions::UpgradeResult`] out.
///
/// # Errors
/// [`CloudError::InvalidRequest`] for a malformed request, bad MACs or missing
/// credentials; a cloud refusal is an `ok: false` answer.
pub fn firmware_upgrade_json(request: &str) -> Result<String, CloudError> {
    let req: actions::UpgradeRequest = parse("firmware upgrade request", request)?;
    to_json(&runtime::block_on(actions::firmware_upgrade(req))??)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_requests_are_errors_with_a_reason() {
        let e = fetch_json("{").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid request: fetch request document"),
            "{e}"
        );
        let e = fetch_json(r#"{"uc": 5}"#).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
    }

    #[test]
    fn nothing_configured_is_a_snapshot_of_not_configured_sources() {
        let out = fetch_json("{}").unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["sources"][0]["source"]["kind"], "uc_devices");
        assert_eq!(v["sources"][0]["failure"]["kind"], "not_configured");
        assert_eq!(v["sources"][1]["source"]["kind"], "gwn_networks");
        assert_eq!(v["stats"]["requests"], 0);
        let snap: crate::snapshot::Snapshot = serde_json::from_str(&out).unwrap();
        assert!(!snap.is_complete(&crate::snapshot::SourceKey::UcDevices));
    }
}
