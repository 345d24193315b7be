//! Every permission rule in one place. Handlers ask; they never re-implement a check.

use crate::domain::error::{Error, Result};
use crate::domain::money::WalletPermission;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::{Scope, ScopeSet, WalletTarget, SPEND, VIEW};
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
    /// Placing a trading order.
    PlaceOrder,
    /// Cancelling a trading order.
    CancelOrder,
    /// Building a withdrawal (`tx/build`).
    BuildWithdrawal,
    /// Sending a signed withdrawal (`tx/send`).
    SendWithdrawal,
    /// Initiating a custodial withdrawal (`tx/initiate`).
    InitiateWithdrawal,
    /// Crediting a deposit through BitGo's test-only fiat simulator.
    SimulateDeposit,
}

impl MoneyAction {
    /// Every money action, for tables.
    pub const ALL: [MoneyAction; 6] = [
        MoneyAction::PlaceOrder,
        MoneyAction::CancelOrder,
        MoneyAction::BuildWithdrawal,
        MoneyAction::SendWithdrawal,
        MoneyAction::InitiateWithdrawal,
        MoneyAction::SimulateDeposit,
    ];

    fn is_trade(self) -> bool {
        matches!(self, MoneyAction::PlaceOrder | MoneyAction::CancelOrder)
    }

    /// Whether the action commits value (an order, a send, an initiate): a login session
    /// must be unlocked for it, and its USD value counts against the token's spending limit.
    /// Building, cancelling and crediting commit nothing.
    pub fn commits_value(self) -> bool {
        matches!(
            self,
            MoneyAction::PlaceOrder | MoneyAction::SendWithdrawal | MoneyAction::InitiateWithdrawal
        )
    }
}

/// Who asks to move money, with what token, and how they relate to the wallet.
#[derive(Debug, Clone, Copy)]
pub struct MoneyActor<'a> {
    /// The token's scopes (and the enterprise it is bound to).
    pub scopes: &'a ScopeSet,
    /// Login session or long-lived token.
    pub kind: TokenKind,
    /// An unlock is in force: the session's OTP unlock has not run out, or the request
    /// itself carried a valid OTP.
    pub unlocked: bool,
    /// The wallet and its enterprise.
    pub target: WalletTarget<'a>,
    /// The wallet's enterprise is a child enterprise of an organization.
    pub child_enterprise: bool,
    /// The caller's role in the organization the wallet's enterprise belongs to (as its
    /// parent, a child, or any other of its enterprises), if it belongs to one.
    pub org_role: Option<OrgRole>,
    /// The caller's permissions on the enterprise (`None`: not a member).
    pub enterprise: Option<&'a [EnterprisePermission]>,
    /// The caller's permissions on the wallet (`None`: not a wallet user).
    pub wallet: Option<&'a [WalletPermission]>,
}

