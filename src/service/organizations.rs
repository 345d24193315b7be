//! What an organization's admins do to its child enterprises, inside the caller's one write:
//! create one for an end user (idempotent by key, the end user invited or notified through
//! the outbox), and add an existing user to one (an enterprise change like any other).

use rusqlite::Connection;
use serde_json::Value;

use crate::domain::enterprise_change::EnterpriseChange;
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::organization::check_additional_admin;
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::service::approvals::{self, Context, Submitted};
use crate::store::child_enterprises::{self, NewChild};
use crate::store::idempotency::{self, IdempotencyRow};
use crate::store::invitations::{self, InvitationTarget};
use crate::store::outbox::{self, OutboxRow};
use crate::store::{enterprises, organizations, users};

/// An organization admin at work: who, in which organization, when, and where links in mail
/// should point.
#[derive(Debug, Clone, Copy)]
pub struct OrgCaller<'a> {
    /// The organization.
    pub org_id: &'a str,
    /// The caller's user id.
    pub user_id: &'a str,
    /// The sandbox's now, ms.
    pub now_ms: i64,
    /// `scheme://host` of the request, for accept links.
    pub base_url: &'a str,
}

/// The caller's role in `org_id`, or `None` when the organization does not exist or the
/// caller is not in it (both look the same from outside: a 404).
pub fn caller_role(conn: &Connection, org_id: &str, caller: &str) -> Result<Option<OrgRole>> {
    match organizations::find_by_id(conn, org_id)? {
        Some(_) => organizations::role_of(conn, org_id, caller),
        None => Ok(None),
    }
}

/// A child enterprise asked for, its fields checked and in canonical form.
#[derive(Debug, Clone)]
pub struct ChildRequest {
    /// The end user's email, lowercased.
    pub email: String,
    /// The caller's key: a repeat of the same request returns the first one's ids.
    pub idempotency_key: String,
    /// Further organization admins of the child, sorted and without repeats.
    pub additional_admins: Vec<String>,
    /// `individual` or `entity`.
    pub account_type: String,
    /// BitGo's `isCaaS`.
    pub is_caas: bool,
    /// `[{id, label}]` as sent, if any.
    pub third_party_identifier: Option<Value>,
}

/// The ids of a child enterprise and its end user.
#[derive(Debug, Clone)]
pub struct CreatedChild {
    /// The child enterprise.
    pub enterprise_id: String,
    /// Its end user.
    pub user_id: String,
}

/// Creates the child enterprise `request` asks for, with its end user invited (`token` is the
/// invitation's, if the user is new). A repeat of the key with the same `digest` returns the
/// first call's ids; with another digest it is a 409.
pub fn create_child(
    conn: &Connection,
    who: &OrgCaller<'_>,
    request: &ChildRequest,
    digest: &str,
    token: &str,
) -> Result<CreatedChild> {
    let (org_id, now) = (who.org_id, who.now_ms);
    policy::may_manage_organization(caller_role(conn, org_id, who.user_id)?, org_id)?;
    if let Some(seen) = idempotency::find(conn, org_id, &request.idempotency_key)? {
        if seen.body_digest == digest {
            return Ok(CreatedChild {
                enterprise_id: seen.enterprise_id,
                user_id: seen.user_id,
            });
        }
        return Err(Error::Conflict(format!(
            "idempotencyKey {:?} was already used with a different request in this organization",
            request.idempotency_key
        )));
    }
    for admin in &request.additional_admins {
        check_additional_admin(organizations::role_of(conn, org_id, admin)?, admin)?;
    }
    let org = organizations::find_by_id(conn, org_id)?
        .ok_or_else(|| Error::NotFound(format!("organization {org_id} not found")))?;
    let target = InvitationTarget {
        enterprise_id: None,
        organization_id: Some(org_id.to_string()),
        invited_by: Some(who.user_id.to_string()),
    };
    let invited = invitations::invite(conn, &request.email, &target, token, now)?;
    let enterprise_id = new_id(now);
    child_enterprises::insert(
        conn,
        &NewChild {
            organization_id: org_id.to_string(),
            enterprise_id: enterprise_id.clone(),
            name: request.email.clone(),
            account_type: request.account_type.clone(),
            third_party_identifiers: request.third_party_identifier.clone(),
            end_user_id: invited.user_id.clone(),
            additional_admins: request
                .additional_admins
                .iter()
                .filter(|a| **a != invited.user_id)
                .cloned()
                .collect(),
            now_ms: now,
        },
    )?;
    let mail = welcome_mail(&org.name, &request.email, invited.token.as_deref(), who);
    outbox::insert(conn, &mail)?;
    idempotency::insert(
        conn,
        &IdempotencyRow {
            organization_id: org_id.to_string(),
            key: request.idempotency_key.clone(),
            body_digest: digest.to_string(),
            enterprise_id: enterprise_id.clone(),
            user_id: invited.user_id.clone(),
            created_by: Some(who.user_id.to_string()),
            created_at: now,
        },
    )?;
    Ok(CreatedChild {
        enterprise_id,
        user_id: invited.user_id,
    })
}

/// The mail the end user gets: an invitation with an accept link when the account is new, a
/// notification when it already existed.
fn welcome_mail(
    org_name: &str,
    email: &str,
    token: Option<&str>,
    who: &OrgCaller<'_>,
) -> OutboxRow {
    let (kind, subject, body, link) = match token {
        Some(token) => {
            let link = format!("{}/sandbox/invitations/{token}", who.base_url);
            (
                "invitation",
                format!("{org_name} invited you to BitGo"),
                format!(
                    "{org_name} created a BitGo account for you. Set your password to accept the \
                     invitation: {link}"
                ),
                Some(link),
            )
        }
        None => (
            "notification",
            format!("{org_name} added you to a new enterprise"),
            format!("{org_name} created an enterprise for you on BitGo; log in to see it."),
            None,
        ),
    };
    OutboxRow {
        id: new_id(who.now_ms),
        source: "bitgo".into(),
        kind: kind.into(),
        recipient: email.to_string(),
        subject,
        body,
        link,
        created_at: who.now_ms,
    }
}

/// Adds the existing user `email` to child enterprise `enterprise_id` of the organization
/// with `permissions` (as a `customer` of the organization if not in it yet), through the
/// enterprise approval flow. Returns the user's id and what became of the change.
pub fn add_child_user(
    conn: &Connection,
    who: &OrgCaller<'_>,
    enterprise_id: &str,
    email: &str,
    permissions: Vec<String>,
) -> Result<(String, Submitted)> {
    let org_id = who.org_id;
    policy::may_manage_organization(caller_role(conn, org_id, who.user_id)?, org_id)?;
    let enterprise = enterprises::find_by_id(conn, enterprise_id)?
        .filter(|e| e.organization_id.as_deref() == Some(org_id))
        .ok_or_else(|| {
            Error::NotFound(format!(
                "enterprise {enterprise_id} not found in organization {org_id}"
            ))
        })?;
    let user = users::find_by_username(conn, email)?.ok_or_else(|| {
        Error::NotFound(format!("no user with email {email}: the user must exist"))
    })?;
    let change = EnterpriseChange::AddUser {
        email: user.username,
        user_id: Some(user.id.clone()),
        permissions,
        video_id_user: false,
        organization_id: Some(org_id.to_string()),
    };
    let ctx = Context {
        enterprise: &enterprise,
        actor_id: who.user_id,
        now_ms: who.now_ms,
        base_url: who.base_url,
    };
    Ok((user.id, approvals::submit(conn, &ctx, vec![change])?))
}
