//! The BitGo request extractors. [`Call`] is any request: its sandbox, client IP, raw target
//! and raw body (read once, within the size limit, because signatures cover it). [`Authed`] is
//! a call whose credentials were checked; handlers take it to require a token. Both build the
//! reply, which [`Authed`] signs as the SDK expects.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::web::{Bytes, Data};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::signing::{signed_target, AuthVersion};
use crate::auth::token::RawToken;
use crate::bitgo::error::BitgoError;
use crate::domain::error::{AuthFailure, Error};
use crate::domain::policy;
use crate::domain::scope::Scope;
use crate::request::context::{bearer, note_principal, Bearer, RequestContext};
use crate::request::json::parse_body;
use crate::request::principal::{self, Credentials, Principal, RequestFacts};
use crate::request::state::AppState;
use crate::sandbox::{Clock, Sandbox};
use crate::store::tokens::TokenRow;

/// A BitGo request, authenticated or not.
pub struct Call {
    /// Shared state.
    pub state: Data<AppState>,
    /// The request's sandbox.
    pub sandbox: Arc<Sandbox>,
    /// Uppercase method.
    pub method: String,
    /// The raw request target, as signed.
    pub target: String,
    /// The raw body.
    pub body: Bytes,
    /// The client's address; `None` when a trusted proxy's forwarding headers could not be
    /// believed (no IP restriction lets such a request through).
    pub client_ip: Option<IpAddr>,
    content_type: Option<String>,
    credentials: Option<std::result::Result<Credentials, Error>>,
}

/// A request whose token was checked: signature, timestamp, expiry, IP restriction.
pub struct Authed {
    /// The request.
    pub call: Call,
    /// Who is calling.
    pub principal: Principal,
}

type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, BitgoError>>>>;

impl FromRequest for Call {
    type Error = BitgoError;
    type Future = Boxed<Call>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|e| {
                if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    let limit = req
                        .app_data::<Data<AppState>>()
                        .map_or(0, |s| s.max_body_bytes);
                    Error::PayloadTooLarge(limit)
                } else {
                    Error::Invalid(format!("could not read the request body: {e}"))
                }
            })?;
            Call::build(&req, body)
        })
    }
}

impl FromRequest for Authed {
    type Error = BitgoError;
    type Future = Boxed<Authed>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let inner = AuthedWith::<NoPreload>::from_request(req, payload);
        Box::pin(async move { Ok(inner.await?.authed) })
    }
}

/// What a handler reads right after authentication, loaded in the same store call as the
/// token (one blocking-pool hop instead of two).
pub trait Preload: 'static {
    /// What is loaded.
    type Output: Clone + Send + Sync + 'static;
    /// Loads it for the token's row (authentication is not decided yet: nothing is shown
    /// unless it succeeds).
    fn load(conn: &Connection, token: &TokenRow) -> crate::domain::error::Result<Self::Output>;
}

/// Loads nothing.
pub struct NoPreload;

impl Preload for NoPreload {
    type Output = ();
    fn load(_: &Connection, _: &TokenRow) -> crate::domain::error::Result<()> {
        Ok(())
    }
}

/// An [`Authed`] call with what `P` loaded beside the token.
pub struct AuthedWith<P: Preload> {
    /// The authenticated call.
    pub authed: Authed,
    /// What `P` loaded.
    pub loaded: P::Output,
}

impl<P: Preload> FromRequest for AuthedWith<P> {
    type Error = BitgoError;
    type Future = Boxed<AuthedWith<P>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let call = Call::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let mut call = call.await?;
            let credentials = call
                .credentials
                .take()
                .ok_or(Error::Unauthenticated(AuthFailure::MissingToken))??;
            let facts = RequestFacts {
                method: &call.method,
                target: &call.target,
                body: &call.body,
                client_ip: call.client_ip,
            };
            let window_ms = call
                .state
                .auth
                .signature_window_seconds
                .saturating_mul(1000);
            let (principal, loaded) = principal::authenticate_with(
                &call.sandbox,
                &call.state.server_key,
                credentials,
                &facts,
                window_ms,
                call.state.auth.reject_replays,
                P::load,
            )
            .await?;
            note_principal(&req, &principal.token.user_id, Some(&principal.token.id));
            Ok(AuthedWith {
                authed: Authed { call, principal },
                loaded,
            })
        })
    }
}

