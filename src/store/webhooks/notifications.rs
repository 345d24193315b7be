//! Webhook notifications: written beside the state change they report, picked by the worker
//! pool one webhook at a time in (event_at, seq) order, and every delivery attempt recorded.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::Result;

/// A notification about to be stored.
#[derive(Debug, Clone, Default)]
pub struct NewNotification {
    /// 32-hex id.
    pub id: String,
    /// The webhook it goes to.
    pub webhook_id: String,
    /// BitGo's webhook type.
    pub webhook_type: String,
    /// The state change it reports; one notification per webhook and key.
    pub event_key: String,
    /// The wallet it concerns, if any.
    pub wallet_id: Option<String>,
    /// The enterprise it concerns, if any.
    pub enterprise_id: Option<String>,
    /// The organization it concerns, if any.
    pub organization_id: Option<String>,
    /// Its coin, if any.
    pub coin: Option<String>,
    /// The transfer it reports, if any.
    pub transfer_id: Option<String>,
    /// The pending approval it reports, if any.
    pub pending_approval_id: Option<String>,
    /// A transaction hash, if any.
    pub hash: Option<String>,
    /// The body to deliver.
    pub payload: String,
    /// A signature already fixed (a retrigger's).
    pub signature: Option<String>,
    /// Made by a simulate call.
    pub simulation: bool,
    /// The notification it resends, for a retrigger.
    pub retrigger_of: Option<String>,
    /// When the event happens (sandbox clock, ms): not delivered before.
    pub event_at: i64,
    /// Written at, ms.
    pub created_at: i64,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRow {
    /// Order of writing.
    pub seq: i64,
    /// 32-hex id.
    pub id: String,
    /// Its webhook.
    pub webhook_id: String,
    /// BitGo's type.
    pub webhook_type: String,
    /// The state change it reports.
    pub event_key: String,
    /// The wallet, if any.
    pub wallet_id: Option<String>,
    /// The enterprise, if any.
    pub enterprise_id: Option<String>,
    /// The organization, if any.
    pub organization_id: Option<String>,
    /// The coin, if any.
    pub coin: Option<String>,
    /// The transfer, if any.
    pub transfer_id: Option<String>,
    /// The pending approval, if any.
    pub pending_approval_id: Option<String>,
    /// A transaction hash, if any.
    pub hash: Option<String>,
    /// The exact body delivered.
    pub payload: String,
    /// Fixed at the first attempt; `Some("")`: sent unsigned.
    pub signature: Option<String>,
    /// Made by a simulate call.
    pub simulation: bool,
    /// The notification it resends.
    pub retrigger_of: Option<String>,
    /// `pending`, `processed` or `failed`.
    pub state: String,
    /// When the event happens, ms.
    pub event_at: i64,
    /// When the next attempt is due, ms.
    pub next_attempt_at: i64,
    /// Attempts so far.
    pub attempts: i64,
    /// Written at, ms.
    pub created_at: i64,
    /// Last changed, ms.
    pub updated_at: i64,
}

const COLUMNS: &str = "seq, id, webhook_id, type, event_key, wallet_id, enterprise_id, \
    organization_id, coin, transfer_id, pending_approval_id, hash, payload, signature, simulation, \
    retrigger_of, state, event_at, next_attempt_at, attempts, created_at, updated_at";

fn notification_from(r: &Row<'_>) -> rusqlite::Result<NotificationRow> {
    Ok(NotificationRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        webhook_id: r.get(2)?,
        webhook_type: r.get(3)?,
        event_key: r.get(4)?,
        wallet_id: r.get(5)?,
        enterprise_id: r.get(6)?,
        organization_id: r.get(7)?,
        coin: r.get(8)?,
        transfer_id: r.get(9)?,
        pending_approval_id: r.get(10)?,
        hash: r.get(11)?,
        payload: r.get(12)?,
        signature: r.get(13)?,
        simulation: r.get(14)?,
        retrigger_of: r.get(15)?,
        state: r.get(16)?,
        event_at: r.get(17)?,
        next_attempt_at: r.get(18)?,
        attempts: r.get(19)?,
        created_at: r.get(20)?,
        updated_at: r.get(21)?,
    })
}

/// Stores a notification; `false` (nothing written) when its webhook already has one for the
/// same event, so a state change is reported to a webhook at most once.
pub fn insert(conn: &Connection, n: &NewNotification) -> Result<bool> {
    let written = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO webhook_notifications (id, webhook_id, type, event_key,
               wallet_id, enterprise_id, organization_id, coin, transfer_id, pending_approval_id,
               hash, payload, signature, simulation, retrigger_of, state, event_at,
               next_attempt_at, attempts, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,'pending',?16,?16,0,?17,?17)",
        )?
        .execute(params![
            n.id,
            n.webhook_id,
            n.webhook_type,
            n.event_key,
            n.wallet_id,
            n.enterprise_id,
            n.organization_id,
            n.coin,
            n.transfer_id,
            n.pending_approval_id,
            n.hash,
            n.payload,
            n.signature,
            n.simulation,
            n.retrigger_of,
            n.event_at,
            n.created_at
        ])?;
    Ok(written == 1)
}

/// A notification by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<NotificationRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM webhook_notifications WHERE id = ?1"
        ))?
        .query_row([id], notification_from)
        .optional()?)
}

