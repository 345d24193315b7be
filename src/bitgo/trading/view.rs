//! Wire shapes of orders and trades (decimal strings, as the trading API sends them).

use serde_json::{json, Value};

use crate::bitgo::views::iso;
use crate::domain::money::{self, format_decimal};
use crate::service::trading::{self, Product};
use crate::store::orders::{FillRow, OrderRow};

fn usd() -> money::Asset {
    money::ASSETS[0]
}

/// An order as the trading API shows it.
pub fn order_json(o: &OrderRow) -> Value {
    let p = trading::product(&o.product).ok().flatten();
    let base = |n: i64| p.map_or_else(|| n.to_string(), |p| format_decimal(n, p.base));
    let average = (o.filled_quantity > 0 && p.is_some()).then(|| {
        let p = p.unwrap_or(Product {
            base: usd(),
            quote: usd(),
        });
        let cents = i128::from(o.filled_quote) * 10i128.pow(p.base.decimals)
            / i128::from(o.filled_quantity);
        format_decimal(i64::try_from(cents).unwrap_or(i64::MAX), usd())
    });
    json!({
        "id": o.id,
        "accountId": o.account_id,
        "enterpriseId": o.enterprise_id,
        "initiatedByUserId": o.user_id,
        "canceledByUserId": o.canceled_by,
        "clientOrderId": o.client_order_id,
        "time": iso(o.created_at),
        "creationDate": iso(o.created_at),
        "scheduledDate": Value::Null,
        "lastFillDate": (o.filled_quantity > 0).then(|| o.completed_at.map(iso)).flatten(),
        "completionDate": o.completed_at.map(iso),
        "settleDate": (o.status == "completed").then(|| o.completed_at.map(iso)).flatten(),
        "fundingType": "funded",
        "type": o.order_type,
        "timeInForce": if o.order_type == "limit" { "GTC" } else { "FOK" },
        "status": o.status,
        "reason": Value::Null,
        "reasonDescription": Value::Null,
        "product": o.product,
        "side": o.side,
        "quantity": o.quantity,
        "quantityCurrency": o.quantity_currency,
        "filledQuantity": base(o.filled_quantity),
        "filledQuoteQuantity": format_decimal(o.filled_quote, usd()),
        "leavesQuantity": base(o.base_quantity - o.filled_quantity),
        "leavesQuoteQuantity": "0",
        "averagePrice": average,
        "limitPrice": o.limit_price_cents.map(|c| format_decimal(c, usd())),
        "duration": Value::Null,
        "twapInterval": Value::Null,
        "rtId": Value::Null,
        "notes": Value::Null,
    })
}

/// A fill as the trading API's trade.
pub fn trade_json(f: &FillRow) -> Value {
    let p = trading::product(&f.product).ok().flatten();
    json!({
        "id": f.id,
        "orderId": f.order_id,
        "accountId": f.account_id,
        "enterpriseId": f.enterprise_id,
        "time": iso(f.created_at),
        "creationDate": iso(f.created_at),
        "product": f.product,
        "side": f.side,
        "price": format_decimal(f.price_cents, usd()),
        "quantity": p.map_or_else(|| f.quantity.to_string(), |p| format_decimal(f.quantity, p.base)),
        "quoteQuantity": format_decimal(f.quote_quantity, usd()),
        "fundingType": "funded",
        "settled": true,
        "settleDate": iso(f.created_at),
    })
}
