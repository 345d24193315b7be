//! Withdrawals from a Go Account (spec 6.7), BitGo's wire side: `tx/build` returns the
//! payload to sign, `tx/send` takes `halfSigned {payload, signature}` (its signature checked
//! against the wallet's user key by `auth::signed_message`), `tx/initiate` (custodial) always
//! opens a pending approval. Each parses, calls one `service::withdrawals` use case inside one
//! write, and renders BitGo's JSON.

pub mod get;
pub mod list;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::auth::signed_message;
use crate::bitgo::approvals::view::approval_json;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::wallets::{ofc_coin, path_param};
use crate::domain::error::{Error, Result};
use crate::domain::money::{self, Asset};
use crate::domain::token_rules::check_otp;
use crate::request::json::{string_field, string_list_field};
use crate::service::pricing::price_cents;
use crate::service::withdrawals::{self, HalfSigned, Order, Requester, Sent, SignedSend};
use crate::store::approvals::ApprovalRow;
use crate::store::tokens::TokenRow;

/// The asset of a withdrawal route's `{coin}` (`ofc` alone names no asset).
fn route_asset(req: &HttpRequest) -> Result<Asset> {
    let coin = ofc_coin(req)?;
    money::asset(&coin).map_err(|_| {
        Error::Invalid(
            "withdraw under the asset's coin, e.g. /api/v2/ofctbtc/wallet/{id}/tx/build".into(),
        )
    })
}

/// Whether the body of a send or initiate carries a valid `otp` (BitGo's sendmany takes one;
/// it unlocks this one request). A wrong one is a 401 `needsOTP`.
fn request_otp(authed: &Authed, body: &Map<String, Value>) -> Result<bool> {
    match string_field(body.get("otp"), "otp")? {
        None | Some("") => Ok(false),
        given => check_otp(given, &authed.call.state.auth.otps, false)
            .map(|_| true)
            .map_err(|f| Error::NeedsOtp(f.message())),
    }
}

/// The one recipient of a build or initiate body: `(address, amount)`.
fn recipient(body: &Map<String, Value>) -> Result<(String, i64)> {
    let list = body
        .get("recipients")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::Invalid("recipients is required: [{address, amount}]".into()))?;
    let [one] = list.as_slice() else {
        return Err(Error::Invalid(
            "a Go Account withdrawal has exactly one recipient".into(),
        ));
    };
    let address = string_field(one.get("address"), "recipients[0].address")?
        .filter(|a| !a.trim().is_empty() && a.len() <= 256)
        .ok_or_else(|| Error::Invalid("recipients[0].address is required".into()))?;
    let amount = match one.get("amount") {
        Some(Value::String(s)) => money::parse_amount(s, "recipients[0].amount")?,
        Some(Value::Number(n)) => money::parse_amount(&n.to_string(), "recipients[0].amount")?,
        _ => {
            return Err(Error::Invalid(
                "recipients[0].amount is required (base units, as a string)".into(),
            ))
        }
    };
    Ok((address.to_string(), amount))
}

/// `POST /api/v2/{ofcAsset}/wallet/{id}/tx/build` `{recipients: [{address, amount}]}`.
pub async fn build(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let asset = route_asset(&req)?;
    let wallet_id = path_param(&req, "id")?;
    let body: Map<String, Value> = authed.call.json()?;
    let (address, amount) = recipient(&body)?;
    let token = authed.principal.token.clone();
    let user = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let expiry = authed.call.state.money.build_expiry_seconds;
    let built = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let who = requester(&user, &token, now, false);
            let order = Order {
                wallet_id: &wallet_id,
                asset,
                address: &address,
                amount,
            };
            withdrawals::build(c, &who, &order, expiry)
        })
        .await?;
    let reply = json!({
        "payload": built.payload,
        "feeInfo": {"feeString": "0"},
        "coin": "ofc",
        "token": asset.id,
    });
    authed.reply(StatusCode::OK, &reply)
}

/// The `halfSigned {payload, signature}` of a send body, and the payload's `nonce`.
fn half_signed(body: &Map<String, Value>) -> Result<(String, String, String)> {
    let half = body
        .get("halfSigned")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::Invalid("halfSigned {payload, signature} is required".into()))?;
    let payload = string_field(half.get("payload"), "halfSigned.payload")?
        .ok_or_else(|| Error::Invalid("halfSigned.payload is required".into()))?
        .to_string();
    let signature = string_field(half.get("signature"), "halfSigned.signature")?
        .ok_or_else(|| Error::Invalid("halfSigned.signature is required".into()))?
        .to_string();
    let nonce = serde_json::from_str::<Value>(&payload)
        .ok()
        .and_then(|v| v.get("nonce").and_then(Value::as_str).map(str::to_string))
        .ok_or_else(|| {
            Error::Invalid("halfSigned.payload is not a payload from tx/build".into())
        })?;
    Ok((payload, signature, nonce))
}

