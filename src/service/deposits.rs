//! Money arriving in a Go Account from outside: BitGo's deposit simulator (a wire, final at
//! once), the control plane's faucet and deposits to an address (on-chain: `unconfirmed` until
//! their first confirmation on the sandbox clock) credit the ledger and record the incoming
//! transfer in one step, and report it to the wallet's webhooks.

use rusqlite::Connection;

use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::ledger::{Balance, EntryKind};
use crate::domain::money::Asset;
use crate::service::webhooks;
use crate::store::transfers::{self, TransferRow};
use crate::store::{ledger, wallets};

/// Money arriving in a Go Account.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    /// The Go Account.
    pub wallet_id: &'a str,
    /// Its enterprise.
    pub enterprise_id: &'a str,
    /// Asset id.
    pub asset: &'a str,
    /// Base units.
    pub amount: i64,
    /// The address it arrived at (or where it came from: `wire`, `faucet`).
    pub address: &'a str,
    /// When it has its first confirmation (sandbox clock, ms); `None`: final at once.
    pub confirmed_at: Option<i64>,
    /// Now, ms.
    pub now_ms: i64,
}

/// Credits an incoming deposit and records its transfer (`unconfirmed` until `confirmed_at`,
/// or `confirmed`); returns the transfer.
pub fn receive(c: &Connection, i: &Incoming<'_>) -> Result<TransferRow> {
    let id = new_id(i.now_ms);
    ledger::post(
        c,
        i.wallet_id,
        i.asset,
        EntryKind::Credit,
        i.amount,
        &id,
        i.now_ms,
    )?;
    let t = TransferRow {
        id,
        wallet_id: i.wallet_id.into(),
        enterprise_id: i.enterprise_id.into(),
        asset: i.asset.into(),
        direction: "receive".into(),
        amount: i.amount,
        address: i.address.into(),
        transaction_type: "DEPOSIT".into(),
        state: if i.confirmed_at.is_some() {
            "unconfirmed"
        } else {
            "confirmed"
        }
        .into(),
        settle_at: i.confirmed_at,
        pending_approval_id: None,
        created_by: None,
        txid: new_id(i.now_ms),
        created_at: i.now_ms,
    };
    transfers::insert(c, &t)?;
    webhooks::report_transfer(c, &t, i.now_ms)?;
    Ok(t)
}

/// Credits a deposit that is final at once (BitGo's wire simulator); returns the transfer id.
pub fn credit(
    c: &Connection,
    wallet_id: &str,
    enterprise_id: &str,
    asset: &str,
    amount: i64,
    source: &str,
    now: i64,
) -> Result<String> {
    let t = receive(
        c,
        &Incoming {
            wallet_id,
            enterprise_id,
            asset,
            amount,
            address: source,
            confirmed_at: None,
            now_ms: now,
        },
    )?;
    Ok(t.id)
}

/// The faucet: credits `amount` of `asset` to wallet `wallet_id`, confirmed `confirm_after_ms`
/// later on the sandbox clock; the transfer id and the balance after.
pub fn faucet(
    c: &Connection,
    wallet_id: &str,
    asset: Asset,
    amount: i64,
    now: i64,
    confirm_after_ms: i64,
) -> Result<(String, Balance)> {
    let w = wallets::find(c, wallet_id)?
        .ok_or_else(|| Error::NotFound(format!("wallet {wallet_id} not found")))?;
    let t = receive(
        c,
        &Incoming {
            wallet_id: &w.id,
            enterprise_id: &w.enterprise_id,
            asset: asset.id,
            amount,
            address: "faucet",
            confirmed_at: Some(now.saturating_add(confirm_after_ms.max(0))),
            now_ms: now,
        },
    )?;
    Ok((t.id, ledger::balance(c, &w.id, asset.id)?))
}
