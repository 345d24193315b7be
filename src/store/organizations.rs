//! Organizations and their members.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::error::{Error, Result};
use crate::domain::organization::OrgMember;
use crate::domain::role::OrgRole;

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

fn parse_role(role: &str) -> Result<OrgRole> {
    OrgRole::parse(role)
        .ok_or_else(|| Error::Internal(format!("stored organization role {role:?}")))
}

/// `user_id`'s role in the organization, if a member.
pub fn role_of(conn: &Connection, org_id: &str, user_id: &str) -> Result<Option<OrgRole>> {
    let role: Option<String> = conn
        .prepare_cached(
            "SELECT role FROM organization_members WHERE organization_id = ?1 AND user_id = ?2",
        )?
        .query_row([org_id, user_id], |r| r.get(0))
        .optional()?;
    role.as_deref().map(parse_role).transpose()
}

/// Every member of the organization with their role, oldest first.
pub fn members(conn: &Connection, org_id: &str) -> Result<Vec<OrgMember>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, role FROM organization_members WHERE organization_id = ?1
         ORDER BY created_at, user_id",
    )?;
    let rows = stmt.query_map([org_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (user_id, role) = row?;
        out.push(OrgMember {
            user_id,
            role: parse_role(&role)?,
        });
    }
    Ok(out)
}

/// Removes `user_id` from the organization; whether they were a member.
pub fn remove_member(conn: &Connection, org_id: &str, user_id: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM organization_members WHERE organization_id = ?1 AND user_id = ?2",
        params![org_id, user_id],
    )? > 0)
}

/// Adds `user_id` with `role` unless they already belong to the organization (whose role is
/// then kept); whether they were added.
pub fn add_member_if_absent(
    conn: &Connection,
    org_id: &str,
    user_id: &str,
    role: OrgRole,
    now_ms: i64,
) -> Result<bool> {
    Ok(conn.execute(
        "INSERT INTO organization_members (organization_id, user_id, role, created_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (organization_id, user_id) DO NOTHING",
        params![org_id, user_id, role.as_str(), now_ms],
    )? > 0)
}

/// The ids of the organization's enterprises, oldest first.
pub fn enterprise_ids(conn: &Connection, org_id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM enterprises WHERE organization_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([org_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The organization's own (parent) enterprise: the one whose admins may become organization
/// admins, and whose name the organization carries.
pub fn parent_enterprise_id(conn: &Connection, org_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM enterprises WHERE organization_id = ?1
             AND business_model = 'cryptoAsAServiceParent' ORDER BY created_at, id LIMIT 1",
        )?
        .query_row([org_id], |r| r.get(0))
        .optional()?)
}
