//! Organization users, `/api/v2/organization/{id}/user`: add (`{username, role}`), change role
//! (`PUT ?userId&role`), remove (`DELETE ?userId`). Organization admins only, with
//! `user_manage` (the scope of BitGo's user-management calls, which only login tokens carry).
//! Only a parent-enterprise admin can become an organization admin; there is one service user;
//! nobody changes their own role; a change that gives or takes the service user role answers
//! 202 with a pending approval that another organization admin resolves.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::bitgo::approvals::view::approval_json;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::organizations::{caller_role, organization_id};
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::organization::{needs_second_admin, RoleChange};
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::domain::scope::Scope;
use crate::service::approvals::organization as role_changes;
use crate::store::{organizations, users};

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

/// What a role change or removal led to.
enum Outcome {
    /// Applied: the reply document.
    Applied(Value),
    /// Held for another organization admin: the pending approval document.
    Held(Value),
}

/// Checks `change` (asked by `caller`) and applies it, or holds it when it gives or takes the
/// service user role; inside the caller's write.
fn submit(
    conn: &rusqlite::Connection,
    org_id: &str,
    caller: &str,
    change: RoleChange,
    applied: Value,
    now: i64,
) -> Result<Outcome> {
    policy::may_change_organization_member(caller, &change.user_id)?;
    let current = organizations::role_of(conn, org_id, &change.user_id)?;
    role_changes::check(conn, org_id, &change)?;
    if needs_second_admin(current, change.role) {
        let held = role_changes::hold(conn, org_id, &change, caller, now)?;
        return Ok(Outcome::Held(approval_json(&held, &[])));
    }
    role_changes::apply(conn, org_id, &change, now)?;
    Ok(Outcome::Applied(applied))
}

fn reply(authed: &Authed, outcome: Outcome) -> std::result::Result<HttpResponse, BitgoError> {
    match outcome {
        Outcome::Applied(doc) => authed.reply(StatusCode::OK, &doc),
        Outcome::Held(doc) => authed.reply(StatusCode::ACCEPTED, &doc),
    }
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
            role_changes::check_assignment(conn, &org_id, &user.id, role)?;
            organizations::upsert_member(conn, &org_id, &user.id, role, now)?;
            Ok(member_json(&org_id, &user.id, &user.username, role))
        })
        .await?;
    authed.reply(StatusCode::OK, &reply)
}

/// `PUT /api/v2/organization/{id}/user?userId&role` (`serviceUser|admin|member|customer`):
/// 200 with the member, or 202 with the pending approval.
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
    let outcome = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let user = users::find_by_id(conn, &target)?
                .ok_or_else(|| Error::NotFound(format!("user {target} not found")))?;
            let applied = member_json(&org_id, &target, &user.username, role);
            let change = RoleChange {
                user_id: user.id,
                email: user.username,
                role: Some(role),
            };
            submit(conn, &org_id, &caller, change, applied, now)
        })
        .await?;
    reply(&authed, outcome)
}

/// `DELETE /api/v2/organization/{id}/user?userId`: 200, or 202 with the pending approval
/// (removing the service user).
pub async fn remove_organization_user(
    authed: Authed,
    id: web::Path<String>,
    query: web::Query<UserQuery>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::UserManage)?;
    let org_id = organization_id(id.into_inner())?;
    let target = user_id(query.into_inner().user_id)?;
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let outcome = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let email = users::find_by_id(conn, &target)?
                .map(|u| u.username)
                .unwrap_or_default();
            let applied = json!({"organizationId": org_id, "userId": target});
            let change = RoleChange {
                user_id: target,
                email,
                role: None,
            };
            submit(conn, &org_id, &caller, change, applied, now)
        })
        .await?;
    reply(&authed, outcome)
}
