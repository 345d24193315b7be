//! The ledger: one row per movement of money, and the running balance written in the same
//! transaction (call [`post`] only inside `Store::write`). The balance row's CHECKs (never
//! below zero) back the domain's check, so no code path can overdraw.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::error::{Error, Result};
use crate::domain::ledger::{Balance, EntryKind};

/// The balance of `asset` in `wallet_id` (zero when it never moved).
pub fn balance(conn: &Connection, wallet_id: &str, asset: &str) -> Result<Balance> {
    Ok(conn
        .prepare_cached(
            "SELECT available, held FROM wallet_balances WHERE wallet_id = ?1 AND asset = ?2",
        )?
        .query_row([wallet_id, asset], |r| {
            Ok(Balance {
                available: r.get(0)?,
                held: r.get(1)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    /// Order of posting.
    pub seq: i64,
    /// Asset id.
    pub asset: String,
    /// `credit`, `debit`, `hold` or `release`.
    pub kind: String,
    /// Base units.
    pub amount: i64,
    /// What it belongs to (a transfer, order or approval id).
    pub reference: String,
    /// When, ms.
    pub created_at: i64,
}

/// Every ledger row of `wallet_id`, oldest first.
pub fn entries(conn: &Connection, wallet_id: &str) -> Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, asset, kind, amount, reference, created_at FROM ledger_entries
         WHERE wallet_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([wallet_id], |r| {
            Ok(EntryRow {
                seq: r.get(0)?,
                asset: r.get(1)?,
                kind: r.get(2)?,
                amount: r.get(3)?,
                reference: r.get(4)?,
                created_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every asset's balance in `wallet_id`, by asset id.
pub fn balances(conn: &Connection, wallet_id: &str) -> Result<Vec<(String, Balance)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT asset, available, held FROM wallet_balances WHERE wallet_id = ?1 ORDER BY asset",
    )?;
    let rows = stmt
        .query_map([wallet_id], |r| {
            Ok((
                r.get(0)?,
                Balance {
                    available: r.get(1)?,
                    held: r.get(2)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Writes one ledger row and the balance it leads to; refuses (writing nothing) a row that
/// would overdraw. Returns the new balance.
pub fn post(
    conn: &Connection,
    wallet_id: &str,
    asset: &str,
    kind: EntryKind,
    amount: i64,
    reference: &str,
    now_ms: i64,
) -> Result<Balance> {
    let next = balance(conn, wallet_id, asset)?.apply(kind, amount)?;
    conn.prepare_cached(
        "INSERT INTO wallet_balances (wallet_id, asset, available, held) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (wallet_id, asset) DO UPDATE SET available = ?3, held = ?4",
    )?
    .execute(params![wallet_id, asset, next.available, next.held])?;
    conn.prepare_cached(
        "INSERT INTO ledger_entries (wallet_id, asset, kind, amount, reference, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        wallet_id,
        asset,
        kind.as_str(),
        amount,
        reference,
        now_ms
    ])?;
    Ok(next)
}

/// The balance recomputed from the rows alone (for invariant checks: it must equal
/// [`balance`]). Summed in 128 bits: SQLite's `sum()` fails on an intermediate overflow,
/// which a long ledger of large amounts can reach even when every balance fits.
pub fn sum_of_rows(conn: &Connection, wallet_id: &str, asset: &str) -> Result<Balance> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, amount FROM ledger_entries WHERE wallet_id = ?1 AND asset = ?2",
    )?;
    let rows = stmt.query_map([wallet_id, asset], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let (mut available, mut held) = (0i128, 0i128);
    for row in rows {
        let (kind, amount) = row?;
        let amount = i128::from(amount);
        match kind.as_str() {
            "credit" => available += amount,
            "debit" => available -= amount,
            "hold" => (available, held) = (available - amount, held + amount),
            "release" => (available, held) = (available + amount, held - amount),
            "settle" => held -= amount,
            other => return Err(Error::Internal(format!("stored ledger kind {other:?}"))),
        }
    }
    let fit = |v: i128| {
        i64::try_from(v)
            .map_err(|_| Error::Internal(format!("the ledger of {wallet_id} sums beyond i64")))
    };
    Ok(Balance {
        available: fit(available)?,
        held: fit(held)?,
    })
}
