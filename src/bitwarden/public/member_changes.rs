//! `MembersController` of the Public API, the changes to one member: its role, permissions,
//! collections, groups and external id (`PUT /public/members/{id}`, the same command as the
//! private route with the Public API as the actor), re-sending its invitation, revoking and
//! restoring it. A member of another organization is the empty 404.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::Value;

use super::members::{member, member_id};
use super::{PublicCall, PublicError};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::jwt_key;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::Actor;
use crate::bitwarden::members::guid_list;
use crate::bitwarden::members::invite::resend;
use crate::bitwarden::members::invite_request::{read_permissions, read_role};
use crate::bitwarden::members::status::{restore_one, revoke_many};
use crate::bitwarden::members::update::{update_member, RoleChange};
use crate::bitwarden::members::views::{selection, MemberDetails};
use crate::bitwarden::selection as access_list;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::role::{MemberType, Permissions};
use crate::store::bitwarden::collections::Access;
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};

type Answer = Result<HttpResponse, PublicError>;

/// `MemberUpdateRequestModel`, read before the member is looked up (model state first).
struct MemberUpdate {
    role: MemberType,
    permissions: Option<Permissions>,
    collections: Option<Vec<Access>>,
    groups: Option<Vec<String>>,
    external_id: Option<String>,
}

fn read_update(body: &Body) -> BwResult<MemberUpdate> {
    let role = read_role(body)?;
    let external_id = body.external_id()?;
    let permissions = read_permissions(body)?;
    if role != MemberType::Custom && permissions.is_some() {
        return Err(BwError::field(
            "",
            "Only users with the Custom role may use custom permissions.",
        ));
    }
    let collections =
        access_list::read(body, "collections", "Collections", true)?.map(access_list::dedup);
    Ok(MemberUpdate {
        role,
        permissions,
        collections,
        groups: guid_list(body, "groups")?,
        external_id,
    })
}

/// The organization and one of its members, or the empty 404.
fn load(c: &Connection, org_id: &str, id: &str) -> BwResult<(BwOrg, BwMember)> {
    let org = orgs::find(c, org_id)?.ok_or(BwError::NotFound)?;
    let m = members::find(c, org_id, id)?.ok_or(BwError::NotFound)?;
    Ok((org, m))
}

/// `PUT /public/members/{id}`: what is not given is reset (collections emptied, external id
/// cleared), except groups (kept when absent) and a custom member's permissions (kept when
/// absent). Answers the member with the collections given (null when none were).
pub async fn update(call: PublicCall, path: Path<String>, body: Bytes) -> Answer {
    let id = member_id(&path)?;
    let req = read_update(&Body::parse(&body, true)?)?;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    let answer = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, m) = load(c, &org_id, &id)?;
            let change = RoleChange {
                role: req.role,
                permissions: req
                    .permissions
                    .filter(|_| req.role == MemberType::Custom)
                    .unwrap_or_else(|| m.permissions.clone()),
                collections: req.collections.clone().unwrap_or_default(),
                groups: req.groups,
                access_secrets_manager: m.access_secrets_manager,
                external_id: Some(req.external_id),
            };
            update_member(c, &org, &m, &change, Actor::PublicApi(&caller), now)?;
            let saved = members::find(c, &org_id, &id)?.ok_or(BwError::NotFound)?;
            let mut v = member(&MemberDetails::load(c, saved)?);
            v["collections"] = req.collections.as_ref().map_or(Value::Null, |list| {
                Value::Array(list.iter().map(selection).collect())
            });
            Ok(v)
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// `POST /public/members/{id}/reinvite`: mails the link again to an invited member
/// (`User invalid.` for any other status).
pub async fn reinvite(call: PublicCall, path: Path<String>) -> Answer {
    let id = member_id(&path)?;
    let key = jwt_key(&call.sandbox).await?;
    let (org_id, now) = (call.org_id.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, m) = load(c, &org_id, &id)?;
            resend(c, &org, Some(m), &key, now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `POST /public/members/{id}/revoke`: the revocation command's refusal as a 400.
pub async fn revoke(call: PublicCall, path: Path<String>) -> Answer {
    let id = member_id(&path)?;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, m) = load(c, &org_id, &id)?;
            let lines = revoke_many(c, &org, &[m.id], Actor::PublicApi(&caller), now)?;
            match lines.into_iter().find(|(_, e)| !e.is_empty()) {
                Some((_, error)) => Err(BwError::BadRequest(error)),
                None => Ok(()),
            }
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `POST /public/members/{id}/restore`: the restoration command's refusal as a 400.
pub async fn restore(call: PublicCall, path: Path<String>) -> Answer {
    let id = member_id(&path)?;
    let hosted = call.state.bitwarden.deployment == Deployment::SelfHosted;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, m) = load(c, &org_id, &id)?;
            restore_one(c, &org, &m, Actor::PublicApi(&caller), hosted, now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
