//! Go Accounts: their keys, the wallets and their users.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::{Error, Result};
use crate::domain::money::WalletPermission;

/// A stored keychain (`POST /api/v2/ofc/key`).
#[derive(Debug, Clone)]
pub struct KeyRow {
    /// 32-hex id.
    pub id: String,
    /// The coin it was added under (`ofc`).
    pub coin: String,
    /// Who added it.
    pub user_id: String,
    /// The BIP-32 xpub.
    pub pub_key: String,
    /// The client-encrypted private key, if uploaded.
    pub encrypted_prv: Option<String>,
    /// `user`, `backup` or `bitgo`.
    pub source: String,
    /// `independent`.
    pub key_type: String,
    /// The recovery code sent beside it.
    pub original_passcode_encryption_code: Option<String>,
    /// Creation time, ms.
    pub created_at: i64,
}

/// A stored wallet.
#[derive(Debug, Clone)]
pub struct WalletRow {
    /// 32-hex id (also the trading account id).
    pub id: String,
    /// `ofc`.
    pub coin: String,
    /// `trading`.
    pub wallet_type: String,
    /// Label.
    pub label: String,
    /// Its enterprise.
    pub enterprise_id: String,
    /// The user key.
    pub user_key_id: String,
    /// Creator.
    pub created_by: String,
    /// Creation time, ms.
    pub created_at: i64,
}

/// Inserts a key.
pub fn insert_key(conn: &Connection, k: &KeyRow) -> Result<()> {
    conn.execute(
        "INSERT INTO wallet_keys (id, coin, user_id, pub, encrypted_prv, source, key_type,
           original_passcode_encryption_code, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        params![
            k.id,
            k.coin,
            k.user_id,
            k.pub_key,
            k.encrypted_prv,
            k.source,
            k.key_type,
            k.original_passcode_encryption_code,
            k.created_at
        ],
    )?;
    Ok(())
}

/// Gives a key that has no encrypted private key this one (an existing demo keychain from
/// before the demo key was kept encrypted); a key that has one keeps it.
pub fn fill_encrypted_prv(conn: &Connection, id: &str, encrypted_prv: &str) -> Result<()> {
    conn.execute(
        "UPDATE wallet_keys SET encrypted_prv = ?2 WHERE id = ?1 AND encrypted_prv IS NULL",
        params![id, encrypted_prv],
    )?;
    Ok(())
}

/// A key by id.
pub fn find_key(conn: &Connection, id: &str) -> Result<Option<KeyRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, coin, user_id, pub, encrypted_prv, source, key_type,
               original_passcode_encryption_code, created_at FROM wallet_keys WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(KeyRow {
                id: r.get(0)?,
                coin: r.get(1)?,
                user_id: r.get(2)?,
                pub_key: r.get(3)?,
                encrypted_prv: r.get(4)?,
                source: r.get(5)?,
                key_type: r.get(6)?,
                original_passcode_encryption_code: r.get(7)?,
                created_at: r.get(8)?,
            })
        })
        .optional()?)
}

const COLUMNS: &str = "id, coin, type, label, enterprise_id, user_key_id, created_by, created_at";

fn wallet_from(r: &Row<'_>) -> rusqlite::Result<WalletRow> {
    Ok(WalletRow {
        id: r.get(0)?,
        coin: r.get(1)?,
        wallet_type: r.get(2)?,
        label: r.get(3)?,
        enterprise_id: r.get(4)?,
        user_key_id: r.get(5)?,
        created_by: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// Inserts a wallet.
pub fn insert(conn: &Connection, w: &WalletRow) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO wallets ({COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"),
        params![
            w.id,
            w.coin,
            w.wallet_type,
            w.label,
            w.enterprise_id,
            w.user_key_id,
            w.created_by,
            w.created_at
        ],
    )?;
    Ok(())
}

/// A wallet by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<WalletRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM wallets WHERE id = ?1"))?
        .query_row([id], wallet_from)
        .optional()?)
}

/// Wallets of `enterprise_id`, oldest first.
pub fn list_for_enterprise(conn: &Connection, enterprise_id: &str) -> Result<Vec<WalletRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM wallets WHERE enterprise_id = ?1 ORDER BY created_at, id"
    ))?;
    let rows = stmt
        .query_map([enterprise_id], wallet_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Sets a user's permissions on a wallet (adding them as a wallet user if needed).
pub fn set_user(
    conn: &Connection,
    wallet_id: &str,
    user_id: &str,
    permissions: &[WalletPermission],
    now_ms: i64,
) -> Result<()> {
    let names: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
    let json = serde_json::to_string(&names).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO wallet_users (wallet_id, user_id, permissions, created_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (wallet_id, user_id) DO UPDATE SET permissions = ?3",
        params![wallet_id, user_id, json, now_ms],
    )?;
    Ok(())
}

fn parse_permissions(json: &str) -> Result<Vec<WalletPermission>> {
    let names: Vec<String> = serde_json::from_str(json)
        .map_err(|e| Error::Internal(format!("stored wallet permissions {json:?}: {e}")))?;
    names
        .iter()
        .map(|n| {
            WalletPermission::parse(n)
                .ok_or_else(|| Error::Internal(format!("stored wallet permission {n:?}")))
        })
        .collect()
}

/// A user's permissions on a wallet, if a wallet user.
pub fn permissions_of(
    conn: &Connection,
    wallet_id: &str,
    user_id: &str,
) -> Result<Option<Vec<WalletPermission>>> {
    let json: Option<String> = conn
        .prepare_cached(
            "SELECT permissions FROM wallet_users WHERE wallet_id = ?1 AND user_id = ?2",
        )?
        .query_row([wallet_id, user_id], |r| r.get(0))
        .optional()?;
    json.map(|j| parse_permissions(&j)).transpose()
}

/// Every user of a wallet with their permissions, oldest first.
pub fn users(conn: &Connection, wallet_id: &str) -> Result<Vec<(String, Vec<WalletPermission>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, permissions FROM wallet_users WHERE wallet_id = ?1 ORDER BY created_at, user_id",
    )?;
    let rows = stmt
        .query_map([wallet_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(u, p)| Ok((u, parse_permissions(&p)?)))
        .collect()
}

/// The USD price in cents stored for `asset` (set through the control plane), if any.
pub fn price_cents(conn: &Connection, asset: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT price_cents FROM asset_prices WHERE asset = ?1")?
        .query_row([asset], |r| r.get(0))
        .optional()?)
}

/// Sets the USD price of `asset`.
pub fn set_price_cents(conn: &Connection, asset: &str, cents: i64, now_ms: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO asset_prices (asset, price_cents, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (asset) DO UPDATE SET price_cents = ?2, updated_at = ?3",
        params![asset, cents, now_ms],
    )?;
    Ok(())
}
