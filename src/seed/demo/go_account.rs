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

/// The demo Go Account's user key pair `(xprv, xpub)`, derived from its end user's email.
fn demo_key(email: &str) -> Result<(String, String)> {
    let secret = sha256_hex(format!("orgbox-demo:key:{email}").as_bytes());
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(&secret, &mut bytes).map_err(|e| Error::Internal(e.to_string()))?;
    key_pair(&bytes).ok_or_else(|| Error::Internal("demo key".into()))
}

/// The demo user key encrypted with the demo password as the SDK's `encrypt` does (salt and
/// IV derived from the email, so every orgbox seeds the same bytes), for
/// `wallet.send({ walletPassphrase })`.
fn demo_encrypted_prv(email: &str, password: &str, xprv: &str) -> String {
    let digest = sha256_hex(format!("orgbox-demo:sjcl:{email}").as_bytes());
    let mut bytes = [0u8; 32];
    let _ = hex::decode_to_slice(&digest, &mut bytes);
    let salt: [u8; 8] = std::array::from_fn(|i| bytes[i]);
    let iv: [u8; 16] = std::array::from_fn(|i| bytes[8 + i]);
    crate::auth::sjcl::encrypt(password, xprv, salt, iv)
}

/// The child enterprise's Go Account, created (and funded with 1,000,000 USD and 10 BTC)
/// only if missing; its owner is the first service user, and the end user becomes the
/// child's video approver, so a large withdrawal can be approved right after start. Its user
/// keychain carries the key encrypted with the demo password (added to one seeded before).
pub(super) fn seed_go_account(
    conn: &Connection,
    world: &mut DemoChildWorld,
    service_users: &[String],
    password: &str,
    now_ms: i64,
) -> Result<()> {
    let (xprv, xpub) = demo_key(&world.email)?;
    world.go_account_xprv = xprv.clone();
    let key_id = demo_id("key", &world.email);
    let Some(owner) = service_users.first() else {
        return Ok(());
    };
    if wallets::find(conn, &world.go_account_id)?.is_some() {
        if wallets::find_key(conn, &key_id)?.is_some_and(|k| k.encrypted_prv.is_none()) {
            let encrypted = demo_encrypted_prv(&world.email, password, &xprv);
            wallets::fill_encrypted_prv(conn, &key_id, &encrypted)?;
        }
        return Ok(());
    }
    wallets::insert_key(
        conn,
        &wallets::KeyRow {
            id: key_id.clone(),
            coin: "ofc".into(),
            user_id: owner.clone(),
            pub_key: xpub,
            encrypted_prv: Some(demo_encrypted_prv(&world.email, password, &xprv)),
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
