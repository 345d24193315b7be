//! Bearer tokens (login sessions and long-lived access tokens).

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::{Error, Result};
use crate::domain::ip::IpRestriction;
use crate::domain::scope::ScopeSet;
use crate::domain::token_rules::TokenKind;

/// A stored token. The raw value is not here: only its hash and its sealed copy.
#[derive(Debug, Clone)]
pub struct TokenRow {
    /// Public 32-hex id.
    pub id: String,
    /// SHA-256 hex of the raw token.
    pub token_hash: String,
    /// The raw token sealed under the server key, bound to `id`.
    pub sealed_token: Vec<u8>,
    /// Owner.
    pub user_id: String,
    /// Login session or long-lived token.
    pub kind: TokenKind,
    /// Label (long-lived tokens only).
    pub label: Option<String>,
    /// Granted scopes, bound to `enterprise_id` when the token has one.
    pub scope: ScopeSet,
    /// Allowed client addresses, parsed once when the row is read; empty means any.
    pub ip_restrict: IpRestriction,
    /// Address of the client that created it.
    pub created_ip: Option<String>,
    /// Enterprise the token was bound to, if requested.
    pub enterprise_id: Option<String>,
    /// Whether the session may be extended.
    pub is_extensible: bool,
    /// Legacy spending limit (`txValueLimit`), USD cents at the sandbox price.
    pub tx_value_limit: Option<i64>,
    /// What the token has committed so far, USD cents (`unlock.txValue`).
    pub tx_value: i64,
    /// How many transactions it has committed (`unlock.txCount`).
    pub tx_count: i64,
    /// Creation time, ms.
    pub created_at: i64,
    /// Expiry, ms.
    pub expires_at: i64,
    /// When it was logged out or deleted, ms.
    pub revoked_at: Option<i64>,
    /// Start of the current unlock, ms.
    pub unlocked_at: Option<i64>,
    /// End of the current unlock, ms.
    pub unlock_expires_at: Option<i64>,
}

const COLUMNS: &str = "id, token_hash, sealed_token, user_id, kind, label, scope, ip_restrict, \
    created_ip, enterprise_id, is_extensible, tx_value_limit, created_at, expires_at, revoked_at, \
    unlocked_at, unlock_expires_at, tx_value, tx_count";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(TokenRow, String, Option<String>)> {
    let kind: String = r.get(4)?;
    let ip_json: Option<String> = r.get(7)?;
    let row = TokenRow {
        id: r.get(0)?,
        token_hash: r.get(1)?,
        sealed_token: r.get(2)?,
        user_id: r.get(3)?,
        kind: TokenKind::Login,
        label: r.get(5)?,
        scope: ScopeSet::from_stored(&r.get::<_, String>(6)?),
        ip_restrict: IpRestriction::default(),
        created_ip: r.get(8)?,
        enterprise_id: r.get(9)?,
        is_extensible: r.get(10)?,
        tx_value_limit: r.get(11)?,
        created_at: r.get(12)?,
        expires_at: r.get(13)?,
        revoked_at: r.get(14)?,
        unlocked_at: r.get(15)?,
        unlock_expires_at: r.get(16)?,
        tx_value: r.get(17)?,
        tx_count: r.get(18)?,
    };
    Ok((row, kind, ip_json))
}

fn finish((mut row, kind, ip_json): (TokenRow, String, Option<String>)) -> Result<TokenRow> {
    row.scope = std::mem::take(&mut row.scope).bound_to(row.enterprise_id.clone());
    row.kind = TokenKind::parse(&kind)
        .ok_or_else(|| Error::Internal(format!("stored token kind {kind:?}")))?;
    if let Some(json) = ip_json {
        let entries: Vec<String> = serde_json::from_str(&json)
            .map_err(|e| Error::Internal(format!("stored ip_restrict: {e}")))?;
        row.ip_restrict = IpRestriction::parse(&entries)
            .map_err(|e| Error::Internal(format!("stored ip_restrict of {}: {e}", row.id)))?;
    }
    Ok(row)
}

/// Inserts a token.
pub fn insert(conn: &Connection, t: &TokenRow) -> Result<()> {
    let ip_json = t
        .ip_restrict
        .to_stored()
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO access_tokens (id, token_hash, sealed_token, user_id, kind, label, scope,
           ip_restrict, created_ip, enterprise_id, is_extensible, tx_value_limit, created_at,
           expires_at, revoked_at, unlocked_at, unlock_expires_at, tx_value, tx_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19)",
        params![
            t.id,
            t.token_hash,
            t.sealed_token,
            t.user_id,
            t.kind.as_str(),
            t.label,
            t.scope.to_stored(),
            ip_json,
            t.created_ip,
            t.enterprise_id,
            t.is_extensible,
            t.tx_value_limit,
            t.created_at,
            t.expires_at,
            t.revoked_at,
            t.unlocked_at,
            t.unlock_expires_at,
            t.tx_value,
            t.tx_count
        ],
    )?;
    Ok(())
}

