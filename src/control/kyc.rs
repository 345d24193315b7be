//! `POST /sandbox/kyc/{identityId}/complete {status?}`: decides a KYC identity at once
//! (`approved` by default, or `declined`) instead of waiting for the sandbox clock.

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;

use crate::bitgo::kyc::view::identity_json;
use crate::control::body;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::domain::kyc::Outcome;
use crate::service::kyc;

#[derive(Deserialize)]
struct Complete {
    status: Option<String>,
}

/// `POST /sandbox/kyc/{identityId}/complete {status?: "approved" | "declined"}`: the identity
/// as `GET /api/evs/v1/identity` shows it, now decided.
pub async fn complete_identity(
    access: Admin,
    id: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let identity_id = id.into_inner();
    let request: Complete = body::json(&body)?;
    let outcome = match request.status.as_deref() {
        None => Outcome::Approved,
        Some(s) => Outcome::parse(s).ok_or_else(|| {
            Error::Invalid(format!(
                "invalid status {s:?}: expected \"approved\" or \"declined\""
            ))
        })?,
    };
    let now = access.sandbox.clock.now_ms();
    let identity = access
        .sandbox
        .store
        .write(move |conn| kyc::complete(conn, &identity_id, outcome, now))
        .await?;
    Ok(HttpResponse::Ok().json(identity_json(&identity, now)))
}
