//! BitGo's webhooks as rules: the types each scope accepts (BitGo's enums), what a registration
//! may carry, when a transfer notification is due for a webhook's `numConfirmations`, and how
//! failed deliveries back off. Where deliveries may go is `target`.

pub mod target;

use crate::domain::error::{Error, Result};

/// What a webhook watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One wallet (`/api/v2/{coin}/wallet/{id}/webhooks`).
    Wallet,
    /// An enterprise (`/api/v2/enterprise/{id}/webhooks`).
    Enterprise,
    /// An organization (`/api/v2/organization/{id}/webhook`).
    Organization,
}

impl Scope {
    /// The stored (and wire) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Wallet => "wallet",
            Scope::Enterprise => "enterprise",
            Scope::Organization => "organization",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Scope> {
        Some(match s {
            "wallet" => Scope::Wallet,
            "enterprise" => Scope::Enterprise,
            "organization" => Scope::Organization,
            _ => return None,
        })
    }

    /// BitGo's types for this scope (`WebhookTypeWallet`, `EnterpriseWebhookType` and the
    /// organization webhook's `type` enum).
    pub fn types(self) -> &'static [&'static str] {
        match self {
            Scope::Wallet => WALLET_TYPES,
            Scope::Enterprise => ENTERPRISE_TYPES,
            Scope::Organization => ORGANIZATION_TYPES,
        }
    }
}

/// BitGo's `WebhookTypeWallet`.
pub const WALLET_TYPES: &[&str] = &[
    "txRequest",
    "txRequestTransaction",
    "transfer",
    "transaction",
    "transactionRemoved",
    "transactionExpire",
    "unspentExpiry",
    "pendingapproval",
    "address_confirmation",
    "lowFee",
    "block",
    "admin",
    "circuitBreaker",
    "transaction_finality_on_l1",
    "lowFeeAddressBalance",
    "stuckTx",
    "endInvestorOnboardingInvite",
];

/// BitGo's `EnterpriseWebhookType`.
pub const ENTERPRISE_TYPES: &[&str] = &[
    "bankAccount",
    "accessToken",
    "policyBalanceChange",
    "reversal",
    "mintOrder",
];

/// The types of BitGo's create-organization-webhook request.
pub const ORGANIZATION_TYPES: &[&str] = &[
    "transfer",
    "txRequest",
    "pendingapproval",
    "txRequestTransaction",
    "bankAccount",
    "identityStatus",
    "idvStatus",
    "userKycState",
    "enterpriseKycState",
    "accessToken",
    "reversal",
    "tradeOrder",
    "whitelistApproved",
    "whitelistRejected",
];

/// The types orgbox fires from state changes; every other accepted type fires only from
/// simulate and the sandbox trigger.
pub const FIRED_TYPES: &[&str] = &[
    "transfer",
    "pendingapproval",
    "address_confirmation",
    "accessToken",
    "tradeOrder",
];

/// A wallet holds at most this many webhooks of one type (BitGo's limit).
pub const MAX_PER_TYPE: usize = 10;
/// An enterprise or organization holds at most this many webhooks in all.
pub const MAX_PER_OWNER: usize = 100;
/// The highest `numConfirmations` accepted.
pub const MAX_NUM_CONFIRMATIONS: i64 = 100;
/// The longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 250;
/// Most `customHttpHeaders` entries.
pub const MAX_CUSTOM_HEADERS: usize = 10;
/// Headers a webhook's `customHttpHeaders` may not set (the delivery's own).
const RESERVED_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "transfer-encoding",
    "connection",
    "host",
    "x-signature-sha256",
    "user-agent",
];

/// A webhook secret may be rotated at most this often (BitGo: once every 5 minutes).
pub const SECRET_ROTATION_MS: i64 = 5 * 60 * 1000;

/// What a webhook secret is sealed for (the server key's context): its owner.
pub fn secret_context(owner_id: &str) -> String {
    format!("webhook-secret:{owner_id}")
}

