//! PHP functions of the outgoing webhook area (see `gdms_core::contract::outgoing`).
//!
//! Conversion only. `gdms_outgoing_deliver` blocks the calling PHP thread
//! while the batch is sent on the extension's own runtime; no Zend value
//! crosses into its worker threads.

use ext_php_rs::prelude::*;
use gdms_core::outgoing::{delivery, envelope, filters, guard, signing};

use crate::error;

/// A fresh subscription secret, `whsec_<base64>`.
#[php_function]
pub fn gdms_outgoing_secret() -> String {
    signing::generate_secret()
}

/// `""` when the title pattern is usable, else why not.
#[php_function]
pub fn gdms_outgoing_check_filter(pattern: String) -> String {
    filters::check(&pattern)
}

/// `""` when the subscription URL is acceptable, else why not.
#[php_function]
pub fn gdms_outgoing_check_url(url: String, allow_private: bool) -> String {
    guard::check_url(&url, allow_private)
        .err()
        .unwrap_or_default()
}

/// Builds an event's envelope and evaluates the subscriptions' filters.
#[php_function]
pub fn gdms_outgoing_prepare(request_json: String) -> PhpResult<String> {
    envelope::prepare_json(&request_json).map_err(error::core)
}

/// Sends due deliveries and reports every attempt.
#[php_function]
pub fn gdms_outgoing_deliver(request_json: String) -> PhpResult<String> {
    delivery::deliver_json(&request_json).map_err(error::core)
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_outgoing_secret))
        .function(wrap_function!(gdms_outgoing_check_filter))
        .function(wrap_function!(gdms_outgoing_check_url))
        .function(wrap_function!(gdms_outgoing_prepare))
        .function(wrap_function!(gdms_outgoing_deliver))
}
