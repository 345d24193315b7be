//! Orders and trades of a trading account. Placing and cancelling ask
//! `domain::policy::may_transact(Trade)` first, inside the write; a child enterprise trades
//! only once its KYC is approved.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::trading::authed::TradingAuthed;
use crate::bitgo::trading::error::TradingError;
use crate::bitgo::trading::view::{order_json, trade_json};
use crate::bitgo::wallets::path_param;
use crate::domain::error::{Error, Result};
use crate::domain::money;
use crate::domain::policy::{self, MoneyAction};
use crate::domain::scope::Scope;
use crate::service::access::{self, Caller};
use crate::service::trading::account::{self, NewOrder, Trader};
use crate::service::trading::{self, Product};
use crate::store::orders::{self, OrderRow};

/// The fields of a place-order body.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    /// A text field (a number is taken as its text).
    fn text(&self, f: &'static str) -> Result<Option<String>, TradingError> {
        match self.0.get(f) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(TradingError::invalid(f, format!("{f} must be a string"))),
        }
    }

    fn required(&self, f: &'static str) -> Result<String, TradingError> {
        self.text(f)?.ok_or_else(|| {
            TradingError::new(
                StatusCode::BAD_REQUEST,
                "backend:common:required",
                format!("{f} is required"),
                Some(f),
            )
        })
    }
}

fn parse_order(body: &Map<String, Value>) -> Result<NewOrder, TradingError> {
    let fields = Fields(body);
    let product_name = fields.required("product")?;
    let product = trading::product(&product_name)?.ok_or_else(|| {
        TradingError::new(
            StatusCode::BAD_REQUEST,
            "backend:trade:unsupportedProduct",
            format!("product {product_name} is not traded"),
            Some("product"),
        )
    })?;
    let (side, order_type) = parse_kind(&fields)?;
    let quantity = fields.required("quantity")?;
    let quantity_currency = parse_quantity_currency(&fields, product, &side)?;
    let limit_cents = parse_limit(&fields, &order_type)?;
    let client_order_id = fields.text("clientOrderId")?;
    if client_order_id
        .as_ref()
        .is_some_and(|c| c.is_empty() || c.len() > 64)
    {
        return Err(TradingError::new(
            StatusCode::BAD_REQUEST,
            "backend:trade:invalidClientOrderID",
            "clientOrderId must be 1 to 64 characters",
            Some("clientOrderId"),
        ));
    }
    Ok(NewOrder {
        product,
        side,
        order_type,
        quantity,
        quantity_currency,
        limit_cents,
        client_order_id,
    })
}

/// `side`, `type` and `fundingType`: a funded market or limit buy or sell.
fn parse_kind(fields: &Fields<'_>) -> Result<(String, String), TradingError> {
    let side = fields.required("side")?;
    if side != "buy" && side != "sell" {
        return Err(TradingError::invalid("side", "side must be buy or sell"));
    }
    let order_type = fields.required("type")?;
    if !["market", "limit"].contains(&order_type.as_str()) {
        return Err(TradingError::invalid(
            "type",
            "this sandbox fills market and limit orders",
        ));
    }
    if let Some(f) = fields.text("fundingType")? {
        if f == "margin" {
            return Err(TradingError::new(
                StatusCode::BAD_REQUEST,
                "backend:trade:productMarginTradingDisabled",
                "margin trading is not available in this sandbox",
                None,
            ));
        } else if f != "funded" {
            return Err(TradingError::invalid(
                "fundingType",
                "fundingType must be funded or margin",
            ));
        }
    }
    Ok((side, order_type))
}

/// `quantityCurrency`: the product's base (the default) or quote currency; a sell is in base.
fn parse_quantity_currency(
    fields: &Fields<'_>,
    product: Product,
    side: &str,
) -> Result<String, TradingError> {
    let quantity_currency = fields
        .text("quantityCurrency")?
        .unwrap_or_else(|| product.base.currency.to_string())
        .to_ascii_uppercase();
    if quantity_currency != product.base.currency && quantity_currency != product.quote.currency {
        return Err(TradingError::invalid(
            "quantityCurrency",
            format!(
                "quantityCurrency must be {} or {}",
                product.base.currency, product.quote.currency
            ),
        ));
    }
    if side == "sell" && quantity_currency != product.base.currency {
        return Err(TradingError::new(
            StatusCode::BAD_REQUEST,
            "backend:trade:invalidUserIntent",
            "sell orders must be placed in base quantity",
            None,
        ));
    }
    Ok(quantity_currency)
}

/// `limitPrice` in USD cents: required for a limit order.
fn parse_limit(fields: &Fields<'_>, order_type: &str) -> Result<Option<i64>, TradingError> {
    match (order_type, fields.text("limitPrice")?) {
        ("limit", None) => Err(TradingError::new(
            StatusCode::BAD_REQUEST,
            "backend:common:required",
            "limitPrice is required for a limit order",
            Some("limitPrice"),
        )),
        (_, Some(l)) => Ok(Some(money::parse_price_cents(&l).map_err(|e| {
            TradingError::new(
                StatusCode::BAD_REQUEST,
                "backend:trade:invalidLimitPrice",
                e.to_string(),
                Some("limitPrice"),
            )
        })?)),
        (_, None) => Ok(None),
    }
}

