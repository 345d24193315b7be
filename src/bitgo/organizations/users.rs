//! Organization users, `/api/v2/organization/{id}/user`: add (`{username, role}`), change role
//! (`PUT ?userId&role`), remove (`DELETE ?userId`). Organization admins only, with
//! `user_manage` (the scope of BitGo's user-management calls, which only login tokens carry).
//! Only a parent-enterprise admin can become an organization admin; there is one service user.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::organizations::{caller_role, organization_id};
use crate::domain::ids::is_hex_id;
use crate::domain::organization::{check_removal, check_role_assignment};
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::domain::scope::Scope;
use crate::error::{Error, Result};
use crate::store::{enterprises, organizations, users};

#[derive(Deserialize)]
struct AddUser {
    username: Option<String>,
    role: Option<String>,
}

/// `?userId&role` of the role change.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleQuery {
    user_id: String,
    role: String,
}

/// `?userId` of the removal.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserQuery {
    user_id: String,
}

fn member_json(org_id: &str, user_id: &str, username: &str, role: OrgRole) -> Value {
    json!({"organizationId": org_id, "userId": user_id, "username": username, "role": role.as_str()})
}

fn user_id(raw: String) -> std::result::Result<String, BitgoError> {
    if is_hex_id(&raw) {
        Ok(raw)
    } else {
        Err(Error::Invalid(format!(
            "invalid userId {raw:?}: expected 32 lowercase hex characters"
        ))
        .into())
    }
}

/// Gives `user_id` `role` after the organization rules allow it (inside the write).
fn assign(
    conn: &rusqlite::Connection,
    org_id: &str,
    user_id: &str,
    role: OrgRole,
    now: i64,
) -> Result<()> {
    let parent = organizations::parent_enterprise_id(conn, org_id)?;
    let permissions = match &parent {
        Some(p) => enterprises::permissions_of(conn, p, user_id)?,
        None => None,
    };
    let members = organizations::members(conn, org_id)?;
    check_role_assignment(&members, user_id, role, permissions.as_deref())?;
    organizations::upsert_member(conn, org_id, user_id, role, now)
}

/// `POST /api/v2/organization/{id}/user {username, role: admin|member}`.
pub async fn add_organization_user(
    authed: Authed,
    id: web::Path<String>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::UserManage)?;
    let org_id = organization_id(id.into_inner())?;
    let body: AddUser = authed.call.json()?;
    let username = body
        .username
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| Error::Invalid("missing required field: username".into()))?;
    let role = match body.role.as_deref() {
        None => return Err(Error::Invalid("missing required field: role".into()).into()),
        Some("admin") => OrgRole::Admin,
        Some("member") => OrgRole::Member,
        Some(other) => {
            return Err(Error::Invalid(format!(
                "invalid role {other:?}: a user is added as admin or member (change roles with PUT)"
            ))
            .into())
        }
    };
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let reply = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let user = users::find_by_username(conn, username.trim())?
                .ok_or_else(|| Error::NotFound(format!("user {username} not found")))?;
            if let Some(current) = organizations::role_of(conn, &org_id, &user.id)? {
                return Err(Error::Conflict(format!(
                    "{} is already in the organization as {}; change the role with PUT \
                     /api/v2/organization/{org_id}/user?userId={}&role=...",
                    user.username,
                    current.as_str(),
                    user.id
                )));
            }
            assign(conn, &org_id, &user.id, role, now)?;
            Ok(member_json(&org_id, &user.id, &user.username, role))
        })
        .await?;
    authed.reply(StatusCode::OK, &reply)
}

/// `PUT /api/v2/organization/{id}/user?userId&role` (`serviceUser|admin|member|customer`).
pub async fn update_organization_user(
    authed: Authed,
    id: web::Path<String>,
    query: web::Query<RoleQuery>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::UserManage)?;
    let org_id = organization_id(id.into_inner())?;
    let RoleQuery {
        user_id: target,
        role,
    } = query.into_inner();
    let target = user_id(target)?;
    let role = OrgRole::parse(&role).ok_or_else(|| {
        Error::Invalid(format!(
            "invalid role {role:?}: expected serviceUser, admin, member or customer"
        ))
    })?;
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let reply = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let user = users::find_by_id(conn, &target)?
                .ok_or_else(|| Error::NotFound(format!("user {target} not found")))?;
            if organizations::role_of(conn, &org_id, &target)?.is_none() {
                return Err(Error::NotFound(format!(
                    "user {target} is not a member of this organization"
                )));
            }
            assign(conn, &org_id, &target, role, now)?;
            Ok(member_json(&org_id, &target, &user.username, role))
        })
        .await?;
    authed.reply(StatusCode::OK, &reply)
}

/// `DELETE /api/v2/organization/{id}/user?userId`.
pub async fn remove_organization_user(
    authed: Authed,
    id: web::Path<String>,
    query: web::Query<UserQuery>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::UserManage)?;
    let org_id = organization_id(id.into_inner())?;
    let target = user_id(query.into_inner().user_id)?;
    let caller = authed.principal.user_id().to_string();
    let reply = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            check_removal(&organizations::members(conn, &org_id)?, &target)?;
            organizations::remove_member(conn, &org_id, &target)?;
            Ok(json!({"organizationId": org_id, "userId": target}))
        })
        .await?;
    authed.reply(StatusCode::OK, &reply)
}
