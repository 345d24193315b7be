//! Organizations and their members.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::role::OrgRole;
use crate::error::{Error, Result};

/// A stored organization.
#[derive(Debug, Clone)]
pub struct OrganizationRow {
    /// 32-hex id (never equal to an enterprise id).
    pub id: String,
    /// Name (the same as its parent enterprise's).
    pub name: String,
    /// Creation time, ms.
    pub created_at: i64,
}

/// Inserts an organization.
pub fn insert(conn: &Connection, o: &OrganizationRow) -> Result<()> {
    conn.execute(
        "INSERT INTO organizations (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![o.id, o.name, o.created_at],
    )?;
    Ok(())
}

/// The organization with `id`.
pub fn find_by_id(conn: &Connection, id: &str) -> Result<Option<OrganizationRow>> {
    Ok(conn
        .prepare_cached("SELECT id, name, created_at FROM organizations WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(OrganizationRow {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: r.get(2)?,
            })
        })
        .optional()?)
}

/// Gives `user_id` a role in the organization (replacing any previous role).
pub fn upsert_member(
    conn: &Connection,
    org_id: &str,
    user_id: &str,
    role: OrgRole,
    now_ms: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO organization_members (organization_id, user_id, role, created_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (organization_id, user_id) DO UPDATE SET role = excluded.role",
        params![org_id, user_id, role.as_str(), now_ms],
    )?;
    Ok(())
}

/// The organizations `user_id` belongs to, with the user's role in each, oldest first.
pub fn list_for_user(conn: &Connection, user_id: &str) -> Result<Vec<(OrganizationRow, OrgRole)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.name, o.created_at, m.role FROM organization_members m
         JOIN organizations o ON o.id = m.organization_id
         WHERE m.user_id = ?1 ORDER BY o.id",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok((
            OrganizationRow {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: r.get(2)?,
            },
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (org, role) = row?;
        let role = OrgRole::parse(&role)
            .ok_or_else(|| Error::Internal(format!("stored organization role {role:?}")))?;
        out.push((org, role));
    }
    Ok(out)
}
