//! `POST /sandbox/organizations/{id}/admins {userId}` (or `{email}`): makes a user an
//! organization admin,
//! standing in for BitGo support (seed 000 step 4: the public API cannot do it). The same
//! rules hold as everywhere: only an admin of the organization's parent enterprise can become
//! one, and the service user stays a separate user.

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::json;

use crate::control::body;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::domain::ids::is_hex_id;
use crate::domain::organization::check_role_assignment;
use crate::domain::role::OrgRole;
use crate::store::{enterprises, organizations, users};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MakeAdmin {
    user_id: Option<String>,
    email: Option<String>,
}

/// `POST /sandbox/organizations/{id}/admins {userId}` or `{email}`:
/// `{organizationId, userId, role: "admin"}`.
pub async fn make_organization_admin(
    access: Admin,
    id: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let org_id = id.into_inner();
    let request: MakeAdmin = body::json(&body)?;
    if let Some(id) = request.user_id.as_deref().filter(|id| !is_hex_id(id)) {
        return Err(Error::Invalid(format!("invalid userId {id:?}: expected 32 hex")).into());
    }
    if request.user_id.is_none() && request.email.is_none() {
        return Err(Error::Invalid("missing required field: userId (or email)".into()).into());
    }
    let now = access.sandbox.clock.now_ms();
    let reply = access
        .sandbox
        .store
        .write(move |conn| -> crate::domain::error::Result<_> {
            organizations::find_by_id(conn, &org_id)?
                .ok_or_else(|| Error::NotFound(format!("organization {org_id} not found")))?;
            let user = match (&request.user_id, &request.email) {
                (Some(id), _) => users::find_by_id(conn, id)?,
                (None, Some(email)) => users::find_by_username(conn, email.trim())?,
                (None, None) => None,
            };
            let user_id = user
                .map(|u| u.id)
                .ok_or_else(|| Error::NotFound("no such user".into()))?;
            let parent = organizations::parent_enterprise_id(conn, &org_id)?.ok_or_else(|| {
                Error::Conflict(format!("organization {org_id} has no parent enterprise"))
            })?;
            let permissions = enterprises::permissions_of(conn, &parent, &user_id)?;
            let members = organizations::members(conn, &org_id)?;
            check_role_assignment(&members, &user_id, OrgRole::Admin, permissions.as_deref())?;
            organizations::upsert_member(conn, &org_id, &user_id, OrgRole::Admin, now)?;
            Ok(json!({"organizationId": org_id, "userId": user_id, "role": "admin"}))
        })
        .await?;
    Ok(HttpResponse::Ok().json(reply))
}
