//! `POST /sandbox/kyc/{identityId}/complete {status?}`: decides a KYC identity at once
//! (`approved` by default, or `declined`) instead of waiting for the sandbox clock.

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;

use crate::bitgo::json::parse_body;
use crate::bitgo::kyc::identity_json;
use crate::control::{Admin, ControlError};
use crate::domain::kyc::{self, Outcome};
use crate::error::Error;
use crate::store::kyc as identities;

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
    let request: Complete = parse_body(&body)?;
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
        .write(move |conn| {
            let mut identity = identities::find_by_id(conn, &identity_id)?
                .ok_or_else(|| Error::NotFound(format!("identity {identity_id} not found")))?;
            let current = identity.schedule.status_at(now);
            if kyc::is_decided(current) {
                if current == outcome.as_str() {
                    return Ok(identity);
                }
                return Err(Error::Conflict(format!(
                    "identity {identity_id} is already {current}"
                )));
            }
            identity.schedule = identity.schedule.completed(now, outcome);
            identity.updated_at = now;
            identities::update(conn, &identity)?;
            identities::write_status(conn, &identity, now)?;
            identities::find_by_id(conn, &identity_id)?
                .ok_or_else(|| Error::Internal("identity vanished".into()))
        })
        .await?;
    Ok(HttpResponse::Ok().json(identity_json(&identity, now)))
}
