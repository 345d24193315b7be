//! What a withdrawal does to the ledger, inside the caller's write transaction: a book
//! transfer to another Go Account moves money atomically (debit one, credit the other); an
//! outside address is debited now and the transfer settles on the sandbox clock; a withdrawal
//! that needs a video approver holds the amount behind a `transactionRequest` pending
//! approval, which [`apply_decision`] settles or releases exactly once.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::approval::ApprovalState;
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::ledger::EntryKind;
use crate::domain::money::Asset;
use crate::service::webhooks;
use crate::store::approvals::{self, ApprovalRow};
use crate::store::transfers::{self, TransferRow};
use crate::store::{enterprise_users, ledger, wallets};

/// The `info.type` of a withdrawal waiting for approval.
pub const TRANSACTION_REQUEST: &str = "transactionRequest";

/// A withdrawal about to be carried out.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    /// Source wallet.
    pub wallet_id: &'a str,
    /// Its enterprise.
    pub enterprise_id: &'a str,
    /// Its organization, if any.
    pub organization_id: Option<&'a str>,
    /// The organization whose rules it obeys (when the wallet is in a child enterprise).
    pub policy_organization: Option<&'a str>,
    /// Asset.
    pub asset: Asset,
    /// Base units.
    pub amount: i64,
    /// Recipient as given.
    pub address: &'a str,
    /// Who initiates.
    pub actor_id: &'a str,
    /// Now, ms.
    pub now_ms: i64,
    /// Seconds until an outside withdrawal confirms.
    pub settle_after_seconds: i64,
    /// The signed payload of a `tx/send`; an approval shows it under
    /// `info.transactionRequest.coinSpecific.<asset>.halfSigned`, where the SDK's
    /// `PendingApproval.approve()` reads it.
    pub half_signed: Option<HalfSigned<'a>>,
}

/// A `tx/send`'s `halfSigned`: the payload of a build and the user key's signature of it.
#[derive(Debug, Clone, Copy)]
pub struct HalfSigned<'a> {
    /// The payload string, as `tx/build` returned it.
    pub payload: &'a str,
    /// The signature, as sent.
    pub signature: &'a str,
}

/// The change a withdrawal's pending approval carries (internal JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldWithdrawal {
    /// The send-side transfer.
    pub transfer_id: String,
    /// Who may approve it.
    pub approvers: Vec<String>,
}

/// The Go Account id an address names, if it is one (`<id>` or `bg-<id>`).
pub fn book_destination(conn: &Connection, address: &str) -> Result<Option<String>> {
    let id = address
        .strip_prefix("bg-")
        .unwrap_or(address)
        .to_ascii_lowercase();
    Ok(wallets::find(conn, &id)?.map(|w| w.id))
}

/// The ids a recipient is known by, for whitelists: the address, and for a Go Account its
/// wallet, enterprise and organization ids.
pub fn recipient_ids(conn: &Connection, address: &str) -> Result<Vec<String>> {
    let mut ids = vec![address.to_ascii_lowercase()];
    if let Some(w) =
        book_destination(conn, address)?.and_then(|id| wallets::find(conn, &id).ok().flatten())
    {
        ids.push(w.id.clone());
        if let Some(e) = crate::store::enterprises::find_by_id(conn, &w.enterprise_id)? {
            ids.extend(e.organization_id.clone());
            ids.push(e.id);
        }
    }
    Ok(ids)
}

/// What the wallet's policy rules (its own and its organization's) decide for `o`.
pub fn policy_verdict(
    conn: &Connection,
    o: &Outgoing<'_>,
) -> Result<crate::domain::wallet_policy::Verdict> {
    let rules =
        crate::store::wallet_policies::rules_for_wallet(conn, o.wallet_id, o.policy_organization)?;
    if rules.is_empty() {
        return Ok(crate::domain::wallet_policy::Verdict::Allow);
    }
    let recipients = recipient_ids(conn, o.address)?;
    let mut sent = |window: i64| {
        transfers::sent_since(
            conn,
            o.wallet_id,
            o.asset.id,
            o.now_ms - window.saturating_mul(1000),
        )
    };
    crate::domain::wallet_policy::evaluate(&rules, o.asset.id, o.amount, &recipients, &mut sent)
}