/// Whether a secret made at `created_at` may be replaced at `now_ms`; a 400 naming the wait.
pub fn may_rotate_secret(created_at: Option<i64>, now_ms: i64) -> Result<()> {
    match created_at {
        Some(at) if now_ms < at.saturating_add(SECRET_ROTATION_MS) => {
            let wait = (at + SECRET_ROTATION_MS - now_ms + 999) / 1000;
            Err(Error::Invalid(format!(
                "the webhook secret can be rotated once every 5 minutes; try again in {wait} s"
            )))
        }
        _ => Ok(()),
    }
}

/// `type` must be one of the scope's BitGo types.
pub fn check_type(scope: Scope, webhook_type: &str) -> Result<()> {
    if scope.types().contains(&webhook_type) {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "unknown {} webhook type {webhook_type:?}: expected one of {}",
            scope.as_str(),
            scope.types().join(", ")
        )))
    }
}

/// `numConfirmations`, which must be a whole number from 0 to [`MAX_NUM_CONFIRMATIONS`].
pub fn check_num_confirmations(n: i64) -> Result<i64> {
    if (0..=MAX_NUM_CONFIRMATIONS).contains(&n) {
        Ok(n)
    } else {
        Err(Error::Invalid(format!(
            "numConfirmations must be a whole number from 0 to {MAX_NUM_CONFIRMATIONS}, not {n}"
        )))
    }
}

/// A label: at most [`MAX_LABEL_CHARS`] characters.
pub fn check_label(label: &str) -> Result<()> {
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(Error::Invalid(format!(
            "label is longer than {MAX_LABEL_CHARS} characters"
        )));
    }
    Ok(())
}

/// `customHttpHeaders`: at most [`MAX_CUSTOM_HEADERS`] header names (tokens) with single-line
/// values, none of the delivery's own headers.
pub fn check_custom_headers(headers: &[(String, String)]) -> Result<()> {
    if headers.len() > MAX_CUSTOM_HEADERS {
        return Err(Error::Invalid(format!(
            "customHttpHeaders may hold at most {MAX_CUSTOM_HEADERS} headers"
        )));
    }
    for (name, value) in headers {
        let token = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
        if !token {
            return Err(Error::Invalid(format!(
                "customHttpHeaders: {name:?} is not a header name"
            )));
        }
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(Error::Invalid(format!(
                "customHttpHeaders may not set {name}: the delivery sets it"
            )));
        }
        if value.len() > 1024 || value.chars().any(|c| c.is_control()) {
            return Err(Error::Invalid(format!(
                "customHttpHeaders: the value of {name} must be one line of at most 1024 bytes"
            )));
        }
    }
    Ok(())
}

/// When a webhook with `num_confirmations` hears that a transfer is confirmed: at its first
/// confirmation (`first_confirmation_ms`) for 0 or 1, and one block later for each further
/// confirmation asked for.
pub fn confirmed_notice_at(
    first_confirmation_ms: i64,
    num_confirmations: i64,
    block_ms: i64,
) -> i64 {
    let extra = num_confirmations.max(1) - 1;
    first_confirmation_ms.saturating_add(extra.saturating_mul(block_ms.max(0)))
}

/// The confirmations a transfer first confirmed at `first_confirmation_ms` has at `now_ms`.
pub fn confirmations_at(first_confirmation_ms: Option<i64>, now_ms: i64, block_ms: i64) -> i64 {
    match first_confirmation_ms {
        Some(at) if now_ms >= at => 1 + (now_ms - at).checked_div(block_ms).unwrap_or(0),
        _ => 0,
    }
}

