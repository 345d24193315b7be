//! A demo child enterprise's Go Account: its sandbox user key, the wallet, its users and its
//! opening balance.

use rusqlite::Connection;

use super::{demo_id, DemoChildWorld};
use crate::auth::signed_message::key_pair;
use crate::auth::token::sha256_hex;
use crate::domain::error::{Error, Result};
use crate::domain::ledger::EntryKind;
use crate::domain::money::WalletPermission;
use crate::store::{enterprise_users, ledger, wallets};

/// The child enterprise's Go Account, created (and funded with 1,000,000 USD and 10 BTC)
/// only if missing; its owner is the first service user, and the end user becomes the
/// child's video approver, so a large withdrawal can be approved right after start.
pub(super) fn seed_go_account(
    conn: &Connection,
    world: &mut DemoChildWorld,
    service_users: &[String],
    now_ms: i64,
) -> Result<()> {
    let secret = sha256_hex(format!("orgbox-demo:key:{}", world.email).as_bytes());
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(&secret, &mut bytes).map_err(|e| Error::Internal(e.to_string()))?;
    let (xprv, xpub) = key_pair(&bytes).ok_or_else(|| Error::Internal("demo key".into()))?;
    world.go_account_xprv = xprv;
    let Some(owner) = service_users.first() else {
        return Ok(());
    };
    if wallets::find(conn, &world.go_account_id)?.is_some() {
        return Ok(());
    }
    let key_id = demo_id("key", &world.email);
    wallets::insert_key(
        conn,
        &wallets::KeyRow {
            id: key_id.clone(),
            coin: "ofc".into(),
            user_id: owner.clone(),
            pub_key: xpub,
            encrypted_prv: None,
            source: "user".into(),
            key_type: "independent".into(),
            original_passcode_encryption_code: None,
            created_at: now_ms,
        },
    )?;
    wallets::insert(
        conn,
        &wallets::WalletRow {
            id: world.go_account_id.clone(),
            coin: "ofc".into(),
            wallet_type: "trading".into(),
            label: format!("{} Go Account", world.email),
            enterprise_id: world.enterprise_id.clone(),
            user_key_id: key_id,
            created_by: owner.clone(),
            created_at: now_ms,
        },
    )?;
    let all = [
        WalletPermission::Admin,
        WalletPermission::Spend,
        WalletPermission::View,
    ];
    wallets::set_user(conn, &world.go_account_id, owner, &all, now_ms)?;
    wallets::set_user(
        conn,
        &world.go_account_id,
        &world.user_id,
        &[WalletPermission::View],
        now_ms,
    )?;
    enterprise_users::set_video_id_user(conn, &world.enterprise_id, &world.user_id, true)?;
    for (asset, amount) in [("ofctusd", 100_000_000), ("ofctbtc", 1_000_000_000)] {
        ledger::post(
            conn,
            &world.go_account_id,
            asset,
            EntryKind::Credit,
            amount,
            "demo-funding",
            now_ms,
        )?;
    }
    Ok(())
}
