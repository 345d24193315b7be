//! [`ScopeSet`]: the scopes one token carries (and the enterprise it is bound to), how a
//! create-token request's scope list is checked against the session creating it, and what a
//! set grants and which wallets it reaches.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::{Scope, WalletScopes, WalletTarget, LOGIN_SCOPES};
use crate::domain::ids::is_hex_id;

/// Most scopes one create-token request may list (there are fewer than 40 names; the rest
/// leaves room for per-wallet forms).
pub const MAX_REQUESTED_SCOPES: usize = 100;

/// The scopes a token carries, as the strings stored and shown (`wallet_view:<id>` included),
/// and the enterprise the token was created for, if any: a bound token's scopes reach that
/// enterprise only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeSet {
    /// Shared: every request parses its token's stored scopes, and most tokens carry one of a
    /// few lists (a login session's 22 names), so [`ScopeSet::from_stored`] hands out one copy.
    names: Arc<[String]>,
    enterprise: Option<String>,
}

impl ScopeSet {
    /// The login token's scopes.
    pub fn login() -> ScopeSet {
        ScopeSet {
            names: LOGIN_SCOPES
                .iter()
                .map(|s| s.as_str().to_string())
                .collect::<Vec<_>>()
                .into(),
            enterprise: None,
        }
    }

    /// Checks a create-token request's scope list against `held`, the scopes of the login
    /// token creating it. The list must be non-empty, at most [`MAX_REQUESTED_SCOPES`] long,
    /// without duplicates, and every entry a known name (or a wallet-context form) that
    /// `held` covers and that is not reserved for login tokens. `all` (BitGo's test-only
    /// scope) is expanded here to exactly what `held` may hand out, so a long-lived token can
    /// never carry more than the session that made it.
    pub fn parse_requested(names: &[String], held: &ScopeSet) -> Result<ScopeSet, String> {
        if names.is_empty() {
            return Err("invalid scope: scope must be a non-empty array of scope names".into());
        }
        if names.len() > MAX_REQUESTED_SCOPES {
            return Err(format!(
                "invalid scope: at most {MAX_REQUESTED_SCOPES} scopes may be requested, not {}",
                names.len()
            ));
        }
        let mut seen = std::collections::HashSet::with_capacity(names.len());
        let mut out: Vec<String> = Vec::with_capacity(names.len());
        for name in names {
            if !seen.insert(name.as_str()) {
                return Err(format!("invalid scope: {name} is listed more than once"));
            }
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
                let is_id = wallet.len() == 32 && is_hex_id(wallet);
                if !scope.takes_wallet_context() || !is_id {
                    return Err(format!("invalid scope: {name}"));
                }
            }
            if scope == Scope::All {
                out.extend(
                    held.grantable()
                        .filter(|n| !seen.contains(n.as_str()))
                        .cloned(),
                );
                continue;
            }
            if !held.covers(scope) {
                return Err(format!(
                    "invalid scope: {name} is not held by the session creating this token"
                ));
            }
            out.push(name.clone());
        }
        // `all` next to names it already expanded to: keep each once, first place wins.
        let mut kept = std::collections::HashSet::with_capacity(out.len());
        out.retain(|n| kept.insert(n.clone()));
        Ok(ScopeSet {
            names: out.into(),
            enterprise: None,
        })
    }

    /// The names of this set a long-lived token made from it may carry: everything but the
    /// login-only scopes (and `all` itself, which is never stored for a long-lived token).
    fn grantable(&self) -> impl Iterator<Item = &String> {
        self.names
            .iter()
            .filter(|n| Scope::parse(n).is_some_and(|s| !s.login_only() && s != Scope::All))
    }

    /// Whether a token with this set may hand `scope` on: it holds it, or its broader form.
    fn covers(&self, scope: Scope) -> bool {
        let has = |s: Scope| self.names.iter().any(|n| n == s.as_str());
        has(scope) || scope.broader().is_some_and(has)
    }

    /// Rebuilds a set from its stored form (space-separated).
    pub fn from_stored(stored: &str) -> ScopeSet {
        ScopeSet {
            names: interned(stored),
            enterprise: None,
        }
    }

    /// The same scopes, bound to `enterprise` (the token's `enterprise`), or unbound.
    pub fn bound_to(self, enterprise: Option<String>) -> ScopeSet {
        ScopeSet { enterprise, ..self }
    }

    /// The enterprise the token is bound to, if any.
    pub fn enterprise(&self) -> Option<&str> {
        self.enterprise.as_deref()
    }

    /// The stored form (space-separated).
    pub fn to_stored(&self) -> String {
        self.names.join(" ")
    }

    /// The names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether the set reaches wallet `target` through `family`: its `_all` scope (or `all`)
    /// reaches every wallet; its `_enterprise` scope only wallets of the enterprise the token
    /// is bound to (none when it is bound to no enterprise); its per-wallet scope only the
    /// wallet it names (`wallet_spend:<walletId>`; the bare name names no wallet). Whether a
    /// bound token may act outside its enterprise at all is `policy::may_use_token_in`'s.
    pub fn reaches_wallet(&self, family: WalletScopes, target: &WalletTarget<'_>) -> bool {
        if self.grants(family.all) {
            return true;
        }
        let bound_here = self.enterprise() == Some(target.enterprise_id);
        self.names.iter().any(|name| match name.split_once(':') {
            None => name == family.enterprise.as_str() && bound_here,
            Some((base, wallet)) => {
                base == family.one.as_str() && wallet.eq_ignore_ascii_case(target.wallet_id)
            }
        })
    }

    /// Whether the set grants `scope`: directly, or through `all`, which never grants the
    /// login-only scopes (a token stored with `all` before creation expanded it still cannot
    /// manage users).
    pub fn grants(&self, scope: Scope) -> bool {
        self.names
            .iter()
            .any(|s| s == scope.as_str() || (s == Scope::All.as_str() && !scope.login_only()))
    }
}

