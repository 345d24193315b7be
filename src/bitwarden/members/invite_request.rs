//! The invitation request (`OrganizationUserInviteRequestModel`): its addresses, role,
//! permissions, collections and groups, each refusal in the server's validation words.

use serde_json::{Map, Value};

use crate::bitwarden::body::Body;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::selection;
use crate::domain::bitwarden::role::{MemberType, Permissions};
use crate::store::bitwarden::collections::Access;

/// What an invitation asks for.
#[derive(Debug, Clone)]
pub struct Invitation {
    /// Lowercased, trimmed addresses.
    pub emails: Vec<String>,
    /// The role.
    pub role: MemberType,
    /// Custom permissions (custom roles only).
    pub permissions: Permissions,
    /// Collection access.
    pub collections: Vec<Access>,
    /// Groups.
    pub groups: Vec<String>,
    /// Secrets Manager access.
    pub access_secrets_manager: bool,
    /// A directory's id for the member.
    pub external_id: Option<String>,
}

/// A strict address check: one `@`, something on each side, no spaces.
pub fn valid_email(e: &str) -> bool {
    e.split_once('@').is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && !b.contains('@') && !e.chars().any(char::is_whitespace)
    })
}

/// `[Required, StrictEmailAddressList]` on `Emails`, in the server's words.
fn read_emails(body: &Body) -> BwResult<Vec<String>> {
    let bad = |m: &str| BwError::field("Emails", m);
    let list = match body.get("emails") {
        None => return Err(bad("The Emails field is required.")),
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(BwError::field(
                "$.emails",
                "The JSON value could not be converted to System.Collections.Generic.IEnumerable`1[System.String].",
            ))
        }
    };
    if list.is_empty() {
        return Err(bad("An email is required."));
    }
    if list.len() > 20 {
        return Err(bad("You can only submit up to 20 emails at a time."));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let e = v.as_str().unwrap_or_default();
        if !valid_email(e) {
            return Err(bad(&format!("Email #{} is not valid.", i + 1)));
        }
        if e.len() > 256 {
            return Err(bad(&format!(
                "Email #{} is longer than 256 characters.",
                i + 1
            )));
        }
        out.push(e.trim().to_lowercase());
    }
    Ok(out)
}

/// `[Required, EnumDataType]` on `Type`.
pub fn read_role(body: &Body) -> BwResult<MemberType> {
    let t = body
        .i64("type")?
        .ok_or_else(|| BwError::field("Type", "The Type field is required."))?;
    MemberType::from_i64(t).ok_or_else(|| BwError::field("Type", "The field Type is invalid."))
}

/// The permissions object in any casing (the seed's two removed names included).
pub fn read_permissions(body: &Body) -> BwResult<Option<Permissions>> {
    let Some(p) = body.object("permissions")? else {
        return Ok(None);
    };
    let canonical = canonical_permissions(p.map());
    Ok(Some(
        serde_json::from_value(Value::Object(canonical)).unwrap_or_default(),
    ))
}

/// `OrganizationUserInviteRequestModel`.
pub fn read_invitation(body: &Body) -> BwResult<Invitation> {
    let emails = read_emails(body)?;
    let role = read_role(body)?;
    let collections =
        selection::read(body, "collections", "Collections", false)?.unwrap_or_default();
    Ok(Invitation {
        emails,
        role,
        permissions: read_permissions(body)?.unwrap_or_default(),
        collections: selection::dedup(collections),
        groups: super::guid_list(body, "groups")?.unwrap_or_default(),
        access_secrets_manager: body.bool("accessSecretsManager")?.unwrap_or(false),
        external_id: None,
    })
}

/// Maps permission names in any case to the camelCase names of [`Permissions`].
pub fn canonical_permissions(m: &Map<String, Value>) -> Map<String, Value> {
    const NAMES: &[&str] = &[
        "accessEventLogs",
        "accessImportExport",
        "accessReports",
        "createNewCollections",
        "editAnyCollection",
        "deleteAnyCollection",
        "manageGroups",
        "managePolicies",
        "manageSso",
        "manageUsers",
        "manageResetPassword",
        "manageScim",
        "manageAccessRules",
        "editAssignedCollections",
        "deleteAssignedCollections",
    ];
    m.iter()
        .filter_map(|(k, v)| {
            NAMES
                .iter()
                .find(|n| n.eq_ignore_ascii_case(k))
                .map(|n| (n.to_string(), Value::Bool(v.as_bool().unwrap_or(false))))
        })
        .collect()
}
