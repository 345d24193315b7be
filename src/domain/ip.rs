//! Token IP restrictions: a list of addresses and CIDR blocks, and the match against a client.

use std::net::IpAddr;

use ipnet::IpNet;

/// The narrowest IPv4 block BitGo allows in `ipRestrict` is /32, the widest /24.
const MIN_V4_PREFIX: u8 = 24;
/// orgbox's equivalent for IPv6 (BitGo documents IPv4 only): no block wider than a /64.
const MIN_V6_PREFIX: u8 = 64;
/// Most entries one token's `ipRestrict` may list.
pub const MAX_ENTRIES: usize = 50;
/// Longest entry accepted, in characters (a full IPv6 CIDR is 43).
pub const MAX_ENTRY_CHARS: usize = 64;

/// Where a token may be used from; empty means anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IpRestriction {
    entries: Vec<String>,
    nets: Vec<IpNet>,
}

impl IpRestriction {
    /// Parses `ipRestrict` entries (plain addresses or CIDRs), refusing malformed ones and
    /// blocks wider than allowed. The entries are kept as sent, for display.
    pub fn parse(entries: &[String]) -> Result<IpRestriction, String> {
        if entries.len() > MAX_ENTRIES {
            return Err(format!(
                "ipRestrict may list at most {MAX_ENTRIES} entries, not {}",
                entries.len()
            ));
        }
        let mut nets = Vec::with_capacity(entries.len());
        for entry in entries {
            if entry.chars().count() > MAX_ENTRY_CHARS {
                return Err(format!(
                    "invalid ipRestrict entry: entries may be at most {MAX_ENTRY_CHARS} characters"
                ));
            }
            let trimmed = entry.trim();
            let net = if trimmed.contains('/') {
                let net: IpNet = trimmed.parse().map_err(|_| {
                    format!("invalid ipRestrict entry {entry:?}: not an IP or CIDR")
                })?;
                let min = match net {
                    IpNet::V4(_) => MIN_V4_PREFIX,
                    IpNet::V6(_) => MIN_V6_PREFIX,
                };
                if net.prefix_len() < min {
                    return Err(format!(
                        "invalid ipRestrict entry {entry:?}: CIDR blocks may be at most /{min} wide"
                    ));
                }
                net.trunc()
            } else {
                let ip: IpAddr = trimmed.parse().map_err(|_| {
                    format!("invalid ipRestrict entry {entry:?}: not an IP or CIDR")
                })?;
                IpNet::from(canonical(ip))
            };
            nets.push(net);
        }
        Ok(IpRestriction {
            entries: entries.iter().map(|e| e.trim().to_string()).collect(),
            nets,
        })
    }

    /// Whether a request from `client` may use the token. `None` is a client whose address
    /// could not be trusted (a forged or unreadable forwarding header): it passes only when
    /// there is no restriction.
    pub fn allows(&self, client: Option<IpAddr>) -> bool {
        if self.nets.is_empty() {
            return true;
        }
        let Some(client) = client.map(canonical) else {
            return false;
        };
        self.nets.iter().any(|n| n.contains(&client))
    }

    /// The entries as given, for display.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Whether there is no restriction.
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    /// The entries to store: `None` when there is no restriction.
    pub fn to_stored(&self) -> Option<Vec<String>> {
        (!self.is_empty()).then(|| self.entries.clone())
    }
}

/// An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is the IPv4 address it carries.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: &[&str]) -> IpRestriction {
        IpRestriction::parse(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn empty_restriction_allows_everyone() {
        assert!(rule(&[]).allows(Some(ip("203.0.113.9"))));
    }

    #[test]
    fn single_address_and_cidr_match() {
        let r = rule(&["127.0.0.1", "198.51.100.0/24"]);
        assert!(r.allows(Some(ip("127.0.0.1"))));
        assert!(r.allows(Some(ip("198.51.100.77"))));
        assert!(!r.allows(Some(ip("127.0.0.2"))));
        assert!(!r.allows(Some(ip("198.51.101.1"))));
    }

    #[test]
    fn ipv4_mapped_ipv6_client_matches_its_ipv4_rule() {
        assert!(rule(&["127.0.0.1"]).allows(Some(ip("::ffff:127.0.0.1"))));
        assert!(rule(&["::ffff:127.0.0.1"]).allows(Some(ip("127.0.0.1"))));
    }

    #[test]
    fn blocks_wider_than_slash_24_are_refused() {
        let err = IpRestriction::parse(&["10.0.0.0/16".to_string()]).unwrap_err();
        assert!(err.contains("/24"), "{err}");
        assert!(IpRestriction::parse(&["2001:db8::/32".to_string()]).is_err());
        assert!(IpRestriction::parse(&["2001:db8::/64".to_string()]).is_ok());
    }

    #[test]
    fn garbage_is_refused_with_the_entry_named() {
        let err = IpRestriction::parse(&["localhost".to_string()]).unwrap_err();
        assert!(err.contains("localhost"), "{err}");
        assert!(IpRestriction::parse(&["".to_string()]).is_err());
    }

    #[test]
    fn an_untrusted_client_address_passes_only_an_empty_restriction() {
        assert!(rule(&[]).allows(None));
        assert!(!rule(&["127.0.0.1"]).allows(None));
    }

    #[test]
    fn entry_count_and_length_are_bounded() {
        let many: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("10.0.0.{i}")).collect();
        let err = IpRestriction::parse(&many).unwrap_err();
        assert!(err.contains(&MAX_ENTRIES.to_string()), "{err}");
        let long = format!("1.2.3.4{}", " ".repeat(MAX_ENTRY_CHARS));
        assert!(IpRestriction::parse(&[long]).is_err());
    }

    #[test]
    fn host_bits_in_a_cidr_are_ignored() {
        assert!(rule(&["192.0.2.77/24"]).allows(Some(ip("192.0.2.1"))));
    }
}
