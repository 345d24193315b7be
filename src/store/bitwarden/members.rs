//! Memberships of Bitwarden organizations (confirmed members, invitations, revoked members):
//! the row and its reads. What changes a row is in `member_writes`.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

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
    /// The user, once it accepted (invitations have none, as on the server).
    pub user_id: Option<String>,
    /// The invited address (the server clears it once the invitation is accepted).
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
    /// Unused since invitation links carry their own proof; kept for old rows.
    pub invite_token: Option<String>,
    /// ms.
    pub created_at: i64,
    /// Account recovery enrollment: the user key wrapped for the organization.
    pub reset_password_key: Option<String>,
    /// The id a directory gave the member.
    pub external_id: Option<String>,
    /// Access to Secrets Manager.
    pub access_secrets_manager: bool,
    /// The status a revoked member returns to.
    pub prior_status: Option<MemberStatus>,
    /// Why it was revoked (`RevocationReason`'s number), while it is.
    pub revocation_reason: Option<i64>,
    /// ms.
    pub revision_at: i64,
}

impl BwMember {
    /// A new row with everything optional unset.
    pub fn new(
        id: String,
        organization_id: &str,
        member_type: MemberType,
        status: MemberStatus,
        now: i64,
    ) -> BwMember {
        BwMember {
            id,
            organization_id: organization_id.to_string(),
            user_id: None,
            email: None,
            member_type,
            status,
            permissions: Permissions::default(),
            key: None,
            claimed: false,
            invite_token: None,
            created_at: now,
            reset_password_key: None,
            external_id: None,
            access_secrets_manager: false,
            prior_status: None,
            revocation_reason: None,
            revision_at: now,
        }
    }

    /// The policy's view of this membership.
    pub fn as_membership(&self) -> Membership {
        Membership {
            member_type: self.member_type,
            status: self.status,
            permissions: self.permissions.clone(),
        }
    }
}

/// The columns every read selects, in [`from_row`]'s order.
pub(crate) const COLUMNS: &str = "id, organization_id, user_id, email, type, status, permissions,
    key, claimed, invite_token, created_at, reset_password_key, external_id,
    access_secrets_manager, prior_status, revision_at, revocation_reason";

fn status(idx: usize, s: i64) -> rusqlite::Result<MemberStatus> {
    MemberStatus::from_i64(s).ok_or(rusqlite::Error::IntegralValueOutOfRange(idx, s))
}

/// Reads a row selected with [`COLUMNS`].
pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<BwMember> {
    let t: i64 = r.get(4)?;
    let p: Option<String> = r.get(6)?;
    let prior: Option<i64> = r.get(14)?;
    Ok(BwMember {
        id: r.get(0)?,
        organization_id: r.get(1)?,
        user_id: r.get(2)?,
        email: r.get(3)?,
        member_type: MemberType::from_i64(t)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(4, t))?,
        status: status(5, r.get(5)?)?,
        permissions: match p {
            Some(p) => super::json_column(6, &p)?,
            None => Permissions::default(),
        },
        key: r.get(7)?,
        claimed: r.get(8)?,
        invite_token: r.get(9)?,
        created_at: r.get(10)?,
        reset_password_key: r.get(11)?,
        external_id: r.get(12)?,
        access_secrets_manager: r.get(13)?,
        prior_status: prior.map(|s| status(14, s)).transpose()?,
        revision_at: r.get::<_, Option<i64>>(15)?.unwrap_or_default(),
        revocation_reason: r.get(16)?,
    })
}

/// The stored permissions: set only for a custom role.
pub(crate) fn permissions_json(m: &BwMember) -> Option<String> {
    (m.member_type == MemberType::Custom)
        .then(|| serde_json::to_string(&m.permissions).ok())
        .flatten()
}

/// Inserts a membership.
pub fn insert(conn: &Connection, m: &BwMember) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO bw_memberships ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
             ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        ),
        params![
            m.id,
            m.organization_id,
            m.user_id,
            m.email.as_deref().map(str::to_lowercase),
            m.member_type.as_i64(),
            m.status.as_i64(),
            permissions_json(m),
            m.key,
            m.claimed,
            m.invite_token,
            m.created_at,
            m.reset_password_key,
            m.external_id,
            m.access_secrets_manager,
            m.prior_status.map(MemberStatus::as_i64),
            m.revision_at,
            m.revocation_reason
        ],
    )?;
    Ok(())
}

fn select_many(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<BwMember>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bw_memberships WHERE {filter} ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map(args, from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    select_many(
        conn,
        "user_id = ?1 AND status = ?2",
        params![user_id, status.as_i64()],
    )
}

/// Every membership of a user, any status, oldest first.
pub fn all_for_user(conn: &Connection, user_id: &str) -> Result<Vec<BwMember>> {
    select_many(conn, "user_id = ?1", [user_id])
}

/// Every membership of an organization, oldest first.
pub fn list_for_org(conn: &Connection, org_id: &str) -> Result<Vec<BwMember>> {
    select_many(conn, "organization_id = ?1", [org_id])
}

/// The memberships of `org_id` among `ids` (others, and unknown ids, are left out).
pub fn find_many(conn: &Connection, org_id: &str, ids: &[String]) -> Result<Vec<BwMember>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let args = std::iter::once(org_id.to_string()).chain(ids.iter().cloned());
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM bw_memberships WHERE organization_id = ? AND id IN ({marks})
         ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map(params_from_iter(args), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Confirmed owners of an organization other than `except` (`HasConfirmedOwnersExceptQuery`).
pub fn confirmed_owners_except(conn: &Connection, org_id: &str, except: &[String]) -> Result<i64> {
    let owners: Vec<String> = select_many(
        conn,
        "organization_id = ?1 AND type = 0 AND status = 2 AND user_id IS NOT NULL",
        [org_id],
    )?
    .into_iter()
    .map(|m| m.id)
    .collect();
    Ok(owners.iter().filter(|id| !except.contains(id)).count() as i64)
}

/// Confirmed owners of an organization other than `except_member_id`.
pub fn other_confirmed_owners(
    conn: &Connection,
    org_id: &str,
    except_member_id: &str,
) -> Result<i64> {
    confirmed_owners_except(conn, org_id, &[except_member_id.to_string()])
}

/// Free organizations the user is a confirmed owner or admin of.
pub fn free_orgs_administered(conn: &Connection, user_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM bw_memberships m JOIN bw_organizations o ON o.id = m.organization_id
         WHERE m.user_id = ?1 AND m.type IN (0, 1) AND o.plan_type = 0 AND m.status = 2",
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

/// Which of `emails` (lowercased) already have a row in the organization, as an invited
/// address or as a member's account (`SelectKnownEmailsAsync`).
pub fn known_emails(conn: &Connection, org_id: &str, emails: &[String]) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM bw_memberships m LEFT JOIN bw_users u ON u.id = m.user_id
         WHERE m.organization_id = ?1 AND (m.email = ?2 OR u.email = ?2)",
    )?;
    let mut known = Vec::new();
    for e in emails {
        let e = e.trim().to_lowercase();
        if stmt.query_row(params![org_id, e], |r| r.get::<_, i64>(0))? > 0 {
            known.push(e);
        }
    }
    Ok(known)
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

/// The invitation (status invited, no account yet) sent to `email` in `org_id`.
pub fn find_invited(conn: &Connection, org_id: &str, email: &str) -> Result<Option<BwMember>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM bw_memberships WHERE organization_id = ?1 AND email = ?2
                 AND user_id IS NULL"
            ),
            params![org_id, email.trim().to_lowercase()],
            from_row,
        )
        .optional()?)
}
