//! Memberships of Bitwarden organizations (confirmed members, invitations, revoked members).

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::bitwarden::policy::Membership;
use crate::domain::bitwarden::role::{MemberStatus, MemberType, Permissions};
use crate::domain::error::Result;

/// One membership row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BwMember {
    /// Lowercase GUID (`organizationUserId`).
    pub id: String,
    /// Organization.
    pub organization_id: String,
    /// The user, once known (invitations to unknown addresses have none).
    pub user_id: Option<String>,
    /// Invited address.
    pub email: Option<String>,
    /// Role.
    pub member_type: MemberType,
    /// Status.
    pub status: MemberStatus,
    /// Custom permissions.
    pub permissions: Permissions,
    /// `4.` org key for this member (confirmed members).
    pub key: Option<String>,
    /// The org claims the account.
    pub claimed: bool,
    /// Invitation token (its SHA-256 hex).
    pub invite_token: Option<String>,
    /// ms.
    pub created_at: i64,
}

impl BwMember {
    /// The policy's view of this membership.
    pub fn as_membership(&self) -> Membership {
        Membership {
            member_type: self.member_type,
            status: self.status,
            permissions: self.permissions.clone(),
        }
    }
}

const COLUMNS: &str = "id, organization_id, user_id, email, type, status, permissions, key,
    claimed, invite_token, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BwMember> {
    let t: i64 = r.get(4)?;
    let s: i64 = r.get(5)?;
    let p: Option<String> = r.get(6)?;
    Ok(BwMember {
        id: r.get(0)?,
        organization_id: r.get(1)?,
        user_id: r.get(2)?,
        email: r.get(3)?,
        member_type: MemberType::from_i64(t)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(4, t))?,
        status: MemberStatus::from_i64(s).ok_or(rusqlite::Error::IntegralValueOutOfRange(5, s))?,
        permissions: match p {
            Some(p) => super::json_column(6, &p)?,
            None => Permissions::default(),
        },
        key: r.get(7)?,
        claimed: r.get(8)?,
        invite_token: r.get(9)?,
        created_at: r.get(10)?,
    })
}

/// Inserts a membership.
pub fn insert(conn: &Connection, m: &BwMember) -> Result<()> {
    let permissions = (m.member_type == MemberType::Custom)
        .then(|| serde_json::to_string(&m.permissions).ok())
        .flatten();
    conn.execute(
        &format!("INSERT INTO bw_memberships ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
        params![
            m.id,
            m.organization_id,
            m.user_id,
            m.email.as_deref().map(str::to_lowercase),
            m.member_type.as_i64(),
            m.status.as_i64(),
            permissions,
            m.key,
            m.claimed,
            m.invite_token,
            m.created_at
        ],
    )?;
    Ok(())
}

/// The membership of `user_id` in `org_id` (any status).
pub fn find_for_user(conn: &Connection, org_id: &str, user_id: &str) -> Result<Option<BwMember>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM bw_memberships WHERE organization_id = ?1 AND user_id = ?2"
            ),
            params![org_id, user_id],
            from_row,
        )
        .optional()?)
}

/// Every membership of a user with the given status, oldest first.
pub fn list_for_user(
    conn: &Connection,
    user_id: &str,
    status: MemberStatus,
) -> Result<Vec<BwMember>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bw_memberships WHERE user_id = ?1 AND status = ?2
         ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map(params![user_id, status.as_i64()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every membership of an organization, oldest first.
pub fn list_for_org(conn: &Connection, org_id: &str) -> Result<Vec<BwMember>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bw_memberships WHERE organization_id = ?1 ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([org_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Confirmed owners of an organization other than `except_member_id`.
pub fn other_confirmed_owners(
    conn: &Connection,
    org_id: &str,
    except_member_id: &str,
) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM bw_memberships WHERE organization_id = ?1 AND id != ?2
         AND type = 0 AND status = 2",
        params![org_id, except_member_id],
        |r| r.get(0),
    )?)
}

/// Free organizations the user is a confirmed owner or admin of.
pub fn free_orgs_administered(conn: &Connection, user_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM bw_memberships m JOIN bw_organizations o ON o.id = m.organization_id
         WHERE m.user_id = ?1 AND m.type IN (0, 1) AND o.plan_type = 0",
        [user_id],
        |r| r.get(0),
    )?)
}

/// Seats in use: members that are invited, accepted or confirmed.
pub fn occupied_seats(conn: &Connection, org_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM bw_memberships WHERE organization_id = ?1 AND status >= 0",
        [org_id],
        |r| r.get(0),
    )?)
}

/// Deletes one membership.
pub fn delete(conn: &Connection, member_id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM bw_memberships WHERE id = ?1", [member_id])? > 0)
}

/// Gives pending memberships to this address (case-insensitive) to the user who now has it.
pub fn link_invitations(conn: &Connection, email: &str, user_id: &str) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE bw_memberships SET user_id = ?2 WHERE user_id IS NULL AND email = ?1",
        params![email.trim().to_lowercase(), user_id],
    )?)
}

/// One membership of an organization by its id.
pub fn find(conn: &Connection, org_id: &str, member_id: &str) -> Result<Option<BwMember>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM bw_memberships WHERE organization_id = ?1 AND id = ?2"),
            params![org_id, member_id],
            from_row,
        )
        .optional()?)
}

/// Marks an invitation accepted by `user_id` (the token is spent).
pub fn accept(conn: &Connection, member_id: &str, user_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET status = 1, user_id = ?2, invite_token = NULL WHERE id = ?1",
        params![member_id, user_id],
    )?;
    Ok(())
}

/// Confirms an accepted member with the organization key wrapped for them.
pub fn confirm(conn: &Connection, member_id: &str, key: &str) -> Result<()> {
    conn.execute(
        "UPDATE bw_memberships SET status = 2, key = ?2 WHERE id = ?1",
        params![member_id, key],
    )?;
    Ok(())
}
