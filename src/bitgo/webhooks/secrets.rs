//! `POST /api/v2/webhook/secret {enterpriseId | organizationId}`: `{secret}`, the secret that
//! signs the deliveries of that enterprise's (or organization's) webhooks, shown once; and
//! `POST /api/v2/webhook/{webhookId}/verify {signature, notificationPayload}`:
//! `{webhookId, isValid}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::wallets::path_param;
use crate::bitgo::webhooks::Who;
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::policy::WebhookAccess;
use crate::domain::webhook::Scope;
use crate::request::json::string_field;
use crate::service::webhooks::{owners, secrets};

/// `POST /api/v2/webhook/secret {enterpriseId | organizationId}` (exactly one): `{secret}`.
pub async fn create_secret(authed: Authed) -> Result<HttpResponse, BitgoError> {
    let body: Map<String, Value> = authed.call.json()?;
    let enterprise = string_field(body.get("enterpriseId"), "enterpriseId")?;
    let organization = string_field(body.get("organizationId"), "organizationId")?;
    let (scope, owner) = match (enterprise, organization) {
        (Some(e), None) => (Scope::Enterprise, e.to_ascii_lowercase()),
        (None, Some(o)) => (Scope::Organization, o.to_ascii_lowercase()),
        _ => {
            return Err(Error::Invalid(
                "give exactly one of enterpriseId and organizationId".into(),
            )
            .into())
        }
    };
    if !is_hex_id(&owner) {
        return Err(Error::Invalid(format!("invalid {} id {owner:?}", scope.as_str())).into());
    }
    let who = Who::of(&authed);
    let now = authed.now_ms();
    let state = authed.call.state.clone();
    let secret = authed
        .call
        .sandbox
        .store
        .write(move |c| -> Result<String> {
            let id = owners::owner(c, &who.caller(), scope, &owner, WebhookAccess::Manage)?;
            secrets::create(c, &state.server_key, scope, &id, who.user_id(), now)
        })
        .await?;
    authed.reply(StatusCode::OK, &json!({ "secret": secret }))
}

/// `POST /api/v2/webhook/{webhookId}/verify {signature, notificationPayload}`:
/// `{webhookId, isValid}`, for whoever may read the webhook.
pub async fn verify_signature(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    let webhook_id = path_param(&req, "webhookId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let signature = string_field(body.get("signature"), "signature")?
        .ok_or_else(|| Error::Invalid("signature is required".into()))?
        .trim()
        .to_string();
    let payload = string_field(body.get("notificationPayload"), "notificationPayload")?
        .ok_or_else(|| {
            Error::Invalid(
                "notificationPayload is required (the delivered body, as a string)".into(),
            )
        })?
        .to_string();
    let who = Who::of(&authed);
    let state = authed.call.state.clone();
    let (id, valid) = authed
        .call
        .sandbox
        .store
        .read(move |c| -> Result<(String, bool)> {
            let w = owners::webhook(c, &who.caller(), &webhook_id, WebhookAccess::Read)?;
            let valid = secrets::verify(c, &state.server_key, &w, &signature, &payload)?;
            Ok((w.id, valid))
        })
        .await?;
    authed.reply(
        StatusCode::OK,
        &json!({ "webhookId": id, "isValid": valid }),
    )
}
