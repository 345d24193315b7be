//! `[server]`: listeners, data directory and request limits.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to bind; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Directory for the SQLite file and the server key.
    pub data_dir: PathBuf,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Peers (IPs or CIDRs) whose `X-Forwarded-For` and `Forwarded` headers are believed.
    pub trusted_proxies: Vec<String>,
    /// Start even when `server.key` is readable by its group or others.
    pub allow_shared_key_file: bool,
    /// A second, HTTPS listener serving the same routes (the `bw` CLI refuses plain HTTP);
    /// its certificate comes from a local CA made once in the data directory.
    pub tls_listen: crate::config::listen::TlsListen,
    /// Host names or IP addresses the HTTPS certificate names besides `localhost`,
    /// `127.0.0.1` and `::1` (a container's service name, say).
    pub tls_names: Vec<String>,
    /// Where clients reach orgbox (`https://orgbox.example.test`, behind a proxy or in a
    /// container network): the base of links in captured mail, and a host the control plane
    /// answers. When absent, links use the request's host if orgbox answers it, else the
    /// listener's address.
    pub public_url: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 3080)),
            data_dir: PathBuf::from("data"),
            max_body_bytes: 1024 * 1024,
            trusted_proxies: Vec::new(),
            allow_shared_key_file: false,
            tls_listen: crate::config::listen::TlsListen::Auto,
            tls_names: Vec::new(),
            public_url: None,
        }
    }
}
