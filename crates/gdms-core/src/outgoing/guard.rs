//! SSRF guard: a subscription may not make GLPI's server call into its own
//! network unless the administrator allowed it.
//!
//! The URL's host is checked twice: an IP literal here, before any request,
//! and a name at connection time by [`GuardedResolver`], which resolves it
//! and refuses when any address is loopback, private, link-local or
//! otherwise not public. The request then connects to exactly the checked
//! addresses (no second lookup a DNS rebinding could change).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Why a target is refused.
pub const PRIVATE_REFUSED: &str =
    "the target address is loopback, private or link-local; allow private targets in the webhook settings to use it";

/// Whether an address is a public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let seg0 = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg0 & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (seg0 & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (seg0 & 0xffc0) == 0xfec0 // site-local (deprecated)
                || seg0 == 0x2001 && v6.segments()[1] == 0x0db8 // documentation
                || v6.segments()[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible ::a.b.c.d
                || seg0 == 0x0064 && v6.segments()[1] == 0xff9b) // NAT64 (maps to v4)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // shared address space 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18/15
        || o[0] >= 240) // reserved
}

/// Checks a subscription URL: `http` or `https`, a host, no credentials;
/// an IP-literal host must be public unless `allow_private`.
///
/// # Errors
/// A message for the administrator.
pub fn check_url(url: &str, allow_private: bool) -> Result<reqwest::Url, String> {
    let u = reqwest::Url::parse(url.trim()).map_err(|e| format!("invalid URL: {e}"))?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return Err("the URL must start with http:// or https://".into());
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err("the URL must not contain a user name or password".into());
    }
    let host = match u.host_str() {
        None | Some("") => return Err("the URL has no host".into()),
        Some(h) => h,
    };
    let literal = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok();
    if let Some(ip) = literal {
        if !allow_private && !is_public(ip) {
            return Err(PRIVATE_REFUSED.into());
        }
    }
    Ok(u)
}

/// The DNS resolver of the delivery client: resolves with the system
/// resolver and refuses names with a non-public address.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    /// Let loopback/private/link-local through (tests, trusted LANs).
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no address").into());
            }
            if !allow && addrs.iter().any(|a| !is_public(a.ip())) {
                return Err(PRIVATE_REFUSED.into());
            }
            let it: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_pass() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(ip(s)), "{s}");
        }
        for s in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip(s)), "{s}");
        }
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://hooks.example.com/x", false).is_ok());
        assert_eq!(
            check_url("http://127.0.0.1:8080/x", false).unwrap_err(),
            PRIVATE_REFUSED
        );
        assert_eq!(
            check_url("http://[::1]/x", false).unwrap_err(),
            PRIVATE_REFUSED
        );
        assert!(check_url("http://127.0.0.1:8080/x", true).is_ok());
        assert!(check_url("ftp://example.com/", false).is_err());
        assert!(check_url("http://u:p@example.com/", false).is_err());
        assert!(check_url("not a url", false).is_err());
    }

    #[test]
    fn names_resolving_to_loopback_are_refused() {
        use reqwest::dns::Resolve;
        use std::str::FromStr;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let name = || reqwest::dns::Name::from_str("localhost").unwrap();
        let refused = rt.block_on(
            GuardedResolver {
                allow_private: false,
            }
            .resolve(name()),
        );
        assert_eq!(refused.err().unwrap().to_string(), PRIVATE_REFUSED);
        let allowed = rt.block_on(
            GuardedResolver {
                allow_private: true,
            }
            .resolve(name()),
        );
        assert!(allowed.unwrap().all(|a| a.ip().is_loopback()));
    }
}
