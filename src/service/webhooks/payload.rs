//! The bodies BitGo delivers, one builder per type. Each is built once, when the notification
//! is written, and delivered byte for byte (the signature covers those bytes).

use serde_json::{json, Map, Value};

use crate::domain::time::{iso, Precision};
use crate::store::addresses::AddressRow;
use crate::store::approvals::ApprovalRow;
use crate::store::orders::OrderRow;
use crate::store::tokens::TokenRow;
use crate::store::transfers::TransferRow;

/// A `transfer` notification: the transfer as it is in `state` (with `confirmations`).
pub fn transfer(t: &TransferRow, state: &str, confirmations: i64, org: Option<&str>) -> Value {
    let value = if t.direction == "send" {
        -t.amount
    } else {
        t.amount
    };
    let mut v = json!({
        "type": "transfer",
        "hash": t.txid,
        "transfer": t.id,
        "coin": t.asset,
        "state": state,
        "wallet": t.wallet_id,
        "walletId": t.wallet_id,
        "enterprise": t.enterprise_id,
        "transferType": t.direction,
        "transactionType": t.transaction_type,
        "value": value,
        "valueString": value.to_string(),
        "baseValue": value,
        "baseValueString": value.to_string(),
        "feeString": "0",
        "confirmations": confirmations,
        "address": t.address,
        "date": iso(t.created_at, Precision::Millis),
    });
    if let Some(o) = org {
        v["organization"] = o.into();
    }
    v
}

/// A `pendingapproval` notification: the approval in its current state.
pub fn approval(a: &ApprovalRow) -> Value {
    let mut v = json!({
        "type": "pendingapproval",
        "pendingApprovalId": a.id,
        "state": a.state.as_str(),
        "approvalType": a.kind,
        "creator": a.creator_id,
        "approvalsRequired": a.approvals_required,
        "createDate": iso(a.created_at, Precision::Millis),
    });
    let fields = [
        ("walletId", &a.wallet_id),
        ("wallet", &a.wallet_id),
        ("coin", &a.coin),
        ("enterprise", &a.enterprise_id),
        ("organization", &a.organization_id),
    ];
    add_present(&mut v, &fields);
    if let Some(at) = a.resolved_at {
        v["resolvedDate"] = iso(at, Precision::Millis).into();
    }
    v
}

/// An `accessToken` notification: a long-lived token created or revoked (`action`).
pub fn access_token(t: &TokenRow, username: &str, action: &str, now_ms: i64) -> Value {
    let mut v = json!({
        "type": "accessToken",
        "action": action,
        "userId": t.user_id,
        "username": username,
        "accessTokenId": t.id,
        "label": t.label,
        "scope": t.scope.names(),
        "tokenCreateTime": iso(t.created_at, Precision::Millis),
    });
    if let Some(e) = &t.enterprise_id {
        v["enterpriseId"] = e.clone().into();
    }
    if action == "revoked" {
        v["tokenRevokeTime"] = iso(t.revoked_at.unwrap_or(now_ms), Precision::Millis).into();
    }
    v
}

/// An `address_confirmation` notification: a deposit address ready to receive.
pub fn address(a: &AddressRow, enterprise_id: &str) -> Value {
    json!({
        "type": "address_confirmation",
        "walletId": a.wallet_id,
        "wallet": a.wallet_id,
        "enterprise": enterprise_id,
        "coin": a.asset,
        "address": a.address,
        "addressId": a.id,
        "chain": a.chain,
        "index": a.index,
    })
}

/// A `tradeOrder` notification: an order in its final state.
pub fn trade_order(o: &OrderRow, organization_id: &str) -> Value {
    json!({
        "type": "tradeOrder",
        "organizationId": organization_id,
        "enterpriseId": o.enterprise_id,
        "accountId": o.account_id,
        "orderId": o.id,
        "clientOrderId": o.client_order_id,
        "product": o.product,
        "side": o.side,
        "orderType": o.order_type,
        "status": o.status,
        "quantity": o.quantity,
        "quantityCurrency": o.quantity_currency,
        "filledQuantity": o.filled_quantity.to_string(),
        "filledQuoteQuantity": o.filled_quote.to_string(),
        "completedTime": o.completed_at.map(|at| iso(at, Precision::Millis)),
    })
}

/// Placeholder data for a type with no object to report (BitGo's `usePlaceholderData`): the
/// type and the ids of whoever it is about, with a made-up subject id.
pub fn placeholder(webhook_type: &str, ids: &[(&str, Option<&str>)], subject: &str) -> Value {
    let mut v = json!({"type": webhook_type, "placeholder": true, "id": subject});
    let fields: Vec<(&str, Option<String>)> = ids
        .iter()
        .map(|(k, v)| (*k, v.map(str::to_string)))
        .collect();
    let refs: Vec<(&str, &Option<String>)> = fields.iter().map(|(k, v)| (*k, v)).collect();
    add_present(&mut v, &refs);
    v
}

/// Adds the fields that have a value.
fn add_present(v: &mut Value, fields: &[(&str, &Option<String>)]) {
    if let Value::Object(map) = v {
        let map: &mut Map<String, Value> = map;
        for (name, value) in fields {
            if let Some(value) = value {
                map.insert((*name).to_string(), value.clone().into());
            }
        }
    }
}

/// Marks a body as a simulation's.
pub fn simulated(mut v: Value) -> Value {
    v["simulation"] = true.into();
    v
}
