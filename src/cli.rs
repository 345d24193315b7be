//! Command-line flags; each also reads an `ORGBOX_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::config::{Config, ConfigError};

/// orgbox: an offline, stateful sandbox of BitGo's and Bitwarden's organization APIs.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// Configuration file (TOML). Without this flag, ./config.toml is read if present.
    #[arg(long, env = "ORGBOX_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:3080 (port 0 picks a free port).
    #[arg(long, env = "ORGBOX_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Address of the HTTPS listener (for the `bw` CLI), e.g. 127.0.0.1:3443.
    #[arg(long, env = "ORGBOX_TLS_LISTEN")]
    pub tls_listen: Option<SocketAddr>,
    /// Directory for the SQLite store and the server key.
    #[arg(long, env = "ORGBOX_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

impl Args {
    /// Loads the configuration file and applies the flags over it.
    pub fn into_config(self) -> Result<Config, ConfigError> {
        let required = self.config.is_some();
        let path = self.config.unwrap_or_else(|| PathBuf::from("config.toml"));
        let mut config = Config::load(&path, required)?;
        if let Some(listen) = self.listen {
            config.server.listen = listen;
        }
        if let Some(tls) = self.tls_listen {
            config.server.tls_listen = Some(tls);
        }
        if let Some(dir) = self.data_dir {
            config.server.data_dir = dir;
        }
        Ok(config)
    }
}
