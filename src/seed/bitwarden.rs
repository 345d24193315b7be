//! The Bitwarden demo world, seeded at start from `[bitwarden]` (once per data directory):
//! users with key material derived from their plaintext master passwords, one organization on
//! the configured plan with its own keys shared to each member as `4.` strings, and the
//! per-sandbox secrets (JWT key, installation id).

use crate::auth::token::sha256_hex;
use crate::bitwarden::accounts::{
    make_org_material, make_user_material, OrgMaterial, UserMaterial,
};
use crate::bitwarden::call::JWT_KEY_SETTING;
use crate::bitwarden::crypto;
use crate::bitwarden::license;
use crate::bitwarden::organizations::insert_org;
use crate::config::bitwarden::{BitwardenConfig, BitwardenUser};
use crate::domain::bitwarden::org_policies::RESET_PASSWORD;
use crate::domain::bitwarden::plan::{plan, Plan};
use crate::domain::bitwarden::role::{MemberStatus, MemberType, Permissions};
use crate::domain::error::{Error, Result};
use crate::domain::ids::{random_hex, uuid_of};
use crate::seed::cache;
use crate::store::bitwarden::keys::{self, OrgApiKey};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::policies::{self, BwPolicy};
use crate::store::bitwarden::users::{self, BwUser};
use crate::store::bitwarden::{self as bwstore, setting, setting_or_insert};
use crate::store::Store;

/// `bw_settings` name of the seeded demo organization's id.
pub const DEMO_ORG_SETTING: &str = "demo_organization_id";

/// One seeded user, for the banner and the tests.
#[derive(Debug, Clone)]
pub struct SeededUser {
    /// User id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Role name in the demo organization, if any.
    pub role: Option<String>,
    /// Personal API key (`client_id = user.<id>`).
    pub api_key: String,
}

/// What was seeded (or found).
#[derive(Debug, Clone, Default)]
pub struct BitwardenDemo {
    /// The demo organization's id, if one is configured.
    pub organization_id: Option<String>,
    /// Its name.
    pub organization: String,
    /// Its Default API key.
    pub organization_api_key: Option<String>,
    /// This sandbox's installation id.
    pub installation_id: String,
    /// The users.
    pub users: Vec<SeededUser>,
}

/// A stable GUID for a demo object, derived from its kind and name, so the same config gives
/// the same ids on every machine (as the BitGo demo world's).
fn demo_guid(kind: &str, key: &str) -> String {
    uuid_of(&demo_hex(kind, key)[..32])
}

/// A stable demo secret (API key, license key) of `len` (at most 64) characters.
fn demo_secret(kind: &str, key: &str, len: usize) -> String {
    demo_hex(kind, key)[..len].to_string()
}

fn demo_hex(kind: &str, key: &str) -> String {
    sha256_hex(format!("orgbox-bitwarden-demo:{kind}:{key}").as_bytes())
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}

/// A seeded user and the config entry it came from.
type Seeded<'a> = (BwUser, &'a BitwardenUser);

/// Seeds the demo world; idempotent (users and the organization are found by email and name).
pub fn seed_bitwarden(store: &Store, now: i64, cfg: &BitwardenConfig) -> Result<BitwardenDemo> {
    let installation_id = seed_sandbox_secrets(store)?;
    let mut demo = BitwardenDemo {
        organization: cfg.organization.clone(),
        installation_id,
        ..BitwardenDemo::default()
    };
    let seeded = seed_users(store, now, cfg)?;
    demo.users = seeded
        .iter()
        .map(|(user, u)| SeededUser {
            id: user.id.clone(),
            email: user.email.clone(),
            role: u.role.clone(),
            api_key: user.api_key.clone(),
        })
        .collect();
    if seeded.iter().all(|(_, u)| u.role.is_none()) {
        return Ok(demo);
    }
    let org_id = demo_org_once(store, now, cfg, &seeded)?;
    let (org, key) = store.write_blocking(move |c| -> Result<_> {
        Ok((orgs::find(c, &org_id)?, keys::find_api_key(c, &org_id, 0)?))
    })?;
    if let Some(org) = org {
        demo.organization = org.name;
        demo.organization_id = Some(org.id);
        demo.organization_api_key = key.map(|k| k.api_key);
    }
    Ok(demo)
}

/// The per-sandbox secrets (JWT key, installation id), made once; returns the installation id.
fn seed_sandbox_secrets(store: &Store) -> Result<String> {
    store.write_blocking(|c| -> Result<_> {
        setting_or_insert(c, JWT_KEY_SETTING, || Ok(random_hex(32)))?;
        let id = license::installation_id(c)?;
        bwstore::ensure_installation(c, &id)?;
        Ok(id)
    })
}

