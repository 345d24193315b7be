//! Every permission rule in one place. Handlers ask; they never re-implement a check.

use crate::domain::money::WalletPermission;
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

/// Nobody changes or removes their own organization role: another organization admin must,
/// so an admin can never make himself the service user (or step around the last-admin rule).
pub fn may_change_organization_member(caller_id: &str, target_id: &str) -> Result<()> {
    if caller_id == target_id {
        return Err(Error::Forbidden(
            "you cannot change your own organization role: another organization admin must".into(),
        ));
    }
    Ok(())
}

/// Who may resolve a held organization role change (`updateOrganizationRequest`): an admin
/// of the organization who is neither the member it changes (approving or rejecting) nor,
/// when approving, its creator (who may still reject, i.e. cancel, it). `actor_role` is the
/// resolver's role in the organization now.
pub fn may_resolve_organization_change(
    actor_id: &str,
    creator_id: &str,
    target_id: &str,
    actor_role: Option<OrgRole>,
    approving: bool,
) -> Result<()> {
    if actor_id == target_id {
        return Err(Error::Forbidden(
            "this request changes your own organization role: another organization admin must \
             resolve it"
                .into(),
        ));
    }
    if approving && actor_id == creator_id {
        return Err(Error::Forbidden(
            "you cannot approve your own request: another organization admin must approve it"
                .into(),
        ));
    }
    match actor_role {
        Some(OrgRole::Admin) => Ok(()),
        _ => Err(Error::Forbidden(
            "only organization admins may approve or reject an organization role change".into(),
        )),
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

/// Who sees an enterprise: a child enterprise as [`may_view_child_enterprise`] says, any other
/// as [`may_view_enterprise`].
pub fn may_view_enterprise_of_kind(
    child: bool,
    membership: Option<&[EnterprisePermission]>,
    org_role: Option<OrgRole>,
    enterprise_id: &str,
) -> Result<()> {
    if child {
        may_view_child_enterprise(membership, org_role, enterprise_id)
    } else {
        may_view_enterprise(membership)
    }
}

/// A money move a route asks permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyAction {
    /// Placing or cancelling a trading order.
    Trade,
    /// Building, sending or initiating a withdrawal or transfer.
    Withdraw,
}

/// Who asks to move money, and how they relate to the wallet's enterprise.
#[derive(Debug, Clone, Copy)]
pub struct MoneyActor<'a> {
    /// The token's scopes.
    pub scopes: &'a ScopeSet,
    /// The wallet's enterprise is a child enterprise of an organization.
    pub child_enterprise: bool,
    /// The caller's role in that organization, if the enterprise has one.
    pub org_role: Option<OrgRole>,
    /// The caller's permissions on the enterprise (`None`: not a member).
    pub enterprise: Option<&'a [EnterprisePermission]>,
    /// The caller's permissions on the wallet (`None`: not a wallet user).
    pub wallet: Option<&'a [WalletPermission]>,
}

/// The one rule on money (seed 000, Overview and Note): on a child enterprise, the
/// organization's service user (an admin there) trades and withdraws; enterprise users with
/// `spend` on a wallet withdraw from it. An organization admin never transacts on a child
/// enterprise of their organization, whatever the token's scopes (`all` included) and even
/// when also an admin of that child: checked first, so the refusal is always
/// `OrganizationAdminCannotTransact`. Auditors and view-only wallet users are refused too.
/// Handlers ask this inside the write transaction, before anything is held or written.
pub fn may_transact(actor: &MoneyActor<'_>, action: MoneyAction) -> Result<()> {
    if actor.child_enterprise && actor.org_role == Some(OrgRole::Admin) {
        return Err(Error::OrganizationAdminCannotTransact(
            "organization admins cannot initiate trades or withdrawals on a child enterprise \
             of their organization; the organization's service user does"
                .into(),
        ));
    }
    match action {
        MoneyAction::Trade => require_scope(actor.scopes, Scope::TradeTrade)?,
        MoneyAction::Withdraw => require_any_scope(
            actor.scopes,
            &[
                Scope::WalletSpendAll,
                Scope::WalletSpendEnterprise,
                Scope::WalletSpend,
            ],
        )?,
    }
    if actor.enterprise.is_none() && actor.wallet.is_none() {
        return Err(Error::NotFound("wallet not found".into()));
    }
    if actor
        .wallet
        .is_some_and(|w| w.contains(&WalletPermission::Spend))
    {
        return Ok(());
    }
    let admin = actor
        .enterprise
        .is_some_and(|p| p.contains(&EnterprisePermission::Admin));
    if actor.child_enterprise && actor.org_role == Some(OrgRole::ServiceUser) && admin {
        return Ok(());
    }
    Err(Error::Forbidden(match actor.wallet {
        Some(_) => "your permission on this wallet is view only: spend is needed".into(),
        None => "you are not a spender on this wallet".into(),
    }))
}

