//! Login and the session: login, session, logout, unlock, lock, verifypassword.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use crate::auth::password;
use crate::auth::throttle::ThrottleKey;
use crate::bitgo::call::{Authed, Call};
use crate::bitgo::error::BitgoError;
use crate::bitgo::tokens::new_token;
use crate::bitgo::views::{TokenView, UserView};
use crate::domain::error::{AuthFailure, Error};
use crate::domain::policy;
use crate::domain::scope::ScopeSet;
use crate::domain::token_rules::{check_otp, unlock_seconds, OtpFailure, TokenKind};
use crate::request::context::note_issued_to;
use crate::request::json::{integer_field, string_field};
use crate::store::profile;
use crate::store::tokens::{self, TokenRow};
use crate::store::users::{self, UserRow};

type Body = Map<String, Value>;

fn required<'a>(body: &'a Body, field: &str) -> Result<&'a str, Error> {
    string_field(body.get(field), field)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::Invalid(format!("{field} is required")))
}

fn otp_error(failure: OtpFailure) -> Error {
    Error::NeedsOtp(failure.message())
}

/// Checks a password (plain or SDK form) on the password threads: PBKDF2 is deliberately
/// slow, and never runs on the pool that serves store reads. `stored` is `None` for an
/// unknown user, which costs the same work and fails.
async fn password_matches(
    call: &Call,
    stored: Option<String>,
    email: String,
    given: String,
) -> Result<bool, Error> {
    let decoy = call.state.decoy_password.clone();
    let checked = call
        .state
        .password_workers
        .run(move || password::verify_same_work(stored.as_deref(), &decoy, &email, &given))
        .await;
    if let Err(Error::RateLimited { .. }) = &checked {
        tarpit(call).await;
    }
    checked
}

/// Holds a refused guess for `throttle_delay_ms` before answering: a client hammering a
/// throttled login spends its own time, and the server spends no CPU on the wait.
async fn tarpit(call: &Call) {
    let delay = call.state.auth.throttle_delay_ms;
    if delay > 0 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
}

/// Counts a guess against `keys` in the sandbox's throttle: a 429 with `Retry-After` when
/// a limit is reached, before any work is done (and after the tarpit delay).
async fn begin_attempt(call: &Call, keys: &[ThrottleKey]) -> Result<(), Error> {
    let Err(wait_ms) = call.sandbox.throttle.begin(keys, call.now_ms()) else {
        return Ok(());
    };
    tarpit(call).await;
    Err(Error::RateLimited {
        retry_after_secs: u64::try_from(wait_ms.saturating_add(999) / 1000)
            .unwrap_or(1)
            .max(1),
        reason: "too many failed attempts: wait before trying again".into(),
    })
}

/// The user a login body names, once its password and OTP are right: throttled per email and
/// client address; an unknown email and a wrong password cost the same and answer the same.
async fn check_login(call: &Call, body: &Body) -> Result<UserRow, Error> {
    let email = required(body, "email")
        .or_else(|e| required(body, "username").map_err(|_| e))?
        .to_lowercase();
    let given_password = required(body, "password")?.to_string();
    let otp = string_field(body.get("otp"), "otp")?.map(str::to_string);
    let keys = [
        ThrottleKey::Password(email.clone()),
        ThrottleKey::Address(call.client_ip),
    ];
    begin_attempt(call, &keys).await?;
    let lookup = email.clone();
    let user = call
        .sandbox
        .store
        .read(move |conn| users::find_by_username(conn, &lookup))
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = password_matches(call, stored, email, given_password).await?;
    let user = match user {
        Some(user) if matches => user,
        _ => return Err(Error::Unauthenticated(AuthFailure::BadCredentials)),
    };
    check_otp(otp.as_deref(), &call.state.auth.otps, false).map_err(otp_error)?;
    if !user.is_active {
        return Err(Error::Unauthenticated(AuthFailure::InactiveUser));
    }
    call.sandbox.throttle.succeeded(&keys);
    Ok(user)
}

/// `POST /api/auth/v1/session` (the SDK) and `/api/v{1,2}/user/login` (curl): email, password
/// (plain or the SDK's HMAC form) and OTP give a short-lived token, unlocked for the default
/// unlock time because the OTP was just given.
pub async fn login(call: Call) -> Result<HttpResponse, BitgoError> {
    let body: Body = call.json()?;
    let extensible = body
        .get("extensible")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let user = check_login(&call, &body).await?;

    let auth = &call.state.auth;
    let unlock = unlock_seconds(None, auth.unlock_default_seconds, auth.unlock_max_seconds)
        .map_err(Error::Internal)?;
    let now = call.now_ms();
    let expires_at = now + auth.login_token_seconds * 1000;
    let (raw, row) = new_token(
        &call,
        &user.id,
        TokenKind::Login,
        ScopeSet::login(),
        now,
        expires_at,
    );
    let row = TokenRow {
        is_extensible: extensible,
        unlocked_at: Some(now),
        unlock_expires_at: Some(now + unlock * 1000),
        ..row
    };
    let (token_id, expires_at, scope) = (row.id.clone(), row.expires_at, row.scope.clone());
    let profile = call
        .sandbox
        .store
        .write(move |conn| {
            tokens::insert(conn, &row)?;
            users::set_last_login(conn, &row.user_id, now)?;
            profile::load(conn, &row.user_id)?
                .ok_or_else(|| Error::Internal("user vanished during login".into()))
        })
        .await?;
    let user = UserView {
        user: &profile.user,
        memberships: &profile.memberships,
        organizations: &profile.organizations,
    };
    let mut response = call.reply(
        StatusCode::OK,
        &json!({
            "token_type": "bearer",
            "access_token": raw.expose(),
            "token_id": token_id,
            "expires_in": auth.login_token_seconds,
            "expires_at": expires_at / 1000,
            "scope": scope.names(),
            "grant_type": "password",
            "user": user.to_json(),
        }),
    )?;
    // The journal names who logged in (the request itself carried no token).
    note_issued_to(&mut response, &profile.user.id);
    Ok(response)
}

