//! The sandbox's matching: market orders fill at once at the configured USD price; limit
//! orders fill when that price crosses them (now, or later when the control plane moves
//! the price). A resting funded order holds its funds; a fill settles the hold (releasing
//! what the better price left over) and credits the other side. All inside the caller's
//! write transaction.

use rusqlite::Connection;

use crate::bitgo::transfers::price_cents;
use crate::config::MoneyConfig;
use crate::domain::ledger::EntryKind;
use crate::domain::money::{self, Asset};
use crate::error::{Error, Result};
use crate::store::ledger;
use crate::store::orders::{self, FillRow, OrderRow};

/// A tradable pair: a Go Account asset against USD.
#[derive(Debug, Clone, Copy)]
pub struct Product {
    /// The asset bought or sold.
    pub base: Asset,
    /// USD (`ofctusd`).
    pub quote: Asset,
}

impl Product {
    /// `BTC-USD`.
    pub fn id(&self) -> String {
        format!("{}-{}", self.base.currency, self.quote.currency)
    }
}

fn usd() -> Result<Asset> {
    money::asset("ofctusd")
}

/// Every product: each non-fiat asset against USD.
pub fn products() -> Result<Vec<Product>> {
    let quote = usd()?;
    Ok(money::ASSETS
        .iter()
        .filter(|a| !a.fiat)
        .map(|&base| Product { base, quote })
        .collect())
}

/// The product named `id` (`BTC-USD`, any case), if traded.
pub fn product(id: &str) -> Result<Option<Product>> {
    Ok(products()?
        .into_iter()
        .find(|p| p.id().eq_ignore_ascii_case(id)))
}

fn uuid() -> String {
    let h = crate::domain::ids::new_id(0);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// A new order id (UUID, as BitGo's are).
pub fn new_order_id() -> String {
    uuid()
}

fn quote_of(base_quantity: i64, p: Product, price: i64) -> Result<i64> {
    let q = money::usd_cents(base_quantity, p.base, price);
    match i64::try_from(q) {
        Ok(q) if q > 0 => Ok(q),
        Ok(_) => Err(Error::Invalid(
            "the order is worth less than 0.01 USD".into(),
        )),
        Err(_) => Err(Error::Invalid("the order is too large".into())),
    }
}

/// Fills `o` completely at `price` (USD cents per whole unit).
pub fn fill(
    conn: &Connection,
    o: &mut OrderRow,
    p: Product,
    price: i64,
    now_ms: i64,
) -> Result<()> {
    let quote = quote_of(o.base_quantity, p, price)?;
    let (give, give_amount, get, get_amount) = match o.side.as_str() {
        "buy" => (p.quote.id, quote, p.base.id, o.base_quantity),
        _ => (p.base.id, o.base_quantity, p.quote.id, quote),
    };
    if o.hold_amount > 0 {
        // Resting: the hold covers it (a crossed limit never costs more than its limit).
        let settle = give_amount.min(o.hold_amount);
        ledger::post(
            conn,
            &o.account_id,
            give,
            EntryKind::Settle,
            settle,
            &o.id,
            now_ms,
        )?;
        if give_amount > settle {
            ledger::post(
                conn,
                &o.account_id,
                give,
                EntryKind::Debit,
                give_amount - settle,
                &o.id,
                now_ms,
            )?;
        }
        if o.hold_amount > settle {
            ledger::post(
                conn,
                &o.account_id,
                give,
                EntryKind::Release,
                o.hold_amount - settle,
                &o.id,
                now_ms,
            )?;
        }
    } else {
        ledger::post(
            conn,
            &o.account_id,
            give,
            EntryKind::Debit,
            give_amount,
            &o.id,
            now_ms,
        )?;
    }
    ledger::post(
        conn,
        &o.account_id,
        get,
        EntryKind::Credit,
        get_amount,
        &o.id,
        now_ms,
    )?;
    o.status = "completed".into();
    o.hold_amount = 0;
    o.filled_quantity = o.base_quantity;
    o.filled_quote = quote;
    o.completed_at = Some(now_ms);
    orders::save(conn, o)?;
    orders::insert_fill(
        conn,
        &FillRow {
            id: uuid(),
            order_id: o.id.clone(),
            account_id: o.account_id.clone(),
            enterprise_id: o.enterprise_id.clone(),
            product: o.product.clone(),
            side: o.side.clone(),
            price_cents: price,
            quantity: o.base_quantity,
            quote_quantity: quote,
            created_at: now_ms,
        },
    )
}

/// Rests a limit order: holds what it may spend (a buy: quantity × limit in USD; a sell:
/// the quantity) and leaves it `open`.
pub fn rest(
    conn: &Connection,
    o: &mut OrderRow,
    p: Product,
    limit: i64,
    now_ms: i64,
) -> Result<()> {
    let (asset, amount) = match o.side.as_str() {
        "buy" => (p.quote.id, quote_of(o.base_quantity, p, limit)?),
        _ => (p.base.id, o.base_quantity),
    };
    ledger::post(
        conn,
        &o.account_id,
        asset,
        EntryKind::Hold,
        amount,
        &o.id,
        now_ms,
    )?;
    o.status = "open".into();
    o.hold_asset = Some(asset.into());
    o.hold_amount = amount;
    orders::save(conn, o)
}

/// Cancels an open order, releasing its hold.
pub fn cancel(conn: &Connection, o: &mut OrderRow, by: &str, now_ms: i64) -> Result<()> {
    if let (Some(asset), true) = (o.hold_asset.clone(), o.hold_amount > 0) {
        ledger::post(
            conn,
            &o.account_id,
            &asset,
            EntryKind::Release,
            o.hold_amount,
            &o.id,
            now_ms,
        )?;
    }
    o.status = "canceled".into();
    o.hold_amount = 0;
    o.canceled_by = Some(by.to_string());
    o.completed_at = Some(now_ms);
    orders::save(conn, o)
}

/// Fills every open limit order on the products of `asset` that its current price crosses;
/// returns how many filled. Called when a price changes.
pub fn match_resting(
    conn: &Connection,
    config: &MoneyConfig,
    asset: Asset,
    now_ms: i64,
) -> Result<usize> {
    let mut filled = 0;
    for p in products()?.into_iter().filter(|p| p.base.id == asset.id) {
        let price = price_cents(conn, config, p.base)?;
        for mut o in orders::open_on(conn, &p.id())? {
            let Some(limit) = o.limit_price_cents else {
                continue;
            };
            if money::limit_crosses(&o.side, limit, price) {
                fill(conn, &mut o, p, price, now_ms)?;
                filled += 1;
            }
        }
    }
    Ok(filled)
}
