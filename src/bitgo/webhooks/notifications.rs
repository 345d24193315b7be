//! BitGo's notifications service: `GET /api/notifications/v1/webhooks/{webhookId}/
//! notifications?limit&offset&status&hash&transferId` (`{notifications, total, limit,
//! offset}`) and `POST .../notifications/retrigger {webhookNotificationIds}` (resent with
//! their original signature). Its errors are the service's `{name, error, status}`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::resource;
use crate::bitgo::wallets::path_param;
use crate::bitgo::webhooks::{history_page, view, Who};
use crate::domain::error::{Error, Result};
use crate::domain::policy::WebhookAccess;
use crate::request::json::string_list_field;
use crate::service::webhooks::{owners, simulate};
use crate::store::webhooks::notifications::{self, HistoryFilter};

/// Registers the notifications service's routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let n = |p: &str| vec![format!("/api/notifications/v1/webhooks/{{webhookId}}{p}")];
    cfg.service(resource(n("/notifications")).route(web::get().to(list_notifications)))
        .service(resource(n("/notifications/retrigger")).route(web::post().to(retrigger)));
}

/// An engine error rendered as the notifications service answers: `{name, error, status}`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct NotificationsError(#[from] pub BitgoError);

impl From<Error> for NotificationsError {
    fn from(e: Error) -> Self {
        NotificationsError(BitgoError(e))
    }
}

impl ResponseError for NotificationsError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        if let Error::Internal(detail) = &self.0 .0 {
            log::error!("internal error: {detail}");
        }
        // The service's names: BitGo's file allows only these per status (a refused scope or
        // role is its `AccessDenied`; the message still names the rule).
        let name = match (&self.0 .0, self.status_code().as_u16()) {
            (Error::Invalid(_) | Error::MalformedJson(_), _) => "BadRequest",
            (_, 403) => "AccessDenied",
            (_, 404) => "NotFound",
            (_, 409) => "Conflict",
            (other, _) => other.code(),
        };
        HttpResponse::build(self.status_code()).json(json!({
            "name": name,
            "error": self.0 .0.to_string(),
            "status": self.status_code().as_u16(),
        }))
    }
}

fn number(
    query: &HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize> {
    match query.get(name).map(String::as_str) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| Error::Invalid(format!("{name} must be a whole number up to {max}"))),
    }
}

/// `GET /api/notifications/v1/webhooks/{webhookId}/notifications`: the webhook's
/// notifications, newest first (`limit` 1 to 1000, default 25; `offset`; filters `status`
/// (pending, sent, failed), `hash`, `transferId`, `webhookNotificationId`).
pub async fn list_notifications(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, NotificationsError> {
    let webhook_id = path_param(&req, "webhookId")?;
    let limit = number(&query, "limit", 25, 1000)?.max(1);
    let offset = number(&query, "offset", 0, usize::MAX)?;
    let state = match query.get("status").map(String::as_str) {
        None | Some("") => None,
        Some("sent") => Some("processed".to_string()),
        Some(s @ ("pending" | "failed")) => Some(s.to_string()),
        // No notification is ever in these states here: the filter matches none.
        Some("processing" | "skipped") => Some(String::new()),
        Some(other) => {
            return Err(Error::Invalid(format!(
                "status must be pending, processing, sent, failed or skipped, not {other:?}"
            ))
            .into())
        }
    };
    let one = query
        .get("webhookNotificationId")
        .map(|i| i.replace('-', ""));
    let who = Who::of(&authed);
    let (entries, total) = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            let w = owners::webhook(c, &who.caller(), &webhook_id, WebhookAccess::Read)?;
            let f = HistoryFilter {
                webhook_id: Some(w.id.clone()),
                hash: query.get("hash").cloned(),
                transfer_id: query.get("transferId").cloned(),
                state,
                ..HistoryFilter::default()
            };
            let mut entries = history_page(c, f, None, limit, offset)?;
            if let Some(one) = one {
                entries.retain(|(n, _, _)| n.id == one);
            }
            Ok::<_, Error>((entries, notifications::count_for_webhook(c, &w.id)?))
        })
        .await?;
    let list: Vec<Value> = entries
        .iter()
        .map(|(n, a, url)| view::notification_dto(n, a, url))
        .collect();
    authed
        .reply(
            StatusCode::OK,
            &json!({"notifications": list, "total": total, "limit": limit, "offset": offset}),
        )
        .map_err(NotificationsError)
}

/// `POST /api/notifications/v1/webhooks/{webhookId}/notifications/retrigger
/// {webhookNotificationIds}` (at most 25): each resent as a new notification with its original
/// body and signature.
pub async fn retrigger(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, NotificationsError> {
    let webhook_id = path_param(&req, "webhookId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let ids = string_list_field(body.get("webhookNotificationIds"), "webhookNotificationIds")?
        .ok_or_else(|| Error::Invalid("webhookNotificationIds is required".into()))?;
    let who = Who::of(&authed);
    let now = authed.now_ms();
    let results = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let w = owners::webhook(c, &who.caller(), &webhook_id, WebhookAccess::Manage)?;
            simulate::retrigger(c, &w, &ids, now)
        })
        .await?;
    let (mut ok, mut failed) = (Vec::new(), Vec::new());
    for (given, result) in results {
        match result {
            Ok(new_id) => ok.push(json!({
                "webhookNotificationId": given,
                "retriggeredNotificationRequestId": new_id,
            })),
            Err(error) => failed.push(json!({"webhookNotificationId": given, "error": error})),
        }
    }
    let body = json!({
        "totalRequested": ok.len() + failed.len(),
        "totalSuccess": ok.len(),
        "totalFailed": failed.len(),
        "successfulNotifications": ok,
        "failedNotifications": failed,
    });
    authed
        .reply(StatusCode::OK, &body)
        .map_err(NotificationsError)
}
