//! Withdrawals from a Go Account (spec 6.7), each use case inside the caller's one write
//! transaction: [`build`] stores the payload to sign, [`send`] spends a signed build once,
//! [`initiate`] (custodial) always waits for a video approver. Every one asks
//! `domain::policy::may_transact` first; a refusal is an `Err` and writes nothing. What the
//! money does on the way out is [`movement`]'s.

pub mod movement;

pub use movement::{
    apply_decision, approvers_of, book_destination, HalfSigned, HeldWithdrawal, Outgoing,
    TRANSACTION_REQUEST,
};

use rusqlite::Connection;

use crate::config::MoneyConfig;
use crate::domain::approval::ApprovalState;
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::money::{self, Asset, Withdrawal};
use crate::domain::policy::MoneyAction;
use crate::domain::time::{iso, Precision};
use crate::domain::wallet_policy::Verdict;
use crate::domain::withdrawal::{self, SignedBuild};
use crate::service::access::{self, Caller, WalletAccess};
use crate::service::pricing::price_cents;
use crate::store::approvals::ApprovalRow;
use crate::store::tokens::TokenRow;
use crate::store::transfers::{self, BuildRow, TransferRow};
use crate::store::{ledger, wallets};

/// Who asks for a withdrawal, and when.
#[derive(Debug, Clone, Copy)]
pub struct Requester<'a> {
    /// The caller's user id.
    pub user_id: &'a str,
    /// The token the request authenticated with (read again inside the write wherever its
    /// spending counts).
    pub token: &'a TokenRow,
    /// The sandbox's now, ms.
    pub now_ms: i64,
    /// The request carried a valid OTP (it unlocks this one request).
    pub otp_given: bool,
}

/// A withdrawal asked for: `amount` base units of `asset` from `wallet_id` to `address`.
#[derive(Debug, Clone, Copy)]
pub struct Order<'a> {
    /// The source Go Account, as the route named it.
    pub wallet_id: &'a str,
    /// The asset of the route's `{coin}`.
    pub asset: Asset,
    /// The recipient: another Go Account (`<id>` or `bg-<id>`) or an outside address.
    pub address: &'a str,
    /// Base units.
    pub amount: i64,
}

/// A `tx/send`: the build its payload names, and what the client signed.
#[derive(Debug, Clone, Copy)]
pub struct SignedSend<'a> {
    /// The source Go Account, as the route named it.
    pub wallet_id: &'a str,
    /// The asset of the route's `{coin}`.
    pub asset: Asset,
    /// The payload's `nonce`: the build it spends.
    pub nonce: &'a str,
    /// The payload and its signature, exactly as sent.
    pub half_signed: HalfSigned<'a>,
    /// Whether the signature verifies against the wallet's user key
    /// (`auth::signed_message::verify`, checked before the write).
    pub signature_valid: bool,
}

/// What a `tx/send` led to (a refusal is an `Err`).
#[derive(Debug, Clone)]
pub enum Sent {
    /// Sent now: the send-side transfer.
    Transfer(TransferRow),
    /// Held until an approver decides: the pending approval, and the id of the wallet policy
    /// rule that asked for it (`None` when the video-approval threshold did).
    Held {
        /// The `transactionRequest` pending approval.
        approval: ApprovalRow,
        /// The wallet policy rule that holds it, if one does.
        triggered_policy: Option<String>,
    },
}

