//! Read-only queries for the web console: what no dialect lists (every organization, every
//! open approval), answered from the store as it is, for the sandbox's administrator.

use rusqlite::Connection;

use crate::error::Result;
use crate::store::approvals::{self, ApprovalRow};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::organizations::{self, OrganizationRow};
use crate::store::tokens::{self, TokenRow};

/// Every organization, oldest first, at most `limit`.
pub fn organizations(conn: &Connection, limit: usize) -> Result<Vec<OrganizationRow>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt =
        conn.prepare_cached("SELECT id FROM organizations ORDER BY created_at, id LIMIT ?1")?;
    let ids = stmt
        .query_map([limit], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(organizations::find_by_id(conn, &id)?);
    }
    Ok(out)
}

/// The approvals of `enterprise_id` not yet resolved (approved, processing or rejected),
/// newest first, at most `limit`.
pub fn open_approvals(
    conn: &Connection,
    enterprise_id: &str,
    limit: usize,
) -> Result<Vec<ApprovalRow>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM pending_approvals WHERE enterprise_id = ?1
         AND state NOT IN ('approved', 'processing', 'rejected')
         ORDER BY created_at DESC, id DESC LIMIT ?2",
    )?;
    let ids = stmt
        .query_map(rusqlite::params![enterprise_id, limit], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(approvals::find_by_id(conn, &id)?);
    }
    Ok(out)
}

/// Long-lived tokens not revoked (expired ones too, so their expiry shows) and login sessions
/// still live at `now_ms`, newest first, at most `limit`. Raw values are never stored, so never
/// here either.
pub fn tokens(conn: &Connection, now_ms: i64, limit: usize) -> Result<Vec<TokenRow>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, id FROM access_tokens WHERE revoked_at IS NULL
         AND (kind = 'api' OR expires_at > ?1)
         ORDER BY created_at DESC, id DESC LIMIT ?2",
    )?;
    let keys = stmt
        .query_map(rusqlite::params![now_ms, limit], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(keys.len());
    for (user_id, id) in keys {
        out.extend(tokens::find_for_user(conn, &user_id, &id)?);
    }
    Ok(out)
}

/// Every Bitwarden organization, oldest first, at most `limit`.
pub fn bitwarden_organizations(conn: &Connection, limit: usize) -> Result<Vec<BwOrg>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt =
        conn.prepare_cached("SELECT id FROM bw_organizations ORDER BY created_at, id LIMIT ?1")?;
    let ids = stmt
        .query_map([limit], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(orgs::find(conn, &id)?);
    }
    Ok(out)
}
