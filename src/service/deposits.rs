//! Money arriving in a Go Account from outside: BitGo's deposit simulator and the control
//! plane's faucet credit the ledger and record the incoming transfer in one step.

use rusqlite::Connection;

use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::ledger::{Balance, EntryKind};
use crate::domain::money::Asset;
use crate::store::transfers::{self, TransferRow};
use crate::store::{ledger, wallets};

/// Credits a deposit (simulator or faucet) with its transfer; returns the transfer id.
pub fn credit(
    c: &Connection,
    wallet_id: &str,
    enterprise_id: &str,
    asset: &str,
    amount: i64,
    source: &str,
    now: i64,
) -> Result<String> {
    let id = new_id(now);
    ledger::post(c, wallet_id, asset, EntryKind::Credit, amount, &id, now)?;
    transfers::insert(
        c,
        &TransferRow {
            id: id.clone(),
            wallet_id: wallet_id.into(),
            enterprise_id: enterprise_id.into(),
            asset: asset.into(),
            direction: "receive".into(),
            amount,
            address: source.into(),
            transaction_type: "DEPOSIT".into(),
            state: "confirmed".into(),
            settle_at: None,
            pending_approval_id: None,
            created_by: None,
            txid: new_id(now),
            created_at: now,
        },
    )?;
    Ok(id)
}

/// The faucet: credits `amount` of `asset` to wallet `wallet_id`; the transfer id and the
/// balance after.
pub fn faucet(
    c: &Connection,
    wallet_id: &str,
    asset: Asset,
    amount: i64,
    now: i64,
) -> Result<(String, Balance)> {
    let w = wallets::find(c, wallet_id)?
        .ok_or_else(|| Error::NotFound(format!("wallet {wallet_id} not found")))?;
    let id = credit(c, &w.id, &w.enterprise_id, asset.id, amount, "faucet", now)?;
    Ok((id, ledger::balance(c, &w.id, asset.id)?))
}
