//! Which names this server answers to, and the base URL it writes into links. A web page can
//! point a name it controls at 127.0.0.1 (DNS rebinding) and then talk to orgbox as its own
//! origin; the control plane therefore answers only loopback names, the addresses orgbox
//! listens on, the configured public URL's host and `[sandbox] allowed_hosts`, and mail links
//! never take a name a client made up.

use std::net::{IpAddr, SocketAddr};

use crate::domain::ip::canonical;

/// The names a request's `Host` may carry, decided once at start.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    /// Exact names, lower case.
    names: Vec<String>,
    /// `*.example.test` entries, kept as `.example.test`.
    suffixes: Vec<String>,
    /// Addresses orgbox listens on beyond loopback.
    bound: Vec<IpAddr>,
    /// A listener on `0.0.0.0` or `[::]`: any address literal reaches it (an address literal
    /// is never a rebound name: the browser's origin is then that address itself).
    any_address: bool,
}

impl AllowedHosts {
    /// From `[sandbox] allowed_hosts` (names, or `*.domain` for its subdomains), the listener
    /// addresses and the public URL.
    pub fn new(
        configured: &[String],
        listeners: &[SocketAddr],
        public_url: Option<&PublicUrl>,
    ) -> Result<AllowedHosts, String> {
        let mut allowed = AllowedHosts::default();
        for entry in configured {
            let entry = entry.trim().to_ascii_lowercase();
            match entry.strip_prefix("*.") {
                Some(domain) if valid_name(domain) => allowed.suffixes.push(format!(".{domain}")),
                None if valid_name(&entry) => allowed.names.push(entry),
                _ => {
                    return Err(format!(
                        "[sandbox] allowed_hosts: {entry:?} is not a host name (or *.domain)"
                    ))
                }
            }
        }
        if let Some(url) = public_url {
            allowed.names.push(url.host.clone());
        }
        for addr in listeners {
            let ip = canonical(addr.ip());
            if ip.is_unspecified() {
                allowed.any_address = true;
            } else if !ip.is_loopback() {
                allowed.bound.push(ip);
            }
        }
        Ok(allowed)
    }

    /// Whether a `Host` value (a name or address, with or without a port) is answered.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, _)) = split_host_port(host) else {
            return false;
        };
        if let Some(ip) = parse_ip(&name) {
            let ip = canonical(ip);
            return ip.is_loopback() || self.any_address || self.bound.contains(&ip);
        }
        let name = name.trim_end_matches('.');
        name == "localhost"
            || name.ends_with(".localhost")
            || self.names.iter().any(|n| n == name)
            || self.suffixes.iter().any(|s| name.ends_with(s.as_str()))
    }
}

/// A host name: dot-separated labels of ASCII letters, digits and `-`, at most 253 bytes.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn parse_ip(name: &str) -> Option<IpAddr> {
    name.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Splits `host[:port]` (`[v6]:port` for IPv6) into the lower-case host and the port; `None`
