//! Pending approvals and the admins' resolutions of them. One table for every kind of
//! approval (`kind` = BitGo's `info.type`): user changes now, transactions later.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use crate::domain::approval::{ApprovalState, Decision, Resolution};
use crate::domain::error::{Error, Result};

/// A stored pending approval.
#[derive(Debug, Clone)]
pub struct ApprovalRow {
    /// 32-hex id.
    pub id: String,
    /// The enterprise it belongs to, if any.
    pub enterprise_id: Option<String>,
    /// The organization it belongs to, if any.
    pub organization_id: Option<String>,
    /// The wallet it belongs to, if any.
    pub wallet_id: Option<String>,
    /// The coin, for wallet approvals.
    pub coin: Option<String>,
    /// Who asked for the change.
    pub creator_id: String,
    /// `enterprise` | `wallet` | `organization` | `global` | `safe`.
    pub scope: String,
    /// BitGo's `info.type`.
    pub kind: String,
    /// The public `info` object.
    pub info: Value,
    /// What approving it does (engine-internal).
    pub change: Value,
    /// Current state.
    pub state: ApprovalState,
    /// Distinct approvals needed.
    pub approvals_required: u32,
    /// Users who see it.
    pub user_ids: Vec<String>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Last change, ms.
    pub updated_at: i64,
    /// When it was approved or rejected, ms.
    pub resolved_at: Option<i64>,
}

impl ApprovalRow {
    /// A new approval in state `pending` needing one approval, belonging to nothing yet (set
    /// `enterprise_id`, `organization_id`, `wallet_id` and `coin` as the kind needs).
    pub fn pending(
        kind: &str,
        scope: &str,
        creator_id: &str,
        info: Value,
        change: Value,
        user_ids: Vec<String>,
        now_ms: i64,
    ) -> ApprovalRow {
        ApprovalRow {
            id: crate::domain::ids::new_id(now_ms),
            enterprise_id: None,
            organization_id: None,
            wallet_id: None,
            coin: None,
            creator_id: creator_id.to_string(),
            scope: scope.to_string(),
            kind: kind.to_string(),
            info,
            change,
            state: ApprovalState::Pending,
            approvals_required: 1,
            user_ids,
            created_at: now_ms,
            updated_at: now_ms,
            resolved_at: None,
        }
    }
}

const COLUMNS: &str =
    "a.id, a.enterprise_id, a.organization_id, a.wallet_id, a.coin, a.creator_id, \
    a.scope, a.kind, a.info, a.change, a.state, a.approvals_required, a.user_ids, a.created_at, \
    a.updated_at, a.resolved_at";

type Raw = (ApprovalRow, String, String, String, String);

fn from_row(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        ApprovalRow {
            id: r.get(0)?,
            enterprise_id: r.get(1)?,
            organization_id: r.get(2)?,
            wallet_id: r.get(3)?,
            coin: r.get(4)?,
            creator_id: r.get(5)?,
            scope: r.get(6)?,
            kind: r.get(7)?,
            info: Value::Null,
            change: Value::Null,
            state: ApprovalState::Pending,
            approvals_required: r.get(11)?,
            user_ids: Vec::new(),
            created_at: r.get(13)?,
            updated_at: r.get(14)?,
            resolved_at: r.get(15)?,
        },
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(12)?,
    ))
}

fn finish((mut row, info, change, state, user_ids): Raw) -> Result<ApprovalRow> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        Error::Internal(format!("stored approval {} {what}: {e}", row.id))
    };
    row.info = serde_json::from_str(&info).map_err(|e| bad("info", &e))?;
    row.change = serde_json::from_str(&change).map_err(|e| bad("change", &e))?;
    row.user_ids = serde_json::from_str(&user_ids).map_err(|e| bad("userIds", &e))?;
    row.state = ApprovalState::parse(&state).ok_or_else(|| bad("state", &state))?;
    Ok(row)
}

