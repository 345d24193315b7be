//! `CollectionsController`: list, read, create, update and delete an organization's
//! collections, with member and group access. A caller the rules refuse gets the server's
//! 404 (it throws `NotFoundException` on a failed authorization); bad input is a model-state
//! 400.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;

use super::access::Reach;
use super::views;
use crate::bitwarden::body::Body;
use crate::bitwarden::call::{BwCall, Caller};
use crate::bitwarden::crypto;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::ids;
use crate::bitwarden::members::path_ids;
use crate::bitwarden::organizations::org_id;
use crate::bitwarden::selection;
use crate::bitwarden::views as wire;
use crate::domain::bitwarden::collections::{
    check_create, may_create, may_read_all, may_read_all_with_access, Operation, DEFAULT_SETTINGS,
};
use crate::domain::bitwarden::events::types;
use crate::store::bitwarden::collections::{self, Access, BwCollection};
use crate::store::bitwarden::{groups, members, orgs};

/// `CreateCollectionRequestModel` / `UpdateCollectionRequestModel`.
struct CollectionRequest {
    name: String,
    external_id: Option<String>,
    groups: Option<Vec<Access>>,
    users: Option<Vec<Access>>,
}

fn read_request(body: &Body) -> BwResult<CollectionRequest> {
    let name = body
        .str("name")?
        .filter(|n| !n.is_empty())
        .ok_or_else(|| BwError::field("Name", "The Name field is required."))?;
    if !crypto::is_enc_string(&name) {
        return Err(BwError::field(
            "Name",
            "Name is not a valid encrypted string.",
        ));
    }
    if name.len() > 1000 {
        return Err(BwError::field(
            "Name",
            "The field Name exceeds the maximum encrypted value length of 1000 characters.",
        ));
    }
    let external_id = body.external_id()?;
    let groups = selection::read(body, "groups", "Groups", false)?.map(selection::dedup);
    let users = selection::read(body, "users", "Users", false)?.map(selection::dedup);
    for list in [&groups, &users].into_iter().flatten() {
        selection::check_manage(list)?;
    }
    Ok(CollectionRequest {
        name,
        external_id,
        groups,
        users,
    })
}

/// Keeps the entries naming a group (or member) of the organization, as the server's stored
/// procedures join them on the organization and drop the rest.
pub fn of_org(
    c: &Connection,
    org_id: &str,
    list: Vec<Access>,
    groups_list: bool,
) -> BwResult<Vec<Access>> {
    let mut out = Vec::with_capacity(list.len());
    for a in list {
        let known = if groups_list {
            groups::find(c, org_id, &a.id)?.is_some()
        } else {
            members::find(c, org_id, &a.id)?.is_some()
        };
        if known {
            out.push(a);
        }
    }
    Ok(out)
}

fn load(c: &Connection, org_id: &str, id: &str) -> BwResult<BwCollection> {
    collections::find(c, org_id, id)?.ok_or(BwError::NotFound)
}

/// `GET /organizations/{orgId}/collections`: every collection for those who may read them
/// all, else those the caller is assigned to with Manage (the server's `GetAll` filters the
/// assigned ones on `c.Manage`; a read-only member finds its collections at `GET /collections`).
pub async fn list(call: BwCall, path: Path<String>) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let caller = call.caller.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let reach = Reach::load(c, &id, &caller)?;
            let all = may_read_all(reach.membership.as_ref());
            Ok(collections::list_for_org(c, &id)?
                .iter()
                .filter(|col| all || reach.manages(&col.id))
                .map(views::collection)
                .collect())
        })
        .await?;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /collections`: the collections the caller is assigned to in every organization it is a
/// confirmed member of, directly or through a group, each with its own access
/// (`CollectionDetailsResponseModel`); what `bw list org-collections` reads for a member who
/// may not view all of an organization's collections.
pub async fn mine(call: BwCall) -> BwResult<HttpResponse> {
    let uid = call.user_id.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| crate::bitwarden::sync::user_collections(c, &uid))
        .await?;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /organizations/{orgId}/collections/details`: each collection with its access, for
