//! The demo world of config.toml, created on first start and left alone afterwards: the
//! organization, its parent enterprise of the same name (a different id), and the demo users
//! with their enterprise permissions and organization roles (and video approvers), and the
//! child enterprises with their end users and approved KYC. Ids are derived from names, so
//! the same config gives the same ids on every machine. On a data directory seeded before,
//! only what is missing is added.
mod child;
mod go_account;
mod organization;
mod users;

use crate::auth::token::sha256_hex;
use crate::config::DemoConfig;
use crate::domain::error::Result;
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

/// Creates whatever part of the demo world is missing, in one transaction.
pub fn seed_demo(
    store: &Store,
    now_ms: i64,
    demo: &DemoConfig,
    iterations: u32,
) -> Result<DemoWorld> {
    let organization_id = demo_id("organization", &demo.organization);
    let enterprise_id = demo_id("enterprise", &demo.organization);
    let hashes = users::hash_missing_users(store, demo, iterations)?;
    store.write_blocking(|conn| {
        organization::seed_organization(
            conn,
            &organization_id,
            &enterprise_id,
            &demo.organization,
            now_ms,
        )?;
        let accounts = demo
            .users
            .iter()
            .map(|u| users::seed_member(conn, u, &organization_id, &enterprise_id, &hashes, now_ms))
            .collect::<Result<Vec<_>>>()?;
        let service_users = organization::service_users(conn, &organization_id)?;
        let children = demo
            .children
            .iter()
            .map(|entry| {
                child::seed_child_world(
                    conn,
                    &organization_id,
                    entry,
                    &service_users,
                    &hashes,
                    &demo.password,
                    now_ms,
                )
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

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

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
