//! The sandbox control plane (`/sandbox/...`): what no vendor offers and a tester needs.
//! Errors are plain JSON `{error, code}`, not a vendor's body.
//!
//! MERGE NOTE (for the lead): this module root is a PLACEHOLDER from the `seed000b` branch.
//! The other issue-6 branch owns the real `src/control/mod.rs` with the control-plane guard
//! (admin key, loopback rule, on/off switch) and `GET /sandbox/outbox`. At merge, keep that
//! file, add `pub mod kyc; pub mod organizations;` and the two `.service(...)` lines of
//! [`configure`] below, and make the handlers in `organizations.rs` and `kyc.rs` take that
//! guard's extractor instead of [`ControlAccess`] (they only use its `sandbox`) and return
//! its error type instead of [`ControlError`].

pub mod kyc;
pub mod organizations;

use std::future::{ready, Ready};
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

use crate::error::Error;
use crate::sandbox::Sandbox;
use crate::state::AppState;

/// Registers the control-plane routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/sandbox/organizations/{id}/admins")
            .route(web::post().to(organizations::make_organization_admin)),
    )
    .service(
        web::resource("/sandbox/kyc/{id}/complete").route(web::post().to(kyc::complete_identity)),
    );
}

/// An engine error on its way out through the control plane: `{error, code}`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ControlError(#[from] pub Error);

impl ControlError {
    /// The stable `code`.
    pub fn code(&self) -> &'static str {
        match &self.0 {
            Error::Invalid(_) => "invalid_request",
            Error::MalformedJson(_) => "invalid_json",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::PayloadTooLarge(_) => "payload_too_large",
            Error::Unauthenticated(_) | Error::NeedsOtp(_) => "unauthorized",
            Error::MissingScope(_) | Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::Conflict(_) => "conflict",
            Error::Internal(_) => "internal",
        }
    }
}

impl ResponseError for ControlError {
    fn status_code(&self) -> StatusCode {
        match &self.0 {
            Error::Invalid(_) | Error::MalformedJson(_) => StatusCode::BAD_REQUEST,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Unauthenticated(_) | Error::NeedsOtp(_) => StatusCode::UNAUTHORIZED,
            Error::MissingScope(_) | Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Error::Internal(detail) = &self.0 {
            log::error!("internal error: {detail}");
        }
        HttpResponse::build(self.status_code())
            .json(json!({"error": self.0.to_string(), "code": self.code()}))
    }
}

/// PLACEHOLDER guard (replace with the other branch's extractor at merge): admits only
/// callers on the loopback interface, and resolves the request's sandbox.
pub struct ControlAccess {
    /// The sandbox the request addresses.
    pub sandbox: Arc<Sandbox>,
}

impl FromRequest for ControlAccess {
    type Error = ControlError;
    type Future = Ready<Result<ControlAccess, ControlError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(control_access(req))
    }
}

fn control_access(req: &HttpRequest) -> Result<ControlAccess, ControlError> {
    let state = req
        .app_data::<Data<AppState>>()
        .ok_or_else(|| Error::Internal("AppState is not registered".into()))?;
    if !req.peer_addr().is_some_and(|a| a.ip().is_loopback()) {
        return Err(Error::Forbidden(
            "the sandbox control plane only answers on the loopback interface".into(),
        )
        .into());
    }
    Ok(ControlAccess {
        sandbox: state.sandboxes.for_request(req.path()),
    })
}