/// those who may read them all with access, else those the caller manages.
pub async fn list_details(call: BwCall, path: Path<String>) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let caller = call.caller.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let reach = Reach::load(c, &id, &caller)?;
            let all = may_read_all_with_access(reach.membership.as_ref());
            let mut out = Vec::new();
            for col in collections::list_for_org(c, &id)? {
                if all || reach.manages(&col.id) {
                    let (g, u) = (
                        collections::groups_of(c, &col.id)?,
                        collections::users_of(c, &col.id)?,
                    );
                    out.push(views::access_details(
                        &col,
                        &g,
                        &u,
                        reach.reach.get(&col.id),
                    ));
                }
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /organizations/{orgId}/collections/{id}` (`CollectionResponseModel`).
pub async fn get(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (org, id) = path_ids(path.into_inner())?;
    let caller = call.caller.clone();
    let body = call
        .sandbox
        .store
        .read(move |c| {
            let reach = Reach::load(c, &org, &caller)?;
            let col = collections::find(c, &org, &id)?;
            let allowed = reach.allows(Operation::Read, &[id.as_str()]);
            Ok(col.filter(|_| allowed).map(|col| views::collection(&col)))
        })
        .await?;
    Ok(HttpResponse::Ok().json(body.ok_or(BwError::NotFound)?))
}

/// `GET /organizations/{orgId}/collections/{id}/details` (`CollectionAccessDetailsResponseModel`).
pub async fn details(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (org, id) = path_ids(path.into_inner())?;
    let caller = call.caller.clone();
    let body = call
        .sandbox
        .store
        .read(move |c| {
            let reach = Reach::load(c, &org, &caller)?;
            let col = collections::find(c, &org, &id)?;
            let Some(col) = col.filter(|_| reach.allows(Operation::ReadWithAccess, &[id.as_str()]))
            else {
                return Ok(None);
            };
            let (g, u) = (
                collections::groups_of(c, &id)?,
                collections::users_of(c, &id)?,
            );
            Ok(Some(views::access_details(
                &col,
                &g,
                &u,
                reach.reach.get(&id),
            )))
        })
        .await?;
    Ok(HttpResponse::Ok().json(body.ok_or(BwError::NotFound)?))
}

/// The collection after a change, as the server answers a create or update
/// (`CollectionAccessDetailsResponseModel`): with its groups, members and the caller's own
/// access when the caller may read them, else the bare collection.
fn answer(
    c: &Connection,
    org_id: &str,
    col: &BwCollection,
    caller: &Caller,
) -> BwResult<serde_json::Value> {
    let reach = Reach::load(c, org_id, caller)?;
    if !reach.allows(Operation::ReadWithAccess, &[col.id.as_str()]) {
        return Ok(views::bare_access_details(col));
    }
    let (g, u) = (
        collections::groups_of(c, &col.id)?,
        collections::users_of(c, &col.id)?,
    );
    Ok(views::access_details(col, &g, &u, reach.reach.get(&col.id)))
}

/// `POST /organizations/{orgId}/collections`.
pub async fn create(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    let org_id = org_id(&path)?;
    let req = read_request(&Body::parse(&body, true)?)?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let out = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            if !may_create(caller.membership(&org_id).as_ref(), DEFAULT_SETTINGS) {
                return Err(BwError::NotFound);
            }
            let groups = of_org(c, &org_id, req.groups.unwrap_or_default(), true)?;
            let users = of_org(c, &org_id, req.users.unwrap_or_default(), false)?;
            let any_manager = groups.iter().chain(&users).any(|a| a.manage);
            let count = collections::count_for_org(c, &org_id)?;
            check_create(DEFAULT_SETTINGS, any_manager, count, org.max_collections)
                .map_err(BwError::BadRequest)?;
            let col = BwCollection {
                id: ids::new_guid(),
                organization_id: org_id.clone(),
                name: req.name,
                external_id: req.external_id,
                collection_type: 0,
                created_at: now,
                revision_at: now,
            };
            collections::insert(c, &col)?;
            collections::set_groups(c, &col.id, &groups)?;
            collections::set_users(c, &col.id, &users)?;
            let actor = Actor::User(&caller);
            event_log::record(
                c,
                &org,
                actor,
                Subject::Collection(&col.id),
                types::COLLECTION_CREATED,
                now,
            )?;
            answer(c, &org_id, &col, &caller)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// `PUT /organizations/{orgId}/collections/{id}` (and the obsolete `POST`): the name and
/// external id, and the access lists given (each only if the caller may change it).
pub async fn update(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    let (org_id, id) = path_ids(path.into_inner())?;
    let req = read_request(&Body::parse(&body, true)?)?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let out = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            let mut col = load(c, &org_id, &id)?;
            let reach = Reach::load(c, &org_id, &caller)?;
            let target = [id.as_str()];
            if !reach.allows(Operation::Update, &target) {
                return Err(BwError::NotFound);
            }
            if let Some(g) = req.groups {
                if !reach.allows(Operation::ModifyGroupAccess, &target) {
                    return Err(BwError::NotFound);
                }
                collections::set_groups(c, &id, &of_org(c, &org_id, g, true)?)?;
            }
            if let Some(u) = req.users {
                if !reach.allows(Operation::ModifyUserAccess, &target) {
                    return Err(BwError::NotFound);
                }
                collections::set_users(c, &id, &of_org(c, &org_id, u, false)?)?;
            }
            col.name = req.name;
            col.external_id = req.external_id;
            col.revision_at = now;
            collections::update(c, &col)?;
            let actor = Actor::User(&caller);
            event_log::record(
                c,
                &org,
                actor,
                Subject::Collection(&id),
                types::COLLECTION_UPDATED,
                now,
            )?;
            answer(c, &org_id, &col, &caller)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// `DELETE /organizations/{orgId}/collections/{id}` (and the obsolete `POST .../delete`).
pub async fn delete(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (org_id, id) = path_ids(path.into_inner())?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            load(c, &org_id, &id)?;
            let reach = Reach::load(c, &org_id, &caller)?;
            if !reach.allows(Operation::Delete, &[id.as_str()]) {
                return Err(BwError::NotFound);
            }
            collections::delete(c, &id)?;
            let actor = Actor::User(&caller);
            event_log::record(
                c,
                &org,
                actor,
                Subject::Collection(&id),
                types::COLLECTION_DELETED,
                now,
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
