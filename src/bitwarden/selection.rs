//! Access lists in request bodies: `SelectionReadOnlyRequestModel` entries (`{id, readOnly,
//! hidePasswords, manage}`) of collections, members and groups, read with the server's
//! model-state keys (`Collections[0].Id`), and the checks every access list gets.

use serde_json::Value;

use crate::bitwarden::body::Body;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids::parse_guid;
use crate::domain::bitwarden::collections::manage_conflicts;
use crate::domain::bitwarden::members::MANAGE_EXCLUSIVE;
use crate::store::bitwarden::collections::Access;

/// Reads the access list in `field` (`None` when absent or null). `model` names the field in
/// model-state keys (`Collections`, `Users`, `Groups`); `read_only_required` is the Public
/// API's `AssociationWithPermissions`, whose `readOnly` must be given.
pub fn read(
    body: &Body,
    field: &str,
    model: &str,
    read_only_required: bool,
) -> BwResult<Option<Vec<Access>>> {
    let Some(v) = body.get(field) else {
        return Ok(None);
    };
    let Value::Array(items) = v else {
        return Err(BwError::field(
            &format!("$.{field}"),
            "The JSON value could not be converted to System.Collections.Generic.IEnumerable`1.",
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(BwError::field(
                &format!("$.{field}[{i}]"),
                "The JSON value could not be converted to the request model.",
            ));
        };
        let entry = Body::from_map(map.clone());
        let key = |f: &str| format!("{model}[{i}].{f}");
        let id = match entry.str("id")? {
            Some(id) => parse_guid(&id).ok_or_else(|| {
                BwError::field(
                    &format!("$.{field}[{i}].id"),
                    "The JSON value could not be converted to System.Guid.",
                )
            })?,
            None => return Err(BwError::field(&key("Id"), "The Id field is required.")),
        };
        let read_only = entry.bool("readOnly")?;
        if read_only_required && read_only.is_none() {
            return Err(BwError::field(
                &key("ReadOnly"),
                "The ReadOnly field is required.",
            ));
        }
        out.push(Access {
            id,
            read_only: read_only.unwrap_or(false),
            hide_passwords: entry.bool("hidePasswords")?.unwrap_or(false),
            manage: entry.bool("manage")?.unwrap_or(false),
        });
    }
    Ok(Some(out))
}

/// Refuses an entry that pairs `manage` with `readOnly` or `hidePasswords`.
pub fn check_manage(list: &[Access]) -> BwResult<()> {
    if list
        .iter()
        .any(|a| manage_conflicts(a.read_only, a.hide_passwords, a.manage))
    {
        return Err(BwError::BadRequest(MANAGE_EXCLUSIVE.into()));
    }
    Ok(())
}

/// Keeps the last entry of each id (a JSON list naming one twice would break the table's key).
pub fn dedup(list: Vec<Access>) -> Vec<Access> {
    let mut out: Vec<Access> = Vec::with_capacity(list.len());
    for a in list {
        out.retain(|b| b.id != a.id);
        out.push(a);
    }
    out
}
