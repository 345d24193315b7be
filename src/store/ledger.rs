//! The ledger: one row per movement of money, and the running balance written in the same
//! transaction (call [`post`] only inside `Store::write`). The balance row's CHECKs (never
//! below zero) back the domain's check, so no code path can overdraw.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::ledger::{Balance, EntryKind};
use crate::error::Result;

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
/// [`balance`]).
pub fn sum_of_rows(conn: &Connection, wallet_id: &str, asset: &str) -> Result<Balance> {
    Ok(conn.query_row(
        "SELECT
           coalesce(sum(CASE kind WHEN 'credit' THEN amount WHEN 'debit' THEN -amount
                                  WHEN 'hold' THEN -amount WHEN 'release' THEN amount ELSE 0 END), 0),
           coalesce(sum(CASE kind WHEN 'hold' THEN amount WHEN 'release' THEN -amount
                                  WHEN 'settle' THEN -amount ELSE 0 END), 0)
         FROM ledger_entries WHERE wallet_id = ?1 AND asset = ?2",
        [wallet_id, asset],
        |r| {
            Ok(Balance {
                available: r.get(0)?,
                held: r.get(1)?,
            })
        },
    )?)
}
