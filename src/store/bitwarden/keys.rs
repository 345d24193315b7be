//! Organization API keys, refresh tokens (rotated on every use, in families) and SSO links.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::bitwarden::refresh::{refresh_use, RefreshFacts, RefreshUse};
use crate::domain::error::Result;

/// An organization API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgApiKey {
    /// 0 Default, 1 BillingSync, 2 Scim.
    pub key_type: i64,
    /// 30 characters.
    pub api_key: String,
    /// ms.
    pub revision_at: i64,
}

/// The organization's key of a type.
pub fn find_api_key(conn: &Connection, org_id: &str, key_type: i64) -> Result<Option<OrgApiKey>> {
    Ok(conn
        .query_row(
            "SELECT type, api_key, revision_at FROM bw_org_api_keys
             WHERE organization_id = ?1 AND type = ?2",
            params![org_id, key_type],
            |r| {
                Ok(OrgApiKey {
                    key_type: r.get(0)?,
                    api_key: r.get(1)?,
                    revision_at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Every key of an organization (optionally of one type).
pub fn list_api_keys(
    conn: &Connection,
    org_id: &str,
    key_type: Option<i64>,
) -> Result<Vec<OrgApiKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT type, api_key, revision_at FROM bw_org_api_keys
         WHERE organization_id = ?1 AND (?2 IS NULL OR type = ?2) ORDER BY type",
    )?;
    let rows = stmt.query_map(params![org_id, key_type], |r| {
        Ok(OrgApiKey {
            key_type: r.get(0)?,
            api_key: r.get(1)?,
            revision_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates or replaces the organization's key of a type.
pub fn upsert_api_key(conn: &Connection, org_id: &str, key: &OrgApiKey) -> Result<()> {
    conn.execute(
        "INSERT INTO bw_org_api_keys (organization_id, type, api_key, revision_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (organization_id, type) DO UPDATE SET api_key = ?3, revision_at = ?4",
        params![org_id, key.key_type, key.api_key, key.revision_at],
    )?;
    Ok(())
}

/// A stored refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// Owner.
    pub user_id: String,
    /// The client it was issued to (`cli`, `web`, ...).
    pub client_id: String,
    /// Device identifier.
    pub device_identifier: String,
    /// Device type.
    pub device_type: i64,
    /// ms.
    pub expires_at: i64,
    /// The family: the hash of the first token of the login it descends from.
    pub family_id: String,
}

/// Stores a refresh token by its hash.
pub fn insert_refresh(conn: &Connection, hash: &str, t: &RefreshToken, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO bw_refresh_tokens (token_hash, user_id, client_id, device_identifier,
         device_type, expires_at, created_at, family_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            hash,
            t.user_id,
            t.client_id,
            t.device_identifier,
            t.device_type,
            t.expires_at,
            now,
            t.family_id
        ],
    )?;
    Ok(())
}

/// What presenting a refresh token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// Unknown or expired: nothing changed.
    Invalid,
    /// Used before: its whole family is revoked.
    Replayed,
    /// Consumed; its successor (the new token's row) is stored.
    Rotated(RefreshToken),
}

/// Redeems the refresh token with hash `hash` (inside the caller's transaction), as
/// `domain::bitwarden::refresh::refresh_use` rules: a good one is marked consumed and
/// `next_hash` stored as its successor in the same family, expiring `lifetime_ms` from now
/// (a sliding lifetime, as Bitwarden's clients have; the consumed ones are kept as long, to
/// recognise a replay); a consumed one revokes its family. Expired rows are pruned.
pub fn redeem_refresh(
    conn: &Connection,
    hash: &str,
    next_hash: &str,
    now: i64,
    lifetime_ms: i64,
) -> Result<Redeemed> {
    let found = conn
        .query_row(
            "SELECT user_id, client_id, device_identifier, device_type, expires_at,
                    coalesce(family_id, token_hash), consumed_at IS NOT NULL
             FROM bw_refresh_tokens WHERE token_hash = ?1",
            [hash],
            |r| {
                Ok((
                    RefreshToken {
                        user_id: r.get(0)?,
                        client_id: r.get(1)?,
                        device_identifier: r.get(2)?,
                        device_type: r.get(3)?,
                        expires_at: r.get(4)?,
                        family_id: r.get(5)?,
                    },
                    r.get::<_, bool>(6)?,
                ))
            },
        )
        .optional()?;
    let facts = found.as_ref().map(|(t, consumed)| RefreshFacts {
        consumed: *consumed,
        expires_at: t.expires_at,
    });
    let outcome = match (refresh_use(facts, now), found) {
        (RefreshUse::Rotate, Some((t, _))) => {
            let next = RefreshToken {
                expires_at: now.saturating_add(lifetime_ms),
                ..t
            };
            conn.execute(
                "UPDATE bw_refresh_tokens SET consumed_at = ?2 WHERE token_hash = ?1",
                params![hash, now],
            )?;
            conn.execute(
                "UPDATE bw_refresh_tokens SET expires_at = ?2 WHERE family_id = ?1",
                params![next.family_id, next.expires_at],
            )?;
            insert_refresh(conn, next_hash, &next, now)?;
            Redeemed::Rotated(next)
        }
        (RefreshUse::Replayed, Some((t, _))) => {
            conn.execute(
                "DELETE FROM bw_refresh_tokens WHERE family_id = ?1",
                [&t.family_id],
            )?;
            Redeemed::Replayed
        }
        _ => Redeemed::Invalid,
    };
    conn.execute(
        "DELETE FROM bw_refresh_tokens WHERE expires_at <= ?1",
        [now],
    )?;
    Ok(outcome)
}

/// Whether the user has an SSO link to the organization.
pub fn sso_linked(conn: &Connection, user_id: &str, org_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM bw_sso_users WHERE user_id = ?1 AND organization_id = ?2",
        params![user_id, org_id],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// The user's external id at the organization's SSO provider, if linked.
pub fn sso_external_id(conn: &Connection, user_id: &str, org_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT external_id FROM bw_sso_users WHERE user_id = ?1 AND organization_id = ?2",
            params![user_id, org_id],
            |r| r.get::<_, String>(0),
        )
        .optional()?)
}

/// Links a user to an organization's SSO identity.
pub fn link_sso(conn: &Connection, user_id: &str, org_id: &str, external_id: &str) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO bw_sso_users (user_id, organization_id, external_id)
         VALUES (?1, ?2, ?3)",
        params![user_id, org_id, external_id],
    )?;
    Ok(())
}

/// Removes the user's SSO link to the organization (none is fine).
pub fn unlink_sso(conn: &Connection, user_id: &str, org_id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM bw_sso_users WHERE user_id = ?1 AND organization_id = ?2",
        params![user_id, org_id],
    )?;
    Ok(())
}
