//! # The PHP call contract
//!
//! Docs only (plus the version constant). The `gdms` PHP extension exposes the
//! functions below; each takes and returns one JSON document (a PHP string),
//! so the shape is written down once, here, and tested from both sides
//! (`cargo test` here, PHPUnit in `tests/`).
//!
//! The plugin's `PluginGdmsintegrationNative` class is the only PHP caller. It
//! refuses to run when the loaded extension's [`CONTRACT_VERSION`] differs from
//! the one the plugin was written for. Bump it on every incompatible change of
//! a document below.
//!
//! | PHP function | Input | Output |
//! |---|---|---|
//! | `gdms_version(): string` | — | crate version, e.g. `0.1.0` |
//! | `gdms_contract_version(): int` | — | [`CONTRACT_VERSION`] |
//! | `gdms_info(): string` | — | `{"version","contract","php_safe":true,"features":[...]}` |
//! | `gdms_webhook_verify(string $secret, string $body, string $header): bool` | raw body and `X-GDMS-Signature` | constant-time check (spec §7) |
//!
//! Later areas add their calls (fetch, plan, test_connection, export) to this
//! table with their documents.

/// Version of the PHP call contract. The plugin's PHP side pins the same number.
pub const CONTRACT_VERSION: u32 = 1;

pub mod chatwoot;
pub mod fetch;
pub mod outgoing;
pub mod dashboard;
pub mod plan;
