//! Child enterprises: the enterprises an organization creates for its end users
//! (`businessModel` `cryptoAsAServiceChild`), listed with BitGo's filters.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde_json::Value;

use crate::domain::error::{Error, Result};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::store::enterprises::{self, enterprise_from, EnterpriseRow, COLUMNS};
use crate::store::organizations;

/// The business model of a child enterprise.
pub const CHILD: &str = "cryptoAsAServiceChild";
/// A child enterprise's `kycState` before any KYC was submitted.
pub const UNVERIFIED: &str = "unverified";

/// What to create.
#[derive(Debug, Clone)]
pub struct NewChild {
    /// The organization.
    pub organization_id: String,
    /// The new enterprise's id.
    pub enterprise_id: String,
    /// Its name (BitGo names a child enterprise after its end user's email).
    pub name: String,
    /// `individual` (KYC) or `entity` (KYB).
    pub account_type: String,
    /// `thirdPartyIdentifier`, as JSON, if sent.
    pub third_party_identifiers: Option<Value>,
    /// The end user (primary contact), made an admin of the enterprise and, if not yet in the
    /// organization, a `customer` of it.
    pub end_user_id: String,
    /// Further admins (`additionalAdmins`, normally the service user).
    pub additional_admins: Vec<String>,
    /// Now, ms.
    pub now_ms: i64,
}

/// Creates the child enterprise and its memberships.
pub fn insert(conn: &Connection, c: &NewChild) -> Result<()> {
    enterprises::insert(
        conn,
        &EnterpriseRow {
            id: c.enterprise_id.clone(),
            name: c.name.clone(),
            organization_id: Some(c.organization_id.clone()),
            business_model: CHILD.into(),
            account_type: c.account_type.clone(),
            kyc_state: UNVERIFIED.into(),
            created_at: c.now_ms,
        },
    )?;
    let identifiers = c
        .third_party_identifiers
        .as_ref()
        .map(|v| serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string())))
        .transpose()?;
    conn.execute(
        "UPDATE enterprises SET third_party_identifiers = ?2, primary_contact_id = ?3 WHERE id = ?1",
        params![c.enterprise_id, identifiers, c.end_user_id],
    )?;
    let admin = [EnterprisePermission::Admin];
    enterprises::upsert_member(conn, &c.enterprise_id, &c.end_user_id, &admin, c.now_ms)?;
    for user in &c.additional_admins {
        enterprises::upsert_member(conn, &c.enterprise_id, user, &admin, c.now_ms)?;
    }
    organizations::add_member_if_absent(
        conn,
        &c.organization_id,
        &c.end_user_id,
        OrgRole::Customer,
        c.now_ms,
    )?;
    Ok(())
}

/// The `thirdPartyIdentifier` list and primary contact of an enterprise.
pub fn details(conn: &Connection, enterprise_id: &str) -> Result<(Option<Value>, Option<String>)> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT third_party_identifiers, primary_contact_id FROM enterprises WHERE id = ?1",
        )?
        .query_row([enterprise_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((identifiers, contact)) = row else {
        return Ok((None, None));
    };
    let identifiers = identifiers
        .map(|j| serde_json::from_str(&j).map_err(|e| Error::Internal(e.to_string())))
        .transpose()?;
    Ok((identifiers, contact))
}

/// The list filters of `GET /api/v2/organization/{id}/enterprise`.
#[derive(Debug, Clone, Default)]
pub struct ChildFilter {
    /// Only ids after this one.
    pub prev_id: Option<String>,
    /// The enterprise with this id, or whose name (the end user's email) contains this.
    pub search: Option<String>,
    /// Only these `kycState`s (any of them).
    pub kyc_states: Vec<String>,
    /// Only this `accountType`.
    pub account_type: Option<String>,
    /// Only this `businessModel`.
    pub business_model: Option<String>,
    /// Only the enterprise created with this idempotency key.
    pub idempotency_key: Option<String>,
}

/// The organization's enterprises matching `filter`, by id, at most `limit`.
pub fn list(
    conn: &Connection,
    organization_id: &str,
    filter: &ChildFilter,
    limit: usize,
) -> Result<Vec<EnterpriseRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM enterprises e WHERE e.organization_id = ?1");
    let mut args: Vec<String> = vec![organization_id.to_string()];
    let bind = |args: &mut Vec<String>, value: &str| {
        args.push(value.to_string());
        format!("?{}", args.len())
    };
    if let Some(prev) = &filter.prev_id {
        let p = bind(&mut args, prev);
        sql.push_str(&format!(" AND e.id > {p}"));
    }
    if let Some(search) = &filter.search {
        let p = bind(&mut args, &search.to_lowercase());
        sql.push_str(&format!(
            " AND (e.id = {p} OR instr(lower(e.name), {p}) > 0)"
        ));
    }
    if !filter.kyc_states.is_empty() {
        let marks: Vec<String> = filter
            .kyc_states
            .iter()
            .map(|s| bind(&mut args, s))
            .collect();
        sql.push_str(&format!(" AND e.kyc_state IN ({})", marks.join(", ")));
    }
    if let Some(t) = &filter.account_type {
        let p = bind(&mut args, t);
        sql.push_str(&format!(" AND e.account_type = {p}"));
    }
    if let Some(m) = &filter.business_model {
        let p = bind(&mut args, m);
        sql.push_str(&format!(" AND e.business_model = {p}"));
    }
    if let Some(k) = &filter.idempotency_key {
        let p = bind(&mut args, k);
        sql.push_str(&format!(
            " AND e.id IN (SELECT enterprise_id FROM idempotency_keys
                           WHERE organization_id = ?1 AND idempotency_key = {p})"
        ));
    }
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let l = bind(&mut args, &limit.to_string());
    sql.push_str(&format!(" ORDER BY e.id LIMIT CAST({l} AS INTEGER)"));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), enterprise_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
