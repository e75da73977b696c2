//! The one bridge from gdms-core errors to PHP exceptions.
//!
//! A request document that does not have the documented shape raises a PHP
//! `Exception` whose message says what is wrong (serde's field, line and
//! column). Cloud failures are not exceptions: they are inside the answers.

use ext_php_rs::exception::PhpException;
use gdms_core::cloud::CloudError;
use gdms_core::GdmsError;

/// A core error as a PHP `Exception`.
// The engine area still maps its own errors; it moves here when it switches.
#[allow(dead_code)]
pub fn core(e: GdmsError) -> PhpException {
    PhpException::from_message(e.to_string())
}

/// A cloud-area error as a PHP `Exception`.
pub fn cloud(e: CloudError) -> PhpException {
    PhpException::from_message(format!("gdms: {e}"))
}
