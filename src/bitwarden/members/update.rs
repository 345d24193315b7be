//! Changing a member's role, custom permissions, collections and groups
//! (`PUT /organizations/{orgId}/users/{id}`, and the Public API's `PUT /public/members/{id}`):
//! the server's `UpdateOrganizationUserCommand`, checks in its order.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;

use super::invite_request::{read_permissions, read_role};
use super::path_ids;
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::collections::access::{all_in_org, Reach};
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::organizations::gate;
use crate::bitwarden::selection;
use crate::domain::bitwarden::collections::Operation;
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::members::{
    check_custom_allowed, check_free_admin, check_role_change, LAST_OWNER,
};
use crate::domain::bitwarden::policy::{Gate, Permission};
use crate::domain::bitwarden::role::{MemberType, Permissions};
use crate::store::bitwarden::collections::{self, Access};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::BwOrg;
use crate::store::bitwarden::{groups, member_writes};

/// What a role change asks for.
#[derive(Debug, Clone)]
pub struct RoleChange {
    /// The new role.
    pub role: MemberType,
    /// Its custom permissions (kept for a custom role only).
    pub permissions: Permissions,
    /// The member's direct collections (replaced).
    pub collections: Vec<Access>,
    /// Its groups (`None`: left as they are).
    pub groups: Option<Vec<String>>,
    /// Secrets Manager access.
    pub access_secrets_manager: bool,
    /// A directory's id (`None` keeps it, for the private API which has none).
    pub external_id: Option<Option<String>>,
}

/// Applies `change` to `m` inside the caller's transaction; role rules apply to a member
/// (`Actor::User`), not to the Public API.
pub fn update_member(
    c: &Connection,
    org: &BwOrg,
    m: &BwMember,
    change: &RoleChange,
    actor: Actor<'_>,
    now: i64,
) -> BwResult<()> {
    let bad = |msg: &str| BwError::BadRequest(msg.into());
    if let Some(uid) = &m.user_id {
        let was_admin = matches!(m.member_type, MemberType::Owner | MemberType::Admin);
        let administered = members::free_orgs_administered(c, uid)?;
        check_free_admin(org.plan_type == 0, change.role, was_admin, administered).map_err(bad)?;
    }
    if !all_in_org(c, &org.id, &change.collections)? {
        return Err(BwError::NotFound);
    }
    if let Some(gs) = &change.groups {
        check_groups(c, &org.id, gs)?;
    }
    if let Actor::User(caller) = actor {
        let acting_m = caller.membership(&org.id);
        check_role_change(
            acting_m.as_ref(),
            change.role,
            Some(m.member_type),
            &change.permissions,
        )
        .map_err(bad)?;
    }
    check_custom_allowed(change.role, org.features.use_custom_permissions).map_err(bad)?;
    if change.role != MemberType::Owner
        && members::confirmed_owners_except(c, &org.id, std::slice::from_ref(&m.id))? == 0
    {
        return Err(bad(LAST_OWNER));
    }
    selection::check_manage(&change.collections)?;
    let mut updated = m.clone();
    updated.member_type = change.role;
    updated.permissions = change.permissions.clone();
    updated.access_secrets_manager = change.access_secrets_manager;
    if let Some(external_id) = &change.external_id {
        updated.external_id = external_id.clone();
    }
    member_writes::update_role(c, &updated, now)?;
    collections::set_member_collections(c, &m.id, &change.collections)?;
    if let Some(gs) = &change.groups {
        groups::set_groups_of_member(c, &m.id, gs)?;
    }
    event_log::record(
        c,
        org,
        actor,
        Subject::Member(&updated),
        types::MEMBER_UPDATED,
        now,
    )?;
    Ok(())
}

/// Every group id names a group of the organization (a 404 otherwise).
pub fn check_groups(c: &Connection, org_id: &str, ids: &[String]) -> BwResult<()> {
    for g in ids {
        if groups::find(c, org_id, g)?.is_none() {
            return Err(BwError::NotFound);
        }
    }
    Ok(())
}

/// `OrganizationUserUpdateRequestModel`.
fn read_change(body: &Body) -> BwResult<RoleChange> {
    let collections =
        selection::read(body, "collections", "Collections", false)?.unwrap_or_default();
    Ok(RoleChange {
        role: read_role(body)?,
        permissions: read_permissions(body)?.unwrap_or_default(),
        collections: selection::dedup(collections),
        groups: super::guid_list(body, "groups")?,
        access_secrets_manager: body.bool("accessSecretsManager")?.unwrap_or(false),
        external_id: None,
    })
}

/// `PUT /organizations/{orgId}/users/{id}` (and the obsolete `POST`): those who manage users
/// (403 for anyone else). The collections the caller may not change keep their access.
pub async fn update(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    let (id, member_id) = path_ids(path.into_inner())?;
    let mut change = read_change(&Body::parse(&body, true)?)?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, Gate::Permission(Permission::ManageUsers))?;
            let m = members::find(c, &id, &member_id)?.ok_or(BwError::NotFound)?;
            let reach = Reach::load(c, &id, &caller)?;
            let posted: Vec<&str> = change.collections.iter().map(|a| a.id.as_str()).collect();
            let known: Vec<&str> = posted
                .iter()
                .copied()
                .filter(|cid| collections::find(c, &id, cid).ok().flatten().is_some())
                .collect();
            if !known.is_empty() && !reach.allows(Operation::ModifyUserAccess, &known) {
                return Err(BwError::NotFound);
            }
            // What the caller may not change stays as it was.
            for current in collections::of_member(c, &m.id)? {
                let editable = reach.allows(Operation::ModifyUserAccess, &[current.id.as_str()]);
                if !editable && !change.collections.iter().any(|a| a.id == current.id) {
                    change.collections.push(current);
                }
            }
            update_member(c, &org, &m, &change, Actor::User(&caller), now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
