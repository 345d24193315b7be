//! The user object: `GET /api/v{1,2}/user/me` and `/user/{id}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use rusqlite::Connection;

use crate::bitgo::call::{Authed, AuthedWith, Preload};
use crate::bitgo::error::BitgoError;
use crate::bitgo::user_wire::UserEnvelope;
use crate::bitgo::views::UserView;
use crate::domain::error::Error;
use crate::domain::scope::Scope;
use crate::store::profile::{self, Profile};
use crate::store::tokens::TokenRow;

/// The caller's profile, read in the same store call as the token.
pub struct OwnProfile;

impl Preload for OwnProfile {
    type Output = Option<Profile>;
    fn load(conn: &Connection, token: &TokenRow) -> crate::domain::error::Result<Option<Profile>> {
        profile::load(conn, &token.user_id)
    }
}

/// `GET /api/v{1,2}/user/me`: `{user}`.
pub async fn get_me(me: AuthedWith<OwnProfile>) -> Result<HttpResponse, BitgoError> {
    let authed = me.authed;
    authed.require(Scope::Profile)?;
    let profile = me
        .loaded
        .ok_or_else(|| Error::NotFound("user not found".into()))?;
    reply_with_user(&authed, &profile)
}

/// `GET /api/v{1,2}/user/{id}`: by `me`, the caller's id or the caller's username; other users
/// are not visible to a token.
pub async fn get_user(authed: Authed, id: web::Path<String>) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::Profile)?;
    let id = id.into_inner();
    let profile = own_profile(&authed).await?;
    if id != "me" && id != profile.user.id && id.to_lowercase() != profile.user.username {
        return Err(Error::NotFound(format!("user {id} not found")).into());
    }
    reply_with_user(&authed, &profile)
}

async fn own_profile(authed: &Authed) -> Result<Profile, BitgoError> {
    let user_id = authed.principal.user_id().to_string();
    Ok(authed
        .call
        .sandbox
        .store
        .read(move |conn| profile::load(conn, &user_id))
        .await?
        .ok_or_else(|| Error::NotFound("user not found".into()))?)
}

fn reply_with_user(authed: &Authed, profile: &Profile) -> Result<HttpResponse, BitgoError> {
    let user = UserView {
        user: &profile.user,
        memberships: &profile.memberships,
        organizations: &profile.organizations,
    };
    authed.reply(StatusCode::OK, &UserEnvelope(&user))
}
