//! The client's address: the TCP peer, or, when the peer is a configured trusted proxy, the
//! nearest untrusted hop named by the forwarding headers (`X-Forwarded-For`, every line of
//! it, and the standard `Forwarded`), read right to left so that a client cannot forge its
//! way past the proxy by prepending entries.
//!
//! A forwarding header that cannot be read (not valid text, an entry that is not an address,
//! an obfuscated `Forwarded` node, or the two headers naming different clients) makes the
//! address unknown: `None`, which no IP restriction allows. It never falls back to the
//! proxy's own address, which a restriction on the proxy's subnet would let through.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

use crate::domain::ip::canonical;

/// Proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

/// The forwarding headers of a request: one item per header line, `None` for a line that is
/// not valid text.
#[derive(Debug, Default)]
pub struct ForwardingHeaders<'a> {
    /// Every `X-Forwarded-For` line, in order.
    pub x_forwarded_for: Vec<Option<&'a str>>,
    /// Every `Forwarded` line, in order.
    pub forwarded: Vec<Option<&'a str>>,
}

impl TrustedProxies {
    /// Parses the configured list of IPs and CIDRs.
    pub fn parse(entries: &[String]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|e| {
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(|ip| IpNet::from(canonical(ip))))
                    .map_err(|_| format!("trusted_proxies: {e:?} is not an IP or CIDR"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    /// Whether `ip` (a TCP peer) is a trusted proxy.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The client address of a request from `peer`; `None` when a trusted proxy forwarded
    /// headers that cannot be believed.
    pub fn client_ip(&self, peer: IpAddr, headers: &ForwardingHeaders<'_>) -> Option<IpAddr> {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return Some(peer);
        }
        let from_xff = (!headers.x_forwarded_for.is_empty()).then(|| {
            let hops = hops(&headers.x_forwarded_for, |line| {
                line.split(',').map(parse_xff_hop).collect()
            })?;
            Some(self.walk(peer, &hops))
        });
        let from_forwarded = (!headers.forwarded.is_empty()).then(|| {
            let hops = hops(&headers.forwarded, |line| {
                line.split(',').map(parse_forwarded_element).collect()
            })?;
            Some(self.walk(peer, &hops))
        });
        match (from_xff, from_forwarded) {
            (None, None) => Some(peer),
            (Some(one), None) | (None, Some(one)) => one,
            // Both headers: believed only when they name the same client.
            (Some(a), Some(b)) => a.filter(|a| Some(*a) == b),
        }
    }

    /// From the right: the first hop that is not a trusted proxy is the client; when every
    /// hop is trusted, the leftmost one.
    fn walk(&self, peer: IpAddr, hops: &[IpAddr]) -> IpAddr {
        let mut nearest = peer;
        for hop in hops.iter().rev() {
            nearest = *hop;
            if !self.trusts(nearest) {
                break;
            }
        }
        nearest
    }
}

/// Every hop of every line, in order; `None` if any line or entry cannot be read.
fn hops(
    lines: &[Option<&str>],
    split: impl Fn(&str) -> Vec<Option<IpAddr>>,
) -> Option<Vec<IpAddr>> {
    let mut out = Vec::new();
    for line in lines {
        for hop in split((*line)?) {
            out.push(canonical(hop?));
        }
    }
    Some(out)
}

/// An `X-Forwarded-For` entry: an address, optionally with a port (`1.2.3.4:80`,
/// `[2001:db8::1]:80`).
fn parse_xff_hop(entry: &str) -> Option<IpAddr> {
    parse_node(entry.trim())
}

/// A `Forwarded` element (`for=192.0.2.60;proto=http;by=203.0.113.43`): its `for` node.
/// An element without `for`, or with an obfuscated or `unknown` node, cannot be read.
fn parse_forwarded_element(element: &str) -> Option<IpAddr> {
    let node = element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"'))
    })?;
    parse_node(node)
}

fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    // A bracketed IPv6 address without a port.
    node.strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .and_then(|n| n.parse::<IpAddr>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(v: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff<'a>(lines: &[&'a str]) -> ForwardingHeaders<'a> {
        ForwardingHeaders {
            x_forwarded_for: lines.iter().map(|l| Some(*l)).collect(),
            forwarded: Vec::new(),
        }
    }

    fn fwd<'a>(lines: &[&'a str]) -> ForwardingHeaders<'a> {
        ForwardingHeaders {
            x_forwarded_for: Vec::new(),
            forwarded: lines.iter().map(|l| Some(*l)).collect(),
        }
    }

    #[test]
    fn forwarded_header_from_an_untrusted_peer_is_ignored() {
        let p = proxies(&[]);
        assert_eq!(
            p.client_ip(ip("192.0.2.1"), &xff(&["203.0.113.5"])),
            Some(ip("192.0.2.1"))
        );
        assert_eq!(
            p.client_ip(ip("192.0.2.1"), &xff(&["garbage"])),
            Some(ip("192.0.2.1"))
        );
    }

    #[test]
    fn trusted_proxy_forwards_the_client() {
        let p = proxies(&["127.0.0.1"]);
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &xff(&["203.0.113.5"])),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &ForwardingHeaders::default()),
            Some(ip("127.0.0.1"))
        );
    }

    #[test]
    fn spoofed_leftmost_entries_do_not_win() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/24"]);
        let got = p.client_ip(ip("127.0.0.1"), &xff(&["6.6.6.6, 203.0.113.5, 10.0.0.7"]));
        assert_eq!(got, Some(ip("203.0.113.5")));
    }

    #[test]
    fn every_header_line_counts_and_the_last_line_is_nearest() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/24"]);
        // A client's own line first, then the proxy's appended line.
        let got = p.client_ip(
            ip("127.0.0.1"),
            &xff(&["10.0.0.9", "203.0.113.5, 10.0.0.7"]),
        );
        assert_eq!(got, Some(ip("203.0.113.5")));
        let got = p.client_ip(ip("127.0.0.1"), &xff(&["203.0.113.5", "10.0.0.9"]));
        assert_eq!(got, Some(ip("203.0.113.5")));
    }

    #[test]
    fn an_unreadable_entry_makes_the_client_unknown() {
        let p = proxies(&["127.0.0.1"]);
        assert_eq!(p.client_ip(ip("127.0.0.1"), &xff(&["nonsense"])), None);
        assert_eq!(p.client_ip(ip("127.0.0.1"), &xff(&["203.0.113.5, "])), None);
        let not_text = ForwardingHeaders {
            x_forwarded_for: vec![None],
            forwarded: Vec::new(),
        };
        assert_eq!(p.client_ip(ip("127.0.0.1"), &not_text), None);
    }

    #[test]
    fn ports_and_brackets_are_understood() {
        let p = proxies(&["127.0.0.1"]);
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &xff(&["203.0.113.5:4711"])),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &xff(&["[2001:db8::1]:80"])),
            Some(ip("2001:db8::1"))
        );
    }

    #[test]
    fn the_standard_forwarded_header_is_read() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/24"]);
        let got = p.client_ip(
            ip("127.0.0.1"),
            &fwd(&[r#"for=6.6.6.6, for="203.0.113.5:99";proto=https, for=10.0.0.7;by=x"#]),
        );
        assert_eq!(got, Some(ip("203.0.113.5")));
        let v6 = p.client_ip(
            ip("127.0.0.1"),
            &fwd(&[r#"For="[2001:db8:cafe::17]:4711""#]),
        );
        assert_eq!(v6, Some(ip("2001:db8:cafe::17")));
        assert_eq!(p.client_ip(ip("127.0.0.1"), &fwd(&["for=_hidden"])), None);
        assert_eq!(p.client_ip(ip("127.0.0.1"), &fwd(&["for=unknown"])), None);
        assert_eq!(p.client_ip(ip("127.0.0.1"), &fwd(&["proto=https"])), None);
    }

    #[test]
    fn both_headers_must_agree() {
        let p = proxies(&["127.0.0.1"]);
        let agree = ForwardingHeaders {
            x_forwarded_for: vec![Some("203.0.113.5")],
            forwarded: vec![Some("for=203.0.113.5")],
        };
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &agree),
            Some(ip("203.0.113.5"))
        );
        let disagree = ForwardingHeaders {
            x_forwarded_for: vec![Some("203.0.113.5")],
            forwarded: vec![Some("for=198.51.100.1")],
        };
        assert_eq!(p.client_ip(ip("127.0.0.1"), &disagree), None);
    }

    #[test]
    fn mapped_ipv6_peer_is_canonicalised() {
        let p = proxies(&["127.0.0.1"]);
        let none = ForwardingHeaders::default();
        assert_eq!(
            p.client_ip(ip("::ffff:127.0.0.1"), &none),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            proxies(&[]).client_ip(ip("::ffff:192.0.2.9"), &none),
            Some(ip("192.0.2.9"))
        );
    }

    #[test]
    fn bad_config_entry_is_refused() {
        assert!(TrustedProxies::parse(&["proxy.local".to_string()]).is_err());
    }
}
