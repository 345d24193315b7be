//! KYC identities. The stored `status` is the last one written back; [`advance_due`] writes
//! back every status the clock has moved on since, and the enterprise's `kycState` with it.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

use crate::domain::error::{Error, Result};
use crate::domain::kyc::{self, Outcome, Schedule};
use crate::store::enterprises;

/// A stored identity.
#[derive(Debug, Clone)]
pub struct IdentityRow {
    /// UUID.
    pub id: String,
    /// The organization.
    pub organization_id: String,
    /// The child enterprise.
    pub enterprise_id: String,
    /// The user verified.
    pub user_id: String,
    /// `institutionalIndividual`, `euIndividual`, ...
    pub transaction_type: String,
    /// Every submitted field.
    pub fields: Map<String, Value>,
    /// The last status written back.
    pub status: String,
    /// Why it was declined, once declined.
    pub error_description: Option<String>,
    /// When it moves on.
    pub schedule: Schedule,
    /// Who submitted it.
    pub created_by: Option<String>,
    /// Created, ms.
    pub created_at: i64,
    /// Last changed, ms.
    pub updated_at: i64,
}

const COLUMNS: &str = "id, organization_id, enterprise_id, user_id, transaction_type, fields, \
                       status, outcome, error_description, review_at, decision_at, created_by, \
                       created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(IdentityRow, String, String)> {
    let fields: String = r.get(5)?;
    let outcome: String = r.get(7)?;
    Ok((
        IdentityRow {
            id: r.get(0)?,
            organization_id: r.get(1)?,
            enterprise_id: r.get(2)?,
            user_id: r.get(3)?,
            transaction_type: r.get(4)?,
            fields: Map::new(),
            status: r.get(6)?,
            error_description: r.get(8)?,
            schedule: Schedule {
                review_at: r.get(9)?,
                decision_at: r.get(10)?,
                outcome: Outcome::Approved,
            },
            created_by: r.get(11)?,
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
        },
        fields,
        outcome,
    ))
}

fn finish((mut row, fields, outcome): (IdentityRow, String, String)) -> Result<IdentityRow> {
    row.fields = serde_json::from_str(&fields)
        .map_err(|e| Error::Internal(format!("stored identity fields: {e}")))?;
    row.schedule.outcome = Outcome::parse(&outcome)
        .ok_or_else(|| Error::Internal(format!("stored identity outcome {outcome:?}")))?;
    Ok(row)
}

fn fields_json(fields: &Map<String, Value>) -> Result<String> {
    serde_json::to_string(fields).map_err(|e| Error::Internal(e.to_string()))
}

/// Inserts an identity and sets its enterprise's `kycState` to match its status.
pub fn insert(conn: &Connection, i: &IdentityRow) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO kyc_identities ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
        params![
            i.id,
            i.organization_id,
            i.enterprise_id,
            i.user_id,
            i.transaction_type,
            fields_json(&i.fields)?,
            i.status,
            i.schedule.outcome.as_str(),
            i.error_description,
            i.schedule.review_at,
            i.schedule.decision_at,
            i.created_by,
            i.created_at,
            i.updated_at
        ],
    )?;
    enterprises::set_kyc_state(conn, &i.enterprise_id, kyc::enterprise_kyc_state(&i.status))
}

/// The identity with `id`.
pub fn find_by_id(conn: &Connection, id: &str) -> Result<Option<IdentityRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM kyc_identities WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()?
    .map(finish)
    .transpose()
}

/// Which identities to list.
#[derive(Debug, Clone, Default)]
pub struct IdentityFilter {
    /// Only in this organization.
    pub organization_id: Option<String>,
    /// Only of this enterprise.
    pub enterprise_id: Option<String>,
    /// Only of this user.
    pub user_id: Option<String>,
    /// Only this identity.
    pub identity_id: Option<String>,
}

/// The identities matching `filter` in the organizations listed, oldest first.
pub fn list(
    conn: &Connection,
    organization_ids: &[String],
    f: &IdentityFilter,
) -> Result<Vec<IdentityRow>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM kyc_identities WHERE organization_id = ?1
           AND (?2 IS NULL OR enterprise_id = ?2) AND (?3 IS NULL OR user_id = ?3)
           AND (?4 IS NULL OR id = ?4)
         ORDER BY created_at, id"
    ))?;
    for org in organization_ids {
        if f.organization_id.as_ref().is_some_and(|o| o != org) {
            continue;
        }
        let rows = stmt.query_map(
            params![org, f.enterprise_id, f.user_id, f.identity_id],
            from_row,
        )?;
        for row in rows {
            out.push(finish(row?)?);
        }
    }
    Ok(out)
}

/// Stores patched fields, schedule and failure reason of an identity.
pub fn update(conn: &Connection, i: &IdentityRow) -> Result<()> {
    conn.execute(
        "UPDATE kyc_identities SET fields = ?2, outcome = ?3, error_description = ?4,
           review_at = ?5, decision_at = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            i.id,
            fields_json(&i.fields)?,
            i.schedule.outcome.as_str(),
            i.error_description,
            i.schedule.review_at,
            i.schedule.decision_at,
            i.updated_at
        ],
    )?;
    Ok(())
}

/// Whether the clock has moved some identity's status on since it was last written back.
pub fn has_due(conn: &Connection, now_ms: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM kyc_identities
               WHERE status NOT IN ('approved', 'declined')
                 AND (decision_at <= ?1 OR (status = 'initiating' AND review_at <= ?1)))",
        )?
        .query_row([now_ms], |r| r.get(0))?)
}

/// Writes back every status the clock has moved on, and the `kycState` of each enterprise
/// whose newest identity changed. Returns how many identities changed.
pub fn advance_due(conn: &Connection, now_ms: i64) -> Result<usize> {
    let due: Vec<IdentityRow> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM kyc_identities
             WHERE status NOT IN ('approved', 'declined')
               AND (decision_at <= ?1 OR (status = 'initiating' AND review_at <= ?1))"
        ))?;
        let rows = stmt.query_map([now_ms], from_row)?;
        rows.map(|r| finish(r?)).collect::<Result<_>>()?
    };
    for identity in &due {
        write_status(conn, identity, now_ms)?;
    }
    Ok(due.len())
}

/// Writes back `identity`'s status as of `now_ms` and syncs its enterprise's `kycState`.
pub fn write_status(conn: &Connection, identity: &IdentityRow, now_ms: i64) -> Result<()> {
    let status = identity.schedule.status_at(now_ms);
    let changed_at = identity.schedule.changed_at(identity.created_at, now_ms);
    let reason = (status == kyc::DECLINED).then(|| {
        identity
            .fields
            .get("debugFailureReason")
            .and_then(Value::as_str)
            .unwrap_or("identity verification failed")
            .to_string()
    });
    conn.execute(
        "UPDATE kyc_identities SET status = ?2, updated_at = max(updated_at, ?3),
           error_description = ?4 WHERE id = ?1",
        params![identity.id, status, changed_at, reason],
    )?;
    let newest: Option<String> = conn
        .prepare_cached(
            "SELECT status FROM kyc_identities WHERE enterprise_id = ?1
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )?
        .query_row([&identity.enterprise_id], |r| r.get(0))
        .optional()?;
    if let Some(newest) = newest {
        enterprises::set_kyc_state(
            conn,
            &identity.enterprise_id,
            kyc::enterprise_kyc_state(&newest),
        )?;
    }
    Ok(())
}
