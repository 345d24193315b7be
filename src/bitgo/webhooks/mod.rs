//! BitGo's webhooks: wallet webhooks (`/api/v2/{coin}/wallet/{id}/webhooks`), enterprise
//! webhooks (`/api/v2/enterprise/{id}/webhooks`), organization webhooks
//! (`/api/v2/organization/{id}/webhook`), their simulations and notification histories, the
//! webhook secret and signature check (`/api/v2/webhook/...`) and the notifications service's
//! history and retrigger (`/api/notifications/v1/webhooks/...`). Handlers parse, ask one
//! use case inside one transaction, and render.

pub mod enterprise;
pub mod notifications;
pub mod organization;
pub mod secrets;
pub mod view;
pub mod wallet;

use std::collections::HashMap;

use actix_web::web;
use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::resource;
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::scope::ScopeSet;
use crate::domain::token_rules::TokenKind;
use crate::request::json::{integer_field, string_field};
use crate::service::webhooks::owners::Caller;
use crate::store::webhooks;
use crate::store::webhooks::notifications::{
    self as stored, AttemptRow, HistoryFilter, NotificationRow,
};

/// Registers every webhook route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let v2 = |p: &str| vec![format!("/api/v2{p}")];
    let w = "/{coin}/wallet/{walletId}/webhooks";
    cfg.service(
        resource(v2(w))
            .route(web::post().to(wallet::add_webhook))
            .route(web::get().to(wallet::list_webhooks))
            .route(web::delete().to(wallet::remove_webhook)),
    )
    .service(
        resource(v2(&format!("{w}/notifications")))
            .route(web::get().to(wallet::list_notifications)),
    )
    .service(
        resource(v2(&format!("{w}/{{webhookId}}/simulate")))
            .route(web::post().to(wallet::simulate_webhook)),
    )
    .configure(enterprise::configure)
    .configure(organization::configure)
    .service(resource(v2("/webhook/secret")).route(web::post().to(secrets::create_secret)))
    .service(
        resource(v2("/webhook/{webhookId}/verify"))
            .route(web::post().to(secrets::verify_signature)),
    )
    .configure(notifications::configure);
}

/// Who calls, owned (to move into a store closure).
#[derive(Debug, Clone)]
pub struct Who {
    scopes: ScopeSet,
    kind: TokenKind,
    user_id: String,
}

impl Who {
    /// The caller of `authed`.
    pub fn of(authed: &Authed) -> Who {
        Who {
            scopes: authed.principal.token.scope.clone(),
            kind: authed.principal.token.kind,
            user_id: authed.principal.user_id().to_string(),
        }
    }

    /// As the webhook use cases take it.
    pub fn caller(&self) -> Caller<'_> {
        Caller {
            scopes: &self.scopes,
            kind: self.kind,
            user_id: &self.user_id,
        }
    }

    /// The user id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
}

/// What an add-webhook body says.
#[derive(Debug, Clone, Default)]
pub struct AddBody {
    /// `type`.
    pub webhook_type: String,
    /// `url`.
    pub url: String,
    /// `label`.
    pub label: Option<String>,
    /// `numConfirmations` (0 when absent).
    pub num_confirmations: i64,
    /// `allToken`.
    pub all_token: bool,
    /// `listenToFailureStates`.
    pub listen_to_failure_states: bool,
    /// `customHttpHeaders`.
    pub custom_headers: Vec<(String, String)>,
    /// `coin` (organization webhooks).
    pub coin: Option<String>,
}

fn bool_field(value: Option<&Value>, field: &str) -> Result<bool> {
    match value {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Error::Invalid(format!("{field} must be true or false"))),
    }
}

