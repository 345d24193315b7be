//! Unauthenticated service routes: client constants and ping.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde_json::json;

use crate::bitgo::call::{Authed, Call};
use crate::bitgo::error::BitgoError;

/// `GET /api/v1/client/constants`: what the SDK fetches (unauthenticated) on construction.
pub async fn get_constants(call: Call) -> Result<HttpResponse, BitgoError> {
    call.reply(StatusCode::OK, &json!({"constants": {}, "ttl": 3600}))
}

/// `GET /api/v{1,2}/ping`: signed when a valid token came with it.
pub async fn ping(authed: Option<Authed>) -> Result<HttpResponse, BitgoError> {
    let body = json!({
        "status": "service is ok!",
        "environment": "orgbox sandbox",
        "configEnv": "sandbox",
        "configVersion": 1
    });
    match authed {
        Some(authed) => authed.reply(StatusCode::OK, &body),
        None => Ok(HttpResponse::Ok().json(body)),
    }
}