impl Call {
    fn build(req: &HttpRequest, body: Bytes) -> Result<Call, BitgoError> {
        let RequestContext { state, sandbox } = RequestContext::of(req)?;
        let client_ip = crate::request::client_ip(req, &state.trusted_proxies);
        let raw_target = req.uri().path_and_query().map_or("/", |p| p.as_str());
        Ok(Call {
            sandbox,
            method: req.method().as_str().to_ascii_uppercase(),
            target: signed_target(raw_target).to_string(),
            content_type: header_str(req, header::CONTENT_TYPE.as_str()).map(str::to_string),
            credentials: read_credentials(req),
            client_ip,
            body,
            state,
        })
    }

    /// The sandbox's now, in milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.sandbox.clock.now_ms()
    }

    /// The body as JSON: a non-JSON content type is a 415, broken JSON a 400.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, BitgoError> {
        if !self.body.is_empty() {
            if let Some(ct) = &self.content_type {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                if mime != "application/json" && !mime.ends_with("+json") {
                    return Err(Error::UnsupportedMediaType(mime).into());
                }
            }
        }
        Ok(parse_body(&self.body)?)
    }

    /// An unsigned JSON reply.
    pub fn reply<T: Serialize>(
        &self,
        status: StatusCode,
        value: &T,
    ) -> Result<HttpResponse, BitgoError> {
        Ok(json_response(status, to_bytes(value)?))
    }
}

impl Authed {
    /// The token must carry `scope`: checked before the handler reads or writes anything.
    pub fn require(&self, scope: Scope) -> Result<(), BitgoError> {
        Ok(policy::require_scope(&self.principal.token.scope, scope)?)
    }

    /// The sandbox's now, in milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.call.now_ms()
    }

    /// A JSON reply signed for the SDK's response check: `Timestamp` (the real clock, which
    /// the SDK compares with its own) and `HMAC` over the exact body bytes.
    pub fn reply<T: Serialize>(
        &self,
        status: StatusCode,
        value: &T,
    ) -> Result<HttpResponse, BitgoError> {
        let body = to_bytes(value)?;
        let timestamp = Clock::real_now_ms().to_string();
        let hmac = self.principal.sign_response(
            &self.call.method,
            &self.call.target,
            &timestamp,
            status.as_u16(),
            &body,
        );
        let mut response = json_response(status, body);
        let headers = response.headers_mut();
        headers.insert(
            header::HeaderName::from_static("timestamp"),
            header_value(&timestamp)?,
        );
        headers.insert(
            header::HeaderName::from_static("hmac"),
            header_value(&hmac)?,
        );
        Ok(response)
    }
}

fn to_bytes<T: Serialize>(value: &T) -> Result<Bytes, BitgoError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| Error::Internal(format!("serialising reply: {e}")).into())
}

fn header_value(s: &str) -> Result<header::HeaderValue, BitgoError> {
    header::HeaderValue::from_str(s).map_err(|e| Error::Internal(e.to_string()).into())
}

fn json_response(status: StatusCode, body: Bytes) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json; charset=utf-8")
        .body(body)
}

fn header_str<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Reads `Authorization: Bearer …` and, when an `HMAC` header is present, the signing headers.
fn read_credentials(req: &HttpRequest) -> Option<std::result::Result<Credentials, Error>> {
    let malformed = |what| Error::Unauthenticated(AuthFailure::MalformedHeader(what));
    let bearer = match bearer(req) {
        Bearer::Absent => return None,
        Bearer::Malformed => {
            return Some(Err(malformed(
                "unauthorized: the Authorization header must be `Bearer <access token>`",
            )))
        }
        Bearer::Token(token) => token,
    };
    let Some(hmac) = header_str(req, "hmac") else {
        return Some(Ok(Credentials::Raw(RawToken::from_string(
            bearer.to_string(),
        ))));
    };
    let Some(timestamp) = header_str(req, "auth-timestamp") else {
        return Some(Err(malformed(
            "unauthorized: a signed request needs an Auth-Timestamp header",
        )));
    };
    Some(Ok(Credentials::Signed {
        token_hash: bearer.to_string(),
        version: AuthVersion::from_header(header_str(req, "bitgo-auth-version")),
        timestamp: timestamp.to_string(),
        hmac: hmac.to_string(),
    }))
}
