//! Collections of a Bitwarden organization and who may use them: members directly
//! (`bw_collection_users`) and through groups (`bw_collection_groups`), each with
//! `readOnly`, `hidePasswords` and `manage`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::bitwarden::collections::{effective_access, Grant};
use crate::domain::error::Result;

/// One collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BwCollection {
    /// Lowercase GUID.
    pub id: String,
    /// Organization.
    pub organization_id: String,
    /// The name, an EncString under the organization key.
    pub name: String,
    /// The id a directory gave it.
    pub external_id: Option<String>,
    /// 0 shared collection, 1 a member's default collection.
    pub collection_type: i64,
    /// ms.
    pub created_at: i64,
    /// ms.
    pub revision_at: i64,
}

/// One access entry: a member or a group (`id`) and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// The membership or group id.
    pub id: String,
    /// May not change items.
    pub read_only: bool,
    /// May not see passwords.
    pub hide_passwords: bool,
    /// May manage the collection.
    pub manage: bool,
}

const COLUMNS: &str = "id, organization_id, name, external_id, type, created_at, revision_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BwCollection> {
    Ok(BwCollection {
        id: r.get(0)?,
        organization_id: r.get(1)?,
        name: r.get(2)?,
        external_id: r.get(3)?,
        collection_type: r.get(4)?,
        created_at: r.get(5)?,
        revision_at: r.get(6)?,
    })
}

/// Inserts a collection.
pub fn insert(conn: &Connection, c: &BwCollection) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO bw_collections ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        params![
            c.id,
            c.organization_id,
            c.name,
            c.external_id,
            c.collection_type,
            c.created_at,
            c.revision_at
        ],
    )?;
    Ok(())
}

/// Writes a collection's name, external id and revision date.
pub fn update(conn: &Connection, c: &BwCollection) -> Result<()> {
    conn.execute(
        "UPDATE bw_collections SET name = ?2, external_id = ?3, revision_at = ?4 WHERE id = ?1",
        params![c.id, c.name, c.external_id, c.revision_at],
    )?;
    Ok(())
}

/// Deletes a collection (its access entries go with it).
pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM bw_collections WHERE id = ?1", [id])? > 0)
}

/// One collection of an organization.
pub fn find(conn: &Connection, org_id: &str, id: &str) -> Result<Option<BwCollection>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_collections WHERE organization_id = ?1 AND id = ?2"),
            params![org_id, id],
            from_row,
        )
        .optional()?)
}

/// Every collection of an organization, oldest first.
pub fn list_for_org(conn: &Connection, org_id: &str) -> Result<Vec<BwCollection>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bw_collections WHERE organization_id = ?1 ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([org_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many collections an organization has.
pub fn count_for_org(conn: &Connection, org_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM bw_collections WHERE organization_id = ?1",
        [org_id],
        |r| r.get(0),
    )?)
}