/// Which notifications a history page shows.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    /// Of this webhook.
    pub webhook_id: Option<String>,
    /// Of the webhooks of this wallet, enterprise or organization.
    pub owner_id: Option<String>,
    /// Of this wallet.
    pub wallet_id: Option<String>,
    /// With this transaction hash.
    pub hash: Option<String>,
    /// About this transfer.
    pub transfer_id: Option<String>,
    /// Of this type.
    pub webhook_type: Option<String>,
    /// In this state.
    pub state: Option<String>,
    /// Written before this one (its `seq`): the next page back.
    pub before_seq: Option<i64>,
}

/// The notifications `f` selects, newest first: at most `limit` after skipping `offset`.
pub fn history(
    conn: &Connection,
    f: &HistoryFilter,
    limit: usize,
    offset: usize,
) -> Result<Vec<NotificationRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM webhook_notifications
         WHERE (?1 IS NULL OR webhook_id = ?1) AND (?2 IS NULL OR wallet_id = ?2)
           AND (?3 IS NULL OR hash = ?3) AND (?4 IS NULL OR transfer_id = ?4)
           AND (?5 IS NULL OR type = ?5) AND (?6 IS NULL OR state = ?6)
           AND (?7 IS NULL OR seq < ?7)
           AND (?10 IS NULL OR webhook_id IN (SELECT id FROM webhooks WHERE owner_id = ?10))
         ORDER BY seq DESC LIMIT ?8 OFFSET ?9"
    ))?;
    let rows = stmt
        .query_map(
            params![
                f.webhook_id,
                f.wallet_id,
                f.hash,
                f.transfer_id,
                f.webhook_type,
                f.state,
                f.before_seq,
                limit as i64,
                offset as i64,
                f.owner_id
            ],
            notification_from,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many notifications there are in all (what a state change wrote is the difference).
pub fn count_all(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM webhook_notifications")?
        .query_row([], |r| r.get(0))?)
}

/// How many notifications of one webhook there are (for the v1 history's `total`).
pub fn count_for_webhook(conn: &Connection, webhook_id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM webhook_notifications WHERE webhook_id = ?1")?
        .query_row([webhook_id], |r| r.get(0))?)
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    /// 1 for the first.
    pub attempt: i64,
    /// When (sandbox clock), ms.
    pub at: i64,
    /// The answer's status; `None` when there was no answer.
    pub status: Option<i64>,
    /// How long it took, ms.
    pub latency_ms: i64,
    /// The start of the answer's body.
    pub response: Option<String>,
    /// What went wrong (timeout, refused, closed, a status that is not 2xx).
    pub error: Option<String>,
}

/// The attempts of a notification (its `seq`), first first.
pub fn attempts(conn: &Connection, seq: i64) -> Result<Vec<AttemptRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT attempt, at, status, latency_ms, response, error FROM webhook_attempts
         WHERE notification_seq = ?1 ORDER BY attempt",
    )?;
    let rows = stmt
        .query_map([seq], |r| {
            Ok(AttemptRow {
                attempt: r.get(0)?,
                at: r.get(1)?,
                status: r.get(2)?,
                latency_ms: r.get(3)?,
                response: r.get(4)?,
                error: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The webhooks that have notifications waiting.
pub fn webhooks_with_pending(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT webhook_id FROM webhook_notifications WHERE state = 'pending'",
    )?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The next notification of a webhook to deliver: its waiting one of least (event_at, seq).
/// Later ones wait behind it, so a webhook hears of events in order.
pub fn head_of(conn: &Connection, webhook_id: &str) -> Result<Option<NotificationRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM webhook_notifications
             WHERE webhook_id = ?1 AND state = 'pending' ORDER BY event_at, seq LIMIT 1"
        ))?
        .query_row([webhook_id], notification_from)
        .optional()?)
}

/// What an attempt leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered (a 2xx answer).
    Processed,
    /// Failed; try again at this time (sandbox clock, ms).
    RetryAt(i64),
    /// Failed for good.
    Failed,
}

/// Records attempt `a` of the notification (`seq`, `id`) and what it leads to, with the
/// signature it was sent with. `false` when the notification is gone (a reset or a snapshot
/// load replaced the data while it was in flight): nothing is written then.
pub fn record_attempt(
    conn: &Connection,
    seq: i64,
    id: &str,
    signature: &str,
    a: &AttemptRow,
    outcome: &Outcome,
) -> Result<bool> {
    let (state, next) = match outcome {
        Outcome::Processed => ("processed", a.at),
        Outcome::RetryAt(at) => ("pending", *at),
        Outcome::Failed => ("failed", a.at),
    };
    let updated = conn
        .prepare_cached(
            "UPDATE webhook_notifications SET state = ?3, next_attempt_at = ?4,
               attempts = attempts + 1, signature = COALESCE(signature, ?5), updated_at = ?6
             WHERE seq = ?1 AND id = ?2 AND state = 'pending'",
        )?
        .execute(params![seq, id, state, next, signature, a.at])?;
    if updated == 0 {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO webhook_attempts (notification_seq, attempt, at, status, latency_ms,
           response, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        seq,
        a.attempt,
        a.at,
        a.status,
        a.latency_ms,
        a.response,
        a.error
    ])?;
    Ok(true)
}

#[cfg(test)]
mod tests;
