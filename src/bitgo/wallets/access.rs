//! Loading a Go Account with what the caller is to it, and the questions every wallet route
//! asks `domain::policy` with that.

use rusqlite::Connection;

use crate::domain::money::WalletPermission;
use crate::domain::policy::{self, MoneyAction, MoneyActor};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::ScopeSet;
use crate::error::{Error, Result};
use crate::store::child_enterprises;
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::organizations;
use crate::store::wallets::{self, WalletRow};

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
    /// The caller's role in the enterprise's organization.
    pub org_role: Option<OrgRole>,
}

impl WalletAccess {
    /// Whether the enterprise is a child enterprise of an organization.
    pub fn is_child(&self) -> bool {
        self.enterprise.organization_id.is_some()
            && self.enterprise.business_model == child_enterprises::CHILD
    }

    /// The money question, asked of `domain::policy`.
    pub fn may_transact(&self, scopes: &ScopeSet, action: MoneyAction) -> Result<()> {
        policy::may_transact(
            &MoneyActor {
                scopes,
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
            self.wallet_perms.as_deref(),
            self.enterprise_perms.as_deref(),
            self.is_child() && self.org_role == Some(OrgRole::Admin),
            &self.wallet.id,
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
