//! Every permission rule of the BitGo dialect in one place. Handlers ask; they never
//! re-implement a check. The rules are grouped by subject, each file with its tests, and all
//! are reached as `domain::policy::<rule>`:
//! - `tokens.rs`: scopes and tokens (what a token must carry, what a long-lived token may do,
//!   the live-token cap, the enterprise a bound token is kept to);
//! - `enterprises.rs`: enterprises (child enterprises included) and their pending approvals;
//! - `organizations.rs`: organizations, their roles and held role changes, KYC submission;
//! - `money.rs`: money and wallets (who transacts, the spending limit, who sees, creates and
//!   holds spend on a Go Account), tested from tables in `money_tests.rs`;
//! - `rule_changes.rs`: who sets, changes and resolves changes of wallet policy rules;
//! - `addresses.rs`: who creates a deposit address on a Go Account;
//! - `webhooks.rs`: who reads and who manages the webhooks of a wallet, an enterprise and an
//!   organization (an organization admin watches, and still never transacts).

mod addresses;
mod enterprises;
mod money;
#[cfg(test)]
mod money_tests;
mod organizations;
mod rule_changes;
mod tokens;
mod webhooks;

pub use addresses::may_create_address;
pub use enterprises::{
    may_manage_enterprise, may_resolve_approval, may_resolve_video_approval, may_view_approval,
    may_view_child_enterprise, may_view_enterprise, may_view_enterprise_of_kind,
};
pub use money::{
    may_create_wallet, may_grant_wallet_permissions, may_spend_value, may_transact,
    may_view_wallet, wallet_creator_permissions, MoneyAction, MoneyActor,
};
pub use organizations::{
    may_change_organization_member, may_manage_organization, may_resolve_organization_change,
    may_submit_kyc, may_view_organization,
};
pub use rule_changes::{
    may_change_wallet_rule, may_edit_wallet_policy, may_resolve_rule_change, RuleResolver,
};
pub use tokens::{
    live_token_cap, may_add_access_token, may_create_access_token, may_manage_credentials,
    may_revoke_token, may_use_token_in, require_any_scope, require_scope, require_user_manage,
};
pub use webhooks::{
    may_use_enterprise_webhooks, may_use_organization_webhooks, may_use_wallet_webhooks,
    WalletWebhookActor, WebhookAccess,
};
