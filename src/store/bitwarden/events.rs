//! The organization event log: one row per event, dated on the sandbox clock, read newest
//! first in pages whose continuation token is the last row's sequence number.

use rusqlite::{params, Connection, Row};

use crate::domain::error::Result;

/// One event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BwEvent {
    /// Insertion order (the continuation token's unit).
    pub seq: i64,
    /// Organization.
    pub organization_id: String,
    /// `EventType` number.
    pub event_type: i64,
    /// The member's account, if any.
    pub user_id: Option<String>,
    /// The membership the event is about.
    pub organization_user_id: Option<String>,
    /// The collection it is about.
    pub collection_id: Option<String>,
    /// The group it is about.
    pub group_id: Option<String>,
    /// The policy it is about.
    pub policy_id: Option<String>,
    /// Who did it (none when the organization API key did).
    pub acting_user_id: Option<String>,
    /// The acting client's `DeviceType`.
    pub device_type: Option<i64>,
    /// The acting client's address.
    pub ip_address: Option<String>,
    /// `EventSystemUser` when a system (the Public API) did it.
    pub system_user: Option<i64>,
    /// ms.
    pub date: i64,
}

const COLUMNS: &str = "seq, organization_id, type, user_id, organization_user_id, collection_id,
    group_id, policy_id, acting_user_id, device_type, ip_address, system_user, date";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BwEvent> {
    Ok(BwEvent {
        seq: r.get(0)?,
        organization_id: r.get(1)?,
        event_type: r.get(2)?,
        user_id: r.get(3)?,
        organization_user_id: r.get(4)?,
        collection_id: r.get(5)?,
        group_id: r.get(6)?,
        policy_id: r.get(7)?,
        acting_user_id: r.get(8)?,
        device_type: r.get(9)?,
        ip_address: r.get(10)?,
        system_user: r.get(11)?,
        date: r.get(12)?,
    })
}

/// Records an event (its `seq` is assigned).
pub fn insert(conn: &Connection, e: &BwEvent) -> Result<()> {
    conn.execute(
        "INSERT INTO bw_events (organization_id, type, user_id, organization_user_id,
         collection_id, group_id, policy_id, acting_user_id, device_type, ip_address,
         system_user, date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            e.organization_id,
            e.event_type,
            e.user_id,
            e.organization_user_id,
            e.collection_id,
            e.group_id,
            e.policy_id,
            e.acting_user_id,
            e.device_type,
            e.ip_address,
            e.system_user,
            e.date
        ],
    )?;
    Ok(())
}

/// What a log query asks for.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Organization.
    pub organization_id: String,
    /// From, ms (inclusive).
    pub start: i64,
    /// Until, ms (inclusive).
    pub end: i64,
    /// Only events this user did.
    pub acting_user_id: Option<String>,
    /// Continue below this sequence number.
    pub before_seq: Option<i64>,
    /// Page size.
    pub limit: usize,
}

/// One page of events, newest first, and the continuation token of the next (if any).
pub fn page(conn: &Connection, q: &EventQuery) -> Result<(Vec<BwEvent>, Option<i64>)> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM bw_events WHERE organization_id = ?1 AND date >= ?2 AND date <= ?3
         AND (?4 IS NULL OR acting_user_id = ?4) AND (?5 IS NULL OR seq < ?5)
         ORDER BY seq DESC LIMIT ?6"
    ))?;
    let limit = i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1);
    let rows = stmt.query_map(
        params![
            q.organization_id,
            q.start,
            q.end,
            q.acting_user_id,
            q.before_seq,
            limit
        ],
        from_row,
    )?;
    let mut events: Vec<BwEvent> = rows.collect::<rusqlite::Result<_>>()?;
    let next = if events.len() > q.limit {
        events.truncate(q.limit);
        events.last().map(|e| e.seq)
    } else {
        None
    };
    Ok((events, next))
}
