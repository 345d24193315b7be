//! `[bitwarden]` in config.toml: deployment style, KDF settings, delays, token lifetimes and
//! the demo world (users with plaintext master passwords, one organization).

use serde::Deserialize;

/// Cloud or self-hosted: decides which cloud-only or self-hosted-only routes answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Deployment {
    /// bitwarden.com style: signup, license download and storage answer.
    Cloud,
    /// Self-hosted: license upload answers; signup and storage are refused.
    SelfHosted,
}

/// `[bitwarden]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BitwardenConfig {
    /// `cloud` or `self-hosted`.
    pub deployment: Deployment,
    /// PBKDF2 iterations of new users' master keys (what prelogin returns).
    pub kdf_iterations: u32,
    /// PBKDF2 iterations of the server-side hash of the client's master password hash.
    pub server_hash_iterations: u32,
    /// Wait before answering a wrong password or secret, in ms (the real server waits 2 s).
    pub failed_secret_delay_ms: u64,
    /// Access token lifetime, seconds.
    pub access_token_seconds: i64,
    /// Refresh token lifetime, seconds.
    pub refresh_token_seconds: i64,
    /// Name of the demo organization.
    pub organization: String,
    /// Its plan type.
    pub plan_type: i64,
    /// Its SSO identifier (what `auto-enroll-status` looks up); the name in kebab case if empty.
    pub identifier: String,
    /// Its SSO configuration uses Key Connector decryption (Key Connector users cannot leave).
    pub key_connector: bool,
    /// Its reset-password policy: absent, or enabled with `autoEnrollEnabled` set to this.
    pub auto_enroll: Option<bool>,
    /// The demo users; the first owner creates the organization.
    pub users: Vec<BitwardenUser>,
}

/// One `[[bitwarden.users]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BitwardenUser {
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Plaintext master password (the sandbox derives the keys as a client would).
    pub master_password: String,
    /// Role in the demo organization: `owner`, `admin`, `user`, `custom`, `manager`; none for
    /// a user outside it.
    #[serde(default)]
    pub role: Option<String>,
    /// Membership status: `confirmed` (default), `accepted`, `invited`, `revoked`.
    #[serde(default)]
    pub status: Option<String>,
    /// Custom permissions by their wire names (`manageScim`, ...), for `custom`.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// A fixed personal API key (30 chars); random when absent.
    #[serde(default)]
    pub api_key: Option<String>,
    /// The organization claims this account (verified domain): it cannot leave.
    #[serde(default)]
    pub claimed: bool,
    /// The user unlocks with Key Connector.
    #[serde(default)]
    pub uses_key_connector: bool,
    /// The user has two-step login on (the two-step login policy lets it join).
    #[serde(default)]
    pub two_factor: bool,
}

impl Default for BitwardenConfig {
    fn default() -> Self {
        let user = |email: &str, name: &str, role: &str| BitwardenUser {
            email: email.into(),
            name: name.into(),
            master_password: "Vandelay-Industries-2026".into(),
            role: Some(role.into()),
            status: None,
            permissions: Vec::new(),
            api_key: None,
            claimed: false,
            uses_key_connector: false,
            two_factor: false,
        };
        BitwardenConfig {
            deployment: Deployment::Cloud,
            kdf_iterations: 600_000,
            server_hash_iterations: 10_000,
            failed_secret_delay_ms: 2_000,
            access_token_seconds: 3_600,
            refresh_token_seconds: 30 * 86_400,
            organization: "Vandelay Industries".into(),
            plan_type: 5,
            identifier: String::new(),
            key_connector: false,
            auto_enroll: None,
            users: vec![
                user("art@vandelay.test", "Art Vandelay", "owner"),
                user("george@vandelay.test", "George Costanza", "admin"),
                user("kramer@vandelay.test", "Cosmo Kramer", "user"),
                // Accepted, awaiting confirmation: `bw confirm org-member` finishes it.
                BitwardenUser {
                    status: Some("accepted".into()),
                    ..user("newman@vandelay.test", "Newman", "user")
                },
            ],
        }
    }
}
