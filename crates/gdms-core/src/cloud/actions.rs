//! Destructive calls: scheduling firmware upgrades (GWN `upgrade/add`, spec
//! §6.8; GDMS UC `task/add` with taskType 3, §5.2). Sent exactly once: never
//! retried on timeouts or 5xx, since the cloud may have acted.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::api::{Api, Call, Signer};
use super::config::{FetchOptions, GwnConfig, UcConfig};
use super::error::CloudError;
use super::read;
use super::token::{now_ms, TokenSlot};
use super::transport::{Method, Safety, Transport};
use crate::snapshot::{Cloud, FetchFailure, TokenState};
use crate::Mac;

/// `gdms_firmware_upgrade` request.
#[derive(Debug, Clone, Deserialize)]
pub struct UpgradeRequest {
    /// Which cloud the devices belong to.
    pub cloud: Cloud,
    /// Devices, MACs in any spelling.
    pub macs: Vec<String>,
    /// Scheduled start, epoch ms; `None` = as soon as possible.
    #[serde(default)]
    pub time_ms: Option<i64>,
    /// UC only: target version (`fwVersion`).
    #[serde(default)]
    pub version: Option<String>,
    /// UC only: download URL (must be https on firmware.grandstream.com or fw.gdms.cloud).
    #[serde(default)]
    pub download_url: Option<String>,
    /// GDMS UC credentials (needed when `cloud` = `uc`).
    #[serde(default, deserialize_with = "super::config::optional_section")]
    pub uc: Option<UcConfig>,
    /// GWN credentials (needed when `cloud` = `gwn`).
    #[serde(default, deserialize_with = "super::config::optional_section")]
    pub gwn: Option<GwnConfig>,
    /// Stored tokens.
    #[serde(default)]
    pub tokens: Vec<TokenState>,
    /// Timeouts (retries do not apply).
    #[serde(default)]
    pub options: FetchOptions,
}

/// `gdms_firmware_upgrade` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpgradeResult {
    /// Whether the cloud accepted the task.
    pub ok: bool,
    /// MACs the cloud confirmed (GWN `success_upgrade_macs`; UC: all sent).
    pub accepted_macs: Vec<Mac>,
    /// GDMS `taskId`.
    pub task_id: Option<String>,
    /// Why not, when `ok` is false.
    pub failure: Option<FetchFailure>,
    /// Admin-facing message.
    pub message: String,
    /// Tokens in use, to store.
    pub tokens: Vec<TokenState>,
}

/// Hosts a UC firmware URL may point to (the reference's allow-list, https only).
fn allowed_url(u: &str) -> bool {
    let Some(rest) = u.trim().strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.eq_ignore_ascii_case("firmware.grandstream.com")
        || host.eq_ignore_ascii_case("fw.gdms.cloud")
}

/// Builds the body of the call, checking the request first.
///
/// # Errors
/// [`CloudError::InvalidRequest`] for bad MACs, an empty list or a URL off the allow-list.
pub fn upgrade_body(req: &UpgradeRequest, now: i64) -> Result<(Vec<Mac>, Value), CloudError> {
    let macs: Vec<Mac> = req
        .macs
        .iter()
        .map(|m| Mac::parse(m).map_err(|e| CloudError::InvalidRequest(e.to_string())))
        .collect::<Result<_, _>>()?;
    if macs.is_empty() {
        return Err(CloudError::InvalidRequest("no MAC to upgrade".into()));
    }
    let mut b = Map::new();
    match req.cloud {
        Cloud::Gwn => {
            b.insert(
                "macs".into(),
                json!(macs.iter().map(Mac::to_compact_upper).collect::<Vec<_>>()),
            );
            if let Some(t) = req.time_ms {
                b.insert("time".into(), json!(t));
            }
        }
        Cloud::Uc => {
            let first = macs[0].to_compact_upper();
            b.insert(
                "taskName".into(),
                json!(format!("GLPI11_UPG_{first}_{now}")),
            );
            b.insert("taskType".into(), json!(3));
            b.insert(
                "macList".into(),
                json!(macs.iter().map(Mac::to_colon_upper).collect::<Vec<_>>()),
            );
            b.insert(
                "fwVersion".into(),
                json!(req.version.clone().unwrap_or_default()),
            );
            if let Some(u) = req.download_url.as_deref().filter(|u| !u.trim().is_empty()) {
                if !allowed_url(u) {
                    return Err(CloudError::InvalidRequest(
                        "download_url must be https on firmware.grandstream.com or fw.gdms.cloud"
                            .into(),
                    ));
                }
                b.insert("firmwareDownloadUrl".into(), json!(u.trim()));
            }
            match req.time_ms {
                Some(t) => {
                    b.insert("execType".into(), json!(2));
                    b.insert("startTimestamp".into(), json!(t));
                    b.insert("endTimestamp".into(), json!(t + 7 * 86_400_000));
                }
                None => {
                    b.insert("execType".into(), json!(1));
                }
            }
        }
    }
    Ok((macs, Value::Object(b)))
}

