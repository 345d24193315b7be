//! Removing, revoking and restoring members, one by one and in bulk, for members who manage
//! users and for the Public API: the server's `RemoveOrganizationUserCommand`,
//! `RevokeOrganizationUserCommand` and `RestoreOrganizationUserCommand`, each refusal in its
//! words (`domain::bitwarden::members`) and each success in the event log.

use rusqlite::Connection;

use super::target;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::members::{self as rules, Acting};
use crate::domain::bitwarden::org_policies::{
    single_org_refusal, two_factor_required, SingleOrgRefusal,
};
use crate::domain::bitwarden::plan::plan;
use crate::domain::bitwarden::role::{MemberStatus, MemberType, RevocationReason};
use crate::domain::bitwarden::seats::{seats_for, SeatFacts, SeatRefusal};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::{member_writes, policies, users};

fn bad(m: &str) -> BwError {
    BwError::BadRequest(m.to_string())
}

/// Runs `check` with the acting side as the rules see it.
fn with_acting<T>(org: &BwOrg, actor: Actor<'_>, check: impl FnOnce(Acting<'_>) -> T) -> T {
    match actor {
        Actor::User(c) => {
            let m = c.membership(&org.id);
            check(Acting::User(m.as_ref()))
        }
        Actor::PublicApi(_) => check(Acting::System),
    }
}

fn caller_of<'a>(actor: Actor<'a>) -> &'a crate::bitwarden::call::Caller {
    match actor {
        Actor::User(c) | Actor::PublicApi(c) => c,
    }
}

/// Removes one member.
pub fn remove_one(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    actor: Actor<'_>,
    now: i64,
) -> BwResult<()> {
    let t = target(m, caller_of(actor));
    let others = members::other_confirmed_owners(c, &org.id, &m.id)?;
    with_acting(org, actor, |a| rules::check_remove(a, t, others)).map_err(bad)?;
    member_writes::delete(c, &m.id)?;
    event_log::record(
        c,
        org,
        actor,
        Subject::Member(m),
        types::MEMBER_REMOVED,
        now,
    )?;
    Ok(())
}

/// Removes several members; one line per member of this organization (empty error: removed).
pub fn remove_many(
    c: &Connection,
    org: &BwOrg,
    ids: &[String],
    actor: Actor<'_>,
    now: i64,
) -> BwResult<Vec<(String, String)>> {
    let found = members::find_many(c, &org.id, ids)?;
    if found.is_empty() {
        return Err(bad("Users invalid."));
    }
    if members::confirmed_owners_except(c, &org.id, ids)? == 0 {
        return Err(bad(rules::LAST_OWNER));
    }
    let mut lines = Vec::new();
    for m in found {
        let t = target(&m, caller_of(actor));
        let error = match with_acting(org, actor, |a| rules::check_remove_one_of_many(a, t)) {
            Err(e) => e.to_string(),
            Ok(()) => {
                member_writes::delete(c, &m.id)?;
                event_log::record(
                    c,
                    org,
                    actor,
                    Subject::Member(&m),
                    types::MEMBER_REMOVED,
                    now,
                )?;
                String::new()
            }
        };
        lines.push((m.id, error));
    }
    Ok(lines)
}

/// Revokes one member (`PUT .../{id}/revoke`).
pub fn revoke_one(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    actor: Actor<'_>,
    now: i64,
) -> BwResult<()> {
    let t = target(m, caller_of(actor));
    let remaining = members::other_confirmed_owners(c, &org.id, &m.id)? > 0;
    with_acting(org, actor, |a| rules::check_revoke(a, t, remaining)).map_err(bad)?;
    member_writes::revoke(c, m, RevocationReason::Manual, now)?;
    event_log::record(
        c,
        org,
        actor,
        Subject::Member(m),
        types::MEMBER_REVOKED,
        now,
    )?;
    Ok(())
}

/// Revokes several members (`PUT .../revoke`, and the Public API's revoke of one).
pub fn revoke_many(
    c: &Connection,
    org: &BwOrg,
    ids: &[String],
    actor: Actor<'_>,
    now: i64,
) -> BwResult<Vec<(String, String)>> {
    let remaining = members::confirmed_owners_except(c, &org.id, ids)? > 0;
    let mut lines = Vec::new();
    for m in members::find_many(c, &org.id, ids)? {
        let t = target(&m, caller_of(actor));
        let error = match with_acting(org, actor, |a| {
            rules::check_revoke_one_of_many(a, t, remaining)
        }) {
            Err(e) => e.to_string(),
            Ok(()) => {
                member_writes::revoke(c, &m, RevocationReason::Manual, now)?;
                event_log::record(
                    c,
                    org,
                    actor,
                    Subject::Member(&m),
                    types::MEMBER_REVOKED,
                    now,
                )?;
                String::new()
            }
        };
        lines.push((m.id, error));
    }
    Ok(lines)
}

