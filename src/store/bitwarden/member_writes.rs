//! What changes a membership row: acceptance, confirmation, revocation and restoration, a
//! role change, account recovery enrollment, removal. Each runs inside the caller's
//! transaction, after the domain rules allowed it.

use rusqlite::{params, Connection};

use super::members::{permissions_json, BwMember};
use crate::domain::bitwarden::role::{MemberStatus, RevocationReason};
use crate::domain::error::Result;

/// Marks an invitation accepted by `user_id`; the invited address is cleared, as the server
/// does, so the invitation link no longer matches the row.
pub fn accept(conn: &Connection, member_id: &str, user_id: &str, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET status = 1, user_id = ?2, email = NULL, invite_token = NULL,
         revision_at = ?3 WHERE id = ?1",
        params![member_id, user_id, now],
    )?;
    Ok(())
}

/// Confirms an accepted member with the organization key wrapped for them.
pub fn confirm(conn: &Connection, member_id: &str, key: &str, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET status = 2, key = ?2, email = NULL, revision_at = ?3
         WHERE id = ?1",
        params![member_id, key, now],
    )?;
    Ok(())
}

/// Revokes a member for `reason`, keeping the status it returns to on restoration.
pub fn revoke(conn: &Connection, m: &BwMember, reason: RevocationReason, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET status = -1, prior_status = ?2, revision_at = ?3,
         revocation_reason = ?4 WHERE id = ?1",
        params![m.id, m.status.as_i64(), now, reason.as_i64()],
    )?;
    Ok(())
}

/// Restores a revoked member to `status`.
pub fn restore(conn: &Connection, member_id: &str, status: MemberStatus, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET status = ?2, prior_status = NULL, revision_at = ?3,
         revocation_reason = NULL WHERE id = ?1",
        params![member_id, status.as_i64(), now],
    )?;
    Ok(())
}

/// Writes a member's role, custom permissions, external id and Secrets Manager access.
pub fn update_role(conn: &Connection, m: &BwMember, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET type = ?2, permissions = ?3, external_id = ?4,
         access_secrets_manager = ?5, revision_at = ?6 WHERE id = ?1",
        params![
            m.id,
            m.member_type.as_i64(),
            permissions_json(m),
            m.external_id,
            m.access_secrets_manager,
            now
        ],
    )?;
    Ok(())
}

/// Enrolls a member in account recovery (`None` withdraws).
pub fn set_reset_password_key(
    conn: &Connection,
    member_id: &str,
    key: Option<&str>,
    now: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET reset_password_key = ?2, revision_at = ?3 WHERE id = ?1",
        params![member_id, key, now],
    )?;
    Ok(())
}

/// Deletes one membership (its collection and group access goes with it).
pub fn delete(conn: &Connection, member_id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM bw_memberships WHERE id = ?1", [member_id])? > 0)
}
