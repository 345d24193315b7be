//! The demo world of config.toml, created on first start and left alone afterwards: the
//! organization, its parent enterprise of the same name (a different id), and the demo users
//! with their enterprise permissions and organization roles (and video approvers), and the
//! child enterprises with their end users and approved KYC. Ids are derived from names, so
//! the same config gives the same ids on every machine. On a data directory seeded before,
//! only what is missing is added.
pub mod bitwarden;
pub mod cache;
pub mod template;

use std::collections::HashMap;

use rusqlite::Connection;

use crate::auth::password;
use crate::auth::token::sha256_hex;
use crate::config::{DemoChild, DemoConfig};
use crate::domain::error::{Error, Result};
use crate::domain::kyc::{Outcome, Schedule, APPROVED};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::store::child_enterprises::{self, NewChild};
use crate::store::enterprise_users;
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::kyc::{self, IdentityRow};
use crate::store::organizations::{self, OrganizationRow};
use crate::store::users::{self, UserRow};
use crate::store::Store;

/// What was seeded, for the start-up banner.
#[derive(Debug, Clone)]
pub struct DemoWorld {
    /// Organization id.
    pub organization_id: String,
    /// Parent enterprise id.
    pub enterprise_id: String,
    /// Organization (and enterprise) name.
    pub name: String,
    /// The demo users.
    pub users: Vec<DemoAccount>,
    /// The child enterprises.
    pub children: Vec<DemoChildWorld>,
}

/// One seeded child enterprise.
#[derive(Debug, Clone)]
pub struct DemoChildWorld {
    /// Enterprise id.
    pub enterprise_id: String,
    /// Enterprise name (the end user's email).
    pub name: String,
    /// The end user's id.
    pub user_id: String,
    /// The end user's login email.
    pub email: String,
    /// The end user's (approved) KYC identity.
    pub identity_id: String,
    /// Its funded Go Account (held by the service user; the end user is its video approver).
    pub go_account_id: String,
    /// The Go Account's user key (a sandbox key, derived from the email: sign withdrawal
    /// payloads with it).
    pub go_account_xprv: String,
}

/// One demo login.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// User id.
    pub id: String,
    /// Login email.
    pub email: String,
    /// Human description of the roles, e.g. `enterprise admin, organization admin`.
    pub roles: String,
}

/// A stable 32-hex id for a demo object.
fn demo_id(kind: &str, key: &str) -> String {
    sha256_hex(format!("orgbox-demo:{kind}:{key}").as_bytes())[..32].to_string()
}

