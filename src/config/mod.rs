//! Configuration: `config.toml` read with serde, every key optional with its default in code,
//! unknown keys refused so that a typo never silently falls back to a default.
pub mod bitwarden;
pub mod listen;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::auth::throttle::ThrottleLimits;

/// Entries a sandbox's journal holds unless configured.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 1000;

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
}

/// `[money]`: Go Account withdrawals and trading.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MoneyConfig {
    /// A withdrawal worth more than this many USD waits for a video approver (202).
    pub video_approval_threshold_usd: i64,
    /// Seconds a `tx/build` payload may wait for its `tx/send`.
    pub build_expiry_seconds: i64,
    /// Seconds (sandbox clock) until a withdrawal to an outside address is confirmed.
    pub settle_after_seconds: i64,
    /// USD price per whole unit of each asset, as a decimal string (the control plane's
    /// `PUT /sandbox/prices/{asset}` overrides it per sandbox).
    pub prices: std::collections::BTreeMap<String, String>,
}

impl Default for MoneyConfig {
    fn default() -> Self {
        let prices = [
            ("ofctusd", "1"),
            ("ofctusdc", "1"),
            ("ofctbtc", "60000"),
            ("ofctsol", "150"),
        ]
        .into_iter()
        .map(|(a, p)| (a.to_string(), p.to_string()))
        .collect();
        MoneyConfig {
            video_approval_threshold_usd: 250_000,
            build_expiry_seconds: 3600,
            settle_after_seconds: 60,
            prices,
        }
    }
}

/// `[kyc]`: a KYC identity is `initiating`, then `in review` after `review_after_seconds`,
/// then decided after `decision_after_seconds` (both from submission, on the sandbox clock).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KycConfig {
    /// Seconds from submission until `in review`.
    pub review_after_seconds: i64,
    /// Seconds from submission until `approved` or `declined`.
    pub decision_after_seconds: i64,
}

impl Default for KycConfig {
    fn default() -> Self {
        KycConfig {
            review_after_seconds: 5,
            decision_after_seconds: 30,
        }
    }
}

/// `[sandbox]`: the control plane. Open with no key only while every listener is on loopback
/// and no proxy is trusted; otherwise (or with `admin_key` set) every `/sandbox/...` call needs
/// `Authorization: Bearer <key>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxConfig {
    /// `false` switches the control plane off (every `/sandbox/...` path is a 404).
    pub enabled: bool,
    /// The key `/sandbox/...` calls must present; empty means none (a key is generated at
    /// start when a listener is beyond loopback or a proxy is trusted).
    pub admin_key: String,
    /// Requests each sandbox's journal holds (oldest dropped); 0 records nothing.
    pub journal_capacity: usize,
    /// Most named sandboxes at once.
    pub max_named: usize,
    /// Most named sandboxes with an open database at once (least recently used are closed).
    pub max_open: usize,
    /// A named sandbox unused this long has its database closed (reopened on the next
    /// request); 0 never.
    pub idle_seconds: u64,
    /// A seeding fixture (TOML or JSON) applied at start to the default sandbox and the
    /// template (`--seed FILE`).
    pub seed_file: Option<std::path::PathBuf>,
    /// Host names (or `*.domain`) the control plane and console answer besides loopback names,
    /// the addresses orgbox listens on and `[server] public_url`'s host; any other `Host` gets a
    /// 421 (a page on a rebound name cannot reach them).
    pub allowed_hosts: Vec<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            enabled: true,
            admin_key: String::new(),
            journal_capacity: DEFAULT_JOURNAL_CAPACITY,
            max_named: 10_000,
            max_open: 64,
            idle_seconds: 60,
            seed_file: None,
            allowed_hosts: Vec::new(),
        }
    }
}

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

