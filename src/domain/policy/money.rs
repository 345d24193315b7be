//! Money and wallets: the one rule on who moves money ([`may_transact`]), the token's spending
//! limit, who sees and creates a Go Account, and what spend a wallet's users may hold (an
//! organization admin never any). The tables that test it are in `money_tests.rs`.

use super::tokens::{may_use_token_in, require_scope};
use crate::domain::error::{Error, Result};
use crate::domain::money::WalletPermission;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::{Scope, ScopeSet, WalletTarget, SPEND, VIEW};
use crate::domain::token_rules::TokenKind;

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

/// The refusal of every money action (and of a deposit address) to an organization admin.
pub(super) fn organization_admin_cannot_transact() -> Error {
    Error::OrganizationAdminCannotTransact(
        "organization admins cannot initiate trades or withdrawals, nor hold spend, on any \
         enterprise of their organization (its parent, its child enterprises or any other); \
         the organization's service user and the enterprises' spenders do"
            .into(),
    )
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
