//! PHP functions of the export area (document in `gdms_core::contract::export`).
//!
//! Conversion only: a JSON string and a path in, a JSON report out.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use gdms_core::export;

/// Writes the history workbook (Summary, Availability, Incidents) to `path`.
#[php_function]
pub fn gdms_export_xlsx(input_json: String, path: String) -> PhpResult<String> {
    export::export_json(&input_json, &path).map_err(|e| PhpException::from_message(e.to_string()))
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.function(wrap_function!(gdms_export_xlsx))
}
