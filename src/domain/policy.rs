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

/// A user may view an enterprise they are a member of (with any permission).
pub fn may_view_enterprise(membership: Option<&[EnterprisePermission]>) -> Result<()> {
    match membership {
        Some(_) => Ok(()),
        None => Err(Error::Forbidden(
            "you are not a member of this enterprise".into(),
        )),
    }
}

/// Only an admin of the enterprise may add, remove or re-role its users, or change its
/// settings. `membership` is the caller's permissions on it (`None`: not a member).
pub fn may_manage_enterprise(membership: Option<&[EnterprisePermission]>) -> Result<()> {
    match membership {
        None => Err(Error::Forbidden(
            "you are not a member of this enterprise".into(),
        )),
        Some(p) if p.contains(&EnterprisePermission::Admin) => Ok(()),
        Some(_) => Err(Error::Forbidden(
            "only enterprise admins may change the enterprise's users or settings".into(),
        )),
    }
}

/// Who sees a pending approval: the users it lists, and members of its enterprise.
pub fn may_view_approval(listed: bool, membership: Option<&[EnterprisePermission]>) -> Result<()> {
    if listed || membership.is_some() {
        Ok(())
    } else {
        Err(Error::NotFound("pending approval not found".into()))
    }
}

/// Who may resolve a pending approval: only an admin of its enterprise; the creator may
/// reject (cancel) their own request but never approve it.
pub fn may_resolve_approval(
    actor_id: &str,
    creator_id: &str,
    membership: Option<&[EnterprisePermission]>,
    approving: bool,
) -> Result<()> {
    if approving && actor_id == creator_id {
        return Err(Error::Forbidden(
            "you cannot approve your own request: another admin of the enterprise must approve it"
                .into(),
        ));
    }
    match membership {
        Some(p) if p.contains(&EnterprisePermission::Admin) => Ok(()),
        _ => Err(Error::Forbidden(
            "only admins of the enterprise may approve or reject this pending approval".into(),
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
            "only the organization's service user or an organization admin can submit KYC; your role in organization {org_id} is {}",
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
    fn non_member_cannot_view_enterprise() {
        assert!(may_view_enterprise(None).is_err());
        assert!(may_view_enterprise(Some(&[EnterprisePermission::Auditor])).is_ok());
    }

    #[test]
    fn long_lived_tokens_never_manage_users() {
        let all = ScopeSet::from_stored("all");
        assert!(require_user_manage(&all, TokenKind::Api).is_err());
        assert!(require_user_manage(&ScopeSet::login(), TokenKind::Login).is_ok());
        assert!(require_user_manage(&ScopeSet::from_stored("profile"), TokenKind::Login).is_err());
    }

    #[test]
    fn only_enterprise_admins_manage_users() {
        assert!(may_manage_enterprise(None).is_err());
        assert!(may_manage_enterprise(Some(&[EnterprisePermission::Auditor])).is_err());
        assert!(may_manage_enterprise(Some(&[EnterprisePermission::Admin])).is_ok());
    }

    #[test]
    fn creator_cannot_approve_own_request_but_may_reject_it() {
        let admin: &[EnterprisePermission] = &[EnterprisePermission::Admin];
        let err = may_resolve_approval("a", "a", Some(admin), true).unwrap_err();
        assert!(err.to_string().contains("your own request"), "{err}");
        assert!(may_resolve_approval("a", "a", Some(admin), false).is_ok());
        assert!(may_resolve_approval("b", "a", Some(admin), true).is_ok());
        assert!(
            may_resolve_approval("b", "a", Some(&[EnterprisePermission::Auditor]), true).is_err()
        );
        assert!(may_resolve_approval("b", "a", None, false).is_err());
    }

    #[test]
    fn outsiders_do_not_see_approvals() {
        assert!(matches!(
            may_view_approval(false, None),
            Err(Error::NotFound(_))
        ));
        assert!(may_view_approval(true, None).is_ok());
        assert!(may_view_approval(false, Some(&[EnterprisePermission::Member])).is_ok());
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
