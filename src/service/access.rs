//! Loading a Go Account with what the caller is to it, and the questions every wallet route
//! asks `domain::policy` with that.

use rusqlite::Connection;

use crate::domain::error::{AuthFailure, Error, Result};
use crate::domain::money::WalletPermission;
use crate::domain::policy::{self, MoneyAction, MoneyActor};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::{ScopeSet, WalletTarget};
use crate::domain::token_rules::{is_unlocked, TokenKind};
use crate::store::child_enterprises;
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::organizations;
use crate::store::tokens::{self, TokenRow};
use crate::store::wallets::{self, WalletRow};

/// Who calls a money route: their token's scopes and kind, and whether an unlock is in force
/// for this request.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// The token's scopes (bound to its enterprise, if any).
    pub scopes: &'a ScopeSet,
    /// Login session or long-lived token.
    pub kind: TokenKind,
    /// The session's OTP unlock has not run out, or the request carried a valid OTP.
    pub unlocked: bool,
}

impl<'a> Caller<'a> {
    /// The holder of `token` at `now_ms`; `otp_given`: the request carried a valid OTP.
    pub fn new(token: &'a TokenRow, now_ms: i64, otp_given: bool) -> Caller<'a> {
        Caller {
            scopes: &token.scope,
            kind: token.kind,
            unlocked: otp_given || is_unlocked(token.unlock_expires_at, now_ms),
        }
    }
}

/// The calling token as it is now, read inside the caller's transaction: a lock, an unlock or
/// another request's spend since authentication is seen. A token revoked since is refused.
pub fn current_token(conn: &Connection, token: &TokenRow) -> Result<TokenRow> {
    tokens::find_for_user(conn, &token.user_id, &token.id)?
        .filter(|t| t.revoked_at.is_none())
        .ok_or(Error::Unauthenticated(AuthFailure::Revoked))
}

/// Charges `value_cents` (USD at the sandbox price) to `token` (as [`current_token`] read
/// it): refused with `needsUnlock` past its spending limit unless `unlocked`, else counted in
/// its `txValue` and `txCount`. Call it inside the write, after every other check and before
/// the money moves.
pub fn charge(
    conn: &Connection,
    token: &TokenRow,
    unlocked: bool,
    value_cents: i128,
) -> Result<()> {
    let spent =
        policy::may_spend_value(token.tx_value_limit, token.tx_value, unlocked, value_cents)?;
    tokens::record_spend(conn, &token.id, spent)
}

/// A wallet and the caller's relation to it.
#[derive(Debug, Clone)]
pub struct WalletAccess {
    /// The wallet.
    pub wallet: WalletRow,
    /// Its enterprise.
    pub enterprise: EnterpriseRow,
    /// The caller's wallet permissions.
    pub wallet_perms: Option<Vec<WalletPermission>>,
    /// The caller's enterprise permissions.
    pub enterprise_perms: Option<Vec<EnterprisePermission>>,
    /// The caller's role in the organization the enterprise belongs to (whether it is the
    /// organization's parent, a child or any other of its enterprises).
    pub org_role: Option<OrgRole>,
}

impl WalletAccess {
    /// Whether the enterprise is a child enterprise of an organization.
    pub fn is_child(&self) -> bool {
        self.enterprise.organization_id.is_some()
            && self.enterprise.business_model == child_enterprises::CHILD
    }

    fn target(&self) -> WalletTarget<'_> {
        WalletTarget {
            wallet_id: &self.wallet.id,
            enterprise_id: &self.enterprise.id,
        }
    }

    /// The money question, asked of `domain::policy`.
    pub fn may_transact(&self, caller: &Caller<'_>, action: MoneyAction) -> Result<()> {
        policy::may_transact(
            &MoneyActor {
                scopes: caller.scopes,
                kind: caller.kind,
                unlocked: caller.unlocked,
                target: self.target(),
                child_enterprise: self.is_child(),
                org_role: self.org_role,
                enterprise: self.enterprise_perms.as_deref(),
                wallet: self.wallet_perms.as_deref(),
            },
            action,
        )
    }

    /// The read question, asked of `domain::policy`.
    pub fn may_view(&self, scopes: &ScopeSet) -> Result<()> {
        policy::may_view_wallet(
            scopes,
            &self.target(),
            self.wallet_perms.as_deref(),
            self.enterprise_perms.as_deref(),
            self.is_child() && self.org_role == Some(OrgRole::Admin),
        )
    }
}

/// The enterprise's organization role of `user_id`, if the enterprise has an organization.
pub fn org_role_for(
    conn: &Connection,
    e: &EnterpriseRow,
    user_id: &str,
) -> Result<Option<OrgRole>> {
    match &e.organization_id {
        Some(o) => organizations::role_of(conn, o, user_id),
        None => Ok(None),
    }
}

/// Loads wallet `id` (any letter case of a 32-hex id) with `user_id`'s relation; a missing
/// wallet is a 404.
pub fn load(conn: &Connection, id: &str, user_id: &str) -> Result<WalletAccess> {
    let not_found = || Error::NotFound(format!("wallet {id} not found"));
    let wallet = wallets::find(conn, &id.to_ascii_lowercase())?.ok_or_else(not_found)?;
    let enterprise = enterprises::find_by_id(conn, &wallet.enterprise_id)?.ok_or_else(not_found)?;
    Ok(WalletAccess {
        wallet_perms: wallets::permissions_of(conn, &wallet.id, user_id)?,
        enterprise_perms: enterprises::permissions_of(conn, &enterprise.id, user_id)?,
        org_role: org_role_for(conn, &enterprise, user_id)?,
        wallet,
        enterprise,
    })
}

/// Loads a wallet the caller may read (anyone else: the same 404 as a missing wallet).
pub fn load_visible(
    conn: &Connection,
    id: &str,
    user_id: &str,
    scopes: &ScopeSet,
) -> Result<WalletAccess> {
    let access = load(conn, id, user_id)?;
    access.may_view(scopes)?;
    Ok(access)
}
