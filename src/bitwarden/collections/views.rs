//! Wire shapes of collections: `CollectionResponseModel` (`object: "collection"`),
//! `CollectionDetailsResponseModel` (`"collectionDetails"`, with the caller's own access) and
//! `CollectionAccessDetailsResponseModel` (`"collectionAccessDetails"`, with every member's
//! and group's access).

use serde_json::{json, Value};

use crate::store::bitwarden::collections::{Access, BwCollection};

fn base(c: &BwCollection, object: &str) -> Value {
    json!({
        "object": object,
        "id": c.id,
        "organizationId": c.organization_id,
        "name": c.name,
        "externalId": c.external_id,
        "type": c.collection_type,
    })
}

fn set(v: &mut Value, key: &str, value: Value) {
    if let Value::Object(m) = v {
        m.insert(key.to_string(), value);
    }
}

/// `CollectionResponseModel`.
pub fn collection(c: &BwCollection) -> Value {
    base(c, "collection")
}

/// `CollectionDetailsResponseModel`: the collection with what the caller may do in it.
pub fn details(c: &BwCollection, mine: Option<&Access>) -> Value {
    let mut v = base(c, "collectionDetails");
    set(&mut v, "readOnly", json!(mine.is_some_and(|a| a.read_only)));
    set(
        &mut v,
        "hidePasswords",
        json!(mine.is_some_and(|a| a.hide_passwords)),
    );
    set(&mut v, "manage", json!(mine.is_some_and(|a| a.manage)));
    v
}

/// `SelectionReadOnlyResponseModel`.
pub fn selection(a: &Access) -> Value {
    json!({"id": a.id, "readOnly": a.read_only, "hidePasswords": a.hide_passwords, "manage": a.manage})
}

/// `CollectionAccessDetailsResponseModel(collection)`: the collection alone (no access lists,
/// `null`, and no access of the caller's), as the server answers a change the caller may not
/// read back with access.
pub fn bare_access_details(c: &BwCollection) -> Value {
    let mut v = base(c, "collectionAccessDetails");
    for key in ["groups", "users"] {
        set(&mut v, key, Value::Null);
    }
    for key in [
        "assigned",
        "readOnly",
        "hidePasswords",
        "manage",
        "unmanaged",
    ] {
        set(&mut v, key, json!(false));
    }
    v
}

/// `CollectionAccessDetailsResponseModel`: the collection, its groups and members, and the
/// caller's own access (`assigned` when it has any).
pub fn access_details(
    c: &BwCollection,
    groups: &[Access],
    users: &[Access],
    mine: Option<&Access>,
) -> Value {
    let mut v = base(c, "collectionAccessDetails");
    set(&mut v, "groups", groups.iter().map(selection).collect());
    set(&mut v, "users", users.iter().map(selection).collect());
    set(&mut v, "assigned", json!(mine.is_some()));
    set(&mut v, "readOnly", json!(mine.is_some_and(|a| a.read_only)));
    set(
        &mut v,
        "hidePasswords",
        json!(mine.is_some_and(|a| a.hide_passwords)),
    );
    set(&mut v, "manage", json!(mine.is_some_and(|a| a.manage)));
    set(
        &mut v,
        "unmanaged",
        json!(!users.iter().chain(groups).any(|a| a.manage)),
    );
    v
}