/// Makes room for `wanted` members being restored (autoscaling as the server does).
fn seats_to_restore(
    c: &Connection,
    org: &BwOrg,
    wanted: i64,
    self_hosted: bool,
    now: i64,
) -> BwResult<()> {
    let (max_autoscale_seats, notified) = orgs::autoscale(c, &org.id)?;
    let p = plan(org.plan_type);
    let facts = SeatFacts {
        seats: org.seats,
        occupied: members::occupied_seats(c, &org.id)?,
        max_autoscale_seats,
        self_hosted,
        has_subscription: org.has_subscription,
        plan: p.as_ref(),
    };
    match seats_for(facts, wanted) {
        Ok(None) => Ok(()),
        Ok(Some(total)) => Ok(orgs::set_seats(
            c,
            &org.id,
            total,
            (!notified).then_some(now),
        )?),
        Err(SeatRefusal::CannotScale(m) | SeatRefusal::Adjust(m)) => Err(BwError::BadRequest(m)),
    }
}

/// The policy checks of a restoration, in the server's words (`CheckPoliciesBeforeRestoreAsync`).
fn check_restore_policies(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    restored: MemberStatus,
) -> BwResult<()> {
    let Some(uid) = m
        .user_id
        .as_deref()
        .filter(|_| restored != MemberStatus::Invited)
    else {
        return Ok(());
    };
    let user = users::find(c, uid)?.ok_or(BwError::NotFound)?;
    let all = policies::affiliations(c, Some(uid), m)?;
    let single = single_org_refusal(&org.id, &all);
    let two_factor_ok = user.two_factor_enabled || !two_factor_required(&org.id, &all);
    let email = &user.email;
    match (single, two_factor_ok) {
        (Some(_), false) => Err(bad(&format!("{email} is not compliant with the single organization membership and two-step login policy."))),
        (Some(SingleOrgRefusal::MemberOfAnotherOrg), _) => Err(bad(&format!("{email} cannot be restored until they leave all other organization vaults."))),
        (Some(SingleOrgRefusal::ForbiddenByOtherOrg), _) => Err(bad(&format!("{email} cannot be restored because they are a member of another organization which forbids it."))),
        (None, false) => Err(bad(&format!("{email} is not compliant with the two-step login policy."))),
        (None, true) => Ok(()),
    }
}

/// The one-free-organization rule of a restoration: an owner or admin who already owns or
/// administers another Free organization stays revoked.
fn check_restore_free(c: &Connection, org: &BwOrg, m: &BwMember) -> BwResult<()> {
    let admin = matches!(m.member_type, MemberType::Owner | MemberType::Admin);
    let Some(uid) = m.user_id.as_deref().filter(|_| admin && org.plan_type == 0) else {
        return Ok(());
    };
    for other in members::all_for_user(c, uid)? {
        let other_admin = matches!(other.member_type, MemberType::Owner | MemberType::Admin);
        let free = orgs::find(c, &other.organization_id)?.is_some_and(|o| o.plan_type == 0);
        if other.id != m.id && other_admin && other.status == MemberStatus::Confirmed && free {
            return Err(bad("User is an owner / admin of another free organization vault. Please have them upgrade to a paid plan to restore their account."));
        }
    }
    Ok(())
}

/// Restores one revoked member to the status it had.
pub fn restore_one(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    actor: Actor<'_>,
    self_hosted: bool,
    now: i64,
) -> BwResult<()> {
    let t = target(m, caller_of(actor));
    with_acting(org, actor, |a| rules::check_restore(a, t)).map_err(bad)?;
    seats_to_restore(c, org, 1, self_hosted, now)?;
    restore_checked(c, org, m, actor, now)
}

/// The checks every restoration shares after the seats, then the restoration and its event.
fn restore_checked(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    actor: Actor<'_>,
    now: i64,
) -> BwResult<()> {
    let status = rules::restored_status(m.prior_status, m.user_id.is_some(), m.key.is_some());
    check_restore_free(c, org, m)?;
    check_restore_policies(c, org, m, status)?;
    member_writes::restore(c, &m.id, status, now)?;
    event_log::record(
        c,
        org,
        actor,
        Subject::Member(m),
        types::MEMBER_RESTORED,
        now,
    )?;
    Ok(())
}

/// Restores several members; one line per member of this organization.
pub fn restore_many(
    c: &Connection,
    org: &BwOrg,
    ids: &[String],
    actor: Actor<'_>,
    self_hosted: bool,
    now: i64,
) -> BwResult<Vec<(String, String)>> {
    let found = members::find_many(c, &org.id, ids)?;
    if found.is_empty() {
        return Err(bad("Users invalid."));
    }
    seats_to_restore(c, org, ids.len() as i64, self_hosted, now)?;
    let mut lines = Vec::new();
    for m in found {
        let t = target(&m, caller_of(actor));
        let checked =
            with_acting(org, actor, |a| rules::check_restore_one_of_many(a, t)).map_err(bad);
        let error = match checked.and_then(|()| restore_checked(c, org, &m, actor, now)) {
            Ok(()) => String::new(),
            Err(BwError::BadRequest(e)) => e,
            Err(e) => return Err(e),
        };
        lines.push((m.id, error));
    }
    Ok(lines)
}
