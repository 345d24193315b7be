//! Withdrawals from a Go Account (spec 6.7): `tx/build` returns the payload to sign,
//! `tx/send` takes `halfSigned {payload, signature}`, verifies the signature against the
//! wallet's user key and spends the build once; `tx/initiate` (custodial) always opens a
//! pending approval. Every one asks `domain::policy::may_transact` first, inside the write.

pub mod list;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::auth::signed_message;
use crate::bitgo::approvals::view::approval_json;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::views::iso;
use crate::bitgo::wallets::{ofc_coin, path_param};
use crate::config::MoneyConfig;
use crate::domain::approval::ApprovalState;
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::money::{self, Asset, Withdrawal};
use crate::domain::policy::MoneyAction;
use crate::domain::token_rules::check_otp;
use crate::domain::wallet_policy::Verdict;
use crate::request::json::{string_field, string_list_field};
use crate::service::access::{self, Caller};
use crate::service::pricing::price_cents;
use crate::service::withdrawals::{self, Outgoing};
use crate::store::transfers::{self, BuildRow};
use crate::store::{ledger, wallets};

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
    let reply = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = access::load(c, &wallet_id, &user)?;
            a.may_transact(
                &Caller::new(&token, now, false),
                MoneyAction::BuildWithdrawal,
            )?;
            let available = ledger::balance(c, &a.wallet.id, asset.id)?.available;
            if available < amount {
                return Err(Error::InsufficientFunds(format!(
                    "insufficient funds: {} spendable is {available}, {amount} requested",
                    asset.id
                )));
            }
            let book = withdrawals::book_destination(c, &address)?.is_some();
            let w = Withdrawal {
                from: a.wallet.id.clone(),
                asset,
                amount,
                address: address.clone(),
            };
            let nonce = new_id(now);
            let payload = money::build_payload(&w, &nonce, &iso(now), book);
            transfers::insert_build(
                c,
                &BuildRow {
                    nonce,
                    wallet_id: a.wallet.id,
                    asset: asset.id.into(),
                    amount,
                    address,
                    payload: payload.clone(),
                    created_by: user,
                    created_at: now,
                    expires_at: now + expiry.saturating_mul(1000),
                    sent_at: None,
                },
            )?;
            Ok(json!({
                "payload": payload,
                "feeInfo": {"feeString": "0"},
                "coin": "ofc",
                "token": asset.id,
            }))
        })
        .await?;
    authed.reply(StatusCode::OK, &reply)
}

/// `POST /api/v2/{ofcAsset}/wallet/{id}/tx/send` `{halfSigned: {payload, signature}}`.
pub async fn send(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let asset = route_asset(&req)?;
    let wallet_id = path_param(&req, "id")?.to_ascii_lowercase();
    let body: Map<String, Value> = authed.call.json()?;
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
    let otp = request_otp(&authed, &body)?;
    let token = authed.principal.token.clone();
    let user = authed.principal.user_id().to_string();
    let store = authed.call.sandbox.store.clone();
    let now = authed.now_ms();
    // The permission is asked first; then the signature is checked outside the write lock
    // (the user key of a wallet never changes), and everything is asked again in the write.
    let (w, u, t) = (wallet_id.clone(), user.clone(), token.clone());
    let user_pub = store
        .read(move |c| {
            let a = access::load(c, &w, &u)?;
            a.may_transact(&Caller::new(&t, now, otp), MoneyAction::SendWithdrawal)?;
            let key = wallets::find_key(c, &a.wallet.user_key_id)?
                .ok_or_else(|| Error::Internal("wallet key vanished".into()))?;
            Ok(key.pub_key)
        })
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
            let a = access::load(c, &wallet_id, &user)?;
            let token = access::current_token(c, &token)?;
            let caller = Caller::new(&token, now, otp);
            a.may_transact(&caller, MoneyAction::SendWithdrawal)?;
            let b = transfers::find_build(c, &nonce)?
                .filter(|b| b.wallet_id == a.wallet.id && b.asset == asset.id)
                .ok_or_else(|| {
                    Error::Invalid(
                        "unknown payload: build it with tx/build on this wallet and asset".into(),
                    )
                })?;
            if b.payload != payload {
                return Err(Error::Invalid(
                    "the payload differs from the one tx/build returned".into(),
                ));
            }
            if !verified {
                return Err(Error::Invalid(
                    "invalid signature: sign the payload with the wallet's user key".into(),
                ));
            }
            if now > b.expires_at {
                return Err(Error::Invalid(
                    "this payload has expired: build the withdrawal again".into(),
                ));
            }
            if !transfers::mark_sent(c, &b.nonce, now)? {
                return Err(Error::Conflict("this payload was already sent".into()));
            }
            let usd = money::usd_cents(b.amount, asset, price_cents(c, &config, asset)?);
            access::charge(c, &token, caller.unlocked, usd)?;
            let o = Outgoing {
                wallet_id: &a.wallet.id,
                enterprise_id: &a.enterprise.id,
                organization_id: a.enterprise.organization_id.as_deref(),
                policy_organization: if a.is_child() {
                    a.enterprise.organization_id.as_deref()
                } else {
                    None
                },
                asset,
                amount: b.amount,
                address: &b.address,
                actor_id: &user,
                now_ms: now,
                settle_after_seconds: config.settle_after_seconds,
                half_signed: Some(json!({"payload": payload, "signature": signature})),
            };
            carry_out(c, &o, &config, usd, Vec::new())
        })
        .await?;
    match outcome {
        Sent::Now(doc) => authed.reply(StatusCode::OK, &doc),
        Sent::Pending(doc) => authed.reply(StatusCode::ACCEPTED, &doc),
    }
}

