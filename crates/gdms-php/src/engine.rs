//! PHP functions of the engine area (see `gdms_core::contract`).

use ext_php_rs::prelude::*;

/// Adds this area's functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
}
