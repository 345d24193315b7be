//! Bitwarden organizations.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::bitwarden::plan::Features;
use crate::domain::error::{Error, Result};

/// One organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BwOrg {
    /// Lowercase GUID.
    pub id: String,
    /// SSO identifier.
    pub identifier: Option<String>,
    /// Name (stored as sent; the 50-char limit is checked on the HTML-encoded form).
    pub name: String,
    /// Business name.
    pub business_name: Option<String>,
    /// Billing email (lowercased).
    pub billing_email: String,
    /// `PlanType`.
    pub plan_type: i64,
    /// Plan name.
    pub plan_name: String,
    /// Seats.
    pub seats: Option<i64>,
    /// Collections cap.
    pub max_collections: Option<i64>,
    /// Storage cap, GB.
    pub max_storage_gb: Option<i64>,
    /// Storage used, bytes.
    pub storage_bytes: i64,
    /// `use*` flags.
    pub features: Features,
    /// Enabled.
    pub enabled: bool,
    /// Org public key (base64 SPKI).
    pub public_key: Option<String>,
    /// Org private key (`2.` under the org key).
    pub private_key: Option<String>,
    /// License key (20 chars).
    pub license_key: String,
    /// License expiry, ms.
    pub expiration_date: Option<i64>,
    /// SSO config uses Key Connector.
    pub key_connector_sso: bool,
    /// Billed through a provider.
    pub provider_managed: bool,
    /// Has a (simulated) subscription.
    pub has_subscription: bool,
    /// ms.
    pub created_at: i64,
    /// ms.
    pub revision_at: i64,
}

const COLUMNS: &str = "id, identifier, name, business_name, billing_email, plan_type, plan_name,
    seats, max_collections, max_storage_gb, storage_bytes, features, enabled, public_key,
    private_key, license_key, expiration_date, key_connector_sso, provider_managed,
    has_subscription, created_at, revision_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BwOrg> {
    let features: String = r.get(11)?;
    Ok(BwOrg {
        id: r.get(0)?,
        identifier: r.get(1)?,
        name: r.get(2)?,
        business_name: r.get(3)?,
        billing_email: r.get(4)?,
        plan_type: r.get(5)?,
        plan_name: r.get(6)?,
        seats: r.get(7)?,
        max_collections: r.get(8)?,
        max_storage_gb: r.get(9)?,
        storage_bytes: r.get(10)?,
        features: super::json_column(11, &features)?,
        enabled: r.get(12)?,
        public_key: r.get(13)?,
        private_key: r.get(14)?,
        license_key: r.get(15)?,
        expiration_date: r.get(16)?,
        key_connector_sso: r.get(17)?,
        provider_managed: r.get(18)?,
        has_subscription: r.get(19)?,
        created_at: r.get(20)?,
        revision_at: r.get(21)?,
    })
}

fn features_json(f: &Features) -> Result<String> {
    serde_json::to_string(f).map_err(|e| Error::Internal(format!("features: {e}")))
}

/// Inserts an organization.
pub fn insert(conn: &Connection, o: &BwOrg) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO bw_organizations ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
             ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
        ),
        params![
            o.id,
            o.identifier,
            o.name,
            o.business_name,
            o.billing_email,
            o.plan_type,
            o.plan_name,
            o.seats,
            o.max_collections,
            o.max_storage_gb,
            o.storage_bytes,
            features_json(&o.features)?,
            o.enabled,
            o.public_key,
            o.private_key,
            o.license_key,
            o.expiration_date,
            o.key_connector_sso,
            o.provider_managed,
            o.has_subscription,
            o.created_at,
            o.revision_at
        ],
    )?;
    Ok(())
}

/// Rewrites every column of an existing organization.
pub fn update(conn: &Connection, o: &BwOrg) -> Result<()> {
    let n = conn.execute(
        "UPDATE bw_organizations SET identifier = ?2, name = ?3, business_name = ?4,
         billing_email = ?5, plan_type = ?6, plan_name = ?7, seats = ?8, max_collections = ?9,
         max_storage_gb = ?10, storage_bytes = ?11, features = ?12, enabled = ?13,
         public_key = ?14, private_key = ?15, license_key = ?16, expiration_date = ?17,
         key_connector_sso = ?18, provider_managed = ?19, has_subscription = ?20,
         revision_at = ?21 WHERE id = ?1",
        params![
            o.id,
            o.identifier,
            o.name,
            o.business_name,
            o.billing_email,
            o.plan_type,
            o.plan_name,
            o.seats,
            o.max_collections,
            o.max_storage_gb,
            o.storage_bytes,
            features_json(&o.features)?,
            o.enabled,
            o.public_key,
            o.private_key,
            o.license_key,
            o.expiration_date,
            o.key_connector_sso,
            o.provider_managed,
            o.has_subscription,
            o.revision_at
        ],
    )?;
    if n == 0 {
        return Err(Error::NotFound("organization".into()));
    }
    Ok(())
}

/// The organization with this id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<BwOrg>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_organizations WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// The organization with this SSO identifier (case-insensitive).
pub fn find_by_identifier(conn: &Connection, identifier: &str) -> Result<Option<BwOrg>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_organizations WHERE identifier = ?1 COLLATE NOCASE"),
            [identifier],
            from_row,
        )
        .optional()?)
}

/// The organization using this license key, other than `except_id`.
pub fn find_by_license_key(
    conn: &Connection,
    license_key: &str,
    except_id: &str,
) -> Result<Option<BwOrg>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM bw_organizations WHERE license_key = ?1 AND id != ?2
                 AND enabled = 1"
            ),
            params![license_key, except_id],
            from_row,
        )
        .optional()?)
}

/// Deletes an organization (memberships, keys and policies go with it).
pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM bw_organizations WHERE id = ?1", [id])? > 0)
}

/// Seat autoscaling state: the ceiling (`maxAutoscaleSeats`) and whether the owners were told
/// that seats were added.
pub fn autoscale(conn: &Connection, id: &str) -> Result<(Option<i64>, bool)> {
    Ok(conn.query_row(
        "SELECT max_autoscale_seats, owners_notified_of_autoscaling IS NOT NULL
         FROM bw_organizations WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Sets the autoscaling ceiling (`None`: none), as the owners' subscription settings would.
pub fn set_max_autoscale_seats(conn: &Connection, id: &str, max: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE bw_organizations SET max_autoscale_seats = ?2 WHERE id = ?1",
        params![id, max],
    )?;
    Ok(())
}

/// Sets an organization's seats (autoscaling), and when the owners were told, if now.
pub fn set_seats(conn: &Connection, id: &str, seats: i64, notified_at: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE bw_organizations SET seats = ?2,
         owners_notified_of_autoscaling = coalesce(owners_notified_of_autoscaling, ?3)
         WHERE id = ?1",
        params![id, seats, notified_at],
    )?;
    Ok(())
}
