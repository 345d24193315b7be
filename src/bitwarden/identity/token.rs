//! `POST /identity/connect/token`: the password, refresh_token (rotated on every use, a reused
//! one revoking its family) and client_credentials grants.

use std::collections::HashMap;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

use super::issue::Grant;
use crate::auth::password;
use crate::auth::throttle::ThrottleKey;
use crate::auth::token::{sha256_hex, RawToken};
use crate::bitwarden::accounts::{self, Device};
use crate::bitwarden::call::{jwt_key, sandbox_of};
use crate::bitwarden::crypto;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids::parse_guid;
use crate::bitwarden::jwt;
use crate::store::bitwarden::{keys, orgs, users};

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
    /// Parses a form body; one that is no form reads as empty.
    fn parse(body: &[u8]) -> Form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        Form(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        )
    }

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

/// `POST /identity/connect/token`: one of three grants.
pub async fn token(req: HttpRequest, body: Bytes) -> BwResult<HttpResponse> {
    let (state, sandbox) = sandbox_of(&req)?;
    let form = Form::parse(&body);
    let cfg = state.bitwarden.clone();
    let key = jwt_key(&sandbox).await?;
    let now_ms = sandbox.clock.now_ms();
    let grant = Grant {
        state,
        sandbox,
        cfg,
        key,
        now_ms,
    };
    match form.get("grant_type") {
        Some("password") => password_grant(&grant, &req, &form).await,
        Some("refresh_token") => refresh_grant(&grant, &form).await,
        Some("client_credentials") => client_credentials_grant(&grant, &form).await,
        Some(_) => Ok(HttpResponse::BadRequest().json(json!({"error": "unsupported_grant_type"}))),
        None => Ok(HttpResponse::BadRequest().json(json!({"error": "invalid_request"}))),
    }
}