/// How long after failed attempt number `attempt` (1 for the first) the next one waits: the
/// base, doubled for each failure after the first, at most an hour.
pub fn retry_delay_ms(attempt: u32, base_seconds: i64) -> i64 {
    const MAX_MS: i64 = 3_600_000;
    let base = base_seconds.max(0).saturating_mul(1000);
    let doublings = attempt.saturating_sub(1).min(30);
    base.saturating_mul(1i64 << doublings).min(MAX_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scope_takes_bitgos_types_only() {
        assert!(check_type(Scope::Wallet, "transfer").is_ok());
        assert!(check_type(Scope::Wallet, "address_confirmation").is_ok());
        assert!(check_type(Scope::Enterprise, "accessToken").is_ok());
        assert!(check_type(Scope::Organization, "tradeOrder").is_ok());
        let e = check_type(Scope::Enterprise, "transfer")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bankAccount, accessToken"), "{e}");
        assert!(check_type(Scope::Wallet, "Transfer").is_err());
        assert!(check_type(Scope::Wallet, "").is_err());
        for t in FIRED_TYPES {
            assert!(
                [Scope::Wallet, Scope::Enterprise, Scope::Organization]
                    .iter()
                    .any(|s| s.types().contains(t)),
                "{t}"
            );
        }
    }

    #[test]
    fn num_confirmations_labels_and_headers_are_bounded() {
        assert_eq!(check_num_confirmations(6).unwrap(), 6);
        assert!(check_num_confirmations(-1).is_err());
        assert!(check_num_confirmations(MAX_NUM_CONFIRMATIONS + 1).is_err());
        assert!(check_label(&"x".repeat(250)).is_ok());
        assert!(check_label(&"x".repeat(251)).is_err());
        let h = |n: &str, v: &str| vec![(n.to_string(), v.to_string())];
        assert!(check_custom_headers(&h("X-Partner-Key", "abc")).is_ok());
        assert!(check_custom_headers(&h("X-Signature-SHA256", "forged")).is_err());
        assert!(check_custom_headers(&h("Content-Type", "text/plain")).is_err());
        assert!(check_custom_headers(&h("X-A", "line\r\nInjected: 1")).is_err());
        assert!(check_custom_headers(&h("bad name", "x")).is_err());
        let many: Vec<_> = (0..11)
            .map(|i| (format!("X-{i}"), "v".to_string()))
            .collect();
        assert!(check_custom_headers(&many).is_err());
    }

    #[test]
    fn confirmations_accrue_one_block_at_a_time() {
        let block = 60_000;
        assert_eq!(confirmed_notice_at(1_000, 0, block), 1_000);
        assert_eq!(confirmed_notice_at(1_000, 1, block), 1_000);
        assert_eq!(confirmed_notice_at(1_000, 6, block), 1_000 + 5 * block);
        assert_eq!(confirmations_at(None, 5, block), 0);
        assert_eq!(confirmations_at(Some(1_000), 999, block), 0);
        assert_eq!(confirmations_at(Some(1_000), 1_000, block), 1);
        assert_eq!(confirmations_at(Some(1_000), 1_000 + 5 * block, block), 6);
        assert_eq!(confirmations_at(Some(1_000), 2_000, 0), 1);
    }

    #[test]
    fn a_secret_rotates_at_most_every_five_minutes() {
        assert!(may_rotate_secret(None, 0).is_ok());
        let e = may_rotate_secret(Some(1_000), 1_000 + 60_000).unwrap_err();
        assert!(e.to_string().contains("240 s"), "{e}");
        assert!(may_rotate_secret(Some(1_000), 1_000 + SECRET_ROTATION_MS).is_ok());
    }

    #[test]
    fn retries_back_off_doubling_up_to_an_hour() {
        assert_eq!(retry_delay_ms(1, 30), 30_000);
        assert_eq!(retry_delay_ms(2, 30), 60_000);
        assert_eq!(retry_delay_ms(4, 30), 240_000);
        assert_eq!(retry_delay_ms(40, 30), 3_600_000);
        assert_eq!(retry_delay_ms(3, 0), 0);
    }
}
