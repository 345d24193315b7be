//! Bitwarden access tokens: the claims of a user's token and of an organization API key's, and
//! user tokens minted as the identity server mints them: the user's identity and device, one
//! role claim per **confirmed** membership (plus custom permission claims) read from the store
//! at issue, signed with the sandbox's JWT key. The identity server's grants and the console's
//! acting admin (`POST /sandbox/console/bitwarden/token`) both mint here, so the organization
//! rules read the same claims whoever asked.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::auth::jwt;
use crate::domain::bitwarden::role::{MemberStatus, MemberType};
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_uuid;
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::users::BwUser;
use crate::store::bitwarden::{setting, JWT_KEY_SETTING};

/// What a user's access token is issued for: the client, its device, its lifetime and scopes.
pub struct Issue<'a> {
    /// `client_id` (`web`, `cli`, ...).
    pub client_id: &'a str,
    /// The device, if the grant named one.
    pub device: Option<&'a Device>,
    /// Now on the sandbox clock, s.
    pub now_s: i64,
    /// Lifetime, s.
    pub lifetime_s: i64,
    /// Scopes granted.
    pub scopes: &'a [&'a str],
}

/// The sandbox's JWT key (`bw_settings.jwt_key`), as bytes.
pub fn jwt_key(conn: &Connection) -> Result<Vec<u8>> {
    let hex_key = setting(conn, JWT_KEY_SETTING)?
        .ok_or_else(|| Error::Internal("the Bitwarden JWT key is missing".into()))?;
    hex::decode(hex_key).map_err(|e| Error::Internal(format!("JWT key: {e}")))
}

/// A signed access token for `user` with the claims of their confirmed memberships as they
/// stand now.
pub fn access_token(
    conn: &Connection,
    key: &[u8],
    user: &BwUser,
    issue: &Issue<'_>,
) -> Result<String> {
    let memberships = members::list_for_user(conn, &user.id, MemberStatus::Confirmed)?;
    let claims = user_claims(
        user,
        &memberships,
        issue.client_id,
        issue.device,
        issue.now_s,
        issue.lifetime_s,
        issue.scopes,
    );
    Ok(jwt::sign(key, &claims))
}

fn one_or_many(values: Vec<String>) -> Value {
    if values.len() == 1 {
        Value::String(values.into_iter().next().unwrap_or_default())
    } else {
        Value::Array(values.into_iter().map(Value::String).collect())
    }
}

/// The device a token is issued to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// `deviceIdentifier`.
    pub identifier: String,
    /// `deviceType`.
    pub device_type: i64,
}

/// The claims of a user's access token (spec §4.1): identity, device, and one role claim per
/// confirmed membership, plus custom permission claims.
pub fn user_claims(
    user: &BwUser,
    memberships: &[BwMember],
    client_id: &str,
    device: Option<&Device>,
    now_s: i64,
    lifetime_s: i64,
    scopes: &[&str],
) -> Map<String, Value> {
    let mut c = issued(client_id, now_s, lifetime_s);
    c.insert("sub".into(), json!(user.id));
    c.insert("auth_time".into(), json!(now_s));
    c.insert("idp".into(), json!("bitwarden"));
    c.insert("premium".into(), json!(user.premium));
    c.insert("email".into(), json!(user.email));
    c.insert("email_verified".into(), json!(true));
    c.insert("name".into(), json!(user.name));
    c.insert("sstamp".into(), json!(user.security_stamp));
    if let Some(d) = device {
        c.insert("device".into(), json!(d.identifier));
        c.insert("devicetype".into(), json!(d.device_type.to_string()));
    }
    let mut by_claim: Map<String, Value> = Map::new();
    let mut push = |name: &str, org: &str| {
        let entry = by_claim
            .entry(name.to_string())
            .or_insert_with(|| Value::Array(vec![]));
        if let Value::Array(a) = entry {
            a.push(Value::String(org.to_string()));
        }
    };
    for m in memberships
        .iter()
        .filter(|m| m.status == MemberStatus::Confirmed)
    {
        push(m.member_type.claim(), &m.organization_id);
        if m.member_type == MemberType::Custom {
            for p in m.permissions.claims() {
                push(p, &m.organization_id);
            }
        }
    }
    for (name, values) in by_claim {
        let list: Vec<String> = values
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        c.insert(name, one_or_many(list));
    }
    c.insert("scope".into(), json!(scopes));
    c.insert("amr".into(), json!(["Application"]));
    c.insert("jti".into(), json!(new_uuid().replace('-', "")));
    c
}

/// The claims of an organization API token (`organization.<id>`, scope `api.organization`).
pub fn org_claims(
    org_id: &str,
    client_id: &str,
    now_s: i64,
    lifetime_s: i64,
) -> Map<String, Value> {
    let mut c = issued(client_id, now_s, lifetime_s);
    c.insert("client_sub".into(), json!(org_id));
    c.insert("client_type".into(), json!("Organization"));
    c.insert("scope".into(), json!(["api.organization"]));
    c.insert("jti".into(), json!(new_uuid().replace('-', "")));
    c
}

/// The claims every token starts with: its lifetime, issuer and client.
fn issued(client_id: &str, now_s: i64, lifetime_s: i64) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("nbf".into(), json!(now_s));
    c.insert("exp".into(), json!(now_s + lifetime_s));
    c.insert("iss".into(), json!("http://localhost"));
    c.insert("client_id".into(), json!(client_id));
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bitwarden::role::Permissions;

    fn user() -> BwUser {
        BwUser {
            id: "u".into(),
            email: "a@b.test".into(),
            name: Some("A".into()),
            kdf: 0,
            kdf_iterations: 5000,
            kdf_memory: None,
            kdf_parallelism: None,
            master_password_hash: None,
            user_key: None,
            public_key: None,
            private_key: None,
            security_stamp: "s".into(),
            api_key: "k".into(),
            premium: false,
            uses_key_connector: false,
            two_factor_enabled: false,
            created_at: 0,
            revision_at: 0,
        }
    }

    fn member(org: &str, t: MemberType, s: MemberStatus, scim: bool) -> BwMember {
        BwMember {
            user_id: Some("u".into()),
            permissions: Permissions {
                manage_scim: scim,
                ..Permissions::default()
            },
            ..BwMember::new(format!("m-{org}"), org, t, s, 0)
        }
    }

    #[test]
    fn claims_carry_roles_of_confirmed_memberships_only() {
        let ms = [
            member("o1", MemberType::Owner, MemberStatus::Confirmed, false),
            member("o2", MemberType::Owner, MemberStatus::Confirmed, false),
            member("o3", MemberType::Admin, MemberStatus::Invited, false),
            member("o4", MemberType::Custom, MemberStatus::Confirmed, true),
        ];
        let dev = Device {
            identifier: "d".into(),
            device_type: 25,
        };
        let c = user_claims(
            &user(),
            &ms,
            "cli",
            Some(&dev),
            1000,
            3600,
            &["api", "offline_access"],
        );
        assert_eq!(c["orgowner"], json!(["o1", "o2"]));
        assert!(c.get("orgadmin").is_none());
        assert_eq!(c["orgcustom"], json!("o4"));
        assert_eq!(c["managescim"], json!("o4"));
        assert_eq!(c["exp"], json!(4600));
        assert_eq!(c["amr"], json!(["Application"]));
        assert_eq!(c["devicetype"], json!("25"));
        assert_eq!(c["scope"], json!(["api", "offline_access"]));
    }
}
