//! GWN / GDMS Networking business endpoints (spec §6), all `POST` with a JSON
//! body and a signed query (§4.3). `alert/dismiss` is deliberately absent: the
//! real cloud answers 404 (§1, §10.12), and so does the fallback route.

use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use crate::auth::Cloud;
use crate::envelope::{page, ApiError};
use crate::fleet::render::{
    alert_row, ap_list_row, client_row, device_info, switch_ports, upgrade_rows,
};
use crate::fleet::{GwnDevice, GwnKind};
use crate::params::{mac_field, mac_list, mac_text, network_id};
use crate::server::{endpoint, int_field, paging, AppState, Auth, Call, Out};
use crate::state::{lock, PendingUpgrade, SimState};

const GWN: Auth = Auth::Signed(Cloud::Gwn);

endpoint!(network_list, "gwn:network/list", GWN, network_list_impl);
endpoint!(ap_list, "gwn:ap/list", GWN, ap_list_impl);
endpoint!(device_info_h, "gwn:device/info", GWN, device_info_impl);
endpoint!(
    switch_port_info,
    "gwn:switch/portInfo",
    GWN,
    switch_port_info_impl
);
endpoint!(client_list, "gwn:client/list", GWN, client_list_impl);
endpoint!(alert_list, "gwn:alert/list", GWN, alert_list_impl);
endpoint!(
    upgrade_version,
    "gwn:upgrade/version",
    GWN,
    upgrade_version_impl
);
endpoint!(upgrade_add, "gwn:upgrade/add", GWN, upgrade_add_impl);

/// The GWN business routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oapi/v1.0.0/network/list", post(network_list))
        .route("/oapi/v1.0.0/ap/list", post(ap_list))
        .route("/oapi/v1.0.0/device/info", post(device_info_h))
        .route("/oapi/v1.0.0/switch/portInfo", post(switch_port_info))
        .route("/oapi/v1.0.0/client/list", post(client_list))
        .route("/oapi/v1.0.0/alert/list", post(alert_list))
        .route("/oapi/v1.0.0/upgrade/version", post(upgrade_version))
        .route("/oapi/v1.0.0/upgrade/add", post(upgrade_add))
}

fn network_list_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result(call.json().map(|body| {
        let (p, size) = paging(&body, 100, state.config.max_page_size);
        let fleet = state.fleet();
        // One pass over the devices, not one per network row.
        let mut counts: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        for d in &fleet.gwn {
            *counts.entry(d.network_id).or_insert(0) += 1;
        }
        page(&fleet.networks, p, size, |n| {
            json!({
                "id": n.id, "networkName": n.name, "country": n.country, "timezone": n.timezone,
                "deviceCount": counts.get(&n.id).copied().unwrap_or(0),
            })
        })
    }))
}

/// Body and known network, the start of every per-network call.
fn network_body(state: &SimState, call: &Call) -> Result<(Value, i64), ApiError> {
    let body = call.json()?;
    let id = network_id(&body)?;
    if state.fleet().network(id).is_none() {
        return Err(ApiError::not_found());
    }
    Ok((body, id))
}

fn ap_list_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result(network_body(state, call).map(|(body, id)| {
        let (p, size) = paging(&body, 100, state.config.max_page_size);
        let ctx = state.render_ctx();
        let fleet = state.fleet();
        page(&fleet.gwn_in(id), p, size, |d| {
            ap_list_row(
                d,
                fleet.latest_firmware(&d.model).map(|r| r.latest.as_str()),
                ctx,
            )
        })
    }))
}

/// The device named by `mac` in the body's network.
fn device_in_network<'f>(
    fleet: &'f crate::fleet::Fleet,
    body: &Value,
    id: i64,
) -> Result<&'f GwnDevice, ApiError> {
    let mac = mac_field(body, "mac")?;
    fleet
        .gwn_device(&mac)
        .filter(|d| d.network_id == id)
        .ok_or_else(ApiError::not_found)
}

fn device_info_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result((|| {
        let (body, id) = network_body(state, call)?;
        let fleet = state.fleet();
        let d = device_in_network(&fleet, &body, id)?;
        Ok(device_info(d, state.render_ctx()))
    })())
}

fn switch_port_info_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result((|| {
        let (body, id) = network_body(state, call)?;
        let fleet = state.fleet();
        let d = device_in_network(&fleet, &body, id)?;
        if d.kind != GwnKind::Switch {
            return Err(ApiError::not_found());
        }
        Ok(switch_ports(d, state.render_ctx()))
    })())
}

fn client_list_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result((|| {
        let (body, id) = network_body(state, call)?;
        let ap_filter = match body.get("mac").and_then(Value::as_str) {
            Some(s) if !s.trim().is_empty() => Some(mac_text(s)?),
            _ => None,
        };
        let (p, size) = paging(&body, 200, 200);
        let ctx = state.render_ctx();
        let fleet = state.fleet();
        let rows: Vec<(&GwnDevice, &crate::fleet::WifiClient)> = fleet
            .gwn_in(id)
            .into_iter()
            .filter(|d| d.online && ap_filter.map_or(true, |m| m == d.mac))
            .flat_map(|d| d.clients.iter().map(move |c| (d, c)))
            .collect();
        Ok(page(&rows, p, size, |(ap, c)| client_row(ap, c, ctx)))
    })())
}

fn alert_list_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result(network_body(state, call).map(|(body, id)| {
        let (p, size) = paging(&body, 50, 200);
        let fleet = state.fleet();
        let alerts: Vec<_> = fleet
            .alerts
            .iter()
            .rev()
            .filter(|a| a.network_id == id)
            .collect();
        page(&alerts, p, size, |a| alert_row(a))
    }))
}

fn upgrade_version_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result(network_body(state, call).map(|(_, id)| {
        let fleet = state.fleet();
        let rows: Vec<Value> = fleet
            .gwn_in(id)
            .into_iter()
            .flat_map(|d| upgrade_rows(d, fleet.latest_firmware(&d.model)))
            .collect();
        json!({ "result": rows })
    }))
}

fn upgrade_add_impl(state: &SimState, call: &Call) -> Out {
    let result = (|| {
        let body = call.json()?;
        let macs = mac_list(&body, "macs")?;
        if let Some(t) = body.get("time") {
            if !t.is_null() && int_field(&body, "time").is_none() {
                return Err(ApiError::BadParam);
            }
        }
        let known: Vec<gdms_core::Mac> = {
            let fleet = state.fleet();
            macs.into_iter()
                .filter(|m| fleet.gwn_device(m).is_some())
                .collect()
        };
        if known.is_empty() {
            return Err(ApiError::not_found());
        }
        // No version field: the cloud installs its latest official release,
        // at `time` or after the configured upgrade delay (spec §6.8).
        let due_ms = int_field(&body, "time")
            .unwrap_or(call.now_ms + state.config.upgrade_delay_s as i64 * 1000);
        lock(&state.pending_upgrades).extend(known.iter().map(|m| PendingUpgrade {
            mac: *m,
            due_ms,
            version: None,
        }));
        let ok: Vec<String> = known.iter().map(|m| m.to_compact_upper()).collect();
        Ok(json!({ "success_upgrade_macs": ok }))
    })();
    let out = Out::from_result(result);
    crate::admin::record(state, "gwn:upgrade/add", call, &out);
    out
}
