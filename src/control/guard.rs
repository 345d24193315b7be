//! The control plane's extractors. Every call passes the same-site rules of
//! [`site`](crate::control::site), then the admin key when one applies
//! ([`ControlPlane`](crate::request::admin::ControlPlane)): routes take [`Admin`], the
//! console's pages [`ConsolePage`].

use std::future::{ready, Ready};
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use crate::control::{site, ControlError};
use crate::request::state::AppState;
use crate::sandbox::Sandbox;

/// A control-plane call that passed the guard: its sandbox and the shared state.
pub struct Admin {
    /// The sandbox the path addresses.
    pub sandbox: Arc<Sandbox>,
    /// Shared state.
    pub state: Data<AppState>,
}

impl FromRequest for Admin {
    type Error = ControlError;
    type Future = Ready<Result<Admin, ControlError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(admit(req))
    }
}

fn admit(req: &HttpRequest) -> Result<Admin, ControlError> {
    let state = state_of(req)?;
    site::check(req, &state)?;
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    state.control.admits(authorization).map_err(|refusal| {
        ControlError::new(StatusCode::UNAUTHORIZED, refusal.code(), refusal.message())
    })?;
    Ok(Admin {
        sandbox: state.sandboxes.for_http(req),
        state,
    })
}

fn state_of(req: &HttpRequest) -> Result<Data<AppState>, ControlError> {
    req.app_data::<Data<AppState>>().cloned().ok_or_else(|| {
        ControlError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "internal error",
        )
    })
}

/// A request for one of the console's own pages (`/`, `/console/...`), which hold no data and
/// so need no admin key (a browser cannot send one on navigation), but pass the same-site rules.
pub struct ConsolePage;

impl FromRequest for ConsolePage {
    type Error = ControlError;
    type Future = Ready<Result<ConsolePage, ControlError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(state_of(req).and_then(|state| site::check(req, &state).map(|()| ConsolePage)))
    }
}
