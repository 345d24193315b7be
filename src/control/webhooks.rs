//! Webhooks on the control plane: `POST /sandbox/webhooks/trigger {type, walletId |
//! enterpriseId | organizationId, asset?, amount?}` fires an event end to end; capture inboxes
//! a webhook may point at (`POST /sandbox/webhooks/inbox/{name}` receives, `GET` lists,
//! `DELETE` clears; `GET /sandbox/webhooks/inbox` lists them); `GET /sandbox/webhooks` shows
//! every webhook with its latest deliveries (the console's view); and `POST
//! /sandbox/wallets/{id}/deposit {address, amount, asset?}` makes money arrive at a deposit
//! address.
//!
//! An inbox receives without the admin key (a webhook delivery carries none; it only adds to a
//! bounded list) but passes the same-site rules; reading and clearing one needs the key.

use std::collections::{BTreeMap, HashMap};

use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::control::{site, Admin, ControlError};
use crate::domain::error::Error;
use crate::domain::money;
use crate::domain::time::{iso, Precision};
use crate::request::context::RequestContext;
use crate::request::json::parse_body;
use crate::sandbox::deliveries::inbox::Captured;
use crate::sandbox::Clock;
use crate::service::addresses;
use crate::service::webhooks::trigger::{self, Trigger};
use crate::store::webhooks::{self, notifications};

/// Registers the routes (inside the control plane's `/sandbox` scope).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/webhooks").route(web::get().to(list_webhooks)))
        .service(web::resource("/webhooks/trigger").route(web::post().to(fire)))
        .service(web::resource("/webhooks/inbox").route(web::get().to(list_inboxes)))
        .service(
            web::resource("/webhooks/inbox/{name}")
                .route(web::post().to(receive))
                .route(web::get().to(read_inbox))
                .route(web::delete().to(clear_inbox)),
        )
        .service(web::resource("/wallets/{id}/deposit").route(web::post().to(deposit)));
}

/// Base units given as a string or a number.
fn amount_of(v: Option<&Value>, default: i64) -> Result<i64, Error> {
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(Value::String(s)) => money::parse_amount(s, "amount"),
        Some(Value::Number(n)) => money::parse_amount(&n.to_string(), "amount"),
        Some(_) => Err(Error::Invalid("amount must be base units".into())),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TriggerBody {
    #[serde(rename = "type")]
    webhook_type: String,
    wallet_id: Option<String>,
    enterprise_id: Option<String>,
    organization_id: Option<String>,
    asset: Option<String>,
    amount: Option<Value>,
}

/// `POST /sandbox/webhooks/trigger`: `{type, notifications, transferId? | address?}`.
async fn fire(admin: Admin, body: Bytes) -> Result<HttpResponse, ControlError> {
    let b: TriggerBody = parse_body(&body)?;
    let lower = |s: Option<String>| s.map(|s| s.to_ascii_lowercase());
    let t = Trigger {
        webhook_type: b.webhook_type,
        wallet_id: lower(b.wallet_id),
        enterprise_id: lower(b.enterprise_id),
        organization_id: lower(b.organization_id),
        asset: money::asset(b.asset.as_deref().unwrap_or("ofctbtc"))?,
        amount: amount_of(b.amount.as_ref(), 100_000)?,
        confirm_after_ms: admin.state.money.settle_after_seconds.saturating_mul(1000),
        now_ms: admin.sandbox.clock.now_ms(),
    };
    let out = admin
        .sandbox
        .store
        .write(move |c| trigger::fire(c, &t))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepositBody {
    address: String,
    amount: Value,
    asset: Option<String>,
}

/// `POST /sandbox/wallets/{id}/deposit {address, amount, asset?}`: money arrives at one of the
/// wallet's deposit addresses, `unconfirmed` until `[money] settle_after_seconds` later.
async fn deposit(
    admin: Admin,
    id: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let wallet_id = id.into_inner().to_ascii_lowercase();
    let b: DepositBody = parse_body(&body)?;
    let amount = amount_of(Some(&b.amount), 0)?;
    let asset = b.asset.as_deref().map(money::asset).transpose()?;
    let now = admin.sandbox.clock.now_ms();
    let after = admin.state.money.settle_after_seconds.saturating_mul(1000);
    let t = admin
        .sandbox
        .store
        .write(move |c| addresses::deposit(c, &wallet_id, &b.address, asset, amount, now, after))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "transferId": t.id,
        "txid": t.txid,
        "wallet": t.wallet_id,
        "asset": t.asset,
        "amount": t.amount.to_string(),
        "address": t.address,
        "state": t.state,
        "confirmsAt": t.settle_at.map(|at| iso(at, Precision::Millis)),
    })))
}

