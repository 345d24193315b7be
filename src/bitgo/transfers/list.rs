//! Transfers listed on a wallet and on an enterprise, and BitGo's test deposit simulator.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::{BitgoError, FiatError};
use crate::bitgo::views::iso;
use crate::bitgo::wallets::{ofc_coin, path_param};
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::money;
use crate::domain::policy::{self, MoneyAction};
use crate::domain::scope::Scope;
use crate::request::json::string_field;
use crate::service::access::{self, Caller};
use crate::service::deposits;
use crate::service::pricing::price_cents;
use crate::store::enterprises;
use crate::store::transfers::{self, TransferRow};

/// A transfer as BitGo shows it; an outside withdrawal is `signed` and a faucet or address
/// deposit `unconfirmed` until its settle time on the sandbox clock, then `confirmed`.
pub fn transfer_json(t: &TransferRow, now_ms: i64) -> Value {
    let state = crate::domain::transfer::shown_state(&t.state, t.settle_at, now_ms);
    let signed = if t.direction == "send" {
        -t.amount
    } else {
        t.amount
    };
    json!({
        "id": t.id,
        "coin": t.asset,
        "wallet": t.wallet_id,
        "enterprise": t.enterprise_id,
        "txid": t.txid,
        "type": t.direction,
        "transactionType": t.transaction_type,
        "value": signed,
        "valueString": signed.to_string(),
        "baseValueString": signed.to_string(),
        "state": state,
        "date": iso(t.created_at),
        "createdTime": iso(t.created_at),
        "confirmedTime": t.settle_at.filter(|at| now_ms >= *at).map(iso),
        "pendingApproval": t.pending_approval_id,
        "createdBy": t.created_by,
        "entries": [{"address": t.address, "value": signed, "valueString": signed.to_string()}],
        "history": [{"date": iso(t.created_at), "action": "created"}],
    })
}

fn page(query: &HashMap<String, String>) -> Result<(Option<String>, usize)> {
    let limit = match query.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| Error::Invalid(format!("invalid limit {l:?}: expected 1 to 500")))?,
        None => 25,
    };
    let prev = match query.get("prevId") {
        Some(p) if is_hex_id(p) => Some(p.clone()),
        Some(p) => return Err(Error::Invalid(format!("invalid prevId {p:?}"))),
        None => None,
    };
    Ok((prev, limit))
}

fn reply_page(
    authed: &Authed,
    rows: Vec<TransferRow>,
    limit: usize,
) -> Result<HttpResponse, BitgoError> {
    let now = authed.now_ms();
    let more = rows.len() > limit;
    let shown: Vec<Value> = rows
        .iter()
        .take(limit)
        .map(|t| transfer_json(t, now))
        .collect();
    let mut body = json!({"transfers": shown});
    if more {
        if let Some(last) = rows.get(limit - 1) {
            body["nextBatchPrevId"] = last.id.clone().into();
        }
    }
    authed.reply(StatusCode::OK, &body)
}

/// `GET /api/v2/{coin}/wallet/{id}/transfer`.
pub async fn list_wallet_transfers(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    let coin = ofc_coin(&req)?;
    let id = path_param(&req, "id")?;
    let (prev, limit) = page(&query)?;
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &id, &user, &scopes)?;
            let mut rows =
                transfers::list(c, Some(&a.wallet.id), None, prev.as_deref(), limit + 1)?;
            if coin != "ofc" {
                rows.retain(|t| t.asset == coin);
            }
            Ok(rows)
        })
        .await?;
    reply_page(&authed, rows, limit)
}

/// `GET /api/v2/enterprise/{id}/transfer`: members of the enterprise with admin or auditor
/// rights, and organization admins of a child enterprise, with a token not bound to another
/// enterprise.
pub async fn list_enterprise_transfers(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(
        &authed.principal.token.scope,
        &[Scope::WalletViewAll, Scope::EnterpriseViewAll],
    )?;
    let id = path_param(&req, "id")?.to_ascii_lowercase();
    let (prev, limit) = page(&query)?;
    let user = authed.principal.user_id().to_string();
    let scopes = authed.principal.token.scope.clone();
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let e = enterprises::find_by_id(c, &id)?
                .ok_or_else(|| Error::NotFound(format!("enterprise {id} not found")))?;
            let perms = enterprises::permissions_of(c, &e.id, &user)?;
            let org_role = access::org_role_for(c, &e, &user)?;
            policy::may_view_child_enterprise(perms.as_deref(), org_role, &e.id)?;
            policy::may_use_token_in(&scopes, &e.id)?;
            transfers::list(c, None, Some(&e.id), prev.as_deref(), limit + 1)
        })
        .await?;
    reply_page(&authed, rows, limit)
}

/// `POST /api/fiat/v1/sandbox/transaction/simulate` `{walletId, currency, amount?, type:
/// wire|ach, description?}`: BitGo's test-only deposit simulator. Credits the Go Account
/// (amount in base units of the currency's asset, default 1000000, worth at most
/// [`money::MAX_SIMULATED_DEPOSIT_USD_CENTS`]) for a caller who could spend from it (the
/// money rule of `policy::may_transact`), and answers text/plain; errors are BitGo's
/// `V1ErrorResponse` `{errorName, error}`.
pub async fn simulate_deposit(authed: Authed) -> Result<HttpResponse, FiatError> {
    let body: Map<String, Value> = authed.call.json()?;
    let wallet_id = string_field(body.get("walletId"), "walletId")?
        .ok_or_else(|| Error::Invalid("walletId is required".into()))?
        .to_string();
    let currency = string_field(body.get("currency"), "currency")?.unwrap_or("USD");
    let asset = money::asset_by_currency(currency)
        .or_else(|| money::asset(currency).ok())
        .ok_or_else(|| Error::Invalid(format!("unknown currency {currency:?}")))?;
    let amount = match body.get("amount") {
        None | Some(Value::Null) => 1_000_000,
        Some(Value::String(s)) => money::parse_amount(s, "amount")?,
        Some(Value::Number(n)) => money::parse_amount(&n.to_string(), "amount")?,
        Some(_) => {
            return Err(Error::Invalid("amount must be base units as a string".into()).into())
        }
    };
    match string_field(body.get("type"), "type")? {
        None | Some("wire") | Some("ach") => {}
        Some(other) => {
            return Err(Error::Invalid(format!("type must be wire or ach, not {other:?}")).into())
        }
    }
    let token = authed.principal.token.clone();
    let user = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let config = authed.call.state.money.clone();
    let id = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = access::load(c, &wallet_id, &user)?;
            a.may_transact(
                &Caller::new(&token, now, false),
                MoneyAction::SimulateDeposit,
            )?;
            let worth = money::usd_cents(amount, asset, price_cents(c, &config, asset)?);
            money::check_simulated_deposit(worth)?;
            deposits::credit(
                c,
                &a.wallet.id,
                &a.enterprise.id,
                asset.id,
                amount,
                "wire",
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "Simulated deposit {id} of {amount} {} created",
            asset.id
        )))
}
