//! Every permission rule in one place. Handlers ask; they never re-implement a check.

use crate::domain::role::{EnterprisePermission, OrgRole};
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

fn unknown_organization(org_id: &str) -> Error {
    Error::NotFound(format!("organization {org_id} not found"))
}

/// Any member of an organization may read it; to anyone else it does not exist (404).
/// `role` is the caller's role in the organization, if any.
pub fn may_view_organization(role: Option<OrgRole>, org_id: &str) -> Result<OrgRole> {
    role.ok_or_else(|| unknown_organization(org_id))
}

/// Only organization admins manage an organization: its users and its child enterprises.
/// Non-members get a 404 (the organization is not theirs to know about), members a 403.
pub fn may_manage_organization(role: Option<OrgRole>, org_id: &str) -> Result<()> {
    match may_view_organization(role, org_id)? {
        OrgRole::Admin => Ok(()),
        other => Err(Error::Forbidden(format!(
            "only organization admins can do this; your role in organization {org_id} is {}",
            other.as_str()
        ))),
    }
}

/// KYC for a child enterprise's user is submitted with the service user's token (BitGo's
/// guide); orgbox also lets organization admins submit it. Others in the organization get a
/// 403, outsiders a 404.
pub fn may_submit_kyc(role: Option<OrgRole>, org_id: &str) -> Result<()> {
    match may_view_organization(role, org_id)? {
        OrgRole::ServiceUser | OrgRole::Admin => Ok(()),
        other => Err(Error::Forbidden(format!(
            "only the organization's service user or an organization admin can submit KYC;              your role in organization {org_id} is {}",
            other.as_str()
        ))),
    }
}

/// A child enterprise is visible to its members and to the admins of its organization
/// ("organization admins can access child enterprise details"); to anyone else it does not
/// exist (404, so outsiders cannot probe for ids).
pub fn may_view_child_enterprise(
    membership: Option<&[EnterprisePermission]>,
    org_role: Option<OrgRole>,
    enterprise_id: &str,
) -> Result<()> {
    if membership.is_some() || org_role == Some(OrgRole::Admin) {
        Ok(())
    } else {
        Err(Error::NotFound(format!(
            "enterprise {enterprise_id} not found"
        )))
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

    #[test]
    fn organization_access_by_role() {
        assert!(matches!(
            may_view_organization(None, "o"),
            Err(Error::NotFound(_))
        ));
        assert!(may_view_organization(Some(OrgRole::Customer), "o").is_ok());
        assert!(may_manage_organization(Some(OrgRole::Admin), "o").is_ok());
        for role in [OrgRole::Member, OrgRole::ServiceUser, OrgRole::Customer] {
            assert!(matches!(
                may_manage_organization(Some(role), "o"),
                Err(Error::Forbidden(_))
            ));
        }
        assert!(matches!(
            may_manage_organization(None, "o"),
            Err(Error::NotFound(_))
        ));
        assert!(may_submit_kyc(Some(OrgRole::ServiceUser), "o").is_ok());
        assert!(may_submit_kyc(Some(OrgRole::Admin), "o").is_ok());
        assert!(may_submit_kyc(Some(OrgRole::Member), "o").is_err());
    }

    #[test]
    fn child_enterprises_are_hidden_from_outsiders() {
        assert!(may_view_child_enterprise(None, Some(OrgRole::Admin), "e").is_ok());
        assert!(may_view_child_enterprise(Some(&[]), None, "e").is_ok());
        for role in [None, Some(OrgRole::Member), Some(OrgRole::ServiceUser)] {
            assert!(matches!(
                may_view_child_enterprise(None, role, "e"),
                Err(Error::NotFound(_))
            ));
        }
    }
}
