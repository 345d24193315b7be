//! `[auth]`: token lifetimes, signing window, password hashing, throttling and OTPs.

use serde::Deserialize;

use crate::auth::throttle::ThrottleLimits;

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
