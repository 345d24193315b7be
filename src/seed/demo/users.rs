//! The demo users: their password hashes (derived in parallel before the seeding transaction),
//! their rows, and their enterprise permissions, organization roles and video approval.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{demo_id, DemoAccount};
use crate::auth::password;
use crate::config::{DemoConfig, DemoUser};
use crate::domain::error::{Error, Result};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::store::enterprise_users;
use crate::store::enterprises;
use crate::store::organizations;
use crate::store::users::{self, UserRow};
use crate::store::Store;

/// Seeds one `[[demo.users]]` entry: the user if missing, their permissions on the parent
/// enterprise (and video approval), and their organization role.
pub(super) fn seed_member(
    conn: &Connection,
    u: &DemoUser,
    organization_id: &str,
    enterprise_id: &str,
    hashes: &HashMap<String, String>,
    now_ms: i64,
) -> Result<DemoAccount> {
    let permissions = permissions_of(u)?;
    let role = role_of(u)?;
    let id = seed_user(
        conn,
        u.email.to_lowercase(),
        &u.first_name,
        &u.last_name,
        hashes,
        now_ms,
    )?;
    if !permissions.is_empty() {
        enterprises::upsert_member(conn, enterprise_id, &id, &permissions, now_ms)?;
        if u.video_approver {
            enterprise_users::set_video_id_user(conn, enterprise_id, &id, true)?;
        }
    }
    if let Some(role) = role {
        organizations::upsert_member(conn, organization_id, &id, role, now_ms)?;
    }
    let mut roles = describe(&permissions, role);
    if u.video_approver {
        roles.push_str(", video approver");
    }
    Ok(DemoAccount {
        id,
        email: u.email.to_lowercase(),
        roles,
    })
}

/// The user's enterprise permissions; an unknown one is an error.
fn permissions_of(u: &DemoUser) -> Result<Vec<EnterprisePermission>> {
    u.enterprise_permissions
        .iter()
        .map(|p| {
            EnterprisePermission::parse(p).ok_or_else(|| {
                Error::Invalid(format!(
                    "demo user {}: unknown enterprise permission {p:?}",
                    u.email
                ))
            })
        })
        .collect()
}

/// The user's organization role, if any; an unknown one is an error.
fn role_of(u: &DemoUser) -> Result<Option<OrgRole>> {
    u.organization_role
        .as_deref()
        .map(|r| {
            OrgRole::parse(r).ok_or_else(|| {
                Error::Invalid(format!(
                    "demo user {}: unknown organization role {r:?}",
                    u.email
                ))
            })
        })
        .transpose()
}

/// The roles of a demo login in words, for the start-up banner.
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

/// The stored password hashes of the demo users not in the store yet, by lowercased email.
/// PBKDF2 is slow on purpose and each user's differs (it covers the email), so on a fresh
/// data directory they are derived in parallel, one thread per core, before the seeding
/// transaction takes the write lock; an already seeded directory derives none.
pub(super) fn hash_missing_users(
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
pub(super) fn seed_user(
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
