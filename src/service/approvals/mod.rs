//! Submitting an enterprise change (a pending approval when another admin could approve it,
//! otherwise applied at once) and applying one, with its mail to the outbox. Everything here
//! runs inside the caller's one write transaction.

pub mod organization;
pub mod policy_rules;
pub mod resolve;

use rusqlite::Connection;

use crate::domain::approval::{self, ApprovalState};
use crate::domain::enterprise_change::{
    admins_after, check_keeps_an_admin, info_of, EnterpriseChange,
};
use crate::domain::error::{Error, Result};
use crate::domain::ids::{new_id, random_hex};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::service::webhooks;
use crate::store::approvals::{self, ApprovalRow};
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::invitations::{self, InvitationTarget};
use crate::store::outbox::{self, OutboxRow};
use crate::store::{enterprise_users, organizations, users};

/// Who asks, when, and where links in mail should point.
pub struct Context<'a> {
    /// The enterprise changed.
    pub enterprise: &'a EnterpriseRow,
    /// The admin asking (or approving).
    pub actor_id: &'a str,
    /// The sandbox's now, ms.
    pub now_ms: i64,
    /// `scheme://host` of the request, for accept links.
    pub base_url: &'a str,
}

/// What became of submitted changes.
pub enum Submitted {
    /// Applied at once (no other admin could approve).
    Applied,
    /// Waiting for approval, one approval per change.
    Pending(Vec<ApprovalRow>),
}

/// Checks each change against the enterprise as it is now, then either opens a pending
/// approval per change (when another admin exists) or applies them all.
pub fn submit(
    conn: &Connection,
    ctx: &Context<'_>,
    changes: Vec<EnterpriseChange>,
) -> Result<Submitted> {
    let enterprise_id = ctx.enterprise.id.as_str();
    for change in &changes {
        check(conn, enterprise_id, change)?;
    }
    let admins = enterprise_users::admin_ids(conn, enterprise_id)?;
    let others = admins.iter().filter(|a| a.as_str() != ctx.actor_id).count();
    if !approval::needs_approval(others) {
        for change in &changes {
            apply(conn, ctx, change)?;
        }
        return Ok(Submitted::Applied);
    }
    let setting = enterprise_users::approvals_required(conn, enterprise_id)?.unwrap_or(1);
    let required = approval::approvals_required_for(setting, others);
    let mut user_ids = admins;
    if !user_ids.iter().any(|u| u == ctx.actor_id) {
        user_ids.push(ctx.actor_id.to_string());
    }
    user_ids.sort();
    let mut opened = Vec::with_capacity(changes.len());
    for change in changes {
        let row = ApprovalRow {
            id: new_id(ctx.now_ms),
            enterprise_id: Some(enterprise_id.to_string()),
            organization_id: ctx.enterprise.organization_id.clone(),
            wallet_id: None,
            coin: None,
            creator_id: ctx.actor_id.to_string(),
            scope: "enterprise".into(),
            kind: change.info_type().into(),
            info: info_of(&change),
            change: serde_json::to_value(&change).map_err(|e| Error::Internal(e.to_string()))?,
            state: ApprovalState::Pending,
            approvals_required: required,
            user_ids: user_ids.clone(),
            created_at: ctx.now_ms,
            updated_at: ctx.now_ms,
            resolved_at: None,
        };
        approvals::insert(conn, &row)?;
        webhooks::report_approval(conn, &row, row.created_at)?;
        opened.push(row);
    }
    Ok(Submitted::Pending(opened))
}

/// Whether `change` can apply to the enterprise as it is now (checked when asked for, and
/// again when approved, since the enterprise may have changed in between).
fn check(conn: &Connection, enterprise_id: &str, change: &EnterpriseChange) -> Result<()> {
    let admins = enterprise_users::admin_ids(conn, enterprise_id)?;
    let target_is_admin_after = change.permissions()?.contains(&EnterprisePermission::Admin);
    match change {
        EnterpriseChange::AddUser { email, .. } => {
            if let Some(user) = users::find_by_username(conn, email)? {
                if enterprises::permissions_of(conn, enterprise_id, &user.id)?.is_some() {
                    return Err(Error::Invalid(format!(
                        "{email} is already a member of this enterprise; change their role with \
                         PUT /api/v2/enterprise/{enterprise_id}/user?userId=...&role=..."
                    )));
                }
            }
        }
        EnterpriseChange::RemoveUser { user_id, email }
        | EnterpriseChange::UpdateUser { user_id, email, .. } => {
            if enterprises::permissions_of(conn, enterprise_id, user_id)?.is_none() {
                return Err(Error::Invalid(format!(
                    "{email} is not a member of this enterprise"
                )));
            }
        }
        EnterpriseChange::SetApprovalsRequired { requested } => {
            approval::check_approvals_required(i64::from(*requested), admins.len())?;
        }
    }
    check_keeps_an_admin(admins_after(change, &admins, target_is_admin_after))
}

