//! PHP functions of the engine area (see `gdms_core::contract::plan`).
//!
//! Conversion only: JSON string in, JSON string out. A document that does not
//! have the documented shape raises a PHP `Exception` whose message names the
//! field, line and column (from [`gdms_core::GdmsError`]).

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use gdms_core::engine;

/// Maps a core error to a PHP exception. (Replace with the shared error
/// bridge once `error.rs` exists.)
fn to_php(e: gdms_core::GdmsError) -> PhpException {
    PhpException::from_message(e.to_string())
}

/// Plans one sync cycle: plan input document in, plan document out.
#[php_function]
pub fn gdms_plan(input_json: String) -> PhpResult<String> {
    engine::plan_json(&input_json).map_err(to_php)
}

/// Renders a plan document as the readable dry-run summary.
#[php_function]
pub fn gdms_plan_summary(plan_json: String) -> PhpResult<String> {
    engine::summary_json(&plan_json).map_err(to_php)
}

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(gdms_plan))
        .function(wrap_function!(gdms_plan_summary))
}
