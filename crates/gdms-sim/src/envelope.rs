//! The clouds' response envelopes (spec §2): `{"retCode":0,"msg":"success","data":…}`
//! on success, HTTP 200 with a non-zero `retCode` and `data: null` on failure.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// A business-level refusal, answered as the cloud does: HTTP 200, non-zero
/// `retCode`. Codes are the spec's §2.2 table ((inferred) where undocumented).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 40001: `access_token` missing, unknown or revoked by a credential rotation.
    TokenInvalid,
    /// 40002: `access_token` past its lifetime.
    TokenExpired,
    /// 40003: `signature` missing or not what the cloud computes.
    BadSignature,
    /// 40004: a required body/query parameter is missing or malformed
    /// (GWN's "field length error", the only parameter error seen in the wild).
    BadParam,
    /// 40005: `timestamp` missing, not 13 digits, or outside the window.
    TimestampExpired,
    /// 40006: `appID` missing or not the configured app.
    AppNotExist,
    /// 50004: unknown network/device, or an operation the cloud refuses
    /// (with the cloud's own message, e.g. `reset task not support ucm`).
    Service(String),
    /// 50007: a MAC that is not 12 hex digits in any usual spelling.
    InvalidMac,
}

impl ApiError {
    /// The `retCode` value.
    pub fn code(&self) -> i64 {
        match self {
            ApiError::TokenInvalid => 40001,
            ApiError::TokenExpired => 40002,
            ApiError::BadSignature => 40003,
            ApiError::BadParam => 40004,
            ApiError::TimestampExpired => 40005,
            ApiError::AppNotExist => 40006,
            ApiError::Service(_) => 50004,
            ApiError::InvalidMac => 50007,
        }
    }

    /// The `msg` value.
    pub fn msg(&self) -> &str {
        match self {
            ApiError::TokenInvalid => "access_token invalid",
            ApiError::TokenExpired => "access_token expired",
            ApiError::BadSignature => "signature error",
            ApiError::BadParam => "field length error",
            ApiError::TimestampExpired => "timestamp expired",
            ApiError::AppNotExist => "app not exist",
            ApiError::Service(m) => m,
            ApiError::InvalidMac => "invalid mac",
        }
    }

    /// "Unknown network/device": 50004 `service error`.
    pub fn not_found() -> Self {
        ApiError::Service("service error".into())
    }

    /// The failure envelope.
    pub fn to_json(&self) -> Value {
        json!({ "retCode": self.code(), "msg": self.msg(), "data": Value::Null })
    }
}

/// The success envelope around `data`.
pub fn success(data: Value) -> Value {
    json!({ "retCode": 0, "msg": "success", "data": data })
}

/// A JSON response with the given status.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body.to_string(),
    )
        .into_response()
}

/// Spring-style OAuth error (spec §2.3): 400 bad grant, 401 bad client.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    json_response(
        status,
        &json!({ "error": error, "error_description": description }),
    )
}

/// Envelope + page meta for a list endpoint (spec §2.1, §10.13): full pages
/// hold exactly `page_size` rows, the last one fewer, past the end none.
pub fn page<T, F>(all: &[T], page_num: usize, page_size: usize, render: F) -> Value
where
    F: Fn(&T) -> Value,
{
    let total = all.len();
    let total_page = total.div_ceil(page_size);
    let start = (page_num - 1).saturating_mul(page_size).min(total);
    let end = (start + page_size).min(total);
    let rows: Vec<Value> = all[start..end].iter().map(render).collect();
    json!({
        "currentPage": page_num,
        "pageSize": page_size,
        "totalPage": total_page,
        "total": total,
        "result": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_envelope_is_the_spec_shape() {
        assert_eq!(
            ApiError::InvalidMac.to_json().to_string(),
            r#"{"data":null,"msg":"invalid mac","retCode":50007}"#
        );
        assert_eq!(ApiError::not_found().code(), 50004);
    }

    #[test]
    fn pages_are_full_short_or_empty() {
        let v: Vec<u32> = (0..250).collect();
        let p1 = page(&v, 1, 100, |x| json!(x));
        assert_eq!(p1["result"].as_array().map(Vec::len), Some(100));
        assert_eq!(p1["totalPage"], 3);
        let p3 = page(&v, 3, 100, |x| json!(x));
        assert_eq!(p3["result"].as_array().map(Vec::len), Some(50));
        let p4 = page(&v, 4, 100, |x| json!(x));
        assert_eq!(p4["result"].as_array().map(Vec::len), Some(0));
        let none: Vec<u32> = vec![];
        let e = page(&none, 1, 100, |x| json!(x));
        assert_eq!(e["totalPage"], 0);
        assert_eq!(e["result"].as_array().map(Vec::len), Some(0));
    }
}
