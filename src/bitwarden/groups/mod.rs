//! Groups of an organization (`GroupsController` of the private API and of the Public API):
//! the routes (`reads`, `writes`, and `public::groups` for the organization API key), what
//! each asks first (`request`), the commands both share (`change`) and the wire shapes
//! (`views`). The rules are `domain::bitwarden::groups`.

pub mod change;
pub mod reads;
pub mod request;
pub mod views;
pub mod writes;

use actix_web::web;

use super::{both, resource};

/// Registers the group routes of both APIs (fixed paths before the `{id}` paths).
pub fn configure(cfg: &mut web::ServiceConfig) {
    let at = |p: &str| both(&format!("/organizations/{{id}}/groups{p}"));
    cfg.service(
        resource(at(""))
            .route(web::get().to(reads::list))
            .route(web::post().to(writes::create))
            .route(web::delete().to(writes::bulk_delete)),
    )
    .service(resource(at("/details")).route(web::get().to(reads::list_details)))
    .service(resource(at("/delete")).route(web::post().to(writes::bulk_delete)))
    .service(
        resource(at("/{group}"))
            .route(web::get().to(reads::get))
            .route(web::put().to(writes::update))
            .route(web::post().to(writes::update))
            .route(web::delete().to(writes::delete)),
    )
    .service(resource(at("/{group}/details")).route(web::get().to(reads::details)))
    .service(resource(at("/{group}/users")).route(web::get().to(reads::users)))
    .service(resource(at("/{group}/delete")).route(web::post().to(writes::delete)))
    .service(resource(at("/{group}/user/{member}")).route(web::delete().to(writes::remove_member)))
    .service(
        resource(at("/{group}/delete-user/{member}")).route(web::post().to(writes::remove_member)),
    );
    super::public::groups::configure(cfg);
}
