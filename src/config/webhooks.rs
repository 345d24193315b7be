//! `[webhooks]`: where deliveries may go, how many run at once, and how they are retried.

use serde::Deserialize;

/// `[webhooks]`: webhook deliveries. A webhook may point only at loopback (`localhost`,
/// `127.0.0.0/8`, `[::1]`) or at a host named in `allow`, so that a sandbox cannot be turned
/// into a scanner of the network it runs in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhooksConfig {
    /// Hosts deliveries may go to besides loopback: names, `*.domain`, IP addresses or CIDRs.
    pub allow: Vec<String>,
    /// Most deliveries in flight at once, over every sandbox.
    pub workers: usize,
    /// How long one delivery may take (connect, send, answer), in milliseconds.
    pub timeout_ms: u64,
    /// Attempts per notification before it is marked failed.
    pub max_attempts: u32,
    /// The wait after a first failed attempt, in seconds of the sandbox clock; each further
    /// failure doubles it (up to an hour).
    pub retry_base_seconds: i64,
    /// Deliveries each capture inbox (`/sandbox/webhooks/inbox/{name}`) keeps (oldest dropped).
    pub inbox_capacity: usize,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        WebhooksConfig {
            allow: Vec::new(),
            workers: 16,
            timeout_ms: 10_000,
            max_attempts: 7,
            retry_base_seconds: 30,
            inbox_capacity: 1000,
        }
    }
}