/// A token found for authentication, with whether its owner's account is active.
#[derive(Debug, Clone)]
pub struct TokenLookup {
    /// The token.
    pub token: TokenRow,
    /// The owner's `is_active`: an inactive user's tokens never authenticate.
    pub owner_active: bool,
}

/// The token whose SHA-256 is `hash`, and whether its owner is active (one query: this is
/// the hot path of every authenticated request).
pub fn find_by_hash(conn: &Connection, hash: &str) -> Result<Option<TokenLookup>> {
    // Built once: this runs on every authenticated request.
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("t.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "SELECT {columns}, u.is_active FROM access_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ?1"
        )
    });
    conn.prepare_cached(sql)?
        .query_row([hash], |r| Ok((from_row(r)?, r.get::<_, bool>(19)?)))
        .optional()?
        .map(|(row, owner_active)| {
            Ok(TokenLookup {
                token: finish(row)?,
                owner_active,
            })
        })
        .transpose()
}

/// The token `id` if it belongs to `user_id`.
pub fn find_for_user(conn: &Connection, user_id: &str, id: &str) -> Result<Option<TokenRow>> {
    let sql = format!("SELECT {COLUMNS} FROM access_tokens WHERE id = ?1 AND user_id = ?2");
    conn.prepare_cached(&sql)?
        .query_row([id, user_id], from_row)
        .optional()?
        .map(finish)
        .transpose()
}

/// The token `id`, whoever it belongs to (what a webhook simulation reports).
pub fn find_by_id(conn: &Connection, id: &str) -> Result<Option<TokenRow>> {
    let sql = format!("SELECT {COLUMNS} FROM access_tokens WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .map(finish)
        .transpose()
}

/// One page of a user's usable long-lived tokens (neither expired nor revoked at `now_ms`),
/// in id order after (or, descending, before) `after_id`.
pub fn list_usable_api_tokens(
    conn: &Connection,
    user_id: &str,
    now_ms: i64,
    after_id: Option<&str>,
    limit: usize,
    descending: bool,
) -> Result<Vec<TokenRow>> {
    let (cmp, order) = if descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM access_tokens
         WHERE user_id = ?1 AND kind = 'api' AND revoked_at IS NULL AND expires_at > ?2
           AND (?3 IS NULL OR id {cmp} ?3)
         ORDER BY id {order} LIMIT ?4"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![user_id, now_ms, after_id, limit], from_row)?;
    rows.map(|r| finish(r?)).collect()
}

/// How many long-lived tokens of `user_id` are usable at `now_ms`, counting no further than
/// `up_to` (the partial index of live tokens keeps this a short range scan).
pub fn count_live_api_tokens(
    conn: &Connection,
    user_id: &str,
    now_ms: i64,
    up_to: usize,
) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM access_tokens
             WHERE user_id = ?1 AND kind = 'api' AND revoked_at IS NULL AND expires_at > ?2
             LIMIT ?3)",
        )?
        .query_row(
            params![user_id, now_ms, i64::try_from(up_to).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// Revokes a token (logout, delete); returns whether it was still live.
pub fn revoke(conn: &Connection, id: &str, now_ms: i64) -> Result<bool> {
    let n = conn.execute(
        "UPDATE access_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now_ms],
    )?;
    Ok(n == 1)
}

/// Records one more transaction committed by token `id`, which has now spent `tx_value` USD
/// cents in all.
pub fn record_spend(conn: &Connection, id: &str, tx_value: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE access_tokens SET tx_value = ?2, tx_count = tx_count + 1 WHERE id = ?1",
    )?
    .execute(params![id, tx_value])?;
    Ok(())
}

/// Sets (`Some((from, until))`) or clears (`None`) the session's unlock window.
pub fn set_unlock(conn: &Connection, id: &str, window: Option<(i64, i64)>) -> Result<()> {
    let (from, until) = window.unzip();
    conn.execute(
        "UPDATE access_tokens SET unlocked_at = ?2, unlock_expires_at = ?3 WHERE id = ?1",
        params![id, from, until],
    )?;
    Ok(())
}