/// The configured users, found by email or inserted with fresh key material.
fn seed_users<'a>(store: &Store, now: i64, cfg: &'a BitwardenConfig) -> Result<Vec<Seeded<'a>>> {
    let mut existing = Vec::new();
    for u in &cfg.users {
        let lookup = crypto::normalize_email(&u.email);
        existing.push(store.write_blocking(move |c| users::find_by_email(c, &lookup))?);
    }
    let made = derive_material(cfg, &existing)?;
    let mut seeded = Vec::new();
    for ((u, found), material) in cfg.users.iter().zip(existing).zip(made) {
        let user = match (found, material) {
            (Some(user), _) => user,
            (None, None) => return Err(Error::Internal("no key material".into())),
            (None, Some(m)) => {
                let user = user_row(u, m, cfg, now);
                let row = user.clone();
                store.write_blocking(move |c| users::insert(c, &row))?;
                user
            }
        };
        seeded.push((user, u));
    }
    Ok(seeded)
}

/// Key material for each configured user not `existing` yet. Key derivation (600,000 PBKDF2
/// rounds) and RSA generation are slow: done once per data directory, one thread per new
/// user, unless the stock config's material applies.
fn derive_material(
    cfg: &BitwardenConfig,
    existing: &[Option<BwUser>],
) -> Result<Vec<Option<UserMaterial>>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = cfg
            .users
            .iter()
            .zip(existing)
            .map(|(u, found)| {
                found.is_none().then(|| {
                    scope.spawn(move || {
                        // The stock config's material ships with the binary.
                        match cache::bitwarden_user(
                            &u.email,
                            &u.master_password,
                            cfg.kdf_iterations,
                        ) {
                            Some(m) => Ok(m),
                            None => {
                                make_user_material(&u.email, &u.master_password, cfg.kdf_iterations)
                            }
                        }
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                None => Ok(None),
                Some(h) => h
                    .join()
                    .map_err(|_| Error::Internal("key derivation panicked".into()))?
                    .map(Some)
                    .map_err(internal),
            })
            .collect::<Result<_>>()
    })
}

/// A new user's row from its config entry and key material.
fn user_row(u: &BitwardenUser, m: UserMaterial, cfg: &BitwardenConfig, now: i64) -> BwUser {
    let email = crypto::normalize_email(&u.email);
    BwUser {
        id: demo_guid("user", &email),
        name: Some(u.name.clone()),
        kdf: 0,
        kdf_iterations: i64::from(cfg.kdf_iterations),
        kdf_memory: None,
        kdf_parallelism: None,
        master_password_hash: Some(crypto::hash_for_storage(
            &m.client_hash,
            cfg.server_hash_iterations,
        )),
        user_key: Some(m.encrypted_user_key),
        public_key: Some(m.public_key),
        private_key: Some(m.encrypted_private_key),
        security_stamp: demo_guid("security-stamp", &email),
        api_key: u
            .api_key
            .clone()
            .unwrap_or_else(|| demo_secret("user-api-key", &email, 30)),
        email,
        premium: false,
        uses_key_connector: u.uses_key_connector,
        two_factor_enabled: u.two_factor,
        created_at: now,
        revision_at: now,
    }
}

/// The demo organization's id. It is seeded on the first start only: renaming or deleting it
/// later is the user's business, not a reason to seed another.
fn demo_org_once(
    store: &Store,
    now: i64,
    cfg: &BitwardenConfig,
    seeded: &[Seeded<'_>],
) -> Result<String> {
    if let Some(id) = store.write_blocking(|c| setting(c, DEMO_ORG_SETTING))? {
        return Ok(id);
    }
    let id = seed_org(store, now, cfg, seeded)?;
    let value = id.clone();
    store.write_blocking(move |c| -> Result<_> {
        setting_or_insert(c, DEMO_ORG_SETTING, || Ok(value))?;
        Ok(())
    })?;
    Ok(id)
}

/// Inserts the demo organization on the configured plan, with its Default API key, a
/// membership for each user with a role, and the reset-password policy if configured.
fn seed_org(
    store: &Store,
    now: i64,
    cfg: &BitwardenConfig,
    seeded: &[Seeded<'_>],
) -> Result<String> {
    let p = plan(cfg.plan_type).ok_or_else(|| {
        Error::Internal(format!(
            "[bitwarden] plan_type {} is unknown",
            cfg.plan_type
        ))
    })?;
    let material = match cache::bitwarden_organization() {
        Some(m) => m,
        None => make_org_material().map_err(internal)?,
    };
    let org = org_row(cfg, &p, &material, seeded, now);
    let mut memberships = Vec::new();
    for (i, (user, u)) in seeded.iter().enumerate() {
        if let Some(role) = u.role.as_deref() {
            let created_at = now + i as i64;
            memberships.push(membership_row(
                &org.id, user, u, role, &material, created_at,
            )?);
        }
    }
    let id = org.id.clone();
    let auto_enroll = cfg.auto_enroll;
    store.write_blocking(move |c| -> Result<_> {
        insert_org(c, &org)?;
        let api_key = OrgApiKey {
            key_type: 0,
            api_key: demo_secret("organization-api-key", &org.id, 30),
            revision_at: org.created_at,
        };
        keys::upsert_api_key(c, &org.id, &api_key)?;
        for m in &memberships {
            members::insert(c, m)?;
        }
        if let Some(auto_enroll) = auto_enroll {
            let data = serde_json::json!({ "autoEnrollEnabled": auto_enroll }).to_string();
            policies::upsert(
                c,
                &BwPolicy {
                    id: demo_guid("policy", &format!("{}:{RESET_PASSWORD}", org.id)),
                    organization_id: org.id.clone(),
                    policy_type: RESET_PASSWORD,
                    enabled: true,
                    data: Some(data),
                    created_at: org.created_at,
                    revision_at: org.created_at,
                },
            )?;
        }
        Ok(())
    })?;
    Ok(id)
}

/// The demo organization's row; its billing email is the first owner's.
fn org_row(
    cfg: &BitwardenConfig,
    p: &Plan,
    material: &OrgMaterial,
    seeded: &[Seeded<'_>],
    now: i64,
) -> BwOrg {
    let owner_email = seeded
        .iter()
        .find(|(_, u)| u.role.as_deref().and_then(MemberType::from_name) == Some(MemberType::Owner))
        .map(|(u, _)| u.email.clone())
        .unwrap_or_else(|| "owner@orgbox.test".into());
    let mut features = p.features.clone();
    features.use_password_manager = true;
    BwOrg {
        id: demo_guid("organization", &cfg.organization),
        identifier: Some(if cfg.identifier.is_empty() {
            cfg.organization.to_lowercase().replace(' ', "-")
        } else {
            cfg.identifier.clone()
        }),
        name: cfg.organization.clone(),
        business_name: Some(cfg.organization.clone()),
        billing_email: owner_email,
        plan_type: p.plan_type,
        plan_name: p.name.to_string(),
        seats: Some(p.max_seats.unwrap_or(p.base_seats.max(10))),
        max_collections: p.max_collections,
        max_storage_gb: Some(p.base_storage_gb),
        storage_bytes: 0,
        features,
        enabled: true,
        public_key: Some(material.public_key.clone()),
        private_key: Some(material.encrypted_private_key.clone()),
        license_key: demo_secret("license-key", &cfg.organization, 20),
        expiration_date: None,
        key_connector_sso: cfg.key_connector,
        provider_managed: false,
        has_subscription: true,
        created_at: now,
        revision_at: now,
    }
}

/// A configured user's membership of the demo organization; a confirmed one holds the
/// organization key wrapped for the user's public key.
fn membership_row(
    org_id: &str,
    user: &BwUser,
    u: &BitwardenUser,
    role: &str,
    material: &OrgMaterial,
    created_at: i64,
) -> Result<BwMember> {
    let member_type = MemberType::from_name(role)
        .ok_or_else(|| Error::Internal(format!("[[bitwarden.users]] role {role:?} is unknown")))?;
    let status = match u.status.as_deref() {
        None => MemberStatus::Confirmed,
        Some(s) => MemberStatus::from_name(s).ok_or_else(|| {
            Error::Internal(format!("[[bitwarden.users]] status {s:?} is unknown"))
        })?,
    };
    let mut perms = serde_json::Map::new();
    for name in &u.permissions {
        perms.insert(name.clone(), serde_json::Value::Bool(true));
    }
    let permissions: Permissions =
        serde_json::from_value(serde_json::Value::Object(perms)).map_err(internal)?;
    let key = match (&user.public_key, status) {
        (Some(pk), MemberStatus::Confirmed) => {
            Some(crypto::encrypt_type4(pk, &material.org_key.to_bytes()).map_err(internal)?)
        }
        _ => None,
    };
    Ok(BwMember {
        user_id: Some(user.id.clone()),
        email: Some(user.email.clone()),
        permissions,
        key,
        claimed: u.claimed,
        ..BwMember::new(
            demo_guid("member", &format!("{org_id}:{}", user.email)),
            org_id,
            member_type,
            status,
            created_at,
        )
    })
}
