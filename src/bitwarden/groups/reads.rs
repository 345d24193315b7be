//! The reading routes of `GroupsController`: the list (for those who manage collections,
//! members or groups), the list with collections (`ManageUsersOrGroups`), one group, its
//! details and its members (`ManageGroups`). A refused gate is the empty 403; a group of
//! another organization is a 404.

use actix_web::web::Path;
use actix_web::HttpResponse;
use serde_json::Value;

use super::request::{authorize, guid, load};
use super::views;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::BwResult;
use crate::bitwarden::views as wire;
use crate::domain::bitwarden::groups::GroupAction;
use crate::store::bitwarden::{collections, groups};

/// Runs `f` over a read connection after the gate of `action`.
async fn read_with<T, F>(call: &BwCall, org_id: String, action: GroupAction, f: F) -> BwResult<T>
where
    F: FnOnce(&rusqlite::Connection, &str) -> BwResult<T> + Send + 'static,
    T: Send + 'static,
{
    let caller = call.caller.clone();
    call.sandbox
        .store
        .read(move |c| Ok(authorize(c, &org_id, &caller, action).and_then(|_| f(c, &org_id))))
        .await?
}

/// `GET /organizations/{orgId}/groups` (`GroupResponseModel`s).
pub async fn list(call: BwCall, path: Path<String>) -> BwResult<HttpResponse> {
    let org_id = guid(&path)?;
    let data = read_with(&call, org_id, GroupAction::List, |c, org| {
        Ok(groups::list_for_org(c, org)?
            .iter()
            .map(views::group)
            .collect::<Vec<Value>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /organizations/{orgId}/groups/details` (`GroupDetailsResponseModel`s).
pub async fn list_details(call: BwCall, path: Path<String>) -> BwResult<HttpResponse> {
    let org_id = guid(&path)?;
    let data = read_with(&call, org_id, GroupAction::ListDetails, |c, org| {
        let mut out = Vec::new();
        for g in groups::list_for_org(c, org)? {
            out.push(views::details(&g, &collections::of_group(c, &g.id)?));
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /organizations/{orgId}/groups/{id}`.
pub async fn get(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (org_id, id) = (guid(&path.0)?, guid(&path.1)?);
    let body = read_with(&call, org_id, GroupAction::Manage, move |c, org| {
        Ok(views::group(&load(c, org, &id)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /organizations/{orgId}/groups/{id}/details`.
pub async fn details(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (org_id, id) = (guid(&path.0)?, guid(&path.1)?);
    let body = read_with(&call, org_id, GroupAction::Manage, move |c, org| {
        let g = load(c, org, &id)?;
        Ok(views::details(&g, &collections::of_group(c, &g.id)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /organizations/{orgId}/groups/{id}/users`: the members' ids, a bare JSON array.
pub async fn users(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (org_id, id) = (guid(&path.0)?, guid(&path.1)?);
    let ids = read_with(&call, org_id, GroupAction::Manage, move |c, org| {
        let g = load(c, org, &id)?;
        Ok(groups::member_ids(c, &g.id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ids))
}
