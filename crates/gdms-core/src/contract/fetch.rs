//! Documents of the cloud calls: `gdms_fetch`, `gdms_test_connection`,
//! `gdms_firmware_upgrade`.
//!
//! | PHP function | Input | Output |
//! |---|---|---|
//! | `gdms_fetch(string $requestJson): string` | fetch request | fetch document |
//! | `gdms_test_connection(string $requestJson): string` | fetch request (credentials and `options` are read) | probe report |
//! | `gdms_firmware_upgrade(string $requestJson): string` | upgrade request | upgrade result |
//!
//! A request that is not valid JSON of the documented shape (wrong type, bad
//! MAC in an upgrade, missing credentials for an upgrade) throws a PHP
//! `Exception` whose message starts with `gdms: invalid request:` and names
//! the problem. Cloud failures never throw: they are reported inside the
//! answer (per source, per problem, per probe). Implemented by
//! [`crate::cloud::fetch_json`], [`crate::cloud::test_connection_json`] and
//! [`crate::cloud::firmware_upgrade_json`], callable without PHP.
//!
//! ## Fetch request ([`FETCH_REQUEST_EXAMPLE`])
//! * `uc` — GDMS UC credentials, absent or `null` = not configured:
//!   `username`, `password` (plaintext; or `password_hash` =
//!   sha256(md5hex(password))), `client_id`, `client_secret`, `region`
//!   (`"us"` → `https://www.gdms.cloud`, `"eu"` → `https://eu.gdms.cloud`),
//!   `base_url` (optional host root overriding the region, e.g. the simulator).
//! * `gwn` — `app_id`, `secret_key`, `base_url` (default `https://www.gwn.cloud`).
//! * `known_serials` — `{ "<mac any spelling>": "<serial>" }` (or the list
//!   `[{"mac": …, "serial": …}]`): these devices
//!   are not looked up with `device/info` for their serial (routers still are,
//!   for their ports; the serial then comes with them).
//! * `tokens` — the `tokens` of an earlier fetch document, as stored
//!   (encrypted) by the shell: reused while more than 60 s remain; an expired
//!   UC token still lends its refresh token.
//! * `firmware_models` — UC models whose official firmware to look up on the
//!   public firmware pages; `firmware_base_url` overrides
//!   `https://www.grandstream.com`.
//! * `options` (all optional): `concurrency` (8, 1..=64), `connect_timeout_ms`
//!   (5000), `timeout_ms` (25000, token and list calls), `device_timeout_ms`
//!   (8000, per-device calls and firmware pages), `max_attempts` (3, safe calls
//!   only), `backoff_ms` (250, doubled per attempt, plus 0–150 ms jitter),
//!   `retry_after_cap_ms` (5000), `page_ceiling` (50), `switch_ports` (true),
//!   `firmware_versions` (true: `upgrade/version` per network), `alerts`
//!   (false: first `alert/list` page per network), `clients` (false: `client/list`),
//!   `uc_firmware` (false: also look up the firmware page of every listed UC
//!   model that has one, PBXs, and fill their `firmware_latest`),
//!   `firmware_beta` (false: also read each slug's `-beta-firmware` page; a
//!   404 there means the family has no beta programme and is not a problem).
//!
//! ## Fetch document ([`FETCH_DOCUMENT_EXAMPLE`])
//! A [`crate::snapshot::Snapshot`] (its fields at top level: `sources`,
//! `devices`, `networks`, `tokens`, `stats`) plus:
//! * `firmware` — [`crate::snapshot::FirmwareOffer`] per requested model and
//!   `channel` (`official`, and `beta` when asked and published; `version`
//!   null when the page does not name one, or for CDN-only models, which have
//!   no beta); only official offers fill `firmware_latest`;
//! * `alerts`, `clients` — when asked (see [`crate::cloud::extras`]);
//! * `problems` — per-device or per-network reads that failed without making
//!   a listing incomplete: `{cloud, what: serial|ports|firmware_versions|alerts|clients|firmware_page,
//!   network_id, mac, model, failure, message}`.
//!
//! Every source asked has one entry in `sources`; a cloud without credentials
//! has one entry with `failure.kind = "not_configured"`. When the network list
//! fails, no `gwn_network` entries exist (so none is complete). `failure.kind`
//! is one of `not_configured`, `timeout`, `connect` (DNS, refused, TLS;
//! `detail`), `http` (`status`), `cloud` (`code`, `message`; 40003 signature,
//! 40005 clock), `token_rejected` (`detail`), `malformed` (`detail`: HTML page,
//! cut JSON, truncated page…), `page_ceiling` (`pages`). The shell stores
//! `tokens` encrypted and never logs them.
//!
//! ## Probe report ([`PROBE_REPORT_EXAMPLE`])
//! `{"uc": result, "gwn": result}` with `status` ∈ `ok`, `not_configured`,
//! `dns`, `connect`, `tls`, `timeout`, `token_rejected`, `signature_rejected`,
//! `clock_skew`, `http`, `cloud_error`, `malformed`; `step` ∈ `token`, `call`,
//! `none`; `message` for the administrator; `elapsed_ms`. A probe always asks
//! for a fresh token (it tests the credentials) and never retries.
//!
//! ## Upgrade request and result ([`UPGRADE_REQUEST_EXAMPLE`], [`UPGRADE_RESULT_EXAMPLE`])
//! Request: the credentials of the cloud concerned (`uc` or `gwn`, same shape
//! as above), `tokens`, `options`, and `cloud` (`"gwn"` | `"uc"`), `macs`
//! (any spelling), `time_ms` (scheduled start, epoch ms; absent = now),
//! `version` and `download_url` (UC only; URL must be https on
//! `firmware.grandstream.com` or `fw.gdms.cloud`). Sent exactly once.
//! Result: `ok`, `accepted_macs`, `task_id` (UC), `failure`, `message`,
//! `tokens` (to store).

