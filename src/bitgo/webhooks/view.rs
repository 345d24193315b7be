//! Wire shapes of webhooks and their notifications: BitGo's `WalletWebhookResponse` /
//! `EnterpriseWebhookResponse` / `OrganizationWebhookResponse`, its `WebhookNotification`
//! (with orgbox's `attempts`), and the notifications service's `WebhookNotificationDTO`.

use serde_json::{json, Value};

use crate::bitgo::views::iso;
use crate::domain::ids::uuid_of;
use crate::store::webhooks::notifications::{AttemptRow, NotificationRow};
use crate::store::webhooks::WebhookRow;

/// A webhook as BitGo shows it.
pub fn webhook_json(w: &WebhookRow) -> Value {
    let mut v = json!({
        "id": w.id,
        "created": iso(w.created_at),
        "type": w.webhook_type,
        "url": w.url,
        "version": 2,
        "scope": w.scope,
        "state": "active",
        "numConfirmations": w.num_confirmations,
        "successiveFailedAttempts": w.successive_failed_attempts,
        "allToken": w.all_token,
        "listenToFailureStates": w.listen_to_failure_states,
        "userId": w.created_by,
    });
    let owner_field = match w.scope.as_str() {
        "wallet" => "walletId",
        "enterprise" => "enterpriseId",
        _ => "organizationId",
    };
    v[owner_field] = w.owner_id.clone().into();
    if let Some(label) = &w.label {
        v["label"] = label.clone().into();
    }
    if let Some(coin) = &w.coin {
        v["coin"] = coin.clone().into();
    }
    if let Some(at) = w.last_attempt_at {
        v["lastAttempt"] = iso(at).into();
    }
    if let Some(at) = w.failing_since {
        v["failingSince"] = iso(at).into();
    }
    if let Some(headers) = w
        .custom_headers
        .as_deref()
        .and_then(|h| serde_json::from_str::<Value>(h).ok())
    {
        v["customHttpHeaders"] = headers;
    }
    v
}

/// BitGo's notification state: `unconfirmed` while its event (a confirmation) is still ahead
/// on the sandbox clock, `new` before the first attempt, `pending` while retrying, then
/// `processed` or `failed`.
pub fn state_name(n: &NotificationRow, now_ms: i64) -> &'static str {
    match n.state.as_str() {
        "processed" => "processed",
        "failed" => "failed",
        _ if n.event_at > now_ms => "unconfirmed",
        _ if n.attempts == 0 => "new",
        _ => "pending",
    }
}

fn attempt_json(a: &AttemptRow) -> Value {
    json!({
        "attempt": a.attempt,
        "time": iso(a.at),
        "status": a.status,
        "latencyMs": a.latency_ms,
        "response": a.response,
        "error": a.error,
    })
}

/// The last attempt's answer: `code` and `body` when the receiver answered, `error` when it
/// did not; a field with nothing to say is left out (BitGo types each as a string or number,
/// never null).
fn response_json(last: Option<&AttemptRow>) -> Value {
    let mut v = json!({});
    if let Some(a) = last {
        v["type"] = if a.status.is_some() {
            "response"
        } else {
            "error"
        }
        .into();
        if let Some(code) = a.status {
            v["code"] = code.into();
        }
        if let Some(body) = &a.response {
            v["body"] = body.clone().into();
        }
        if let Some(error) = &a.error {
            v["error"] = error.clone().into();
        }
    }
    v
}

/// Sets each named field that has a value; one without is left out (BitGo types them as
/// strings, never null).
fn put_present(v: &mut Value, fields: &[(&str, &Option<String>)]) {
    for (name, value) in fields {
        if let Some(value) = value {
            v[*name] = value.clone().into();
        }
    }
}

/// A notification as BitGo's notification-history routes show it, with every attempt.
pub fn notification_json(
    n: &NotificationRow,
    attempts: &[AttemptRow],
    url: &str,
    now_ms: i64,
) -> Value {
    let mut v = json!({
        "id": n.id,
        "type": n.webhook_type,
        "url": url,
        "state": state_name(n, now_ms),
        "simulation": n.simulation,
        "retries": (n.attempts - 1).max(0),
        "webhook": n.webhook_id,
        "updatedAt": iso(n.updated_at),
        "version": 2,
        "idempotencyKey": n.event_key,
        "payload": n.payload,
        "response": response_json(attempts.last()),
        "attempts": attempts.iter().map(attempt_json).collect::<Vec<_>>(),
    });
    put_present(
        &mut v,
        &[
            ("wallet", &n.wallet_id),
            ("enterprise", &n.enterprise_id),
            ("organization", &n.organization_id),
            ("coin", &n.coin),
            ("transfer", &n.transfer_id),
            ("pendingApprovalId", &n.pending_approval_id),
            ("hash", &n.hash),
            ("retriggerOf", &n.retrigger_of),
        ],
    );
    if n.state == "pending" {
        v["nextAttempt"] = iso(n.event_at.max(n.next_attempt_at)).into();
    }
    v
}

/// A notification as the notifications service (`/api/notifications/v1`) shows it.
pub fn notification_dto(n: &NotificationRow, attempts: &[AttemptRow], url: &str) -> Value {
    let status = match n.state.as_str() {
        "processed" => "sent",
        "failed" => "failed",
        _ => "pending",
    };
    let mut v = json!({
        "id": uuid_of(&n.id),
        "notificationRequestId": n.id,
        "url": url,
        "payload": n.payload,
        "type": n.webhook_type,
        "status": status,
        "retries": (n.attempts - 1).max(0),
        "createdAt": iso(n.created_at),
        "updatedAt": iso(n.updated_at),
        "response": response_json(attempts.last()),
    });
    // The DTO types each of these as a string: one the notification lacks is left out.
    put_present(
        &mut v,
        &[
            ("coin", &n.coin),
            ("walletId", &n.wallet_id),
            ("enterpriseId", &n.enterprise_id),
            ("organizationId", &n.organization_id),
            ("transferId", &n.transfer_id),
            ("hash", &n.hash),
        ],
    );
    v
}
