//! BitGo access-token scopes: the names BitGo's create-token request accepts, the extra names
//! only login sessions carry, and the per-wallet `family:walletId` forms. This file holds the
//! names and their families; `set.rs` holds [`ScopeSet`], what one token carries, and how a
//! create-token request's list is checked against the session creating it.

use std::fmt;

mod set;

pub use set::{ScopeSet, MAX_REQUESTED_SCOPES};

macro_rules! scopes {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// A scope a route can require, or a token can carry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Scope {
            $(#[doc = concat!("`", $name, "`")] $variant,)*
        }

        impl Scope {
            /// Every named scope.
            pub const ALL: &'static [Scope] = &[$(Scope::$variant,)*];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { $(Scope::$variant => $name,)* }
            }

            /// Parses a wire name.
            pub fn parse(name: &str) -> Option<Scope> {
                match name { $($name => Some(Scope::$variant),)* _ => None }
            }
        }
    };
}

scopes! {
    Openid => "openid",
    OpenidEnterprises => "openid_enterprises",
    Profile => "profile",
    UserManage => "user_manage",
    EnterpriseViewAll => "enterprise_view_all",
    EnterpriseManageAll => "enterprise_manage_all",
    AuditlogsViewAll => "auditlogs_view_all",
    WalletView => "wallet_view",
    WalletViewEnterprise => "wallet_view_enterprise",
    WalletViewAll => "wallet_view_all",
    WalletCreate => "wallet_create",
    WalletFreeze => "wallet_freeze",
    WalletFreezeAll => "wallet_freeze_all",
    WalletManage => "wallet_manage",
    WalletManageAll => "wallet_manage_all",
    WalletManageEnterprise => "wallet_manage_enterprise",
    WalletApprove => "wallet_approve",
    WalletApproveAll => "wallet_approve_all",
    WalletApproveEnterprise => "wallet_approve_enterprise",
    WalletSpend => "wallet_spend",
    WalletSpendAll => "wallet_spend_all",
    WalletSpendEnterprise => "wallet_spend_enterprise",
    WalletEdit => "wallet_edit",
    WalletEditAll => "wallet_edit_all",
    WalletEditEnterprise => "wallet_edit_enterprise",
    WalletStake => "wallet_stake",
    WalletStakeAll => "wallet_stake_all",
    SettlementNetworkRead => "settlement_network_read",
    SettlementNetworkWrite => "settlement_network_write",
    PortfolioView => "portfolio_view",
    TradeView => "trade_view",
    TradeTrade => "trade_trade",
    TradeFix => "trade_fix",
    PendingApprovalUpdate => "pending_approval_update",
    MetamaskInstitutional => "metamask_institutional",
    CryptoCompare => "crypto_compare",
    ThirdPartyUserLookup => "third_party_user_lookup",
    All => "all",
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Scope {
    /// Scopes that take a wallet context (`wallet_view:<walletId>`).
    fn takes_wallet_context(self) -> bool {
        matches!(
            self,
            Scope::WalletView
                | Scope::WalletSpend
                | Scope::WalletManage
                | Scope::WalletApprove
                | Scope::WalletEdit
                | Scope::WalletFreeze
                | Scope::WalletStake
        )
    }

    /// The broader scope that includes this one: the `_all` form of a per-wallet or
    /// per-enterprise wallet scope. A session holding `wallet_view_all` may hand out
    /// `wallet_view_enterprise` or `wallet_view:<id>`.
    fn broader(self) -> Option<Scope> {
        Some(match self {
            Scope::WalletView | Scope::WalletViewEnterprise => Scope::WalletViewAll,
            Scope::WalletSpend | Scope::WalletSpendEnterprise => Scope::WalletSpendAll,
            Scope::WalletManage | Scope::WalletManageEnterprise => Scope::WalletManageAll,
            Scope::WalletApprove | Scope::WalletApproveEnterprise => Scope::WalletApproveAll,
            Scope::WalletEdit | Scope::WalletEditEnterprise => Scope::WalletEditAll,
            Scope::WalletFreeze => Scope::WalletFreezeAll,
            Scope::WalletStake => Scope::WalletStakeAll,
            _ => return None,
        })
    }

    /// Scopes a long-lived access token may not carry: BitGo keeps `user_manage` for
    /// short-lived login tokens, and the two login-only names are not in the create enum.
    fn login_only(self) -> bool {
        matches!(
            self,
            Scope::UserManage | Scope::OpenidEnterprises | Scope::ThirdPartyUserLookup
        )
    }
}

/// A wallet scope family at its three reaches: every wallet, one enterprise's, one wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalletScopes {
    /// Every wallet the user may act on (`wallet_spend_all`).
    pub all: Scope,
    /// The wallets of the token's enterprise (`wallet_spend_enterprise`).
    pub enterprise: Scope,
    /// One wallet, named in the scope (`wallet_spend:<walletId>`).
    pub one: Scope,
}

/// Initiating transactions.
pub const SPEND: WalletScopes = WalletScopes {
    all: Scope::WalletSpendAll,
    enterprise: Scope::WalletSpendEnterprise,
    one: Scope::WalletSpend,
};

/// Viewing wallets.
pub const VIEW: WalletScopes = WalletScopes {
    all: Scope::WalletViewAll,
    enterprise: Scope::WalletViewEnterprise,
    one: Scope::WalletView,
};

/// Editing wallets (their settings and webhooks).
pub const EDIT: WalletScopes = WalletScopes {
    all: Scope::WalletEditAll,
    enterprise: Scope::WalletEditEnterprise,
    one: Scope::WalletEdit,
};

/// The wallet a scope is asked about.
#[derive(Debug, Clone, Copy)]
pub struct WalletTarget<'a> {
    /// The wallet's id.
    pub wallet_id: &'a str,
    /// Its enterprise.
    pub enterprise_id: &'a str,
}

/// The scope list a login (short-lived) token carries, as in BitGo's login reply.
pub const LOGIN_SCOPES: &[Scope] = &[
    Scope::UserManage,
    Scope::Openid,
    Scope::OpenidEnterprises,
    Scope::Profile,
    Scope::WalletCreate,
    Scope::WalletFreezeAll,
    Scope::WalletManageAll,
    Scope::WalletApproveAll,
    Scope::WalletSpendAll,
    Scope::WalletEditAll,
    Scope::WalletViewAll,
    Scope::SettlementNetworkRead,
    Scope::SettlementNetworkWrite,
    Scope::TradeView,
    Scope::TradeTrade,
    Scope::PortfolioView,
    Scope::PendingApprovalUpdate,
    Scope::MetamaskInstitutional,
    Scope::CryptoCompare,
    Scope::ThirdPartyUserLookup,
    Scope::EnterpriseViewAll,
    Scope::EnterpriseManageAll,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn login_tokens_carry_the_seed_scope_list() {
        assert_eq!(LOGIN_SCOPES.len(), 22);
        assert!(ScopeSet::login().grants(Scope::EnterpriseViewAll));
    }
}