fn json(v: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

/// Inserts a pending approval.
pub fn insert(conn: &Connection, a: &ApprovalRow) -> Result<()> {
    conn.execute(
        "INSERT INTO pending_approvals (id, enterprise_id, organization_id, wallet_id, coin,
           creator_id, scope, kind, info, change, state, approvals_required, user_ids,
           created_at, updated_at, resolved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            a.id,
            a.enterprise_id,
            a.organization_id,
            a.wallet_id,
            a.coin,
            a.creator_id,
            a.scope,
            a.kind,
            json(&a.info)?,
            json(&a.change)?,
            a.state.as_str(),
            a.approvals_required,
            json(&a.user_ids)?,
            a.created_at,
            a.updated_at,
            a.resolved_at
        ],
    )?;
    Ok(())
}

/// The approval with `id`.
pub fn find_by_id(conn: &Connection, id: &str) -> Result<Option<ApprovalRow>> {
    let sql = format!("SELECT {COLUMNS} FROM pending_approvals a WHERE a.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .map(finish)
        .transpose()
}

/// The resolutions recorded on an approval, oldest first.
pub fn resolutions(conn: &Connection, approval_id: &str) -> Result<Vec<Resolution>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, action, created_at FROM pending_approval_resolutions
         WHERE approval_id = ?1 ORDER BY created_at, rowid",
    )?;
    let rows = stmt
        .query_map([approval_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(user_id, action, at_ms)| {
            let decision = Decision::from_action(&action)
                .ok_or_else(|| Error::Internal(format!("stored resolution action {action:?}")))?;
            Ok(Resolution {
                user_id,
                decision,
                at_ms,
            })
        })
        .collect()
}

/// Records one admin's decision (at most one per admin: the primary key refuses a second).
pub fn add_resolution(
    conn: &Connection,
    approval_id: &str,
    user_id: &str,
    decision: Decision,
    now_ms: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO pending_approval_resolutions (approval_id, user_id, action, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![approval_id, user_id, decision.as_action(), now_ms],
    )?;
    Ok(())
}

/// Moves an approval to `state`; a closed state also records `resolved_at`.
pub fn set_state(conn: &Connection, id: &str, state: ApprovalState, now_ms: i64) -> Result<()> {
    let resolved = (!state.is_open()).then_some(now_ms);
    conn.execute(
        "UPDATE pending_approvals SET state = ?2, updated_at = ?3,
           resolved_at = COALESCE(resolved_at, ?4) WHERE id = ?1",
        params![id, state.as_str(), now_ms, resolved],
    )?;
    Ok(())
}

/// What a list asks for. Empty vectors mean "any".
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only approvals this user may see: listed in `userIds`, or a member of the enterprise.
    pub viewer: String,
    /// Only these enterprises.
    pub enterprise_ids: Vec<String>,
    /// Only this organization (its own approvals and its enterprises').
    pub organization_id: Option<String>,
    /// Only this wallet.
    pub wallet_id: Option<String>,
    /// Only this coin (approvals without a coin always match).
    pub coin: Option<String>,
    /// Only these states.
    pub states: Vec<ApprovalState>,
    /// Only this `info.type`.
    pub kinds: Vec<String>,
    /// Only approvals older than this one (paging).
    pub before_id: Option<String>,
    /// Page size.
    pub limit: usize,
}