/// Reads an add-webhook body: `type` and `url` required, the rest as BitGo types them.
pub fn parse_add(body: &Map<String, Value>) -> Result<AddBody> {
    let text = |f: &str| -> Result<Option<String>> {
        Ok(string_field(body.get(f), f)?.map(str::to_string))
    };
    let webhook_type = text("type")?.ok_or_else(|| Error::Invalid("type is required".into()))?;
    let url = text("url")?
        .filter(|u| !u.is_empty())
        .ok_or_else(|| Error::Invalid("url is required".into()))?;
    let custom_headers = match body.get("customHttpHeaders") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(Error::Invalid(format!(
                    "customHttpHeaders.{k} must be a string"
                ))),
            })
            .collect::<Result<_>>()?,
        Some(_) => {
            return Err(Error::Invalid(
                "customHttpHeaders must be an object of header names to values".into(),
            ))
        }
    };
    Ok(AddBody {
        webhook_type,
        url,
        label: text("label")?,
        num_confirmations: integer_field(body.get("numConfirmations"), "numConfirmations")?
            .unwrap_or(0),
        all_token: bool_field(body.get("allToken"), "allToken")?,
        listen_to_failure_states: bool_field(
            body.get("listenToFailureStates"),
            "listenToFailureStates",
        )?,
        custom_headers,
        coin: text("coin")?.map(|c| c.to_ascii_lowercase()),
    })
}

/// `limit` (1 to 500, default 25) and `prevId` (an id) of a list query.
pub fn page(query: &HashMap<String, String>) -> Result<(usize, Option<String>)> {
    let limit = match query.get("limit").map(String::as_str) {
        None | Some("") => 25,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| Error::Invalid(format!("invalid limit {l:?}: expected 1 to 500")))?,
    };
    let prev = match query.get("prevId") {
        Some(p) if is_hex_id(p) => Some(p.clone()),
        Some(p) => return Err(Error::Invalid(format!("invalid prevId {p:?}"))),
        None => None,
    };
    Ok((limit, prev))
}

/// A notification with its attempts and its webhook's URL.
pub type Entry = (NotificationRow, Vec<AttemptRow>, String);

/// A page of notification history, newest first: `f` before `prev_id` (a notification id),
/// at most `limit` after `offset`, each with its attempts and URL.
pub fn history_page(
    conn: &Connection,
    mut f: HistoryFilter,
    prev_id: Option<&str>,
    limit: usize,
    offset: usize,
) -> Result<Vec<Entry>> {
    if let Some(prev) = prev_id {
        f.before_seq = Some(stored::find(conn, prev)?.map_or(0, |n| n.seq));
    }
    let mut urls: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for n in stored::history(conn, &f, limit, offset)? {
        if !urls.contains_key(&n.webhook_id) {
            let url = webhooks::find(conn, &n.webhook_id)?
                .map(|w| w.url)
                .unwrap_or_default();
            urls.insert(n.webhook_id.clone(), url);
        }
        let url = urls.get(&n.webhook_id).cloned().unwrap_or_default();
        let attempts = stored::attempts(conn, n.seq)?;
        out.push((n, attempts, url));
    }
    Ok(out)
}

/// `{webhookNotifications, nextBatchPrevId?}` of a history page read with `limit + 1`.
pub fn history_body(mut entries: Vec<Entry>, limit: usize, now_ms: i64) -> Value {
    let more = entries.len() > limit;
    entries.truncate(limit);
    let list: Vec<Value> = entries
        .iter()
        .map(|(n, a, url)| view::notification_json(n, a, url, now_ms))
        .collect();
    let mut body = serde_json::json!({ "webhookNotifications": list });
    if more {
        if let Some((last, _, _)) = entries.last() {
            body["nextBatchPrevId"] = last.id.clone().into();
        }
    }
    body
}

/// `DELETE /api/v2/{enterprise|organization}/{ownerId}/webhook/{webhookId}`: 204, for the
/// owner's webhook managers (`owner_param` names the owner's path parameter).
pub async fn delete_owned(
    authed: &Authed,
    req: &actix_web::HttpRequest,
    scope: crate::domain::webhook::Scope,
    owner_param: &str,
) -> std::result::Result<actix_web::HttpResponse, crate::bitgo::error::BitgoError> {
    let owner_id = crate::bitgo::wallets::path_param(req, owner_param)?;
    let webhook_id = crate::bitgo::wallets::path_param(req, "webhookId")?;
    let who = Who::of(authed);
    authed
        .call
        .sandbox
        .store
        .write(move |c| -> Result<bool> {
            let caller = who.caller();
            let w = crate::service::webhooks::owners::owned_webhook(
                c,
                &caller,
                scope,
                &owner_id,
                &webhook_id,
                crate::domain::policy::WebhookAccess::Manage,
            )?;
            webhooks::delete(c, &w.id)
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}