/// Who sees a Go Account (its balances, addresses, transfers and orders): its users, admins
/// and auditors of its enterprise, and admins of the organization of a child enterprise.
/// Anyone else gets a 404, as for a missing wallet.
pub fn may_view_wallet(
    scopes: &ScopeSet,
    wallet: Option<&[WalletPermission]>,
    enterprise: Option<&[EnterprisePermission]>,
    org_admin_of_child: bool,
    wallet_id: &str,
) -> Result<()> {
    require_any_scope(
        scopes,
        &[
            Scope::WalletViewAll,
            Scope::WalletViewEnterprise,
            Scope::WalletView,
            Scope::EnterpriseViewAll,
            Scope::TradeView,
        ],
    )?;
    let enterprise_reader = enterprise.is_some_and(|p| {
        p.contains(&EnterprisePermission::Admin) || p.contains(&EnterprisePermission::Auditor)
    });
    if wallet.is_some() || enterprise_reader || org_admin_of_child {
        Ok(())
    } else {
        Err(Error::NotFound(format!("wallet {wallet_id} not found")))
    }
}

/// Who may create a Go Account in an enterprise: its admins and `wallet.create` users, with
/// `wallet_create` (in a child enterprise, its admins include the service user).
pub fn may_create_wallet(
    scopes: &ScopeSet,
    enterprise: Option<&[EnterprisePermission]>,
) -> Result<()> {
    require_scope(scopes, Scope::WalletCreate)?;
    match enterprise {
        None => Err(Error::Forbidden(
            "you are not a member of this enterprise".into(),
        )),
        Some(p)
            if p.contains(&EnterprisePermission::Admin)
                || p.contains(&EnterprisePermission::WalletCreate) =>
        {
            Ok(())
        }
        Some(_) => Err(Error::Forbidden(
            "only enterprise admins and wallet.create users may create wallets".into(),
        )),
    }
}

/// Who may set a wallet's policy rules: its admins, and the admins of the organization of a
/// child enterprise (who set policy but never transact).
pub fn may_edit_wallet_policy(
    wallet: Option<&[WalletPermission]>,
    org_admin_of_child: bool,
) -> Result<()> {
    if org_admin_of_child || wallet.is_some_and(|w| w.contains(&WalletPermission::Admin)) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only wallet admins and organization admins may change wallet policy rules".into(),
        ))
    }
}

/// Who may change one wallet policy rule: as [`may_edit_wallet_policy`], except that a rule an
/// organization admin set (`set_by_org_admin`) answers only to organization admins, so the
/// wallet admins it constrains (the service user) cannot change it.
pub fn may_change_wallet_rule(
    wallet: Option<&[WalletPermission]>,
    org_admin_of_child: bool,
    set_by_org_admin: bool,
) -> Result<()> {
    if set_by_org_admin && !org_admin_of_child {
        return Err(Error::Forbidden(
            "this policy rule was set by an organization admin: only an organization admin may \
             change it"
                .into(),
        ));
    }
    may_edit_wallet_policy(wallet, org_admin_of_child)
}

/// What a user is to the rule a held policy-rule change would change.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleResolver {
    /// An admin of the rule's wallet.
    pub wallet_admin: bool,
    /// An admin of the wallet's enterprise.
    pub enterprise_admin: bool,
    /// An admin of the organization whose rule it is, or of the wallet's child enterprise.
    pub org_admin: bool,
}

