//! The routes that verify a secret (master password hash or OTP): delete and the API keys.
//! A wrong secret waits (2 s by default, as the real server) before its 400.

use std::time::Duration;

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use serde_json::json;

use super::{access, authorize, org_id};
use crate::bitwarden::body::{self, Body, Secret};
use crate::bitwarden::call::BwCall;
use crate::bitwarden::crypto;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids;
use crate::bitwarden::views;
use crate::domain::bitwarden::plan::{tier_of, ProductTier};
use crate::domain::bitwarden::policy::Action;
use crate::store::bitwarden::keys::{self, OrgApiKey};
use crate::store::bitwarden::{orgs, users};

/// Whether the secret is the caller's master password hash or an accepted OTP.
async fn secret_ok(call: &BwCall, secret: Secret) -> Result<bool, BwError> {
    match secret {
        Secret::Otp(otp) => Ok(call.state.auth.otps.contains(&otp)),
        Secret::MasterPasswordHash(hash) => {
            let uid = call.user_id.clone();
            let user = call
                .sandbox
                .store
                .read(move |c| users::find(c, &uid))
                .await?;
            let Some(stored) = user.and_then(|u| u.master_password_hash) else {
                return Ok(false);
            };
            Ok(call
                .state
                .password_workers
                .run(move || crypto::verify_stored(&stored, &hash))
                .await?)
        }
    }
}

async fn wait_after_failure(call: &BwCall) {
    let ms = call.state.bitwarden.failed_secret_delay_ms;
    if ms > 0 {
        actix_web::rt::time::sleep(Duration::from_millis(ms)).await;
    }
}

/// `DELETE /organizations/{id}` (and the obsolete `POST /organizations/{id}/delete`).
pub async fn delete(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    let body = Body::parse(&body, true)?;
    access(&call, &id).await?.allow(Action::Delete)?;
    let secret = body::secret(&body)?;
    if !secret_ok(&call, secret).await? {
        wait_after_failure(&call).await;
        return Err(BwError::field("", "User verification failed."));
    }
    let caller = call.caller.clone();
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = authorize(c, &id, &caller, Action::Delete)?;
            if org.features.use_key_connector {
                return Err(BwError::BadRequest(
                    "You cannot delete an Organization that is using Key Connector.".into(),
                ));
            }
            orgs::delete(c, &id)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

fn key_type(body: &Body) -> Result<i64, BwError> {
    let t = body.i64("type")?.unwrap_or(0);
    if !(0..=2).contains(&t) {
        return Err(BwError::field(
            "$.type",
            "The JSON value could not be converted to Bit.Core.Enums.OrganizationApiKeyType.",
        ));
    }
    Ok(t)
}

async fn api_key_call(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
    rotate: bool,
) -> Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    let body = Body::parse(&body, true)?;
    let kt = key_type(&body)?;
    let caller = call.caller.clone();
    let now = call.now_ms();
    // As the real server: the key of that type is fetched, or created now, before the secret
    // is checked.
    let existing = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = authorize(c, &id, &caller, Action::ApiKey { key_type: kt })?;
            let tier = tier_of(org.plan_type);
            if !rotate && kt != 0 && !matches!(tier, ProductTier::Teams | ProductTier::Enterprise) {
                return Err(BwError::NotFound);
            }
            let key = match keys::find_api_key(c, &id, kt)? {
                Some(k) => k,
                None => {
                    let k = OrgApiKey {
                        key_type: kt,
                        api_key: ids::random_alnum(30),
                        revision_at: now,
                    };
                    keys::upsert_api_key(c, &id, &k)?;
                    k
                }
            };
            Ok((org.id, key))
        })
        .await?;
    let secret = body::secret(&body)?;
    if !secret_ok(&call, secret).await? {
        wait_after_failure(&call).await;
        return Err(BwError::field("MasterPasswordHash", "Invalid password."));
    }
    let (oid, mut key) = existing;
    if rotate {
        key = OrgApiKey {
            key_type: kt,
            api_key: ids::random_alnum(30),
            revision_at: now,
        };
        let k = key.clone();
        call.sandbox
            .store
            .write(move |c| keys::upsert_api_key(c, &oid, &k))
            .await?;
    }
    Ok(HttpResponse::Ok().json(json!({
        "object": "apiKey",
        "apiKey": key.api_key,
        "revisionDate": views::date(key.revision_at),
    })))
}

/// `POST /organizations/{id}/api-key`
pub async fn get_api_key(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, BwError> {
    api_key_call(call, path, body, false).await
}

/// `POST /organizations/{id}/rotate-api-key`
pub async fn rotate_api_key(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, BwError> {
    api_key_call(call, path, body, true).await
}

async fn key_information(
    call: BwCall,
    raw_id: &str,
    kt: Option<i64>,
) -> Result<HttpResponse, BwError> {
    let id = org_id(raw_id)?;
    let action = Action::ApiKey {
        key_type: kt.unwrap_or(0),
    };
    access(&call, &id).await?.allow(action)?;
    let list = call
        .sandbox
        .store
        .read(move |c| keys::list_api_keys(c, &id, kt))
        .await?;
    let data = list
        .iter()
        .map(|k| json!({"object": "keyInformation", "keyType": k.key_type, "revisionDate": views::date(k.revision_at)}))
        .collect();
    Ok(HttpResponse::Ok().json(views::list(data)))
}

/// `GET /organizations/{id}/api-key-information`
pub async fn api_key_information(
    call: BwCall,
    path: Path<String>,
) -> Result<HttpResponse, BwError> {
    key_information(call, &path, None).await
}

/// `GET /organizations/{id}/api-key-information/{type}`
pub async fn api_key_information_of_type(
    call: BwCall,
    path: Path<(String, String)>,
) -> Result<HttpResponse, BwError> {
    let (id, t) = path.into_inner();
    let kt = t
        .parse::<i64>()
        .ok()
        .filter(|t| (0..=2).contains(t))
        .ok_or(BwError::NotFound)?;
    key_information(call, &id, Some(kt)).await
}