/// `[auth]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// Lifetime of a login token, in seconds.
    pub login_token_seconds: i64,
    /// Unlock duration when none is given, in seconds.
    pub unlock_default_seconds: i64,
    /// Longest unlock allowed, in seconds.
    pub unlock_max_seconds: i64,
    /// Allowed distance between a signed request's timestamp and the real clock, in seconds.
    pub signature_window_seconds: i64,
    /// PBKDF2 iterations for stored passwords.
    pub pbkdf2_iterations: u32,
    /// One-time passwords accepted wherever an OTP is asked for.
    pub otps: Vec<String>,
    /// The `origin` recorded on issued tokens.
    pub origin: String,
    /// Most live long-lived access tokens one user may hold; 0 means no limit.
    pub max_live_tokens_per_user: usize,
    /// Threads that run PBKDF2 (apart from the pool that serves store reads).
    pub password_threads: usize,
    /// Password checks that may wait for a thread; more are answered 429 at once.
    pub password_queue: usize,
    /// Length of the window in which password and OTP attempts are counted, in seconds.
    pub throttle_window_seconds: i64,
    /// Attempts per account (password or OTP) per window; 0 turns the limit off.
    pub throttle_attempts_per_account: u32,
    /// Attempts per client address per window; 0 turns the limit off.
    pub throttle_attempts_per_address: u32,
    /// How long a throttled attempt is held before its 429 is sent, in ms.
    pub throttle_delay_ms: u64,
    /// Refuse a state-changing signed request whose exact signature was already served
    /// within its window (off by default: BitGo's signing scheme permits such repeats).
    pub reject_replays: bool,
}

impl AuthConfig {
    /// The throttle limits of every sandbox.
    pub fn throttle_limits(&self) -> ThrottleLimits {
        ThrottleLimits {
            per_account: self.throttle_attempts_per_account,
            per_address: self.throttle_attempts_per_address,
            window_ms: self.throttle_window_seconds.saturating_mul(1000),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            login_token_seconds: 86_400,
            unlock_default_seconds: 600,
            unlock_max_seconds: 3_600,
            signature_window_seconds: 300,
            pbkdf2_iterations: 100_000,
            otps: vec!["000000".into(), "0000000".into()],
            origin: "orgbox.localhost".into(),
            max_live_tokens_per_user: 100,
            password_threads: 1,
            password_queue: 64,
            throttle_window_seconds: 300,
            throttle_attempts_per_account: 10,
            throttle_attempts_per_address: 100,
            throttle_delay_ms: 250,
            reject_replays: false,
        }
    }
}

/// `[demo]`: one organization, its parent enterprise of the same name, and its users.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemoConfig {
    /// Name of the organization and of its parent enterprise.
    pub organization: String,
    /// Password of every demo user.
    pub password: String,
    /// The demo users.
    pub users: Vec<DemoUser>,
    /// Child enterprises, each with its end user (an organization `customer`) and an approved
    /// KYC identity; the organization's service user is an admin of each.
    pub children: Vec<DemoChild>,
}

/// One `[[demo.children]]` entry: a child enterprise named after its end user's email.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoChild {
    /// The end user's login email (also the enterprise's name).
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
}

/// One `[[demo.users]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoUser {
    /// Login email (the BitGo username).
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Permissions on the parent enterprise (`admin`, `auditor`, `wallet.create`, `member`).
    #[serde(default)]
    pub enterprise_permissions: Vec<String>,
    /// Role in the organization (`serviceUser`, `admin`, `member`, `customer`), if any.
    #[serde(default)]
    pub organization_role: Option<String>,
    /// Whether the user is one of the parent enterprise's video approvers (`videoIdUser`).
    #[serde(default)]
    pub video_approver: bool,
}

impl Default for DemoConfig {
    fn default() -> Self {
        let user = |email: &str, first: &str, last: &str, role: &str| DemoUser {
            email: email.into(),
            first_name: first.into(),
            last_name: last.into(),
            enterprise_permissions: vec!["admin".into()],
            organization_role: Some(role.into()),
            video_approver: false,
        };
        DemoConfig {
            organization: "Prestige Worldwide".into(),
            password: "Prestige-Worldwide-2026".into(),
            users: vec![
                user(
                    "brennan@prestige-worldwide.test",
                    "Brennan",
                    "Huff",
                    "admin",
                ),
                DemoUser {
                    video_approver: true,
                    ..user("dale@prestige-worldwide.test", "Dale", "Doback", "member")
                },
                user(
                    "service@prestige-worldwide.test",
                    "Prestige",
                    "Service",
                    "serviceUser",
                ),
            ],
            children: vec![DemoChild {
                email: "chazz@prestige-worldwide.test".into(),
                first_name: "Chazz".into(),
                last_name: "Reinhold".into(),
            }],
        }
    }
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
