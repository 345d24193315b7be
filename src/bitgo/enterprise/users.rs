//! Enterprise users under `/api/v{1,2}/enterprise/{id}/user`: list, add, remove, change
//! role. Changes need `user_manage` (login tokens only) and an enterprise admin; when another
//! admin could approve, they answer 202 with a pending approval instead of applying.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::bitgo::approvals::{base_url, view};
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::domain::enterprise_change::{parse_add_permissions, parse_role, EnterpriseChange};
use crate::domain::error::{Error, Result};
use crate::domain::policy;
use crate::domain::scope::Scope;
use crate::request::json::{string_field, string_list_field};
use crate::service::approvals::{self, Context, Submitted};
use crate::store::enterprise_users::{self, EnterpriseUser};
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::invitations::NO_PASSWORD;
use crate::store::users;

use super::{check_enterprise_id, load_enterprise};

fn user_json(m: &EnterpriseUser) -> Value {
    let u = &m.user;
    let verified = u.password_hash != NO_PASSWORD;
    json!({
        "id": u.id,
        "username": u.username,
        "firstName": u.first_name,
        "lastName": u.last_name,
        "fullName": format!("{} {}", u.first_name, u.last_name).trim(),
        "isActive": u.is_active,
        "email": {"email": u.username, "verified": verified},
        "verified": verified,
        "identity": {"kyc": {"hasVideoID": false, "overallState": "approved", "required": true}},
        "permissions": m.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "videoIdUser": m.video_id_user
    })
}

/// `GET /api/v{1,2}/enterprise/{id}/user`: `{adminUsers, nonAdminUsers, count}`, for members
/// with `enterprise_view_all`. Invited users who have not set a password yet show
/// `verified: false`.
pub async fn list_users(authed: Authed, id: web::Path<String>) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    let id = check_enterprise_id(id.into_inner())?;
    let viewer = authed.principal.user_id().to_string();
    let members = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            load_enterprise(conn, &id)?;
            policy::may_view_enterprise(
                enterprises::permissions_of(conn, &id, &viewer)?.as_deref(),
            )?;
            enterprise_users::list(conn, &id)
        })
        .await?;
    let (admins, others): (Vec<_>, Vec<_>) = members.iter().partition(|m| m.is_admin());
    authed.reply(
        StatusCode::OK,
        &json!({
            "adminUsers": admins.iter().map(|m| user_json(m)).collect::<Vec<_>>(),
            "nonAdminUsers": others.iter().map(|m| user_json(m)).collect::<Vec<_>>(),
            "count": members.len(),
            "incomplete": false
        }),
    )
}

/// Runs `make_changes` and submits them for an enterprise admin, in one transaction.
async fn change_users<F>(
    authed: &Authed,
    req: &HttpRequest,
    enterprise_id: String,
    make_changes: F,
) -> Result<Submitted>
where
    F: FnOnce(&rusqlite::Connection, &EnterpriseRow) -> Result<Vec<EnterpriseChange>>
        + Send
        + 'static,
{
    let actor = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let base = base_url(req);
    authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            let enterprise = load_enterprise(conn, &enterprise_id)?;
            policy::may_manage_enterprise(
                enterprises::permissions_of(conn, &enterprise_id, &actor)?.as_deref(),
            )?;
            let changes = make_changes(conn, &enterprise)?;
            let ctx = Context {
                enterprise: &enterprise,
                actor_id: &actor,
                now_ms: now,
                base_url: &base,
            };
            approvals::submit(conn, &ctx, changes)
        })
        .await
}

/// The emails of an add: `username` or `usernames[]` (both may be given), trimmed,
/// lowercased, without duplicates.
fn emails(body: &Map<String, Value>) -> Result<Vec<String>> {
    let mut all: Vec<String> =
        string_list_field(body.get("usernames"), "usernames")?.unwrap_or_default();
    if let Some(one) = string_field(body.get("username"), "username")? {
        all.insert(0, one.to_string());
    }
    let mut out: Vec<String> = Vec::new();
    for e in all {
        let e = e.trim().to_lowercase();
        let valid = e
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
        if !valid {
            return Err(Error::Invalid(format!(
                "invalid username {e:?}: expected an email address"
            )));
        }
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if out.is_empty() {
        return Err(Error::Invalid("username (or usernames) is required".into()));
    }
    Ok(out)
}

/// The `permission` of an add: one name or an array of names.
fn permission_names(value: Option<&Value>) -> Result<Vec<String>> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(v @ Value::Array(_)) => {
            Ok(string_list_field(Some(v), "permission")?.unwrap_or_default())
        }
        Some(_) => Err(Error::Invalid(
            "permission must be admin, auditor or wallet.create, or an array of those".into(),
        )),
    }
}

