//! The client's address: the TCP peer, or, when the peer is a configured trusted proxy, the
//! nearest untrusted address in `X-Forwarded-For` (read right to left, so a client cannot
//! forge its way past the proxy by prepending entries).

use std::net::IpAddr;

use ipnet::IpNet;

use crate::domain::ip::canonical;

/// Proxies whose `X-Forwarded-For` header is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

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

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client address for a request from `peer` carrying `forwarded_for`.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let Some(header) = forwarded_for else {
            return peer;
        };
        let mut nearest = peer;
        for hop in header.rsplit(',') {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                break;
            };
            nearest = canonical(ip);
            if !self.trusts(nearest) {
                break;
            }
        }
        nearest
    }
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

    #[test]
    fn forwarded_header_from_an_untrusted_peer_is_ignored() {
        let p = proxies(&[]);
        assert_eq!(
            p.client_ip(ip("192.0.2.1"), Some("203.0.113.5")),
            ip("192.0.2.1")
        );
    }

    #[test]
    fn trusted_proxy_forwards_the_client() {
        let p = proxies(&["127.0.0.1"]);
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), Some("203.0.113.5")),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn spoofed_leftmost_entries_do_not_win() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/24"]);
        let got = p.client_ip(ip("127.0.0.1"), Some("6.6.6.6, 203.0.113.5, 10.0.0.7"));
        assert_eq!(got, ip("203.0.113.5"));
    }

    #[test]
    fn mapped_ipv6_peer_is_canonicalised() {
        let p = proxies(&["127.0.0.1"]);
        assert_eq!(p.client_ip(ip("::ffff:127.0.0.1"), None), ip("127.0.0.1"));
        assert_eq!(
            proxies(&[]).client_ip(ip("::ffff:192.0.2.9"), None),
            ip("192.0.2.9")
        );
    }

    #[test]
    fn bad_config_entry_is_refused() {
        assert!(TrustedProxies::parse(&["proxy.local".to_string()]).is_err());
    }
}
