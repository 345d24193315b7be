//! The Bitwarden dialect's tables (migrations 30 and 110): users, organizations,
//! memberships, keys, collections, groups, policies and the event log.

pub mod collections;
pub mod events;
pub mod groups;
pub mod keys;
pub mod member_writes;
pub mod members;
pub mod orgs;
pub mod policies;
pub mod users;

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::error::Result;
use crate::domain::ids::random_hex;

/// Name of the per-sandbox JWT signing key in `bw_settings` (32 random bytes as hex).
pub const JWT_KEY_SETTING: &str = "jwt_key";

/// Replaces the sandbox's JWT signing key with a new random one: every access token signed
/// before no longer verifies. Called whenever a database file becomes a sandbox's state
/// (a named sandbox made, a reset, a snapshot loaded), so that no two sandboxes, and no
/// sandbox before and after a reset, share a key.
pub fn rotate_jwt_key(conn: &Connection) -> Result<()> {
    // A file from before the Bitwarden dialect (schema version 30, not migrated yet) has no
    // key to rotate.
    let has_settings: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'bw_settings'",
        [],
        |r| r.get(0),
    )?;
    if !has_settings {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO bw_settings (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![JWT_KEY_SETTING, random_hex(32)],
    )?;
    Ok(())
}

/// Decodes a JSON text column; text that does not decode is an error (a 500), never read as
/// the type's defaults.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(
    idx: usize,
    text: &str,
) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Reads a per-sandbox setting of the dialect.
pub fn setting(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM bw_settings WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Reads a setting, or stores `make()` under it first (inside the caller's transaction).
pub fn setting_or_insert(
    conn: &Connection,
    name: &str,
    make: impl FnOnce() -> Result<String>,
) -> Result<String> {
    if let Some(v) = setting(conn, name)? {
        return Ok(v);
    }
    let v = make()?;
    conn.execute(
        "INSERT INTO bw_settings (name, value) VALUES (?1, ?2)",
        params![name, v],
    )?;
    Ok(v)
}

/// Whether installation `id` is known and enabled.
pub fn installation_enabled(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM bw_installations WHERE id = ?1 AND enabled = 1")?
        .query_row([id], |r| r.get::<_, i64>(0))?
        > 0)
}

/// Records installation `id` (enabled) if it is not known yet.
pub fn ensure_installation(conn: &Connection, id: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO bw_installations (id, enabled) VALUES (?1, 1)",
        [id],
    )?;
    Ok(())
}
