//! GDMS UC business endpoints (spec §5): `device/list`, `task/add`,
//! `device/detail`, `org/list`, `site/list`, all signed per §3.4.

use std::sync::atomic::Ordering;

use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::auth::Cloud;
use crate::config::TaskTypeMap;
use crate::envelope::{page, ApiError};
use crate::fleet::render::{uc_device_detail, uc_device_row};
use crate::fleet::UcKind;
use crate::params::{mac_list, mac_text};
use crate::server::{endpoint, int_field, paging, AppState, Auth, Call, Out};
use crate::state::{lock, PendingUpgrade, SimState};

const UC: Auth = Auth::Signed(Cloud::Uc);

endpoint!(device_list, "uc:device/list", UC, device_list_impl);
endpoint!(task_add, "uc:task/add", UC, task_add_impl);
endpoint!(device_detail, "uc:device/detail", UC, device_detail_impl);
endpoint!(org_list, "uc:org/list", UC, org_list_impl);
endpoint!(site_list, "uc:site/list", UC, site_list_impl);

/// The UC routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oapi/v1.0.0/device/list", post(device_list))
        .route("/oapi/v1.0.0/task/add", post(task_add))
        .route(
            "/oapi/v1.0.0/device/detail",
            post(device_detail).get(device_detail),
        )
        .route("/oapi/v1.0.0/org/list", get(org_list).post(org_list))
        .route("/oapi/v1.0.0/site/list", get(site_list).post(site_list))
}

fn device_list_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result(call.json().map(|body| {
        let (p, size) = paging(&body, 100, state.config.max_page_size);
        let ctx = state.render_ctx();
        let fleet = state.fleet();
        page(&fleet.uc, p, size, |d| uc_device_row(d, ctx))
    }))
}

/// What a `taskType` means under the configured mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    Reboot,
    Reset,
    Upgrade,
}

fn task_kind(map: TaskTypeMap, t: i64) -> Option<Task> {
    match (map, t) {
        (TaskTypeMap::Plugin160, 1) => Some(Task::Reboot),
        (TaskTypeMap::Plugin160, 3) | (TaskTypeMap::Plugin12, 1) => Some(Task::Upgrade),
        (_, 2) => Some(Task::Reset),
        _ => None,
    }
}

fn task_add_impl(state: &SimState, call: &Call) -> Out {
    let result = (|| {
        let body = call.json()?;
        let kind = int_field(&body, "taskType")
            .and_then(|t| task_kind(state.config.task_types, t))
            .ok_or(ApiError::BadParam)?;
        match int_field(&body, "execType") {
            Some(1) | Some(2) => {}
            _ => return Err(ApiError::BadParam),
        }
        let macs = mac_list(&body, "macList")?;
        {
            let fleet = state.fleet();
            for m in &macs {
                let d = fleet.uc_device(m).ok_or_else(ApiError::not_found)?;
                if kind == Task::Reset && d.kind == UcKind::Pbx {
                    return Err(ApiError::Service("reset task not support ucm".into()));
                }
            }
        }
        let mut fleet = state.fleet_mut();
        for m in &macs {
            if let Some(d) = fleet.uc_device_mut(m) {
                d.scheduled_task = 1;
            }
        }
        drop(fleet);
        if kind == Task::Upgrade {
            // Scheduled upgrades start at `startTimestamp` (1.6.0) or
            // `scheduleTime` (1.2.x); immediate ones after the upgrade delay.
            let delay = call.now_ms + state.config.upgrade_delay_s as i64 * 1000;
            let due_ms = int_field(&body, "startTimestamp")
                .or_else(|| int_field(&body, "scheduleTime"))
                .map(|t| t.max(delay))
                .unwrap_or(delay);
            let version = body
                .get("fwVersion")
                .and_then(Value::as_str)
                .filter(|v| !v.trim().is_empty())
                .map(str::to_string);
            lock(&state.pending_upgrades).extend(macs.iter().map(|m| PendingUpgrade {
                mac: *m,
                due_ms,
                version: version.clone(),
            }));
        }
        Ok(json!({ "taskId": state.next_task_id.fetch_add(1, Ordering::Relaxed) }))
    })();
    let out = Out::from_result(result);
    crate::admin::record(state, "uc:task/add", call, &out);
    out
}

fn device_detail_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result((|| {
        // Third-party clients send `mac` in the query with a `[]` body.
        let body = call.json()?;
        let text = call
            .query_param("mac")
            .map(str::to_string)
            .or_else(|| body.get("mac").and_then(Value::as_str).map(str::to_string))
            .ok_or(ApiError::BadParam)?;
        let mac = mac_text(&text)?;
        let fleet = state.fleet();
        let d = fleet.uc_device(&mac).ok_or_else(ApiError::not_found)?;
        Ok(uc_device_detail(d))
    })())
}

fn org_list_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result(call.json().map(|body| {
        let (p, size) = paging(&body, 100, state.config.max_page_size);
        let fleet = state.fleet();
        page(
            &fleet.orgs,
            p,
            size,
            |o| json!({ "id": o.id, "name": o.name }),
        )
    }))
}

fn site_list_impl(state: &SimState, call: &Call) -> Out {
    Out::from_result((|| {
        let body = call.json()?;
        let org: i64 = call
            .query_param("orgId")
            .and_then(|v| v.trim().parse().ok())
            .or_else(|| int_field(&body, "orgId"))
            .ok_or(ApiError::BadParam)?;
        let fleet = state.fleet();
        if !fleet.orgs.iter().any(|o| o.id == org) {
            return Err(ApiError::not_found());
        }
        let sites: Vec<_> = fleet.sites.iter().filter(|s| s.org_id == org).collect();
        let (p, size) = paging(&body, 100, state.config.max_page_size);
        Ok(page(
            &sites,
            p,
            size,
            |s| json!({ "id": s.id, "siteName": s.name, "orgId": s.org_id }),
        ))
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_type_mappings() {
        assert_eq!(task_kind(TaskTypeMap::Plugin160, 1), Some(Task::Reboot));
        assert_eq!(task_kind(TaskTypeMap::Plugin160, 3), Some(Task::Upgrade));
        assert_eq!(task_kind(TaskTypeMap::Plugin12, 1), Some(Task::Upgrade));
        assert_eq!(task_kind(TaskTypeMap::Plugin12, 3), None);
        assert_eq!(task_kind(TaskTypeMap::Plugin12, 2), Some(Task::Reset));
        assert_eq!(task_kind(TaskTypeMap::Plugin160, 0), None);
    }
}
