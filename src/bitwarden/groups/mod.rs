//! Groups of an organization (`GroupsController` of the private API and of the Public API):
//! the routes (`reads`, `writes`, and `public::groups` for the organization API key), the
//! commands both share (`change`) and the wire shapes (`views`). The rules are
//! `domain::bitwarden::groups`.

pub mod change;
pub mod reads;
pub mod views;
pub mod writes;

use actix_web::web;
use rusqlite::Connection;

use super::body::Body;
use super::call::Caller;
use super::collections::access::Reach;
use super::error::{BwError, BwResult};
use super::ids::parse_guid;
use super::{both, resource};
use crate::domain::bitwarden::collections::DEFAULT_SETTINGS;
use crate::domain::bitwarden::groups::{allows, GroupAction};
use crate::store::bitwarden::groups::{self, BwGroup};
use crate::store::bitwarden::orgs::{self, BwOrg};

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

/// A GUID path segment; anything else is a 404.
pub fn guid(raw: &str) -> BwResult<String> {
    parse_guid(raw).ok_or(BwError::NotFound)
}

/// Asks the rule whether the caller may do `action` on `org_id`'s groups (a refusal is the
/// empty 403), then reads the organization (404 when gone).
pub fn authorize(
    c: &Connection,
    org_id: &str,
    caller: &Caller,
    action: GroupAction,
) -> BwResult<BwOrg> {
    let membership = caller.membership(org_id);
    let manages_any = match action {
        GroupAction::List => Reach::load(c, org_id, caller)?.manages_any(),
        _ => false,
    };
    allows(membership.as_ref(), DEFAULT_SETTINGS, manages_any, action)?;
    orgs::find(c, org_id)?.ok_or(BwError::NotFound)
}

/// A group of `org_id`, or the 404 the server throws.
pub fn load(c: &Connection, org_id: &str, id: &str) -> BwResult<BwGroup> {
    groups::find(c, org_id, id)?.ok_or(BwError::NotFound)
}

/// The name (`[Required]`, `[StringLength(100)]`).
pub fn read_name(body: &Body) -> BwResult<String> {
    let name = body
        .str("name")?
        .filter(|n| !n.is_empty())
        .ok_or_else(|| BwError::field("Name", "The Name field is required."))?;
    if name.chars().count() > 100 {
        return Err(BwError::field(
            "Name",
            "The field Name must be a string with a maximum length of 100.",
        ));
    }
    Ok(name)
}
