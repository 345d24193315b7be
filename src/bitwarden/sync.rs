//! What a client calls right after login: `GET /sync`, `GET /accounts/profile`, `GET /config`,
//! and `GET /organizations` (the caller's confirmed memberships as `profileOrganization`s).

use actix_web::{HttpRequest, HttpResponse};
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::BwError;
use crate::bitwarden::views;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::role::MemberStatus;
use crate::domain::error::{Error, Result};
use crate::store::bitwarden::{collections, keys, members, orgs, policies, users};

/// The caller's confirmed memberships as `profileOrganization` objects.
pub fn profile_organizations(conn: &Connection, user_id: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for m in members::list_for_user(conn, user_id, MemberStatus::Confirmed)? {
        if let Some(o) = orgs::find(conn, &m.organization_id)? {
            let bound = keys::sso_linked(conn, user_id, &o.id)?;
            out.push(views::profile_organization(&o, &m, bound));
        }
    }
    Ok(out)
}

/// The collections the caller reaches in its confirmed memberships of enabled organizations,
/// directly or through its groups, as `collectionDetails` with its own access (the server's
/// `GetManyByUserIdAsync`: assigned collections only, for owners and admins too).
pub fn user_collections(conn: &Connection, user_id: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for m in members::list_for_user(conn, user_id, MemberStatus::Confirmed)? {
        if !orgs::find(conn, &m.organization_id)?.is_some_and(|o| o.enabled) {
            continue;
        }
        for (id, access) in collections::reach_of_member(conn, &m.id)? {
            if let Some(col) = collections::find(conn, &m.organization_id, &id)? {
                out.push(crate::bitwarden::collections::views::details(
                    &col,
                    Some(&access),
                ));
            }
        }
    }
    Ok(out)
}

/// Every policy (on or off) of the organizations the caller is a confirmed member of, as
/// `policy` objects (the server's `Policy_ReadByUserId`, which sync answers as `policies`).
pub fn user_policies(conn: &Connection, user_id: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for m in members::list_for_user(conn, user_id, MemberStatus::Confirmed)? {
        for p in policies::list_for_org(conn, &m.organization_id)? {
            out.push(crate::bitwarden::policies::policy(&p));
        }
    }
    Ok(out)
}

async fn load_profile(call: &BwCall) -> std::result::Result<Value, BwError> {
    let uid = call.user_id.clone();
    let profile = call
        .sandbox
        .store
        .read(move |c| {
            let user = users::find(c, &uid)?.ok_or(Error::Unauthenticated(
                crate::domain::error::AuthFailure::UnknownToken,
            ))?;
            Ok(views::profile(&user, profile_organizations(c, &uid)?))
        })
        .await?;
    Ok(profile)
}

/// `GET /sync`
pub async fn sync(call: BwCall) -> std::result::Result<HttpResponse, BwError> {
    let profile = load_profile(&call).await?;
    let uid = call.user_id.clone();
    let (user, key_id, collections, policies) = call
        .sandbox
        .store
        .read(move |c| {
            Ok((
                users::find(c, &uid)?,
                users::user_key_id(c, &uid)?,
                user_collections(c, &uid)?,
                user_policies(c, &uid)?,
            ))
        })
        .await?;
    let user = user.ok_or(BwError::UnauthorizedEmpty)?;
    let unlock = json!({
        "masterPasswordUnlock": user.user_key.as_ref().map(|k| json!({
            "kdf": {
                "kdfType": user.kdf,
                "iterations": user.kdf_iterations,
                "memory": user.kdf_memory,
                "parallelism": user.kdf_parallelism,
            },
            "masterKeyEncryptedUserKey": k,
            "salt": user.email,
        })),
        "webAuthnPrfOptions": null,
        "v2UpgradeToken": null,
        "userKeyId": key_id,
        "object": "userDecryption",
    });
    Ok(HttpResponse::Ok().json(json!({
        "object": "sync",
        "profile": profile,
        "folders": [],
        "collections": collections,
        "ciphers": [],
        "domains": null,
        "policies": policies,
        "sends": [],
        "userDecryption": unlock,
    })))
}

/// `POST /accounts/key-management/user-key-id`: records the id a client computed for its user
/// key (the CLI's key-id backfill after login); `{"userKeyId": "..."}`, any key casing.
pub async fn record_user_key_id(
    call: BwCall,
    body: actix_web::web::Bytes,
) -> std::result::Result<HttpResponse, BwError> {
    let body = crate::bitwarden::body::Body::parse(&body, true)?;
    let key_id = body
        .str("userKeyId")?
        .or(body.str("keyId")?)
        .ok_or_else(|| BwError::field("UserKeyId", "The UserKeyId field is required."))?;
    if key_id.len() > 200 {
        return Err(BwError::field(
            "UserKeyId",
            "The field UserKeyId must be a string with a maximum length of 200.",
        ));
    }
    let uid = call.user_id.clone();
    call.sandbox
        .store
        .write(move |c| users::set_user_key_id(c, &uid, &key_id))
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `GET /accounts/profile`
pub async fn get_profile(call: BwCall) -> std::result::Result<HttpResponse, BwError> {
    Ok(HttpResponse::Ok().json(load_profile(&call).await?))
}

/// `GET /accounts/revision-date`: the user's revision date in ms since the epoch.
pub async fn revision_date(call: BwCall) -> std::result::Result<HttpResponse, BwError> {
    let uid = call.user_id.clone();
    let user = call
        .sandbox
        .store
        .read(move |c| users::find(c, &uid))
        .await?;
    let user = user.ok_or(BwError::UnauthorizedEmpty)?;
    Ok(HttpResponse::Ok().json(user.revision_at))
}

/// `GET /organizations`
pub async fn list_organizations(call: BwCall) -> std::result::Result<HttpResponse, BwError> {
    let uid = call.user_id.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| profile_organizations(c, &uid))
        .await?;
    Ok(HttpResponse::Ok().json(views::list(data)))
}

/// `GET /config` (anonymous): the server configuration clients read before anything else.
pub async fn get_config(req: HttpRequest) -> std::result::Result<HttpResponse, BwError> {
    let (state, _) = crate::bitwarden::call::sandbox_of(&req)?;
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    Ok(HttpResponse::Ok().json(json!({
        "object": "config",
        "version": "2026.8.0",
        "gitHash": "orgbox",
        "server": {"name": "orgbox", "url": "https://github.com/orgbox"},
        "environment": {
            "cloudRegion": null,
            "vault": base,
            "api": format!("{base}/api"),
            "identity": format!("{base}/identity"),
            "notifications": format!("{base}/notifications"),
            "sso": "",
        },
        "featureStates": {},
        "push": {"pushTechnology": 0, "vapidPublicKey": null},
        "settings": {
            "disableUserRegistration": false,
            "suppressOnboardingInterstitials": false,
        },
        "communication": null,
        "selfHosted": state.bitwarden.deployment == Deployment::SelfHosted,
    })))
}
