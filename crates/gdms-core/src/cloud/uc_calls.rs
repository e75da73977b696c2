//! GDMS UC calls outside the sync cycle: organisations, sites and one
//! device's detail (spec §5.3, §5.4). Signed like every UC call; `org/list`
//! without a body (vector G2), `site/list` with `orgId` in the signed query
//! (G3), `device/detail` with `mac` and `isFirst` in the signed query and a
//! `[]` body, as third-party clients send it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{Api, Call};
use super::error::CloudError;
use super::read::{self, int, text};
use super::transport::{Method, Safety};
use crate::Mac;

/// A GDMS organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    /// Id, as text.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A GDMS site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// Id, as text.
    pub id: String,
    /// `siteName`.
    pub name: String,
    /// Owning organisation.
    pub org_id: Option<String>,
}

/// One SIP line of a UC device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SipLine {
    /// Line number.
    pub line: Option<i64>,
    /// SIP account (extension).
    pub account: Option<String>,
    /// SIP server.
    pub sip_server: Option<String>,
    /// `registerStatus == 1`.
    pub registered: bool,
}

fn malformed(endpoint: &str, detail: &str) -> CloudError {
    CloudError::Malformed {
        endpoint: format!("/oapi/v1.0.0/{endpoint}"),
        detail: detail.into(),
    }
}

/// `GET org/list`.
///
/// # Errors
/// As [`Api::call`]; [`CloudError::Malformed`] without a result list.
pub async fn org_list(api: &Api) -> Result<Vec<Org>, CloudError> {
    let data = api
        .call(&Call {
            method: Method::Get,
            endpoint: "org/list",
            query: &[],
            body: None,
            timeout: api.timeout,
            safety: Safety::Safe,
        })
        .await?;
    let rows = read::rows(&data).ok_or_else(|| malformed("org/list", "no result list"))?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Org {
                id: text(r, &["id"])?,
                name: text(r, &["name", "orgName"]).unwrap_or_default(),
            })
        })
        .collect())
}

/// `GET site/list?orgId=…`.
///
/// # Errors
/// As [`org_list`].
pub async fn site_list(api: &Api, org_id: &str) -> Result<Vec<Site>, CloudError> {
    let data = api
        .call(&Call {
            method: Method::Get,
            endpoint: "site/list",
            query: &[("orgId", org_id)],
            body: None,
            timeout: api.timeout,
            safety: Safety::Safe,
        })
        .await?;
    let rows = read::rows(&data).ok_or_else(|| malformed("site/list", "no result list"))?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Site {
                id: text(r, &["id"])?,
                name: text(r, &["siteName", "name"]).unwrap_or_default(),
                org_id: text(r, &["orgId"]),
            })
        })
        .collect())
}

/// `POST device/detail?mac=…&isFirst=1` → the device's SIP lines.
///
/// # Errors
/// As [`org_list`].
pub async fn device_detail(api: &Api, mac: Mac) -> Result<Vec<SipLine>, CloudError> {
    let m = mac.to_colon_upper();
    let body = json!([]);
    let data = api
        .call(&Call {
            method: Method::Post,
            endpoint: "device/detail",
            query: &[("mac", m.as_str()), ("isFirst", "1")],
            body: Some(&body),
            timeout: api.timeout,
            safety: Safety::Safe,
        })
        .await?;
    let lines = data
        .get("lineInfo")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("device/detail", "no lineInfo list"))?;
    Ok(lines
        .iter()
        .filter(|l| l.is_object())
        .map(|l| SipLine {
            line: int(l, &["line"]),
            account: text(l, &["account"]),
            sip_server: text(l, &["sipServer"]),
            registered: int(l, &["registerStatus"]) == Some(1),
        })
        .collect())
}
