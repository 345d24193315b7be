//! Deposit addresses of Go Accounts: creating one (reported to the wallet's
//! `address_confirmation` webhooks), and money arriving at one (`POST /sandbox/wallets/{id}/
//! deposit`), which is an on-chain deposit: `unconfirmed`, then confirmed on the sandbox clock.

use rand::RngCore;
use rusqlite::Connection;

use crate::domain::address::{self, MAX_LABEL_CHARS};
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::money::{self, Asset};
use crate::service::deposits::{self, Incoming};
use crate::service::webhooks;
use crate::store::addresses::{self, AddressRow};
use crate::store::transfers::TransferRow;
use crate::store::wallets::{self, WalletRow};

/// Creates a deposit address of `asset` on wallet `w` (on `chain`, BitGo's default 1), by
/// `created_by` (none: the sandbox's trigger).
pub fn create(
    conn: &Connection,
    w: &WalletRow,
    asset: Asset,
    chain: Option<i64>,
    label: Option<String>,
    created_by: Option<&str>,
    now_ms: i64,
) -> Result<AddressRow> {
    let chain = address::check_chain(chain)?;
    if label
        .as_ref()
        .is_some_and(|l| l.chars().count() > MAX_LABEL_CHARS)
    {
        return Err(Error::Invalid(format!(
            "label is longer than {MAX_LABEL_CHARS} characters"
        )));
    }
    let mut random = [0u8; 32];
    rand::rng().fill_bytes(&mut random);
    let a = AddressRow {
        id: new_id(now_ms),
        wallet_id: w.id.clone(),
        asset: asset.id.to_string(),
        address: address::format_address(asset, &random)?,
        chain,
        index: addresses::next_index(conn, &w.id, chain)?,
        label,
        created_by: created_by.map(str::to_string),
        created_at: now_ms,
    };
    addresses::insert(conn, &a)?;
    webhooks::report_address(conn, &a, now_ms)?;
    Ok(a)
}

/// Money arriving at `address` of wallet `wallet_id`: `amount` base units of its asset
/// (`asset`, when given, must be that one), first confirmed `confirm_after_ms` later.
pub fn deposit(
    conn: &Connection,
    wallet_id: &str,
    address: &str,
    asset: Option<Asset>,
    amount: i64,
    now_ms: i64,
    confirm_after_ms: i64,
) -> Result<TransferRow> {
    let w = wallets::find(conn, wallet_id)?
        .ok_or_else(|| Error::NotFound(format!("wallet {wallet_id} not found")))?;
    let a = addresses::find(conn, &w.id, address)?.ok_or_else(|| {
        Error::NotFound(format!(
            "address {address} is not a deposit address of wallet {wallet_id}: create one with \
             POST /api/v2/ofc/wallet/{wallet_id}/address {{\"onToken\": \"ofctbtc\"}}"
        ))
    })?;
    let own = money::asset(&a.asset)?;
    if let Some(given) = asset.filter(|g| g.id != own.id) {
        return Err(Error::Invalid(format!(
            "address {} receives {}, not {}",
            a.address, own.id, given.id
        )));
    }
    deposits::receive(
        conn,
        &Incoming {
            wallet_id: &w.id,
            enterprise_id: &w.enterprise_id,
            asset: own.id,
            amount,
            address: &a.address,
            confirmed_at: Some(now_ms.saturating_add(confirm_after_ms.max(0))),
            now_ms,
        },
    )
}
