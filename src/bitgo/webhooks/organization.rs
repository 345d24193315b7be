//! Organization webhooks: `GET|POST /api/v2/organization/{organizationId}/webhook`, `GET|DELETE
//! .../webhook/{webhookId}`, `GET .../webhook/{webhookId}/notification` and `POST
//! .../webhook/{webhookId}/simulate`: organization admins only.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::resource;
use crate::bitgo::wallets::path_param;
use crate::bitgo::webhooks::enterprise::listed;
use crate::bitgo::webhooks::wallet::subject_of;
use crate::bitgo::webhooks::{
    delete_owned, history_body, history_page, page, parse_add, view, Who,
};
use crate::domain::error::{Error, Result};
use crate::domain::policy::WebhookAccess;
use crate::domain::webhook::{self, Scope};
use crate::service::webhooks::owners;
use crate::service::webhooks::register::{self, Registration};
use crate::service::webhooks::simulate;
use crate::store::webhooks::notifications::HistoryFilter;
use crate::store::webhooks::{self as stored, WebhookRow};

/// Registers the organization webhook routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let o = |p: &str| {
        vec![format!(
            "/api/v2/organization/{{organizationId}}/webhook{p}"
        )]
    };
    cfg.service(
        resource(o(""))
            .route(web::get().to(list_webhooks))
            .route(web::post().to(add_webhook)),
    )
    .service(
        resource(o("/{webhookId}"))
            .route(web::get().to(get_webhook))
            .route(web::delete().to(delete_webhook)),
    )
    .service(resource(o("/{webhookId}/notification")).route(web::get().to(list_notifications)))
    .service(resource(o("/{webhookId}/simulate")).route(web::post().to(simulate_webhook)));
}

/// `POST /api/v2/organization/{organizationId}/webhook {type, url, label?, coin?,
/// numConfirmations?, allToken?, listenToFailureStates?}`: the webhook.
pub async fn add_webhook(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let org_id = path_param(&req, "organizationId")?;
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
            let o = owners::organization(c, &who.caller(), &org_id, WebhookAccess::Manage)?;
            let r = Registration {
                scope: Scope::Organization,
                owner_id: o.id.clone(),
                enterprise_id: None,
                organization_id: Some(o.id.clone()),
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

/// `GET /api/v2/organization/{organizationId}/webhook?type&prevId&limit`: `{webhooks}`.
pub async fn list_webhooks(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    let org_id = path_param(&req, "organizationId")?;
    let (limit, prev) = page(&query)?;
    let kind = query.get("type").cloned();
    if let Some(t) = &kind {
        webhook::check_type(Scope::Organization, t)?;
    }
    let who = Who::of(&authed);
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let o = owners::organization(c, &who.caller(), &org_id, WebhookAccess::Read)?;
            stored::list_for_owner(c, "organization", &o.id, kind.as_deref())
        })
        .await?;
    authed.reply(StatusCode::OK, &listed(rows, prev.as_deref(), limit))
}

/// Webhook `{webhookId}` of organization `{organizationId}`, for a caller with `access`.
async fn owned(authed: &Authed, req: &HttpRequest, access: WebhookAccess) -> Result<WebhookRow> {
    let org_id = path_param(req, "organizationId")?;
    let webhook_id = path_param(req, "webhookId")?;
    let who = Who::of(authed);
    authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let caller = who.caller();
            owners::owned_webhook(
                c,
                &caller,
                Scope::Organization,
                &org_id,
                &webhook_id,
                access,
            )
        })
        .await
}

/// `GET /api/v2/organization/{organizationId}/webhook/{webhookId}`: the webhook.
pub async fn get_webhook(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    let w = owned(&authed, &req, WebhookAccess::Read).await?;
    authed.reply(StatusCode::OK, &view::webhook_json(&w))
}

/// `DELETE /api/v2/organization/{organizationId}/webhook/{webhookId}`: 204.
pub async fn delete_webhook(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    delete_owned(&authed, &req, Scope::Organization, "organizationId").await
}

/// `GET /api/v2/organization/{organizationId}/webhook/{webhookId}/notification?type&prevId&
/// limit`: its notifications, newest first, with every attempt.
pub async fn list_notifications(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, BitgoError> {
    let w = owned(&authed, &req, WebhookAccess::Read).await?;
    let (limit, prev) = page(&query)?;
    let f = HistoryFilter {
        webhook_id: Some(w.id),
        webhook_type: query.get("type").cloned(),
        ..HistoryFilter::default()
    };
    let entries = authed
        .call
        .sandbox
        .store
        .read(move |c| history_page(c, f, prev.as_deref(), limit + 1, 0))
        .await?;
    authed.reply(
        StatusCode::OK,
        &history_body(entries, limit, authed.now_ms()),
    )
}

/// `POST /api/v2/organization/{organizationId}/webhook/{webhookId}/simulate {transferId |
/// pendingApprovalId | ... | usePlaceholderData}`: `{webhookNotifications: [it]}`.
pub async fn simulate_webhook(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    let org_id = path_param(&req, "organizationId")?;
    let webhook_id = path_param(&req, "webhookId")?;
    let subject = subject_of(&authed.call.json::<Map<String, Value>>()?)?;
    let who = Who::of(&authed);
    let now = authed.now_ms();
    let (n, url) = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let o = owners::organization(c, &who.caller(), &org_id, WebhookAccess::Manage)?;
            let w = register::find_owned(c, Scope::Organization, &o.id, &webhook_id)?;
            Ok::<_, Error>((simulate::simulate(c, &w, &subject, now)?, w.url))
        })
        .await?;
    let shown = view::notification_json(&n, &[], &url, now);
    authed.reply(StatusCode::OK, &json!({ "webhookNotifications": [shown] }))
}
