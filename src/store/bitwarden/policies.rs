//! Organization policies (one row per organization and type) and what they mean for one
//! user: the affiliations `domain::bitwarden::org_policies` judges joins by.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::bitwarden::org_policies::{Affiliation, SINGLE_ORG, TWO_FACTOR};
use crate::domain::error::Result;

use super::members::BwMember;

/// One policy row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BwPolicy {
    /// Lowercase GUID.
    pub id: String,
    /// Organization.
    pub organization_id: String,
    /// `PolicyType` number.
    pub policy_type: i64,
    /// On or off.
    pub enabled: bool,
    /// Its data, JSON text.
    pub data: Option<String>,
    /// ms.
    pub created_at: i64,
    /// ms.
    pub revision_at: i64,
}

const COLUMNS: &str = "id, organization_id, type, enabled, data, created_at, revision_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BwPolicy> {
    Ok(BwPolicy {
        id: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
        organization_id: r.get(1)?,
        policy_type: r.get(2)?,
        enabled: r.get(3)?,
        data: r.get(4)?,
        created_at: r.get(5)?,
        revision_at: r.get(6)?,
    })
}

/// An organization's policy of one type, if ever saved.
pub fn find(conn: &Connection, org_id: &str, policy_type: i64) -> Result<Option<BwPolicy>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_policies WHERE organization_id = ?1 AND type = ?2"),
            params![org_id, policy_type],
            from_row,
        )
        .optional()?)
}

/// Every saved policy of an organization, by type.
pub fn list_for_org(conn: &Connection, org_id: &str) -> Result<Vec<BwPolicy>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bw_policies WHERE organization_id = ?1 ORDER BY type"
    ))?;
    let rows = stmt.query_map([org_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The types of an organization's enabled policies.
pub fn enabled_types(conn: &Connection, org_id: &str) -> Result<Vec<i64>> {
    Ok(list_for_org(conn, org_id)?
        .into_iter()
        .filter(|p| p.enabled)
        .map(|p| p.policy_type)
        .collect())
}

/// Creates or replaces a policy (its id and creation date stay once made).
pub fn upsert(conn: &Connection, p: &BwPolicy) -> Result<()> {
    conn.execute(
        "INSERT INTO bw_policies (id, organization_id, type, enabled, data, created_at, revision_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (organization_id, type) DO UPDATE SET enabled = ?4, data = ?5,
         revision_at = ?7, id = coalesce(bw_policies.id, ?1)",
        params![
            p.id,
            p.organization_id,
            p.policy_type,
            p.enabled,
            p.data,
            p.created_at,
            p.revision_at
        ],
    )?;
    Ok(())
}

/// Whether `org_id` has policy `policy_type` enabled.
pub fn is_enabled(conn: &Connection, org_id: &str, policy_type: i64) -> Result<bool> {
    Ok(find(conn, org_id, policy_type)?.is_some_and(|p| p.enabled))
}

/// A user's memberships (`user_id`'s rows, plus `target`, the row it is joining through),
/// each with whether its organization enforces the Single organization and two-step login
/// policies.
pub fn affiliations(
    conn: &Connection,
    user_id: Option<&str>,
    target: &BwMember,
) -> Result<Vec<Affiliation>> {
    let mut rows = match user_id {
        Some(u) => super::members::all_for_user(conn, u)?,
        None => Vec::new(),
    };
    if !rows.iter().any(|m| m.id == target.id) {
        rows.push(target.clone());
    }
    rows.iter().map(|m| affiliation(conn, m)).collect()
}

/// Every membership of `user_id`, as [`affiliations`] describes them.
pub fn user_affiliations(conn: &Connection, user_id: &str) -> Result<Vec<Affiliation>> {
    super::members::all_for_user(conn, user_id)?
        .iter()
        .map(|m| affiliation(conn, m))
        .collect()
}

fn affiliation(conn: &Connection, m: &BwMember) -> Result<Affiliation> {
    Ok(Affiliation {
        organization_id: m.organization_id.clone(),
        member_type: m.member_type,
        status: m.status,
        single_org: is_enabled(conn, &m.organization_id, SINGLE_ORG)?,
        two_factor: is_enabled(conn, &m.organization_id, TWO_FACTOR)?,
    })
}

/// The data of `org_id`'s enabled policy of `policy_type`, parsed (an empty object without).
pub fn enabled_data(
    conn: &Connection,
    org_id: &str,
    policy_type: i64,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>> {
    let Some(p) = find(conn, org_id, policy_type)?.filter(|p| p.enabled) else {
        return Ok(None);
    };
    let data = match p.data.as_deref() {
        Some(text) => serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| crate::domain::error::Error::Internal(format!("policy data: {e}")))?
            .as_object()
            .cloned()
            .unwrap_or_default(),
        None => serde_json::Map::new(),
    };
    Ok(Some(data))
}
