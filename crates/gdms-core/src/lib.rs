//! # gdms-core
//!
//! Everything the GDMS Integration plugin decides or computes, with no PHP in
//! sight: request signing for the Grandstream clouds, the cloud clients and the
//! snapshot they produce, and the pure sync engine that turns "what we knew" plus
//! "what the cloud says now" into a plan for the PHP shell to apply.
//!
//! The PHP extension (`gdms-php`) only converts JSON to these types and back; the
//! shape of every call it exposes is written down once, in [`contract`].
#![warn(missing_docs)]

pub mod chatwoot;
pub mod cloud;
pub mod contract;
pub mod dashboard;
pub mod engine;
pub mod error;
pub mod export;
pub mod mac;
pub mod outgoing;
pub mod php_compat;
pub mod signing;
pub mod snapshot;
pub mod webhook;

pub use error::GdmsError;
pub use mac::Mac;
