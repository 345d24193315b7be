//! Fault and latency rules of the addressed sandbox: `GET /sandbox/faults` lists them,
//! `POST /sandbox/faults` adds one (`{method?, path?, probability?, times?, seed?, status?,
//! message?, retryAfter?, delayMs?, delayMaxMs?, drop?}`), `DELETE /sandbox/faults` clears them,
//! `DELETE /sandbox/faults/{id}` removes one.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde_json::json;

use crate::control::body;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::sandbox::faults::FaultSpec;

/// `GET /sandbox/faults`: `{faults}`.
pub async fn list_faults(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "faults": admin.sandbox.faults.list() }))
}

/// `POST /sandbox/faults`: 201 `{id, faults}`.
pub async fn add_fault(admin: Admin, body: Bytes) -> Result<HttpResponse, ControlError> {
    let spec: FaultSpec = body::json(&body)?;
    let id = admin.sandbox.faults.add(spec).map_err(Error::Invalid)?;
    Ok(HttpResponse::Created().json(json!({ "id": id, "faults": admin.sandbox.faults.list() })))
}

/// `DELETE /sandbox/faults`: 204.
pub async fn clear_faults(admin: Admin) -> HttpResponse {
    admin.sandbox.faults.clear();
    HttpResponse::NoContent().finish()
}

/// `DELETE /sandbox/faults/{id}`: 204, or 404.
pub async fn delete_fault(
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let found = id
        .parse::<u64>()
        .ok()
        .is_some_and(|id| admin.sandbox.faults.remove(id));
    if !found {
        return Err(ControlError::new(
            StatusCode::NOT_FOUND,
            "no_such_fault",
            format!("no fault rule {id}"),
        ));
    }
    Ok(HttpResponse::NoContent().finish())
}
