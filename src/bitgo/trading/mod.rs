//! Go Account trading under `/api/prime/trading/v1` (spec 6.6): the current user, accounts
//! (a trading account is a Go Account: same id), balances from the ledger, currencies,
//! products, orders and trades. Errors use the trading body (`error.rs`).

pub mod authed;
pub mod error;
pub mod orders;
pub mod view;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::trading::authed::TradingAuthed;
use crate::bitgo::wallets::path_param;
use crate::domain::error::Result;
use crate::domain::ledger::Balance;
use crate::domain::money::{self, format_decimal};
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::domain::scope::Scope;
use crate::service::access;
use crate::service::trading;
use crate::store::{enterprises, ledger, organizations, users, wallets};
use error::TradingError;

pub use crate::domain::ids::uuid_of;

fn reply(authed: &Authed, value: &Value) -> Result<HttpResponse, TradingError> {
    Ok(authed.reply(StatusCode::OK, value)?)
}

fn require_view(authed: &Authed) -> Result<(), TradingError> {
    Ok(policy::require_scope(
        &authed.principal.token.scope,
        Scope::TradeView,
    )?)
}

/// `GET /api/prime/trading/v1/user/current`.
pub async fn current_user(
    TradingAuthed(authed): TradingAuthed,
) -> Result<HttpResponse, TradingError> {
    require_view(&authed)?;
    let id = authed.principal.user_id().to_string();
    let user = authed
        .call
        .sandbox
        .store
        .read(move |c| users::find_by_id(c, &id))
        .await?
        .ok_or_else(|| crate::domain::error::Error::NotFound("user not found".into()))?;
    reply(
        &authed,
        &json!({
            "id": uuid_of(&user.id), "firstName": user.first_name, "lastName": user.last_name, "email": user.username,
        }),
    )
}

/// `GET /api/prime/trading/v1/accounts`: the Go Accounts the caller may see.
pub async fn list_accounts(
    TradingAuthed(authed): TradingAuthed,
) -> Result<HttpResponse, TradingError> {
    require_view(&authed)?;
    let user = authed.principal.user_id().to_string();
    let scopes = authed.principal.token.scope.clone();
    let data = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let mut ids: Vec<String> = enterprises::list_for_user(c, &user)?
                .into_iter()
                .map(|m| m.enterprise.id)
                .collect();
            for (org, role) in organizations::list_for_user(c, &user)? {
                if role == OrgRole::Admin {
                    ids.extend(organizations::enterprise_ids(c, &org.id)?);
                }
            }
            ids.sort();
            ids.dedup();
            let mut out = Vec::new();
            for e in ids {
                for w in wallets::list_for_enterprise(c, &e)? {
                    if access::load_visible(c, &w.id, &user, &scopes).is_ok() {
                        out.push(
                            json!({"id": w.id, "name": w.label, "enterpriseId": w.enterprise_id}),
                        );
                    }
                }
            }
            Ok(out)
        })
        .await?;
    reply(&authed, &json!({ "data": data }))
}

fn balance_json(asset: money::Asset, b: Balance) -> Value {
    json!({
        "currencyId": uuid_of(&crate::auth::token::sha256_hex(asset.id.as_bytes())[..32]),
        "currency": asset.currency,
        "balance": format_decimal(b.total(), asset),
        "heldBalance": format_decimal(b.held, asset),
        "unsettledHeldBalance": "0",
        "tradableBalance": format_decimal(b.available, asset),
        "withdrawableBalance": format_decimal(b.available, asset),
    })
}

/// `GET /api/prime/trading/v1/accounts/{accountId}/balances`: every asset, from the ledger.
pub async fn balances(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
) -> Result<HttpResponse, TradingError> {
    require_view(&authed)?;
    let id = path_param(&req, "accountId")?;
    let user = authed.principal.user_id().to_string();
    let scopes = authed.principal.token.scope.clone();
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &id, &user, &scopes)?;
            ledger::balances(c, &a.wallet.id)
        })
        .await?;
    let data: Vec<Value> = money::ASSETS
        .iter()
        .map(|&asset| {
            let b = rows
                .iter()
                .find(|(a, _)| a == asset.id)
                .map(|(_, b)| *b)
                .unwrap_or_default();
            balance_json(asset, b)
        })
        .collect();
    reply(&authed, &json!({ "data": data }))
}

async fn visible_account(authed: &Authed, req: &HttpRequest) -> Result<(), TradingError> {
    require_view(authed)?;
    let id = path_param(req, "accountId")?;
    let user = authed.principal.user_id().to_string();
    let scopes = authed.principal.token.scope.clone();
    authed
        .call
        .sandbox
        .store
        .read(move |c| access::load_visible(c, &id, &user, &scopes).map(|_| ()))
        .await?;
    Ok(())
}

/// The id a currency answers with (the same in currencies and in products).
fn currency_id(a: &money::Asset) -> String {
    uuid_of(&crate::auth::token::sha256_hex(a.id.as_bytes())[..32])
}

/// `GET /api/prime/trading/v1/accounts/{accountId}/currencies`.
pub async fn currencies(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
) -> Result<HttpResponse, TradingError> {
    visible_account(&authed, &req).await?;
    let data: Vec<Value> = money::ASSETS
        .iter()
        .map(|a| {
            json!({
                "id": currency_id(a),
                "symbol": a.currency, "name": a.name,
                "increment": format_decimal(1, *a),
            })
        })
        .collect();
    reply(&authed, &json!({ "data": data }))
}

/// `GET /api/prime/trading/v1/accounts/{accountId}/products`.
pub async fn products(
    TradingAuthed(authed): TradingAuthed,
    req: HttpRequest,
) -> Result<HttpResponse, TradingError> {
    visible_account(&authed, &req).await?;
    let data: Vec<Value> = trading::products()?
        .into_iter()
        .map(|p| {
            // The sizes orgbox does not bound are BitGo's own example's (`Product` in its file).
            json!({
                "id": uuid_of(&crate::auth::token::sha256_hex(p.id().as_bytes())[..32]),
                "name": p.id(),
                "baseCurrencyId": currency_id(&p.base),
                "baseCurrency": p.base.currency,
                "quoteCurrencyId": currency_id(&p.quote),
                "quoteCurrency": p.quote.currency,
                "baseMinSize": format_decimal(1, p.base),
                "baseMaxSize": "10000.00",
                "baseIncrement": format_decimal(1, p.base),
                "quoteMinSize": "0.01",
                "quoteMaxSize": "100000000.00",
                "quoteIncrement": "0.01",
                "quoteDisplayPrecision": 2,
                "isTradeDisabled": false,
                "isMarginTradeSupported": false,
            })
        })
        .collect();
    reply(&authed, &json!({ "data": data }))
}
