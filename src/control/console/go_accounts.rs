//! The Go Accounts of one enterprise as the console draws them: balances per asset (whole
//! units), the newest transfers and orders, the wallet's users, and, when the console looks
//! through a user's eyes, what that user may do with each account, asked of the same
//! `WalletAccess` questions the money routes ask.

use rusqlite::Connection;
use serde_json::{json, Value};

use crate::domain::error::Result;
use crate::domain::money;
use crate::domain::policy::MoneyAction;
use crate::domain::scope::ScopeSet;
use crate::domain::token_rules::TokenKind;
use crate::service::access::{self, Caller};
use crate::store::{ledger, orders, transfers, users, wallets};

/// Newest transfers and orders shown per account.
const RECENT: usize = 5;

/// Every Go Account of `enterprise_id`, oldest first; with `viewer`, each carries `viewAs`:
/// `{view, trade, withdraw}` as that user's login session would be answered.
pub fn go_accounts(
    conn: &Connection,
    enterprise_id: &str,
    viewer: Option<&str>,
) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for w in wallets::list_for_enterprise(conn, enterprise_id)? {
        let mut view = json!({
            "id": w.id,
            "label": w.label,
            "coin": w.coin,
            "type": w.wallet_type,
            "balances": balances(conn, &w.id)?,
            "transfers": recent_transfers(conn, &w.id)?,
            "orders": recent_orders(conn, &w.id)?,
            "users": wallet_users(conn, &w.id)?,
        });
        if let Some(user_id) = viewer {
            let access = access::load(conn, &w.id, user_id)?;
            let scopes = ScopeSet::login();
            // An unlocked login session: what the user's role allows, not their session state.
            let session = Caller {
                scopes: &scopes,
                kind: TokenKind::Login,
                unlocked: true,
            };
            view["viewAs"] = json!({
                "view": verdict(access.may_view(&scopes)),
                "trade": verdict(access.may_transact(&session, MoneyAction::PlaceOrder)),
                "withdraw": verdict(access.may_transact(&session, MoneyAction::SendWithdrawal)),
            });
        }
        out.push(view);
    }
    Ok(out)
}

/// `{allowed: true}`, or `{allowed: false, refusedBy, reason}` in BitGo's error names.
pub fn verdict(answer: Result<()>) -> Value {
    match answer {
        Ok(()) => json!({ "allowed": true }),
        Err(e) => json!({ "allowed": false, "refusedBy": e.code(), "reason": e.to_string() }),
    }
}

fn balances(conn: &Connection, wallet_id: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for (asset_id, b) in ledger::balances(conn, wallet_id)? {
        let currency =
            money::asset(&asset_id).map_or_else(|_| asset_id.clone(), |a| a.currency.into());
        out.push(json!({
            "currency": currency,
            "available": whole_units(&asset_id, b.available),
            "held": whole_units(&asset_id, b.held),
            "total": whole_units(&asset_id, b.total()),
            "asset": asset_id,
        }));
    }
    Ok(out)
}

/// Base units of `asset_id` in whole units (as they are, for an asset orgbox does not know).
fn whole_units(asset_id: &str, amount: i64) -> String {
    money::asset(asset_id).map_or_else(|_| amount.to_string(), |a| money::format_decimal(amount, a))
}

fn recent_transfers(conn: &Connection, wallet_id: &str) -> Result<Vec<Value>> {
    Ok(transfers::list(conn, Some(wallet_id), None, None, RECENT)?
        .into_iter()
        .map(|t| {
            json!({
                "id": t.id,
                "direction": t.direction,
                "asset": t.asset,
                "amount": whole_units(&t.asset, t.amount),
                "address": t.address,
                "type": t.transaction_type,
                "state": t.state,
                "createdAt": t.created_at,
            })
        })
        .collect())
}

fn recent_orders(conn: &Connection, wallet_id: &str) -> Result<Vec<Value>> {
    Ok(orders::list(conn, wallet_id, None, None, 0, RECENT)?
        .into_iter()
        .map(|o| {
            json!({
                "id": o.id,
                "product": o.product,
                "side": o.side,
                "type": o.order_type,
                "quantity": o.quantity,
                "quantityCurrency": o.quantity_currency,
                "status": o.status,
                "createdAt": o.created_at,
            })
        })
        .collect())
}

fn wallet_users(conn: &Connection, wallet_id: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for (user_id, perms) in wallets::users(conn, wallet_id)? {
        out.push(json!({
            "username": users::username_or_id(conn, &user_id)?,
            "permissions": perms.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        }));
    }
    Ok(out)
}
