//! A user with everything the user object shows: enterprises and organizations.

use rusqlite::{Connection, Row};

use crate::domain::error::{Error, Result};
use crate::domain::role::OrgRole;
use crate::store::enterprises::{self, Membership};
use crate::store::organizations::{self, OrganizationRow};
use crate::store::users::{self, UserRow};

/// A user and their memberships.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The user.
    pub user: UserRow,
    /// Enterprises and permissions.
    pub memberships: Vec<Membership>,
    /// Organizations and roles.
    pub organizations: Vec<(OrganizationRow, OrgRole)>,
}

impl Profile {
    /// The ids of the user's organizations.
    pub fn organization_ids(&self) -> Vec<String> {
        self.organizations
            .iter()
            .map(|(o, _)| o.id.clone())
            .collect()
    }
}

/// The user, their enterprises and their organizations in one statement (every `GET /user/me`
/// runs it): one row per part, its kind in the last column. A user row is read by
/// [`users::from_row`], an enterprise row by [`enterprises::enterprise_from`] with the
/// permissions after it, an organization row by [`organization_from`]. No `ORDER BY`: on a
/// compound select SQLite merges sorted co-routines, which cost more than the three
/// statements this replaces; [`load`] puts the few rows in id order itself.
fn load_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "SELECT {user}, {KIND_USER} FROM users WHERE id = ?1
             UNION ALL
             SELECT {enterprise}, m.permissions, NULL, NULL, {KIND_ENTERPRISE}
               FROM enterprise_members m JOIN enterprises e ON e.id = m.enterprise_id
              WHERE m.user_id = ?1
             UNION ALL
             SELECT o.id, o.name, o.created_at, m.role, NULL, NULL, NULL, NULL, NULL, NULL,
                    {KIND_ORGANIZATION}
               FROM organization_members m JOIN organizations o ON o.id = m.organization_id
              WHERE m.user_id = ?1",
            user = users::COLUMNS,
            enterprise = enterprises::COLUMNS,
        )
    })
}

/// The last column of [`load_sql`]'s rows: which part a row is.
const KIND: usize = 10;
const KIND_USER: i64 = 0;
const KIND_ENTERPRISE: i64 = 1;
const KIND_ORGANIZATION: i64 = 2;

/// Loads the profile of `user_id` (`None` when there is no such user).
pub fn load(conn: &Connection, user_id: &str) -> Result<Option<Profile>> {
    let mut stmt = conn.prepare_cached(load_sql())?;
    let mut rows = stmt.query([user_id])?;
    let mut user = None;
    let mut memberships = Vec::new();
    let mut organizations = Vec::new();
    while let Some(r) = rows.next()? {
        match r.get::<_, i64>(KIND)? {
            KIND_USER => user = Some(users::from_row(r)?),
            KIND_ENTERPRISE => memberships.push(Membership {
                enterprise: enterprises::enterprise_from(r)?,
                permissions: enterprises::parse_permissions(text(r, 7)?)?,
            }),
            _ => organizations.push(organization_from(r)?),
        }
    }
    // In id order, as `ORDER BY id` would give them (BINARY collation compares bytes, as
    // `str::cmp` does).
    memberships.sort_unstable_by(|a, b| a.enterprise.id.cmp(&b.enterprise.id));
    organizations.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
    Ok(user.map(|user| Profile {
        user,
        memberships,
        organizations,
    }))
}

fn organization_from(r: &Row<'_>) -> Result<(OrganizationRow, OrgRole)> {
    let role = text(r, 3)?;
    let role = OrgRole::parse(role)
        .ok_or_else(|| Error::Internal(format!("stored organization role {role:?}")))?;
    Ok((
        OrganizationRow {
            id: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
        },
        role,
    ))
}

/// Column `i` as text, borrowed from the row (no copy for what is only parsed).
fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    Ok(r.get_ref(i)?.as_str()?)
}

/// The ids of the organizations `user_id` belongs to.
pub fn organization_ids(conn: &Connection, user_id: &str) -> Result<Vec<String>> {
    Ok(organizations::list_for_user(conn, user_id)?
        .into_iter()
        .map(|(o, _)| o.id)
        .collect())
}
