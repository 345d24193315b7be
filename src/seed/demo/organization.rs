//! The demo organization and its parent enterprise of the same name (a different id).

use rusqlite::Connection;

use crate::domain::error::Result;
use crate::domain::role::OrgRole;
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::organizations::{self, OrganizationRow};

/// Creates the organization `name` and its parent enterprise, both only if the organization
/// is missing.
pub(super) fn seed_organization(
    conn: &Connection,
    organization_id: &str,
    enterprise_id: &str,
    name: &str,
    now_ms: i64,
) -> Result<()> {
    if organizations::find_by_id(conn, organization_id)?.is_some() {
        return Ok(());
    }
    organizations::insert(
        conn,
        &OrganizationRow {
            id: organization_id.to_string(),
            name: name.to_string(),
            created_at: now_ms,
        },
    )?;
    enterprises::insert(
        conn,
        &EnterpriseRow {
            id: enterprise_id.to_string(),
            name: name.to_string(),
            organization_id: Some(organization_id.to_string()),
            business_model: "cryptoAsAServiceParent".into(),
            account_type: "entity".into(),
            kyc_state: "approved".into(),
            created_at: now_ms,
        },
    )?;
    Ok(())
}

/// The organization's service users (admins of every child enterprise).
pub(super) fn service_users(conn: &Connection, organization_id: &str) -> Result<Vec<String>> {
    Ok(organizations::members(conn, organization_id)?
        .into_iter()
        .filter(|m| m.role == OrgRole::ServiceUser)
        .map(|m| m.user_id)
        .collect())
}
