//! BitGo access-token scopes: the names BitGo's create-token request accepts, the extra names
//! only login sessions carry, and the per-wallet `family:walletId` forms.

use std::fmt;

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

    /// Scopes a long-lived access token may not carry: BitGo keeps `user_manage` for
    /// short-lived login tokens, and the two login-only names are not in the create enum.
    fn login_only(self) -> bool {
        matches!(
            self,
            Scope::UserManage | Scope::OpenidEnterprises | Scope::ThirdPartyUserLookup
        )
    }
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

/// The scopes a token carries, as the strings stored and shown (`wallet_view:<id>` included).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeSet(Vec<String>);

impl ScopeSet {
    /// The login token's scopes.
    pub fn login() -> ScopeSet {
        ScopeSet(
            LOGIN_SCOPES
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        )
    }

    /// Checks a create-token request's scope list: non-empty, every entry a known name (or a
    /// wallet-context form), none reserved for login tokens. Duplicates are dropped.
    pub fn parse_requested(names: &[String]) -> Result<ScopeSet, String> {
        if names.is_empty() {
            return Err("invalid scope: scope must be a non-empty array of scope names".into());
        }
        let mut out: Vec<String> = Vec::with_capacity(names.len());
        for name in names {
            let (base, wallet) = match name.split_once(':') {
                Some((base, wallet)) => (base, Some(wallet)),
                None => (name.as_str(), None),
            };
            let scope = Scope::parse(base).ok_or_else(|| format!("invalid scope: {name}"))?;
            if scope.login_only() {
                return Err(format!(
                    "invalid scope: {name} is only granted to short-lived login tokens"
                ));
            }
            if let Some(wallet) = wallet {
                let is_id = wallet.len() == 32 && super::ids::is_hex_id(wallet);
                if !scope.takes_wallet_context() || !is_id {
                    return Err(format!("invalid scope: {name}"));
                }
            }
            if !out.iter().any(|s| s == name) {
                out.push(name.clone());
            }
        }
        Ok(ScopeSet(out))
    }

    /// Rebuilds a set from its stored form (space-separated).
    pub fn from_stored(stored: &str) -> ScopeSet {
        ScopeSet(stored.split_whitespace().map(str::to_string).collect())
    }

    /// The stored form (space-separated).
    pub fn to_stored(&self) -> String {
        self.0.join(" ")
    }

    /// The names, in order.
    pub fn names(&self) -> &[String] {
        &self.0
    }

    /// Whether the set grants `scope` (directly or through `all`).
    pub fn grants(&self, scope: Scope) -> bool {
        self.0
            .iter()
            .any(|s| s == scope.as_str() || s == Scope::All.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_name_round_trips() {
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn unknown_scope_is_named_in_the_error() {
        let err = ScopeSet::parse_requested(&strings(&["profile", "wallet_teleport"])).unwrap_err();
        assert_eq!(err, "invalid scope: wallet_teleport");
    }

    #[test]
    fn empty_scope_list_is_refused() {
        assert!(ScopeSet::parse_requested(&[])
            .unwrap_err()
            .starts_with("invalid scope"));
    }

    #[test]
    fn user_manage_is_kept_for_login_tokens() {
        let err = ScopeSet::parse_requested(&strings(&["user_manage"])).unwrap_err();
        assert!(
            err.contains("invalid scope") && err.contains("user_manage"),
            "{err}"
        );
        assert!(ScopeSet::login().grants(Scope::UserManage));
    }

    #[test]
    fn wallet_context_forms_need_a_wallet_family_and_an_id() {
        let id = "a".repeat(32);
        assert!(ScopeSet::parse_requested(&[format!("wallet_view:{id}")]).is_ok());
        assert!(ScopeSet::parse_requested(&[format!("trade_view:{id}")]).is_err());
        assert!(ScopeSet::parse_requested(&strings(&["wallet_view:nope"])).is_err());
    }

    #[test]
    fn duplicates_are_dropped_and_order_kept() {
        let set =
            ScopeSet::parse_requested(&strings(&["trade_view", "profile", "trade_view"])).unwrap();
        assert_eq!(set.names(), &strings(&["trade_view", "profile"]));
        assert_eq!(ScopeSet::from_stored(&set.to_stored()), set);
    }

    #[test]
    fn all_grants_everything_and_others_only_themselves() {
        let all = ScopeSet::from_stored("all");
        assert!(all.grants(Scope::EnterpriseViewAll));
        let some = ScopeSet::from_stored("profile enterprise_manage_all");
        assert!(some.grants(Scope::Profile));
        assert!(!some.grants(Scope::EnterpriseViewAll));
    }

    #[test]
    fn login_tokens_carry_the_seed_scope_list() {
        assert_eq!(LOGIN_SCOPES.len(), 22);
        assert!(ScopeSet::login().grants(Scope::EnterpriseViewAll));
    }
}
