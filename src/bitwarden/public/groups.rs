//! `GroupsController` of the Public API, and the group routes of its `MembersController`
//! (`/public/members/{id}/group-ids`): the organization API key reads and changes the groups
//! of its organization. An unknown group or member is the controller's own `NotFoundResult`
//! (an empty 404); a collection the update names that is not the organization's is the
//! command's `NotFoundException` (404 `Resource not found.` in the Public API's shape).
//! As on the server, the Public API's delete and its member-ids change record no event.

use actix_web::web::{self, Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::json;

use super::{list, PublicCall, PublicError};
use crate::bitwarden::body::Body;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::groups::change::{self, By, GroupInput};
use crate::bitwarden::groups::request::{guid, read_name};
use crate::bitwarden::groups::views;
use crate::bitwarden::members::guid_list;
use crate::bitwarden::selection;
use crate::bitwarden::{both, resource};
use crate::domain::bitwarden::events::types;
use crate::store::bitwarden::groups::{self, BwGroup};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::{collections, members};

type Answer = Result<HttpResponse, PublicError>;

/// Registers the Public API's group routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource(both("/public/groups"))
            .route(web::get().to(list_groups))
            .route(web::post().to(create)),
    )
    .service(
        resource(both("/public/groups/{id}"))
            .route(web::get().to(get_group))
            .route(web::put().to(update))
            .route(web::delete().to(delete)),
    )
    .service(
        resource(both("/public/groups/{id}/member-ids"))
            .route(web::get().to(member_ids))
            .route(web::put().to(put_member_ids)),
    )
    .service(
        resource(both("/public/members/{id}/group-ids"))
            .route(web::get().to(group_ids))
            .route(web::put().to(put_group_ids)),
    );
}

/// A group of the token's organization; an unknown one is the controller's empty 404.
fn load(c: &Connection, org_id: &str, id: &str) -> BwResult<(BwOrg, BwGroup)> {
    let org = orgs::find(c, org_id)?.ok_or(BwError::NotFound)?;
    let group = groups::find(c, org_id, id)?.ok_or(BwError::NotFound)?;
    Ok((org, group))
}

/// `GroupCreateUpdateRequestModel`: `name`, `externalId` (up to 300), `collections`
/// (`AssociationWithPermissionsRequestModel`s, whose `readOnly` is required).
fn read_request(bytes: &[u8]) -> BwResult<GroupInput> {
    let body = Body::parse(bytes, true)?;
    let name = read_name(&body)?;
    let external_id = body.external_id()?;
    let collections =
        selection::read(&body, "collections", "Collections", true)?.map(selection::dedup);
    Ok(GroupInput {
        name,
        external_id: Some(external_id),
        collections,
        users: None,
    })
}

/// `GET /public/groups`: every group with its collections.
pub async fn list_groups(call: PublicCall) -> Answer {
    let org = call.org_id.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let mut out = Vec::new();
            for g in groups::list_for_org(c, &org)? {
                let access = collections::of_group(c, &g.id)?;
                out.push(views::public_group(&g, Some(&access)));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list(data)))
}

/// `GET /public/groups/{id}`.
pub async fn get_group(call: PublicCall, path: Path<String>) -> Answer {
    let (org, id) = (call.org_id.clone(), guid(&path)?);
    let found = call
        .sandbox
        .store
        .read(move |c| match groups::find(c, &org, &id)? {
            Some(g) => Ok(Some(views::public_group(
                &g,
                Some(&collections::of_group(c, &g.id)?),
            ))),
            None => Ok(None),
        })
        .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(BwError::NotFound)?))
}

/// `POST /public/groups`: the answer echoes the request's collections.
pub async fn create(call: PublicCall, body: Bytes) -> Answer {
    let input = read_request(&body)?;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    let made = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            let g = change::create(c, &org, &input, By::PublicApi(&caller), now)?;
            Ok(views::public_group(&g, input.collections.as_deref()))
        })
        .await?;
    Ok(HttpResponse::Ok().json(made))
}

/// The command's `NotFoundException` in the Public API: 404 with an error body.
fn thrown_not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .json(json!({"object": "error", "message": "Resource not found.", "errors": null}))
}

