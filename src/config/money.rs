//! `[money]`: Go Account withdrawals and trading.

use serde::Deserialize;

/// `[money]`: Go Account withdrawals and trading.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MoneyConfig {
    /// A withdrawal worth more than this many USD waits for a video approver (202).
    pub video_approval_threshold_usd: i64,
    /// Seconds a `tx/build` payload may wait for its `tx/send`.
    pub build_expiry_seconds: i64,
    /// Seconds (sandbox clock) until a transfer to or from an outside address (a withdrawal,
    /// a deposit) has its first confirmation.
    pub settle_after_seconds: i64,
    /// Seconds (sandbox clock) between a transfer's further confirmations (one block).
    pub block_seconds: i64,
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
            block_seconds: 60,
            prices,
        }
    }
}
