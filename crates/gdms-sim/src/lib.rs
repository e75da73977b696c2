//! # gdms-sim
//!
//! A loopback simulator of the Grandstream GDMS UC and GWN clouds, faithful to
//! `spec/grandstream-cloud-api.md`: it checks tokens, timestamps and signatures
//! exactly as the clouds do (with the same [`gdms_core::signing`] functions the
//! clients use), serves a seeded fleet, and injects faults. Used by tests,
//! `make demo` and `make bench`; never shipped with the plugin.

/// Name the binary answers to, for `--version`.
pub const NAME: &str = "gdms-sim";

#[cfg(test)]
mod tests {
    #[test]
    fn signing_is_shared_with_the_clients() {
        // The simulator verifies with the clients' own function: spec vector W3.
        assert_eq!(
            gdms_core::signing::gwn_signature(
                "8c3e51f2-7a44-4b0e-b6d2-0e9f1a3c5d77",
                "100200",
                "Zx9Yw8Vu7Ts6Rq5P",
                "1767225600123",
                b""
            ),
            "aabb6cce79ec756ba8638e411579de3739e22849649590fe66d406bfa8c1d4bc"
        );
    }
}
