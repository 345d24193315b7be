//! Withdrawal builds (the payload to sign, spent once) and transfers (what moved, listed on
//! the wallet and the enterprise).

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::Result;

/// A built withdrawal waiting for its signed send.
#[derive(Debug, Clone)]
pub struct BuildRow {
    /// The payload's nonce (unique).
    pub nonce: String,
    /// Source wallet.
    pub wallet_id: String,
    /// Asset id.
    pub asset: String,
    /// Base units.
    pub amount: i64,
    /// Recipient.
    pub address: String,
    /// The exact payload string returned by `tx/build`.
    pub payload: String,
    /// Who built it.
    pub created_by: String,
    /// Build time, ms.
    pub created_at: i64,
    /// After this (ms) it can no longer be sent.
    pub expires_at: i64,
    /// When it was sent, if it was.
    pub sent_at: Option<i64>,
}

/// Stores a build.
pub fn insert_build(conn: &Connection, b: &BuildRow) -> Result<()> {
    conn.execute(
        "INSERT INTO tx_builds (nonce, wallet_id, asset, amount, address, payload, created_by,
           created_at, expires_at, sent_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
        params![
            b.nonce,
            b.wallet_id,
            b.asset,
            b.amount,
            b.address,
            b.payload,
            b.created_by,
            b.created_at,
            b.expires_at,
            b.sent_at
        ],
    )?;
    Ok(())
}

/// A build by nonce.
pub fn find_build(conn: &Connection, nonce: &str) -> Result<Option<BuildRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT nonce, wallet_id, asset, amount, address, payload, created_by, created_at,
               expires_at, sent_at FROM tx_builds WHERE nonce = ?1",
        )?
        .query_row([nonce], |r| {
            Ok(BuildRow {
                nonce: r.get(0)?,
                wallet_id: r.get(1)?,
                asset: r.get(2)?,
                amount: r.get(3)?,
                address: r.get(4)?,
                payload: r.get(5)?,
                created_by: r.get(6)?,
                created_at: r.get(7)?,
                expires_at: r.get(8)?,
                sent_at: r.get(9)?,
            })
        })
        .optional()?)
}

/// Marks a build sent; `false` when it already was (so a payload is spent once).
pub fn mark_sent(conn: &Connection, nonce: &str, now_ms: i64) -> Result<bool> {
    let n = conn.execute(
        "UPDATE tx_builds SET sent_at = ?2 WHERE nonce = ?1 AND sent_at IS NULL",
        params![nonce, now_ms],
    )?;
    Ok(n == 1)
}

/// A transfer: one side (send or receive) of a movement of money.
#[derive(Debug, Clone)]
pub struct TransferRow {
    /// 32-hex id.
    pub id: String,
    /// The wallet whose side this is.
    pub wallet_id: String,
    /// That wallet's enterprise.
    pub enterprise_id: String,
    /// Asset id.
    pub asset: String,
    /// `send` or `receive`.
    pub direction: String,
    /// Base units (positive).
    pub amount: i64,
    /// The other side's address (a wallet id for book transfers).
    pub address: String,
    /// `BOOK_TRANSFER`, `WITHDRAWAL` or `DEPOSIT`.
    pub transaction_type: String,
    /// `signed`, `confirmed`, `pendingApproval`, `rejected`.
    pub state: String,
    /// When an outside withdrawal settles (sandbox clock, ms).
    pub settle_at: Option<i64>,
    /// The pending approval holding it, if any.
    pub pending_approval_id: Option<String>,
    /// Who initiated it.
    pub created_by: Option<String>,
    /// Transaction id (shared by both sides of a book transfer).
    pub txid: String,
    /// Creation time, ms.
    pub created_at: i64,
}

const COLUMNS: &str = "id, wallet_id, enterprise_id, asset, direction, amount, address, \
    transaction_type, state, settle_at, pending_approval_id, created_by, txid, created_at";

fn transfer_from(r: &Row<'_>) -> rusqlite::Result<TransferRow> {
    Ok(TransferRow {
        id: r.get(0)?,
        wallet_id: r.get(1)?,
        enterprise_id: r.get(2)?,
        asset: r.get(3)?,
        direction: r.get(4)?,
        amount: r.get(5)?,
        address: r.get(6)?,
        transaction_type: r.get(7)?,
        state: r.get(8)?,
        settle_at: r.get(9)?,
        pending_approval_id: r.get(10)?,
        created_by: r.get(11)?,
        txid: r.get(12)?,
        created_at: r.get(13)?,
    })
}

/// Stores a transfer.
pub fn insert(conn: &Connection, t: &TransferRow) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO transfers ({COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"
    ))?
    .execute(params![
        t.id,
        t.wallet_id,
        t.enterprise_id,
        t.asset,
        t.direction,
        t.amount,
        t.address,
        t.transaction_type,
        t.state,
        t.settle_at,
        t.pending_approval_id,
        t.created_by,
        t.txid,
        t.created_at
    ])?;
    Ok(())
}

/// A transfer by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<TransferRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM transfers WHERE id = ?1"))?
        .query_row([id], transfer_from)
        .optional()?)
}

/// The transfer of `wallet_id` with transaction id `txid`, if any.
pub fn find_by_txid(conn: &Connection, wallet_id: &str, txid: &str) -> Result<Option<TransferRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM transfers WHERE wallet_id = ?1 AND txid = ?2"
        ))?
        .query_row([wallet_id, txid], transfer_from)
        .optional()?)
}

/// The transfer a pending approval holds, if any.
pub fn find_by_approval(conn: &Connection, approval_id: &str) -> Result<Option<TransferRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM transfers WHERE pending_approval_id = ?1"
        ))?
        .query_row([approval_id], transfer_from)
        .optional()?)
}

/// Sets a transfer's state (and settle time).
pub fn set_state(conn: &Connection, id: &str, state: &str, settle_at: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE transfers SET state = ?2, settle_at = ?3 WHERE id = ?1",
        params![id, state, settle_at],
    )?;
    Ok(())
}

/// Transfers of a wallet (`by = "wallet_id"`) or an enterprise (`"enterprise_id"`), newest
/// first, before `prev_id` when given, at most `limit`.
pub fn list(
    conn: &Connection,
    wallet_id: Option<&str>,
    enterprise_id: Option<&str>,
    prev_id: Option<&str>,
    limit: usize,
) -> Result<Vec<TransferRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM transfers
         WHERE (?1 IS NULL OR wallet_id = ?1) AND (?2 IS NULL OR enterprise_id = ?2)
           AND (?3 IS NULL OR id < ?3)
         ORDER BY id DESC LIMIT ?4"
    ))?;
    let rows = stmt
        .query_map(
            params![wallet_id, enterprise_id, prev_id, limit as i64],
            transfer_from,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The total sent from `wallet_id` in `asset` since `since_ms` (velocity checks), counting
/// everything not rejected; summed in 128 bits (SQLite's `sum()` fails on overflow) and
/// capped at `i64::MAX`, which exceeds any limit.
pub fn sent_since(conn: &Connection, wallet_id: &str, asset: &str, since_ms: i64) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT amount FROM transfers WHERE wallet_id = ?1 AND asset = ?2
           AND direction = 'send' AND state != 'rejected' AND created_at >= ?3",
    )?;
    let mut total = 0i128;
    for amount in stmt.query_map(params![wallet_id, asset, since_ms], |r| r.get::<_, i64>(0))? {
        total += i128::from(amount?);
    }
    Ok(i64::try_from(total).unwrap_or(i64::MAX))
}
