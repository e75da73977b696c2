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
//! | Area | PHP functions | Documents |
//! |---|---|---|
//! | build | `gdms_version(): string`, `gdms_contract_version(): int`, `gdms_info(): string` (`{"version","contract","php_safe"}`) | — |
//! | cloud webhook | `gdms_webhook_verify(string $secret, string $body, string $header): bool` (constant time, spec §7), `gdms_webhook_parse(string $body): string` (`{"ok":true,"mac","online"}` or `{"ok":false,"error"}`) | [`crate::webhook`] |
//! | cloud clients | `gdms_fetch`, `gdms_test_connection`, `gdms_firmware_upgrade` | [`fetch`] |
//! | sync engine | `gdms_plan`, `gdms_plan_summary`, `gdms_message_catalog` (`{message id: English template}`) | [`plan`] |
//! | dashboard | `gdms_dashboard`, `gdms_dashboard_ports` | [`dashboard`] |
//! | outgoing webhooks | `gdms_outgoing_secret`, `gdms_outgoing_check_filter`, `gdms_outgoing_check_url`, `gdms_outgoing_prepare`, `gdms_outgoing_deliver` | [`outgoing`] |
//! | export | `gdms_export_xlsx(string $inputJson, string $path): string` (history workbook written to a file), `gdms_import_xlsx(string $requestJson): string` (history import) | [`export`] |
//! | Chatwoot | `gdms_chatwoot_verify`, `gdms_chatwoot_sign`, `gdms_chatwoot_parse`, `gdms_chatwoot_send`, `gdms_chatwoot_test` | [`chatwoot`] |
//!
//! Every document function takes and returns a JSON string. A document of the
//! wrong shape throws a PHP `Exception` naming the field (line and column);
//! failures of outside systems never throw: they are reported inside the answer.
//! PHP encodes an empty map as `[]`: input documents accept it
//! ([`crate::php_compat`]).

/// Version of the PHP call contract. The plugin's PHP side pins the same number.
pub const CONTRACT_VERSION: u32 = 1;

pub mod chatwoot;
pub mod dashboard;
pub mod export;
pub mod fetch;
pub mod outgoing;
pub mod plan;
