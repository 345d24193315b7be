//! The demo world of config.toml, created on first start and left alone afterwards: the
//! organization, its parent enterprise of the same name (a different id), and the demo users
//! with their enterprise permissions and organization roles. Ids are derived from names, so
//! the same config gives the same ids on every machine.

use rusqlite::Connection;

use crate::auth::password;
use crate::auth::token::sha256_hex;
use crate::config::DemoConfig;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::error::{Error, Result};
use crate::store::enterprises::{self, EnterpriseRow};
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
                &demo.password,
                iterations,
                now_ms,
            )?;
            if !permissions.is_empty() {
                enterprises::upsert_member(conn, &enterprise_id, &id, &permissions, now_ms)?;
            }
            if let Some(role) = role {
                organizations::upsert_member(conn, &organization_id, &id, role, now_ms)?;
            }
            accounts.push(DemoAccount {
                id,
                email: u.email.to_lowercase(),
                roles: describe(&permissions, role),
            });
        }
        Ok(DemoWorld {
            organization_id: organization_id.clone(),
            enterprise_id: enterprise_id.clone(),
            name: demo.organization.clone(),
            users: accounts,
        })
    })
}

/// The id of the user with `email`, inserting them if missing.
fn seed_user(
    conn: &Connection,
    email: String,
    first: &str,
    last: &str,
    password: &str,
    iterations: u32,
    now_ms: i64,
) -> Result<String> {
    if let Some(existing) = users::find_by_username(conn, &email)? {
        return Ok(existing.id);
    }
    let id = demo_id("user", &email);
    users::insert(
        conn,
        &UserRow {
            id: id.clone(),
            password_hash: password::hash_for_storage(&email, password, iterations),
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
            .write_blocking(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(count, 3);
    }

    #[test]
    fn unknown_role_in_config_is_an_error() {
        let (store, _dir) = temp_store();
        let mut demo = DemoConfig::default();
        demo.users[0].organization_role = Some("owner".into());
        assert!(seed_demo(&store, 0, &demo, 10).is_err());
    }
}
