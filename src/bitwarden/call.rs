//! The authenticated Bitwarden request: a bearer JWT from `/identity/connect/token`, checked
//! against the sandbox's key and clock. [`BwCall`] passes the `Application` policy (`amr`
//! Application and scope `api`): no or a bad token is a 401 with an empty body, an org API
//! token (scope `api.organization`) a 403 with an empty body. What the caller may do in an
//! organization is what the token's claims say ([`Caller::membership`]), as on the server.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use serde_json::{Map, Value};

use crate::bitwarden::error::BwError;
use crate::bitwarden::jwt;
use crate::domain::bitwarden::claims;
use crate::domain::bitwarden::policy::Membership;
use crate::request::context::{bearer, note_principal, Bearer, RequestContext};
use crate::request::state::AppState;
use crate::sandbox::Sandbox;
use crate::service::bitwarden_tokens;

pub use crate::store::bitwarden::JWT_KEY_SETTING;

/// Who makes an authenticated call, as the events it causes record it: the user (or none for
/// the organization API key), its client's device type and address, and the token's claims.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user (`sub`); `None` for the organization API key.
    pub user_id: Option<String>,
    /// The client's `DeviceType` (the `Device-Type` header, else the token's `devicetype`).
    pub device_type: Option<i64>,
    /// The client's address.
    pub ip: Option<String>,
    claims: Arc<Map<String, Value>>,
}

impl Caller {
    /// The caller's membership of `org_id` as its token's claims state it.
    pub fn membership(&self, org_id: &str) -> Option<Membership> {
        claims::org_membership(|name| claim_lists(&self.claims, name, org_id))
    }

    /// The user id, or empty for the organization API key.
    pub fn user(&self) -> &str {
        self.user_id.as_deref().unwrap_or_default()
    }
}

/// Whether claim `name` (one value or many) lists `org_id` (GUIDs compared in any case).
fn claim_lists(claims: &Map<String, Value>, name: &str, org_id: &str) -> bool {
    let is = |v: &Value| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case(org_id));
    match claims.get(name) {
        Some(Value::Array(a)) => a.iter().any(is),
        Some(v) => is(v),
        None => false,
    }
}

/// An authenticated Bitwarden call.
pub struct BwCall {
    /// Shared state.
    pub state: Data<AppState>,
    /// The request's sandbox.
    pub sandbox: Arc<Sandbox>,
    /// The user (`sub`).
    pub user_id: String,
    /// The token's claims.
    pub claims: Map<String, Value>,
    /// The caller, for rules and events.
    pub caller: Caller,
}

impl BwCall {
    /// The sandbox's now, ms.
    pub fn now_ms(&self) -> i64 {
        self.sandbox.clock.now_ms()
    }
}

/// Resolves the sandbox and shared state of any request.
pub fn sandbox_of(req: &HttpRequest) -> Result<(Data<AppState>, Arc<Sandbox>), BwError> {
    let RequestContext { state, sandbox } = RequestContext::of(req)?;
    Ok((state, sandbox))
}

/// The sandbox's JWT key.
pub async fn jwt_key(sandbox: &Sandbox) -> Result<Vec<u8>, BwError> {
    Ok(sandbox.store.read(bitwarden_tokens::jwt_key).await?)
}

/// A request's verified token claims, with its state and sandbox; no or a bad token is the
/// empty 401.
pub async fn verified(
    req: &HttpRequest,
) -> Result<(Data<AppState>, Arc<Sandbox>, Map<String, Value>), BwError> {
    let (state, sandbox) = sandbox_of(req)?;
    let Bearer::Token(token) = bearer(req) else {
        return Err(BwError::UnauthorizedEmpty);
    };
    let token = token.to_string();
    let key = jwt_key(&sandbox).await?;
    let now_s = sandbox.clock.now_ms().div_euclid(1000);
    let claims = jwt::verify(&key, &token, now_s).map_err(|_| BwError::UnauthorizedEmpty)?;
    Ok((state, sandbox, claims))
}

/// The caller of a verified request.
pub fn caller_of(req: &HttpRequest, state: &AppState, claims: Map<String, Value>) -> Caller {
    let header = req
        .headers()
        .get("device-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let claimed = claims
        .get("devicetype")
        .and_then(Value::as_str)
        .and_then(|v| v.parse::<i64>().ok());
    Caller {
        user_id: claims
            .get("sub")
            .and_then(Value::as_str)
            .map(str::to_string),
        device_type: header.or(claimed),
        ip: crate::request::client_ip(req, &state.trusted_proxies).map(|ip| ip.to_string()),
        claims: Arc::new(claims),
    }
}

impl FromRequest for BwCall {
    type Error = BwError;
    type Future = Pin<Box<dyn Future<Output = Result<BwCall, BwError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (state, sandbox, claims) = verified(&req).await?;
            let application = jwt::claim_has(&claims, "amr", "Application")
                || jwt::claim_has(&claims, "amr", "external");
            if !application || !jwt::claim_has(&claims, "scope", "api") {
                return Err(BwError::ForbiddenEmpty);
            }
            let user_id = claims
                .get("sub")
                .and_then(Value::as_str)
                .ok_or(BwError::UnauthorizedEmpty)?
                .to_string();
            note_principal(&req, &user_id, None);
            let caller = caller_of(&req, &state, claims.clone());
            Ok(BwCall {
                state,
                sandbox,
                user_id,
                claims,
                caller,
            })
        })
    }
}
