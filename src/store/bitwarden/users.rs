//! Bitwarden users and their key material.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::Result;

/// One user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BwUser {
    /// Lowercase GUID.
    pub id: String,
    /// Trimmed, lowercased.
    pub email: String,
    /// Display name.
    pub name: Option<String>,
    /// 0 PBKDF2, 1 Argon2id.
    pub kdf: i64,
    /// KDF iterations.
    pub kdf_iterations: i64,
    /// Argon2 memory (MiB).
    pub kdf_memory: Option<i64>,
    /// Argon2 parallelism.
    pub kdf_parallelism: Option<i64>,
    /// Server-side hash of the client's master password hash.
    pub master_password_hash: Option<String>,
    /// `2.` user key under the stretched master key.
    pub user_key: Option<String>,
    /// base64 SPKI.
    pub public_key: Option<String>,
    /// `2.` private key under the user key.
    pub private_key: Option<String>,
    /// Changes when credentials change.
    pub security_stamp: String,
    /// Personal API key.
    pub api_key: String,
    /// Premium.
    pub premium: bool,
    /// Unlocks with Key Connector.
    pub uses_key_connector: bool,
    /// Two-step login is on (what the two-step login policy asks of members).
    pub two_factor_enabled: bool,
    /// ms.
    pub created_at: i64,
    /// ms.
    pub revision_at: i64,
}

const COLUMNS: &str = "id, email, name, kdf, kdf_iterations, kdf_memory, kdf_parallelism,
    master_password_hash, user_key, public_key, private_key, security_stamp, api_key, premium,
    uses_key_connector, created_at, revision_at, two_factor_enabled";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BwUser> {
    Ok(BwUser {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        kdf: r.get(3)?,
        kdf_iterations: r.get(4)?,
        kdf_memory: r.get(5)?,
        kdf_parallelism: r.get(6)?,
        master_password_hash: r.get(7)?,
        user_key: r.get(8)?,
        public_key: r.get(9)?,
        private_key: r.get(10)?,
        security_stamp: r.get(11)?,
        api_key: r.get(12)?,
        premium: r.get(13)?,
        uses_key_connector: r.get(14)?,
        created_at: r.get(15)?,
        revision_at: r.get(16)?,
        two_factor_enabled: r.get(17)?,
    })
}

/// Inserts a user.
pub fn insert(conn: &Connection, u: &BwUser) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO bw_users ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"),
        params![
            u.id, u.email, u.name, u.kdf, u.kdf_iterations, u.kdf_memory, u.kdf_parallelism,
            u.master_password_hash, u.user_key, u.public_key, u.private_key, u.security_stamp,
            u.api_key, u.premium, u.uses_key_connector, u.created_at, u.revision_at,
            u.two_factor_enabled
        ],
    )?;
    Ok(())
}

/// The user with this id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<BwUser>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_users WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// The user with this email (compared trimmed and lowercased).
pub fn find_by_email(conn: &Connection, email: &str) -> Result<Option<BwUser>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_users WHERE email = ?1"),
            [email.trim().to_lowercase()],
            from_row,
        )
        .optional()?)
}

/// The id the client recorded for the user's key, if any.
pub fn user_key_id(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT user_key_id FROM bw_users WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Records the id of the user's key.
pub fn set_user_key_id(conn: &Connection, id: &str, key_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE bw_users SET user_key_id = ?2 WHERE id = ?1",
        params![id, key_id],
    )?;
    Ok(())
}