/// The enterprise's admins other than `initiator` (who approve a policy hold).
pub fn admin_approvers(
    conn: &Connection,
    enterprise_id: &str,
    initiator: &str,
) -> Result<Vec<String>> {
    Ok(enterprise_users::admin_ids(conn, enterprise_id)?
        .into_iter()
        .filter(|u| u != initiator)
        .collect())
}

fn send_row(o: &Outgoing<'_>, book: bool, state: &str, txid: &str) -> TransferRow {
    TransferRow {
        id: new_id(o.now_ms),
        wallet_id: o.wallet_id.to_string(),
        enterprise_id: o.enterprise_id.to_string(),
        asset: o.asset.id.to_string(),
        direction: "send".into(),
        amount: o.amount,
        address: o.address.to_string(),
        transaction_type: if book { "BOOK_TRANSFER" } else { "WITHDRAWAL" }.into(),
        state: state.into(),
        settle_at: None,
        pending_approval_id: None,
        created_by: Some(o.actor_id.to_string()),
        txid: txid.to_string(),
        created_at: o.now_ms,
    }
}

/// Completes a movement whose money has left the source (debited or settled): credits a
/// book destination, or sets the outside transfer to settle later.
fn deliver(
    conn: &Connection,
    t: &TransferRow,
    now_ms: i64,
    settle_after_seconds: i64,
) -> Result<()> {
    match book_destination(conn, &t.address)? {
        Some(dest) if dest != t.wallet_id => {
            ledger::post(
                conn,
                &dest,
                &t.asset,
                EntryKind::Credit,
                t.amount,
                &t.id,
                now_ms,
            )?;
            let dest_wallet = wallets::find(conn, &dest)?
                .ok_or_else(|| Error::Internal(format!("wallet {dest} vanished")))?;
            let received = TransferRow {
                id: new_id(now_ms),
                wallet_id: dest,
                enterprise_id: dest_wallet.enterprise_id,
                direction: "receive".into(),
                address: t.wallet_id.clone(),
                state: "confirmed".into(),
                created_by: t.created_by.clone(),
                created_at: now_ms,
                ..t.clone()
            };
            transfers::insert(conn, &received)?;
            webhooks::report_transfer(conn, &received, now_ms)?;
            transfers::set_state(conn, &t.id, "confirmed", None)
        }
        Some(_) => Err(Error::Invalid("a Go Account cannot send to itself".into())),
        None => transfers::set_state(
            conn,
            &t.id,
            "signed",
            Some(now_ms + settle_after_seconds.saturating_mul(1000)),
        ),
    }?;
    webhooks::report_transfer_id(conn, &t.id, now_ms)
}

/// Sends now: debits the source (refused, writing nothing, when it cannot cover it) and
/// delivers. Returns the send-side transfer.
pub fn send_now(conn: &Connection, o: &Outgoing<'_>) -> Result<TransferRow> {
    let book = book_destination(conn, o.address)?.is_some();
    let t = send_row(o, book, "signed", &new_id(o.now_ms));
    ledger::post(
        conn,
        o.wallet_id,
        o.asset.id,
        EntryKind::Debit,
        o.amount,
        &t.id,
        o.now_ms,
    )?;
    transfers::insert(conn, &t)?;
    deliver(conn, &t, o.now_ms, o.settle_after_seconds)?;
    transfers::find(conn, &t.id)?.ok_or_else(|| Error::Internal("transfer vanished".into()))
}

