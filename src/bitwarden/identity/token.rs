//! `POST /identity/connect/token`: the password, refresh_token (rotated on every use, a reused
//! one revoking its family) and client_credentials grants.

use crate::auth::password;
use crate::auth::throttle::ThrottleKey;
use crate::auth::token::{sha256_hex, RawToken};
use crate::bitwarden::accounts::{self, Device};
use crate::bitwarden::call::{jwt_key, sandbox_of};
use crate::bitwarden::crypto;
use crate::bitwarden::error::BwError;
use crate::bitwarden::ids::parse_guid;
use crate::bitwarden::jwt;
use crate::domain::bitwarden::role::MemberStatus;
use crate::store::bitwarden::{keys, members, orgs, users, users::BwUser};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

fn grant_error(error: &str, description: &str, message: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({
        "error": error,
        "error_description": description,
        "ErrorModel": {"Message": message, "Object": "error"},
    }))
}

fn invalid_client() -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"error": "invalid_client"}))
}

fn invalid_grant() -> HttpResponse {
    grant_error(
        "invalid_grant",
        "invalid_username_or_password",
        "Username or password is incorrect. Try again.",
    )
}

/// The identity server's static (public) clients that may use the password grant.
const STATIC_CLIENTS: &[&str] = &["web", "browser", "desktop", "cli", "mobile", "connector"];

/// Form fields, looked up case-insensitively.
struct Form(HashMap<String, String>);

impl Form {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn device(&self) -> Option<Device> {
        let device_type = self.get("deviceType")?.parse::<i64>().ok()?;
        let identifier = self.get("deviceIdentifier")?;
        self.get("deviceName")?;
        (0..=26).contains(&device_type).then(|| Device {
            identifier: identifier.to_string(),
            device_type,
        })
    }
}

fn device_error() -> HttpResponse {
    grant_error(
        "device_error",
        "No device information provided",
        "no device information provided",
    )
}

