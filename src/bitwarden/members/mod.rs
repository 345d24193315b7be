//! Members of an organization (`OrganizationUsersController`): the lists, one member,
//! invitations and their links, acceptance, confirmation, role changes, revocation,
//! restoration and removal, one by one and in bulk. The commands are written once and used by
//! the Public API too (`bitwarden::public`), with the Public API's system actor.

pub mod accept;
pub mod confirm;
pub mod invite;
pub mod invite_request;
pub mod invite_token;
pub mod list;
pub mod manage;
pub mod status;
pub mod update;
pub mod views;

use serde_json::Value;

use crate::bitwarden::body::Body;
use crate::bitwarden::call::Caller;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids::parse_guid;
use crate::domain::bitwarden::members::Target;
use crate::store::bitwarden::members::BwMember;

/// `{orgId}` and `{id}` of a member route, as GUIDs; anything else is a 404.
pub fn path_ids(path: (String, String)) -> BwResult<(String, String)> {
    let (org, member) = path;
    Ok((
        parse_guid(&org).ok_or(BwError::NotFound)?,
        parse_guid(&member).ok_or(BwError::NotFound)?,
    ))
}

/// A list of GUIDs in field `name` (`Ids`, `GroupIds`, ...): each must be a GUID.
pub fn guid_list(body: &Body, name: &str) -> BwResult<Option<Vec<String>>> {
    let Some(v) = body.get(name) else {
        return Ok(None);
    };
    let Value::Array(items) = v else {
        return Err(BwError::field(
            &format!("$.{name}"),
            "The JSON value could not be converted to System.Collections.Generic.IEnumerable`1[System.Guid].",
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str().and_then(parse_guid).ok_or_else(|| {
                BwError::field(
                    &format!("$.{name}[{i}]"),
                    "The JSON value could not be converted to System.Guid.",
                )
            })
        })
        .collect::<BwResult<Vec<_>>>()
        .map(Some)
}

/// `OrganizationUserBulkRequestModel`: `{ids}`, required, at least one.
pub fn bulk_ids(body: &Body) -> BwResult<Vec<String>> {
    match guid_list(body, "ids")? {
        None => Err(BwError::field("Ids", "The Ids field is required.")),
        Some(ids) if ids.is_empty() => Err(BwError::field(
            "Ids",
            "The field Ids must be a string or array type with a minimum length of '1'.",
        )),
        Some(ids) => Ok(ids),
    }
}

/// What the member rules need to know of `m` when `caller` acts on it.
pub fn target(m: &BwMember, caller: &Caller) -> Target {
    Target {
        member_type: m.member_type,
        status: m.status,
        is_self: m.user_id.is_some() && m.user_id == caller.user_id,
        claimed: m.claimed,
    }
}