/// `tx/build`: checks the caller may build and the wallet can cover `order`, then stores and
/// returns the build whose `payload` the client signs; it can be sent until
/// `expiry_seconds` from now.
pub fn build(
    conn: &Connection,
    who: &Requester<'_>,
    order: &Order<'_>,
    expiry_seconds: i64,
) -> Result<BuildRow> {
    let (now, asset, amount) = (who.now_ms, order.asset, order.amount);
    let a = access::load(conn, order.wallet_id, who.user_id)?;
    a.may_transact(
        &Caller::new(who.token, now, who.otp_given),
        MoneyAction::BuildWithdrawal,
    )?;
    let available = ledger::balance(conn, &a.wallet.id, asset.id)?.available;
    if available < amount {
        return Err(Error::InsufficientFunds(format!(
            "insufficient funds: {} spendable is {available}, {amount} requested",
            asset.id
        )));
    }
    let book = book_destination(conn, order.address)?.is_some();
    let w = Withdrawal {
        from: a.wallet.id.clone(),
        asset,
        amount,
        address: order.address.to_string(),
    };
    let nonce = new_id(now);
    let payload = money::build_payload(&w, &nonce, &iso(now, Precision::Millis), book);
    let b = BuildRow {
        nonce,
        wallet_id: a.wallet.id,
        asset: asset.id.into(),
        amount,
        address: w.address,
        payload,
        created_by: who.user_id.to_string(),
        created_at: now,
        expires_at: now + expiry_seconds.saturating_mul(1000),
        sent_at: None,
    };
    transfers::insert_build(conn, &b)?;
    Ok(b)
}

/// The public key a `tx/send` on `wallet_id` must be signed with, once the caller may send
/// from it (asked before the signature is checked, outside the write; a wallet's user key
/// never changes).
pub fn signing_key(conn: &Connection, who: &Requester<'_>, wallet_id: &str) -> Result<String> {
    let a = access::load(conn, wallet_id, who.user_id)?;
    a.may_transact(
        &Caller::new(who.token, who.now_ms, who.otp_given),
        MoneyAction::SendWithdrawal,
    )?;
    let key = wallets::find_key(conn, &a.wallet.user_key_id)?
        .ok_or_else(|| Error::Internal("wallet key vanished".into()))?;
    Ok(key.pub_key)
}

/// `tx/send`: asks everything again inside the write (the caller's rights, the build, its
/// signature and expiry, that it is spent once, the token's spending limit), then carries
/// the withdrawal out or holds it for an approval.
pub fn send(
    conn: &Connection,
    who: &Requester<'_>,
    s: &SignedSend<'_>,
    config: &MoneyConfig,
) -> Result<Sent> {
    let now = who.now_ms;
    let a = access::load(conn, s.wallet_id, who.user_id)?;
    let token = access::current_token(conn, who.token)?;
    let caller = Caller::new(&token, now, who.otp_given);
    a.may_transact(&caller, MoneyAction::SendWithdrawal)?;
    let b = transfers::find_build(conn, s.nonce)?
        .filter(|b| b.wallet_id == a.wallet.id && b.asset == s.asset.id)
        .ok_or_else(|| {
            Error::Invalid(
                "unknown payload: build it with tx/build on this wallet and asset".into(),
            )
        })?;
    withdrawal::may_send(
        &SignedBuild {
            built: &b.payload,
            sent: s.half_signed.payload,
            signature_valid: s.signature_valid,
            expires_at_ms: b.expires_at,
        },
        now,
    )?;
    if !transfers::mark_sent(conn, &b.nonce, now)? {
        return Err(Error::Conflict("this payload was already sent".into()));
    }
    let usd = money::usd_cents(b.amount, s.asset, price_cents(conn, config, s.asset)?);
    access::charge(conn, &token, caller.unlocked, usd)?;
    let order = Order {
        wallet_id: &a.wallet.id,
        asset: s.asset,
        address: &b.address,
        amount: b.amount,
    };
    let o = outgoing(&a, &order, who, config, Some(s.half_signed));
    carry_out(conn, &o, config, usd)
}

