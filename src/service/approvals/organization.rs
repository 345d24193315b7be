//! Organization role changes: checked against the organization as it is, applied at once, or
//! held for another organization admin as BitGo's `updateOrganizationRequest` pending
//! approval. Everything here runs inside the caller's one write transaction.

use rusqlite::Connection;
use serde_json::json;

use crate::domain::error::{Error, Result};
use crate::domain::organization::{
    check_removal, check_role_assignment, RoleChange, UPDATE_ORGANIZATION_REQUEST,
};
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::service::webhooks;
use crate::store::approvals::{self, ApprovalRow};
use crate::store::{enterprises, organizations};

/// Whether `change` can apply to the organization as it is now (checked when asked for, and
/// again when approved, since the organization may have changed in between).
pub fn check(conn: &Connection, org_id: &str, change: &RoleChange) -> Result<()> {
    let members = organizations::members(conn, org_id)?;
    match change.role {
        None => check_removal(&members, &change.user_id),
        Some(role) => {
            if !members.iter().any(|m| m.user_id == change.user_id) {
                return Err(Error::NotFound(format!(
                    "user {} is not a member of this organization",
                    change.user_id
                )));
            }
            check_assignment(conn, org_id, &change.user_id, role)
        }
    }
}

/// Whether `user_id` (a member or not yet) may be given `role`: the organization rules, with
/// the user's permissions on the parent enterprise.
pub fn check_assignment(
    conn: &Connection,
    org_id: &str,
    user_id: &str,
    role: OrgRole,
) -> Result<()> {
    let permissions = match organizations::parent_enterprise_id(conn, org_id)? {
        Some(p) => enterprises::permissions_of(conn, &p, user_id)?,
        None => None,
    };
    let members = organizations::members(conn, org_id)?;
    check_role_assignment(&members, user_id, role, permissions.as_deref())
}

/// Checks `change` again and writes it.
pub fn apply(conn: &Connection, org_id: &str, change: &RoleChange, now_ms: i64) -> Result<()> {
    check(conn, org_id, change)?;
    match change.role {
        Some(role) => organizations::upsert_member(conn, org_id, &change.user_id, role, now_ms),
        None => organizations::remove_member(conn, org_id, &change.user_id).map(|_| ()),
    }
}

/// Opens the pending approval that holds `change` for another organization admin; it lists
/// the organization's admins (and its creator).
pub fn hold(
    conn: &Connection,
    org_id: &str,
    change: &RoleChange,
    creator_id: &str,
    now_ms: i64,
) -> Result<ApprovalRow> {
    let mut user_ids: Vec<String> = organizations::members(conn, org_id)?
        .into_iter()
        .filter(|m| m.role == OrgRole::Admin || m.user_id == creator_id)
        .map(|m| m.user_id)
        .collect();
    user_ids.sort();
    let mut request = json!({
        "action": change.action(),
        "email": change.email,
        "userId": change.user_id,
    });
    if let Some(role) = change.role {
        request["role"] = role.as_str().into();
    }
    let row = ApprovalRow {
        organization_id: Some(org_id.to_string()),
        ..ApprovalRow::pending(
            UPDATE_ORGANIZATION_REQUEST,
            "organization",
            creator_id,
            json!({"type": UPDATE_ORGANIZATION_REQUEST, UPDATE_ORGANIZATION_REQUEST: request}),
            serde_json::to_value(change).map_err(|e| Error::Internal(e.to_string()))?,
            user_ids,
            now_ms,
        )
    };
    approvals::insert(conn, &row)?;
    webhooks::report_approval(conn, &row, row.created_at)?;
    Ok(row)
}

fn stored(a: &ApprovalRow) -> Result<(&str, RoleChange)> {
    let org_id = a
        .organization_id
        .as_deref()
        .ok_or_else(|| Error::Internal(format!("approval {} has no organization", a.id)))?;
    let change = serde_json::from_value(a.change.clone())
        .map_err(|e| Error::Internal(format!("approval {} change: {e}", a.id)))?;
    Ok((org_id, change))
}

/// Whether `actor` may resolve the held role change `a` (`domain::policy` decides).
pub fn check_resolver(
    conn: &Connection,
    a: &ApprovalRow,
    actor_id: &str,
    approving: bool,
) -> Result<()> {
    let (org_id, change) = stored(a)?;
    policy::may_resolve_organization_change(
        actor_id,
        &a.creator_id,
        &change.user_id,
        organizations::role_of(conn, org_id, actor_id)?,
        approving,
    )
}

/// Applies the approved role change `a`.
pub fn apply_approved(conn: &Connection, a: &ApprovalRow, now_ms: i64) -> Result<()> {
    let (org_id, change) = stored(a)?;
    apply(conn, org_id, &change, now_ms)
}
