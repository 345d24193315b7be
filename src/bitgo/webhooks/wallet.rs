//! Wallet webhooks: `POST|GET|DELETE /api/v2/{coin}/wallet/{walletId}/webhooks` (the SDK's
//! `wallet.addWebhook`, `listWebhooks`, `removeWebhook`), `POST .../webhooks/{id}/simulate`
//! (`wallet.simulateWebhook`) and `GET .../webhooks/notifications`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::wallets::{ofc_coin, path_param};
use crate::bitgo::webhooks::{history_body, history_page, page, parse_add, view, Who};
use crate::domain::error::Error;
use crate::domain::policy::WebhookAccess;
use crate::domain::webhook::Scope;
use crate::request::json::string_field;
use crate::service::webhooks::owners;
use crate::service::webhooks::register::{self, Registration, Removal};
use crate::service::webhooks::simulate::{self, Subject};
use crate::store::webhooks::{self, notifications::HistoryFilter};

/// `POST /api/v2/{coin}/wallet/{walletId}/webhooks {type, url, label?, numConfirmations?,
/// allToken?, listenToFailureStates?, customHttpHeaders?}`: the webhook.
pub async fn add_webhook(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let coin = ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let body = parse_add(&authed.call.json::<Map<String, Value>>()?)?;
    let who = Who::of(&authed);
    let (now, block_ms) = (
        authed.now_ms(),
        authed.call.state.money.block_seconds.saturating_mul(1000),
    );
    let allow = authed.call.state.deliveries.settings().allow.clone();
    let row = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = owners::wallet(c, &who.caller(), &wallet_id, WebhookAccess::Manage)?;
            let r = Registration {
                scope: Scope::Wallet,
                owner_id: a.wallet.id.clone(),
                enterprise_id: Some(a.enterprise.id.clone()),
                organization_id: a.enterprise.organization_id.clone(),
                coin: Some(coin),
                go_account: a.wallet.wallet_type == "trading",
                webhook_type: body.webhook_type,
                url: body.url,
                label: body.label,
                num_confirmations: body.num_confirmations,
                all_token: body.all_token,
                listen_to_failure_states: body.listen_to_failure_states,
                custom_headers: body.custom_headers,
                created_by: who.user_id().to_string(),
                now_ms: now,
                block_ms,
            };
            register::add(c, &r, &allow)
        })
        .await?;
    authed.reply(StatusCode::OK, &view::webhook_json(&row))
}

/// `GET /api/v2/{coin}/wallet/{walletId}/webhooks`: `{webhooks}`.
pub async fn list_webhooks(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let who = Who::of(&authed);
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = owners::wallet(c, &who.caller(), &wallet_id, WebhookAccess::Read)?;
            webhooks::list_for_owner(c, "wallet", &a.wallet.id, None)
        })
        .await?;
    let list: Vec<Value> = rows.iter().map(view::webhook_json).collect();
    authed.reply(StatusCode::OK, &json!({ "webhooks": list }))
}

/// `DELETE /api/v2/{coin}/wallet/{walletId}/webhooks {type, url}` or `{id}`: `{removed}`.
pub async fn remove_webhook(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let removal = match (
        string_field(body.get("id"), "id")?,
        string_field(body.get("type"), "type")?,
        string_field(body.get("url"), "url")?,
    ) {
        (Some(id), _, _) => Removal::Id(id.to_ascii_lowercase()),
        (None, Some(t), Some(u)) => Removal::TypeAndUrl(t.to_string(), u.to_string()),
        _ => {
            return Err(
                Error::Invalid("name the webhook to remove: {type, url} or {id}".into()).into(),
            )
        }
    };
    let who = Who::of(&authed);
    let removed = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = owners::wallet(c, &who.caller(), &wallet_id, WebhookAccess::Manage)?;
            register::remove_from_wallet(c, &a.wallet.id, &removal)
        })
        .await?;
    authed.reply(StatusCode::OK, &json!({ "removed": removed }))
}

/// The subject a simulate body names: exactly one of its ids, or `usePlaceholderData`.
pub fn subject_of(body: &Map<String, Value>) -> Result<Subject, Error> {
    let id = |f: &str| -> Result<Option<String>, Error> {
        Ok(string_field(body.get(f), f)?.map(|s| s.to_ascii_lowercase()))
    };
    let given = [
        id("transferId")?.map(Subject::Transfer),
        id("pendingApprovalId")?.map(Subject::PendingApproval),
        id("accessTokenId")?.map(Subject::AccessToken),
    ];
    let mut named: Vec<Subject> = given.into_iter().flatten().collect();
    let placeholder = matches!(body.get("usePlaceholderData"), Some(Value::Bool(true)))
        || ["bankAccountId", "enterpriseId", "txRequestId", "txHash"]
            .iter()
            .any(|f| body.contains_key(*f));
    match (named.len(), placeholder) {
        (1, _) => Ok(named.remove(0)),
        (0, true) => Ok(Subject::Placeholder),
        (0, false) => Err(Error::Invalid(
            "give transferId, pendingApprovalId, accessTokenId or usePlaceholderData: true".into(),
        )),
        _ => Err(Error::Invalid(
            "give one of transferId, pendingApprovalId and accessTokenId, not several".into(),
        )),
    }
}

/// `POST /api/v2/{coin}/wallet/{walletId}/webhooks/{webhookId}/simulate {transferId |
/// pendingApprovalId | usePlaceholderData}`: `{webhookNotifications: [the notification]}`,
/// delivered by the pool like any other.
pub async fn simulate_webhook(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let webhook_id = path_param(&req, "webhookId")?;
    let subject = subject_of(&authed.call.json::<Map<String, Value>>()?)?;
    let who = Who::of(&authed);
    let now = authed.now_ms();
    let (n, url) = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let a = owners::wallet(c, &who.caller(), &wallet_id, WebhookAccess::Manage)?;
            let w = register::find_owned(c, Scope::Wallet, &a.wallet.id, &webhook_id)?;
            Ok::<_, Error>((simulate::simulate(c, &w, &subject, now)?, w.url))
        })
        .await?;
    let shown = view::notification_json(&n, &[], &url, now);
    authed.reply(StatusCode::OK, &json!({ "webhookNotifications": [shown] }))
}

/// `GET /api/v2/{coin}/wallet/{walletId}/webhooks/notifications?prevId&limit&hash`: the
/// wallet's notifications, newest first, with every delivery attempt.
pub async fn list_notifications(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let (limit, prev) = page(&query)?;
    let hash = query.get("hash").cloned();
    let who = Who::of(&authed);
    let entries = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let a = owners::wallet(c, &who.caller(), &wallet_id, WebhookAccess::Read)?;
            let f = HistoryFilter {
                owner_id: Some(a.wallet.id.clone()),
                hash,
                ..HistoryFilter::default()
            };
            history_page(c, f, prev.as_deref(), limit + 1, 0)
        })
        .await?;
    authed.reply(
        StatusCode::OK,
        &history_body(entries, limit, authed.now_ms()),
    )
}
