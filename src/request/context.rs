//! The set-up every dialect's extractor does first, written once: the shared state and the
//! request's sandbox, the client's address, the bearer credential, and the note it leaves for
//! the journal once a principal is known.

use std::net::IpAddr;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{HttpMessage, HttpRequest};

use crate::domain::error::{Error, Result};
use crate::request::note::PrincipalNote;
use crate::request::state::AppState;
use crate::sandbox::Sandbox;

/// What every dialect reads from a request before anything else.
pub struct RequestContext {
    /// Shared state.
    pub state: Data<AppState>,
    /// The sandbox the path addresses (a `/s/{name}` prefix, or the default one).
    pub sandbox: Arc<Sandbox>,
}

impl RequestContext {
    /// The state and sandbox of `req` (an unregistered state is an internal error).
    pub fn of(req: &HttpRequest) -> Result<RequestContext> {
        let state = req
            .app_data::<Data<AppState>>()
            .cloned()
            .ok_or_else(|| Error::Internal("AppState is not registered".into()))?;
        Ok(RequestContext {
            sandbox: state.sandboxes.for_http(req),
            state,
        })
    }

    /// The client's address (see [`crate::request::client_ip`]).
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        crate::request::client_ip(req, &self.state.trusted_proxies)
    }
}

/// What the `Authorization` header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bearer<'a> {
    /// No `Authorization` header.
    Absent,
    /// A header that is not `Bearer <non-empty value>`.
    Malformed,
    /// The value after `Bearer ` (either case of the scheme), trimmed.
    Token(&'a str),
}

impl<'a> Bearer<'a> {
    /// The token, if the header holds one.
    pub fn token(self) -> Option<&'a str> {
        match self {
            Bearer::Token(t) => Some(t),
            Bearer::Absent | Bearer::Malformed => None,
        }
    }
}

/// Reads `Authorization: Bearer <value>` from `req`.
pub fn bearer(req: &HttpRequest) -> Bearer<'_> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Bearer::Absent;
    };
    value
        .to_str()
        .ok()
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or(Bearer::Malformed, Bearer::Token)
}

/// Leaves who authenticated for the journal: the user, and the token's id where the dialect
/// has one (never the token).
pub fn note_principal(req: &HttpRequest, user_id: &str, token_id: Option<&str>) {
    req.extensions_mut().insert(PrincipalNote {
        user_id: user_id.to_string(),
        token_id: token_id.map(str::to_string),
    });
}

/// Leaves on a login's or token grant's `response` which user it answered for, so the journal
/// names that user although the request carried no token.
pub fn note_issued_to(response: &mut actix_web::HttpResponse, user_id: &str) {
    response.extensions_mut().insert(PrincipalNote {
        user_id: user_id.to_string(),
        token_id: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn bearer_values_are_read_in_either_case_and_trimmed() {
        let with = |h: &str| {
            TestRequest::default()
                .insert_header(("authorization", h))
                .to_http_request()
        };
        assert_eq!(
            bearer(&TestRequest::default().to_http_request()),
            Bearer::Absent
        );
        assert_eq!(bearer(&with("Bearer abc ")), Bearer::Token("abc"));
        assert_eq!(bearer(&with("bearer abc")), Bearer::Token("abc"));
        assert_eq!(bearer(&with("Basic abc")), Bearer::Malformed);
        assert_eq!(bearer(&with("Bearer   ")), Bearer::Malformed);
    }
}
