//! The Bitwarden dialect's tables (migration 30): users, organizations, memberships, keys.

pub mod keys;
pub mod members;
pub mod orgs;
pub mod users;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

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
