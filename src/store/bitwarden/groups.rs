//! Groups of a Bitwarden organization and their members (`bw_group_users`); their collection
//! access is in `collections`.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::Result;

/// One group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BwGroup {
    /// Lowercase GUID.
    pub id: String,
    /// Organization.
    pub organization_id: String,
    /// Name (plain text, up to 100 characters).
    pub name: String,
    /// The id a directory gave it.
    pub external_id: Option<String>,
    /// ms.
    pub created_at: i64,
    /// ms.
    pub revision_at: i64,
}

const COLUMNS: &str = "id, organization_id, name, external_id, created_at, revision_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BwGroup> {
    Ok(BwGroup {
        id: r.get(0)?,
        organization_id: r.get(1)?,
        name: r.get(2)?,
        external_id: r.get(3)?,
        created_at: r.get(4)?,
        revision_at: r.get(5)?,
    })
}

/// Inserts a group.
pub fn insert(conn: &Connection, g: &BwGroup) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO bw_groups ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        params![
            g.id,
            g.organization_id,
            g.name,
            g.external_id,
            g.created_at,
            g.revision_at
        ],
    )?;
    Ok(())
}

/// Writes a group's name, external id and revision date.
pub fn update(conn: &Connection, g: &BwGroup) -> Result<()> {
    conn.execute(
        "UPDATE bw_groups SET name = ?2, external_id = ?3, revision_at = ?4 WHERE id = ?1",
        params![g.id, g.name, g.external_id, g.revision_at],
    )?;
    Ok(())
}

/// Deletes a group (its member and collection entries go with it).
pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM bw_groups WHERE id = ?1", [id])? > 0)
}

/// One group of an organization.
pub fn find(conn: &Connection, org_id: &str, id: &str) -> Result<Option<BwGroup>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_groups WHERE organization_id = ?1 AND id = ?2"),
            params![org_id, id],
            from_row,
        )
        .optional()?)
}

/// Every group of an organization, oldest first.
pub fn list_for_org(conn: &Connection, org_id: &str) -> Result<Vec<BwGroup>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bw_groups WHERE organization_id = ?1 ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([org_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn ids(conn: &Connection, sql: &str, key: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([key], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The members of a group (membership ids).
pub fn member_ids(conn: &Connection, group_id: &str) -> Result<Vec<String>> {
    ids(
        conn,
        "SELECT member_id FROM bw_group_users WHERE group_id = ?1 ORDER BY member_id",
        group_id,
    )
}

/// The groups a member belongs to.
pub fn group_ids_of_member(conn: &Connection, member_id: &str) -> Result<Vec<String>> {
    ids(
        conn,
        "SELECT group_id FROM bw_group_users WHERE member_id = ?1 ORDER BY group_id",
        member_id,
    )
}

/// Adds a member to a group when both belong to one organization (as the server's
/// `GroupUser_UpdateUsers` / `GroupUser_UpdateGroups` join on it), so that no list can put a
/// member into another organization's group.
fn join(conn: &Connection, group_id: &str, member_id: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO bw_group_users (group_id, member_id)
         SELECT g.id, m.id FROM bw_groups g JOIN bw_memberships m
           ON m.organization_id = g.organization_id
         WHERE g.id = ?1 AND m.id = ?2",
        params![group_id, member_id],
    )?;
    Ok(())
}

/// Replaces a group's members (members of other organizations are skipped).
pub fn set_members(conn: &Connection, group_id: &str, member_ids: &[String]) -> Result<()> {
    conn.execute("DELETE FROM bw_group_users WHERE group_id = ?1", [group_id])?;
    for m in member_ids {
        join(conn, group_id, m)?;
    }
    Ok(())
}

/// Replaces the groups a member belongs to (groups of other organizations are skipped).
pub fn set_groups_of_member(
    conn: &Connection,
    member_id: &str,
    group_ids: &[String],
) -> Result<()> {
    conn.execute(
        "DELETE FROM bw_group_users WHERE member_id = ?1",
        [member_id],
    )?;
    for g in group_ids {
        join(conn, g, member_id)?;
    }
    Ok(())
}

/// Takes one member out of a group (`GroupUser_Delete`); whether it was in it.
pub fn remove_member(conn: &Connection, group_id: &str, member_id: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM bw_group_users WHERE group_id = ?1 AND member_id = ?2",
        params![group_id, member_id],
    )? > 0)
}

/// Stamps a group's revision date (its members changed).
pub fn touch(conn: &Connection, group_id: &str, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE bw_groups SET revision_at = ?2 WHERE id = ?1",
        params![group_id, now],
    )?;
    Ok(())
}

/// A group of any organization (what the server's `GetManyByManyIds` finds before it checks
/// the organization).
pub fn find_any(conn: &Connection, id: &str) -> Result<Option<BwGroup>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_groups WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}
