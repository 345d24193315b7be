//! Wire shapes of Go Accounts: the keychain and the wallet with its ledger balances.

use serde_json::{json, Value};

use crate::bitgo::views::iso;
use crate::domain::ledger::Balance;
use crate::domain::money::{self, WalletPermission};
use crate::store::wallets::{KeyRow, WalletRow};

/// A keychain as `POST /api/v2/{coin}/key` returns it. No `ethAddress`: BitGo's `Key` has it
/// only as a string, and an offchain key has none (the SDK checks it only when present).
pub fn key_json(k: &KeyRow) -> Value {
    let mut v = json!({
        "id": k.id,
        "pub": k.pub_key,
        "source": k.source,
        "type": k.key_type,
        "coinSpecific": {},
    });
    if let Some(p) = &k.encrypted_prv {
        v["encryptedPrv"] = p.clone().into();
    }
    v
}

/// The Go Account's receive address: its id with BitGo's `bg-` prefix for internal
/// transfers (the SDK's `OfcToken.isValidAddress` accepts it).
pub fn receive_address(wallet_id: &str) -> String {
    format!("bg-{wallet_id}")
}

/// The Go Account's one address as BitGo lists it: chain 0, index 0 (BitGo's `WalletAddress`
/// requires both; an offchain account has no derivation, so the first of each).
pub fn address_json(wallet_id: &str, coin: &str) -> Value {
    json!({
        "id": wallet_id,
        "address": receive_address(wallet_id),
        "coin": coin,
        "wallet": wallet_id,
        "chain": 0,
        "index": 0,
    })
}

/// A wallet as BitGo returns it. Under an asset's coin (`ofctbtc`) the balance fields are
/// that asset's; under `ofc` they are absent and `balances` lists every asset.
pub fn wallet_json(
    w: &WalletRow,
    coin: &str,
    users: &[(String, Vec<WalletPermission>)],
    balances: &[(String, Balance)],
    organization_id: Option<&str>,
) -> Value {
    let users: Vec<Value> = users
        .iter()
        .map(|(u, p)| {
            json!({"user": u, "permissions": p.iter().map(|x| x.as_str()).collect::<Vec<_>>()})
        })
        .collect();
    let mut v = json!({
        "id": w.id,
        "coin": coin,
        "label": w.label,
        "type": w.wallet_type,
        "enterprise": w.enterprise_id,
        "keys": [w.user_key_id],
        "keySignatures": {},
        "m": 1,
        "n": 1,
        "users": users,
        "tags": [w.id, w.enterprise_id],
        "approvalsRequired": 1,
        "isCold": false,
        "multisigType": "onchain",
        "deleted": false,
        "disableTransactionNotifications": false,
        "allowBackupKeySigning": false,
        "hasLargeNumberOfAddresses": false,
        "freeze": {},
        "admin": {},
        "coinSpecific": {},
        "startDate": iso(w.created_at),
        "receiveAddress": address_json(&w.id, coin),
        "balances": balances.iter().map(|(asset, b)| json!({
            "coin": asset,
            "balanceString": b.total().to_string(),
            "confirmedBalanceString": b.total().to_string(),
            "spendableBalanceString": b.available.to_string(),
            "heldBalanceString": b.held.to_string(),
        })).collect::<Vec<_>>(),
    });
    if let Some(o) = organization_id {
        v["organization"] = o.into();
    }
    if money::asset(coin).is_ok() {
        let b = balances
            .iter()
            .find(|(a, _)| a == coin)
            .map(|(_, b)| *b)
            .unwrap_or_default();
        v["balance"] = json!(b.total());
        v["confirmedBalance"] = json!(b.total());
        v["spendableBalance"] = json!(b.available);
        v["balanceString"] = b.total().to_string().into();
        v["confirmedBalanceString"] = b.total().to_string().into();
        v["spendableBalanceString"] = b.available.to_string().into();
    }
    v
}
