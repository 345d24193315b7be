//! The group commands, written once for the private API and the Public API: the server's
//! `CreateGroupCommand`, `UpdateGroupCommand`, `DeleteGroupCommand` and
//! `GroupService.DeleteUserAsync`, each inside the caller's transaction. The rules are
//! `domain::bitwarden::groups`; this reads the facts they need, writes and records the events
//! (`Group_Created` 1400, `Group_Updated` 1401, `Group_Deleted` 1402 and
//! `OrganizationUser_UpdatedGroups` 1504 for each member whose groups changed).

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::bitwarden::call::Caller;
use crate::bitwarden::collections::access::Reach;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::ids;
use crate::domain::bitwarden::collections::{manage_conflicts, Operation, DEFAULT_SETTINGS};
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::groups::{
    check_create, check_self_add, check_update, ChangeFacts, GroupRefusal,
};
use crate::store::bitwarden::collections::{self, Access, BwCollection};
use crate::store::bitwarden::groups::{self, BwGroup};
use crate::store::bitwarden::members;
use crate::store::bitwarden::orgs::BwOrg;

/// A group as a request describes it (`GroupRequestModel`, `GroupCreateUpdateRequestModel`).
#[derive(Debug, Clone)]
pub struct GroupInput {
    /// Its name.
    pub name: String,
    /// Its external id: `Some` sets it (the Public API), `None` keeps it (the private API).
    pub external_id: Option<Option<String>>,
    /// Its collections: `None` leaves them as they are.
    pub collections: Option<Vec<Access>>,
    /// Its members (membership ids): `None` leaves them as they are.
    pub users: Option<Vec<String>>,
}

/// Who changes a group.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    /// A member, whose right to change each collection's group access is checked.
    Member(&'a Caller),
    /// The organization API key, which may change everything.
    PublicApi(&'a Caller),
}

impl<'a> By<'a> {
    /// The events' actor: the server records group events of the Public API without a
    /// system user, so both are the caller (no user for the organization key).
    fn actor(self) -> Actor<'a> {
        match self {
            By::Member(c) | By::PublicApi(c) => Actor::User(c),
        }
    }
}

impl From<GroupRefusal> for BwError {
    fn from(r: GroupRefusal) -> Self {
        match r {
            GroupRefusal::NotFound => BwError::NotFound,
            GroupRefusal::BadRequest(m) => BwError::BadRequest(m.into()),
        }
    }
}

/// The posted collections that exist, in any organization.
fn found(c: &Connection, list: &[Access]) -> BwResult<Vec<BwCollection>> {
    let mut out = Vec::new();
    for a in list {
        if let Some(col) = collections::find_any(c, &a.id)? {
            out.push(col);
        }
    }
    Ok(out)
}

/// The caller's reach in each organization the collections belong to.
fn reaches(
    c: &Connection,
    caller: &Caller,
    cols: &[BwCollection],
) -> BwResult<BTreeMap<String, Reach>> {
    let mut out = BTreeMap::new();
    for col in cols {
        if !out.contains_key(&col.organization_id) {
            let reach = Reach::load(c, &col.organization_id, caller)?;
            out.insert(col.organization_id.clone(), reach);
        }
    }
    Ok(out)
}

/// Whether the caller may change group access on every collection of `cols`, each judged
/// in its own organization (`BulkCollectionOperations.ModifyGroupAccess`).
fn authorized(c: &Connection, by: By<'_>, cols: &[BwCollection]) -> BwResult<bool> {
    let By::Member(caller) = by else {
        return Ok(true);
    };
    let reach = reaches(c, caller, cols)?;
    Ok(cols.iter().all(|col| {
        reach
            .get(&col.organization_id)
            .is_some_and(|r| r.allows(Operation::ModifyGroupAccess, &[col.id.as_str()]))
    }))
}

fn conflicts(list: &[Access]) -> bool {
    list.iter()
        .any(|a| manage_conflicts(a.read_only, a.hide_passwords, a.manage))
}

