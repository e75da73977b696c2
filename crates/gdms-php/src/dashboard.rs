//! PHP functions of the dashboard area (documents in `gdms_core::contract::dashboard`).
//!
//! Conversion only: a JSON string in, a JSON string out.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use gdms_core::dashboard;

/// Cards, availability and tiers, the table page and the chart of the dashboard.
#[php_function]
pub fn gdms_dashboard(input_json: String) -> PhpResult<String> {
    dashboard::dashboard_json(&input_json).map_err(|e| PhpException::from_message(e.to_string()))
}

/// Stored ports of some devices with their dot states, WAN first.
#[php_function]
pub fn gdms_dashboard_ports(input_json: String) -> PhpResult<String> {
    dashboard::ports_json(&input_json).map_err(|e| PhpException::from_message(e.to_string()))
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_dashboard))
        .function(wrap_function!(gdms_dashboard_ports))
}
