//! Build identity and webhook signature checks.

use ext_php_rs::prelude::*;
use gdms_core::contract::CONTRACT_VERSION;
use gdms_core::signing;

/// Version of the extension (the crate version), e.g. `0.1.0`.
#[php_function]
pub fn gdms_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Version of the PHP call contract this build implements.
#[php_function]
pub fn gdms_contract_version() -> i64 {
    i64::from(CONTRACT_VERSION)
}

/// One JSON document describing the build, for the plugin's status page and
/// `make demo`.
#[php_function]
pub fn gdms_info() -> String {
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "contract": CONTRACT_VERSION,
        "php_safe": true,
    })
    .to_string()
}

/// Checks an `X-GDMS-Signature` header against the raw body in constant time.
#[php_function]
pub fn gdms_webhook_verify(
    secret: String,
    body: ext_php_rs::binary::Binary<u8>,
    header: String,
) -> bool {
    let body: Vec<u8> = body.into();
    signing::verify_gdms_webhook(&secret, &body, &header)
}

/// Every translatable message of the engine as `{id: English template}`, so the
/// plugin can check that it translates each one.
#[php_function]
pub fn gdms_message_catalog() -> String {
    let catalog: serde_json::Map<String, serde_json::Value> = gdms_core::engine::text::MsgId::ALL
        .iter()
        .map(|id| {
            let key = serde_json::to_value(id)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            (key, serde_json::Value::from(id.msgid()))
        })
        .collect();
    serde_json::Value::Object(catalog).to_string()
}

/// Parses a GDMS webhook body: `{"ok":true,"mac":"c0:..","online":false}` or
/// `{"ok":false,"error":"<what is wrong>"}` (the endpoint answers 400 with it).
#[php_function]
pub fn gdms_webhook_parse(body: ext_php_rs::binary::Binary<u8>) -> String {
    let body: Vec<u8> = body.into();
    match gdms_core::webhook::parse_device_event(&body) {
        Ok(e) => serde_json::json!({"ok": true, "mac": e.mac, "online": e.online}),
        Err(e) => serde_json::json!({"ok": false, "error": e.to_string()}),
    }
    .to_string()
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_version))
        .function(wrap_function!(gdms_contract_version))
        .function(wrap_function!(gdms_info))
        .function(wrap_function!(gdms_webhook_verify))
        .function(wrap_function!(gdms_message_catalog))
        .function(wrap_function!(gdms_webhook_parse))
}
