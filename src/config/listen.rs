//! `[server] tls_listen`: where the HTTPS listener (for the `bw` CLI) opens, if at all.
//! `"auto"` (the default) follows the plain listener: port 3443 beside the stock 3080, and a
//! free port beside any other, so a second orgbox started with only `--listen` changed never
//! clashes with the first; an address opens exactly there; `"off"` (or an empty value) opens
//! none.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

/// The stock plain-HTTP port (config.toml's `listen`).
pub const STOCK_HTTP_PORT: u16 = 3080;
/// The HTTPS port `auto` picks beside the stock HTTP port.
pub const STOCK_HTTPS_PORT: u16 = 3443;

/// Where the HTTPS listener opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsListen {
    /// No HTTPS listener.
    Off,
    /// Beside the plain listener: same host, port 3443 when that one is on 3080, else any
    /// free port (printed in the banner and in `GET /sandbox/health`).
    #[default]
    Auto,
    /// Exactly this address (port 0: any free port).
    At(SocketAddr),
}

impl TlsListen {
    /// The address to bind, given the configured plain listener; `None` when off.
    pub fn resolve(self, http: SocketAddr) -> Option<SocketAddr> {
        match self {
            TlsListen::Off => None,
            TlsListen::At(addr) => Some(addr),
            TlsListen::Auto => {
                let port = if http.port() == STOCK_HTTP_PORT {
                    STOCK_HTTPS_PORT
                } else {
                    0
                };
                Some(SocketAddr::new(http.ip(), port))
            }
        }
    }
}

impl FromStr for TlsListen {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "" | "off" | "none" | "false" => Ok(TlsListen::Off),
            "auto" => Ok(TlsListen::Auto),
            other => other.parse().map(TlsListen::At).map_err(|_| {
                format!(
                    "{other:?} is not an address (HOST:PORT, e.g. 127.0.0.1:3443), \"auto\" or \"off\""
                )
            }),
        }
    }
}

impl fmt::Display for TlsListen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsListen::Off => f.write_str("off"),
            TlsListen::Auto => f.write_str("auto"),
            TlsListen::At(addr) => write!(f, "{addr}"),
        }
    }
}

impl<'de> Deserialize<'de> for TlsListen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn auto_sits_beside_the_plain_listener() {
        let auto = TlsListen::Auto;
        assert_eq!(
            auto.resolve(at("127.0.0.1:3080")),
            Some(at("127.0.0.1:3443"))
        );
        assert_eq!(auto.resolve(at("0.0.0.0:3080")), Some(at("0.0.0.0:3443")));
        assert_eq!(auto.resolve(at("127.0.0.1:3180")), Some(at("127.0.0.1:0")));
        assert_eq!(auto.resolve(at("[::1]:0")), Some(at("[::1]:0")));
    }

    #[test]
    fn off_and_addresses_parse_and_anything_else_is_named() {
        for off in ["off", "", " ", "none"] {
            assert_eq!(off.parse::<TlsListen>().unwrap(), TlsListen::Off);
        }
        assert_eq!("auto".parse::<TlsListen>().unwrap(), TlsListen::Auto);
        assert_eq!(
            "127.0.0.1:3443".parse::<TlsListen>().unwrap(),
            TlsListen::At(at("127.0.0.1:3443"))
        );
        assert_eq!(TlsListen::Off.resolve(at("127.0.0.1:3080")), None);
        let err = "localhost:3443".parse::<TlsListen>().unwrap_err();
        assert!(
            err.contains("\"localhost:3443\"") && err.contains("off"),
            "{err}"
        );
    }
}
