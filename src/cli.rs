//! Command-line flags (each also reads an `ORGBOX_*` environment variable) and the
//! subcommands that script a sandbox: `orgbox reset`, `orgbox snapshot save|load FILE`,
//! `orgbox seed FILE`, against a running server (`--url`) or a data directory no server holds;
//! `orgbox webhooks trigger|inbox|inboxes` against a running server; and `orgbox health`,
//! which asks a running server whether it answers. With no subcommand (or `serve`, which
//! takes the same flags), orgbox runs the server.

pub mod health;
pub mod http;
pub mod ops;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::listen::TlsListen;
use crate::config::{Config, ConfigError};

/// orgbox: an offline, stateful sandbox of BitGo's and Bitwarden's organization APIs.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// What to do; the server when absent.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Configuration file (TOML). Without this flag, ./config.toml is read if present (the
    /// built-in defaults are the same as the repository's config.toml).
    #[arg(long, env = "ORGBOX_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite store and the server key; one orgbox at a time owns it.
    #[arg(long, env = "ORGBOX_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// The server's flags.
    #[command(flatten)]
    pub server: ServerFlags,
}

/// What the server takes besides `--config` and `--data-dir` (`orgbox [FLAGS]` or
/// `orgbox serve [FLAGS]`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServerFlags {
    /// Address to listen on, e.g. 127.0.0.1:3080 (port 0 picks a free port).
    #[arg(long, env = "ORGBOX_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// The HTTPS listener (for the `bw` CLI): auto (port 3443 beside 3080, any free port
    /// beside another), an address such as 127.0.0.1:3443, or off.
    #[arg(long, env = "ORGBOX_TLS_LISTEN")]
    pub tls_listen: Option<TlsListen>,
    /// Names the HTTPS certificate carries besides localhost, 127.0.0.1 and ::1, comma
    /// separated (e.g. orgbox,orgbox.test).
    #[arg(long, env = "ORGBOX_TLS_NAMES", value_delimiter = ',')]
    pub tls_names: Option<Vec<String>>,
    /// A seeding fixture (TOML or JSON) applied at start to the default sandbox and the
    /// template.
    #[arg(long, env = "ORGBOX_SEED")]
    pub seed: Option<PathBuf>,
    /// The key every /sandbox/... call must carry (Authorization: Bearer KEY); overrides
    /// [sandbox] admin_key.
    #[arg(long = "admin-key", env = "ORGBOX_ADMIN_KEY", hide_env_values = true)]
    pub admin_key: Option<String>,
}

impl ServerFlags {
    /// Puts the flags given over `config`.
    fn apply(&self, config: &mut Config) {
        if let Some(listen) = self.listen {
            config.server.listen = listen;
        }
        if let Some(tls) = self.tls_listen {
            config.server.tls_listen = tls;
        }
        if let Some(names) = &self.tls_names {
            config.server.tls_names = names.clone();
        }
        if let Some(seed) = &self.seed {
            config.sandbox.seed_file = Some(seed.clone());
        }
        if let Some(key) = self.admin_key.as_deref().filter(|k| !k.trim().is_empty()) {
            config.sandbox.admin_key = key.trim().to_string();
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve(ServerFlags),
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
    /// Ask a running orgbox whether it answers (exit 0) or not (exit 1): a container's
    /// HEALTHCHECK. Without --url, the server holding --data-dir, else the configured listen
    /// address.
    Health {
        /// The server, e.g. http://127.0.0.1:3080.
        #[arg(long)]
        url: Option<String>,
        /// The control plane's admin key, when the server needs one.
        #[arg(long = "admin-key", env = "ORGBOX_ADMIN_KEY", hide_env_values = true)]
        admin_key: Option<String>,
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
    /// directly (only while no server holds it).
    #[arg(long, env = "ORGBOX_URL")]
    pub url: Option<String>,
    /// A named sandbox instead of the default one.
    #[arg(long)]
    pub sandbox: Option<String>,
    /// The control plane's admin key, when the server needs one.
    #[arg(long = "admin-key", env = "ORGBOX_ADMIN_KEY", hide_env_values = true)]
    pub admin_key: Option<String>,
}

impl Args {
    /// Loads the configuration file and applies the flags over it (`serve`'s after the
    /// top-level ones).
    pub fn config(&self) -> Result<Config, ConfigError> {
        let required = self.config.is_some();
        let path = self
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from("config.toml"));
        let mut config = Config::load(&path, required)?;
        self.server.apply(&mut config);
        if let Some(Command::Serve(flags)) = &self.command {
            flags.apply(&mut config);
        }
        if let Some(dir) = &self.data_dir {
            config.server.data_dir = dir.clone();
        }
        Ok(config)
    }

    /// [`Args::config`], consuming the flags.
    pub fn into_config(self) -> Result<Config, ConfigError> {
        self.config()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        let mut all = vec!["orgbox", "--config", "/nonexistent/orgbox.toml"];
        all.extend_from_slice(args);
        let args = Args::try_parse_from(all).expect("flags parse");
        let mut config = Config::default();
        args.server.apply(&mut config);
        if let Some(Command::Serve(flags)) = &args.command {
            flags.apply(&mut config);
        }
        config
    }

    #[test]
    fn serve_takes_the_same_flags_as_orgbox_alone() {
        for args in [
            &["--listen", "127.0.0.1:3180", "--tls-listen", "off"][..],
            &["serve", "--listen", "127.0.0.1:3180", "--tls-listen", "off"][..],
        ] {
            let config = parse(args);
            assert_eq!(config.server.listen, "127.0.0.1:3180".parse().unwrap());
            assert_eq!(config.server.tls_listen, TlsListen::Off);
        }
        let config = parse(&[
            "serve",
            "--tls-names",
            "orgbox,orgbox.test",
            "--admin-key",
            "k",
        ]);
        assert_eq!(config.server.tls_names, ["orgbox", "orgbox.test"]);
        assert_eq!(config.sandbox.admin_key, "k");
    }
}
