//! Creating a Go Account, inside the caller's one write: the caller may create wallets in the
//! enterprise, the user key is theirs, and they hold the permissions a creator gets.

use rusqlite::Connection;

use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::money::WalletPermission;
use crate::domain::policy;
use crate::domain::scope::ScopeSet;
use crate::service::access;
use crate::store::enterprises;
use crate::store::wallets::{self, WalletRow};

/// A Go Account asked for.
#[derive(Debug, Clone, Copy)]
pub struct NewWallet<'a> {
    /// Its label.
    pub label: &'a str,
    /// The enterprise it belongs to.
    pub enterprise_id: &'a str,
    /// The user key (added with `POST /api/v2/ofc/key` by the caller).
    pub user_key_id: &'a str,
}

/// A Go Account just created, with what its document shows.
#[derive(Debug, Clone)]
pub struct CreatedWallet {
    /// The wallet.
    pub wallet: WalletRow,
    /// Its users and their permissions (the creator).
    pub users: Vec<(String, Vec<WalletPermission>)>,
    /// Its enterprise's organization, if any.
    pub organization_id: Option<String>,
}

/// Creates the Go Account `w` for `user_id` (holding `scopes`) at `now_ms`.
pub fn create(
    conn: &Connection,
    user_id: &str,
    scopes: &ScopeSet,
    w: &NewWallet<'_>,
    now_ms: i64,
) -> Result<CreatedWallet> {
    let enterprise = w.enterprise_id;
    let e = enterprises::find_by_id(conn, enterprise)?
        .ok_or_else(|| Error::NotFound(format!("enterprise {enterprise} not found")))?;
    policy::may_create_wallet(
        scopes,
        &e.id,
        enterprises::permissions_of(conn, &e.id, user_id)?.as_deref(),
    )?;
    wallets::find_key(conn, w.user_key_id)?
        .filter(|k| k.user_id == user_id)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "key {} not found: add it with POST /api/v2/ofc/key first",
                w.user_key_id
            ))
        })?;
    let wallet = WalletRow {
        id: new_id(now_ms),
        coin: "ofc".into(),
        wallet_type: "trading".into(),
        label: w.label.to_string(),
        enterprise_id: e.id.clone(),
        user_key_id: w.user_key_id.to_string(),
        created_by: user_id.to_string(),
        created_at: now_ms,
    };
    wallets::insert(conn, &wallet)?;
    let held = policy::wallet_creator_permissions(access::org_role_for(conn, &e, user_id)?);
    wallets::set_user(conn, &wallet.id, user_id, held, now_ms)?;
    Ok(CreatedWallet {
        users: wallets::users(conn, &wallet.id)?,
        wallet,
        organization_id: e.organization_id,
    })
}
