//! Enterprises and their members.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::{Error, Result};
use crate::domain::role::EnterprisePermission;

/// A stored enterprise.
#[derive(Debug, Clone)]
pub struct EnterpriseRow {
    /// 32-hex id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The organization it belongs to, if any.
    pub organization_id: Option<String>,
    /// `bitgoAsAService` | `cryptoAsAServiceParent` | `cryptoAsAServiceChild`.
    pub business_model: String,
    /// `individual` | `entity`.
    pub account_type: String,
    /// BitGo `kycState`.
    pub kyc_state: String,
    /// Creation time, ms.
    pub created_at: i64,
}

/// An enterprise seen through one user's membership.
#[derive(Debug, Clone)]
pub struct Membership {
    /// The enterprise.
    pub enterprise: EnterpriseRow,
    /// The user's permissions on it.
    pub permissions: Vec<EnterprisePermission>,
}

pub(crate) const COLUMNS: &str =
    "e.id, e.name, e.organization_id, e.business_model, e.account_type, e.kyc_state, e.created_at";

pub(crate) fn enterprise_from(r: &Row<'_>) -> rusqlite::Result<EnterpriseRow> {
    Ok(EnterpriseRow {
        id: r.get(0)?,
        name: r.get(1)?,
        organization_id: r.get(2)?,
        business_model: r.get(3)?,
        account_type: r.get(4)?,
        kyc_state: r.get(5)?,
        created_at: r.get(6)?,
    })
}

/// Permissions as stored (a JSON array of names).
pub(crate) fn parse_permissions(json: &str) -> Result<Vec<EnterprisePermission>> {
    let names: Vec<String> = serde_json::from_str(json)
        .map_err(|e| Error::Internal(format!("stored permissions {json:?}: {e}")))?;
    names
        .iter()
        .map(|n| {
            EnterprisePermission::parse(n)
                .ok_or_else(|| Error::Internal(format!("stored permission {n:?}")))
        })
        .collect()
}

/// Inserts an enterprise.
pub fn insert(conn: &Connection, e: &EnterpriseRow) -> Result<()> {
    conn.execute(
        "INSERT INTO enterprises (id, name, organization_id, business_model, account_type, kyc_state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            e.id,
            e.name,
            e.organization_id,
            e.business_model,
            e.account_type,
            e.kyc_state,
            e.created_at
        ],
    )?;
    Ok(())
}

/// The enterprise with `id`.
pub fn find_by_id(conn: &Connection, id: &str) -> Result<Option<EnterpriseRow>> {
    let sql = format!("SELECT {COLUMNS} FROM enterprises e WHERE e.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], enterprise_from)
        .optional()?)
}

/// Makes `user_id` a member with `permissions` (replacing previous permissions).
pub fn upsert_member(
    conn: &Connection,
    enterprise_id: &str,
    user_id: &str,
    permissions: &[EnterprisePermission],
    now_ms: i64,
) -> Result<()> {
    let json = serde_json::to_string(&permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>())
        .map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO enterprise_members (enterprise_id, user_id, permissions, created_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (enterprise_id, user_id) DO UPDATE SET permissions = excluded.permissions",
        params![enterprise_id, user_id, json, now_ms],
    )?;
    Ok(())
}

/// The enterprises `user_id` belongs to, oldest first.
pub fn list_for_user(conn: &Connection, user_id: &str) -> Result<Vec<Membership>> {
    // Built once: every `GET /user/me` runs it.
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        format!(
            "SELECT {COLUMNS}, m.permissions FROM enterprise_members m
             JOIN enterprises e ON e.id = m.enterprise_id
             WHERE m.user_id = ?1 ORDER BY e.id"
        )
    });
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([user_id], |r| {
        Ok((enterprise_from(r)?, r.get::<_, String>(7)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (enterprise, perms) = row?;
        out.push(Membership {
            enterprise,
            permissions: parse_permissions(&perms)?,
        });
    }
    Ok(out)
}

/// `user_id`'s permissions on `enterprise_id`, if a member.
pub fn permissions_of(
    conn: &Connection,
    enterprise_id: &str,
    user_id: &str,
) -> Result<Option<Vec<EnterprisePermission>>> {
    let json: Option<String> = conn
        .prepare_cached(
            "SELECT permissions FROM enterprise_members WHERE enterprise_id = ?1 AND user_id = ?2",
        )?
        .query_row([enterprise_id, user_id], |r| r.get(0))
        .optional()?;
    json.map(|j| parse_permissions(&j)).transpose()
}

/// Sets the enterprise's `kycState`.
pub fn set_kyc_state(conn: &Connection, enterprise_id: &str, kyc_state: &str) -> Result<()> {
    conn.execute(
        "UPDATE enterprises SET kyc_state = ?2 WHERE id = ?1",
        params![enterprise_id, kyc_state],
    )?;
    Ok(())
}