/// Holds the amount and opens a `transactionRequest` pending approval in `state`, resolvable
/// by `approvers`. Returns the approval.
pub fn hold_for_approval(
    conn: &Connection,
    o: &Outgoing<'_>,
    state: ApprovalState,
    approvers: Vec<String>,
    usd_cents: i128,
) -> Result<ApprovalRow> {
    let book = book_destination(conn, o.address)?.is_some();
    let approval_id = new_id(o.now_ms);
    let mut t = send_row(o, book, "pendingApproval", &new_id(o.now_ms));
    t.pending_approval_id = Some(approval_id.clone());
    ledger::post(
        conn,
        o.wallet_id,
        o.asset.id,
        EntryKind::Hold,
        o.amount,
        &t.id,
        o.now_ms,
    )?;
    transfers::insert(conn, &t)?;
    let change = HeldWithdrawal {
        transfer_id: t.id.clone(),
        approvers: approvers.clone(),
    };
    let info = json!({
        "type": TRANSACTION_REQUEST,
        "transactionRequest": {
            "coinSpecific": {o.asset.id: match o.half_signed {
                Some(h) => json!({"halfSigned": {"payload": h.payload, "signature": h.signature}}),
                None => json!({}),
            }},
            "recipients": [{"address": o.address, "amount": o.amount.to_string()}],
            "buildParams": {"recipients": [{"address": o.address, "amount": o.amount.to_string()}]},
            "sourceWallet": o.wallet_id,
            "requestedAmount": o.amount.to_string(),
            "usdValue": format!("{}.{:02}", usd_cents / 100, usd_cents % 100),
            "transferId": t.id,
        }
    });
    let a = ApprovalRow {
        id: approval_id,
        enterprise_id: Some(o.enterprise_id.to_string()),
        organization_id: o.organization_id.map(str::to_string),
        wallet_id: Some(o.wallet_id.to_string()),
        coin: Some(o.asset.id.to_string()),
        creator_id: o.actor_id.to_string(),
        scope: "wallet".into(),
        kind: TRANSACTION_REQUEST.into(),
        info,
        change: serde_json::to_value(&change).map_err(|e| Error::Internal(e.to_string()))?,
        state,
        approvals_required: 1,
        user_ids: approvers,
        created_at: o.now_ms,
        updated_at: o.now_ms,
        resolved_at: None,
    };
    approvals::insert(conn, &a)?;
    webhooks::report_approval(conn, &a, o.now_ms)?;
    Ok(a)
}

/// The enterprise's video approvers who are not `initiator` (who could approve).
pub fn video_approvers(
    conn: &Connection,
    enterprise_id: &str,
    initiator: &str,
) -> Result<Vec<String>> {
    Ok(enterprise_users::video_approver_ids(conn, enterprise_id)?
        .into_iter()
        .filter(|u| u != initiator)
        .collect())
}

/// Who may resolve a withdrawal approval.
pub fn approvers_of(a: &ApprovalRow) -> Result<Vec<String>> {
    let held: HeldWithdrawal = serde_json::from_value(a.change.clone())
        .map_err(|e| Error::Internal(format!("approval {} change: {e}", a.id)))?;
    Ok(held.approvers)
}

/// Carries out a resolved withdrawal approval: approved settles the held amount and delivers
/// it, rejected releases it. Called once, in the transaction that resolves the approval.
pub fn apply_decision(
    conn: &Connection,
    a: &ApprovalRow,
    approved: bool,
    now_ms: i64,
    settle_after_seconds: i64,
) -> Result<Value> {
    let held: HeldWithdrawal = serde_json::from_value(a.change.clone())
        .map_err(|e| Error::Internal(format!("approval {} change: {e}", a.id)))?;
    let t = transfers::find(conn, &held.transfer_id)?
        .ok_or_else(|| Error::Internal(format!("transfer {} vanished", held.transfer_id)))?;
    if approved {
        ledger::post(
            conn,
            &t.wallet_id,
            &t.asset,
            EntryKind::Settle,
            t.amount,
            &t.id,
            now_ms,
        )?;
        deliver(conn, &t, now_ms, settle_after_seconds)?;
    } else {
        ledger::post(
            conn,
            &t.wallet_id,
            &t.asset,
            EntryKind::Release,
            t.amount,
            &t.id,
            now_ms,
        )?;
        transfers::set_state(conn, &t.id, "rejected", None)?;
        webhooks::report_transfer_id(conn, &t.id, now_ms)?;
    }
    Ok(json!({"transferId": t.id}))
}
