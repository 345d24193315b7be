//! KYC identities of child enterprises' users: submitted and patched by the organization's
//! service user or admins, moved on by the sandbox clock (what it has decided is written back,
//! with the enterprises' `kycState`, before a read shows it), and decided now by the control
//! plane.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::config::KycConfig;
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_uuid;
use crate::domain::kyc::{self, Outcome, Schedule, Submission};
use crate::domain::policy;
use crate::store::child_enterprises::CHILD;
use crate::store::enterprises;
use crate::store::kyc::{self as identities, IdentityFilter, IdentityRow};
use crate::store::organizations;
use crate::store::Store;

/// Opens an identity for `s` on behalf of `caller` (the organization's service user or an
/// admin): the enterprise must be a child of the organization with the user in it, and the
/// user must have no identity that is not declined. Its schedule runs on `delays` from now.
pub fn submit(
    conn: &Connection,
    s: Submission,
    caller: &str,
    delays: &KycConfig,
    now: i64,
) -> Result<IdentityRow> {
    let role = match organizations::find_by_id(conn, &s.organization_id)? {
        Some(_) => organizations::role_of(conn, &s.organization_id, caller)?,
        None => None,
    };
    policy::may_submit_kyc(role, &s.organization_id)?;
    check_child_with_user(conn, &s)?;
    if let Some(open) = open_identity(conn, &s, now)? {
        return Err(Error::Conflict(format!(
            "user {} already has identity {} ({}); update it with PATCH \
             /api/evs/v1/identity/{}",
            s.user_id,
            open.id,
            open.schedule.status_at(now),
            open.id
        )));
    }
    let schedule = Schedule::starting(
        now,
        delays.review_after_seconds.saturating_mul(1000),
        delays.decision_after_seconds.saturating_mul(1000),
        s.outcome,
    );
    let identity = IdentityRow {
        id: new_uuid(),
        organization_id: s.organization_id,
        enterprise_id: s.enterprise_id,
        user_id: s.user_id,
        transaction_type: s.transaction_type,
        fields: s.fields,
        status: schedule.status_at(now).to_string(),
        error_description: None,
        schedule,
        created_by: Some(caller.to_string()),
        created_at: now,
        updated_at: now,
    };
    identities::insert(conn, &identity)?;
    identities::write_status(conn, &identity, now)?;
    Ok(identity)
}

/// Whether `s` names a child enterprise of its organization with `s.user_id` among its users.
fn check_child_with_user(conn: &Connection, s: &Submission) -> Result<()> {
    let enterprise = enterprises::find_by_id(conn, &s.enterprise_id)?
        .filter(|e| {
            e.organization_id.as_deref() == Some(s.organization_id.as_str())
                && e.business_model == CHILD
        })
        .ok_or_else(|| {
            Error::NotFound(format!(
                "enterpriseId: {} is not a child enterprise of organization {}",
                s.enterprise_id, s.organization_id
            ))
        })?;
    if enterprises::permissions_of(conn, &enterprise.id, &s.user_id)?.is_none() {
        return Err(Error::Invalid(format!(
            "invalid userId: {} is not a user of enterprise {}",
            s.user_id, enterprise.id
        )));
    }
    Ok(())
}

/// The user's identity in that enterprise that is not declined, if any.
fn open_identity(conn: &Connection, s: &Submission, now: i64) -> Result<Option<IdentityRow>> {
    let existing = identities::list(
        conn,
        std::slice::from_ref(&s.organization_id),
        &IdentityFilter {
            enterprise_id: Some(s.enterprise_id.clone()),
            user_id: Some(s.user_id.clone()),
            ..IdentityFilter::default()
        },
    )?;
    Ok(existing
        .into_iter()
        .find(|i| i.schedule.status_at(now) != kyc::DECLINED))
}

/// Merges `patch` (checked fields) into undecided identity `identity_id` on behalf of
/// `caller`; `debugStatus` changes how it will end. Its ids cannot change; someone who may not
/// submit for its organization gets the same 404 as a missing identity.
pub fn patch(
    conn: &Connection,
    identity_id: &str,
    patch: Map<String, Value>,
    caller: &str,
    now: i64,
) -> Result<IdentityRow> {
    let not_found = || Error::NotFound(format!("identity {identity_id} not found"));
    let mut identity = identities::find_by_id(conn, identity_id)?.ok_or_else(not_found)?;
    let role = organizations::role_of(conn, &identity.organization_id, caller)?;
    policy::may_submit_kyc(role, &identity.organization_id).map_err(|e| match e {
        Error::NotFound(_) => not_found(),
        other => other,
    })?;
    let status = identity.schedule.status_at(now);
    if kyc::is_decided(status) {
        return Err(Error::Conflict(format!(
            "identity {identity_id} is already {status} and can no longer be updated"
        )));
    }
    for (field, current) in [
        ("organizationId", &identity.organization_id),
        ("enterpriseId", &identity.enterprise_id),
        ("userId", &identity.user_id),
    ] {
        if let Some(sent) = patch.get(field) {
            if sent.as_str() != Some(current.as_str()) {
                return Err(Error::Invalid(format!(
                    "invalid {field}: it cannot be changed on an identity"
                )));
            }
        }
    }
    if let Some(debug) = patch.get("debugStatus") {
        identity.schedule.outcome = Outcome::from_debug_status(debug.as_str())?;
    }
    identity.fields.extend(patch);
    identity.updated_at = now;
    identities::update(conn, &identity)?;
    Ok(identity)
}

/// Writes back the KYC statuses the sandbox clock has moved on by `now_ms` (and the
/// enterprises' `kycState`), so a read sees them. Takes the writer only when something is due.
pub async fn settle(store: &Store, now_ms: i64) -> Result<()> {
    if store
        .read(move |conn| identities::has_due(conn, now_ms))
        .await?
    {
        store
            .write(move |conn| identities::advance_due(conn, now_ms))
            .await?;
    }
    Ok(())
}

/// Decides identity `identity_id` at `now_ms` with `outcome` instead of waiting for the clock;
/// deciding it again the same way changes nothing, the other way is a conflict.
pub fn complete(
    conn: &Connection,
    identity_id: &str,
    outcome: Outcome,
    now_ms: i64,
) -> Result<IdentityRow> {
    let mut identity = identities::find_by_id(conn, identity_id)?
        .ok_or_else(|| Error::NotFound(format!("identity {identity_id} not found")))?;
    let current = identity.schedule.status_at(now_ms);
    if kyc::is_decided(current) {
        if current == outcome.as_str() {
            return Ok(identity);
        }
        return Err(Error::Conflict(format!(
            "identity {identity_id} is already {current}"
        )));
    }
    identity.schedule = identity.schedule.completed(now_ms, outcome);
    identity.updated_at = now_ms;
    identities::update(conn, &identity)?;
    identities::write_status(conn, &identity, now_ms)?;
    identities::find_by_id(conn, identity_id)?
        .ok_or_else(|| Error::Internal("identity vanished".into()))
}
