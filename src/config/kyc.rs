//! `[kyc]`: how fast KYC submissions move on (sandbox clock).

use serde::Deserialize;

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