/// A page of approvals matching `f`, newest first.
pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<ApprovalRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pending_approvals a
         WHERE (EXISTS (SELECT 1 FROM json_each(a.user_ids) WHERE value = ?1)
                OR EXISTS (SELECT 1 FROM enterprise_members m
                           WHERE m.enterprise_id = a.enterprise_id AND m.user_id = ?1))
           AND (?2 = '[]' OR a.enterprise_id IN (SELECT value FROM json_each(?2)))
           AND (?3 IS NULL OR a.organization_id = ?3
                OR a.enterprise_id IN (SELECT id FROM enterprises WHERE organization_id = ?3))
           AND (?4 IS NULL OR a.wallet_id = ?4)
           AND (?5 IS NULL OR a.coin IS NULL OR a.coin = ?5)
           AND (?6 = '[]' OR a.state IN (SELECT value FROM json_each(?6)))
           AND (?7 = '[]' OR a.kind IN (SELECT value FROM json_each(?7)))
           AND (?8 IS NULL OR (a.created_at, a.id) <
                (SELECT created_at, id FROM pending_approvals WHERE id = ?8))
         ORDER BY a.created_at DESC, a.id DESC LIMIT ?9"
    );
    let states: Vec<&str> = f.states.iter().map(|s| s.as_str()).collect();
    let limit = i64::try_from(f.limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            f.viewer,
            json(&f.enterprise_ids)?,
            f.organization_id,
            f.wallet_id,
            f.coin,
            json(&states)?,
            json(&f.kinds)?,
            f.before_id,
            limit
        ],
        from_row,
    )?;
    rows.map(|r| finish(r?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::temp_store;
    use crate::store::users::{self, UserRow};
    use serde_json::json;

    fn approval(id: char, creator: &str, at: i64) -> ApprovalRow {
        ApprovalRow {
            id: id.to_string().repeat(32),
            enterprise_id: None,
            organization_id: None,
            wallet_id: None,
            coin: None,
            creator_id: creator.into(),
            scope: "enterprise".into(),
            kind: "updateEnterpriseRequest".into(),
            info: json!({"type": "updateEnterpriseRequest"}),
            change: json!({"action": "noop"}),
            state: ApprovalState::Pending,
            approvals_required: 1,
            user_ids: vec![creator.into()],
            created_at: at,
            updated_at: at,
            resolved_at: None,
        }
    }

    #[test]
    fn insert_list_page_resolve_and_close() {
        let (store, _dir) = temp_store();
        let u = "1".repeat(32);
        store
            .write_blocking(|c| -> Result<_> {
                users::insert(
                    c,
                    &UserRow {
                        id: u.clone(),
                        username: "u@x.test".into(),
                        first_name: "U".into(),
                        last_name: "X".into(),
                        password_hash: "x".into(),
                        country: "USA".into(),
                        timezone: "UTC".into(),
                        is_active: true,
                        created_at: 0,
                        last_login_at: None,
                    },
                )?;
                for (i, id) in ['a', 'b', 'c'].into_iter().enumerate() {
                    insert(c, &approval(id, &u, i as i64))?;
                }
                let filter = ListFilter {
                    viewer: u.clone(),
                    limit: 2,
                    ..Default::default()
                };
                let page = list(c, &filter)?;
                assert_eq!(page[0].id, "c".repeat(32));
                assert_eq!(page.len(), 2);
                let rest = list(
                    c,
                    &ListFilter {
                        before_id: Some(page[1].id.clone()),
                        ..filter.clone()
                    },
                )?;
                assert_eq!(rest.len(), 1);
                assert_eq!(rest[0].id, "a".repeat(32));
                let stranger = list(
                    c,
                    &ListFilter {
                        viewer: "2".repeat(32),
                        ..filter.clone()
                    },
                )?;
                assert!(stranger.is_empty());

                let a = "a".repeat(32);
                add_resolution(c, &a, &u, Decision::Approve, 5)?;
                assert!(add_resolution(c, &a, &u, Decision::Reject, 6).is_err());
                assert_eq!(resolutions(c, &a)?.len(), 1);
                set_state(c, &a, ApprovalState::Approved, 7)?;
                let closed = find_by_id(c, &a)?.unwrap();
                assert_eq!(closed.state, ApprovalState::Approved);
                assert_eq!(closed.resolved_at, Some(7));
                let open = list(
                    c,
                    &ListFilter {
                        states: vec![ApprovalState::Pending],
                        limit: 10,
                        ..filter
                    },
                )?;
                assert_eq!(open.len(), 2);
                Ok(())
            })
            .unwrap();
    }
}
