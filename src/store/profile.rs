//! A user with everything the user object shows: enterprises and organizations.

use rusqlite::Connection;

use crate::domain::error::Result;
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

/// Loads the profile of `user_id`.
pub fn load(conn: &Connection, user_id: &str) -> Result<Option<Profile>> {
    let Some(user) = users::find_by_id(conn, user_id)? else {
        return Ok(None);
    };
    Ok(Some(Profile {
        memberships: enterprises::list_for_user(conn, user_id)?,
        organizations: organizations::list_for_user(conn, user_id)?,
        user,
    }))
}

/// The ids of the organizations `user_id` belongs to.
pub fn organization_ids(conn: &Connection, user_id: &str) -> Result<Vec<String>> {
    Ok(organizations::list_for_user(conn, user_id)?
        .into_iter()
        .map(|(o, _)| o.id)
        .collect())
}
