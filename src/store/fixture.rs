//! The writes a seeding fixture needs beyond plain inserts: bring an existing organization,
//! enterprise or user in line with the fixture, reporting whether anything changed.

use rusqlite::{params, Connection};

use crate::domain::error::Result;

/// Sets an organization's name; whether it changed.
pub fn update_organization(conn: &Connection, id: &str, name: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE organizations SET name = ?2 WHERE id = ?1 AND name IS NOT ?2",
        params![id, name],
    )? > 0)
}

/// Sets an enterprise's fields; whether anything changed.
pub fn update_enterprise(
    conn: &Connection,
    id: &str,
    name: &str,
    organization_id: Option<&str>,
    business_model: &str,
    account_type: &str,
    kyc_state: &str,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE enterprises SET name = ?2, organization_id = ?3, business_model = ?4,
           account_type = ?5, kyc_state = ?6
         WHERE id = ?1 AND (name IS NOT ?2 OR organization_id IS NOT ?3 OR business_model IS NOT ?4
           OR account_type IS NOT ?5 OR kyc_state IS NOT ?6)",
        params![
            id,
            name,
            organization_id,
            business_model,
            account_type,
            kyc_state
        ],
    )? > 0)
}

/// Sets a user's names and active flag; whether anything changed.
pub fn update_user(
    conn: &Connection,
    id: &str,
    first: &str,
    last: &str,
    active: bool,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE users SET first_name = ?2, last_name = ?3, is_active = ?4
         WHERE id = ?1 AND (first_name IS NOT ?2 OR last_name IS NOT ?3 OR is_active IS NOT ?4)",
        params![id, first, last, active],
    )? > 0)
}

/// Replaces a user's stored password record.
pub fn set_password_hash(conn: &Connection, id: &str, hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![id, hash],
    )?;
    Ok(())
}

/// An enterprise member's stored permissions (JSON), if a member.
pub fn enterprise_permissions_json(
    conn: &Connection,
    enterprise_id: &str,
    user_id: &str,
) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT permissions FROM enterprise_members WHERE enterprise_id = ?1 AND user_id = ?2",
            params![enterprise_id, user_id],
            |r| r.get(0),
        )
        .optional()?)
}
