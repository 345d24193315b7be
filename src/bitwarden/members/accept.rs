//! Accepting an invitation (`POST /organizations/{orgId}/users/{id}/accept {token,
//! resetPasswordKey}`): the link's token (`Expired token.`, `Invalid token.`), the address it
//! was sent to (`User email does not match invite.`), the Free-plan, Single organization and
//! two-step login rules, and account recovery auto-enrollment, which needs the
//! `resetPasswordKey` (`Master Password reset is required, but not provided.`).

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;

use super::invite_token::{self, TokenCheck};
use super::path_ids;
use crate::bitwarden::body::Body;
use crate::bitwarden::call::{jwt_key, BwCall, Caller};
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::domain::bitwarden::acceptance::{check_accept, AcceptFacts};
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::org_policies::{
    single_org_refusal, two_factor_required, SingleOrgRefusal, RESET_PASSWORD,
};
use crate::domain::bitwarden::role::{MemberStatus, MemberType};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::users::BwUser;
use crate::store::bitwarden::{member_writes, policies, users};

fn bad(m: &str) -> BwError {
    BwError::BadRequest(m.to_string())
}

/// Whether the organization's account recovery policy enrolls its members on acceptance.
fn auto_enroll(c: &Connection, m: &BwMember) -> BwResult<bool> {
    if m.status == MemberStatus::Revoked {
        return Ok(false);
    }
    let data = policies::enabled_data(c, &m.organization_id, RESET_PASSWORD)?;
    Ok(data.is_some_and(|d| {
        d.iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("autoEnrollEnabled") && v.as_bool() == Some(true))
    }))
}

/// The checks of `AcceptOrgUserAsync` after the link's: Free plan, Single organization,
/// two-step login.
fn check_membership(c: &Connection, org: &BwOrg, m: &BwMember, user: &BwUser) -> BwResult<()> {
    let admin = matches!(m.member_type, MemberType::Owner | MemberType::Admin);
    if admin && org.plan_type == 0 && members::free_orgs_administered(c, &user.id)? > 0 {
        return Err(bad(
            "You can only be an admin of 1 free organization vault.",
        ));
    }
    let all = policies::affiliations(c, Some(&user.id), m)?;
    match single_org_refusal(&org.id, &all) {
        Some(SingleOrgRefusal::MemberOfAnotherOrg) => {
            return Err(bad("You cannot accept this invite until you leave all other organization vaults."))
        }
        Some(SingleOrgRefusal::ForbiddenByOtherOrg) => {
            return Err(bad("You cannot accept this invite because you are a member of another organization vault which forbids it."))
        }
        None => {}
    }
    if !user.two_factor_enabled && two_factor_required(&org.id, &all) {
        return Err(bad("You cannot join this organization vault until you enable two-step login on your user account."));
    }
    Ok(())
}

/// Enrolls the member in account recovery with `key` (`UpdateUserResetPasswordEnrollmentCommand`).
fn enroll(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    key: &str,
    caller: &Caller,
    now: i64,
) -> BwResult<()> {
    if !org.features.use_reset_password {
        return Err(bad(
            "Organization does not allow password reset enrollment.",
        ));
    }
    if !policies::is_enabled(c, &org.id, RESET_PASSWORD)? {
        return Err(bad(
            "Organization does not have the password reset policy enabled.",
        ));
    }
    member_writes::set_reset_password_key(c, &m.id, Some(key), now)?;
    let actor = Actor::User(caller);
    event_log::record(
        c,
        org,
        actor,
        Subject::Member(m),
        types::MEMBER_RESET_PASSWORD_ENROLL,
        now,
    )?;
    Ok(())
}

/// Mails the organization's owners and admins that `email` accepted and awaits confirmation.
fn tell_admins(c: &Connection, org: &BwOrg, email: &str, now: i64) -> BwResult<()> {
    for a in members::list_for_org(c, &org.id)? {
        let admin = matches!(a.member_type, MemberType::Owner | MemberType::Admin);
        let Some(uid) = a
            .user_id
            .filter(|_| admin && a.status == MemberStatus::Confirmed)
        else {
            continue;
        };
        let Some(to) = users::find(c, &uid)? else {
            continue;
        };
        crate::store::outbox::insert(
            c,
            &crate::store::outbox::OutboxRow {
                id: crate::bitwarden::ids::new_guid().replace('-', ""),
                source: "bitwarden".into(),
                kind: "notification".into(),
                recipient: to.email,
                subject: format!("Action Required: {email} Needs to Be Confirmed"),
                body: format!(
                    "{email} has accepted your invitation to join {} and needs to be confirmed.",
                    org.name
                ),
                link: None,
                created_at: now,
            },
        )?;
    }
    Ok(())
}

/// `POST /organizations/{orgId}/users/{id}/accept`: the signed-in user accepts the invitation
/// the link's token names. 200 with an empty body.
pub async fn accept(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    let (id, member_id) = path_ids(path.into_inner())?;
    let body = Body::parse(&body, true)?;
    let token = body.required_str("token")?;
    let reset_key = body
        .str("resetPasswordKey")?
        .filter(|k| !k.trim().is_empty());
    let key = jwt_key(&call.sandbox).await?;
    let (uid, caller, now) = (call.user_id.clone(), call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let user = users::find(c, &uid)?.ok_or(BwError::Unauthorized)?;
            let m = members::find(c, &id, &member_id)?.ok_or(BwError::NotFound)?;
            let org = orgs::find(c, &id)?.ok_or(BwError::NotFound)?;
            let enroll_now = auto_enroll(c, &m)?;
            if enroll_now && reset_key.is_none() {
                return Err(bad("Master Password reset is required, but not provided."));
            }
            match invite_token::check(&key, &token, &m.id, m.email.as_deref(), now) {
                TokenCheck::Valid => {}
                TokenCheck::Expired => return Err(bad("Expired token.")),
                TokenCheck::Invalid => return Err(bad("Invalid token.")),
            }
            let facts = AcceptFacts {
                rows_of_user_here: i64::from(members::find_for_user(c, &id, &user.id)?.is_some()),
                status: m.status,
                invited_email: m.email.clone(),
                user_email: user.email.clone(),
            };
            check_accept(&facts, &org.name).map_err(BwError::BadRequest)?;
            check_membership(c, &org, &m, &user)?;
            member_writes::accept(c, &m.id, &user.id, now)?;
            tell_admins(c, &org, &user.email, now)?;
            if let (true, Some(k)) = (enroll_now, reset_key.as_deref()) {
                enroll(c, &org, &m, k, &caller, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
