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

/// Parses an uploaded history workbook into daily roll-ups to merge.
#[php_function]
pub fn gdms_import_xlsx(request_json: String) -> PhpResult<String> {
    export::import::import_json(&request_json)
        .map_err(|e| PhpException::from_message(format!("invalid import request document: {e}")))
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_export_xlsx))
        .function(wrap_function!(gdms_import_xlsx))
}