/// The calling token's document, freshly read (after an unlock or lock).
async fn session_json(authed: &Authed) -> Result<Value, BitgoError> {
    let (user_id, token_id) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.id.clone(),
    );
    let (token, orgs) = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            let token = tokens::find_for_user(conn, &user_id, &token_id)?
                .ok_or_else(|| Error::NotFound("session not found".into()))?;
            Ok((token, profile::organization_ids(conn, &user_id)?))
        })
        .await?;
    Ok(TokenView {
        token: &token,
        organization_ids: &orgs,
        origin: &authed.call.state.auth.origin,
        now_ms: authed.now_ms(),
    }
    .to_json(None))
}

/// `GET /api/v{1,2}/user/session`: the calling token's document.
pub async fn get_session(authed: Authed) -> Result<HttpResponse, BitgoError> {
    let session = session_json(&authed).await?;
    authed.reply(StatusCode::OK, &json!({ "session": session }))
}

/// `GET /api/v{1,2}/user/logout`: the calling token stops working.
pub async fn logout(authed: Authed) -> Result<HttpResponse, BitgoError> {
    let (id, now) = (authed.principal.token.id.clone(), authed.now_ms());
    authed
        .call
        .sandbox
        .store
        .write(move |conn| tokens::revoke(conn, &id, now))
        .await?;
    authed.reply(StatusCode::OK, &json!({}))
}

/// `POST /api/v{1,2}/user/unlock` `{otp, duration}`: unlocks the session for up to an hour.
pub async fn unlock(authed: Authed) -> Result<HttpResponse, BitgoError> {
    let body: Body = authed.call.json()?;
    let auth = &authed.call.state.auth;
    let duration = unlock_seconds(
        integer_field(body.get("duration"), "duration")?,
        auth.unlock_default_seconds,
        auth.unlock_max_seconds,
    )
    .map_err(Error::Invalid)?;
    let otp = string_field(body.get("otp"), "otp")?;
    let keys = [
        ThrottleKey::Otp(authed.principal.user_id().to_string()),
        ThrottleKey::Address(authed.call.client_ip),
    ];
    begin_attempt(&authed.call, &keys).await?;
    check_otp(otp, &auth.otps, false).map_err(otp_error)?;
    authed.call.sandbox.throttle.succeeded(&keys);
    let (id, now) = (authed.principal.token.id.clone(), authed.now_ms());
    authed
        .call
        .sandbox
        .store
        .write(move |conn| tokens::set_unlock(conn, &id, Some((now, now + duration * 1000))))
        .await?;
    let session = session_json(&authed).await?;
    authed.reply(StatusCode::OK, &json!({ "session": session }))
}

/// `POST /api/v{1,2}/user/lock`: ends any unlock.
pub async fn lock(authed: Authed) -> Result<HttpResponse, BitgoError> {
    let id = authed.principal.token.id.clone();
    authed
        .call
        .sandbox
        .store
        .write(move |conn| tokens::set_unlock(conn, &id, None))
        .await?;
    let session = session_json(&authed).await?;
    authed.reply(StatusCode::OK, &json!({ "session": session }))
}

/// `POST /api/v{1,2}/user/verifypassword` `{password}`: `{valid}`.
pub async fn verify_password(authed: Authed) -> Result<HttpResponse, BitgoError> {
    policy::may_manage_credentials(&authed.principal.token.scope)?;
    let body: Body = authed.call.json()?;
    let given = required(&body, "password")?.to_string();
    let user_id = authed.principal.user_id().to_string();
    let user = authed
        .call
        .sandbox
        .store
        .read(move |conn| users::find_by_id(conn, &user_id))
        .await?
        .ok_or_else(|| Error::NotFound("user not found".into()))?;
    let keys = [
        ThrottleKey::Password(user.username.clone()),
        ThrottleKey::Address(authed.call.client_ip),
    ];
    begin_attempt(&authed.call, &keys).await?;
    let valid =
        password_matches(&authed.call, Some(user.password_hash), user.username, given).await?;
    if valid {
        authed.call.sandbox.throttle.succeeded(&keys);
    }
    authed.reply(StatusCode::OK, &json!({ "valid": valid }))
}
