//! Every permission rule in one place. Handlers ask; they never re-implement a check.

use crate::domain::role::EnterprisePermission;
use crate::domain::scope::{Scope, ScopeSet};
use crate::domain::token_rules::TokenKind;
use crate::error::{Error, Result};

/// The token must carry `scope` (or `all`).
pub fn require_scope(scopes: &ScopeSet, scope: Scope) -> Result<()> {
    if scopes.grants(scope) {
        Ok(())
    } else {
        Err(Error::MissingScope(scope))
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

/// A user may view an enterprise they are a member of (with any permission).
pub fn may_view_enterprise(membership: Option<&[EnterprisePermission]>) -> Result<()> {
    match membership {
        Some(_) => Ok(()),
        None => Err(Error::Forbidden(
            "you are not a member of this enterprise".into(),
        )),
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
    fn non_member_cannot_view_enterprise() {
        assert!(may_view_enterprise(None).is_err());
        assert!(may_view_enterprise(Some(&[EnterprisePermission::Auditor])).is_ok());
    }
}