/// A stable UUID-shaped id (KYC identity ids are UUIDs).
fn demo_uuid(kind: &str, key: &str) -> String {
    let h = demo_id(kind, key);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn describe(permissions: &[EnterprisePermission], role: Option<OrgRole>) -> String {
    let mut parts: Vec<String> = permissions
        .iter()
        .map(|p| format!("enterprise {}", p.as_str()))
        .collect();
    match role {
        Some(OrgRole::ServiceUser) => parts.push("organization service user".into()),
        Some(r) => parts.push(format!("organization {}", r.as_str())),
        None => {}
    }
    parts.join(", ")
}

/// Creates whatever part of the demo world is missing, in one transaction.
pub fn seed_demo(
    store: &Store,
    now_ms: i64,
    demo: &DemoConfig,
    iterations: u32,
) -> Result<DemoWorld> {
    let organization_id = demo_id("organization", &demo.organization);
    let enterprise_id = demo_id("enterprise", &demo.organization);
    let hashes = hash_missing_users(store, demo, iterations)?;
    store.write_blocking(|conn| {
        if organizations::find_by_id(conn, &organization_id)?.is_none() {
            organizations::insert(
                conn,
                &OrganizationRow {
                    id: organization_id.clone(),
                    name: demo.organization.clone(),
                    created_at: now_ms,
                },
            )?;
            enterprises::insert(
                conn,
                &EnterpriseRow {
                    id: enterprise_id.clone(),
                    name: demo.organization.clone(),
                    organization_id: Some(organization_id.clone()),
                    business_model: "cryptoAsAServiceParent".into(),
                    account_type: "entity".into(),
                    kyc_state: "approved".into(),
                    created_at: now_ms,
                },
            )?;
        }
        let mut accounts = Vec::with_capacity(demo.users.len());
        for u in &demo.users {
            let permissions = u
                .enterprise_permissions
                .iter()
                .map(|p| {
                    EnterprisePermission::parse(p).ok_or_else(|| {
                        Error::Invalid(format!(
                            "demo user {}: unknown enterprise permission {p:?}",
                            u.email
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let role = u
                .organization_role
                .as_deref()
                .map(|r| {
                    OrgRole::parse(r).ok_or_else(|| {
                        Error::Invalid(format!(
                            "demo user {}: unknown organization role {r:?}",
                            u.email
                        ))
                    })
                })
                .transpose()?;
            let id = seed_user(
                conn,
                u.email.to_lowercase(),
                &u.first_name,
                &u.last_name,
                &hashes,
                now_ms,
            )?;
            if !permissions.is_empty() {
                enterprises::upsert_member(conn, &enterprise_id, &id, &permissions, now_ms)?;
                if u.video_approver {
                    enterprise_users::set_video_id_user(conn, &enterprise_id, &id, true)?;
                }
            }
            if let Some(role) = role {
                organizations::upsert_member(conn, &organization_id, &id, role, now_ms)?;
            }
            let mut roles = describe(&permissions, role);
            if u.video_approver {
                roles.push_str(", video approver");
            }
            accounts.push(DemoAccount {
                id,
                email: u.email.to_lowercase(),
                roles,
            });
        }
        let service_users: Vec<String> = organizations::members(conn, &organization_id)?
            .into_iter()
            .filter(|m| m.role == OrgRole::ServiceUser)
            .map(|m| m.user_id)
            .collect();
        let children = demo
            .children
            .iter()
            .map(|child| {
                let user_id = seed_user(
                    conn,
                    child.email.to_lowercase(),
                    &child.first_name,
                    &child.last_name,
                    &hashes,
                    now_ms,
                )?;
                let mut world = seed_child(
                    conn,
                    &organization_id,
                    child,
                    &user_id,
                    &service_users,
                    now_ms,
                )?;
                seed_go_account(conn, &mut world, &service_users, &demo.password, now_ms)?;
                Ok(world)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DemoWorld {
            organization_id: organization_id.clone(),
            enterprise_id: enterprise_id.clone(),
            name: demo.organization.clone(),
            users: accounts,
            children,
        })
    })
}

/// A child enterprise named after its end user's email, with that user (a `customer` of the
/// organization and admin of the enterprise), the service users as admins, and an approved
/// KYC identity; created only if the enterprise is missing.
fn seed_child(
    conn: &Connection,
    organization_id: &str,
    child: &DemoChild,
    user_id: &str,
    service_users: &[String],
    now_ms: i64,
) -> Result<DemoChildWorld> {
    let email = child.email.to_lowercase();
    let enterprise_id = demo_id("enterprise", &email);
    let identity_id = demo_uuid("kyc", &email);
    let world = DemoChildWorld {
        enterprise_id: enterprise_id.clone(),
        name: email.clone(),
        user_id: user_id.to_string(),
        email: email.clone(),
        identity_id: identity_id.clone(),
        go_account_id: demo_id("wallet", &email),
        go_account_xprv: String::new(),
    };
    if enterprises::find_by_id(conn, &enterprise_id)?.is_some() {
        return Ok(world);
    }
    child_enterprises::insert(
        conn,
        &NewChild {
            organization_id: organization_id.to_string(),
            enterprise_id: enterprise_id.clone(),
            name: email.clone(),
            account_type: "individual".into(),
            third_party_identifiers: None,
            end_user_id: user_id.to_string(),
            additional_admins: service_users.to_vec(),
            now_ms,
        },
    )?;
    let fields = serde_json::json!({
        "organizationId": organization_id, "enterpriseId": enterprise_id, "userId": user_id,
        "transactionType": "institutionalIndividual",
        "nameFirst": child.first_name, "nameLast": child.last_name,
        "birthdate": "1980-01-01", "phoneNumber": "+15555550100", "occupation": "Other - Default",
        "countryOfCitizenship": "USA", "countryOfResidence": "USA",
        "govIdCountryOfIssuance": "USA", "politicallyExposedPerson": false,
        "addressStreet1": "1 Catalina Way", "addressCity": "Los Angeles",
        "addressSubdivision": "CA", "addressPostalCode": "90001", "country": "USA"
    });
    let serde_json::Value::Object(fields) = fields else {
        return Err(Error::Internal("demo KYC fields".into()));
    };
    kyc::insert(
        conn,
        &IdentityRow {
            id: identity_id.clone(),
            organization_id: organization_id.to_string(),
            enterprise_id: enterprise_id.clone(),
            user_id: user_id.to_string(),
            transaction_type: "institutionalIndividual".into(),
            fields,
            status: APPROVED.into(),
            error_description: None,
            schedule: Schedule::starting(now_ms, 0, 0, Outcome::Approved),
            created_by: service_users.first().cloned(),
            created_at: now_ms,
            updated_at: now_ms,
        },
    )?;
    Ok(world)
}

/// The demo Go Account's user key pair `(xprv, xpub)`, derived from its end user's email.
fn demo_key(email: &str) -> Result<(String, String)> {
    let secret = crate::auth::token::sha256_hex(format!("orgbox-demo:key:{email}").as_bytes());
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(&secret, &mut bytes).map_err(|e| Error::Internal(e.to_string()))?;
    crate::auth::signed_message::key_pair(&bytes).ok_or_else(|| Error::Internal("demo key".into()))
}

/// The demo user key encrypted with the demo password as the SDK's `encrypt` does (salt and
/// IV derived from the email, so every orgbox seeds the same bytes), for
/// `wallet.send({ walletPassphrase })`.
fn demo_encrypted_prv(email: &str, password: &str, xprv: &str) -> String {
    let digest = crate::auth::token::sha256_hex(format!("orgbox-demo:sjcl:{email}").as_bytes());
    let mut bytes = [0u8; 32];
    let _ = hex::decode_to_slice(&digest, &mut bytes);
    let salt: [u8; 8] = std::array::from_fn(|i| bytes[i]);
    let iv: [u8; 16] = std::array::from_fn(|i| bytes[8 + i]);
    crate::auth::sjcl::encrypt(password, xprv, salt, iv)
}

/// The child enterprise's Go Account, created (and funded with 1,000,000 USD and 10 BTC)
/// only if missing; its owner is the first service user, and the end user becomes the
/// child's video approver, so a large withdrawal can be approved right after start. Its user
/// keychain carries the key encrypted with the demo password (added to one seeded before).
fn seed_go_account(
    conn: &Connection,
    world: &mut DemoChildWorld,
    service_users: &[String],
    password: &str,
    now_ms: i64,
) -> Result<()> {
    use crate::domain::ledger::EntryKind;
    use crate::domain::money::WalletPermission;
    use crate::store::{enterprise_users, ledger, wallets};
    let (xprv, xpub) = demo_key(&world.email)?;
    world.go_account_xprv = xprv.clone();
    let key_id = demo_id("key", &world.email);
    let Some(owner) = service_users.first() else {
        return Ok(());
    };
    if wallets::find(conn, &world.go_account_id)?.is_some() {
        if wallets::find_key(conn, &key_id)?.is_some_and(|k| k.encrypted_prv.is_none()) {
            let encrypted = demo_encrypted_prv(&world.email, password, &xprv);
            wallets::fill_encrypted_prv(conn, &key_id, &encrypted)?;
        }
        return Ok(());
    }
    wallets::insert_key(
        conn,
        &wallets::KeyRow {
            id: key_id.clone(),
            coin: "ofc".into(),
            user_id: owner.clone(),
            pub_key: xpub,
            encrypted_prv: Some(demo_encrypted_prv(&world.email, password, &xprv)),
            source: "user".into(),
            key_type: "independent".into(),
            original_passcode_encryption_code: None,
            created_at: now_ms,
        },
    )?;
    wallets::insert(
        conn,
        &wallets::WalletRow {
            id: world.go_account_id.clone(),
            coin: "ofc".into(),
            wallet_type: "trading".into(),
            label: format!("{} Go Account", world.email),
            enterprise_id: world.enterprise_id.clone(),
            user_key_id: key_id,
            created_by: owner.clone(),
            created_at: now_ms,
        },
    )?;
    let all = [
        WalletPermission::Admin,
        WalletPermission::Spend,
        WalletPermission::View,
    ];
    wallets::set_user(conn, &world.go_account_id, owner, &all, now_ms)?;
    wallets::set_user(
        conn,
        &world.go_account_id,
        &world.user_id,
        &[WalletPermission::View],
        now_ms,
    )?;
    enterprise_users::set_video_id_user(conn, &world.enterprise_id, &world.user_id, true)?;
    for (asset, amount) in [("ofctusd", 100_000_000), ("ofctbtc", 1_000_000_000)] {
        ledger::post(
            conn,
            &world.go_account_id,
            asset,
            EntryKind::Credit,
            amount,
            "demo-funding",
            now_ms,
        )?;
    }
    Ok(())
}

/// The stored password hashes of the demo users not in the store yet, by lowercased email.
/// PBKDF2 is slow on purpose and each user's differs (it covers the email), so on a fresh
/// data directory they are derived in parallel, one thread per core, before the seeding
/// transaction takes the write lock; an already seeded directory derives none.
fn hash_missing_users(
    store: &Store,
    demo: &DemoConfig,
    iterations: u32,
) -> Result<HashMap<String, String>> {
    let emails: Vec<String> = demo
        .users
        .iter()
        .map(|u| u.email.to_lowercase())
        .chain(demo.children.iter().map(|c| c.email.to_lowercase()))
        .collect();
    let missing: Vec<String> = store.write_blocking(|conn| -> Result<_> {
        let mut missing = Vec::new();
        for email in &emails {
            if users::find_by_username(conn, email)?.is_none() && !missing.contains(email) {
                missing.push(email.clone());
            }
        }
        Ok(missing)
    })?;
    // The stock config's records ship with the binary; only other inputs are hashed here.
    let mut hashes = HashMap::new();
    let mut to_hash = Vec::new();
    for email in missing {
        match crate::seed::cache::bitgo_record(&email, &demo.password, iterations) {
            Some(record) => {
                hashes.insert(email, record);
            }
            None => to_hash.push(email),
        }
    }
    let missing = to_hash;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = missing.len().div_ceil(threads).max(1);
    let password = demo.password.as_str();
    let derived: Vec<(String, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = missing
            .chunks(chunk)
            .map(|emails| {
                scope.spawn(move || {
                    emails
                        .iter()
                        .map(|e| {
                            (
                                e.clone(),
                                password::hash_for_storage(e, password, iterations),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    hashes.extend(derived);
    Ok(hashes)
}

/// The id of the user with `email`, inserting them if missing with their hash from `hashes`.
fn seed_user(
    conn: &Connection,
    email: String,
    first: &str,
    last: &str,
    hashes: &HashMap<String, String>,
    now_ms: i64,
) -> Result<String> {
    if let Some(existing) = users::find_by_username(conn, &email)? {
        return Ok(existing.id);
    }
    let id = demo_id("user", &email);
    let password_hash = hashes
        .get(&email)
        .cloned()
        .ok_or_else(|| Error::Internal(format!("no password hash derived for {email}")))?;
    users::insert(
        conn,
        &UserRow {
            id: id.clone(),
            password_hash,
            username: email,
            first_name: first.to_string(),
            last_name: last.to_string(),
            country: "USA".into(),
            timezone: "America/New_York".into(),
            is_active: true,
            created_at: now_ms,
            last_login_at: None,
        },
    )?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::temp_store;

    #[test]
    fn seeding_twice_changes_nothing_and_ids_are_stable() {
        let (store, _dir) = temp_store();
        let demo = DemoConfig::default();
        let a = seed_demo(&store, 1_000, &demo, 10).unwrap();
        let b = seed_demo(&store, 2_000, &demo, 10).unwrap();
        assert_eq!(a.organization_id, b.organization_id);
        assert_ne!(a.organization_id, a.enterprise_id);
        assert_eq!(
            a.users.iter().map(|u| &u.id).collect::<Vec<_>>(),
            b.users.iter().map(|u| &u.id).collect::<Vec<_>>()
        );
        let count: i64 = store
            .write_blocking(|c| -> Result<i64> {
                Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(count, 4, "three demo users and the child's end user");
        assert_eq!(a.children.len(), 1);
        assert_eq!(a.children[0].enterprise_id, b.children[0].enterprise_id);
        assert_eq!(a.children[0].identity_id.len(), 36);
        let (state, model): (String, String) = store
            .write_blocking(|c| -> Result<_> {
                Ok(c.query_row(
                    "SELECT kyc_state, business_model FROM enterprises WHERE id = ?1",
                    [&a.children[0].enterprise_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!(
            (state.as_str(), model.as_str()),
            ("approved", "cryptoAsAServiceChild")
        );
    }

    #[test]
    fn a_world_seeded_before_children_existed_gains_them_on_the_next_start() {
        let (store, _dir) = temp_store();
        let mut demo = DemoConfig::default();
        demo.children.clear();
        let before = seed_demo(&store, 1_000, &demo, 10).unwrap();
        assert!(before.children.is_empty());
        let after = seed_demo(&store, 2_000, &DemoConfig::default(), 10).unwrap();
        assert_eq!(after.children.len(), 1);
        assert_eq!(before.users[0].id, after.users[0].id);
        let admins: i64 = store
            .write_blocking(|c| -> Result<_> {
                Ok(c.query_row(
                    "SELECT count(*) FROM enterprise_members WHERE enterprise_id = ?1",
                    [&after.children[0].enterprise_id],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(admins, 2, "the end user and the service user");
    }

    #[test]
    fn a_data_directory_from_before_organizations_upgrades_and_gains_the_new_members() {
        use crate::store::migrations::{BASE_SCHEMA, MIGRATIONS};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            // A version-3 file (outbox and invitations, nothing of this half), with
            // the demo world as the earlier seeding left it.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(BASE_SCHEMA).unwrap();
            for (_, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= 3) {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            let org = demo_id("organization", "Prestige Worldwide");
            let ent = demo_id("enterprise", "Prestige Worldwide");
            conn.execute(
                "INSERT INTO organizations (id, name, created_at) VALUES (?1, 'Prestige Worldwide', 1)",
                [&org],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO enterprises (id, name, organization_id, created_at)
                 VALUES (?1, 'Prestige Worldwide', ?2, 1)",
                [&ent, &org],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let world = seed_demo(&store, 5_000, &DemoConfig::default(), 10).unwrap();
        assert_eq!(world.children.len(), 1);
        let video: i64 = store
            .write_blocking(|c| -> Result<_> {
                Ok(c.query_row(
                    "SELECT count(*) FROM enterprise_members WHERE video_id_user = 1
                     AND enterprise_id = (SELECT id FROM enterprises WHERE business_model != 'cryptoAsAServiceChild' LIMIT 1)",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(video, 1, "Dale is the parent's video approver");
    }

    #[test]
    fn unknown_role_in_config_is_an_error() {
        let (store, _dir) = temp_store();
        let mut demo = DemoConfig::default();
        demo.users[0].organization_role = Some("owner".into());
        assert!(seed_demo(&store, 0, &demo, 10).is_err());
    }
}