/// Applies one change now, with its mail.
pub fn apply(conn: &Connection, ctx: &Context<'_>, change: &EnterpriseChange) -> Result<()> {
    let enterprise_id = ctx.enterprise.id.as_str();
    check(conn, enterprise_id, change)?;
    let name = ctx.enterprise.name.as_str();
    match change {
        EnterpriseChange::AddUser {
            email,
            video_id_user,
            organization_id,
            ..
        } => add_user(
            conn,
            ctx,
            change,
            email,
            *video_id_user,
            organization_id.as_deref(),
        ),
        EnterpriseChange::RemoveUser { user_id, email } => {
            enterprise_users::remove(conn, enterprise_id, user_id)?;
            mail(
                conn,
                ctx,
                "notification",
                email,
                &format!("You have been removed from {name} on BitGo"),
                &format!("You are no longer a member of the enterprise {name}."),
                None,
            )
        }
        EnterpriseChange::UpdateUser { user_id, email, .. } => {
            let permissions = change.permissions()?;
            enterprises::upsert_member(conn, enterprise_id, user_id, &permissions, ctx.now_ms)?;
            mail(
                conn,
                ctx,
                "notification",
                email,
                &format!("Your role in {name} on BitGo has changed"),
                &format!(
                    "Your role in the enterprise {name} is now {}.",
                    names(&permissions)
                ),
                None,
            )
        }
        EnterpriseChange::SetApprovalsRequired { requested } => {
            enterprise_users::set_approvals_required(conn, enterprise_id, *requested)
        }
    }
}

/// Applies an `AddUser` change: invites (or finds) the user, makes them a member with the
/// change's permissions (and a video approver, and an organization customer, if asked), and
/// mails them.
fn add_user(
    conn: &Connection,
    ctx: &Context<'_>,
    change: &EnterpriseChange,
    email: &str,
    video_id_user: bool,
    organization_id: Option<&str>,
) -> Result<()> {
    let (enterprise_id, name) = (ctx.enterprise.id.as_str(), ctx.enterprise.name.as_str());
    let permissions = change.permissions()?;
    let target = InvitationTarget {
        enterprise_id: Some(enterprise_id.to_string()),
        organization_id: None,
        invited_by: Some(ctx.actor_id.to_string()),
    };
    let invited = invitations::invite(conn, email, &target, &random_hex(32), ctx.now_ms)?;
    enterprises::upsert_member(
        conn,
        enterprise_id,
        &invited.user_id,
        &permissions,
        ctx.now_ms,
    )?;
    if video_id_user {
        enterprise_users::set_video_id_user(conn, enterprise_id, &invited.user_id, true)?;
    }
    if let Some(org) = organization_id {
        organizations::add_member_if_absent(
            conn,
            org,
            &invited.user_id,
            OrgRole::Customer,
            ctx.now_ms,
        )?;
    }
    let roles = names(&permissions);
    match invited.token {
        Some(token) => {
            let link = format!("{}/sandbox/invitations/{token}", ctx.base_url);
            mail(
                conn,
                ctx,
                "invitation",
                email,
                &format!("You have been invited to join {name} on BitGo"),
                &format!(
                    "You have been invited to join the enterprise {name} as {roles}.\n\n\
                     Set your password to accept: {link}\n\n\
                     Then log in with POST /api/v2/user/login as {email}."
                ),
                Some(link.clone()),
            )
        }
        None => mail(
            conn,
            ctx,
            "notification",
            email,
            &format!("You have been added to {name} on BitGo"),
            &format!("You have been added to the enterprise {name} as {roles}."),
            None,
        ),
    }
}

fn names(permissions: &[EnterprisePermission]) -> String {
    permissions
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn mail(
    conn: &Connection,
    ctx: &Context<'_>,
    kind: &str,
    to: &str,
    subject: &str,
    body: &str,
    link: Option<String>,
) -> Result<()> {
    outbox::insert(
        conn,
        &OutboxRow {
            id: new_id(ctx.now_ms),
            source: "bitgo".into(),
            kind: kind.into(),
            recipient: to.to_lowercase(),
            subject: subject.into(),
            body: body.into(),
            link,
            created_at: ctx.now_ms,
        },
    )
}