fn access_rows(conn: &Connection, sql: &str, key: &str) -> Result<Vec<Access>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([key], |r| {
        Ok(Access {
            id: r.get(0)?,
            read_only: r.get(1)?,
            hide_passwords: r.get(2)?,
            manage: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The members with direct access to a collection.
pub fn users_of(conn: &Connection, collection_id: &str) -> Result<Vec<Access>> {
    access_rows(
        conn,
        "SELECT member_id, read_only, hide_passwords, manage FROM bw_collection_users
         WHERE collection_id = ?1 ORDER BY member_id",
        collection_id,
    )
}

/// The groups with access to a collection.
pub fn groups_of(conn: &Connection, collection_id: &str) -> Result<Vec<Access>> {
    access_rows(
        conn,
        "SELECT group_id, read_only, hide_passwords, manage FROM bw_collection_groups
         WHERE collection_id = ?1 ORDER BY group_id",
        collection_id,
    )
}

/// The collections a member reaches directly (`id` is the collection's).
pub fn of_member(conn: &Connection, member_id: &str) -> Result<Vec<Access>> {
    access_rows(
        conn,
        "SELECT collection_id, read_only, hide_passwords, manage FROM bw_collection_users
         WHERE member_id = ?1 ORDER BY collection_id",
        member_id,
    )
}

/// The collections a group reaches (`id` is the collection's).
pub fn of_group(conn: &Connection, group_id: &str) -> Result<Vec<Access>> {
    access_rows(
        conn,
        "SELECT collection_id, read_only, hide_passwords, manage FROM bw_collection_groups
         WHERE group_id = ?1 ORDER BY collection_id",
        group_id,
    )
}

/// Replaces a collection's direct member access.
pub fn set_users(conn: &Connection, collection_id: &str, users: &[Access]) -> Result<()> {
    conn.execute(
        "DELETE FROM bw_collection_users WHERE collection_id = ?1",
        [collection_id],
    )?;
    for a in users {
        conn.execute(
            "INSERT INTO bw_collection_users (collection_id, member_id, read_only, hide_passwords,
             manage) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![collection_id, a.id, a.read_only, a.hide_passwords, a.manage],
        )?;
    }
    Ok(())
}

/// Replaces a collection's group access.
pub fn set_groups(conn: &Connection, collection_id: &str, groups: &[Access]) -> Result<()> {
    conn.execute(
        "DELETE FROM bw_collection_groups WHERE collection_id = ?1",
        [collection_id],
    )?;
    for a in groups {
        conn.execute(
            "INSERT INTO bw_collection_groups (collection_id, group_id, read_only, hide_passwords,
             manage) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![collection_id, a.id, a.read_only, a.hide_passwords, a.manage],
        )?;
    }
    Ok(())
}

/// Replaces a member's direct collection access (`id`: the collection's).
pub fn set_member_collections(conn: &Connection, member_id: &str, access: &[Access]) -> Result<()> {
    conn.execute(
        "DELETE FROM bw_collection_users WHERE member_id = ?1",
        [member_id],
    )?;
    for a in access {
        conn.execute(
            "INSERT INTO bw_collection_users (collection_id, member_id, read_only, hide_passwords,
             manage) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![a.id, member_id, a.read_only, a.hide_passwords, a.manage],
        )?;
    }
    Ok(())
}

/// Replaces a group's collection access (`id`: the collection's).
pub fn set_group_collections(conn: &Connection, group_id: &str, access: &[Access]) -> Result<()> {
    conn.execute(
        "DELETE FROM bw_collection_groups WHERE group_id = ?1",
        [group_id],
    )?;
    for a in access {
        conn.execute(
            "INSERT INTO bw_collection_groups (collection_id, group_id, read_only, hide_passwords,
             manage) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![a.id, group_id, a.read_only, a.hide_passwords, a.manage],
        )?;
    }
    Ok(())
}

/// What a member may do with each collection it reaches, directly or through its groups
/// (`effective_access`: a direct assignment decides, else the most permissive group), by
/// collection id.
pub fn reach_of_member(conn: &Connection, member_id: &str) -> Result<BTreeMap<String, Access>> {
    let grant = |a: &Access| Grant {
        read_only: a.read_only,
        hide_passwords: a.hide_passwords,
        manage: a.manage,
    };
    let direct: BTreeMap<String, Grant> = of_member(conn, member_id)?
        .iter()
        .map(|a| (a.id.clone(), grant(a)))
        .collect();
    let mut via_groups: BTreeMap<String, Vec<Grant>> = BTreeMap::new();
    for a in access_rows(
        conn,
        "SELECT cg.collection_id, cg.read_only, cg.hide_passwords, cg.manage
         FROM bw_collection_groups cg JOIN bw_group_users gu ON gu.group_id = cg.group_id
         WHERE gu.member_id = ?1",
        member_id,
    )? {
        via_groups.entry(a.id.clone()).or_default().push(grant(&a));
    }
    let ids: BTreeSet<&String> = direct.keys().chain(via_groups.keys()).collect();
    let mut out = BTreeMap::new();
    for id in ids {
        let groups = via_groups.get(id).map(Vec::as_slice).unwrap_or_default();
        if let Some(g) = effective_access(direct.get(id).copied(), groups) {
            let access = Access {
                id: id.clone(),
                read_only: g.read_only,
                hide_passwords: g.hide_passwords,
                manage: g.manage,
            };
            out.insert(id.clone(), access);
        }
    }
    Ok(out)
}

/// The collections of an organization nobody manages (no member or group with `manage`).
pub fn orphaned(conn: &Connection, org_id: &str) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id FROM bw_collections c WHERE c.organization_id = ?1
         AND NOT EXISTS (SELECT 1 FROM bw_collection_users u WHERE u.collection_id = c.id AND u.manage)
         AND NOT EXISTS (SELECT 1 FROM bw_collection_groups g WHERE g.collection_id = c.id AND g.manage)",
    )?;
    let rows = stmt.query_map([org_id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A collection of any organization (what the server's `GetManyByManyIdsAsync` finds before
/// it checks the organization).
pub fn find_any(conn: &Connection, id: &str) -> Result<Option<BwCollection>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_collections WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}
