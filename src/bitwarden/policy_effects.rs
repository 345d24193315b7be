//! What turning a policy on does to the members already in the organization, inside the
//! transaction that saves it (the server's policy event handlers run before the policy is
//! stored): the members `domain::bitwarden::enforcement` names are revoked, each with the
//! policy's own event type, and mailed why.

use rusqlite::Connection;

use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::members::invite::mail;
use crate::domain::bitwarden::enforcement::{
    non_compliant, revocation_on_enable, revoked_subject, MemberFacts,
};
use crate::domain::bitwarden::role::MemberStatus;
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::BwOrg;
use crate::store::bitwarden::{member_writes, users};

/// The facts the handlers judge `m` by (`None`: no user account behind it).
fn facts(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    actor: Actor<'_>,
) -> BwResult<Option<(MemberFacts, String)>> {
    let Some(uid) = m.user_id.as_deref() else {
        return Ok(None);
    };
    let Some(user) = users::find(c, uid)? else {
        return Ok(None);
    };
    let in_other_org = members::all_for_user(c, uid)?.iter().any(|o| {
        o.organization_id != org.id
            && matches!(
                o.status,
                MemberStatus::Accepted | MemberStatus::Confirmed | MemberStatus::Revoked
            )
    });
    let is_actor = match actor {
        Actor::User(caller) => caller.user_id.as_deref() == Some(uid),
        Actor::PublicApi(_) => false,
    };
    let f = MemberFacts {
        member_type: m.member_type,
        status: m.status,
        is_actor,
        in_other_org,
        two_factor: user.two_factor_enabled,
        has_master_password: user.master_password_hash.is_some(),
    };
    Ok(Some((f, user.email)))
}

/// Revokes the members who do not comply with policy `number`, when this save turns it on
/// (`was_enabled` false, `enable` true); a refusal in the server's words otherwise.
pub fn enforce_on_enable(
    c: &Connection,
    org: &BwOrg,
    number: i64,
    (was_enabled, enable): (bool, bool),
    actor: Actor<'_>,
    now: i64,
) -> BwResult<()> {
    let Some(revocation) = revocation_on_enable(number, was_enabled, enable) else {
        return Ok(());
    };
    let mut judged = Vec::new();
    for m in members::list_for_org(c, &org.id)? {
        if let Some((f, email)) = facts(c, org, &m, actor)? {
            judged.push((m, f, email));
        }
    }
    let all: Vec<MemberFacts> = judged.iter().map(|(_, f, _)| *f).collect();
    let revoked = non_compliant(number, &all).map_err(|e| BwError::BadRequest(e.into()))?;
    for i in revoked {
        let (m, _, email) = &judged[i];
        member_writes::revoke(c, m, revocation.reason, now)?;
        event_log::record(
            c,
            org,
            actor,
            Subject::Member(m),
            revocation.event_type,
            now,
        )?;
        let body = (revocation.mail_body)(&org.name);
        mail(
            c,
            email,
            "notification",
            &revoked_subject(&org.name),
            &body,
            None,
            now,
        )?;
    }
    Ok(())
}
