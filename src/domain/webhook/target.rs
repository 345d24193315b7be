//! Where a webhook may deliver: an `http(s)` URL whose host is loopback or named in `[webhooks]
//! allow`. Checked at registration (a 400 naming the rule) and again before every attempt (the
//! configuration may have changed, or a snapshot may come from another sandbox).

use std::net::IpAddr;

use ipnet::IpNet;

use crate::domain::error::{Error, Result};
use crate::domain::ip::canonical;

/// Longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// A webhook URL, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl {
    /// `http` or `https`.
    pub scheme: String,
    /// The host, lower case (an IPv6 address without its brackets).
    pub host: String,
    /// The port, if the URL names one.
    pub port: Option<u16>,
}

/// Parses a webhook URL: `http://` or `https://`, a host, an optional port, no credentials.
pub fn parse_url(url: &str) -> Result<TargetUrl> {
    let invalid = |why: &str| Error::Invalid(format!("invalid webhook url {url:?}: {why}"));
    if url.len() > MAX_URL_BYTES {
        return Err(Error::Invalid(format!(
            "webhook url is longer than {MAX_URL_BYTES} bytes"
        )));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid("it contains spaces or control characters"));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| invalid("it must be an http:// or https:// URL"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(invalid("only http:// and https:// URLs receive webhooks"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid("credentials in the URL are not accepted"));
    }
    let (host, port) = split_authority(authority).ok_or_else(|| invalid("no valid host"))?;
    Ok(TargetUrl { scheme, host, port })
}

fn split_authority(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        v6.parse::<std::net::Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (v6.to_string(), port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p > 0)?),
        None => None,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let valid = !host.is_empty()
        && (host.parse::<IpAddr>().is_ok()
            || host.split('.').all(|l| {
                !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }));
    valid.then_some((host, port))
}

/// The hosts deliveries may go to besides loopback (`[webhooks] allow`).
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    names: Vec<String>,
    suffixes: Vec<String>,
    nets: Vec<IpNet>,
}

impl AllowList {
    /// Parses `[webhooks] allow`: host names, `*.domain`, IP addresses and CIDRs.
    pub fn parse(entries: &[String]) -> std::result::Result<AllowList, String> {
        let mut list = AllowList::default();
        for raw in entries {
            let entry = raw.trim().to_ascii_lowercase();
            if let Ok(net) = entry.parse::<IpNet>() {
                list.nets.push(net.trunc());
            } else if let Ok(ip) = entry.parse::<IpAddr>() {
                list.nets.push(IpNet::from(canonical(ip)));
            } else if let Some(domain) = entry.strip_prefix("*.") {
                match split_authority(domain) {
                    Some((d, None)) => list.suffixes.push(format!(".{d}")),
                    _ => return Err(format!("[webhooks] allow: {raw:?} is not a host")),
                }
            } else {
                match split_authority(&entry) {
                    Some((name, None)) => list.names.push(name),
                    _ => return Err(format!("[webhooks] allow: {raw:?} is not a host")),
                }
            }
        }
        Ok(list)
    }

    /// Whether deliveries may go to `host` (lower case, as [`parse_url`] gives it): a loopback
    /// name or address, or one the list names.
    pub fn allows(&self, host: &str) -> bool {
        if let Ok(ip) = host.parse::<IpAddr>() {
            let ip = canonical(ip);
            return ip.is_loopback() || self.nets.iter().any(|n| n.contains(&ip));
        }
        host == "localhost"
            || self.names.iter().any(|n| n == host)
            || self.suffixes.iter().any(|s| host.ends_with(s.as_str()))
    }

    /// `url` parsed, refused with a 400 naming the rule when its host is not allowed.
    pub fn check(&self, url: &str) -> Result<TargetUrl> {
        let target = parse_url(url)?;
        if !self.allows(&target.host) {
            return Err(Error::Invalid(format!(
                "webhook url host {:?} is refused: a sandbox delivers webhooks only to loopback \
                 (localhost, 127.0.0.0/8, [::1]) and to hosts listed in [webhooks] allow of \
                 config.toml",
                target.host
            )));
        }
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host_parse() {
        let t = parse_url("HTTP://LocalHost:8080/hook?x=1").unwrap();
        assert_eq!(
            (t.scheme.as_str(), t.host.as_str(), t.port),
            ("http", "localhost", Some(8080))
        );
        assert_eq!(parse_url("https://[::1]/h").unwrap().host, "::1");
        for bad in [
            "ftp://localhost/",
            "localhost:80/hook",
            "http://",
            "http://user:pw@localhost/",
            "http://local host/",
            "http://localhost:0/",
            "http://localhost:99999/",
            "javascript:alert(1)",
            "http://[nope]/",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
        assert!(parse_url(&format!("http://localhost/{}", "a".repeat(3000))).is_err());
    }

    #[test]
    fn loopback_is_always_allowed_and_the_rest_only_when_listed() {
        let none = AllowList::default();
        for ok in [
            "http://127.0.0.1:1/",
            "http://127.8.9.1/",
            "http://[::1]:9/",
            "http://localhost/",
        ] {
            assert!(none.check(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://10.0.0.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://example.com/",
            "http://localhost.example.com/",
            "http://[::ffff:10.0.0.1]/",
            "http://0.0.0.0/",
        ] {
            let e = none.check(refused).unwrap_err().to_string();
            assert!(e.contains("[webhooks] allow"), "{refused}: {e}");
        }
        let list = AllowList::parse(&[
            "hooks.example.test".into(),
            "*.internal.test".into(),
            "10.1.0.0/16".into(),
            "192.0.2.7".into(),
        ])
        .unwrap();
        for ok in [
            "https://hooks.example.test/x",
            "http://a.b.internal.test:9000/",
            "http://10.1.2.3/",
            "http://192.0.2.7/",
            "http://[::ffff:10.1.0.9]/",
        ] {
            assert!(list.check(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://internal.test/",
            "http://10.2.0.1/",
            "http://evil.example.test/",
        ] {
            assert!(list.check(refused).is_err(), "{refused}");
        }
        assert!(AllowList::parse(&["not a host".into()]).is_err());
        assert!(AllowList::parse(&["*.".into()]).is_err());
    }
}
