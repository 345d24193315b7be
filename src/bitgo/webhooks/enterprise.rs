//! Enterprise webhooks: `GET|POST /api/v2/enterprise/{enterpriseId}/webhooks`, `DELETE
//! .../webhook/{webhookId}` (204), and its simulations (`GET` as BitGo documents it, and
//! `POST`), including `.../bankaccount/{bankaccountId}/simulate`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::resource;
use crate::bitgo::wallets::path_param;
use crate::bitgo::webhooks::wallet::subject_of;
use crate::bitgo::webhooks::{delete_owned, page, parse_add, view, Who};
use crate::domain::error::{Error, Result};
use crate::domain::policy::WebhookAccess;
use crate::domain::webhook::Scope;
use crate::service::webhooks::owners;
use crate::service::webhooks::register::{self, Registration};
use crate::service::webhooks::simulate::{self, Subject};
use crate::store::webhooks::{self, WebhookRow};

/// Registers the enterprise webhook routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let e = |p: &str| vec![format!("/api/v2/enterprise/{{enterpriseId}}{p}")];
    cfg.service(
        resource(e("/webhooks"))
            .route(web::get().to(list_webhooks))
            .route(web::post().to(add_webhook)),
    )
    .service(resource(e("/webhook/{webhookId}")).route(web::delete().to(delete_webhook)))
    .service(
        resource(e("/webhook/{webhookId}/simulate"))
            .route(web::get().to(simulate_webhook))
            .route(web::post().to(simulate_webhook)),
    )
    .service(
        resource(e(
            "/webhook/{webhookId}/bankaccount/{bankaccountId}/simulate",
        ))
        .route(web::get().to(simulate_webhook)),
    );
}

/// `POST /api/v2/enterprise/{enterpriseId}/webhooks {type, url, label?}`: the webhook
/// (enterprise and organization admins, on a login session: BitGo's `user_manage`).
pub async fn add_webhook(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let enterprise_id = path_param(&req, "enterpriseId")?;
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
            let e = owners::enterprise(c, &who.caller(), &enterprise_id, WebhookAccess::Manage)?;
            let r = Registration {
                scope: Scope::Enterprise,
                owner_id: e.id.clone(),
                enterprise_id: Some(e.id.clone()),
                organization_id: e.organization_id.clone(),
                coin: body.coin,
                go_account: false,
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

/// A page of `rows` after `prev` (an id), at most `limit`: `{webhooks, nextBatchPrevId?}`.
pub fn listed(rows: Vec<WebhookRow>, prev: Option<&str>, limit: usize) -> Value {
    let start = prev
        .and_then(|p| rows.iter().position(|w| w.id == p).map(|i| i + 1))
        .unwrap_or(0);
    let shown: Vec<&WebhookRow> = rows.iter().skip(start).take(limit).collect();
    let mut body =
        json!({ "webhooks": shown.iter().map(|w| view::webhook_json(w)).collect::<Vec<_>>() });
    if rows.len() > start + limit {
        if let Some(last) = shown.last() {
            body["nextBatchPrevId"] = last.id.clone().into();
        }
    }
    body
}

/// `GET /api/v2/enterprise/{enterpriseId}/webhooks?type&prevId&limit`: `{webhooks}`.
pub async fn list_webhooks(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    let enterprise_id = path_param(&req, "enterpriseId")?;
    let (limit, prev) = page(&query)?;
    let kind = query.get("type").cloned();
    if let Some(t) = &kind {
        crate::domain::webhook::check_type(Scope::Enterprise, t)?;
    }
    let who = Who::of(&authed);
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let e = owners::enterprise(c, &who.caller(), &enterprise_id, WebhookAccess::Read)?;
            webhooks::list_for_owner(c, "enterprise", &e.id, kind.as_deref())
        })
        .await?;
    authed.reply(StatusCode::OK, &listed(rows, prev.as_deref(), limit))
}

/// `DELETE /api/v2/enterprise/{enterpriseId}/webhook/{webhookId}`: 204.
pub async fn delete_webhook(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    delete_owned(&authed, &req, Scope::Enterprise, "enterpriseId").await
}

/// `GET|POST /api/v2/enterprise/{enterpriseId}/webhook/{webhookId}/simulate {accessTokenId |
/// bankAccountId | enterpriseId | transferId | usePlaceholderData}` (and the bank-account
/// form): `{webhookNotifications: [the notification]}`.
pub async fn simulate_webhook(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    let enterprise_id = path_param(&req, "enterpriseId")?;
    let webhook_id = path_param(&req, "webhookId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let subject = if req.match_info().get("bankaccountId").is_some() || body.is_empty() {
        Subject::Placeholder
    } else {
        subject_of(&body)?
    };
    let who = Who::of(&authed);
    let now = authed.now_ms();
    let (n, url) = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let e = owners::enterprise(c, &who.caller(), &enterprise_id, WebhookAccess::Manage)?;
            let w = register::find_owned(c, Scope::Enterprise, &e.id, &webhook_id)?;
            Ok::<_, Error>((simulate::simulate(c, &w, &subject, now)?, w.url))
        })
        .await?;
    let shown = view::notification_json(&n, &[], &url, now);
    authed.reply(StatusCode::OK, &json!({ "webhookNotifications": [shown] }))
}
