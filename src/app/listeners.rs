//! The listeners, bound first: before the data directory is touched, so a server that cannot
//! listen writes nothing, and with errors that name the address that failed and what to do.

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener};

use crate::config::ServerConfig;

/// The bound listeners.
pub struct Listeners {
    /// The plain HTTP listener.
    pub http: TcpListener,
    /// Its address as bound (port 0 resolved).
    pub http_address: SocketAddr,
    /// The HTTPS listener and its address, unless HTTPS is off.
    pub https: Option<(TcpListener, SocketAddr)>,
}

impl Listeners {
    /// Binds `listen`, then the HTTPS listener `tls_listen` resolves to (if any).
    pub fn bind(server: &ServerConfig) -> std::io::Result<Listeners> {
        let http = bind(server.listen, Kind::Http)?;
        let http_address = http.local_addr()?;
        let https = match server.tls_listen.resolve(server.listen) {
            Some(addr) => {
                let l = bind(addr, Kind::Https)?;
                let a = l.local_addr()?;
                Some((l, a))
            }
            None => None,
        };
        Ok(Listeners {
            http,
            http_address,
            https,
        })
    }

    /// The HTTPS listener's address, if there is one.
    pub fn https_address(&self) -> Option<SocketAddr> {
        self.https.as_ref().map(|(_, a)| *a)
    }

    /// Every listener as `(address, "HTTP" | "HTTPS")`, for the control plane's guard.
    pub fn described(&self) -> Vec<(SocketAddr, &'static str)> {
        std::iter::once((self.http_address, "HTTP"))
            .chain(self.https_address().map(|a| (a, "HTTPS")))
            .collect()
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Http,
    Https,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Http => "HTTP",
            Kind::Https => "HTTPS, for the bw CLI",
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Kind::Http => "--listen ADDR (ORGBOX_LISTEN)",
            Kind::Https => "--tls-listen ADDR (ORGBOX_TLS_LISTEN)",
        }
    }

    fn or_else(self) -> &'static str {
        match self {
            Kind::Http => "",
            Kind::Https => ", or turn HTTPS off with --tls-listen off",
        }
    }
}

fn bind(addr: SocketAddr, kind: Kind) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| {
        let reason = match e.kind() {
            ErrorKind::AddrInUse => "the address is already in use (another orgbox?)".to_string(),
            ErrorKind::AddrNotAvailable => {
                "no network interface of this machine has that address".to_string()
            }
            ErrorKind::PermissionDenied => {
                "permission denied (ports below 1024 need privileges)".to_string()
            }
            _ => e.to_string(),
        };
        std::io::Error::new(
            e.kind(),
            format!(
                "cannot listen on {addr} ({}): {reason}; choose another address with {} \
                 (port 0 picks a free one){}",
                kind.label(),
                kind.flag(),
                kind.or_else()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::listen::TlsListen;

    fn server(listen: SocketAddr, tls: TlsListen) -> ServerConfig {
        ServerConfig {
            listen,
            tls_listen: tls,
            ..ServerConfig::default()
        }
    }

    #[test]
    fn a_taken_https_port_is_named_as_the_one_that_failed() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let busy = taken.local_addr().unwrap();
        let config = server("127.0.0.1:0".parse().unwrap(), TlsListen::At(busy));
        let err = Listeners::bind(&config)
            .err()
            .expect("the HTTPS bind fails");
        assert_eq!(err.kind(), ErrorKind::AddrInUse);
        let text = err.to_string();
        assert!(
            text.contains(&format!("cannot listen on {busy} (HTTPS")),
            "{text}"
        );
        assert!(text.contains("--tls-listen off"), "{text}");
        let config = server(busy, TlsListen::Off);
        let text = Listeners::bind(&config).err().unwrap().to_string();
        assert!(
            text.contains(&format!("cannot listen on {busy} (HTTP)")),
            "{text}"
        );
        assert!(text.contains("--listen"), "{text}");
    }

    #[test]
    fn https_off_binds_one_listener() {
        let config = server("127.0.0.1:0".parse().unwrap(), TlsListen::Off);
        let bound = Listeners::bind(&config).unwrap();
        assert!(bound.https.is_none());
        assert_eq!(bound.described().len(), 1);
    }
}
