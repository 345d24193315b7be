//! Wire shapes of groups: the private API's `GroupResponseModel` (`object: "group"`) and
//! `GroupDetailsResponseModel` (`"groupDetails"`, with its collections), and the Public API's
//! `GroupResponseModel` (`"group"`, with `externalId` and its collections as
//! `AssociationWithPermissionsResponseModel`s).

use serde_json::{json, Value};

use crate::bitwarden::collections::views::selection;
use crate::store::bitwarden::collections::Access;
use crate::store::bitwarden::groups::BwGroup;

/// The private `GroupResponseModel`.
pub fn group(g: &BwGroup) -> Value {
    json!({
        "object": "group",
        "id": g.id,
        "organizationId": g.organization_id,
        "name": g.name,
        "externalId": g.external_id,
    })
}

/// `GroupDetailsResponseModel`: the group and the collections it reaches.
pub fn details(g: &BwGroup, collections: &[Access]) -> Value {
    let mut v = group(g);
    v["object"] = json!("groupDetails");
    v["collections"] = collections.iter().map(selection).collect();
    v
}

/// The Public API's `GroupResponseModel`; `collections` is `null` when the request that
/// made it named none (the server echoes the request's list).
pub fn public_group(g: &BwGroup, collections: Option<&[Access]>) -> Value {
    json!({
        "object": "group",
        "id": g.id,
        "name": g.name,
        "externalId": g.external_id,
        "collections": collections.map(|list| list.iter().map(selection).collect::<Vec<_>>()),
    })
}
