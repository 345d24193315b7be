//! What every group route asks first: its path ids, the caller's right (the rule's gate),
//! the group it names, and the name a body gives.

use rusqlite::Connection;

use crate::bitwarden::body::Body;
use crate::bitwarden::call::Caller;
use crate::bitwarden::collections::access::Reach;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids::parse_guid;
use crate::domain::bitwarden::collections::DEFAULT_SETTINGS;
use crate::domain::bitwarden::groups::{allows, GroupAction};
use crate::store::bitwarden::groups::{self, BwGroup};
use crate::store::bitwarden::orgs::{self, BwOrg};

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