/// `POST /identity/connect/token`.
pub async fn token(req: HttpRequest, body: Bytes) -> Result<HttpResponse, BwError> {
    let (state, sandbox) = sandbox_of(&req)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let form = Form(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect(),
    );
    let cfg = state.bitwarden.clone();
    let delay = Duration::from_millis(cfg.failed_secret_delay_ms);
    let key = jwt_key(&sandbox).await?;
    let now_ms = sandbox.clock.now_ms();
    let now_s = now_ms.div_euclid(1000);
    match form.get("grant_type") {
        Some("password") => {
            let (Some(username), Some(password)) = (form.get("username"), form.get("password"))
            else {
                return Ok(grant_error(
                    "invalid_request",
                    "",
                    "Missing username or password.",
                ));
            };
            let client_id = form.get("client_id").unwrap_or("web").to_string();
            if !STATIC_CLIENTS.contains(&client_id.as_str()) {
                return Ok(invalid_client());
            }
            let Some(device) = form.device() else {
                return Ok(device_error());
            };
            let email = crypto::normalize_email(username);
            // Password guesses share the BitGo dialect's throttle (per account and address).
            let guesses = [
                ThrottleKey::Password(format!("bitwarden:{email}")),
                ThrottleKey::Address(crate::request::client_ip(&req, &state.trusted_proxies)),
            ];
            if let Err(wait_ms) = sandbox.throttle.begin(&guesses, now_ms) {
                actix_web::rt::time::sleep(delay).await;
                return Err(BwError::TooManyRequests(
                    u64::try_from(wait_ms.saturating_add(999) / 1000).unwrap_or(1),
                ));
            }
            let lookup = email.clone();
            let user = sandbox
                .store
                .read(move |c| users::find_by_email(c, &lookup))
                .await?;
            let hash = password.to_string();
            // An unknown email costs the same hashing as a wrong password.
            let stored = user
                .as_ref()
                .and_then(|u| u.master_password_hash.clone())
                .unwrap_or_else(|| password::decoy_record(cfg.server_hash_iterations));
            let known = user.is_some();
            let ok = state
                .password_workers
                .run(move || crypto::verify_stored(&stored, &hash))
                .await?
                && known;
            let Some(user) = user.filter(|_| ok) else {
                actix_web::rt::time::sleep(delay).await;
                return Ok(invalid_grant());
            };
            sandbox.throttle.succeeded(&guesses);
            let raw = RawToken::generate();
            let hash = raw.hash();
            let refresh = keys::RefreshToken {
                user_id: user.id.clone(),
                client_id: client_id.clone(),
                device_identifier: device.identifier.clone(),
                device_type: device.device_type,
                expires_at: now_ms + cfg.refresh_token_seconds * 1000,
                // A login starts a family: every token refreshed from this one joins it.
                family_id: hash.clone(),
            };
            sandbox
                .store
                .write(move |c| keys::insert_refresh(c, &hash, &refresh, now_ms))
                .await?;
            let body = user_token_body(
                &sandbox,
                &key,
                &user,
                &client_id,
                &device,
                now_s,
                &cfg,
                Some(raw.expose()),
                &["api", "offline_access"],
            )
            .await?;
            Ok(issued_to(&user.id, body))
        }
        Some("refresh_token") => {
            let Some(raw) = form.get("refresh_token") else {
                return Ok(grant_error("invalid_request", "", "Missing refresh token."));
            };
            let hash = sha256_hex(raw.as_bytes());
            // Rotated on every use; a used one presented again revokes its whole family.
            let next = RawToken::generate();
            let next_hash = next.hash();
            let lifetime_ms = cfg.refresh_token_seconds * 1000;
            let (redeemed, user) = sandbox
                .store
                .write(move |c| -> crate::domain::error::Result<_> {
                    let r = keys::redeem_refresh(c, &hash, &next_hash, now_ms, lifetime_ms)?;
                    let user = match &r {
                        keys::Redeemed::Rotated(t) => users::find(c, &t.user_id)?,
                        _ => None,
                    };
                    Ok((r, user))
                })
                .await?;
            let (keys::Redeemed::Rotated(t), Some(user)) = (redeemed, user) else {
                // Duende's answer to a refresh token it will not take, whatever the reason.
                return Ok(HttpResponse::BadRequest().json(json!({"error": "invalid_grant"})));
            };
            let device = Device {
                identifier: t.device_identifier,
                device_type: t.device_type,
            };
            let body = user_token_body(
                &sandbox,
                &key,
                &user,
                &t.client_id,
                &device,
                now_s,
                &cfg,
                Some(next.expose()),
                &["api", "offline_access"],
            )
            .await?;
            Ok(issued_to(&user.id, body))
        }
        Some("client_credentials") => {
            let (Some(client_id), Some(secret)) =
                (form.get("client_id"), form.get("client_secret"))
            else {
                return Ok(invalid_client());
            };
            let scope = form.get("scope").unwrap_or("");
            if let Some(id) = client_id.strip_prefix("user.") {
                let Some(id) = parse_guid(id) else {
                    return Ok(invalid_client());
                };
                if scope.split(' ').all(|s| s != "api") {
                    return Ok(grant_error("invalid_scope", "", "Invalid scope."));
                }
                let Some(device) = form.device() else {
                    return Ok(device_error());
                };
                let user = sandbox.store.read(move |c| users::find(c, &id)).await?;
                let Some(user) = user.filter(|u| ring_eq(&u.api_key, secret)) else {
                    actix_web::rt::time::sleep(delay).await;
                    return Ok(invalid_client());
                };
                let body = user_token_body(
                    &sandbox,
                    &key,
                    &user,
                    client_id,
                    &device,
                    now_s,
                    &cfg,
                    None,
                    &["api"],
                )
                .await?;
                return Ok(issued_to(&user.id, body));
            }
            if let Some(id) = client_id.strip_prefix("organization.") {
                let Some(id) = parse_guid(id) else {
                    return Ok(invalid_client());
                };
                if scope.split(' ').all(|s| s != "api.organization") {
                    return Ok(grant_error("invalid_scope", "", "Invalid scope."));
                }
                let oid = id.clone();
                let found = sandbox
                    .store
                    .read(move |c| Ok((orgs::find(c, &oid)?, keys::find_api_key(c, &oid, 0)?)))
                    .await?;
                let usable = match found {
                    (Some(org), Some(k)) => {
                        org.enabled && org.features.use_api && ring_eq(&k.api_key, secret)
                    }
                    _ => false,
                };
                if !usable {
                    actix_web::rt::time::sleep(delay).await;
                    return Ok(invalid_client());
                }
                let claims = accounts::org_claims(&id, client_id, now_s, cfg.access_token_seconds);
                return Ok(HttpResponse::Ok().json(json!({
                    "access_token": jwt::sign(&key, &claims),
                    "expires_in": cfg.access_token_seconds,
                    "token_type": "Bearer",
                    "scope": "api.organization",
                })));
            }
            Ok(invalid_client())
        }
        Some(_) => Ok(HttpResponse::BadRequest().json(json!({"error": "unsupported_grant_type"}))),
        None => Ok(HttpResponse::BadRequest().json(json!({"error": "invalid_request"}))),
    }
}

