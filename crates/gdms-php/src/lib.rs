//! The `gdms` PHP extension.
//!
//! A thin bridge: every function converts its PHP arguments (strings holding
//! JSON documents, see [`gdms_core::contract`]) to gdms-core types, forwards,
//! and converts back. No decision is made here.
//!
//! php-fpm safety: nothing happens at module start (MINIT) besides registering
//! functions. HTTP clients, runtimes and thread pools are created lazily on the
//! first call that needs them, i.e. inside the forked worker, and worker
//! threads never touch the Zend API: they return plain Rust values that this
//! file converts on the PHP thread.
#![cfg_attr(windows, feature(abi_vectorcall))]

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

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_version))
        .function(wrap_function!(gdms_contract_version))
        .function(wrap_function!(gdms_info))
        .function(wrap_function!(gdms_webhook_verify))
}
