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

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_version))
        .function(wrap_function!(gdms_contract_version))
        .function(wrap_function!(gdms_info))
        .function(wrap_function!(gdms_webhook_verify))
}