/// when it is not a host at all (empty, a path, credentials, a bad port).
pub fn split_host_port(authority: &str) -> Option<(String, Option<u16>)> {
    let authority = authority.trim();
    if authority.is_empty()
        || authority
            .bytes()
            .any(|b| matches!(b, b'/' | b'@' | b'?' | b'#' | b' ' | b'\\'))
    {
        return None;
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (format!("[{v6}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h.to_string(), Some(p)),
            Some(_) => return None,
            None => (authority.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    (!host.is_empty()).then(|| (host.to_ascii_lowercase(), port))
}

/// An origin, `scheme://host[:port]` with the default port filled in, for comparing a
/// request's `Origin` with where the request was addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: String,
    /// The host, lower case (IPv6 in brackets).
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: u16,
}

impl Origin {
    /// Parses `scheme://host[:port]` (an `Origin` header; `null` and anything with a path are
    /// `None`).
    pub fn parse(text: &str) -> Option<Origin> {
        let (scheme, authority) = text.trim().split_once("://")?;
        Origin::of(scheme, authority)
    }

    /// The origin of `authority` (a `Host` value) reached over `scheme`.
    pub fn of(scheme: &str, authority: &str) -> Option<Origin> {
        let scheme = scheme.to_ascii_lowercase();
        let default = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let (host, port) = split_host_port(authority)?;
        Some(Origin {
            scheme,
            host,
            port: port.unwrap_or(default),
        })
    }
}

/// `[server] public_url`: where clients reach orgbox (behind a proxy, in a container network),
/// the base of every link orgbox writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// `http` or `https`.
    pub scheme: String,
    /// The host, lower case, without the port.
    pub host: String,
    /// `host[:port]` as configured.
    pub authority: String,
    /// A path prefix (no trailing slash), or empty.
    pub path: String,
}

impl PublicUrl {
    /// Parses `http(s)://host[:port][/path]`.
    pub fn parse(text: &str) -> Result<PublicUrl, String> {
        let invalid =
            || format!("[server] public_url: {text:?} is not an http(s)://host[:port][/path] URL");
        let (scheme, rest) = text.trim().split_once("://").ok_or_else(invalid)?;
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], rest[at..].trim_end_matches('/')),
            None => (rest, ""),
        };
        if path.contains(['?', '#']) {
            return Err(invalid());
        }
        let origin = Origin::of(scheme, authority).ok_or_else(invalid)?;
        Ok(PublicUrl {
            scheme: origin.scheme.clone(),
            host: origin.host.clone(),
            authority: authority.to_ascii_lowercase(),
            path: path.to_string(),
        })
    }

    /// `scheme://authority/path`, the base of links.
    pub fn base(&self) -> String {
        format!("{}://{}{}", self.scheme, self.authority, self.path)
    }

    /// Its origin.
    pub fn origin(&self) -> Option<Origin> {
        Origin::of(&self.scheme, &self.authority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(configured: &[&str], listeners: &[&str]) -> AllowedHosts {
        let configured: Vec<String> = configured.iter().map(|s| s.to_string()).collect();
        let listeners: Vec<SocketAddr> = listeners.iter().map(|s| s.parse().unwrap()).collect();
        AllowedHosts::new(&configured, &listeners, None).unwrap()
    }

    #[test]
    fn loopback_names_and_addresses_are_always_answered() {
        let h = hosts(&[], &["127.0.0.1:3080"]);
        for ok in [
            "localhost",
            "LOCALHOST:3080",
            "app.localhost:3080",
            "127.0.0.1:3080",
            "127.1.2.3",
            "[::1]:3080",
            "[::ffff:127.0.0.1]",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
    }

    #[test]
    fn a_foreign_name_is_refused_unless_configured() {
        let h = hosts(&[], &["127.0.0.1:3080"]);
        for bad in [
            "rebind.evil.example",
            "rebind.evil.example:3080",
            "localhost.evil.example",
            "10.0.0.5:3080",
            "",
            "a b",
            "user@localhost",
            "localhost:99999",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        let h = hosts(&["orgbox", "*.ci.example"], &["127.0.0.1:3080"]);
        assert!(h.allows("orgbox:3080") && h.allows("a.ci.example") && h.allows("ORGBOX"));
        assert!(!h.allows("ci.example") && !h.allows("evilci.example"));
    }

    #[test]
    fn bound_addresses_count_and_a_wildcard_listener_takes_any_address() {
        let h = hosts(&[], &["127.0.0.1:3080", "192.0.2.7:3443"]);
        assert!(h.allows("192.0.2.7:3443"));
        assert!(!h.allows("192.0.2.8:3443"));
        let h = hosts(&[], &["0.0.0.0:3080"]);
        assert!(h.allows("192.0.2.8:3080") && h.allows("[2001:db8::1]:3080"));
        assert!(!h.allows("rebind.evil.example"));
    }

    #[test]
    fn the_public_url_host_is_answered() {
        let url = PublicUrl::parse("https://orgbox.example.test:8443/base/").unwrap();
        assert_eq!(url.base(), "https://orgbox.example.test:8443/base");
        let h = AllowedHosts::new(&[], &["127.0.0.1:1".parse().unwrap()], Some(&url)).unwrap();
        assert!(h.allows("orgbox.example.test"));
        for bad in [
            "orgbox.example.test",
            "ftp://x",
            "https://",
            "https://a/b?c",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_allowed_hosts_entries_are_refused_at_start() {
        for bad in ["", "http://x", "a/b", "*.", "x:80"] {
            assert!(
                AllowedHosts::new(&[bad.to_string()], &[], None).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn origins_compare_with_default_ports() {
        let a = Origin::parse("http://LOCALHOST").unwrap();
        assert_eq!(a, Origin::of("http", "localhost:80").unwrap());
        assert_ne!(a, Origin::of("https", "localhost:80").unwrap());
        assert_eq!(Origin::parse("https://[::1]:8443").unwrap().host, "[::1]");
        assert!(Origin::parse("null").is_none());
        assert!(Origin::parse("http://a/b").is_none());
    }
}
