//! Resolving a pending approval: who may see it, who may approve or reject it (as
//! `domain::policy` says for its kind), and carrying out the change once the last needed
//! approval comes, all inside the caller's write transaction, so two admins approving at once
//! apply it exactly once.

use rusqlite::Connection;

use crate::domain::approval::{self, Decision, Outcome, Resolution};
use crate::domain::enterprise_change::EnterpriseChange;
use crate::domain::error::{Error, Result};
use crate::domain::organization::UPDATE_ORGANIZATION_REQUEST;
use crate::domain::policy;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::wallet_policy::POLICY_RULE_REQUEST;
use crate::service::approvals::{organization, policy_rules, Context};
use crate::service::webhooks;
use crate::service::withdrawals;
use crate::store::approvals::{self, ApprovalRow};
use crate::store::{enterprises, organizations};

/// Loads an approval the caller may see (outsiders get the same 404 as for a missing one).
pub fn load_visible(
    conn: &Connection,
    id: &str,
    viewer: &str,
) -> Result<(ApprovalRow, Option<Vec<EnterprisePermission>>)> {
    let a = approvals::find_by_id(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("pending approval {id} not found")))?;
    let membership = match &a.enterprise_id {
        Some(e) => enterprises::permissions_of(conn, e, viewer)?,
        None => None,
    };
    // An organization's held role and rule changes are also visible to whoever administers
    // it now.
    let org_admin = match (&a.organization_id, a.kind.as_str()) {
        (Some(o), UPDATE_ORGANIZATION_REQUEST | POLICY_RULE_REQUEST) => {
            organizations::role_of(conn, o, viewer)? == Some(OrgRole::Admin)
        }
        _ => false,
    };
    let listed = org_admin || a.user_ids.iter().any(|u| u == viewer);
    policy::may_view_approval(listed, membership.as_deref())
        .map_err(|_| Error::NotFound(format!("pending approval {id} not found")))?;
    Ok((a, membership))
}

/// `actor` approves or rejects approval `id` at `now_ms`; the last needed approval carries out
/// the change (a held withdrawal settles after `settle_after` seconds; mail links start with
/// `base`). Returns the approval as it now stands, with its resolutions.
pub fn resolve(
    conn: &Connection,
    id: &str,
    actor: &str,
    decision: Decision,
    now: i64,
    settle_after: i64,
    base: &str,
) -> Result<(ApprovalRow, Vec<Resolution>)> {
    let (a, membership) = load_visible(conn, id, actor)?;
    let resolutions = approvals::resolutions(conn, id)?;
    let approving = decision == Decision::Approve;
    let outcome = if a.kind == withdrawals::TRANSACTION_REQUEST {
        let approvers = withdrawals::approvers_of(&a)?;
        policy::may_resolve_video_approval(actor, &a.creator_id, &approvers, approving)?;
        approval::resolve_transaction(a.state, &resolutions, actor, decision)?
    } else {
        check_resolver(conn, &a, actor, membership.as_deref(), approving)?;
        approval::resolve(a.state, a.approvals_required, &resolutions, actor, decision)?
    };
    approvals::add_resolution(conn, id, actor, decision, now)?;
    if a.kind == withdrawals::TRANSACTION_REQUEST && outcome != Outcome::StillPending {
        withdrawals::apply_decision(conn, &a, outcome == Outcome::Approved, now, settle_after)?;
    } else if outcome == Outcome::Approved {
        apply_approved(conn, &a, now, base)?;
    }
    approvals::set_state(conn, id, outcome.state(a.state), now)?;
    let a = approvals::find_by_id(conn, id)?
        .ok_or_else(|| Error::Internal(format!("approval {id} vanished")))?;
    webhooks::report_approval(conn, &a, now)?;
    let resolutions = approvals::resolutions(conn, id)?;
    Ok((a, resolutions))
}

/// Whether `actor` may resolve `a` (any kind but a withdrawal), as `domain::policy` says for its
/// kind; `membership` is the actor's permissions on the approval's enterprise.
fn check_resolver(
    conn: &Connection,
    a: &ApprovalRow,
    actor: &str,
    membership: Option<&[EnterprisePermission]>,
    approving: bool,
) -> Result<()> {
    match a.kind.as_str() {
        UPDATE_ORGANIZATION_REQUEST => organization::check_resolver(conn, a, actor, approving),
        POLICY_RULE_REQUEST => policy_rules::check_resolver(conn, a, actor, approving),
        _ => policy::may_resolve_approval(actor, &a.creator_id, membership, approving),
    }
}

/// Carries out an approved change.
fn apply_approved(conn: &Connection, a: &ApprovalRow, now_ms: i64, base_url: &str) -> Result<()> {
    match a.kind.as_str() {
        UPDATE_ORGANIZATION_REQUEST => organization::apply_approved(conn, a, now_ms),
        POLICY_RULE_REQUEST => policy_rules::apply_approved(conn, a, now_ms),
        _ => apply_enterprise_change(conn, a, now_ms, base_url),
    }
}

/// Carries out an approved enterprise change (`updateEnterpriseRequest` and the like).
fn apply_enterprise_change(
    conn: &Connection,
    a: &ApprovalRow,
    now_ms: i64,
    base_url: &str,
) -> Result<()> {
    let change: EnterpriseChange = serde_json::from_value(a.change.clone())
        .map_err(|e| Error::Internal(format!("approval {} change: {e}", a.id)))?;
    let enterprise_id = a
        .enterprise_id
        .as_deref()
        .ok_or_else(|| Error::Internal(format!("approval {} has no enterprise", a.id)))?;
    let enterprise = enterprises::find_by_id(conn, enterprise_id)?
        .ok_or_else(|| Error::NotFound(format!("enterprise {enterprise_id} not found")))?;
    let ctx = Context {
        enterprise: &enterprise,
        actor_id: &a.creator_id,
        now_ms,
        base_url,
    };
    super::apply(conn, &ctx, &change)
}
