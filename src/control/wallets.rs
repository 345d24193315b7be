//! Money on the control plane: `POST /sandbox/wallets/{id}/faucet {asset, amount}` credits a
//! Go Account (a ledger row like any deposit, confirmed `[money] settle_after_seconds` later), `GET /sandbox/wallets/{id}/ledger` shows its
//! rows and balances, and `PUT /sandbox/prices/{asset} {usd}` sets a USD price (filling the
//! resting limit orders it crosses).

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::control::body;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::domain::money;
use crate::service::{deposits, trading};
use crate::store::{ledger, wallets};

#[derive(Deserialize)]
struct Faucet {
    asset: String,
    amount: Value,
}

/// `POST /sandbox/wallets/{id}/faucet {asset, amount}` (amount in base units, string or
/// number): `{transferId, asset, balance: {available, held}}`.
pub async fn faucet(
    access: Admin,
    id: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let wallet_id = id.into_inner().to_ascii_lowercase();
    let request: Faucet = body::json(&body)?;
    let asset = money::asset(&request.asset)?;
    let amount = match &request.amount {
        Value::String(s) => money::parse_amount(s, "amount")?,
        Value::Number(n) => money::parse_amount(&n.to_string(), "amount")?,
        _ => return Err(Error::Invalid("amount must be base units".into()).into()),
    };
    let now = access.sandbox.clock.now_ms();
    let confirm_after = access.state.money.settle_after_seconds.saturating_mul(1000);
    let (transfer_id, balance) = access
        .sandbox
        .store
        .write(move |c| deposits::faucet(c, &wallet_id, asset, amount, now, confirm_after))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "transferId": transfer_id,
        "asset": asset.id,
        "balance": {"available": balance.available.to_string(), "held": balance.held.to_string()},
    })))
}

/// `GET /sandbox/wallets/{id}/ledger`: every row, oldest first, and each balance beside the
/// sum of its rows (they are always equal).
pub async fn show_ledger(
    access: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let wallet_id = id.into_inner().to_ascii_lowercase();
    let doc = access
        .sandbox
        .store
        .read(move |c| {
            wallets::find(c, &wallet_id)?
                .ok_or_else(|| Error::NotFound(format!("wallet {wallet_id} not found")))?;
            let rows: Vec<Value> = ledger::entries(c, &wallet_id)?
                .into_iter()
                .map(|e| {
                    json!({
                        "seq": e.seq, "asset": e.asset, "kind": e.kind,
                        "amount": e.amount.to_string(), "reference": e.reference,
                        "createdAt": e.created_at,
                    })
                })
                .collect();
            let mut balances = Vec::new();
            for (asset, b) in ledger::balances(c, &wallet_id)? {
                let sum = ledger::sum_of_rows(c, &wallet_id, &asset)?;
                balances.push(json!({
                    "asset": asset, "available": b.available.to_string(), "held": b.held.to_string(),
                    "sumOfRows": {"available": sum.available.to_string(), "held": sum.held.to_string()},
                }));
            }
            Ok(json!({"entries": rows, "balances": balances}))
        })
        .await?;
    Ok(HttpResponse::Ok().json(doc))
}

#[derive(Deserialize)]
struct Price {
    usd: Value,
}

/// `PUT /sandbox/prices/{asset} {usd: "60000.00"}`: the USD price per whole unit used for
/// video-approval thresholds and trading in this sandbox.
pub async fn set_price(
    access: Admin,
    asset: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let asset = money::asset(&asset.into_inner())?;
    let request: Price = body::json(&body)?;
    let raw = match &request.usd {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err(Error::Invalid("usd must be a decimal string".into()).into()),
    };
    let cents = money::parse_price_cents(&raw)?;
    let now = access.sandbox.clock.now_ms();
    let config = access.state.money.clone();
    let filled = access
        .sandbox
        .store
        .write(move |c| trading::set_price(c, &config, asset, cents, now))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "asset": asset.id,
        "usd": money::format_decimal(cents, money::asset("ofctusd")?),
        "filledOrders": filled,
    })))
}