/// A user's token response, which the journal records as that user's request (it carried no
/// token of its own).
fn issued_to(user_id: &str, body: Value) -> HttpResponse {
    let mut response = HttpResponse::Ok().json(body);
    response
        .extensions_mut()
        .insert(crate::request::note::PrincipalNote {
            user_id: user_id.to_string(),
            token_id: None,
        });
    response
}

fn ring_eq(a: &str, b: &str) -> bool {
    // Constant time over the common length.
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The success body of a user grant, with Bitwarden's PascalCase extras.
#[allow(clippy::too_many_arguments)]
async fn user_token_body(
    sandbox: &crate::sandbox::Sandbox,
    key: &[u8],
    user: &BwUser,
    client_id: &str,
    device: &Device,
    now_s: i64,
    cfg: &crate::config::bitwarden::BitwardenConfig,
    refresh: Option<&str>,
    scopes: &[&str],
) -> Result<Value, BwError> {
    let uid = user.id.clone();
    let memberships = sandbox
        .store
        .read(move |c| members::list_for_user(c, &uid, MemberStatus::Confirmed))
        .await?;
    let claims = accounts::user_claims(
        user,
        &memberships,
        client_id,
        Some(device),
        now_s,
        cfg.access_token_seconds,
        scopes,
    );
    let mut body = json!({
        "access_token": jwt::sign(key, &claims),
        "expires_in": cfg.access_token_seconds,
        "token_type": "Bearer",
        "scope": scopes.join(" "),
        "PrivateKey": user.private_key,
        "AccountKeys": user.private_key.as_ref().map(|p| json!({
            "publicKeyEncryptionKeyPair": {
                "wrappedPrivateKey": p,
                "publicKey": user.public_key,
                "signedPublicKey": null,
                "object": "publicKeyEncryptionKeyPair",
            },
            "signatureKeyPair": null,
            "securityState": null,
            "object": "privateKeys",
        })),
        "Key": user.user_key,
        "MasterPasswordPolicy": {"Object": "masterPasswordPolicy"},
        "ForcePasswordReset": false,
        // Today's server no longer sends it; older clients read it, and Vaultwarden still sends it.
        "ResetMasterPassword": false,
        "Kdf": user.kdf,
        "KdfIterations": user.kdf_iterations,
        "KdfMemory": user.kdf_memory,
        "KdfParallelism": user.kdf_parallelism,
        "UserDecryptionOptions": {
            "HasMasterPassword": user.master_password_hash.is_some(),
            "MasterPasswordUnlock": user.user_key.as_ref().map(|k| json!({
                "Kdf": {
                    "KdfType": user.kdf,
                    "Iterations": user.kdf_iterations,
                    "Memory": user.kdf_memory,
                    "Parallelism": user.kdf_parallelism,
                },
                "MasterKeyEncryptedUserKey": k,
                "Salt": user.email,
            })),
            "Object": "userDecryptionOptions",
        },
    });
    if let (Some(r), Some(obj)) = (refresh, body.as_object_mut()) {
        obj.insert("refresh_token".into(), json!(r));
    }
    Ok(body)
}
