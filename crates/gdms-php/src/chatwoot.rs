//! PHP functions of the Chatwoot area (documents in `gdms_core::contract::chatwoot`).
//! Conversion only.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use gdms_core::chatwoot;

/// Checks `X-Chatwoot-Signature` over `"<timestamp>.<body>"` in constant
/// time, timestamp within 300 s of `$now`.
#[php_function]
pub fn gdms_chatwoot_verify(
    secret: String,
    timestamp: String,
    body: String,
    signature: String,
    now: i64,
) -> String {
    chatwoot::verify_json(&secret, &timestamp, body.as_bytes(), &signature, now)
}

/// Parses an account-webhook body into the normalised event document.
#[php_function]
pub fn gdms_chatwoot_parse(body: String) -> String {
    chatwoot::parse_json(body.as_bytes())
}

/// Sends queued actions (messages, status changes) to the Chatwoot API.
#[php_function]
pub fn gdms_chatwoot_send(request_json: String) -> PhpResult<String> {
    chatwoot::send_json(&request_json).map_err(|e| PhpException::from_message(format!("gdms: {e}")))
}

/// Tests URL, account and token with one read-only API call.
#[php_function]
pub fn gdms_chatwoot_test(account_json: String) -> PhpResult<String> {
    chatwoot::test_json(&account_json).map_err(|e| PhpException::from_message(format!("gdms: {e}")))
}

/// `sha256=<hex>` as Chatwoot signs a delivery.
#[php_function]
pub fn gdms_chatwoot_sign(secret: String, timestamp: String, body: String) -> String {
    chatwoot::sign(&secret, &timestamp, body.as_bytes())
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_chatwoot_verify))
        .function(wrap_function!(gdms_chatwoot_parse))
        .function(wrap_function!(gdms_chatwoot_send))
        .function(wrap_function!(gdms_chatwoot_test))
        .function(wrap_function!(gdms_chatwoot_sign))
}
