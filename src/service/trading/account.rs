//! What a trading account's holder does: place and cancel an order, inside the caller's one write: each
//! asks `domain::policy::may_transact` first; a child enterprise trades only once its KYC is
//! approved. A refusal is an `Err` and writes nothing.

use rusqlite::Connection;

use crate::config::MoneyConfig;
use crate::domain::error::Error;
use crate::domain::money;
use crate::domain::policy::MoneyAction;
use crate::service::access::{self, Caller, WalletAccess};
use crate::service::pricing::price_cents;
use crate::service::trading::{self, Product};
use crate::store::orders::{self, OrderRow};
use crate::store::tokens::TokenRow;

/// An order as the caller asked for it, its fields checked.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// What is traded.
    pub product: Product,
    /// `buy` or `sell`.
    pub side: String,
    /// `market` or `limit`.
    pub order_type: String,
    /// The quantity as given (a decimal in `quantity_currency`).
    pub quantity: String,
    /// The product's base or quote currency code.
    pub quantity_currency: String,
    /// A limit order's limit, USD cents per whole unit.
    pub limit_cents: Option<i64>,
    /// The caller's id for the order, unique per account (the order id when absent).
    pub client_order_id: Option<String>,
}

/// Who places or cancels an order, and when.
#[derive(Debug, Clone, Copy)]
pub struct Trader<'a> {
    /// The trading account (a Go Account id, as the route named it).
    pub account_id: &'a str,
    /// The caller's user id.
    pub user_id: &'a str,
    /// The token the request authenticated with.
    pub token: &'a TokenRow,
    /// The sandbox's now, ms.
    pub now_ms: i64,
}

/// Why an order was refused: the trading refusals the engine error does not name, or the
/// engine error itself.
#[derive(Debug)]
pub enum OrderRefusal {
    /// The child enterprise's KYC is in this state, not `approved`.
    KycNotApproved(String),
    /// The account already has an order with this `clientOrderId`.
    ClientOrderIdInUse,
    /// The quantity buys no base unit at this price.
    BuysNothing,
    /// The order is in this state and cannot be cancelled.
    NotCancelable(String),
    /// Any other refusal.
    Engine(Error),
}

impl From<Error> for OrderRefusal {
    fn from(e: Error) -> Self {
        OrderRefusal::Engine(e)
    }
}

/// Places `n`: a market order (or a limit its price crosses) fills now, another limit order
/// rests holding its funds. The caller's spending counts what the order commits, at the worse
/// of its limit and the price.
pub fn place(
    conn: &Connection,
    who: &Trader<'_>,
    n: &NewOrder,
    config: &MoneyConfig,
) -> Result<OrderRow, OrderRefusal> {
    let now = who.now_ms;
    let a = access::load(conn, who.account_id, who.user_id)?;
    let token = access::current_token(conn, who.token)?;
    let caller = Caller::new(&token, now, false);
    a.may_transact(&caller, MoneyAction::PlaceOrder)?;
    if a.is_child() && a.enterprise.kyc_state != "approved" {
        return Err(OrderRefusal::KycNotApproved(a.enterprise.kyc_state));
    }
    let id = trading::new_order_id();
    let client_order_id = n.client_order_id.clone().unwrap_or_else(|| id.clone());
    if orders::client_id_taken(conn, &a.wallet.id, &client_order_id)? {
        return Err(OrderRefusal::ClientOrderIdInUse);
    }
    let price = price_cents(conn, config, n.product.base)?;
    let base_quantity = base_quantity(n, price)?;
    // What the order commits, at the worse of its limit and the price.
    let at = n.limit_cents.map_or(price, |l| l.max(price));
    let value = money::usd_cents(base_quantity, n.product.base, at);
    access::charge(conn, &token, caller.unlocked, value)?;
    let mut o = new_row(&a, who, n, id, client_order_id, base_quantity);
    match n.limit_cents {
        Some(limit) if !money::limit_crosses(&n.side, limit, price) => {
            trading::rest(conn, &mut o, n.product, limit, now)?
        }
        _ => trading::fill(conn, &mut o, n.product, price, now)?,
    }
    Ok(o)
}

/// The base units `n` asks for: its quantity, or what its quote quantity buys at its limit
/// (or at `price`); refused when that is nothing.
fn base_quantity(n: &NewOrder, price: i64) -> Result<i64, OrderRefusal> {
    let qty_asset = if n.quantity_currency == n.product.base.currency {
        n.product.base
    } else {
        n.product.quote
    };
    let qty = money::parse_decimal(&n.quantity, qty_asset, "quantity")?;
    let base_quantity = if qty_asset.id == n.product.base.id {
        qty
    } else {
        let at = n.limit_cents.unwrap_or(price);
        i64::try_from(money::base_for_quote(qty, n.product.base, at)).unwrap_or(0)
    };
    if base_quantity <= 0 {
        return Err(OrderRefusal::BuysNothing);
    }
    Ok(base_quantity)
}

fn new_row(
    a: &WalletAccess,
    who: &Trader<'_>,
    n: &NewOrder,
    id: String,
    client_order_id: String,
    base_quantity: i64,
) -> OrderRow {
    OrderRow {
        id,
        account_id: a.wallet.id.clone(),
        enterprise_id: a.enterprise.id.clone(),
        user_id: who.user_id.to_string(),
        client_order_id,
        product: n.product.id(),
        side: n.side.clone(),
        order_type: n.order_type.clone(),
        quantity: n.quantity.clone(),
        quantity_currency: n.quantity_currency.clone(),
        base_quantity,
        limit_price_cents: n.limit_cents,
        status: "pending_open".into(),
        hold_asset: None,
        hold_amount: 0,
        filled_quantity: 0,
        filled_quote: 0,
        canceled_by: None,
        created_at: who.now_ms,
        completed_at: None,
    }
}

/// Cancels open order `order_id` of the account, releasing its hold; a finished one cannot be.
pub fn cancel(
    conn: &Connection,
    who: &Trader<'_>,
    order_id: &str,
) -> Result<OrderRow, OrderRefusal> {
    let a = access::load(conn, who.account_id, who.user_id)?;
    a.may_transact(
        &Caller::new(who.token, who.now_ms, false),
        MoneyAction::CancelOrder,
    )?;
    let mut o = orders::find(conn, &a.wallet.id, order_id)?
        .ok_or_else(|| Error::NotFound(format!("order {order_id} not found")))?;
    if o.status != "open" {
        return Err(OrderRefusal::NotCancelable(o.status));
    }
    trading::cancel(conn, &mut o, who.user_id, who.now_ms)?;
    Ok(o)
}
