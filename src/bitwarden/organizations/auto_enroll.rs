//! `GET /organizations/{identifier}/auto-enroll-status`: whether the organization an SSO
//! identifier names enrolls its members in account recovery on acceptance.

use actix_web::web::Path;
use actix_web::HttpResponse;
use serde_json::json;

use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::BwError;
use crate::domain::bitwarden::org_policies::RESET_PASSWORD;
use crate::domain::error::{Error, Result};
use crate::store::bitwarden::members as member_rows;
use crate::store::bitwarden::{orgs, policies, users};

/// `GET /organizations/{identifier}/auto-enroll-status`: by SSO identifier, for any member.
pub async fn auto_enroll_status(
    call: BwCall,
    path: Path<String>,
) -> std::result::Result<HttpResponse, BwError> {
    let identifier = path.into_inner();
    let uid = call.user_id.clone();
    let answer = call
        .sandbox
        .store
        .read(move |c| {
            if users::find(c, &uid)?.is_none() {
                return Err(Error::Unauthenticated(
                    crate::domain::error::AuthFailure::UnknownToken,
                ));
            }
            let Some(org) = orgs::find_by_identifier(c, &identifier)? else {
                return Ok(None);
            };
            if member_rows::find_for_user(c, &org.id, &uid)?.is_none() {
                return Ok(None);
            }
            let enabled = match policies::find(c, &org.id, RESET_PASSWORD)? {
                Some(p) if p.enabled => p
                    .data
                    .as_deref()
                    .map(auto_enroll_enabled)
                    .transpose()?
                    .unwrap_or(false),
                _ => false,
            };
            Ok(Some((org.id, enabled)))
        })
        .await?;
    let (id, enabled) = answer.ok_or(BwError::NotFound)?;
    Ok(HttpResponse::Ok().json(json!({
        "object": "organizationAutoEnrollStatus",
        "id": id,
        "resetPasswordEnabled": enabled,
    })))
}

/// `autoEnrollEnabled` (any casing) of the reset-password policy's stored data. Data that is
/// no JSON is a storage fault (500, as the server's deserialiser throws), not a "disabled".
fn auto_enroll_enabled(data: &str) -> Result<bool> {
    let v: serde_json::Value = serde_json::from_str(data)
        .map_err(|e| Error::Internal(format!("reset-password policy data: {e}")))?;
    Ok(v.as_object()
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("autoEnrollEnabled"))
                .and_then(|(_, v)| v.as_bool())
        })
        .unwrap_or(false))
}
