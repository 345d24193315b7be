//! The routes of what an organization admin manages: members, collections, groups, policies
//! and the event log (the private API), and the Public API (`/public/...`). Fixed paths come
//! before the `{id}` paths that would shadow them.

use actix_web::web;

use super::{both, resource};

/// Registers these routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    member_routes(cfg);
    member_action_routes(cfg);
    collection_routes(cfg);
    public_routes(cfg);
    super::public::routes::configure(cfg);
    super::groups::configure(cfg);
    cfg.service(
        resource(both("/organizations/{id}/policies")).route(web::get().to(super::policies::list)),
    )
    .service(
        resource(both("/organizations/{id}/policies/{type}"))
            .route(web::get().to(super::policies::get))
            .route(web::put().to(super::policies::put)),
    )
    .service(
        resource(both("/organizations/{id}/events"))
            .route(web::get().to(super::events::organization_events)),
    );
}

/// Members: lists, invitations and bulk changes.
fn member_routes(cfg: &mut web::ServiceConfig) {
    use super::members::{confirm, invite, list, manage};
    let users = |p: &str| both(&format!("/organizations/{{id}}/users{p}"));
    cfg.service(
        resource(users(""))
            .route(web::get().to(list::list_members))
            .route(web::delete().to(manage::bulk_remove)),
    )
    .service(resource(users("/mini-details")).route(web::get().to(list::mini_details)))
    .service(resource(users("/invite")).route(web::post().to(invite::invite)))
    .service(resource(users("/reinvite")).route(web::post().to(invite::bulk_reinvite)))
    .service(resource(users("/confirm")).route(web::post().to(confirm::bulk_confirm)))
    .service(resource(users("/public-keys")).route(web::post().to(list::public_keys)))
    .service(resource(users("/remove")).route(web::post().to(manage::bulk_remove)))
    .service(
        resource(users("/revoke"))
            .route(web::put().to(manage::bulk_revoke))
            .route(web::patch().to(manage::bulk_revoke)),
    )
    .service(
        resource(users("/restore"))
            .route(web::put().to(manage::bulk_restore))
            .route(web::patch().to(manage::bulk_restore)),
    )
    .service(resource(both("/users/{id}/public-key")).route(web::get().to(list::user_public_key)));
}

/// One member: read, change, accept, confirm, re-invite, revoke, restore, remove.
fn member_action_routes(cfg: &mut web::ServiceConfig) {
    use super::members::{accept, confirm, invite, list, manage, update};
    let member = |p: &str| both(&format!("/organizations/{{id}}/users/{{member}}{p}"));
    cfg.service(
        resource(member(""))
            .route(web::get().to(list::get_member))
            .route(web::put().to(update::update))
            .route(web::post().to(update::update))
            .route(web::delete().to(manage::remove)),
    )
    .service(resource(member("/accept")).route(web::post().to(accept::accept)))
    .service(resource(member("/confirm")).route(web::post().to(confirm::confirm)))
    .service(resource(member("/reinvite")).route(web::post().to(invite::reinvite)))
    .service(resource(member("/remove")).route(web::post().to(manage::remove)))
    .service(
        resource(member("/revoke"))
            .route(web::put().to(manage::revoke))
            .route(web::patch().to(manage::revoke)),
    )
    .service(
        resource(member("/restore"))
            .route(web::put().to(manage::restore))
            .route(web::patch().to(manage::restore)),
    )
    .service(resource(member("/restore/vnext")).route(web::put().to(manage::restore)));
}

/// Collections (`CollectionsController`).
fn collection_routes(cfg: &mut web::ServiceConfig) {
    use super::collections::crud;
    let at = |p: &str| both(&format!("/organizations/{{id}}/collections{p}"));
    cfg.service(
        resource(at(""))
            .route(web::get().to(crud::list))
            .route(web::post().to(crud::create)),
    )
    .service(resource(at("/details")).route(web::get().to(crud::list_details)))
    .service(
        resource(at("/{collection}"))
            .route(web::get().to(crud::get))
            .route(web::put().to(crud::update))
            .route(web::post().to(crud::update))
            .route(web::delete().to(crud::delete)),
    )
    .service(resource(at("/{collection}/details")).route(web::get().to(crud::details)))
    .service(resource(both("/collections")).route(web::get().to(crud::mine)))
    .service(resource(at("/{collection}/delete")).route(web::post().to(crud::delete)));
}

/// The Public API, for the organization API key's token.
fn public_routes(cfg: &mut web::ServiceConfig) {
    use super::public::{members, reads};
    cfg.service(
        resource(both("/public/collections")).route(web::get().to(reads::list_collections)),
    )
    .service(resource(both("/public/events")).route(web::get().to(reads::list_events)));
    cfg.service(
        resource(both("/public/members"))
            .route(web::get().to(members::list_members))
            .route(web::post().to(members::create)),
    )
    .service(
        resource(both("/public/members/{id}"))
            .route(web::get().to(members::get_member))
            .route(web::delete().to(members::remove))
            .route(web::put().to(super::public::member_changes::update)),
    );
}
