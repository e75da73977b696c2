//! The token endpoints: GDMS UC `POST /oapi/oauth/token` (password and refresh
//! grants, spec §3.2–3.3) and GWN `/oauth/token` (client credentials by GET
//! query or POST form, §4.2). Errors are Spring OAuth2 style (§2.3).

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::auth::Cloud;
use crate::server::{endpoint, Auth, Call, Out};
use crate::state::{lock, SimState};

endpoint!(uc_token, "uc:token", Auth::None, uc_token_impl);
endpoint!(gwn_token_get, "gwn:token", Auth::None, gwn_token_impl);
endpoint!(gwn_token_post, "gwn:token", Auth::None, gwn_token_impl);

/// Query parameters followed by form-body parameters (Spring reads both).
fn form(call: &Call) -> Vec<(String, String)> {
    let mut all = call.query.clone();
    all.extend(form_urlencoded::parse(&call.body).map(|(k, v)| (k.into_owned(), v.into_owned())));
    all
}

fn get<'a>(params: &'a [(String, String)], key: &str) -> &'a str {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn oauth_err(state: &SimState, key: &str, status: StatusCode, error: &str, desc: &str) -> Out {
    lock(&state.stats).token_refused(key);
    Out::Json(
        status,
        json!({ "error": error, "error_description": desc }),
        format!("oauth_{}", status.as_u16()),
    )
}

fn issue(state: &SimState, cloud: Cloud, call: &Call, key: &str) -> (String, Value) {
    let token = state.new_token();
    let lifetime = state.config.token_lifetime_s;
    lock(&state.tokens).insert_access(token.clone(), cloud, call.now_ms + lifetime as i64 * 1000);
    lock(&state.stats).token_issued(key);
    let body = json!({ "access_token": token, "token_type": "bearer", "expires_in": lifetime, "scope": "all" });
    (token, body)
}

fn uc_token_impl(state: &SimState, call: &Call) -> Out {
    let p = form(call);
    let creds = lock(&state.creds).uc.clone();
    let grant = get(&p, "grant_type");
    let key = format!("uc:{}", if grant.is_empty() { "none" } else { grant });
    if grant != "password" && grant != "refresh_token" {
        return oauth_err(
            state,
            &key,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Unsupported grant type: {grant}"),
        );
    }
    if get(&p, "client_id") != creds.client_id || get(&p, "client_secret") != creds.client_secret {
        return oauth_err(
            state,
            &key,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Bad client credentials",
        );
    }
    if grant == "password" {
        let want = gdms_core::signing::uc_password_hash(&creds.password);
        if get(&p, "username") != creds.username || get(&p, "password").to_ascii_lowercase() != want
        {
            return oauth_err(
                state,
                &key,
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "Bad credentials",
            );
        }
        let (_, mut body) = issue(state, Cloud::Uc, call, &key);
        let refresh = state.new_token();
        lock(&state.tokens).insert_refresh(refresh.clone());
        body["refresh_token"] = json!(refresh);
        return Out::Json(StatusCode::OK, body, "token".into());
    }
    let refresh = get(&p, "refresh_token");
    if !lock(&state.tokens).refresh_valid(refresh) {
        return oauth_err(
            state,
            &key,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            &format!("Invalid refresh token: {refresh}"),
        );
    }
    let (_, mut body) = issue(state, Cloud::Uc, call, &key);
    if state.config.refresh_returns_refresh_token {
        // Spring reuses refresh tokens by default: the same one comes back.
        body["refresh_token"] = json!(refresh);
    }
    Out::Json(StatusCode::OK, body, "token".into())
}

fn gwn_token_impl(state: &SimState, call: &Call) -> Out {
    let p = form(call);
    let creds = lock(&state.creds).gwn.clone();
    let grant = get(&p, "grant_type");
    let key = "gwn:client_credentials";
    if grant != "client_credentials" {
        return oauth_err(
            state,
            key,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Unsupported grant type: {grant}"),
        );
    }
    if get(&p, "client_id") != creds.app_id || get(&p, "client_secret") != creds.secret_key {
        return oauth_err(
            state,
            key,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Bad client credentials",
        );
    }
    let (_, body) = issue(state, Cloud::Gwn, call, key);
    Out::Json(StatusCode::OK, body, "token".into())
}