/// Who may resolve a held policy-rule change (`policyRuleRequest`: removing or loosening a
/// rule): another admin of the wallet or of its enterprise, or an organization admin; for a
/// rule an organization admin set, or an organization's rule (`org_guarded`), only another
/// organization admin. The creator may reject (cancel) it but never approve it.
pub fn may_resolve_rule_change(
    actor_id: &str,
    creator_id: &str,
    actor: RuleResolver,
    org_guarded: bool,
    approving: bool,
) -> Result<()> {
    if approving && actor_id == creator_id {
        return Err(Error::Forbidden(
            "you cannot approve your own policy rule change: another admin must approve it".into(),
        ));
    }
    if org_guarded {
        return if actor.org_admin {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "this policy rule was set by an organization admin: only organization admins \
                 may approve or reject changing it"
                    .into(),
            ))
        };
    }
    if actor.wallet_admin || actor.enterprise_admin || actor.org_admin {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only admins of the wallet or its enterprise, or organization admins, may approve or \
             reject a policy rule change"
                .into(),
        ))
    }
}

/// Who may approve or reject a withdrawal waiting for a video approval: one of the
/// enterprise's video approvers, never its initiator (who may still reject, i.e. cancel it).
pub fn may_resolve_video_approval(
    actor_id: &str,
    creator_id: &str,
    video_approvers: &[String],
    approving: bool,
) -> Result<()> {
    if actor_id == creator_id {
        return if approving {
            Err(Error::Forbidden(
                "you cannot approve your own withdrawal: another video approver must".into(),
            ))
        } else {
            Ok(())
        };
    }
    if video_approvers.iter().any(|v| v == actor_id) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the enterprise's video approvers may approve or reject this withdrawal".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor<'a>(
        scopes: &'a ScopeSet,
        org_role: Option<OrgRole>,
        enterprise: Option<&'a [EnterprisePermission]>,
        wallet: Option<&'a [WalletPermission]>,
    ) -> MoneyActor<'a> {
        MoneyActor {
            scopes,
            child_enterprise: true,
            org_role,
            enterprise,
            wallet,
        }
    }

    #[test]
    fn organization_admins_never_transact_whatever_their_scopes() {
        let admin: &[EnterprisePermission] = &[EnterprisePermission::Admin];
        let all_spend: &[WalletPermission] = &[
            WalletPermission::Admin,
            WalletPermission::Spend,
            WalletPermission::View,
        ];
        for scopes in ["all", "trade_trade wallet_spend_all", "profile", ""] {
            let s = ScopeSet::from_stored(scopes);
            for action in [MoneyAction::Trade, MoneyAction::Withdraw] {
                let a = actor(&s, Some(OrgRole::Admin), Some(admin), Some(all_spend));
                assert!(matches!(
                    may_transact(&a, action),
                    Err(Error::OrganizationAdminCannotTransact(_))
                ));
            }
        }
    }

    #[test]
    fn the_service_user_and_spenders_transact() {
        let s = ScopeSet::from_stored("trade_trade wallet_spend_all");
        let admin: &[EnterprisePermission] = &[EnterprisePermission::Admin];
        let a = actor(&s, Some(OrgRole::ServiceUser), Some(admin), None);
        assert!(may_transact(&a, MoneyAction::Trade).is_ok());
        assert!(may_transact(&a, MoneyAction::Withdraw).is_ok());
        let spend: &[WalletPermission] = &[WalletPermission::Spend];
        let member: &[EnterprisePermission] = &[EnterprisePermission::Member];
        let a = actor(&s, Some(OrgRole::Customer), Some(member), Some(spend));
        assert!(may_transact(&a, MoneyAction::Withdraw).is_ok());
        let narrow = ScopeSet::from_stored("wallet_view_all");
        let a = actor(&narrow, Some(OrgRole::ServiceUser), Some(admin), None);
        assert!(matches!(
            may_transact(&a, MoneyAction::Withdraw),
            Err(Error::MissingScope(_))
        ));
    }

    #[test]
    fn auditors_and_view_only_users_do_not_transact() {
        let s = ScopeSet::from_stored("all");
        let auditor: &[EnterprisePermission] = &[EnterprisePermission::Auditor];
        let view: &[WalletPermission] = &[WalletPermission::View];
        let a = actor(&s, Some(OrgRole::Member), Some(auditor), None);
        assert!(matches!(
            may_transact(&a, MoneyAction::Withdraw),
            Err(Error::Forbidden(_))
        ));
        let a = actor(&s, Some(OrgRole::Customer), None, Some(view));
        assert!(matches!(
            may_transact(&a, MoneyAction::Withdraw),
            Err(Error::Forbidden(_))
        ));
        let a = actor(&s, None, None, None);
        assert!(matches!(
            may_transact(&a, MoneyAction::Withdraw),
            Err(Error::NotFound(_))
        ));
    }

    #[test]
    fn only_other_video_approvers_approve_large_withdrawals() {
        let approvers = vec!["v".to_string(), "c".to_string()];
        assert!(may_resolve_video_approval("v", "c", &approvers, true).is_ok());
        assert!(may_resolve_video_approval("c", "c", &approvers, true).is_err());
        assert!(may_resolve_video_approval("c", "c", &approvers, false).is_ok());
        assert!(may_resolve_video_approval("x", "c", &approvers, true).is_err());
    }

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
    fn nobody_changes_their_own_organization_role() {
        assert!(matches!(
            may_change_organization_member("a", "a"),
            Err(Error::Forbidden(_))
        ));
        assert!(may_change_organization_member("a", "b").is_ok());
    }

    #[test]
    fn organization_role_changes_are_resolved_by_another_admin_who_is_not_the_target() {
        use OrgRole::*;
        // (actor, role of actor, approving, allowed); creator "c", target "t".
        let table = [
            ("d", Some(Admin), true, true),
            ("d", Some(Admin), false, true),
            ("c", Some(Admin), true, false),
            ("c", Some(Admin), false, true),
            ("t", Some(Admin), true, false),
            ("t", Some(Admin), false, false),
            ("d", Some(ServiceUser), true, false),
            ("d", Some(Member), false, false),
            ("d", None, true, false),
        ];
        for (actor, role, approving, allowed) in table {
            let r = may_resolve_organization_change(actor, "c", "t", role, approving);
            assert_eq!(r.is_ok(), allowed, "{actor} {role:?} {approving}: {r:?}");
            if let Err(e) = r {
                assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
            }
        }
    }

    #[test]
    fn a_rule_an_organization_admin_set_answers_only_to_organization_admins() {
        let admin: &[WalletPermission] = &[WalletPermission::Admin, WalletPermission::Spend];
        let view: &[WalletPermission] = &[WalletPermission::View];
        // (wallet permissions, organization admin of the child, set by an org admin, allowed)
        let table: [(Option<&[WalletPermission]>, bool, bool, bool); 7] = [
            (Some(admin), false, false, true),
            (Some(admin), false, true, false),
            (None, true, true, true),
            (None, true, false, true),
            (Some(view), false, false, false),
            (None, false, false, false),
            (Some(view), false, true, false),
        ];
        for (wallet, org_admin, guarded, allowed) in table {
            let r = may_change_wallet_rule(wallet, org_admin, guarded);
            assert_eq!(
                r.is_ok(),
                allowed,
                "{wallet:?} {org_admin} {guarded}: {r:?}"
            );
            if let Err(e) = r {
                assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
            }
        }
    }

    #[test]
    fn a_held_rule_change_is_resolved_by_another_admin_and_an_org_rule_by_an_org_admin() {
        let wallet_admin = RuleResolver {
            wallet_admin: true,
            ..Default::default()
        };
        let enterprise_admin = RuleResolver {
            enterprise_admin: true,
            ..Default::default()
        };
        let org_admin = RuleResolver {
            org_admin: true,
            ..Default::default()
        };
        let nobody = RuleResolver::default();
        // (actor, what the actor is, org guarded, approving, allowed); creator "c".
        let table = [
            ("d", wallet_admin, false, true, true),
            ("d", enterprise_admin, false, true, true),
            ("d", org_admin, false, true, true),
            ("d", nobody, false, true, false),
            ("d", nobody, false, false, false),
            ("c", wallet_admin, false, true, false),
            ("c", wallet_admin, false, false, true),
            ("d", org_admin, true, true, true),
            ("d", wallet_admin, true, true, false),
            ("d", enterprise_admin, true, false, false),
            ("c", org_admin, true, true, false),
        ];
        for (actor, who, guarded, approving, allowed) in table {
            let r = may_resolve_rule_change(actor, "c", who, guarded, approving);
            assert_eq!(
                r.is_ok(),
                allowed,
                "{actor} {who:?} {guarded} {approving}: {r:?}"
            );
        }
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
