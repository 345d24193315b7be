//! The Public API (`src/Api/AdminConsole/Public/...`): what directory connectors and
//! provisioning scripts call with an organization API key's `client_credentials` token
//! (`client_id=organization.<id>`, scope `api.organization`). The token names its organization
//! (`client_sub`); no route takes an organization id. A user's token is refused with the
//! empty 403, no or a bad token with the empty 401. Errors have the Public API's own shape
//! (`{object: "error", message, errors}`); an unknown member is a 404 with an empty body.

pub mod groups;
pub mod members;
pub mod reads;

pub mod collection_writes;
pub mod member_changes;
pub mod policies;
pub mod routes;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

use crate::bitwarden::call::{caller_of, verified, Caller};
use crate::bitwarden::error::BwError;
use crate::bitwarden::jwt;
use crate::request::state::AppState;
use crate::sandbox::Sandbox;
use std::sync::Arc;

/// A call with an organization API key's token.
pub struct PublicCall {
    /// Shared state.
    pub state: Data<AppState>,
    /// The sandbox the call is in.
    pub sandbox: Arc<Sandbox>,
    /// The organization the token is for.
    pub org_id: String,
    /// The caller (no user), for the events it causes.
    pub caller: Caller,
}

impl PublicCall {
    /// The sandbox clock, ms.
    pub fn now_ms(&self) -> i64 {
        self.sandbox.clock.now_ms()
    }
}

impl FromRequest for PublicCall {
    type Error = PublicError;
    type Future = Pin<Box<dyn Future<Output = Result<PublicCall, PublicError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (state, sandbox, claims) = verified(&req).await?;
            let organization = jwt::claim_has(&claims, "scope", "api.organization")
                && jwt::claim_has(&claims, "client_type", "Organization");
            let org_id = claims
                .get("client_sub")
                .and_then(Value::as_str)
                .filter(|_| organization)
                .ok_or(BwError::ForbiddenEmpty)?
                .to_string();
            let caller = caller_of(&req, &state, claims);
            Ok(PublicCall {
                state,
                sandbox,
                org_id,
                caller,
            })
        })
    }
}

/// An error answered in the Public API's shape.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PublicError(pub BwError);

impl From<BwError> for PublicError {
    fn from(e: BwError) -> Self {
        PublicError(e)
    }
}

impl From<crate::domain::error::Error> for PublicError {
    fn from(e: crate::domain::error::Error) -> Self {
        PublicError(e.into())
    }
}

/// The Public API's `ErrorResponseModel`.
fn error_body(message: &str, errors: Option<Map<String, Value>>) -> Value {
    json!({"object": "error", "message": message, "errors": errors})
}

impl ResponseError for PublicError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let body = match &self.0 {
            BwError::BadRequest(m) => error_body(m, None),
            BwError::ModelState(fields) => {
                let mut map = Map::new();
                for (k, v) in fields {
                    if let Some(list) = map
                        .entry(k.clone())
                        .or_insert_with(|| json!([]))
                        .as_array_mut()
                    {
                        list.push(json!(v));
                    }
                }
                error_body("The request's model state is invalid.", Some(map))
            }
            BwError::Aggregate(messages) => error_body(&messages.join(" "), None),
            // Not found, unauthorized, forbidden: empty bodies, as the server's results.
            BwError::NotFound | BwError::UnauthorizedEmpty | BwError::ForbiddenEmpty => {
                return HttpResponse::build(status).finish()
            }
            other => return other.error_response(),
        };
        HttpResponse::build(status).json(body)
    }
}

/// The Public API's `ListResponseModel`.
pub fn list(data: Vec<Value>) -> Value {
    json!({"object": "list", "data": data, "continuationToken": null})
}