/// `POST /sandbox/webhooks/inbox/{name}[?fail=N]`: keeps the delivery; answers 200, or 500 to
/// the first `fail` deliveries of this inbox (to test retries).
async fn receive(
    req: HttpRequest,
    name: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let RequestContext { state, sandbox } = RequestContext::of(&req)?;
    site::check(&req, &state)?;
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map_err(|e| Error::Invalid(format!("invalid query string: {e}")))?;
    let fail_first = match query.get("fail") {
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| Error::Invalid("fail must be a whole number".into()))?,
        None => 0,
    };
    let headers: BTreeMap<String, String> = req
        .headers()
        .iter()
        .filter(|(n, _)| !matches!(n.as_str(), "authorization" | "cookie"))
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let text = String::from_utf8_lossy(&body).into_owned();
    let captured = Captured {
        seq: 0,
        received_at_ms: Clock::real_now_ms(),
        sandbox_now_ms: sandbox.clock.now_ms(),
        signature: headers.get("x-signature-sha256").cloned(),
        headers,
        json: serde_json::from_str(&text).ok(),
        body: text,
        answered: 0,
    };
    let capacity = state.deliveries.settings().inbox_capacity;
    let status = sandbox
        .inboxes
        .receive(&name.into_inner(), captured, capacity, fail_first);
    Ok(match status {
        200 => HttpResponse::Ok().json(json!({"received": true})),
        _ => HttpResponse::InternalServerError()
            .json(json!({"received": true, "failed": "as asked (fail=N)"})),
    })
}

/// `GET /sandbox/webhooks/inbox/{name}?after=SEQ&limit=N`: `{name, received, deliveries}`,
/// oldest first.
async fn read_inbox(
    admin: Admin,
    name: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ControlError> {
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map_err(|e| Error::Invalid(format!("invalid query string: {e}")))?;
    let number = |k: &str, default: u64| -> Result<u64, Error> {
        query.get(k).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| Error::Invalid(format!("{k} must be a whole number")))
        })
    };
    let (after, limit) = (number("after", 0)?, number("limit", 1000)?.min(10_000));
    let name = name.into_inner();
    let (deliveries, received) =
        admin
            .sandbox
            .inboxes
            .read(&name, after, usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(HttpResponse::Ok()
        .json(json!({"name": name, "received": received, "deliveries": deliveries})))
}

/// `DELETE /sandbox/webhooks/inbox/{name}`: 204.
async fn clear_inbox(admin: Admin, name: web::Path<String>) -> Result<HttpResponse, ControlError> {
    admin.sandbox.inboxes.clear(&name.into_inner());
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /sandbox/webhooks/inbox`: `{inboxes: [{name, count, received}]}`.
async fn list_inboxes(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(json!({"inboxes": admin.sandbox.inboxes.list()}))
}

/// `GET /sandbox/webhooks?limit=N`: every webhook (newest first, at most N, default 50) with
/// its latest ten notifications and each one's attempts; and how many deliveries are in
/// flight.
async fn list_webhooks(admin: Admin, req: HttpRequest) -> Result<HttpResponse, ControlError> {
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map_err(|e| Error::Invalid(format!("invalid query string: {e}")))?;
    let limit = match query.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| Error::Invalid("limit must be a whole number from 1 to 500".into()))?,
        None => 50,
    };
    let list = admin
        .sandbox
        .store
        .read(move |c| {
            let mut out = Vec::new();
            for w in webhooks::list_all(c, limit)? {
                let f = notifications::HistoryFilter {
                    webhook_id: Some(w.id.clone()),
                    ..Default::default()
                };
                let mut shown = Vec::new();
                for n in notifications::history(c, &f, 10, 0)? {
                    let attempts: Vec<Value> = notifications::attempts(c, n.seq)?
                        .iter()
                        .map(|a| {
                            json!({
                                "attempt": a.attempt, "at": iso(a.at, Precision::Millis),
                                "status": a.status, "latencyMs": a.latency_ms,
                                "response": a.response, "error": a.error,
                            })
                        })
                        .collect();
                    shown.push(json!({
                        "id": n.id, "type": n.webhook_type, "state": n.state,
                        "eventAt": iso(n.event_at, Precision::Millis), "simulation": n.simulation,
                        "retriggerOf": n.retrigger_of, "payload": n.payload, "attempts": attempts,
                    }));
                }
                out.push(json!({
                    "id": w.id, "scope": w.scope, "ownerId": w.owner_id, "type": w.webhook_type,
                    "url": w.url, "label": w.label, "coin": w.coin,
                    "numConfirmations": w.num_confirmations,
                    "successiveFailedAttempts": w.successive_failed_attempts,
                    "notifications": shown,
                }));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "webhooks": list,
        "inFlight": admin.state.deliveries.in_flight(),
    })))
}
