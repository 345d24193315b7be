//! The sandbox's matching: market orders fill at once at the configured USD price; limit
//! orders fill when that price crosses them (now, or later when the control plane moves
//! the price). A resting funded order holds its funds; a fill settles the hold (releasing
//! what the better price left over) and credits the other side. All inside the caller's
//! write transaction.

pub mod account;

use rusqlite::Connection;

use crate::config::MoneyConfig;
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_uuid;
use crate::domain::ledger::EntryKind;
use crate::domain::money::{self, Asset, CustomerSide};
use crate::service::pricing::price_cents;
use crate::service::webhooks;
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

/// A new order id (UUID, as BitGo's are).
pub fn new_order_id() -> String {
    new_uuid()
}

/// The USD side of a trade of `base_quantity` on `side` (`buy`/`sell`) at `price`: a buyer
/// pays it rounded up, a seller receives it rounded down, so no fill creates money.
fn quote_of(base_quantity: i64, p: Product, price: i64, side: &str) -> Result<i64> {
    let customer = match side {
        "buy" => CustomerSide::Pays,
        _ => CustomerSide::Receives,
    };
    let q = money::trade_usd_cents(base_quantity, p.base, price, customer);
    i64::try_from(q).map_err(|_| Error::Invalid("the order is too large".into()))
}

/// Refuses a new order worth less than one cent at `price`. Checked when an order is placed
/// (at its limit when it rests), not when a resting one fills: a crossed sell is then worth
/// at least its limit, and a crossed buy pays at least a cent.
fn worth_a_cent(base_quantity: i64, p: Product, price: i64) -> Result<()> {
    if money::trade_usd_cents(base_quantity, p.base, price, CustomerSide::Receives) < 1 {
        return Err(Error::Invalid(
            "the order is worth less than 0.01 USD".into(),
        ));
    }
    Ok(())
}

/// Fills `o` completely at `price` (USD cents per whole unit).
pub fn fill(
    conn: &Connection,
    o: &mut OrderRow,
    p: Product,
    price: i64,
    now_ms: i64,
) -> Result<()> {
    if o.hold_amount == 0 {
        worth_a_cent(o.base_quantity, p, price)?;
    }
    let quote = quote_of(o.base_quantity, p, price, &o.side)?;
    let (give, give_amount, get, get_amount) = match o.side.as_str() {
        "buy" => (p.quote.id, quote, p.base.id, o.base_quantity),
        _ => (p.base.id, o.base_quantity, p.quote.id, quote),
    };
    pay(conn, o, give, give_amount, now_ms)?;
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
    webhooks::report_trade(conn, o, now_ms)?;
    orders::insert_fill(
        conn,
        &FillRow {
            id: new_uuid(),
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

/// Takes `amount` of `asset` from the order's account for a fill: a resting order settles its
/// hold (a crossed limit never costs more than its limit; any rest of the cost is debited)
/// and releases what the better price left over; a new order is debited.
fn pay(conn: &Connection, o: &OrderRow, asset: &str, amount: i64, now_ms: i64) -> Result<()> {
    let post = |kind: EntryKind, value: i64| {
        ledger::post(conn, &o.account_id, asset, kind, value, &o.id, now_ms)
    };
    if o.hold_amount == 0 {
        post(EntryKind::Debit, amount)?;
        return Ok(());
    }
    let settle = amount.min(o.hold_amount);
    post(EntryKind::Settle, settle)?;
    if amount > settle {
        post(EntryKind::Debit, amount - settle)?;
    }
    if o.hold_amount > settle {
        post(EntryKind::Release, o.hold_amount - settle)?;
    }
    Ok(())
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
    worth_a_cent(o.base_quantity, p, limit)?;
    let (asset, amount) = match o.side.as_str() {
        "buy" => (p.quote.id, quote_of(o.base_quantity, p, limit, "buy")?),
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
    orders::save(conn, o)?;
    webhooks::report_trade(conn, o, now_ms)
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

/// Sets `asset`'s price to `cents` and fills the resting orders it crosses; returns how many
/// orders filled.
pub fn set_price(
    conn: &Connection,
    config: &MoneyConfig,
    asset: Asset,
    cents: i64,
    now_ms: i64,
) -> Result<usize> {
    crate::store::wallets::set_price_cents(conn, asset.id, cents, now_ms)?;
    match_resting(conn, config, asset, now_ms)
}

#[cfg(test)]
mod tests;
