//! Wire shapes of Go Accounts: the keychain and the wallet with its ledger balances.

use serde_json::{json, Value};

use crate::bitgo::views::iso;
use crate::domain::ledger::Balance;
use crate::domain::money::{self, WalletPermission};
use crate::store::wallets::{KeyRow, WalletRow};

/// A keychain as `POST /api/v2/{coin}/key` returns it.
pub fn key_json(k: &KeyRow) -> Value {
    let mut v = json!({
        "id": k.id,
        "pub": k.pub_key,
        "source": k.source,
        "type": k.key_type,
        "ethAddress": Value::Null,
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
        "freeze": {},
        "admin": {},
        "coinSpecific": {},
        "startDate": iso(w.created_at),
        "receiveAddress": {"address": receive_address(&w.id), "coin": coin, "wallet": w.id},
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