/// `POST /api/v2/{ofcAsset}/wallet/{id}/tx/send` `{halfSigned: {payload, signature}}`: 200
/// with the transfer, or 202 with the pending approval that holds it.
pub async fn send(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let asset = route_asset(&req)?;
    let wallet_id = path_param(&req, "id")?.to_ascii_lowercase();
    let body: Map<String, Value> = authed.call.json()?;
    let (payload, signature, nonce) = half_signed(&body)?;
    let otp = request_otp(&authed, &body)?;
    let token = authed.principal.token.clone();
    let user = authed.principal.user_id().to_string();
    let store = authed.call.sandbox.store.clone();
    let now = authed.now_ms();
    // The permission is asked first; then the signature is checked outside the write lock
    // (the user key of a wallet never changes), and everything is asked again in the write.
    let (w, u, t) = (wallet_id.clone(), user.clone(), token.clone());
    let user_pub = store
        .read(move |c| withdrawals::signing_key(c, &requester(&u, &t, now, otp), &w))
        .await?;
    let verified = actix_web::web::block({
        let (p, s) = (payload.clone(), signature.clone());
        move || signed_message::verify(&user_pub, &p, &s)
    })
    .await
    .map_err(Error::from)?;
    let config = authed.call.state.money.clone();
    let outcome = store
        .write(move |c| {
            let signed = SignedSend {
                wallet_id: &wallet_id,
                asset,
                nonce: &nonce,
                half_signed: HalfSigned {
                    payload: &payload,
                    signature: &signature,
                },
                signature_valid: verified,
            };
            let sent = withdrawals::send(c, &requester(&user, &token, now, otp), &signed, &config)?;
            Ok::<_, Error>((sent, price_cents(c, &config, asset)?))
        })
        .await?;
    match outcome {
        (Sent::Transfer(t), rate_cents) => {
            let reply = json!({
                "transfer": list::transfer_json(&t, now, rate_cents),
                "txid": t.txid,
                "status": t.state,
            });
            authed.reply(StatusCode::OK, &reply)
        }
        (
            Sent::Held {
                approval,
                triggered_policy,
            },
            _,
        ) => authed.reply(
            StatusCode::ACCEPTED,
            &held_json(&approval, triggered_policy),
        ),
    }
}

/// The 202 of a held withdrawal: the pending approval, and the wallet policy rule that holds
/// it, if one does.
fn held_json(approval: &ApprovalRow, triggered_policy: Option<String>) -> Value {
    let mut doc = json!({
        "pendingApproval": approval_json(approval, &[]),
        "status": "pendingApproval",
    });
    if let Some(rule) = triggered_policy {
        doc["triggeredPolicy"] = rule.into();
    }
    doc
}

/// `POST /api/v2/{ofcAsset}/wallet/{id}/tx/initiate` `{recipients, videoApprovers?}`: the
/// custodial path; it always waits for an approval: 202 with the `PendingApproval` itself, as
/// BitGo's file documents it (unlike `tx/send`'s `{pendingApproval, status}`).
pub async fn initiate(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let asset = route_asset(&req)?;
    let wallet_id = path_param(&req, "id")?;
    let body: Map<String, Value> = authed.call.json()?;
    let (address, amount) = recipient(&body)?;
    let asked =
        string_list_field(body.get("videoApprovers"), "videoApprovers")?.unwrap_or_default();
    let otp = request_otp(&authed, &body)?;
    let token = authed.principal.token.clone();
    let user = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let config = authed.call.state.money.clone();
    let approval = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let order = Order {
                wallet_id: &wallet_id,
                asset,
                address: &address,
                amount,
            };
            let who = requester(&user, &token, now, otp);
            withdrawals::initiate(c, &who, &order, &asked, &config)
        })
        .await?;
    authed.reply(StatusCode::ACCEPTED, &approval_json(&approval, &[]))
}

fn requester<'a>(
    user_id: &'a str,
    token: &'a TokenRow,
    now_ms: i64,
    otp_given: bool,
) -> Requester<'a> {
    Requester {
        user_id,
        token,
        now_ms,
        otp_given,
    }
}