/// `PUT /public/groups/{id}`: name and external id are replaced (an absent one is cleared);
/// without `collections` the access stays; the members stay.
pub async fn update(call: PublicCall, path: Path<String>, body: Bytes) -> Answer {
    let id = guid(&path)?;
    let input = read_request(&body)?;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    let saved = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, group) = match load(c, &org_id, &id) {
                Ok(found) => found,
                Err(e) => return Ok(Err(e)),
            };
            let g = change::update(c, &org, group, &input, By::PublicApi(&caller), now)?;
            Ok(Ok(views::public_group(&g, input.collections.as_deref())))
        })
        .await;
    match saved {
        Ok(Ok(body)) => Ok(HttpResponse::Ok().json(body)),
        Ok(Err(e)) => Err(e.into()),
        Err(BwError::NotFound) => Ok(thrown_not_found()),
        Err(e) => Err(e.into()),
    }
}

/// `DELETE /public/groups/{id}`.
pub async fn delete(call: PublicCall, path: Path<String>) -> Answer {
    let id = guid(&path)?;
    let (org_id, now) = (call.org_id.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, group) = load(c, &org_id, &id)?;
            change::delete(c, &org, &group.id, None, now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `GET /public/groups/{id}/member-ids`: a bare JSON array.
pub async fn member_ids(call: PublicCall, path: Path<String>) -> Answer {
    let (org, id) = (call.org_id.clone(), guid(&path)?);
    let ids = call
        .sandbox
        .store
        .read(move |c| match groups::find(c, &org, &id)? {
            Some(g) => Ok(Some(groups::member_ids(c, &g.id)?)),
            None => Ok(None),
        })
        .await?;
    Ok(HttpResponse::Ok().json(ids.ok_or(BwError::NotFound)?))
}

/// A required list of GUIDs (`memberIds`, `groupIds`): the server fails with a 500 on a
/// missing one; orgbox refuses it as a model-state error and changes nothing.
fn read_guids(bytes: &[u8], field: &str, model: &str) -> BwResult<Vec<String>> {
    guid_list(&Body::parse(bytes, true)?, field)?
        .ok_or_else(|| BwError::field(model, &format!("The {model} field is required.")))
}

/// `PUT /public/groups/{id}/member-ids` (`{memberIds}`): members of other organizations are
/// skipped; no event.
pub async fn put_member_ids(call: PublicCall, path: Path<String>, body: Bytes) -> Answer {
    let id = guid(&path)?;
    let users = read_guids(&body, "memberIds", "MemberIds")?;
    let (org_id, now) = (call.org_id.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, group) = load(c, &org_id, &id)?;
            change::set_members(c, &org, &group.id, &users, None, now)?;
            Ok(groups::touch(c, &group.id, now)?)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `GET /public/members/{id}/group-ids`: a bare JSON array.
pub async fn group_ids(call: PublicCall, path: Path<String>) -> Answer {
    let (org, id) = (call.org_id.clone(), guid(&path)?);
    let ids = call
        .sandbox
        .store
        .read(move |c| match members::find(c, &org, &id)? {
            Some(m) => Ok(Some(groups::group_ids_of_member(c, &m.id)?)),
            None => Ok(None),
        })
        .await?;
    Ok(HttpResponse::Ok().json(ids.ok_or(BwError::NotFound)?))
}

/// `PUT /public/members/{id}/group-ids` (`{groupIds}`, `UpdateOrganizationUserGroupsCommand`):
/// groups of other organizations are skipped; `OrganizationUser_UpdatedGroups` is recorded.
pub async fn put_group_ids(call: PublicCall, path: Path<String>, body: Bytes) -> Answer {
    let id = guid(&path)?;
    let wanted = read_guids(&body, "groupIds", "GroupIds")?;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            let m = members::find(c, &org_id, &id)?.ok_or(BwError::NotFound)?;
            let mut kept: Vec<String> = Vec::new();
            for g in wanted {
                if groups::find(c, &org_id, &g)?.is_some() && !kept.contains(&g) {
                    kept.push(g);
                }
            }
            for g in groups::group_ids_of_member(c, &m.id)?.iter().chain(&kept) {
                groups::touch(c, g, now)?;
            }
            groups::set_groups_of_member(c, &m.id, &kept)?;
            let subject = Subject::Member(&m);
            let actor = Actor::User(&caller);
            event_log::record(c, &org, actor, subject, types::MEMBER_UPDATED_GROUPS, now)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
