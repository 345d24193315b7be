//! Invitations (`POST /organizations/{orgId}/users/invite`, and the Public API's member
//! creation): 1 to 20 addresses, those already in the organization skipped without error,
//! seats found or added by autoscaling, each new membership mailed a link to the outbox; and
//! re-sending the link (`reinvite`, one or many).

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;

use super::invite_request::{read_invitation, Invitation};
use super::invite_token;
use super::{bulk_ids, path_ids, views};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::{jwt_key, BwCall, Caller};
use crate::bitwarden::collections::access::{all_in_org, Reach};
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::ids;
use crate::bitwarden::organizations::{gate, org_id};
use crate::bitwarden::views as wire;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::acceptance::INVITE_LIFETIME_MS;
use crate::domain::bitwarden::collections::Operation;
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::members::{check_custom_allowed, check_role_change, LAST_OWNER};
use crate::domain::bitwarden::plan::plan;
use crate::domain::bitwarden::policy::{Gate, Permission};
use crate::domain::bitwarden::role::{MemberStatus, MemberType};
use crate::domain::bitwarden::seats::{seats_for, SeatFacts, SeatRefusal};
use crate::store::bitwarden::collections;
use crate::store::bitwarden::groups;
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::outbox::{self, OutboxRow};

/// Everything an invitation needs besides what is invited.
pub struct InviteContext<'a> {
    /// The organization.
    pub org: &'a BwOrg,
    /// Who invites, and how the events name it.
    pub caller: &'a Caller,
    /// A member (role checks apply) or the Public API.
    pub public_api: bool,
    /// The sandbox's JWT key (invitation links are signed with it).
    pub key: &'a [u8],
    /// The server is self-hosted (it cannot autoscale).
    pub self_hosted: bool,
    /// ms.
    pub now: i64,
}

impl InviteContext<'_> {
    fn actor(&self) -> Actor<'_> {
        if self.public_api {
            Actor::PublicApi(self.caller)
        } else {
            Actor::User(self.caller)
        }
    }
}

/// Invites `inv` inside the caller's transaction and returns the memberships made (those
/// already in the organization are skipped): the server's `InviteUsersAsync`, checks in its order.
pub fn invite_many(
    c: &Connection,
    ctx: &InviteContext,
    inv: &Invitation,
) -> BwResult<Vec<BwMember>> {
    let org = ctx.org;
    if !ctx.public_api {
        let acting = ctx.caller.membership(&org.id);
        check_role_change(acting.as_ref(), inv.role, None, &inv.permissions)
            .map_err(|m| BwError::BadRequest(m.into()))?;
        check_custom_allowed(inv.role, org.features.use_custom_permissions)
            .map_err(|m| BwError::BadRequest(m.into()))?;
    }
    let known = members::known_emails(c, &org.id, &inv.emails)?;
    let wanted = inv.emails.len() as i64 - known.len() as i64;
    let (max_autoscale_seats, notified) = orgs::autoscale(c, &org.id)?;
    let p = plan(org.plan_type);
    let facts = SeatFacts {
        seats: org.seats,
        occupied: members::occupied_seats(c, &org.id)?,
        max_autoscale_seats,
        self_hosted: ctx.self_hosted,
        has_subscription: org.has_subscription,
        plan: p.as_ref(),
    };
    let seats = match seats_for(facts, wanted) {
        Err(SeatRefusal::CannotScale(m)) => return Err(BwError::BadRequest(m)),
        other => other,
    };
    let all_owners = inv.role == MemberType::Owner;
    if !all_owners && members::confirmed_owners_except(c, &org.id, &[])? == 0 {
        return Err(BwError::BadRequest(LAST_OWNER.into()));
    }
    let mut made = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for email in &inv.emails {
        if known.contains(email) || seen.contains(&email.as_str()) {
            continue;
        }
        seen.push(email);
        made.push(insert_invited(c, ctx, inv, email)?);
    }
    match seats {
        Err(SeatRefusal::Adjust(m)) => return Err(BwError::Aggregate(vec![m])),
        Err(SeatRefusal::CannotScale(_)) | Ok(None) => {}
        Ok(Some(total)) => autoscaled(c, org, total, notified, ctx.now)?,
    }
    for m in &made {
        send_invitation(c, org, m, ctx.key, ctx.now)?;
    }
    Ok(made)
}

/// One new invited membership, its access and its event.
fn insert_invited(
    c: &Connection,
    ctx: &InviteContext,
    inv: &Invitation,
    email: &str,
) -> BwResult<BwMember> {
    let mut m = BwMember::new(
        ids::new_guid(),
        &ctx.org.id,
        inv.role,
        MemberStatus::Invited,
        ctx.now,
    );
    m.email = Some(email.to_string());
    if inv.role == MemberType::Custom {
        m.permissions = inv.permissions.clone();
    }
    m.access_secrets_manager = inv.access_secrets_manager;
    m.external_id = inv.external_id.clone();
    members::insert(c, &m)?;
    collections::set_member_collections(c, &m.id, &inv.collections)?;
    groups::set_groups_of_member(c, &m.id, &inv.groups)?;
    event_log::record(
        c,
        ctx.org,
        ctx.actor(),
        Subject::Member(&m),
        types::MEMBER_INVITED,
        ctx.now,
    )?;
    Ok(m)
}