/// `POST /api/prime/trading/v1/accounts/{accountId}/orders`.
pub async fn place_order(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
) -> Result<HttpResponse, TradingError> {
    let account = path_param(&req, "accountId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let user = authed.principal.user_id().to_string();
    let token = authed.principal.token.clone();
    let now = authed.now_ms();
    let config = authed.call.state.money.clone();
    // The permission comes before any reading of the body's values.
    let (a, u, t) = (account.clone(), user.clone(), token.clone());
    authed
        .call
        .sandbox
        .store
        .read(move |c| {
            access::load(c, &a, &u)?
                .may_transact(&Caller::new(&t, now, false), MoneyAction::PlaceOrder)
        })
        .await?;
    // A KYC decision due on the sandbox clock is written now, so kycState is current.
    crate::service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
    let n = parse_order(&body)?;
    let order = authed
        .call
        .sandbox
        .store
        .write(move |c| -> Result<OrderRow, TradingError> {
            let who = Trader {
                account_id: &account,
                user_id: &user,
                token: &token,
                now_ms: now,
            };
            Ok(account::place(c, &who, &n, &config)?)
        })
        .await?;
    Ok(authed.reply(StatusCode::OK, &order_json(&order))?)
}

/// `GET /api/prime/trading/v1/accounts/{accountId}/orders?offset&limit&status&clientOrderId`.
pub async fn list_orders(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, TradingError> {
    policy::require_scope(&authed.principal.token.scope, Scope::TradeView)?;
    let account = path_param(&req, "accountId")?;
    let number = |k: &'static str, default: usize| -> Result<usize, TradingError> {
        match query.get(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 10_000)
                .ok_or_else(|| TradingError::invalid(k, format!("{k} must be a whole number"))),
        }
    };
    let (offset, limit) = (number("offset", 0)?, number("limit", 100)?.clamp(1, 1000));
    let status = query.get("status").cloned();
    let client = query.get("clientOrderId").cloned();
    let (user, scopes) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.scope.clone(),
    );
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &account, &user, &scopes)?;
            orders::list(
                c,
                &a.wallet.id,
                status.as_deref(),
                client.as_deref(),
                offset,
                limit,
            )
        })
        .await?;
    let data: Vec<Value> = rows.iter().map(order_json).collect();
    Ok(authed.reply(StatusCode::OK, &json!({ "data": data }))?)
}

/// `GET /api/prime/trading/v1/accounts/{accountId}/orders/{orderId}`.
pub async fn get_order(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
) -> Result<HttpResponse, TradingError> {
    policy::require_scope(&authed.principal.token.scope, Scope::TradeView)?;
    let account = path_param(&req, "accountId")?;
    let id = path_param(&req, "orderId")?;
    let (user, scopes) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.scope.clone(),
    );
    let o = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &account, &user, &scopes)?;
            orders::find(c, &a.wallet.id, &id)?
                .ok_or_else(|| Error::NotFound(format!("order {id} not found")))
        })
        .await?;
    Ok(authed.reply(StatusCode::OK, &order_json(&o))?)
}

/// `PUT /api/prime/trading/v1/accounts/{accountId}/orders/{orderId}/cancel`: an open order
/// is cancelled and its hold released; a finished one cannot be.
pub async fn cancel_order(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
) -> Result<HttpResponse, TradingError> {
    let account = path_param(&req, "accountId")?;
    let id = path_param(&req, "orderId")?;
    let (user, token) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.clone(),
    );
    let now = authed.now_ms();
    let o = authed
        .call
        .sandbox
        .store
        .write(move |c| -> Result<OrderRow, TradingError> {
            let who = Trader {
                account_id: &account,
                user_id: &user,
                token: &token,
                now_ms: now,
            };
            Ok(account::cancel(c, &who, &id)?)
        })
        .await?;
    Ok(authed.reply(StatusCode::OK, &order_json(&o))?)
}

/// `GET /api/prime/trading/v1/accounts/{accountId}/trades[?orderId]` and `/trades/{tradeId}`.
pub async fn list_trades(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, TradingError> {
    policy::require_scope(&authed.principal.token.scope, Scope::TradeView)?;
    let account = path_param(&req, "accountId")?;
    let one = req.match_info().get("tradeId").map(str::to_string);
    let filter = one.clone().or_else(|| query.get("orderId").cloned());
    let (user, scopes) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.scope.clone(),
    );
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &account, &user, &scopes)?;
            orders::fills(c, &a.wallet.id, filter.as_deref(), 1000)
        })
        .await?;
    if let Some(id) = one {
        let f = rows
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(|| Error::NotFound(format!("trade {id} not found")))?;
        return Ok(authed.reply(StatusCode::OK, &trade_json(f))?);
    }
    let data: Vec<Value> = rows.iter().map(trade_json).collect();
    Ok(authed.reply(StatusCode::OK, &json!({ "data": data }))?)
}
