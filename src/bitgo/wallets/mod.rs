//! Go Accounts (wallet type `trading`, coin `ofc`): the SDK's `generateWallet({type:
//! 'trading'})` flow (`POST /api/v2/ofc/key`, `POST /api/v2/ofc/wallet/add`), get, list and
//! addresses. Balances come from the ledger.

pub mod policy_rule_view;
pub mod rules;
pub mod share;
pub mod view;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::auth::signed_message;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::domain::error::{Error, Result};
use crate::domain::ids::{is_hex_id, new_id};
use crate::domain::money;
use crate::domain::scope::Scope;
use crate::request::json::{integer_field, string_field, string_list_field};
use crate::service::wallets::NewWallet;
use crate::service::{self, access};
use crate::store::wallets::{self, KeyRow, WalletRow};
use crate::store::{enterprises, ledger};

/// A path segment, or a 404.
pub fn path_param(req: &HttpRequest, name: &str) -> Result<String> {
    req.match_info()
        .get(name)
        .map(str::to_string)
        .ok_or_else(|| Error::NotFound(format!("missing path segment {name}")))
}

/// The `{coin}` of a Go Account route: `ofc` or an `ofc` asset; anything else is not a coin
/// orgbox serves (404).
pub fn ofc_coin(req: &HttpRequest) -> Result<String> {
    let coin = path_param(req, "coin")?.to_ascii_lowercase();
    if coin == "ofc" || money::asset(&coin).is_ok() {
        Ok(coin)
    } else {
        Err(Error::NotFound(format!(
            "coin {coin} is not served by this sandbox: Go Accounts use ofc and its assets (ofctbtc, ofctusd, ...)"
        )))
    }
}

/// `POST /api/v2/{coin}/key`: stores the user keychain (its xpub is what withdrawals are
/// verified against).
pub async fn add_key(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::WalletCreate)?;
    let coin = ofc_coin(&req)?;
    let body: Map<String, Value> = authed.call.json()?;
    let pub_key = string_field(body.get("pub"), "pub")?
        .ok_or_else(|| Error::Invalid("pub is required (a BIP-32 xpub)".into()))?
        .to_string();
    signed_message::xpub_public_key(&pub_key)?;
    let text = |f: &str| -> Result<Option<String>> {
        let v = string_field(body.get(f), f)?;
        if v.is_some_and(|s| s.len() > 10_000) {
            return Err(Error::Invalid(format!(
                "{f} is longer than 10000 characters"
            )));
        }
        Ok(v.map(str::to_string))
    };
    let source = text("source")?.unwrap_or_else(|| "user".into());
    if source != "user" {
        return Err(Error::Invalid("source must be user for a Go Account key".into()).into());
    }
    let now = authed.now_ms();
    let key = KeyRow {
        id: new_id(now),
        coin,
        user_id: authed.principal.user_id().to_string(),
        pub_key,
        encrypted_prv: text("encryptedPrv")?,
        source,
        key_type: text("keyType")?.unwrap_or_else(|| "independent".into()),
        original_passcode_encryption_code: text("originalPasscodeEncryptionCode")?,
        created_at: now,
    };
    let k = key.clone();
    authed
        .call
        .sandbox
        .store
        .write(move |c| wallets::insert_key(c, &k))
        .await?;
    authed.reply(StatusCode::OK, &view::key_json(&key))
}

/// `GET /api/v2/{coin}/key/{id}`: the keychain, for the user who added it (the SDK reads it
/// back to sign).
pub async fn get_key(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    ofc_coin(&req)?;
    let id = path_param(&req, "id")?;
    let user = authed.principal.user_id().to_string();
    let key = authed
        .call
        .sandbox
        .store
        .read(move |c| wallets::find_key(c, &id.to_ascii_lowercase()))
        .await?
        .filter(|k| k.user_id == user)
        .ok_or_else(|| Error::NotFound("keychain not found".into()))?;
    authed.reply(StatusCode::OK, &view::key_json(&key))
}

/// What a wallet/add body asks for, checked: `(label, enterprise id, user key id)`.
fn parse_new_wallet(body: &Map<String, Value>) -> Result<(String, String, String)> {
    let label = string_field(body.get("label"), "label")?
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| Error::Invalid("label is required".into()))?
        .to_string();
    if label.chars().count() > 256 {
        return Err(Error::Invalid("label is longer than 256 characters".into()));
    }
    match string_field(body.get("type"), "type")? {
        Some("trading") => {}
        other => {
            return Err(Error::Invalid(format!(
                "type must be \"trading\" for an ofc wallet (Go Account), not {other:?}"
            )))
        }
    }
    for f in ["m", "n"] {
        if integer_field(body.get(f), f)?.is_some_and(|v| v != 1) {
            return Err(Error::Invalid(format!("{f} must be 1 for a Go Account")));
        }
    }
    let enterprise = string_field(body.get("enterprise"), "enterprise")?
        .ok_or_else(|| Error::Invalid("enterprise is required".into()))?
        .to_ascii_lowercase();
    if !is_hex_id(&enterprise) {
        return Err(Error::Invalid(format!(
            "invalid enterprise id {enterprise:?}"
        )));
    }
    let keys = string_list_field(body.get("keys"), "keys")?.unwrap_or_default();
    let [key_id] = keys.as_slice() else {
        return Err(Error::Invalid(
            "keys must hold exactly one key id (the user key)".into(),
        ));
    };
    Ok((label, enterprise, key_id.to_ascii_lowercase()))
}

