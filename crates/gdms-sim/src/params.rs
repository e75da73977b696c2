//! Reading business parameters the way the clouds are lenient about them:
//! `networkId` as number or numeric string (§6.2), MACs in any usual spelling
//! (§10.6), and the cloud's error for what is missing or malformed.

use gdms_core::Mac;
use serde_json::Value;

use crate::envelope::ApiError;
use crate::server::int_field;

/// The `networkId` of a GWN body.
///
/// # Errors
/// [`ApiError::BadParam`] when missing or not an integer.
pub fn network_id(body: &Value) -> Result<i64, ApiError> {
    int_field(body, "networkId").ok_or(ApiError::BadParam)
}

/// Parses one MAC text.
///
/// # Errors
/// [`ApiError::InvalidMac`] when it is not 12 hex digits in a known spelling.
pub fn mac_text(text: &str) -> Result<Mac, ApiError> {
    Mac::parse(text).map_err(|_| ApiError::InvalidMac)
}

/// A MAC field of a JSON body.
///
/// # Errors
/// [`ApiError::BadParam`] when missing or empty, [`ApiError::InvalidMac`]
/// when present but not a MAC.
pub fn mac_field(body: &Value, key: &str) -> Result<Mac, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Err(ApiError::BadParam),
        Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::BadParam),
        Some(Value::String(s)) => mac_text(s),
        Some(_) => Err(ApiError::InvalidMac),
    }
}

/// A list of MACs (`macList`, `macs`).
///
/// # Errors
/// [`ApiError::BadParam`] when missing, not an array or empty;
/// [`ApiError::InvalidMac`] when any element is not a MAC.
pub fn mac_list(body: &Value, key: &str) -> Result<Vec<Mac>, ApiError> {
    let items = body
        .get(key)
        .and_then(Value::as_array)
        .ok_or(ApiError::BadParam)?;
    if items.is_empty() {
        return Err(ApiError::BadParam);
    }
    items
        .iter()
        .map(|v| v.as_str().ok_or(ApiError::InvalidMac).and_then(mac_text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn network_id_int_or_string() {
        assert_eq!(network_id(&json!({"networkId": 12345})), Ok(12345));
        assert_eq!(network_id(&json!({"networkId": "12345"})), Ok(12345));
        assert_eq!(
            network_id(&json!({"networkId": "abc"})),
            Err(ApiError::BadParam)
        );
        assert_eq!(network_id(&json!({})), Err(ApiError::BadParam));
    }

    #[test]
    fn macs_any_spelling() {
        let want = Mac::parse("C0:74:AD:AA:00:01").unwrap();
        for s in [
            "C0:74:AD:AA:00:01",
            "c074adaa0001",
            "C074ADAA0001",
            "c0-74-ad-aa-00-01",
        ] {
            assert_eq!(mac_field(&json!({"mac": s}), "mac"), Ok(want));
        }
        assert_eq!(
            mac_field(&json!({"mac": "nope"}), "mac"),
            Err(ApiError::InvalidMac)
        );
        assert_eq!(mac_field(&json!({}), "mac"), Err(ApiError::BadParam));
        assert_eq!(
            mac_list(&json!({"macs": []}), "macs"),
            Err(ApiError::BadParam)
        );
        assert_eq!(
            mac_list(&json!({"macs": ["C074ADAA0001", 5]}), "macs"),
            Err(ApiError::InvalidMac)
        );
    }
}
