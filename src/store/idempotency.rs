//! Idempotency keys of child-enterprise creation: what a key created, and a digest of the
//! request that created it. Read and written inside the creating write transaction, so two
//! requests with one key never both create.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::error::Result;

/// One remembered request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRow {
    /// The organization the key belongs to (keys are per organization).
    pub organization_id: String,
    /// The client's key.
    pub key: String,
    /// SHA-256 hex of the canonical request body.
    pub body_digest: String,
    /// The enterprise the request created.
    pub enterprise_id: String,
    /// The end user of that enterprise.
    pub user_id: String,
    /// Who sent it.
    pub created_by: Option<String>,
    /// When, ms.
    pub created_at: i64,
}

/// The request remembered under `key` in the organization.
pub fn find(conn: &Connection, organization_id: &str, key: &str) -> Result<Option<IdempotencyRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT organization_id, idempotency_key, body_digest, enterprise_id, user_id,
                    created_by, created_at
             FROM idempotency_keys WHERE organization_id = ?1 AND idempotency_key = ?2",
        )?
        .query_row([organization_id, key], |r| {
            Ok(IdempotencyRow {
                organization_id: r.get(0)?,
                key: r.get(1)?,
                body_digest: r.get(2)?,
                enterprise_id: r.get(3)?,
                user_id: r.get(4)?,
                created_by: r.get(5)?,
                created_at: r.get(6)?,
            })
        })
        .optional()?)
}

/// Remembers a request (a second row for the same key is a constraint conflict).
pub fn insert(conn: &Connection, row: &IdempotencyRow) -> Result<()> {
    conn.execute(
        "INSERT INTO idempotency_keys (organization_id, idempotency_key, body_digest,
           enterprise_id, user_id, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            row.organization_id,
            row.key,
            row.body_digest,
            row.enterprise_id,
            row.user_id,
            row.created_by,
            row.created_at
        ],
    )?;
    Ok(())
}
