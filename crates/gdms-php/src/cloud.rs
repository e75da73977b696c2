//! PHP functions of the cloud area (documents in `gdms_core::contract::fetch`).
//!
//! Conversion only: a JSON string in, a JSON string out. The work (HTTP on a
//! runtime created lazily in the php-fpm worker, never at MINIT) is done by
//! `gdms_core::cloud`; worker threads never touch the Zend API, only this
//! thread does, with the finished string.

use ext_php_rs::prelude::*;
use gdms_core::cloud;

use crate::error;

/// One full fetch of both clouds: fetch request in, fetch document (a
/// Snapshot plus firmware offers, alerts, clients, problems) out.
#[php_function]
pub fn gdms_fetch(request_json: String) -> PhpResult<String> {
    cloud::fetch_json(&request_json).map_err(error::cloud)
}

/// Tests each configured cloud: a fresh token and one signed call; says which
/// step failed and why (dns, connect, tls, timeout, token_rejected,
/// signature_rejected, clock_skew, http, cloud_error, malformed, ok).
#[php_function]
pub fn gdms_test_connection(request_json: String) -> PhpResult<String> {
    cloud::test_connection_json(&request_json).map_err(error::cloud)
}

/// Schedules a firmware upgrade (GWN `upgrade/add` or GDMS `task/add`); sent
/// once, never retried.
#[php_function]
pub fn gdms_firmware_upgrade(request_json: String) -> PhpResult<String> {
    cloud::firmware_upgrade_json(&request_json).map_err(error::cloud)
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_fetch))
        .function(wrap_function!(gdms_test_connection))
        .function(wrap_function!(gdms_firmware_upgrade))
}
