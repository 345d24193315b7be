//! The Bitwarden dialect: the identity server (`/identity/...`), the Organizations API and what
//! clients call after login, served both under `/api/...` (self-hosted style) and at the root
//! (cloud style), with Bitwarden's `ErrorResponseModel`. Its tables are its own
//! (`store::bitwarden`), its rules pure (`domain::bitwarden`).

pub mod accounts;
pub mod body;
pub mod call;
pub mod collections;
pub mod crypto;
pub mod error;
pub mod event_log;
pub mod events;
pub mod groups;
pub mod identity;
pub mod ids;
pub use crate::auth::jwt;
pub mod license;
pub mod members;
pub mod organizations;
pub mod policies;
pub mod policy_effects;
pub mod public;
mod routes;
pub mod selection;
pub mod sync;
pub mod views;

use actix_web::{web, HttpResponse};

use crate::bitwarden::error::BwError;

/// A path both self-hosted style (`/api{path}`) and cloud style (`{path}`).
pub(crate) fn both(path: &str) -> Vec<String> {
    vec![format!("/api{path}"), path.to_string()]
}

/// A resource whose unknown methods answer Bitwarden's 404.
pub(crate) fn resource(paths: Vec<String>) -> actix_web::Resource {
    web::resource(paths).default_service(web::to(not_found))
}

/// Bitwarden's answer for a path or method it does not serve: 404 `Resource not found.`.
pub async fn not_found() -> Result<HttpResponse, BwError> {
    Err(BwError::NotFound)
}

/// BitGo's path segments under `/api` (besides its versions `v1`, `v2`, ...); every other
/// `/api/...` path is Bitwarden's.
const BITGO_API_SEGMENTS: &[&str] = &["auth", "evs", "prime", "fiat", "policy", "network"];

/// Whether an unmatched path belongs to the Bitwarden dialect (so its 404 is Bitwarden's body).
pub fn owns_path(path: &str) -> bool {
    let first = path.split('/').nth(1).unwrap_or_default();
    match first {
        "identity" | "organizations" | "accounts" | "sync" | "config" | "connect" | "users"
        | "collections" | "public" => true,
        "api" => {
            let second = path.split('/').nth(2).unwrap_or_default();
            let version = second.len() > 1
                && second.starts_with('v')
                && second[1..].bytes().all(|b| b.is_ascii_digit());
            !(version || BITGO_API_SEGMENTS.contains(&second))
        }
        _ => false,
    }
}

/// Registers every Bitwarden route. Fixed paths come before `{id}` paths that would shadow
/// them, so the order of these tables matters: `/organizations/{id}` comes last.
pub fn configure(cfg: &mut web::ServiceConfig) {
    identity_routes(cfg);
    account_routes(cfg);
    organization_routes(cfg);
    routes::configure(cfg);
    cfg.service(
        resource(both("/organizations/{id}"))
            .route(web::get().to(organizations::get))
            .route(web::put().to(organizations::update))
            .route(web::post().to(organizations::update))
            .route(web::delete().to(organizations::delete)),
    );
}

/// The identity server: token, prelogin, registration.
fn identity_routes(cfg: &mut web::ServiceConfig) {
    let identity = |p: &str| vec![format!("/identity{p}"), p.to_string()];
    cfg.service(resource(identity("/connect/token")).route(web::post().to(identity::token)))
        .service(
            resource(vec![
                "/identity/accounts/prelogin".into(),
                "/identity/accounts/prelogin/password".into(),
                "/accounts/prelogin".into(),
                "/accounts/prelogin/password".into(),
            ])
            .route(web::post().to(identity::prelogin)),
        )
        .service(
            resource(vec![
                "/identity/accounts/register".into(),
                "/identity/accounts/register/finish".into(),
            ])
            .route(web::post().to(identity::register)),
        );
}

/// What a client reads after login, and the account's own settings.
fn account_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource(both("/config")).route(web::get().to(sync::get_config)))
        .service(resource(both("/sync")).route(web::get().to(sync::sync)))
        .service(resource(both("/accounts/profile")).route(web::get().to(sync::get_profile)))
        .service(
            resource(both("/accounts/key-management/user-key-id"))
                .route(web::post().to(sync::record_user_key_id))
                .route(web::put().to(sync::record_user_key_id)),
        )
        .service(
            resource(both("/accounts/revision-date")).route(web::get().to(sync::revision_date)),
        )
        .service(
            resource(both("/accounts/sso/{organizationId}"))
                .route(web::delete().to(organizations::delete_sso_link)),
        );
}

/// Organizations: the list, creation, licenses, and the routes under `/organizations/{id}/`.
fn organization_routes(cfg: &mut web::ServiceConfig) {
    use organizations as o;
    cfg.service(
        resource(both("/organizations"))
            .route(web::get().to(sync::list_organizations))
            .route(web::post().to(o::create)),
    )
    .service(
        resource(both("/organizations/create-without-payment")).route(web::post().to(o::create)),
    )
    .service(resource(both("/organizations/license")).route(web::post().to(license::upload_new)))
    .service(
        resource(both("/organizations/licenses/self-hosted"))
            .route(web::post().to(license::upload_new)),
    )
    .service(
        resource(both("/organizations/licenses/self-hosted/{id}"))
            .route(web::post().to(license::upload_update)),
    )
    .service(resource(both("/organizations/{id}/license")).route(web::get().to(license::download)))
    .service(
        resource(both("/organizations/{identifier}/auto-enroll-status"))
            .route(web::get().to(o::auto_enroll_status)),
    )
    .service(resource(both("/organizations/{id}/leave")).route(web::post().to(o::leave)))
    .service(resource(both("/organizations/{id}/delete")).route(web::post().to(o::delete)))
    .service(resource(both("/organizations/{id}/api-key")).route(web::post().to(o::get_api_key)))
    .service(
        resource(both("/organizations/{id}/rotate-api-key"))
            .route(web::post().to(o::rotate_api_key)),
    )
    .service(
        resource(both("/organizations/{id}/api-key-information"))
            .route(web::get().to(o::api_key_information)),
    )
    .service(
        resource(both("/organizations/{id}/api-key-information/{type}"))
            .route(web::get().to(o::api_key_information_of_type)),
    )
    .service(resource(both("/organizations/{id}/storage")).route(web::post().to(o::storage)))
    .service(resource(both("/organizations/{id}/public-key")).route(web::get().to(o::public_key)));
}

#[cfg(test)]
mod tests {
    use super::owns_path;

    #[test]
    fn unmatched_paths_are_split_between_the_dialects() {
        for p in [
            "/api/organizations/x/collections",
            "/identity/nope",
            "/organizations",
            "/api/ciphers",
        ] {
            assert!(owns_path(p), "{p}");
        }
        for p in [
            "/api/v2/nope",
            "/api/v1",
            "/api/v3/user/me",
            "/api/auth/v1/x",
            "/nope",
            "/",
        ] {
            assert!(!owns_path(p), "{p}");
        }
    }
}