/// `grant_type=password`: a static client, a device, and the master password hash; guesses
/// are throttled per account and address.
async fn password_grant(grant: &Grant, req: &HttpRequest, form: &Form) -> BwResult<HttpResponse> {
    let (Some(username), Some(password)) = (form.get("username"), form.get("password")) else {
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
    let (state, sandbox, now_ms) = (&grant.state, &grant.sandbox, grant.now_ms);
    let email = crypto::normalize_email(username);
    // Password guesses share the BitGo dialect's throttle (per account and address).
    let guesses = [
        ThrottleKey::Password(format!("bitwarden:{email}")),
        ThrottleKey::Address(crate::request::client_ip(req, &state.trusted_proxies)),
    ];
    if let Err(wait_ms) = sandbox.throttle.begin(&guesses, now_ms) {
        grant.wait_after_failure().await;
        return Err(BwError::TooManyRequests(
            u64::try_from(wait_ms.saturating_add(999) / 1000).unwrap_or(1),
        ));
    }
    let user = sandbox
        .store
        .read(move |c| users::find_by_email(c, &email))
        .await?;
    let hash = password.to_string();
    // An unknown email costs the same hashing as a wrong password.
    let stored = user
        .as_ref()
        .and_then(|u| u.master_password_hash.clone())
        .unwrap_or_else(|| password::decoy_record(grant.cfg.server_hash_iterations));
    let known = user.is_some();
    let ok = state
        .password_workers
        .run(move || crypto::verify_stored(&stored, &hash))
        .await?
        && known;
    let Some(user) = user.filter(|_| ok) else {
        grant.wait_after_failure().await;
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
        expires_at: now_ms + grant.cfg.refresh_token_seconds * 1000,
        // A login starts a family: every token refreshed from this one joins it.
        family_id: hash.clone(),
    };
    sandbox
        .store
        .write(move |c| keys::insert_refresh(c, &hash, &refresh, now_ms))
        .await?;
    let scopes = ["api", "offline_access"];
    grant
        .user_token(&user, &client_id, &device, Some(raw.expose()), &scopes)
        .await
}

/// `grant_type=refresh_token`: rotated on every use; a used one presented again revokes its
/// whole family. A database error is a 500, never an `invalid_grant`.
async fn refresh_grant(grant: &Grant, form: &Form) -> BwResult<HttpResponse> {
    let Some(raw) = form.get("refresh_token") else {
        return Ok(grant_error("invalid_request", "", "Missing refresh token."));
    };
    let hash = sha256_hex(raw.as_bytes());
    let next = RawToken::generate();
    let next_hash = next.hash();
    let (now_ms, lifetime_ms) = (grant.now_ms, grant.cfg.refresh_token_seconds * 1000);
    let (redeemed, user) = grant
        .sandbox
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
    let scopes = ["api", "offline_access"];
    grant
        .user_token(&user, &t.client_id, &device, Some(next.expose()), &scopes)
        .await
}

/// Whose API key a `client_credentials` grant presents.
#[derive(Clone, Copy)]
enum ApiClient {
    /// `user.<id>`: a user's personal API key.
    User,
    /// `organization.<id>`: an organization's Default API key.
    Organization,
}

/// `grant_type=client_credentials`: a user's personal API key (`user.<id>`, scope `api`) or
/// an organization's Default API key (`organization.<id>`, scope `api.organization`).
async fn client_credentials_grant(grant: &Grant, form: &Form) -> BwResult<HttpResponse> {
    let (Some(client_id), Some(secret)) = (form.get("client_id"), form.get("client_secret")) else {
        return Ok(invalid_client());
    };
    let (client, raw_id) = match (
        client_id.strip_prefix("user."),
        client_id.strip_prefix("organization."),
    ) {
        (Some(id), _) => (ApiClient::User, id),
        (None, Some(id)) => (ApiClient::Organization, id),
        (None, None) => return Ok(invalid_client()),
    };
    let Some(id) = parse_guid(raw_id) else {
        return Ok(invalid_client());
    };
    let needed = match client {
        ApiClient::User => "api",
        ApiClient::Organization => "api.organization",
    };
    if form
        .get("scope")
        .unwrap_or("")
        .split(' ')
        .all(|s| s != needed)
    {
        return Ok(grant_error("invalid_scope", "", "Invalid scope."));
    }
    match client {
        ApiClient::User => user_client_grant(grant, form, id, client_id, secret).await,
        ApiClient::Organization => org_client_grant(grant, id, client_id, secret).await,
    }
}

/// A user's API key: an access token with scope `api` and no refresh token.
async fn user_client_grant(
    grant: &Grant,
    form: &Form,
    id: String,
    client_id: &str,
    secret: &str,
) -> BwResult<HttpResponse> {
    let Some(device) = form.device() else {
        return Ok(device_error());
    };
    let user = grant
        .sandbox
        .store
        .read(move |c| users::find(c, &id))
        .await?;
    let Some(user) = user.filter(|u| ring_eq(&u.api_key, secret)) else {
        grant.wait_after_failure().await;
        return Ok(invalid_client());
    };
    grant
        .user_token(&user, client_id, &device, None, &["api"])
        .await
}

/// An organization's Default API key, if the organization is enabled and may use the API.
async fn org_client_grant(
    grant: &Grant,
    id: String,
    client_id: &str,
    secret: &str,
) -> BwResult<HttpResponse> {
    let oid = id.clone();
    let found = grant
        .sandbox
        .store
        .read(move |c| Ok((orgs::find(c, &oid)?, keys::find_api_key(c, &oid, 0)?)))
        .await?;
    let usable = match found {
        (Some(org), Some(k)) => org.enabled && org.features.use_api && ring_eq(&k.api_key, secret),
        _ => false,
    };
    if !usable {
        grant.wait_after_failure().await;
        return Ok(invalid_client());
    }
    let seconds = grant.cfg.access_token_seconds;
    let claims = accounts::org_claims(&id, client_id, grant.now_s(), seconds);
    Ok(HttpResponse::Ok().json(json!({
        "access_token": jwt::sign(&grant.key, &claims),
        "expires_in": seconds,
        "token_type": "Bearer",
        "scope": "api.organization",
    })))
}

fn ring_eq(a: &str, b: &str) -> bool {
    // Constant time over the common length.
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