fn organization_admin_cannot_transact() -> Error {
    Error::OrganizationAdminCannotTransact(
        "organization admins cannot initiate trades or withdrawals, nor hold spend, on any \
         enterprise of their organization (its parent, its child enterprises or any other); \
         the organization's service user and the enterprises' spenders do"
            .into(),
    )
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

/// The one rule on money (seed 000, Overview and Note), in this order:
/// 1. An organization admin never transacts on any enterprise of their organization (its
///    parent, its child enterprises, any other that belongs to it), whatever the token
///    (`all` included) and even as an admin or spender there: checked first, so the refusal
///    is always `OrganizationAdminCannotTransact`.
/// 2. Trades need `trade_trade`; anything else a spend scope that reaches the wallet
///    (`wallet_spend_all`, `wallet_spend_enterprise` of the token's enterprise,
///    `wallet_spend:<walletId>`).
/// 3. Strangers to the wallet and its enterprise get a 404.
/// 4. A token bound to an enterprise acts only there ([`may_use_token_in`]).
/// 5. On a child enterprise the organization's service user (an admin there) transacts;
///    elsewhere, and besides, the wallet's spenders. Auditors and view-only users do not.
/// 6. A login session commits value ([`MoneyAction::commits_value`]) only while unlocked
///    (BitGo's `needsUnlock`); a long-lived token carries its own unlock, bounded by its
///    spending limit ([`may_spend_value`]).
///
/// Handlers ask this inside the write transaction, before anything is held or written.
pub fn may_transact(actor: &MoneyActor<'_>, action: MoneyAction) -> Result<()> {
    if actor.org_role == Some(OrgRole::Admin) {
        return Err(organization_admin_cannot_transact());
    }
    if action.is_trade() {
        require_scope(actor.scopes, Scope::TradeTrade)?;
    } else if !actor.scopes.reaches_wallet(SPEND, &actor.target) {
        return Err(Error::MissingScope(Scope::WalletSpendAll));
    }
    if actor.enterprise.is_none() && actor.wallet.is_none() {
        return Err(Error::NotFound("wallet not found".into()));
    }
    may_use_token_in(actor.scopes, actor.target.enterprise_id)?;
    let spender = actor
        .wallet
        .is_some_and(|w| w.contains(&WalletPermission::Spend));
    let admin = actor
        .enterprise
        .is_some_and(|p| p.contains(&EnterprisePermission::Admin));
    let service_user = actor.child_enterprise && actor.org_role == Some(OrgRole::ServiceUser);
    if !(spender || (service_user && admin)) {
        return Err(Error::Forbidden(match actor.wallet {
            Some(_) => "your permission on this wallet is view only: spend is needed".into(),
            None => "you are not a spender on this wallet".into(),
        }));
    }
    if action.commits_value() && actor.kind == TokenKind::Login && !actor.unlocked {
        return Err(Error::NeedsUnlock(
            "needs unlock: this login session is locked; unlock it with an OTP \
             (POST /api/v2/user/unlock {otp}) or send otp with the request"
                .into(),
        ));
    }
    Ok(())
}

/// Whether a token may commit `value_cents` more (USD cents at the sandbox price), given
/// its `txValueLimit` and what it has spent so far (`txValue`), both USD cents. BitGo's limit
/// is over the token's life, counted up as it spends (`unlock.txValue`); an unlock in force
/// lifts it ("unlocking a token with spending limits removes all spending limits"). Returns
/// the new spent total, which is counted whether or not a limit applies.
pub fn may_spend_value(
    limit: Option<i64>,
    spent: i64,
    unlocked: bool,
    value_cents: i128,
) -> Result<i64> {
    let after = i128::from(spent).saturating_add(value_cents.max(0));
    match limit {
        Some(limit) if !unlocked && after > i128::from(limit) => Err(Error::NeedsUnlock(format!(
            "needs unlock: this access token's spending limit (txValueLimit) is {limit} USD cents; \
             {spent} spent and {value_cents} more asked: unlock it with an OTP \
             (POST /api/v2/user/unlock) or use another token"
        ))),
        _ => Ok(i64::try_from(after).unwrap_or(i64::MAX)),
    }
}

/// Who sees a Go Account (its balances, addresses, transfers and orders): its users, admins
/// and auditors of its enterprise, and admins of the organization of a child enterprise
/// (anyone else gets a 404, as for a missing wallet), with a token that reaches it (a view
/// scope that reaches the wallet, `enterprise_view_all` or `trade_view`) and is not bound to
/// another enterprise.
pub fn may_view_wallet(
    scopes: &ScopeSet,
    target: &WalletTarget<'_>,
    wallet: Option<&[WalletPermission]>,
    enterprise: Option<&[EnterprisePermission]>,
    org_admin_of_child: bool,
) -> Result<()> {
    let reaches = scopes.reaches_wallet(VIEW, target)
        || scopes.grants(Scope::EnterpriseViewAll)
        || scopes.grants(Scope::TradeView);
    if !reaches {
        return Err(Error::MissingScope(Scope::WalletViewAll));
    }
    let enterprise_reader = enterprise.is_some_and(|p| {
        p.contains(&EnterprisePermission::Admin) || p.contains(&EnterprisePermission::Auditor)
    });
    if !(wallet.is_some() || enterprise_reader || org_admin_of_child) {
        return Err(Error::NotFound(format!(
            "wallet {} not found",
            target.wallet_id
        )));
    }
    may_use_token_in(scopes, target.enterprise_id)
}

/// Who may create a Go Account in an enterprise: its admins and `wallet.create` users, with
/// `wallet_create` and a token not bound to another enterprise (in a child enterprise, its
/// admins include the service user).
pub fn may_create_wallet(
    scopes: &ScopeSet,
    enterprise_id: &str,
    enterprise: Option<&[EnterprisePermission]>,
) -> Result<()> {
    require_scope(scopes, Scope::WalletCreate)?;
    may_use_token_in(scopes, enterprise_id)?;
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

/// What the creator of a Go Account holds on it: admin, spend and view; an admin of the
/// organization the enterprise belongs to holds admin and view, never spend (they never
/// transact there, so no route hands them the capability).
pub fn wallet_creator_permissions(org_role: Option<OrgRole>) -> &'static [WalletPermission] {
    if org_role == Some(OrgRole::Admin) {
        &[WalletPermission::Admin, WalletPermission::View]
    } else {
        &[
            WalletPermission::Admin,
            WalletPermission::Spend,
            WalletPermission::View,
        ]
    }
}

/// Whether `permissions` may be shared to a user whose role in the wallet's organization is
/// `grantee_org_role`: an organization admin is never given spend there (`admin` implies it).
pub fn may_grant_wallet_permissions(
    grantee_org_role: Option<OrgRole>,
    permissions: &[WalletPermission],
) -> Result<()> {
    if grantee_org_role == Some(OrgRole::Admin) && permissions.contains(&WalletPermission::Spend) {
        return Err(organization_admin_cannot_transact());
    }
    Ok(())
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