/// Distinct stored lists each thread keeps parsed (a thread that sees more starts afresh).
const INTERNED_LISTS: usize = 256;

/// The names of a stored scope list, parsed once per thread and list: the authentication of
/// every request needs them, and splitting a login session's list cost 22 allocations.
fn interned(stored: &str) -> Arc<[String]> {
    thread_local! {
        static PARSED: RefCell<HashMap<Box<str>, Arc<[String]>>> = RefCell::new(HashMap::new());
    }
    PARSED.with(|cell| {
        let mut parsed = cell.borrow_mut();
        if let Some(names) = parsed.get(stored) {
            return Arc::clone(names);
        }
        if parsed.len() >= INTERNED_LISTS {
            parsed.clear();
        }
        let names: Arc<[String]> = stored
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .into();
        parsed.insert(stored.into(), Arc::clone(&names));
        names
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scope::{SPEND, VIEW};

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn requested(v: &[&str]) -> Result<ScopeSet, String> {
        ScopeSet::parse_requested(&strings(v), &ScopeSet::login())
    }

    #[test]
    fn a_stored_list_is_parsed_once_per_thread_and_read_the_same() {
        let a = ScopeSet::from_stored("profile  trade_view\twallet_view:abc");
        let b = ScopeSet::from_stored("profile  trade_view\twallet_view:abc");
        assert!(Arc::ptr_eq(&a.names, &b.names));
        assert_eq!(
            a.names(),
            &strings(&["profile", "trade_view", "wallet_view:abc"])
        );
        let other = ScopeSet::from_stored("profile");
        assert_eq!(other.names(), &strings(&["profile"]));
        for i in 0..(INTERNED_LISTS + 5) {
            let set = ScopeSet::from_stored(&format!("profile wallet_view:{i}"));
            assert_eq!(set.names()[1], format!("wallet_view:{i}"));
        }
        assert_eq!(ScopeSet::from_stored("").names().len(), 0);
    }

    #[test]
    fn unknown_scope_is_named_in_the_error() {
        let err = requested(&["profile", "wallet_teleport"]).unwrap_err();
        assert_eq!(err, "invalid scope: wallet_teleport");
    }

    #[test]
    fn empty_scope_list_is_refused() {
        assert!(requested(&[]).unwrap_err().starts_with("invalid scope"));
    }

    #[test]
    fn user_manage_is_kept_for_login_tokens() {
        let err = requested(&["user_manage"]).unwrap_err();
        assert!(
            err.contains("invalid scope") && err.contains("user_manage"),
            "{err}"
        );
        assert!(ScopeSet::login().grants(Scope::UserManage));
    }

    #[test]
    fn wallet_context_forms_need_a_wallet_family_and_an_id() {
        let id = "a".repeat(32);
        let login = ScopeSet::login();
        assert!(ScopeSet::parse_requested(&[format!("wallet_view:{id}")], &login).is_ok());
        assert!(ScopeSet::parse_requested(&[format!("trade_view:{id}")], &login).is_err());
        assert!(requested(&["wallet_view:nope"]).is_err());
    }

    #[test]
    fn duplicates_are_refused_naming_the_scope_and_order_is_kept() {
        let err = requested(&["trade_view", "profile", "trade_view"]).unwrap_err();
        assert!(
            err.contains("trade_view") && err.contains("more than once"),
            "{err}"
        );
        let set = requested(&["trade_view", "profile"]).unwrap();
        assert_eq!(set.names(), &strings(&["trade_view", "profile"]));
        assert_eq!(ScopeSet::from_stored(&set.to_stored()), set);
    }

    #[test]
    fn a_long_list_is_refused_naming_the_limit() {
        let names: Vec<String> = (0..=MAX_REQUESTED_SCOPES)
            .map(|i| format!("s{i}"))
            .collect();
        let err = ScopeSet::parse_requested(&names, &ScopeSet::login()).unwrap_err();
        assert!(err.contains(&MAX_REQUESTED_SCOPES.to_string()), "{err}");
    }

    #[test]
    fn all_expands_to_what_the_session_may_hand_out() {
        let set = requested(&["all"]).unwrap();
        assert!(!set.names().iter().any(|n| n == "all"));
        assert!(!set.grants(Scope::UserManage));
        assert!(!set.grants(Scope::ThirdPartyUserLookup));
        assert!(set.grants(Scope::EnterpriseManageAll));
        assert_eq!(set.names().len(), LOGIN_SCOPES.len() - 3);
        // Next to names it already covers, each is kept once.
        let mixed = requested(&["profile", "all"]).unwrap();
        assert_eq!(mixed.names().len(), set.names().len());
        assert_eq!(mixed.names()[0], "profile");
    }

    #[test]
    fn scopes_the_session_does_not_hold_are_refused() {
        let narrow = ScopeSet::from_stored("profile wallet_view_all");
        let ok = ScopeSet::parse_requested(&strings(&["wallet_view_enterprise"]), &narrow);
        assert!(ok.is_ok(), "a broader held scope covers a narrower one");
        let err = ScopeSet::parse_requested(&strings(&["trade_trade"]), &narrow).unwrap_err();
        assert!(
            err.contains("trade_trade") && err.contains("not held"),
            "{err}"
        );
        let all = ScopeSet::parse_requested(&strings(&["all"]), &narrow).unwrap();
        assert_eq!(all.names(), &strings(&["profile", "wallet_view_all"]));
        // Scopes a login session never carries cannot be handed out either.
        assert!(requested(&["auditlogs_view_all"]).is_err());
    }

    #[test]
    fn all_grants_everything_but_login_only_scopes_and_others_only_themselves() {
        let all = ScopeSet::from_stored("all");
        assert!(all.grants(Scope::EnterpriseViewAll));
        assert!(!all.grants(Scope::UserManage));
        let some = ScopeSet::from_stored("profile enterprise_manage_all");
        assert!(some.grants(Scope::Profile));
        assert!(!some.grants(Scope::EnterpriseViewAll));
    }

    #[test]
    fn wallet_scopes_reach_all_wallets_their_enterprise_or_their_one_wallet() {
        fn at(wallet: &str) -> WalletTarget<'_> {
            WalletTarget {
                wallet_id: wallet,
                enterprise_id: "e1",
            }
        }
        let (w, other) = (&"a".repeat(32), &"b".repeat(32));
        let set = |names: &str, bound: Option<&str>| {
            ScopeSet::from_stored(names).bound_to(bound.map(str::to_string))
        };
        for all in ["all", "wallet_spend_all"] {
            assert!(set(all, None).reaches_wallet(SPEND, &at(w)));
        }
        let enterprise = "wallet_spend_enterprise";
        assert!(set(enterprise, Some("e1")).reaches_wallet(SPEND, &at(w)));
        assert!(!set(enterprise, Some("e2")).reaches_wallet(SPEND, &at(w)));
        assert!(!set(enterprise, None).reaches_wallet(SPEND, &at(w)));
        let one = &format!("wallet_spend:{}", w.to_uppercase());
        assert!(set(one, None).reaches_wallet(SPEND, &at(w)));
        assert!(!set(one, None).reaches_wallet(SPEND, &at(other)));
        assert!(!set(one, None).reaches_wallet(VIEW, &at(w)));
        assert!(!set("wallet_spend", None).reaches_wallet(SPEND, &at(w)));
        assert!(!set("wallet_view_all", None).reaches_wallet(SPEND, &at(w)));
    }
}
