//! The changing routes of `GroupsController`, all behind `ManageGroups` (the empty 403):
//! create, update (and the obsolete `POST`), delete one or many (and their obsolete `POST`s),
//! and take a member out of a group. As on the server the gate runs before the body is
//! read, so a refused caller never learns what was wrong with its body.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;

use super::change::{self, By, GroupInput};
use super::request::{authorize, guid, load, read_name};
use super::views;
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::Actor;
use crate::bitwarden::members::guid_list;
use crate::bitwarden::selection;
use crate::domain::bitwarden::groups::GroupAction;
use crate::store::bitwarden::groups;

/// `GroupRequestModel`: `name`, `collections` (`SelectionReadOnlyRequestModel`s), `users`.
fn read_request(bytes: &[u8]) -> BwResult<GroupInput> {
    let body = Body::parse(bytes, true)?;
    let name = read_name(&body)?;
    let collections =
        selection::read(&body, "collections", "Collections", false)?.map(selection::dedup);
    Ok(GroupInput {
        name,
        external_id: None,
        collections,
        users: guid_list(&body, "users")?,
    })
}

/// `POST /organizations/{orgId}/groups`: the new `GroupResponseModel`.
pub async fn create(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    let org_id = guid(&path)?;
    let input = read_request(&body);
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let made = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = authorize(c, &org_id, &caller, GroupAction::Manage)?;
            let group = change::create(c, &org, &input?, By::Member(&caller), now)?;
            Ok(views::group(&group))
        })
        .await?;
    Ok(HttpResponse::Ok().json(made))
}

/// `PUT /organizations/{orgId}/groups/{id}` (and the obsolete `POST`). Without `collections`
/// the group's access stays as it is (the server fails with a 500 there).
pub async fn update(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    let (org_id, id) = (guid(&path.0)?, guid(&path.1)?);
    let input = read_request(&body);
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let saved = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = authorize(c, &org_id, &caller, GroupAction::Manage)?;
            let input = input?;
            let group = load(c, &org_id, &id)?;
            let group = change::update(c, &org, group, &input, By::Member(&caller), now)?;
            Ok(views::group(&group))
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// `DELETE /organizations/{orgId}/groups/{id}` (and the obsolete `POST .../delete`).
pub async fn delete(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (org_id, id) = (guid(&path.0)?, guid(&path.1)?);
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = authorize(c, &org_id, &caller, GroupAction::Manage)?;
            load(c, &org_id, &id)?;
            change::delete(c, &org, &id, Some(Actor::User(&caller)), now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `GroupBulkRequestModel`: `ids`, required (an empty list deletes nothing).
fn read_ids(bytes: &[u8]) -> BwResult<Vec<String>> {
    guid_list(&Body::parse(bytes, true)?, "ids")?
        .ok_or_else(|| BwError::field("Ids", "The Ids field is required."))
}

/// `DELETE /organizations/{orgId}/groups` and `POST .../groups/delete` (`{ids}`): a group of
/// another organization refuses the whole request (404); unknown ids are skipped.
pub async fn bulk_delete(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    let org_id = guid(&path)?;
    let ids = read_ids(&body);
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = authorize(c, &org_id, &caller, GroupAction::Manage)?;
            let mut found = Vec::new();
            for id in ids? {
                match groups::find_any(c, &id)? {
                    Some(g) if g.organization_id != org.id => return Err(BwError::NotFound),
                    Some(g) if !found.contains(&g.id) => found.push(g.id),
                    _ => {}
                }
            }
            for id in &found {
                change::delete(c, &org, id, Some(Actor::User(&caller)), now)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `DELETE /organizations/{orgId}/groups/{id}/user/{orgUserId}` (and the obsolete
/// `POST .../delete-user/{orgUserId}`).
pub async fn remove_member(
    call: BwCall,
    path: Path<(String, String, String)>,
) -> BwResult<HttpResponse> {
    let (org_id, id, member) = (guid(&path.0)?, guid(&path.1)?, guid(&path.2)?);
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = authorize(c, &org_id, &caller, GroupAction::Manage)?;
            let group = load(c, &org_id, &id)?;
            change::remove_member(c, &org, &group, &member, Actor::User(&caller), now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