/// The ids of `ids` that are members of `org_id` (the stored procedures drop the rest).
fn members_in_org(c: &Connection, org_id: &str, ids: &[String]) -> BwResult<Vec<String>> {
    let mut out = Vec::new();
    for id in ids {
        if members::find(c, org_id, id)?.is_some() && !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// Records `OrganizationUser_UpdatedGroups` for each member of `ids`.
fn record_member_groups(
    c: &Connection,
    org: &BwOrg,
    actor: Actor<'_>,
    ids: &[String],
    now: i64,
) -> BwResult<()> {
    for id in ids {
        if let Some(m) = members::find(c, &org.id, id)? {
            let subject = Subject::Member(&m);
            event_log::record(c, org, actor, subject, types::MEMBER_UPDATED_GROUPS, now)?;
        }
    }
    Ok(())
}

/// Replaces a group's members with those of `users` in the organization; records the
/// members that came or went. The group's revision date is the caller's to stamp.
pub fn set_members(
    c: &Connection,
    org: &BwOrg,
    group_id: &str,
    users: &[String],
    actor: Option<Actor<'_>>,
    now: i64,
) -> BwResult<()> {
    let before = groups::member_ids(c, group_id)?;
    let after = members_in_org(c, &org.id, users)?;
    groups::set_members(c, group_id, &after)?;
    if let Some(actor) = actor {
        let mut changed: Vec<String> = before
            .iter()
            .filter(|m| !after.contains(m))
            .cloned()
            .collect();
        changed.extend(after.iter().filter(|m| !before.contains(m)).cloned());
        record_member_groups(c, org, actor, &changed, now)?;
    }
    Ok(())
}

/// Creates a group in `org`: the collection checks, then the plan's, then the write. Unknown
/// collections and those of other organizations are dropped, like members of other
/// organizations.
pub fn create(
    c: &Connection,
    org: &BwOrg,
    input: &GroupInput,
    by: By<'_>,
    now: i64,
) -> BwResult<BwGroup> {
    let posted = input.collections.clone().unwrap_or_default();
    let found = found(c, &posted)?;
    let mut orgs: Vec<&str> = found.iter().map(|f| f.organization_id.as_str()).collect();
    orgs.sort_unstable();
    orgs.dedup();
    check_create(&ChangeFacts {
        use_groups: org.features.use_groups,
        public_api: matches!(by, By::PublicApi(_)),
        posted_collections: !posted.is_empty(),
        found_orgs: orgs.len(),
        authorized: authorized(c, by, &found)?,
        manage_conflict: conflicts(&posted),
        ..ChangeFacts::default()
    })?;
    let group = BwGroup {
        id: ids::new_guid(),
        organization_id: org.id.clone(),
        name: input.name.clone(),
        external_id: input.external_id.clone().flatten(),
        created_at: now,
        revision_at: now,
    };
    groups::insert(c, &group)?;
    let in_org: Vec<Access> = posted
        .into_iter()
        .filter(|a| {
            found
                .iter()
                .any(|f| f.id == a.id && f.organization_id == org.id)
        })
        .collect();
    collections::set_group_collections(c, &group.id, &in_org)?;
    if let Some(users) = &input.users {
        set_members(c, org, &group.id, users, Some(by.actor()), now)?;
    }
    let subject = Subject::Group(&group.id);
    event_log::record(c, org, by.actor(), subject, types::GROUP_CREATED, now)?;
    Ok(group)
}

/// The facts of an update's collections and members.
fn update_facts(
    c: &Connection,
    org: &BwOrg,
    input: &GroupInput,
    by: By<'_>,
) -> BwResult<ChangeFacts> {
    let posted = input.collections.clone().unwrap_or_default();
    let found = found(c, &posted)?;
    let in_org = |a: &Access| {
        found
            .iter()
            .any(|f| f.id == a.id && f.organization_id == org.id)
    };
    let mut foreign_member = false;
    for u in input.users.iter().flatten() {
        foreign_member |= members::find(c, &org.id, u)?.is_none();
    }
    Ok(ChangeFacts {
        use_groups: org.features.use_groups,
        public_api: matches!(by, By::PublicApi(_)),
        posted_collections: !posted.is_empty(),
        authorized: authorized(c, by, &found)?,
        foreign_collection: !posted.iter().all(in_org),
        default_collection: found
            .iter()
            .any(|f| f.organization_id == org.id && f.collection_type == 1),
        foreign_member,
        manage_conflict: conflicts(&posted),
        ..ChangeFacts::default()
    })
}

/// Whether the members posted add the caller to a group it is not in.
fn adds_self(
    c: &Connection,
    org_id: &str,
    caller: &Caller,
    group: &BwGroup,
    users: &[String],
) -> BwResult<bool> {
    let Some(uid) = &caller.user_id else {
        return Ok(false);
    };
    let Some(mine) = members::find_for_user(c, org_id, uid)? else {
        return Ok(false);
    };
    Ok(users.contains(&mine.id) && !groups::member_ids(c, &group.id)?.contains(&mine.id))
}

/// Updates `group`: its name (and external id from the Public API), its collections (those the
/// caller may not change keep their access) and its members, when given.
pub fn update(
    c: &Connection,
    org: &BwOrg,
    mut group: BwGroup,
    input: &GroupInput,
    by: By<'_>,
    now: i64,
) -> BwResult<BwGroup> {
    if let (By::Member(caller), Some(users)) = (by, &input.users) {
        check_self_add(
            DEFAULT_SETTINGS,
            adds_self(c, &org.id, caller, &group, users)?,
        )?;
    }
    check_update(&update_facts(c, org, input, by)?)?;
    group.name = input.name.clone();
    if let Some(external_id) = &input.external_id {
        group.external_id = external_id.clone();
    }
    group.revision_at = now;
    groups::update(c, &group)?;
    if let Some(posted) = &input.collections {
        let mut keep = posted.clone();
        if let By::Member(caller) = by {
            let reach = Reach::load(c, &org.id, caller)?;
            for current in collections::of_group(c, &group.id)? {
                if !reach.allows(Operation::ModifyGroupAccess, &[current.id.as_str()]) {
                    keep.push(current);
                }
            }
        }
        collections::set_group_collections(c, &group.id, &keep)?;
    }
    if let Some(users) = &input.users {
        set_members(c, org, &group.id, users, Some(by.actor()), now)?;
    }
    let subject = Subject::Group(&group.id);
    event_log::record(c, org, by.actor(), subject, types::GROUP_UPDATED, now)?;
    Ok(group)
}

/// Deletes a group (its member and collection entries go with it); `Group_Deleted` when an
/// actor is given (the Public API's delete records none, as the server's).
pub fn delete(
    c: &Connection,
    org: &BwOrg,
    group_id: &str,
    actor: Option<Actor<'_>>,
    now: i64,
) -> BwResult<()> {
    if let Some(actor) = actor {
        let subject = Subject::Group(group_id);
        event_log::record(c, org, actor, subject, types::GROUP_DELETED, now)?;
    }
    groups::delete(c, group_id)?;
    Ok(())
}

/// Takes member `member_id` out of `group` (`GroupService.DeleteUserAsync`): a member of
/// another organization is a 404; one not in the group still gets its event.
pub fn remove_member(
    c: &Connection,
    org: &BwOrg,
    group: &BwGroup,
    member_id: &str,
    actor: Actor<'_>,
    now: i64,
) -> BwResult<()> {
    members::find(c, &org.id, member_id)?.ok_or(BwError::NotFound)?;
    groups::remove_member(c, &group.id, member_id)?;
    groups::touch(c, &group.id, now)?;
    record_member_groups(c, org, actor, &[member_id.to_string()], now)
}
