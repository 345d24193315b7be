//! Deposit addresses of Go Accounts: `POST /api/v2/{coin}/wallet/{walletId}/address` (the
//! SDK's `wallet.createAddress({onToken})`), `GET .../address/{addressOrId}` and `GET
//! .../addresses`. Index 0 is the wallet's own receive address (`bg-<walletId>`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::resource;
use crate::bitgo::wallets::view::receive_address;
use crate::bitgo::wallets::{ofc_coin, path_param};
use crate::domain::address::underlying_coin;
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::money::{self, Asset};
use crate::domain::policy;
use crate::domain::scope::WalletTarget;
use crate::request::json::{integer_field, string_field};
use crate::service::{access, addresses as service};
use crate::store::addresses::{self, AddressRow};
use crate::store::wallets::WalletRow;

/// Registers the address routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let w = |p: &str| vec![format!("/api/v2/{{coin}}/wallet/{{walletId}}{p}")];
    cfg.service(resource(w("/address")).route(web::post().to(create_address)))
        .service(resource(w("/address/{addressOrId}")).route(web::get().to(get_address)))
        .service(resource(w("/addresses")).route(web::get().to(list_addresses)));
}

/// A deposit address as BitGo shows it.
fn address_json(a: &AddressRow) -> Value {
    let asset = money::asset(&a.asset).ok();
    json!({
        "id": a.id,
        "address": a.address,
        "chain": a.chain,
        "index": a.index,
        "coin": a.asset,
        "token": a.asset,
        "wallet": a.wallet_id,
        "label": a.label,
        "lastNonce": -1,
        "coinSpecific": {
            "onToken": a.asset,
            "underlyingCoin": asset.map(underlying_coin),
        },
    })
}

/// The wallet's own receive address, index 0.
fn receive_json(w: &WalletRow, coin: &str) -> Value {
    json!({
        "id": w.id,
        "address": receive_address(&w.id),
        "chain": 0,
        "index": 0,
        "coin": coin,
        "wallet": w.id,
        "label": w.label,
        "coinSpecific": {},
    })
}

/// The asset a new address is for: the route's asset coin, or `onToken` under `ofc` (as the
/// SDK sends it); both given must agree.
fn asset_of(coin: &str, body: &Map<String, Value>) -> Result<Asset> {
    let on_token = string_field(body.get("onToken"), "onToken")?.map(str::to_ascii_lowercase);
    let id =
        match (coin, on_token) {
            ("ofc", Some(t)) => t,
            ("ofc", None) => return Err(Error::Invalid(
                "onToken is required for a Go Account address: the asset it receives, e.g. ofctbtc"
                    .into(),
            )),
            (c, Some(t)) if t != c => {
                return Err(Error::Invalid(format!(
                    "onToken {t} does not match the route's coin {c}"
                )))
            }
            (c, _) => c.to_string(),
        };
    money::asset(&id)
}

/// `POST /api/v2/{coin}/wallet/{walletId}/address {onToken, chain?, label?}`: the new address.
pub async fn create_address(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let coin = ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let asset = asset_of(&coin, &body)?;
    let chain = integer_field(body.get("chain"), "chain")?;
    let label = string_field(body.get("label"), "label")?.map(str::to_string);
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let a = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = access::load(c, &wallet_id, &user)?;
            policy::may_create_address(
                &scopes,
                &WalletTarget {
                    wallet_id: &a.wallet.id,
                    enterprise_id: &a.enterprise.id,
                },
                a.wallet_perms.as_deref(),
                a.enterprise_perms.as_deref(),
                a.org_role,
            )?;
            service::create(c, &a.wallet, asset, chain, label, Some(&user), now)
        })
        .await?;
    authed.reply(StatusCode::OK, &address_json(&a))
}

/// `GET /api/v2/{coin}/wallet/{walletId}/address/{addressOrId}`: the address (its id or the
/// address itself; the wallet's id or `bg-<id>` is its receive address).
pub async fn get_address(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let coin = ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let given = path_param(&req, "addressOrId")?;
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let doc = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &wallet_id, &user, &scopes)?;
            if given.eq_ignore_ascii_case(&a.wallet.id) || given == receive_address(&a.wallet.id) {
                return Ok(receive_json(&a.wallet, &coin));
            }
            addresses::find(c, &a.wallet.id, &given)?
                .filter(|row| coin == "ofc" || row.asset == coin)
                .map(|row| address_json(&row))
                .ok_or_else(|| Error::NotFound(format!("address {given} not found")))
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}

/// `GET /api/v2/{coin}/wallet/{walletId}/addresses?limit&prevId`: the receive address, then
/// the deposit addresses (of the route's asset, under an asset coin), oldest first.
pub async fn list_addresses(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    let coin = ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let limit = match query.get("limit") {
        None => 25,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| Error::Invalid(format!("invalid limit {l:?}: expected 1 to 500")))?,
    };
    let prev = query.get("prevId").cloned();
    if prev.as_deref().is_some_and(|p| !is_hex_id(p)) {
        return Err(Error::Invalid("invalid prevId".into()).into());
    }
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let body = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &wallet_id, &user, &scopes)?;
            let asset = (coin != "ofc").then_some(coin.as_str());
            let total = addresses::count(c, &a.wallet.id, asset)? + 1;
            let mut all = vec![receive_json(&a.wallet, &coin)];
            all.extend(
                addresses::list(c, &a.wallet.id, asset, 0, usize::MAX)?
                    .iter()
                    .map(address_json),
            );
            let start = prev
                .and_then(|p| all.iter().position(|v| v["id"] == p.as_str()).map(|i| i + 1))
                .unwrap_or(0);
            let page: Vec<Value> = all.iter().skip(start).take(limit).cloned().collect();
            let mut body = json!({"coin": coin, "addresses": page, "count": page.len(), "totalAddressCount": total});
            if all.len() > start + limit {
                if let Some(last) = page.last() {
                    body["nextBatchPrevId"] = last["id"].clone();
                }
            }
            Ok::<_, Error>(body)
        })
        .await?;
    authed.reply(StatusCode::OK, &body)
}