/// What a send or initiate led to.
pub enum Sent {
    /// Done: `{transfer, txid, status}`.
    Now(Value),
    /// Waiting: a pending approval document.
    Pending(Value),
}

/// Sends, or holds for a video approval when the USD value (`usd`, cents) is above the
/// threshold (or `video_approvers` were asked for).
fn carry_out(
    c: &Connection,
    o: &Outgoing<'_>,
    config: &MoneyConfig,
    usd: i128,
    video_approvers: Vec<String>,
) -> Result<Sent> {
    match withdrawals::policy_verdict(c, o)? {
        Verdict::Allow => {}
        Verdict::Deny(rule) => return Err(denied(&rule)),
        Verdict::NeedsApproval(rule) => {
            let approvers = withdrawals::admin_approvers(c, o.enterprise_id, o.actor_id)?;
            if approvers.is_empty() {
                return Err(Error::Invalid(format!(
                    "policy rule {rule} needs an approval and the enterprise has no other admin to give it"
                )));
            }
            let a = withdrawals::hold_for_approval(c, o, ApprovalState::Pending, approvers, usd)?;
            return Ok(Sent::Pending(json!({
                "pendingApproval": approval_json(&a, &[]),
                "status": "pendingApproval",
                "triggeredPolicy": rule,
            })));
        }
    }
    let threshold = config.video_approval_threshold_usd.saturating_mul(100);
    if money::needs_video_approval(usd, threshold) || !video_approvers.is_empty() {
        let mut approvers = withdrawals::video_approvers(c, o.enterprise_id, o.actor_id)?;
        if !video_approvers.is_empty() {
            approvers.retain(|a| video_approvers.contains(a));
        }
        if approvers.is_empty() {
            return Err(Error::Invalid(
                "this withdrawal needs a video approval, and the enterprise has no video approver \
                 other than you: add one with POST /api/v2/enterprise/{id}/user {videoIdUser: true}"
                    .into(),
            ));
        }
        let a = withdrawals::hold_for_approval(
            c,
            o,
            ApprovalState::PendingVideoApproval,
            approvers,
            usd,
        )?;
        return Ok(Sent::Pending(json!({
            "pendingApproval": approval_json(&a, &[]),
            "status": "pendingApproval",
        })));
    }
    let t = withdrawals::send_now(c, o)?;
    let status = t.state.clone();
    Ok(Sent::Now(json!({
        "transfer": list::transfer_json(&t, o.now_ms),
        "txid": t.txid,
        "status": status,
    })))
}

fn denied(rule: &str) -> Error {
    Error::Forbidden(format!(
        "this withdrawal is denied by the wallet's policy rule {rule} (the recipient is not whitelisted, or a limit is reached)"
    ))
}

/// `POST /api/v2/{ofcAsset}/wallet/{id}/tx/initiate` `{recipients, videoApprovers?}`: the
/// custodial path; it always waits for an approval (202).
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
    let doc = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = access::load(c, &wallet_id, &user)?;
            let token = access::current_token(c, &token)?;
            let caller = Caller::new(&token, now, otp);
            a.may_transact(&caller, MoneyAction::InitiateWithdrawal)?;
            let o = Outgoing {
                wallet_id: &a.wallet.id,
                enterprise_id: &a.enterprise.id,
                organization_id: a.enterprise.organization_id.as_deref(),
                policy_organization: if a.is_child() { a.enterprise.organization_id.as_deref() } else { None },
                asset,
                amount,
                address: &address,
                actor_id: &user,
                now_ms: now,
                settle_after_seconds: config.settle_after_seconds,
                half_signed: None,
            };
            if let Verdict::Deny(rule) = withdrawals::policy_verdict(c, &o)? {
                return Err(denied(&rule));
            }
            let usd = money::usd_cents(amount, asset, price_cents(c, &config, asset)?);
            let mut approvers = withdrawals::video_approvers(c, &a.enterprise.id, &user)?;
            if !asked.is_empty() {
                approvers.retain(|v| asked.contains(v));
            }
            if approvers.is_empty() {
                return Err(Error::Invalid(
                    "videoApprovers must name video approvers of the enterprise other than you".into(),
                ));
            }
            access::charge(c, &token, caller.unlocked, usd)?;
            let pending = withdrawals::hold_for_approval(c, &o, ApprovalState::PendingVideoApproval, approvers, usd)?;
            Ok(json!({"pendingApproval": approval_json(&pending, &[]), "status": "pendingApproval"}))
        })
        .await?;
    authed.reply(StatusCode::ACCEPTED, &doc)
}
