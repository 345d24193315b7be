//! The license routes: download (cloud), upload and update (self-hosted).

use actix_web::web::{Bytes, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

use super::fields::{apply, check, ci, new_org};
use super::upload::read_upload;
use super::{add_token, build, installation_id, sign, signing_key};
use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids;
use crate::bitwarden::organizations::{authorize, insert_with_owner, org_id};
use crate::bitwarden::views;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::policy::Action;
use crate::store::bitwarden as bwstore;
use crate::store::bitwarden::{members, orgs, users};

/// `GET /organizations/{id}/license?installationId=` (cloud only, owners).
pub async fn download(
    call: BwCall,
    path: Path<String>,
    query: Query<std::collections::HashMap<String, String>>,
) -> BwResult<HttpResponse> {
    if call.state.bitwarden.deployment == Deployment::SelfHosted {
        return Err(BwError::BadRequest(
            "Only allowed when not self hosted.".into(),
        ));
    }
    let id = org_id(&path)?;
    let installation = query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("installationId"))
        .and_then(|(_, v)| ids::parse_guid(v));
    let caller = call.caller.clone();
    let now = call.now_ms();
    let license = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = authorize(c, &id, &caller, Action::License)?;
            let own = installation_id(c)?;
            let known = match &installation {
                Some(i) => *i == own || bwstore::installation_enabled(c, i)?,
                None => false,
            };
            let Some(installation) = installation.filter(|_| known) else {
                return Err(BwError::BadRequest("Invalid installation id".into()));
            };
            if !org.has_subscription && org.expiration_date.is_none_or(|e| e <= now) {
                return Err(BwError::BadRequest("No active subscription found.".into()));
            }
            let mut license = build(&org, &installation, now);
            let key = signing_key(c)?;
            add_token(&key, &mut license, now.div_euclid(1000))?;
            sign(&key, &mut license)?;
            Ok(license)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Value::Object(license)))
}

/// The refusal of a license another organization holds.
fn in_use() -> BwError {
    BwError::BadRequest("License is already in use by another organization.".into())
}

/// `POST /organizations/licenses/self-hosted` (and the seed's `POST /organizations/license`):
/// a new organization from a license, with its owner membership and Default API key.
pub async fn upload_new(call: BwCall, req: HttpRequest, body: Bytes) -> BwResult<HttpResponse> {
    if call.state.bitwarden.deployment != Deployment::SelfHosted {
        return Err(BwError::BadRequest("Only allowed when self hosted.".into()));
    }
    let (mut license, key) = read_upload(&req, &body)?;
    let key = key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| BwError::field("Key", "The Key field is required."))?;
    let uid = call.user_id.clone();
    let now = call.now_ms();
    let org = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            if users::find(c, &uid)?.is_none() {
                return Err(BwError::UnauthorizedEmpty);
            }
            check(c, &mut license, now)?;
            let org = new_org(&license, now);
            if orgs::find(c, &org.id)?.is_some()
                || orgs::find_by_license_key(c, &org.license_key, &org.id)?.is_some()
            {
                return Err(in_use());
            }
            insert_with_owner(c, &org, &uid, key)?;
            Ok(org)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::organization(&org, true)))
}

/// `POST /organizations/licenses/self-hosted/{id}`: replaces an organization's license; the new
/// one must fit current usage.
pub async fn upload_update(
    call: BwCall,
    req: HttpRequest,
    path: Path<String>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    if call.state.bitwarden.deployment != Deployment::SelfHosted {
        return Err(BwError::BadRequest("Only allowed when self hosted.".into()));
    }
    let id = org_id(&path)?;
    let (mut license, _) = read_upload(&req, &body)?;
    let caller = call.caller.clone();
    let now = call.now_ms();
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (mut org, _) = authorize(c, &id, &caller, Action::License)?;
            check(c, &mut license, now)?;
            let license_key = ci(&license, "licenseKey")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if orgs::find_by_license_key(c, license_key, &id)?.is_some() {
                return Err(in_use());
            }
            let seats = ci(&license, "seats").and_then(Value::as_i64);
            let used = members::occupied_seats(c, &id)?;
            if let Some(s) = seats.filter(|s| used > *s) {
                return Err(BwError::BadRequest(format!(
                    "Your organization currently has {used} seats filled. Your new license only has ({s}) seats. Remove some users."
                )));
            }
            apply(&mut org, &license);
            org.revision_at = now;
            orgs::update(c, &org)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
