//! Accounts as a client makes them: a user's key material from a plaintext master password
//! (what a real registration produces), and the access-token claims built from the store.

use serde_json::{json, Map, Value};

use crate::bitwarden::crypto::{self, CryptoError, RsaKeyPair, SymmetricKey};
use crate::bitwarden::ids;
use crate::domain::bitwarden::role::{MemberStatus, MemberType};
use crate::store::bitwarden::members::BwMember;
use crate::store::bitwarden::users::BwUser;

/// Everything a client registration sends, plus the keys the sandbox keeps for seeding.
pub struct UserMaterial {
    /// The hash the client sends as its password.
    pub client_hash: String,
    /// `2.` user key under the stretched master key (`Key`).
    pub encrypted_user_key: String,
    /// base64 SPKI public key.
    pub public_key: String,
    /// `2.` PKCS#8 private key under the user key (`PrivateKey`).
    pub encrypted_private_key: String,
}

/// Derives a user's master key and hash, makes a random user key and an RSA-2048 key pair, and
/// wraps them as a Bitwarden client does on registration.
pub fn make_user_material(
    email: &str,
    master_password: &str,
    kdf_iterations: u32,
) -> Result<UserMaterial, CryptoError> {
    let master_key = crypto::master_key(master_password, email, kdf_iterations);
    let client_hash = crypto::master_password_hash(&master_key, master_password);
    let stretched = crypto::stretch(&master_key);
    let user_key = SymmetricKey::generate();
    let pair = RsaKeyPair::generate()?;
    Ok(UserMaterial {
        client_hash,
        encrypted_user_key: crypto::encrypt_type2(&stretched, &user_key.to_bytes()),
        public_key: pair.public_key_b64()?,
        encrypted_private_key: crypto::encrypt_type2(&user_key, &pair.pkcs8_der()?),
    })
}

/// An organization's key material: its symmetric key and its own RSA key pair (the private
/// key wrapped under the organization key).
pub struct OrgMaterial {
    /// The organization key (shared with members as `4.` strings).
    pub org_key: SymmetricKey,
    /// base64 SPKI.
    pub public_key: String,
    /// `2.` PKCS#8 under the organization key.
    pub encrypted_private_key: String,
}

/// Makes an organization's keys.
pub fn make_org_material() -> Result<OrgMaterial, CryptoError> {
    let org_key = SymmetricKey::generate();
    let pair = RsaKeyPair::generate()?;
    Ok(OrgMaterial {
        public_key: pair.public_key_b64()?,
        encrypted_private_key: crypto::encrypt_type2(&org_key, &pair.pkcs8_der()?),
        org_key,
    })
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
    let mut c = Map::new();
    c.insert("nbf".into(), json!(now_s));
    c.insert("exp".into(), json!(now_s + lifetime_s));
    c.insert("iss".into(), json!("http://localhost"));
    c.insert("client_id".into(), json!(client_id));
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
    c.insert("jti".into(), json!(ids::new_guid().replace('-', "")));
    c
}

/// The claims of an organization API token (`organization.<id>`, scope `api.organization`).
pub fn org_claims(
    org_id: &str,
    client_id: &str,
    now_s: i64,
    lifetime_s: i64,
) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("nbf".into(), json!(now_s));
    c.insert("exp".into(), json!(now_s + lifetime_s));
    c.insert("iss".into(), json!("http://localhost"));
    c.insert("client_id".into(), json!(client_id));
    c.insert("client_sub".into(), json!(org_id));
    c.insert("client_type".into(), json!("Organization"));
    c.insert("scope".into(), json!(["api.organization"]));
    c.insert("jti".into(), json!(ids::new_guid().replace('-', "")));
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

    #[test]
    fn user_material_unlocks_with_the_master_password() {
        let m = make_user_material("A@B.test", "pw", 1000).unwrap();
        let mk = crypto::master_key("pw", "a@b.test", 1000);
        assert_eq!(m.client_hash, crypto::master_password_hash(&mk, "pw"));
        let user_key = crypto::decrypt_type2(&crypto::stretch(&mk), &m.encrypted_user_key).unwrap();
        let user_key = SymmetricKey::from_bytes(&user_key).unwrap();
        let der = crypto::decrypt_type2(&user_key, &m.encrypted_private_key).unwrap();
        let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
        assert_eq!(pair.public_key_b64().unwrap(), m.public_key);
    }
}