/// A complete fetch request.
pub const FETCH_REQUEST_EXAMPLE: &str = r#"{
  "uc": {"username": "noc.admin", "password": "S3cret!Pass", "client_id": "10245",
         "client_secret": "a1B2c3D4e5F6g7H8", "region": "eu"},
  "gwn": {"app_id": "100200", "secret_key": "Zx9Yw8Vu7Ts6Rq5P", "base_url": "https://www.gwn.cloud"},
  "known_serials": {"c0:74:ad:aa:00:03": "30XYZW9876543210"},
  "tokens": [{"cloud": "gwn", "access_token": "8c3e51f2-7a44-4b0e-b6d2-0e9f1a3c5d77",
              "refresh_token": null, "expires_at": 1767229199}],
  "firmware_models": ["UCM6304", "GRP2612W"],
  "options": {"concurrency": 8, "timeout_ms": 25000, "device_timeout_ms": 8000,
              "max_attempts": 3, "page_ceiling": 50, "switch_ports": true,
              "firmware_versions": true, "alerts": false, "clients": false}
}"#;

/// A fetch document (one router, one phone; the UC listing failed on page 2).
pub const FETCH_DOCUMENT_EXAMPLE: &str = r#"{
  "sources": [
    {"source": {"kind": "uc_devices"}, "complete": false,
     "failure": {"kind": "http", "status": 503}, "endpoint": "/oapi/v1.0.0/device/list",
     "page": 2, "pages": 1, "devices": 100},
    {"source": {"kind": "gwn_networks"}, "complete": true, "failure": null,
     "endpoint": null, "page": null, "pages": 1, "devices": 0},
    {"source": {"kind": "gwn_network", "network_id": "12345"}, "complete": true,
     "failure": null, "endpoint": null, "page": null, "pages": 1, "devices": 1}
  ],
  "devices": [
    {"cloud": "gwn", "source": {"kind": "gwn_network", "network_id": "12345"},
     "mac": "c0:74:ad:aa:00:01", "serial": "31ABCDE0123456", "name": "Edge router",
     "model": "GWN7003", "status": "online", "network_id": "12345",
     "network_name": "Branch Monterrey", "public_ip": "198.51.100.10",
     "private_ip": "192.168.1.1", "ipv6": null, "firmware": "1.0.5.12",
     "firmware_latest": "1.0.7.4", "uptime_sec": 864000, "clients": null,
     "upload_bytes": null, "download_bytes": null, "channel_2g": null, "channel_5g": null,
     "first_seen": 1735689600, "last_seen": 1767225590, "location": null, "uplink_mac": null,
     "ports": {"state": "fetched", "ports": [
       {"id": "1", "name": "WAN1", "silk": "P1", "role": "wan", "link_up": true,
        "internet": "up", "speed": 5, "medium": "ge", "is_combo": false,
        "wan_name": "ISP-Alpha", "ip": "198.51.100.10", "wan_type": 0,
        "gateway": "198.51.100.1", "dns1": "1.1.1.1", "dns2": "8.8.8.8",
        "wan_mac": "C0:74:AD:AA:00:10", "ipv6": null, "connect_duration": 86400,
        "custom_name": null, "description": null, "vlan": null,
        "tx_bytes": 52428800000, "rx_bytes": 314572800000,
        "tx_packets": 41000000, "rx_packets": 250000000}]},
     "sip": null},
    {"cloud": "uc", "source": {"kind": "uc_devices"}, "mac": "c0:74:ad:12:34:56",
     "serial": "20EZ9KX7A1234567", "name": "Reception phone", "model": "GRP2612W",
     "status": "online", "network_id": null, "network_name": "HQ Floor 2",
     "public_ip": "203.0.113.45", "private_ip": "192.168.10.21", "ipv6": null,
     "firmware": "1.0.11.3", "firmware_latest": null, "uptime_sec": null, "clients": null,
     "upload_bytes": null, "download_bytes": null, "channel_2g": null, "channel_5g": null,
     "first_seen": null, "last_seen": 1767258845, "location": null, "uplink_mac": null,
     "ports": {"state": "not_applicable"},
     "sip": {"registered": true, "extension": null, "dnd": false, "is_synchronized": true,
             "sync_failure_msg": null, "scheduled_task": false}}
  ],
  "networks": [{"id": "12345", "name": "Branch Monterrey"}],
  "tokens": [
    {"cloud": "uc", "access_token": "5f0c9a2e-1b7d-4e3a-9c11-2f6b8d4e7a90",
     "refresh_token": "0b7e4c1a-9d22-4f6e-8a53-7c1d2e3f4a5b", "expires_at": 1767229199},
    {"cloud": "gwn", "access_token": "8c3e51f2-7a44-4b0e-b6d2-0e9f1a3c5d77",
     "refresh_token": null, "expires_at": 1767229199}
  ],
  "stats": {"requests": 7, "tokens_issued": 1, "retries": 2, "duration_ms": 812},
  "firmware": [
    {"model": "UCM6304", "channel": "official", "version": "1.0.27.10",
     "download_url": "https://firmware.grandstream.com/ucm6300fw.bin"},
    {"model": "GRP2612W", "channel": "official", "version": null,
     "download_url": "https://firmware.grandstream.com/grp2610fw.bin"}
  ],
  "alerts": [],
  "clients": [],
  "problems": [
    {"cloud": "gwn", "what": "serial", "network_id": "12345", "mac": "c0:74:ad:aa:00:02",
     "model": null, "failure": {"kind": "timeout"},
     "message": "timed out after 8000 ms calling /oapi/v1.0.0/device/info"}
  ]
}"#;

