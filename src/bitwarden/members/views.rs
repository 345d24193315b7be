//! The member models of the private API (`OrganizationUserUserDetailsResponseModel`,
//! `OrganizationUserDetailsResponseModel`, `OrganizationUserUserMiniDetailsResponseModel`,
//! `OrganizationUserBulkResponseModel`), built from a membership and what it links to.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::bitwarden::views::date;
use crate::domain::bitwarden::role::MemberType;
use crate::domain::error::Result;
use crate::store::bitwarden::collections::{self, Access};
use crate::store::bitwarden::members::BwMember;
use crate::store::bitwarden::users::{self, BwUser};
use crate::store::bitwarden::{groups, keys};

/// A membership with the account, SSO link, collections and groups it has.
pub struct MemberDetails {
    /// The row.
    pub member: BwMember,
    /// Its account, once accepted.
    pub user: Option<BwUser>,
    /// The account is linked to the organization's SSO.
    pub sso_bound: bool,
    /// The account's external id at the organization's SSO provider, when linked.
    pub sso_external_id: Option<String>,
    /// Direct collection access.
    pub collections: Vec<Access>,
    /// Group ids.
    pub groups: Vec<String>,
}

impl MemberDetails {
    /// Reads what a membership links to.
    pub fn load(conn: &Connection, member: BwMember) -> Result<MemberDetails> {
        let user = match &member.user_id {
            Some(u) => users::find(conn, u)?,
            None => None,
        };
        let sso_external_id = match &member.user_id {
            Some(u) => keys::sso_external_id(conn, u, &member.organization_id)?,
            None => None,
        };
        Ok(MemberDetails {
            collections: collections::of_member(conn, &member.id)?,
            groups: groups::group_ids_of_member(conn, &member.id)?,
            user,
            sso_bound: sso_external_id.is_some(),
            sso_external_id,
            member,
        })
    }

    /// The address shown: the account's, else the invited one.
    pub fn email(&self) -> Option<String> {
        self.user
            .as_ref()
            .map(|u| u.email.clone())
            .or_else(|| self.member.email.clone())
    }

    fn uses_key_connector(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.uses_key_connector)
    }

    /// Two-step login is on for the account.
    pub fn two_factor(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.two_factor_enabled)
    }
}

/// A collection access entry (`SelectionReadOnlyResponseModel`).
pub fn selection(a: &Access) -> Value {
    json!({
        "id": a.id,
        "readOnly": a.read_only,
        "hidePasswords": a.hide_passwords,
        "manage": a.manage,
    })
}

/// The fields of `OrganizationUserResponseModel` every member model starts with.
fn base(d: &MemberDetails, object: &str) -> Map<String, Value> {
    let m = &d.member;
    let mut o = Map::new();
    o.insert("object".into(), json!(object));
    o.insert("id".into(), json!(m.id));
    o.insert("userId".into(), json!(m.user_id));
    o.insert("type".into(), json!(m.member_type.as_i64()));
    o.insert("status".into(), json!(m.status.as_i64()));
    o.insert("externalId".into(), json!(m.external_id));
    o.insert(
        "accessSecretsManager".into(),
        json!(m.access_secrets_manager),
    );
    o.insert("accessPam".into(), json!(false));
    // The server serializes `GetPermissions()`, null for a member without custom permissions.
    let permissions = if m.member_type == MemberType::Custom {
        json!(m.permissions)
    } else {
        Value::Null
    };
    o.insert("permissions".into(), permissions);
    o.insert(
        "resetPasswordEnrolled".into(),
        json!(m.reset_password_key.is_some()),
    );
    o.insert("usesKeyConnector".into(), json!(d.uses_key_connector()));
    o.insert(
        "hasMasterPassword".into(),
        json!(d
            .user
            .as_ref()
            .is_some_and(|u| u.master_password_hash.is_some())),
    );
    o
}

/// `organizationUserUserDetails` (the member list): groups and collections only when asked.
pub fn user_details(d: &MemberDetails, with_collections: bool, with_groups: bool) -> Value {
    let mut o = base(d, "organizationUserUserDetails");
    // Account recovery is never offered for Key Connector users.
    let enrolled = d.member.reset_password_key.is_some() && !d.uses_key_connector();
    o.insert("resetPasswordEnrolled".into(), json!(enrolled));
    o.insert(
        "name".into(),
        json!(d.user.as_ref().and_then(|u| u.name.clone())),
    );
    o.insert("email".into(), json!(d.email()));
    o.insert("avatarColor".into(), Value::Null);
    o.insert("twoFactorEnabled".into(), json!(d.two_factor()));
    o.insert("ssoBound".into(), json!(d.sso_bound));
    o.insert("claimedByOrganization".into(), json!(d.member.claimed));
    let collections: Vec<Value> = if with_collections {
        d.collections.iter().map(selection).collect()
    } else {
        Vec::new()
    };
    o.insert("collections".into(), json!(collections));
    let groups = if with_groups {
        json!(d.groups)
    } else {
        json!([])
    };
    o.insert("groups".into(), groups);
    o.insert("revocationReason".into(), json!(d.member.revocation_reason));
    o.insert("creationDate".into(), date(d.member.created_at));
    Value::Object(o)
}

/// `organizationUserDetails` (one member): its collections, and its groups when asked.
pub fn details(d: &MemberDetails, with_groups: bool) -> Value {
    let mut o = base(d, "organizationUserDetails");
    o.insert("claimedByOrganization".into(), json!(d.member.claimed));
    o.insert("ssoExternalId".into(), json!(d.sso_external_id));
    o.insert(
        "collections".into(),
        json!(d.collections.iter().map(selection).collect::<Vec<_>>()),
    );
    if with_groups {
        o.insert("groups".into(), json!(d.groups));
    }
    o.insert("creationDate".into(), date(d.member.created_at));
    // Older clients read these from the details model.
    o.insert(
        "name".into(),
        json!(d.user.as_ref().and_then(|u| u.name.clone())),
    );
    o.insert("email".into(), json!(d.email()));
    Value::Object(o)
}

/// `organizationUserUserMiniDetails`: what every member may know of the others.
pub fn mini(d: &MemberDetails) -> Value {
    json!({
        "object": "organizationUserUserMiniDetails",
        "id": d.member.id,
        "userId": d.member.user_id,
        "type": d.member.member_type.as_i64(),
        "status": d.member.status.as_i64(),
        "name": d.user.as_ref().and_then(|u| u.name.clone()),
        "email": d.email(),
    })
}

/// One line of a bulk answer: the member and its error (empty when it succeeded).
pub fn bulk(id: &str, error: &str) -> Value {
    json!({"object": "OrganizationBulkConfirmResponseModel", "id": id, "error": error})
}
