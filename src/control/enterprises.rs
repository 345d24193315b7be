//! `POST /sandbox/enterprises/{id}/members {userId | email, permissions, videoApprover?,
//! joinedAt?}`: makes a user a member of an enterprise with exactly these permissions, at once,
//! standing in for BitGo support. The public route (`POST /api/v2/enterprise/{id}/user`) adds
//! only new members, asks the other admins to approve and mails the user; tests and demos that
//! need a member as a starting point get one here, with nothing else written.

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::json;

use crate::control::{Admin, ControlError};
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::role::EnterprisePermission;
use crate::request::json::parse_body;
use crate::store::{enterprise_users, enterprises, users};

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/enterprises/{id}/members").route(web::post().to(set_enterprise_member)),
    );
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SetMember {
    user_id: Option<String>,
    email: Option<String>,
    permissions: Vec<String>,
    video_approver: Option<bool>,
    joined_at: Option<i64>,
}

fn parse_permissions(names: &[String]) -> Result<Vec<EnterprisePermission>> {
    if names.is_empty() {
        return Err(Error::Invalid(
            "permissions must name at least one of admin, auditor, wallet.create, member".into(),
        ));
    }
    names
        .iter()
        .map(|p| {
            EnterprisePermission::parse(p)
                .ok_or_else(|| Error::Invalid(format!("unknown permission {p:?}")))
        })
        .collect()
}

/// `POST /sandbox/enterprises/{id}/members`: `{enterpriseId, userId, permissions,
/// videoApprover}`. An existing member's permissions are replaced (their join time kept); a
/// new member joins at `joinedAt` (ms, default the sandbox clock's now). `videoApprover`, when
/// given, sets the member's video-approver flag; when absent it is left as it is.
pub async fn set_enterprise_member(
    access: Admin,
    id: web::Path<String>,
    body: Bytes,
) -> std::result::Result<HttpResponse, ControlError> {
    let enterprise_id = id.into_inner();
    let request: SetMember = parse_body(&body)?;
    if let Some(id) = request.user_id.as_deref().filter(|id| !is_hex_id(id)) {
        return Err(Error::Invalid(format!("invalid userId {id:?}: expected 32 hex")).into());
    }
    if request.user_id.is_none() && request.email.is_none() {
        return Err(Error::Invalid("missing required field: userId (or email)".into()).into());
    }
    let permissions = parse_permissions(&request.permissions)?;
    let joined_at = request
        .joined_at
        .unwrap_or_else(|| access.sandbox.clock.now_ms());
    let reply = access
        .sandbox
        .store
        .write(move |conn| -> Result<_> {
            enterprises::find_by_id(conn, &enterprise_id)?
                .ok_or_else(|| Error::NotFound(format!("enterprise {enterprise_id} not found")))?;
            let user = match (&request.user_id, &request.email) {
                (Some(id), _) => users::find_by_id(conn, id)?,
                (None, Some(email)) => users::find_by_username(conn, &email.trim().to_lowercase())?,
                (None, None) => None,
            };
            let user_id = user
                .map(|u| u.id)
                .ok_or_else(|| Error::NotFound("no such user".into()))?;
            enterprises::upsert_member(conn, &enterprise_id, &user_id, &permissions, joined_at)?;
            if let Some(flag) = request.video_approver {
                enterprise_users::set_video_id_user(conn, &enterprise_id, &user_id, flag)?;
            }
            let video_approver =
                enterprise_users::video_approver_ids(conn, &enterprise_id)?.contains(&user_id);
            Ok(json!({
                "enterpriseId": enterprise_id,
                "userId": user_id,
                "permissions": permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "videoApprover": video_approver,
            }))
        })
        .await?;
    Ok(HttpResponse::Ok().json(reply))
}
