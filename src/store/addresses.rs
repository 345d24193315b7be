//! Deposit addresses of Go Accounts.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::Result;

/// A deposit address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRow {
    /// 32-hex id.
    pub id: String,
    /// Its Go Account.
    pub wallet_id: String,
    /// The asset it receives (`ofctbtc`).
    pub asset: String,
    /// The address.
    pub address: String,
    /// BitGo's chain.
    pub chain: i64,
    /// Its index on the chain (from 1; 0 is the wallet's receive address).
    pub index: i64,
    /// Its label.
    pub label: Option<String>,
    /// Who created it.
    pub created_by: Option<String>,
    /// When, ms.
    pub created_at: i64,
}

const COLUMNS: &str = "id, wallet_id, asset, address, chain, idx, label, created_by, created_at";

fn address_from(r: &Row<'_>) -> rusqlite::Result<AddressRow> {
    Ok(AddressRow {
        id: r.get(0)?,
        wallet_id: r.get(1)?,
        asset: r.get(2)?,
        address: r.get(3)?,
        chain: r.get(4)?,
        index: r.get(5)?,
        label: r.get(6)?,
        created_by: r.get(7)?,
        created_at: r.get(8)?,
    })
}

/// The next free index on `chain` of `wallet_id` (1 for the first).
pub fn next_index(conn: &Connection, wallet_id: &str, chain: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(MAX(idx), 0) + 1 FROM wallet_addresses WHERE wallet_id = ?1 AND chain = ?2",
        )?
        .query_row(params![wallet_id, chain], |r| r.get(0))?)
}

/// Stores an address.
pub fn insert(conn: &Connection, a: &AddressRow) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO wallet_addresses ({COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
    ))?
    .execute(params![
        a.id,
        a.wallet_id,
        a.asset,
        a.address,
        a.chain,
        a.index,
        a.label,
        a.created_by,
        a.created_at
    ])?;
    Ok(())
}

/// An address of `wallet_id` by its id or its address string.
pub fn find(conn: &Connection, wallet_id: &str, address_or_id: &str) -> Result<Option<AddressRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM wallet_addresses
             WHERE wallet_id = ?1 AND (id = lower(?2) OR address = ?2)"
        ))?
        .query_row(params![wallet_id, address_or_id], address_from)
        .optional()?)
}

/// The addresses of `wallet_id` (of `asset` when given), oldest first, after `skip`, at most
/// `limit`.
pub fn list(
    conn: &Connection,
    wallet_id: &str,
    asset: Option<&str>,
    skip: usize,
    limit: usize,
) -> Result<Vec<AddressRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM wallet_addresses WHERE wallet_id = ?1 AND (?2 IS NULL OR asset = ?2)
         ORDER BY created_at, chain, idx LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(
            params![wallet_id, asset, limit as i64, skip as i64],
            address_from,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many addresses `wallet_id` has (of `asset` when given).
pub fn count(conn: &Connection, wallet_id: &str, asset: Option<&str>) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM wallet_addresses WHERE wallet_id = ?1 AND (?2 IS NULL OR asset = ?2)",
        )?
        .query_row(params![wallet_id, asset], |r| r.get(0))?)
}
