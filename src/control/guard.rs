//! The control plane's extractors. Every call passes the same-site rules of
//! [`site`](crate::control::site), then the admin key when one applies
//! ([`ControlPlane`](crate::request::admin::ControlPlane)): routes take [`Admin`], the
//! console's pages [`ConsolePage`].

use std::future::{ready, Ready};
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use crate::control::{site, ControlError};
use crate::request::context::{bearer, RequestContext};
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
    let RequestContext { state, sandbox } = RequestContext::of(req)?;
    site::check(req, &state)?;
    state
        .control
        .admits(bearer(req).token())
        .map_err(|refusal| {
            ControlError::new(StatusCode::UNAUTHORIZED, refusal.code(), refusal.message())
        })?;
    Ok(Admin { sandbox, state })
}

/// A request for one of the console's own pages (`/`, `/console/...`), which hold no data and
/// so need no admin key (a browser cannot send one on navigation), but pass the same-site rules.
pub struct ConsolePage;

impl FromRequest for ConsolePage {
    type Error = ControlError;
    type Future = Ready<Result<ConsolePage, ControlError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            RequestContext::of(req)
                .map_err(ControlError::from)
                .and_then(|c| site::check(req, &c.state).map(|()| ConsolePage)),
        )
    }
}
