//! Key material for the default demo worlds, derived once and shipped with the binary, so a
//! fresh start with the stock config.toml seeds in milliseconds instead of a second of PBKDF2
//! and RSA-2048 work: the six BitGo demo users' password records (100,000 PBKDF2 rounds each),
//! the Bitwarden demo users' registration material (600,000-round master keys, user keys, RSA
//! key pairs) and the Bitwarden demo organization's keys.
//!
//! Each entry is found by a digest of exactly the inputs it was derived from (email, password,
//! iterations), so a changed config finds nothing and derives afresh, as before. The material
//! is what a client would have made; only its randomness (salts, user keys, RSA keys) is fixed,
//! so every orgbox shares the same demo keys, as it already shares the demo ids and the demo Go
//! Account's key. `seed_cache.json` is checked against the default config by this module's
//! test, which rewrites it with `ORGBOX_UPDATE_SEED_CACHE=1`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::auth::token::sha256_hex;
use crate::bitwarden::accounts::{OrgMaterial, UserMaterial};
use crate::bitwarden::crypto::SymmetricKey;

const CACHE_JSON: &str = include_str!("cache.json");

/// The shipped material.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cache {
    bitgo_users: Vec<BitgoEntry>,
    bitwarden_users: Vec<BitwardenUserEntry>,
    bitwarden_organization: Option<BitwardenOrgEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BitgoEntry {
    inputs: String,
    record: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BitwardenUserEntry {
    inputs: String,
    client_hash: String,
    encrypted_user_key: String,
    public_key: String,
    encrypted_private_key: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BitwardenOrgEntry {
    org_key: String,
    public_key: String,
    encrypted_private_key: String,
}

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    // A damaged file only costs speed: everything is derived as if it were empty.
    CACHE.get_or_init(|| serde_json::from_str(CACHE_JSON).unwrap_or_default())
}

fn inputs(dialect: &str, email: &str, password: &str, iterations: u32) -> String {
    sha256_hex(
        format!("orgbox-seed-cache:v1\n{dialect}\n{email}\n{password}\n{iterations}").as_bytes(),
    )
}

/// The stored password record of a BitGo demo user, if derived for exactly these inputs.
pub fn bitgo_record(email: &str, password: &str, iterations: u32) -> Option<String> {
    let key = inputs("bitgo", email, password, iterations);
    cache()
        .bitgo_users
        .iter()
        .find(|e| e.inputs == key)
        .map(|e| e.record.clone())
}

/// A Bitwarden demo user's registration material, if derived for exactly these inputs (the
/// email as configured, which is the master key's salt).
pub fn bitwarden_user(email: &str, password: &str, kdf_iterations: u32) -> Option<UserMaterial> {
    let key = inputs("bitwarden", email, password, kdf_iterations);
    cache()
        .bitwarden_users
        .iter()
        .find(|e| e.inputs == key)
        .map(|e| UserMaterial {
            client_hash: e.client_hash.clone(),
            encrypted_user_key: e.encrypted_user_key.clone(),
            public_key: e.public_key.clone(),
            encrypted_private_key: e.encrypted_private_key.clone(),
        })
}

/// Keys for the Bitwarden demo organization.
pub fn bitwarden_organization() -> Option<OrgMaterial> {
    let e = cache().bitwarden_organization.as_ref()?;
    let bytes = base64_decode(&e.org_key)?;
    Some(OrgMaterial {
        org_key: SymmetricKey::from_bytes(&bytes)?,
        public_key: e.public_key.clone(),
        encrypted_private_key: e.encrypted_private_key.clone(),
    })
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::password;
    use crate::bitwarden::accounts::{make_org_material, make_user_material};
    use crate::bitwarden::crypto::{self, RsaKeyPair};
    use crate::config::Config;

    /// Whether `m` is what a client registering `email` with `password` would have made.
    fn user_material_holds(m: &UserMaterial, email: &str, password: &str, iterations: u32) -> bool {
        let master = crypto::master_key(password, email, iterations);
        if crypto::master_password_hash(&master, password) != m.client_hash {
            return false;
        }
        let Ok(user_key) = crypto::decrypt_type2(&crypto::stretch(&master), &m.encrypted_user_key)
        else {
            return false;
        };
        let Some(user_key) = SymmetricKey::from_bytes(&user_key) else {
            return false;
        };
        private_key_matches(&user_key, &m.encrypted_private_key, &m.public_key)
    }

    fn private_key_matches(key: &SymmetricKey, encrypted: &str, public_key: &str) -> bool {
        crypto::decrypt_type2(key, encrypted)
            .ok()
            .and_then(|der| RsaKeyPair::from_pkcs8(&der).ok())
            .and_then(|pair| pair.public_key_b64().ok())
            .is_some_and(|pk| pk == public_key)
    }

    /// The material the default config needs, derived afresh.
    fn derive(config: &Config) -> Cache {
        let demo = &config.demo;
        let iterations = config.auth.pbkdf2_iterations;
        let emails = demo.users.iter().map(|u| u.email.to_lowercase());
        let children = demo.children.iter().map(|c| c.email.to_lowercase());
        let bitgo_users = emails
            .chain(children)
            .map(|email| BitgoEntry {
                inputs: inputs("bitgo", &email, &demo.password, iterations),
                record: password::hash_for_storage(&email, &demo.password, iterations),
            })
            .collect();
        let bw = &config.bitwarden;
        let bitwarden_users = bw
            .users
            .iter()
            .map(|u| {
                let m =
                    make_user_material(&u.email, &u.master_password, bw.kdf_iterations).unwrap();
                BitwardenUserEntry {
                    inputs: inputs("bitwarden", &u.email, &u.master_password, bw.kdf_iterations),
                    client_hash: m.client_hash,
                    encrypted_user_key: m.encrypted_user_key,
                    public_key: m.public_key,
                    encrypted_private_key: m.encrypted_private_key,
                }
            })
            .collect();
        let org = make_org_material().unwrap();
        Cache {
            bitgo_users,
            bitwarden_users,
            bitwarden_organization: Some(BitwardenOrgEntry {
                org_key: crypto::b64(&org.org_key.to_bytes()),
                public_key: org.public_key,
                encrypted_private_key: org.encrypted_private_key,
            }),
        }
    }

    /// Every entry the default config looks up is there and is what a client would make.
    fn covers_the_default_config(config: &Config) -> Result<(), String> {
        let demo = &config.demo;
        let iterations = config.auth.pbkdf2_iterations;
        for email in demo
            .users
            .iter()
            .map(|u| u.email.to_lowercase())
            .chain(demo.children.iter().map(|c| c.email.to_lowercase()))
        {
            let record = bitgo_record(&email, &demo.password, iterations)
                .ok_or_else(|| format!("no BitGo record for {email}"))?;
            if !password::verify(&record, &email, &demo.password) {
                return Err(format!("the BitGo record of {email} does not verify"));
            }
        }
        let bw = &config.bitwarden;
        for u in &bw.users {
            let email = &u.email;
            let m = bitwarden_user(email, &u.master_password, bw.kdf_iterations)
                .ok_or_else(|| format!("no Bitwarden material for {email}"))?;
            if !user_material_holds(&m, email, &u.master_password, bw.kdf_iterations) {
                return Err(format!("the Bitwarden material of {email} does not hold"));
            }
        }
        let org = bitwarden_organization().ok_or("no Bitwarden organization keys")?;
        if !private_key_matches(&org.org_key, &org.encrypted_private_key, &org.public_key) {
            return Err("the organization's private key does not match its public key".into());
        }
        Ok(())
    }

    #[test]
    fn the_shipped_material_covers_the_default_config_and_holds() {
        let config = Config::default();
        if let Err(why) = covers_the_default_config(&config) {
            if std::env::var("ORGBOX_UPDATE_SEED_CACHE").as_deref() == Ok("1") {
                let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/seed_cache.json");
                let json = serde_json::to_string_pretty(&derive(&config)).unwrap();
                std::fs::write(path, json + "\n").unwrap();
                eprintln!("{why}: rewrote {path}; rebuild and run again");
                return;
            }
            panic!(
                "src/seed_cache.json is stale for the default config ({why}); run \
                 `ORGBOX_UPDATE_SEED_CACHE=1 cargo test --lib seed_cache` to rewrite it"
            );
        }
    }

    #[test]
    fn other_inputs_find_nothing() {
        let config = Config::default();
        let email = config.demo.users[0].email.to_lowercase();
        assert!(bitgo_record(&email, "another password", config.auth.pbkdf2_iterations).is_none());
        assert!(bitgo_record(&email, &config.demo.password, 1_000).is_none());
        let u = &config.bitwarden.users[0];
        assert!(bitwarden_user(&u.email, &u.master_password, 5_000).is_none());
    }
}