/// Schedules the upgrade; one attempt.
///
/// # Errors
/// [`CloudError::InvalidRequest`] for a bad request or missing credentials;
/// cloud failures are in the result, not errors.
pub async fn firmware_upgrade(req: UpgradeRequest) -> Result<UpgradeResult, CloudError> {
    let (macs, body) = upgrade_body(&req, now_ms())?;
    let transport = Arc::new(Transport::new(&req.options)?);
    let timeout = req.options.timeout();
    let (api, endpoint) = match req.cloud {
        Cloud::Gwn => {
            let c = req
                .gwn
                .as_ref()
                .filter(|c| c.is_complete())
                .ok_or_else(|| {
                    CloudError::InvalidRequest(
                        "GWN credentials are required for a GWN upgrade".into(),
                    )
                })?;
            let slot = Arc::new(TokenSlot::gwn(c));
            slot.seed(&req.tokens);
            let signer = Signer::Gwn {
                app_id: c.app_id.trim().to_string(),
                secret_key: c.secret_key.clone(),
            };
            (
                Api::new(c.base(), signer, slot, transport, timeout),
                "upgrade/add",
            )
        }
        Cloud::Uc => {
            let c = req.uc.as_ref().filter(|c| c.is_complete()).ok_or_else(|| {
                CloudError::InvalidRequest(
                    "GDMS UC credentials are required for a UC upgrade".into(),
                )
            })?;
            let slot = Arc::new(TokenSlot::uc(c));
            slot.seed(&req.tokens);
            let signer = Signer::Uc {
                client_id: c.client_id.trim().to_string(),
                client_secret: c.client_secret.clone(),
            };
            (
                Api::new(c.base(), signer, slot, transport, timeout),
                "task/add",
            )
        }
    };
    let result = api
        .call(&Call {
            method: Method::Post,
            endpoint,
            query: &[],
            body: Some(&body),
            timeout,
            safety: Safety::Destructive,
        })
        .await;
    let tokens: Vec<TokenState> = api.tokens.state().await.into_iter().collect();
    Ok(match result {
        Ok(data) => {
            let accepted = match req.cloud {
                Cloud::Gwn => data
                    .get("success_upgrade_macs")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(read::as_text)
                            .filter_map(|m| Mac::parse_lenient(&m))
                            .collect()
                    })
                    .unwrap_or_default(),
                Cloud::Uc => macs,
            };
            UpgradeResult {
                ok: true,
                message: format!("upgrade scheduled for {} device(s)", accepted.len()),
                accepted_macs: accepted,
                task_id: read::text(&data, &["taskId"]),
                failure: None,
                tokens,
            }
        }
        Err(e) => UpgradeResult {
            ok: false,
            accepted_macs: Vec::new(),
            task_id: None,
            failure: Some(e.to_failure()),
            message: e.to_string(),
            tokens,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(cloud: &str, extra: &str) -> UpgradeRequest {
        serde_json::from_str(&format!(
            r#"{{"cloud":"{cloud}","macs":["c0:74:ad:12:34:56"]{extra}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn gwn_body_uses_compact_macs() {
        let (_, b) = upgrade_body(&req("gwn", r#","time_ms":1767312000000"#), 1).unwrap();
        assert_eq!(
            b,
            json!({"macs": ["C074AD123456"], "time": 1767312000000_i64})
        );
        let (_, b) = upgrade_body(&req("gwn", ""), 1).unwrap();
        assert_eq!(b, json!({"macs": ["C074AD123456"]}));
    }

    #[test]
    fn uc_body_is_a_type_3_task() {
        let (_, b) = upgrade_body(&req("uc", r#","version":"1.0.3.21""#), 1767225600000).unwrap();
        assert_eq!(b["taskName"], "GLPI11_UPG_C074AD123456_1767225600000");
        assert_eq!(b["taskType"], 3);
        assert_eq!(b["execType"], 1);
        assert_eq!(b["macList"][0], "C0:74:AD:12:34:56");
        assert!(upgrade_body(
            &req("uc", r#","download_url":"http://evil.example/x.bin""#),
            1
        )
        .is_err());
        assert!(upgrade_body(
            &req(
                "uc",
                r#","download_url":"https://firmware.grandstream.com/ucm6300fw.bin""#
            ),
            1
        )
        .is_ok());
        let bad: UpgradeRequest = serde_json::from_str(r#"{"cloud":"gwn","macs":["zz"]}"#).unwrap();
        assert!(upgrade_body(&bad, 1).is_err());
    }
}
