//! Configuration: `config.toml` read with serde, every key optional with its default in code,
//! unknown keys refused so that a typo never silently falls back to a default. One file per
//! section; every section's type is reachable as `crate::config::X`.
mod auth;
pub mod bitwarden;
mod demo;
mod kyc;
pub mod listen;
mod money;
mod sandbox;
mod server;
mod webhooks;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use auth::AuthConfig;
pub use demo::{DemoChild, DemoConfig, DemoUser};
pub use kyc::KycConfig;
pub use money::MoneyConfig;
pub use sandbox::{SandboxConfig, DEFAULT_JOURNAL_CAPACITY};
pub use server::ServerConfig;
pub use webhooks::WebhooksConfig;

/// Everything orgbox can be told at start.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Listener, data directory and request limits.
    pub server: ServerConfig,
    /// Token lifetimes, signing window, password hashing and accepted OTPs.
    pub auth: AuthConfig,
    /// The demo world seeded on first start.
    pub demo: DemoConfig,
    /// The `/sandbox/...` control plane.
    pub sandbox: SandboxConfig,
    /// How fast KYC submissions move on (sandbox clock).
    pub kyc: KycConfig,
    /// The Bitwarden dialect: deployment style, KDF, delays and its demo world.
    pub bitwarden: crate::config::bitwarden::BitwardenConfig,
    /// Go Accounts: prices, the video-approval threshold, build expiry and settlement.
    pub money: MoneyConfig,
    /// Webhook deliveries: allowed targets, workers, timeout and retries.
    pub webhooks: WebhooksConfig,
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("invalid config {path}: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: toml::de::Error,
    },
}

impl Config {
    /// Reads `path`; a missing file is an error only when `required` (an explicit `--config`).
    pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text).map_err(|source| ConfigError::Parse {
                path: path.to_path_buf(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(Config::default())
            }
            Err(source) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses TOML text.
    pub fn parse(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_config_matches_the_built_in_defaults() {
        let text = include_str!("../../config.toml");
        let file = Config::parse(text).expect("config.toml parses");
        let defaults = Config::default();
        assert_eq!(file.server.listen, defaults.server.listen);
        assert_eq!(file.auth.otps, defaults.auth.otps);
        assert_eq!(file.auth.login_token_seconds, 86_400);
        assert_eq!(file.demo.users.len(), defaults.demo.users.len());
        assert_eq!(file.demo.password, defaults.demo.password);
        assert_eq!(file.sandbox.enabled, defaults.sandbox.enabled);
        assert_eq!(file.sandbox.admin_key, defaults.sandbox.admin_key);
        assert_eq!(file.sandbox.allowed_hosts, defaults.sandbox.allowed_hosts);
        assert_eq!(file.server.public_url, defaults.server.public_url);
        assert_eq!(file.demo.children.len(), defaults.demo.children.len());
        assert_eq!(
            file.demo.users.iter().filter(|u| u.video_approver).count(),
            defaults
                .demo
                .users
                .iter()
                .filter(|u| u.video_approver)
                .count()
        );
        assert_eq!(
            file.kyc.review_after_seconds,
            defaults.kyc.review_after_seconds
        );
        assert_eq!(
            file.kyc.decision_after_seconds,
            defaults.kyc.decision_after_seconds
        );
        let (bw, bw_defaults) = (&file.bitwarden, &defaults.bitwarden);
        assert_eq!(bw.deployment, bw_defaults.deployment);
        assert_eq!(bw.kdf_iterations, bw_defaults.kdf_iterations);
        assert_eq!(
            bw.failed_secret_delay_ms,
            bw_defaults.failed_secret_delay_ms
        );
        assert_eq!(bw.organization, bw_defaults.organization);
        let emails = |c: &crate::config::bitwarden::BitwardenConfig| {
            c.users
                .iter()
                .map(|u| (u.email.clone(), u.role.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(emails(bw), emails(bw_defaults));
    }

    #[test]
    fn without_a_config_file_every_setting_is_the_stock_files() {
        let file = Config::parse(include_str!("../../config.toml")).expect("config.toml parses");
        assert_eq!(format!("{file:#?}"), format!("{:#?}", Config::default()));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = Config::parse("[server]\nlisten_on = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("listen_on"), "{err}");
    }

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.auth.unlock_max_seconds, 3_600);
    }
}