/// A probe report: UC fine, GWN refused the credentials.
pub const PROBE_REPORT_EXAMPLE: &str = r#"{
  "uc": {"status": "ok", "step": "call", "message": "token obtained and device/list answered", "elapsed_ms": 412},
  "gwn": {"status": "token_rejected", "step": "token",
          "message": "the cloud refused the credentials: invalid_client Bad client credentials (check the API ID/APP ID, secret, username and password)",
          "elapsed_ms": 188}
}"#;

/// A GWN upgrade request.
pub const UPGRADE_REQUEST_EXAMPLE: &str = r#"{
  "cloud": "gwn", "macs": ["C0:74:AD:AA:00:01"], "time_ms": 1767312000000,
  "gwn": {"app_id": "100200", "secret_key": "Zx9Yw8Vu7Ts6Rq5P"},
  "tokens": []
}"#;

/// Its result.
pub const UPGRADE_RESULT_EXAMPLE: &str = r#"{
  "ok": true, "accepted_macs": ["c0:74:ad:aa:00:01"], "task_id": null, "failure": null,
  "message": "upgrade scheduled for 1 device(s)",
  "tokens": [{"cloud": "gwn", "access_token": "8c3e51f2-7a44-4b0e-b6d2-0e9f1a3c5d77",
              "refresh_token": null, "expires_at": 1767229199}]
}"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::actions::{UpgradeRequest, UpgradeResult};
    use crate::cloud::probe::ProbeReport;
    use crate::cloud::{FetchDocument, FetchRequest};

    #[test]
    fn examples_have_the_documented_shapes() {
        let r: FetchRequest = serde_json::from_str(FETCH_REQUEST_EXAMPLE).unwrap();
        assert_eq!(r.uc.unwrap().base(), "https://eu.gdms.cloud");
        assert_eq!(r.options.concurrency, 8);
        let d: FetchDocument = serde_json::from_str(FETCH_DOCUMENT_EXAMPLE).unwrap();
        assert_eq!(d.snapshot.devices.len(), 2);
        assert_eq!(d.problems.len(), 1);
        // Round trip: what we write is what the example shows.
        let again: serde_json::Value = serde_json::to_value(&d).unwrap();
        let want: serde_json::Value = serde_json::from_str(FETCH_DOCUMENT_EXAMPLE).unwrap();
        assert_eq!(again, want);
        // The engine reads the same document as a plain Snapshot.
        let s: crate::snapshot::Snapshot = serde_json::from_str(FETCH_DOCUMENT_EXAMPLE).unwrap();
        assert_eq!(s.sources.len(), 3);
        let _: ProbeReport = serde_json::from_str(PROBE_REPORT_EXAMPLE).unwrap();
        let u: UpgradeRequest = serde_json::from_str(UPGRADE_REQUEST_EXAMPLE).unwrap();
        assert_eq!(u.macs.len(), 1);
        let _: UpgradeResult = serde_json::from_str(UPGRADE_RESULT_EXAMPLE).unwrap();
    }
}
