//! Command-line flags (each also reads an `ORGBOX_*` environment variable) and the
//! subcommands that script a sandbox: `orgbox reset`, `orgbox snapshot save|load FILE`,
//! `orgbox seed FILE`, `orgbox webhooks trigger|inbox|inboxes`, against a running server (`--url`) or a data directory. With no
//! subcommand (or `serve`), orgbox runs the server.

pub mod http;
pub mod ops;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError};

/// orgbox: an offline, stateful sandbox of BitGo's and Bitwarden's organization APIs.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// What to do; the server when absent.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Configuration file (TOML). Without this flag, ./config.toml is read if present.
    #[arg(long, env = "ORGBOX_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:3080 (port 0 picks a free port).
    #[arg(long, env = "ORGBOX_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Address of the HTTPS listener (for the `bw` CLI), e.g. 127.0.0.1:3443.
    #[arg(long, env = "ORGBOX_TLS_LISTEN")]
    pub tls_listen: Option<SocketAddr>,
    /// Directory for the SQLite store and the server key.
    #[arg(long, env = "ORGBOX_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// A seeding fixture (TOML or JSON) applied at start to the default sandbox and the
    /// template.
    #[arg(long, env = "ORGBOX_SEED")]
    pub seed: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Reset a sandbox to the seeded template.
    Reset(Target),
    /// Save or load a sandbox's state as one SQLite file.
    Snapshot {
        /// save or load.
        #[command(subcommand)]
        action: SnapshotAction,
    },
    /// Apply a seeding fixture (TOML or JSON) to a sandbox.
    Seed {
        /// The fixture file.
        file: PathBuf,
        /// Which sandbox, where.
        #[command(flatten)]
        target: Target,
    },
    /// Fire a webhook event, or read a capture inbox, on a running server (`--url`).
    Webhooks {
        /// trigger, inbox or inboxes.
        #[command(subcommand)]
        action: webhooks::WebhooksAction,
    },
}

/// `snapshot save|load FILE`.
#[derive(Debug, Subcommand)]
pub enum SnapshotAction {
    /// Write the sandbox's state to FILE.
    Save {
        /// Where to write (replaced if it exists).
        file: PathBuf,
        /// Which sandbox, where.
        #[command(flatten)]
        target: Target,
    },
    /// Replace the sandbox's state with FILE (checked, upgraded if older, never half-loaded).
    Load {
        /// The snapshot file.
        file: PathBuf,
        /// Which sandbox, where.
        #[command(flatten)]
        target: Target,
    },
}

/// Which sandbox a subcommand acts on, and whether through a running server.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// A running orgbox, e.g. http://127.0.0.1:3080; without it, the data directory is used
    /// directly.
    #[arg(long, env = "ORGBOX_URL")]
    pub url: Option<String>,
    /// A named sandbox instead of the default one.
    #[arg(long)]
    pub sandbox: Option<String>,
    /// The control plane's admin key, when the server needs one.
    #[arg(long, env = "ORGBOX_ADMIN_KEY")]
    pub admin_key: Option<String>,
}

impl Args {
    /// Loads the configuration file and applies the flags over it.
    pub fn config(&self) -> Result<Config, ConfigError> {
        let required = self.config.is_some();
        let path = self
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from("config.toml"));
        let mut config = Config::load(&path, required)?;
        if let Some(listen) = self.listen {
            config.server.listen = listen;
        }
        if let Some(tls) = self.tls_listen {
            config.server.tls_listen = Some(tls);
        }
        if let Some(dir) = &self.data_dir {
            config.server.data_dir = dir.clone();
        }
        if let Some(seed) = &self.seed {
            config.sandbox.seed_file = Some(seed.clone());
        }
        Ok(config)
    }

    /// [`Args::config`], consuming the flags.
    pub fn into_config(self) -> Result<Config, ConfigError> {
        self.config()
    }
}
