//! The routes of removal, revocation and restoration (`OrganizationUsersController`): those
//! who manage users pass (403 for anyone else); a member of another organization is a 404.
//! A single change answers 200 with an empty body, a bulk one a list of
//! `{id, error}` lines.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;

use super::status::{remove_many, remove_one, restore_many, restore_one, revoke_many, revoke_one};
use super::{bulk_ids, path_ids, views};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::Actor;
use crate::bitwarden::organizations::{gate, org_id};
use crate::bitwarden::views as wire;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::policy::{Gate, Permission};
use crate::store::bitwarden::members;

const MANAGE_USERS: Gate = Gate::Permission(Permission::ManageUsers);

#[derive(Clone, Copy)]
enum Change {
    Remove,
    Revoke,
    Restore,
}

async fn one(call: BwCall, path: Path<(String, String)>, change: Change) -> BwResult<HttpResponse> {
    let (id, member_id) = path_ids(path.into_inner())?;
    let hosted = call.state.bitwarden.deployment == Deployment::SelfHosted;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, MANAGE_USERS)?;
            let m = members::find(c, &id, &member_id)?.ok_or(BwError::NotFound)?;
            let actor = Actor::User(&caller);
            match change {
                Change::Remove => remove_one(c, &org, &m, actor, now),
                Change::Revoke => revoke_one(c, &org, &m, actor, now),
                Change::Restore => restore_one(c, &org, &m, actor, hosted, now),
            }
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

async fn many(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
    change: Change,
) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let ids = bulk_ids(&Body::parse(&body, true)?)?;
    let hosted = call.state.bitwarden.deployment == Deployment::SelfHosted;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let lines = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, MANAGE_USERS)?;
            let actor = Actor::User(&caller);
            match change {
                Change::Remove => remove_many(c, &org, &ids, actor, now),
                Change::Revoke => revoke_many(c, &org, &ids, actor, now),
                Change::Restore => restore_many(c, &org, &ids, actor, hosted, now),
            }
        })
        .await?;
    let data = lines.iter().map(|(id, e)| views::bulk(id, e)).collect();
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `DELETE /organizations/{orgId}/users/{id}` (and the obsolete `POST .../{id}/remove`).
pub async fn remove(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    one(call, path, Change::Remove).await
}

/// `DELETE /organizations/{orgId}/users {ids}` (and the obsolete `POST .../remove`).
pub async fn bulk_remove(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    many(call, path, body, Change::Remove).await
}

/// `PUT /organizations/{orgId}/users/{id}/revoke` (and the obsolete `PATCH`).
pub async fn revoke(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    one(call, path, Change::Revoke).await
}

/// `PUT /organizations/{orgId}/users/revoke {ids}` (and the obsolete `PATCH`).
pub async fn bulk_revoke(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    many(call, path, body, Change::Revoke).await
}

/// `PUT /organizations/{orgId}/users/{id}/restore` (and `PATCH`, and `.../restore/vnext`).
pub async fn restore(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    one(call, path, Change::Restore).await
}

/// `PUT /organizations/{orgId}/users/restore {ids}` (and the obsolete `PATCH`).
pub async fn bulk_restore(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    many(call, path, body, Change::Restore).await
}