/// `POST /api/v2/ofc/wallet/add` `{label, m:1, n:1, type:'trading', enterprise, keys}`.
pub async fn add_wallet(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::WalletCreate)?;
    let coin = ofc_coin(&req)?;
    if coin != "ofc" {
        return Err(Error::Invalid("Go Accounts are created under the ofc coin".into()).into());
    }
    let body: Map<String, Value> = authed.call.json()?;
    let (label, enterprise, key_id) = parse_new_wallet(&body)?;
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let created = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let w = NewWallet {
                label: &label,
                enterprise_id: &enterprise,
                user_key_id: &key_id,
            };
            service::wallets::create(c, &user, &scopes, &w, now)
        })
        .await?;
    let doc = view::wallet_json(
        &created.wallet,
        "ofc",
        &created.users,
        &[],
        created.organization_id.as_deref(),
    );
    authed.reply(StatusCode::OK, &doc)
}

/// `GET /api/v2/{coin}/wallet/{id}`.
pub async fn get_wallet(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let coin = ofc_coin(&req)?;
    let id = path_param(&req, "id")?;
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let doc = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = access::load_visible(c, &id, &user, &scopes)?;
            wallet_doc(c, &a.wallet, &coin, a.enterprise.organization_id.as_deref())
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}

/// A wallet's document with its ledger balances and its own policy rules.
pub fn wallet_doc(
    c: &rusqlite::Connection,
    w: &WalletRow,
    coin: &str,
    org: Option<&str>,
) -> Result<Value> {
    let mut doc = view::wallet_json(
        w,
        coin,
        &wallets::users(c, &w.id)?,
        &ledger::balances(c, &w.id)?,
        org,
    );
    let scope = crate::store::wallet_policies::wallet_scope(&w.id);
    let rules = crate::store::wallet_policies::list(c, &scope)?;
    let set_at = crate::store::wallet_policies::set_times(c, &scope)?;
    let shown: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let mut doc = rule.to_json();
            if let Some(at) = set_at.get(&rule.id) {
                doc["lockDate"] = crate::bitgo::views::iso(at + POLICY_LOCK_MS).into();
            }
            doc
        })
        .collect();
    doc["admin"] = json!({"policy": {
        "id": w.id,
        "date": crate::bitgo::views::iso(w.created_at),
        "latest": true,
        "label": "default",
        "version": rules.len(),
        "rules": shown,
    }});
    Ok(doc)
}

/// BitGo locks a wallet-policy rule 48 hours after it is set (its `lockDate`: "the time at
/// which this rule becomes immutable"). orgbox shows the date but does not enforce the lock.
const POLICY_LOCK_MS: i64 = 48 * 3600 * 1000;

/// `GET /api/v2/{coin}/wallet` and `GET /api/v2/wallets?type=trading&enterprise=`: the Go
/// Accounts the caller may see, of one enterprise or of every enterprise they belong to
/// (and, for organization admins, of its child enterprises).
pub async fn list_wallets(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    let coin = match req.match_info().get("coin") {
        Some(_) => ofc_coin(&req)?,
        None => "ofc".to_string(),
    };
    if let Some(t) = query.get("type") {
        if t != "trading" {
            return authed.reply(StatusCode::OK, &json!({"coin": coin, "wallets": []}));
        }
    }
    let enterprise = query
        .get("enterprise")
        .or(query.get("enterpriseId"))
        .cloned();
    let scopes = authed.principal.token.scope.clone();
    let user = authed.principal.user_id().to_string();
    let listed_coin = coin.clone();
    let docs = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let enterprise_ids: Vec<String> = match enterprise {
                Some(e) => vec![e.to_ascii_lowercase()],
                None => {
                    let mut ids: Vec<String> = enterprises::list_for_user(c, &user)?
                        .into_iter()
                        .map(|m| m.enterprise.id)
                        .collect();
                    for (org, role) in crate::store::organizations::list_for_user(c, &user)? {
                        if role == crate::domain::role::OrgRole::Admin {
                            ids.extend(crate::store::organizations::enterprise_ids(c, &org.id)?);
                        }
                    }
                    ids.sort();
                    ids.dedup();
                    ids
                }
            };
            let mut out = Vec::new();
            for e in enterprise_ids {
                for w in wallets::list_for_enterprise(c, &e)? {
                    let Ok(a) = access::load_visible(c, &w.id, &user, &scopes) else {
                        continue;
                    };
                    out.push(wallet_doc(
                        c,
                        &w,
                        &coin,
                        a.enterprise.organization_id.as_deref(),
                    )?);
                }
            }
            Ok(out)
        })
        .await?;
    authed.reply(
        StatusCode::OK,
        &json!({"coin": listed_coin, "wallets": docs}),
    )
}
