//! Trading orders and their fills.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::error::Result;

/// A stored order.
#[derive(Debug, Clone)]
pub struct OrderRow {
    /// UUID.
    pub id: String,
    /// The Go Account (trading account) id.
    pub account_id: String,
    /// Its enterprise.
    pub enterprise_id: String,
    /// Who placed it.
    pub user_id: String,
    /// The client's id for it (unique per account).
    pub client_order_id: String,
    /// `BTC-USD`.
    pub product: String,
    /// `buy` | `sell`.
    pub side: String,
    /// `market` | `limit`.
    pub order_type: String,
    /// The quantity as sent (decimal string).
    pub quantity: String,
    /// Its currency (`BTC` or `USD`).
    pub quantity_currency: String,
    /// Base units of the base asset.
    pub base_quantity: i64,
    /// Limit price, USD cents per whole unit.
    pub limit_price_cents: Option<i64>,
    /// `open`, `completed`, `canceled`.
    pub status: String,
    /// The asset held while open.
    pub hold_asset: Option<String>,
    /// Base units held while open.
    pub hold_amount: i64,
    /// Base units of the base asset filled.
    pub filled_quantity: i64,
    /// USD cents exchanged.
    pub filled_quote: i64,
    /// Who cancelled it.
    pub canceled_by: Option<String>,
    /// Creation time, ms.
    pub created_at: i64,
    /// Fill or cancel time, ms.
    pub completed_at: Option<i64>,
}

const COLUMNS: &str = "id, account_id, enterprise_id, user_id, client_order_id, product, side, type, \
    quantity, quantity_currency, base_quantity, limit_price_cents, status, hold_asset, hold_amount, \
    filled_quantity, filled_quote, canceled_by, created_at, completed_at";

fn order_from(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
    Ok(OrderRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        enterprise_id: r.get(2)?,
        user_id: r.get(3)?,
        client_order_id: r.get(4)?,
        product: r.get(5)?,
        side: r.get(6)?,
        order_type: r.get(7)?,
        quantity: r.get(8)?,
        quantity_currency: r.get(9)?,
        base_quantity: r.get(10)?,
        limit_price_cents: r.get(11)?,
        status: r.get(12)?,
        hold_asset: r.get(13)?,
        hold_amount: r.get(14)?,
        filled_quantity: r.get(15)?,
        filled_quote: r.get(16)?,
        canceled_by: r.get(17)?,
        created_at: r.get(18)?,
        completed_at: r.get(19)?,
    })
}

/// Stores an order (or replaces it: fills and cancels rewrite the row).
pub fn save(conn: &Connection, o: &OrderRow) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO trade_orders ({COLUMNS})
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)"
    ))?
    .execute(params![
        o.id,
        o.account_id,
        o.enterprise_id,
        o.user_id,
        o.client_order_id,
        o.product,
        o.side,
        o.order_type,
        o.quantity,
        o.quantity_currency,
        o.base_quantity,
        o.limit_price_cents,
        o.status,
        o.hold_asset,
        o.hold_amount,
        o.filled_quantity,
        o.filled_quote,
        o.canceled_by,
        o.created_at,
        o.completed_at
    ])?;
    Ok(())
}

/// Whether `client_order_id` is already used on the account.
pub fn client_id_taken(conn: &Connection, account_id: &str, client_order_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM trade_orders WHERE account_id = ?1 AND client_order_id = ?2",
        )?
        .query_row([account_id, client_order_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// An order of an account by id.
pub fn find(conn: &Connection, account_id: &str, id: &str) -> Result<Option<OrderRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM trade_orders WHERE account_id = ?1 AND id = ?2"
        ))?
        .query_row([account_id, id], order_from)
        .optional()?)
}

/// An account's orders, newest first, optionally of one status or client id.
pub fn list(
    conn: &Connection,
    account_id: &str,
    status: Option<&str>,
    client_order_id: Option<&str>,
    offset: usize,
    limit: usize,
) -> Result<Vec<OrderRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM trade_orders WHERE account_id = ?1
           AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR client_order_id = ?3)
         ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5"
    ))?;
    let rows = stmt
        .query_map(
            params![
                account_id,
                status,
                client_order_id,
                limit as i64,
                offset as i64
            ],
            order_from,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Open orders on `product`, oldest first (they fill in time order).
pub fn open_on(conn: &Connection, product: &str) -> Result<Vec<OrderRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM trade_orders WHERE product = ?1 AND status = 'open'
         ORDER BY created_at, id"
    ))?;
    let rows = stmt
        .query_map([product], order_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A fill of an order.
#[derive(Debug, Clone)]
pub struct FillRow {
    /// UUID.
    pub id: String,
    /// The order.
    pub order_id: String,
    /// The account.
    pub account_id: String,
    /// Its enterprise.
    pub enterprise_id: String,
    /// Product.
    pub product: String,
    /// Side.
    pub side: String,
    /// USD cents per whole unit.
    pub price_cents: i64,
    /// Base units of the base asset.
    pub quantity: i64,
    /// USD cents.
    pub quote_quantity: i64,
    /// Time, ms.
    pub created_at: i64,
}

/// Stores a fill.
pub fn insert_fill(conn: &Connection, f: &FillRow) -> Result<()> {
    conn.execute(
        "INSERT INTO trade_fills (id, order_id, account_id, enterprise_id, product, side,
           price_cents, quantity, quote_quantity, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
        params![
            f.id, f.order_id, f.account_id, f.enterprise_id, f.product, f.side, f.price_cents,
            f.quantity, f.quote_quantity, f.created_at
        ],
    )?;
    Ok(())
}

/// An account's fills, newest first, optionally of one order.
pub fn fills(
    conn: &Connection,
    account_id: &str,
    order_id: Option<&str>,
    limit: usize,
) -> Result<Vec<FillRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, order_id, account_id, enterprise_id, product, side, price_cents, quantity,
           quote_quantity, created_at FROM trade_fills
         WHERE account_id = ?1 AND (?2 IS NULL OR order_id = ?2 OR id = ?2)
         ORDER BY created_at DESC, id DESC LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![account_id, order_id, limit as i64], |r| {
            Ok(FillRow {
                id: r.get(0)?,
                order_id: r.get(1)?,
                account_id: r.get(2)?,
                enterprise_id: r.get(3)?,
                product: r.get(4)?,
                side: r.get(5)?,
                price_cents: r.get(6)?,
                quantity: r.get(7)?,
                quote_quantity: r.get(8)?,
                created_at: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
