//! Read-only queries for the web console: what no dialect lists (every organization, every
//! open approval), answered from the store as it is, for the sandbox's administrator.

use rusqlite::Connection;

use crate::domain::error::Result;
use crate::store::approvals::{self, ApprovalRow};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::tokens::{self, TokenRow};

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

/// A page of enterprise ids in the console's order, with how many match in all: grouped by
/// organization (oldest first, then by name; enterprises in none last), the organization's
/// parent enterprise first, then by name. `search` keeps enterprises whose name, id or organization name
/// contains it (any ASCII case).
pub fn enterprise_page(
    conn: &Connection,
    search: Option<&str>,
    offset: usize,
    limit: usize,
) -> Result<(usize, Vec<String>)> {
    let pattern = search.map(|s| {
        let escaped = s
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    const MATCHES: &str = "FROM enterprises e LEFT JOIN organizations o ON o.id = e.organization_id
        WHERE ?1 IS NULL OR e.name LIKE ?1 ESCAPE '\\' OR e.id LIKE ?1 ESCAPE '\\'
           OR o.name LIKE ?1 ESCAPE '\\'";
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) {MATCHES}"))?
        .query_row([&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.id {MATCHES}
         ORDER BY o.id IS NULL, o.created_at, o.name, o.id,
                  e.business_model = 'cryptoAsAServiceParent' DESC, e.name, e.id
         LIMIT ?2 OFFSET ?3"
    ))?;
    let ids = stmt
        .query_map(
            rusqlite::params![
                pattern,
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            |r| r.get::<_, String>(0),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((usize::try_from(total).unwrap_or(0), ids))
}
