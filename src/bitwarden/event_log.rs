//! Writing the organization event log, inside the transaction of the change it records: who
//! did it (the caller's user, device type and address, or the Public API's system user), when
//! (the sandbox clock) and what it was about. As on the server, an organization without the
//! events feature (`useEvents`) records nothing.

use rusqlite::Connection;

use crate::bitwarden::call::Caller;
use crate::domain::bitwarden::events::SYSTEM_USER_PUBLIC_API;
use crate::domain::error::Result;
use crate::store::bitwarden::events::{self, BwEvent};
use crate::store::bitwarden::members::BwMember;
use crate::store::bitwarden::orgs::BwOrg;

/// What an event is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A membership.
    Member(&'a BwMember),
    /// A collection (its id).
    Collection(&'a str),
    /// A group (its id).
    Group(&'a str),
    /// A policy (its id).
    Policy(&'a str),
    /// The organization itself.
    Organization,
}

/// Who caused an event.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// A signed-in client.
    User(&'a Caller),
    /// The organization API key (`EventSystemUser.PublicApi`).
    PublicApi(&'a Caller),
}

/// Records one event of `event_type` in `org`'s log at `now` (ms), if the organization uses
/// events.
pub fn record(
    conn: &Connection,
    org: &BwOrg,
    actor: Actor<'_>,
    subject: Subject<'_>,
    event_type: i64,
    now: i64,
) -> Result<()> {
    if !org.features.use_events {
        return Ok(());
    }
    let (caller, system_user) = match actor {
        Actor::User(c) => (c, None),
        Actor::PublicApi(c) => (c, Some(SYSTEM_USER_PUBLIC_API)),
    };
    let mut e = BwEvent {
        organization_id: org.id.clone(),
        event_type,
        acting_user_id: caller.user_id.clone(),
        device_type: caller.device_type,
        ip_address: caller.ip.clone(),
        system_user,
        date: now,
        ..BwEvent::default()
    };
    match subject {
        Subject::Member(m) => {
            e.user_id = m.user_id.clone();
            e.organization_user_id = Some(m.id.clone());
        }
        Subject::Collection(id) => e.collection_id = Some(id.to_string()),
        Subject::Group(id) => e.group_id = Some(id.to_string()),
        Subject::Policy(id) => e.policy_id = Some(id.to_string()),
        Subject::Organization => {}
    }
    events::insert(conn, &e)
}