/// Seats were added: the new total, and (the first time) a mail to the owners.
fn autoscaled(c: &Connection, org: &BwOrg, total: i64, notified: bool, now: i64) -> BwResult<()> {
    orgs::set_seats(c, &org.id, total, (!notified).then_some(now))?;
    if notified {
        return Ok(());
    }
    for owner in members::list_for_org(c, &org.id)? {
        let confirmed_owner =
            owner.member_type == MemberType::Owner && owner.status == MemberStatus::Confirmed;
        let Some(uid) = owner.user_id.filter(|_| confirmed_owner) else {
            continue;
        };
        let Some(user) = crate::store::bitwarden::users::find(c, &uid)? else {
            continue;
        };
        mail(c, &user.email, "notification", &format!("{} Seat Count Has Increased", org.name),
            &format!("Your organization has reached its seat limit of {} and new seats have been added. Your organization now has {total} seats.", org.seats.unwrap_or_default()),
            None, now)?;
    }
    Ok(())
}

/// Puts one Bitwarden mail of `kind` in the outbox.
pub fn mail(
    c: &Connection,
    to: &str,
    kind: &str,
    subject: &str,
    body: &str,
    link: Option<String>,
    now: i64,
) -> BwResult<()> {
    outbox::insert(
        c,
        &OutboxRow {
            id: ids::new_guid().replace('-', ""),
            source: "bitwarden".into(),
            kind: kind.into(),
            recipient: to.to_string(),
            subject: subject.to_string(),
            body: body.to_string(),
            link,
            created_at: now,
        },
    )?;
    Ok(())
}

/// Mails the invitation link of membership `m` (a fresh token, good for five days).
pub fn send_invitation(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    key: &[u8],
    now: i64,
) -> BwResult<()> {
    let email = m.email.clone().unwrap_or_default();
    let token = invite_token::make(key, &m.id, &email, now + INVITE_LIFETIME_MS);
    let link = format!(
        "https://orgbox.localhost/#/accept-organization?organizationId={}&organizationUserId={}&email={}&token={}",
        org.id, m.id, email, token
    );
    let body = format!(
        "You have been invited to join the {} organization on Bitwarden.",
        org.name
    );
    mail(
        c,
        &email,
        "invitation",
        &format!("Join {}", org.name),
        &body,
        Some(link),
        now,
    )
}

fn self_hosted(call: &BwCall) -> bool {
    call.state.bitwarden.deployment == Deployment::SelfHosted
}

/// `POST /organizations/{orgId}/users/invite`: those who manage users (403 for anyone else);
/// collections only the inviter may grant (404 otherwise). 200 with an empty body.
pub async fn invite(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let inv = read_invitation(&Body::parse(&body, true)?)?;
    let key = jwt_key(&call.sandbox).await?;
    let (caller, now, hosted) = (call.caller.clone(), call.now_ms(), self_hosted(&call));
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, Gate::Permission(Permission::ManageUsers))?;
            if !inv.collections.is_empty() {
                let ids: Vec<&str> = inv.collections.iter().map(|a| a.id.as_str()).collect();
                let reach = Reach::load(c, &id, &caller)?;
                if !all_in_org(c, &id, &inv.collections)?
                    || !reach.allows(Operation::ModifyUserAccess, &ids)
                {
                    return Err(BwError::NotFound);
                }
            }
            let ctx = InviteContext {
                org: &org,
                caller: &caller,
                public_api: false,
                key: &key,
                self_hosted: hosted,
                now,
            };
            invite_many(c, &ctx, &inv)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// Re-sends one member's link: only an invited member of this organization (else `User invalid.`).
pub fn resend(
    c: &Connection,
    org: &BwOrg,
    m: Option<BwMember>,
    key: &[u8],
    now: i64,
) -> BwResult<()> {
    let m = m
        .filter(|m| m.status == MemberStatus::Invited && m.organization_id == org.id)
        .ok_or_else(|| BwError::BadRequest("User invalid.".into()))?;
    send_invitation(c, org, &m, key, now)
}

/// `POST /organizations/{orgId}/users/{id}/reinvite`: those who manage users.
pub async fn reinvite(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (id, member_id) = path_ids(path.into_inner())?;
    let key = jwt_key(&call.sandbox).await?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, Gate::Permission(Permission::ManageUsers))?;
            resend(c, &org, members::find(c, &id, &member_id)?, &key, now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `POST /organizations/{orgId}/users/reinvite {ids}`: one line per member of this
/// organization named, `User invalid.` for those not invited.
pub async fn bulk_reinvite(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let ids = bulk_ids(&Body::parse(&body, true)?)?;
    let key = jwt_key(&call.sandbox).await?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let lines = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, Gate::Permission(Permission::ManageUsers))?;
            let mut lines = Vec::new();
            for m in members::find_many(c, &id, &ids)? {
                let mid = m.id.clone();
                let error = match resend(c, &org, Some(m), &key, now) {
                    Ok(()) => String::new(),
                    Err(BwError::BadRequest(e)) => e,
                    Err(e) => return Err(e),
                };
                lines.push(views::bulk(&mid, &error));
            }
            Ok(lines)
        })
        .await?;
    Ok(HttpResponse::Ok().json(wire::list(lines)))
}
