//! The Public API routes of member changes, policies and collection writes (the list and
//! read routes that came first are in `bitwarden::routes`).

use actix_web::web;

use super::{collection_writes, member_changes, policies};
use crate::bitwarden::{both, resource};

/// Registers these routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource(both("/public/members/{id}/reinvite"))
            .route(web::post().to(member_changes::reinvite)),
    )
    .service(
        resource(both("/public/members/{id}/revoke")).route(web::post().to(member_changes::revoke)),
    )
    .service(
        resource(both("/public/members/{id}/restore"))
            .route(web::post().to(member_changes::restore)),
    )
    .service(resource(both("/public/policies")).route(web::get().to(policies::list_policies)))
    .service(
        resource(both("/public/policies/{type}"))
            .route(web::get().to(policies::get_policy))
            .route(web::put().to(policies::put_policy)),
    )
    .service(
        resource(both("/public/collections/{id}"))
            .route(web::get().to(collection_writes::get_collection))
            .route(web::put().to(collection_writes::update_collection))
            .route(web::delete().to(collection_writes::delete_collection)),
    );
}