/// `POST /api/v{1,2}/enterprise/{id}/user` `{username | usernames[], permission, videoIdUser}`:
/// 200 `{}` when applied, 202 with the (first) pending approval when other admins must approve.
pub async fn add_user(
    authed: Authed,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    policy::require_user_manage(&authed.principal.token.scope, authed.principal.token.kind)?;
    let id = check_enterprise_id(id.into_inner())?;
    let body: Map<String, Value> = authed.call.json()?;
    let emails = emails(&body)?;
    let permissions: Vec<String> =
        parse_add_permissions(&permission_names(body.get("permission"))?)?
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
    let video_id_user = match body.get("videoIdUser") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::Invalid("videoIdUser must be true or false".into()).into()),
    };
    let submitted = change_users(&authed, &req, id, move |conn, _| {
        emails
            .into_iter()
            .map(|email| {
                Ok(EnterpriseChange::AddUser {
                    user_id: users::find_by_username(conn, &email)?.map(|u| u.id),
                    email,
                    permissions: permissions.clone(),
                    video_id_user,
                    organization_id: None,
                })
            })
            .collect()
    })
    .await?;
    match submitted {
        Submitted::Applied => authed.reply(StatusCode::OK, &json!({})),
        Submitted::Pending(opened) => {
            let first = opened
                .first()
                .ok_or_else(|| Error::Internal("no approval opened".into()))?;
            authed.reply(StatusCode::ACCEPTED, &view::approval_json(first, &[]))
        }
    }
}

/// The member a remove or role change names (by `username`/email or by `userId`).
fn find_member(
    conn: &rusqlite::Connection,
    enterprise: &EnterpriseRow,
    username: Option<&str>,
    user_id: Option<&str>,
) -> Result<(String, String)> {
    let user = match (user_id, username) {
        (Some(id), _) => users::find_by_id(conn, id)?,
        (None, Some(name)) => users::find_by_username(conn, name.trim())?,
        (None, None) => return Err(Error::Invalid("username is required".into())),
    };
    let not_member = || {
        Error::Invalid(format!(
            "{} is not a member of this enterprise",
            username.or(user_id).unwrap_or_default()
        ))
    };
    let user = user.ok_or_else(not_member)?;
    if enterprises::permissions_of(conn, &enterprise.id, &user.id)?.is_none() {
        return Err(not_member());
    }
    Ok((user.id, user.username))
}

/// `DELETE /api/v{1,2}/enterprise/{id}/user` with a JSON body `{username}` (or `{userId}`):
/// 200 `{}`, or 202 `{pendingApprovals: [...]}`.
pub async fn remove_user(
    authed: Authed,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    policy::require_user_manage(&authed.principal.token.scope, authed.principal.token.kind)?;
    let id = check_enterprise_id(id.into_inner())?;
    let body: Map<String, Value> = authed.call.json()?;
    let username = string_field(body.get("username"), "username")?.map(str::to_string);
    let user_id = string_field(body.get("userId"), "userId")?.map(str::to_string);
    let submitted = change_users(&authed, &req, id, move |conn, enterprise| {
        let (user_id, email) =
            find_member(conn, enterprise, username.as_deref(), user_id.as_deref())?;
        Ok(vec![EnterpriseChange::RemoveUser { user_id, email }])
    })
    .await?;
    match submitted {
        Submitted::Applied => authed.reply(StatusCode::OK, &json!({})),
        Submitted::Pending(opened) => {
            let list: Vec<Value> = opened.iter().map(|a| view::approval_json(a, &[])).collect();
            authed.reply(StatusCode::ACCEPTED, &json!({ "pendingApprovals": list }))
        }
    }
}

/// Query of a role change.
#[derive(Debug, Deserialize)]
pub struct RoleQuery {
    #[serde(rename = "userId")]
    user_id: Option<String>,
    role: Option<String>,
}

/// `PUT /api/v{1,2}/enterprise/{id}/user?userId=&role=`: role is `admin`, `auditor`,
/// `wallet.create` or `member`. 200 `{}`, or 202 with the pending approval.
pub async fn change_role(
    authed: Authed,
    req: HttpRequest,
    id: web::Path<String>,
    query: web::Query<RoleQuery>,
) -> Result<HttpResponse, BitgoError> {
    policy::require_user_manage(&authed.principal.token.scope, authed.principal.token.kind)?;
    let id = check_enterprise_id(id.into_inner())?;
    let q = query.into_inner();
    let user_id = q
        .user_id
        .filter(|u| !u.is_empty())
        .ok_or_else(|| Error::Invalid("userId is required".into()))?;
    let role = parse_role(
        q.role
            .as_deref()
            .ok_or_else(|| Error::Invalid("role is required".into()))?,
    )?;
    let submitted = change_users(&authed, &req, id, move |conn, enterprise| {
        let (user_id, email) = find_member(conn, enterprise, None, Some(&user_id))?;
        Ok(vec![EnterpriseChange::UpdateUser {
            user_id,
            email,
            permissions: vec![role.as_str().to_string()],
        }])
    })
    .await?;
    match submitted {
        Submitted::Applied => authed.reply(StatusCode::OK, &json!({})),
        Submitted::Pending(opened) => {
            let first = opened
                .first()
                .ok_or_else(|| Error::Internal("no approval opened".into()))?;
            authed.reply(StatusCode::ACCEPTED, &view::approval_json(first, &[]))
        }
    }
}
