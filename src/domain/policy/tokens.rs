//! Scopes and tokens: what a route's token must carry, what a long-lived token may do
//! (create tokens, manage credentials, revoke), how many a user may hold, and the enterprise a
//! bound token is kept to.

use crate::domain::error::{Error, Result};
use crate::domain::scope::{Scope, ScopeSet};
use crate::domain::token_rules::TokenKind;

/// The token must carry `scope` (or `all`).
pub fn require_scope(scopes: &ScopeSet, scope: Scope) -> Result<()> {
    if scopes.grants(scope) {
        Ok(())
    } else {
        Err(Error::MissingScope(scope))
    }
}

/// The token must carry at least one of `scopes` (or `all`); the error names the first.
pub fn require_any_scope(have: &ScopeSet, scopes: &[Scope]) -> Result<()> {
    match scopes.iter().find(|s| have.grants(**s)) {
        Some(_) => Ok(()),
        None => Err(Error::MissingScope(
            scopes.first().copied().unwrap_or(Scope::All),
        )),
    }
}

/// Managing an enterprise's users needs `user_manage`, which only login tokens carry: a
/// long-lived token is refused even with `all`.
pub fn require_user_manage(scopes: &ScopeSet, kind: TokenKind) -> Result<()> {
    match kind {
        TokenKind::Login => require_scope(scopes, Scope::UserManage),
        TokenKind::Api => Err(Error::MissingScope(Scope::UserManage)),
    }
}

/// Only a short-lived login token may create long-lived access tokens (BitGo's rule).
pub fn may_create_access_token(kind: TokenKind) -> Result<()> {
    match kind {
        TokenKind::Login => Ok(()),
        TokenKind::Api => Err(Error::Forbidden(
            "access tokens can only be created with a short-lived login token: log in \
             (POST /api/v2/user/login) and use that token"
                .into(),
        )),
    }
}

/// Routes that touch credentials (checking the password, listing access tokens, revoking
/// another token) need `user_manage`, which only a login session carries: a leaked
/// long-lived token can neither guess the password nor take the user's other tokens away.
pub fn may_manage_credentials(scopes: &ScopeSet) -> Result<()> {
    require_scope(scopes, Scope::UserManage)
}

/// Whether the caller (token `caller_id` with `scopes`) may revoke token `target_id` of
/// kind `target_kind` through the access-token route. Login sessions end only by their own
/// logout, so they are not found here; any token may revoke itself; revoking another needs
/// [`may_manage_credentials`].
pub fn may_revoke_token(
    caller_id: &str,
    scopes: &ScopeSet,
    target_id: &str,
    target_kind: TokenKind,
) -> Result<()> {
    if target_kind == TokenKind::Login {
        return Err(Error::NotFound(format!(
            "access token {target_id} not found"
        )));
    }
    if caller_id == target_id {
        return Ok(());
    }
    may_manage_credentials(scopes)
}

/// The cap on live long-lived tokens per user: `max`, or none when it is 0.
pub fn live_token_cap(max: usize) -> Option<usize> {
    (max > 0).then_some(max)
}

/// A user may hold at most `max` live long-lived tokens; `live` are held now.
pub fn may_add_access_token(live: usize, max: usize) -> Result<()> {
    if live >= max {
        return Err(Error::Invalid(format!(
            "too many access tokens: at most {max} live access tokens per user; delete one first"
        )));
    }
    Ok(())
}

/// A token created for one enterprise (`enterprise` at creation) acts only on that
/// enterprise's wallets, whatever its scopes.
pub fn may_use_token_in(scopes: &ScopeSet, enterprise_id: &str) -> Result<()> {
    match scopes.enterprise() {
        Some(bound) if bound != enterprise_id => Err(Error::Forbidden(format!(
            "this access token was created for enterprise {bound} and cannot act on enterprise \
             {enterprise_id}"
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_without_the_route_scope_is_rejected_naming_it() {
        let scopes = ScopeSet::from_stored("profile");
        match require_scope(&scopes, Scope::EnterpriseViewAll) {
            Err(Error::MissingScope(Scope::EnterpriseViewAll)) => {}
            other => panic!("{other:?}"),
        }
        assert!(require_scope(&scopes, Scope::Profile).is_ok());
    }

    #[test]
    fn long_lived_token_cannot_create_tokens() {
        assert!(may_create_access_token(TokenKind::Login).is_ok());
        assert!(matches!(
            may_create_access_token(TokenKind::Api),
            Err(Error::Forbidden(_))
        ));
    }

    #[test]
    fn credential_routes_need_a_login_session() {
        assert!(may_manage_credentials(&ScopeSet::login()).is_ok());
        let leaked = ScopeSet::from_stored("crypto_compare");
        assert!(matches!(
            may_manage_credentials(&leaked),
            Err(Error::MissingScope(Scope::UserManage))
        ));
        assert!(may_manage_credentials(&ScopeSet::from_stored("all")).is_err());
    }

    #[test]
    fn login_sessions_are_never_revoked_through_the_token_route() {
        let login = ScopeSet::login();
        assert!(matches!(
            may_revoke_token("a", &login, "b", TokenKind::Login),
            Err(Error::NotFound(_))
        ));
        assert!(may_revoke_token("a", &login, "b", TokenKind::Api).is_ok());
        let narrow = ScopeSet::from_stored("profile");
        assert!(may_revoke_token("a", &narrow, "a", TokenKind::Api).is_ok());
        assert!(may_revoke_token("a", &narrow, "b", TokenKind::Api).is_err());
    }

    #[test]
    fn the_live_token_cap_is_enforced() {
        assert!(may_add_access_token(99, 100).is_ok());
        assert!(may_add_access_token(100, 100).is_err());
        assert_eq!(live_token_cap(0), None);
        assert_eq!(live_token_cap(5), Some(5));
    }

    #[test]
    fn long_lived_tokens_never_manage_users() {
        let all = ScopeSet::from_stored("all");
        assert!(require_user_manage(&all, TokenKind::Api).is_err());
        assert!(require_user_manage(&ScopeSet::login(), TokenKind::Login).is_ok());
        assert!(require_user_manage(&ScopeSet::from_stored("profile"), TokenKind::Login).is_err());
    }
}
