//! The sandbox's matching: market orders fill at once at the configured USD price; limit
//! orders fill when that price crosses them (now, or later when the control plane moves
//! the price). A resting funded order holds its funds; a fill settles the hold (releasing
//! what the better price left over) and credits the other side. All inside the caller's
//! write transaction.

use rusqlite::Connection;

use crate::config::MoneyConfig;
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_uuid;
use crate::domain::ledger::EntryKind;
use crate::domain::money::{self, Asset, CustomerSide};
use crate::service::pricing::price_cents;
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
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::store::testing::temp_store;
    use crate::store::wallets::set_price_cents;
    use crate::store::Store;

    const ACCOUNTS: [&str; 3] = [
        "a0000000000000000000000000000000",
        "b0000000000000000000000000000000",
        "c0000000000000000000000000000000",
    ];

    /// Three funded trading accounts of one user and enterprise.
    fn funded_accounts(store: &Store) {
        store
            .write_blocking(|c| -> Result<_> {
                let (user, ent, key) = ("1".repeat(32), "2".repeat(32), "3".repeat(32));
                c.execute(
                    "INSERT INTO users (id, username, first_name, last_name, password_hash, created_at)
                     VALUES (?1, 'p@x.test', 'P', 'T', 'x', 0)",
                    [&user],
                )?;
                c.execute(
                    "INSERT INTO enterprises (id, name, created_at) VALUES (?1, 'e', 0)",
                    [&ent],
                )?;
                c.execute(
                    "INSERT INTO wallet_keys (id, coin, user_id, pub, source, key_type, created_at)
                     VALUES (?1, 'ofc', ?2, 'xpub', 'user', 'independent', 0)",
                    [&key, &user],
                )?;
                for id in ACCOUNTS {
                    c.execute(
                        "INSERT INTO wallets (id, coin, type, label, enterprise_id, user_key_id,
                         created_by, created_at) VALUES (?1, 'ofc', 'trading', 't', ?2, ?3, ?4, 0)",
                        [id, &ent, &key, &user],
                    )?;
                    for a in money::ASSETS {
                        ledger::post(c, id, a.id, EntryKind::Credit, 1 << 50, "faucet", 0)?;
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    /// An account's USD and `asset` holdings valued at `price`, in cents × 10^decimals (exact).
    fn value(store: &Store, account: &str, asset: Asset, price: i64) -> i128 {
        let account = account.to_string();
        let (usd, base) = store
            .write_blocking(move |c| -> Result<_> {
                let total = |a: &str| -> Result<i128> {
                    let b = ledger::balance(c, &account, a)?;
                    Ok(i128::from(b.available) + i128::from(b.held))
                };
                Ok((total("ofctusd")?, total(asset.id)?))
            })
            .unwrap();
        usd * 10i128.pow(asset.decimals) + base * i128::from(price)
    }

    /// A quantity from one base unit (dust) to about a thousand whole units, log-uniform.
    fn quantity(rng: &mut StdRng, asset: Asset) -> i64 {
        let digits = rng.random_range(0..=asset.decimals + 3);
        rng.random_range(1..=10i64.pow(digits))
    }

    fn order(
        account: &str,
        p: Product,
        side: &str,
        base_quantity: i64,
        limit: Option<i64>,
    ) -> OrderRow {
        let id = new_order_id();
        OrderRow {
            id: id.clone(),
            account_id: account.into(),
            enterprise_id: "2".repeat(32),
            user_id: "1".repeat(32),
            client_order_id: id,
            product: p.id(),
            side: side.into(),
            order_type: if limit.is_some() { "limit" } else { "market" }.into(),
            quantity: base_quantity.to_string(),
            quantity_currency: p.base.currency.into(),
            base_quantity,
            limit_price_cents: limit,
            status: "pending_open".into(),
            hold_asset: None,
            hold_amount: 0,
            filled_quantity: 0,
            filled_quote: 0,
            canceled_by: None,
            created_at: 0,
            completed_at: None,
        }
    }

    #[test]
    fn no_fill_ever_gives_an_account_value_from_rounding() {
        let (store, _dir) = temp_store();
        funded_accounts(&store);
        let config = MoneyConfig::default();
        let mut rng = StdRng::seed_from_u64(14);
        let all = products().unwrap();
        let (mut fills, mut rested, mut matched) = (0, 0, 0);
        for step in 0..1_500 {
            let p = all[rng.random_range(0..all.len())];
            let digits = rng.random_range(1..=9);
            let price: i64 = rng.random_range(1..=10i64.pow(digits));
            // A new price fills the resting orders it crosses: no account gains at that price.
            let before: Vec<i128> = ACCOUNTS
                .iter()
                .map(|a| value(&store, a, p.base, price))
                .collect();
            matched += store
                .write_blocking(|c| {
                    set_price_cents(c, p.base.id, price, step)?;
                    match_resting(c, &config, p.base, step)
                })
                .unwrap();
            for (a, was) in ACCOUNTS.iter().zip(&before) {
                assert!(
                    value(&store, a, p.base, price) <= *was,
                    "step {step}: matching at {price}"
                );
            }
            // A market or limit order of a random size and side.
            let account = ACCOUNTS[rng.random_range(0..ACCOUNTS.len())];
            let side = if rng.random_bool(0.5) { "buy" } else { "sell" };
            let limit = rng
                .random_bool(0.4)
                .then(|| (price + rng.random_range(-price / 2..=price / 2)).max(1));
            let mut o = order(account, p, side, quantity(&mut rng, p.base), limit);
            let was = value(&store, account, p.base, price);
            let done = store.write_blocking(|c| match limit {
                Some(l) if !money::limit_crosses(side, l, price) => rest(c, &mut o, p, l, step),
                _ => fill(c, &mut o, p, price, step),
            });
            let now = value(&store, account, p.base, price);
            assert!(
                now <= was,
                "step {step}: {o:?} at {price} gained {}",
                now - was
            );
            if done.is_ok() && o.status == "completed" {
                // Rounding costs the customer less than one cent.
                assert!(
                    was - now < 10i128.pow(p.base.decimals),
                    "step {step}: {o:?}"
                );
                fills += 1;
            } else if done.is_ok() {
                rested += 1;
            }
        }
        assert!(
            fills > 300 && rested > 100 && matched > 50,
            "{fills} {rested} {matched}"
        );
    }
}
