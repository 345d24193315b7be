//! Users.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::Result;

/// A stored user.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// 32-hex id.
    pub id: String,
    /// Lowercased email.
    pub username: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// PBKDF2 of the SDK form of the password.
    pub password_hash: String,
    /// ISO 3166 alpha-3 country.
    pub country: String,
    /// IANA time zone.
    pub timezone: String,
    /// Whether the account is active.
    pub is_active: bool,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last successful login, ms.
    pub last_login_at: Option<i64>,
}

/// The columns [`from_row`] reads, in its order.
pub(crate) const COLUMNS: &str =
    "id, username, first_name, last_name, password_hash, country, timezone, \
     is_active, created_at, last_login_at";

/// A user from the first columns of `r`, in [`COLUMNS`] order.
pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        username: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        password_hash: r.get(4)?,
        country: r.get(5)?,
        timezone: r.get(6)?,
        is_active: r.get(7)?,
        created_at: r.get(8)?,
        last_login_at: r.get(9)?,
    })
}

/// Inserts a user.
pub fn insert(conn: &Connection, u: &UserRow) -> Result<()> {
    conn.execute(
        "INSERT INTO users (id, username, first_name, last_name, password_hash, country, timezone, \
         is_active, created_at, last_login_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            u.id,
            u.username,
            u.first_name,
            u.last_name,
            u.password_hash,
            u.country,
            u.timezone,
            u.is_active,
            u.created_at,
            u.last_login_at
        ],
    )?;
    Ok(())
}

/// The user with `id`.
pub fn find_by_id(conn: &Connection, id: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

/// The login name of user `id`, or the id itself when no such user is left (a name to show
/// for a user who has since gone).
pub fn username_or_id(conn: &Connection, id: &str) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT username FROM users WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| id.to_string()))
}

/// The user whose username (email) is `username`, compared lowercased.
pub fn find_by_username(conn: &Connection, username: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE username = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([username.to_lowercase()], from_row)
        .optional()?)
}

/// Records a successful login.
pub fn set_last_login(conn: &Connection, id: &str, now_ms: i64) -> Result<()> {
    conn.execute(
        "UPDATE users SET last_login_at = ?2 WHERE id = ?1",
        params![id, now_ms],
    )?;
    Ok(())
}