/// Sends, or holds for an approval: a wallet policy rule's (denied, or approved by another
/// admin), or a video approver's when the USD value (`usd`, cents) is above the threshold.
fn carry_out(conn: &Connection, o: &Outgoing<'_>, config: &MoneyConfig, usd: i128) -> Result<Sent> {
    match movement::policy_verdict(conn, o)? {
        Verdict::Allow => {}
        Verdict::Deny(rule) => return Err(denied(&rule)),
        Verdict::NeedsApproval(rule) => {
            let approvers = movement::admin_approvers(conn, o.enterprise_id, o.actor_id)?;
            if approvers.is_empty() {
                return Err(Error::Invalid(format!(
                    "policy rule {rule} needs an approval and the enterprise has no other admin to give it"
                )));
            }
            let approval =
                movement::hold_for_approval(conn, o, ApprovalState::Pending, approvers, usd)?;
            return Ok(Sent::Held {
                approval,
                triggered_policy: Some(rule),
            });
        }
    }
    let threshold = config.video_approval_threshold_usd.saturating_mul(100);
    if money::needs_video_approval(usd, threshold) {
        let approvers = movement::video_approvers(conn, o.enterprise_id, o.actor_id)?;
        if approvers.is_empty() {
            return Err(Error::Invalid(
                "this withdrawal needs a video approval, and the enterprise has no video approver \
                 other than you: add one with POST /api/v2/enterprise/{id}/user {videoIdUser: true}"
                    .into(),
            ));
        }
        let approval = movement::hold_for_approval(
            conn,
            o,
            ApprovalState::PendingVideoApproval,
            approvers,
            usd,
        )?;
        return Ok(Sent::Held {
            approval,
            triggered_policy: None,
        });
    }
    Ok(Sent::Transfer(movement::send_now(conn, o)?))
}

/// `tx/initiate` (custodial): always held for a video approver, one of `asked` when the
/// caller named some. Returns the pending approval.
pub fn initiate(
    conn: &Connection,
    who: &Requester<'_>,
    order: &Order<'_>,
    asked: &[String],
    config: &MoneyConfig,
) -> Result<ApprovalRow> {
    let a = access::load(conn, order.wallet_id, who.user_id)?;
    let token = access::current_token(conn, who.token)?;
    let caller = Caller::new(&token, who.now_ms, who.otp_given);
    a.may_transact(&caller, MoneyAction::InitiateWithdrawal)?;
    let o = outgoing(&a, order, who, config, None);
    if let Verdict::Deny(rule) = movement::policy_verdict(conn, &o)? {
        return Err(denied(&rule));
    }
    let usd = money::usd_cents(
        order.amount,
        order.asset,
        price_cents(conn, config, order.asset)?,
    );
    let mut approvers = movement::video_approvers(conn, &a.enterprise.id, who.user_id)?;
    if !asked.is_empty() {
        approvers.retain(|v| asked.contains(v));
    }
    if approvers.is_empty() {
        return Err(Error::Invalid(
            "videoApprovers must name video approvers of the enterprise other than you".into(),
        ));
    }
    access::charge(conn, &token, caller.unlocked, usd)?;
    movement::hold_for_approval(
        conn,
        &o,
        ApprovalState::PendingVideoApproval,
        approvers,
        usd,
    )
}

/// The withdrawal `order` of wallet `a` as the ledger carries it out.
fn outgoing<'a>(
    a: &'a WalletAccess,
    order: &Order<'a>,
    who: &Requester<'a>,
    config: &MoneyConfig,
    half_signed: Option<HalfSigned<'a>>,
) -> Outgoing<'a> {
    Outgoing {
        wallet_id: &a.wallet.id,
        enterprise_id: &a.enterprise.id,
        organization_id: a.enterprise.organization_id.as_deref(),
        policy_organization: if a.is_child() {
            a.enterprise.organization_id.as_deref()
        } else {
            None
        },
        asset: order.asset,
        amount: order.amount,
        address: order.address,
        actor_id: who.user_id,
        now_ms: who.now_ms,
        settle_after_seconds: config.settle_after_seconds,
        half_signed,
    }
}

fn denied(rule: &str) -> Error {
    Error::Forbidden(format!(
        "this withdrawal is denied by the wallet's policy rule {rule} (the recipient is not whitelisted, or a limit is reached)"
    ))
}
