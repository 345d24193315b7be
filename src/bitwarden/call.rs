//! The authenticated Bitwarden request: a bearer JWT from `/identity/connect/token`, checked
//! against the sandbox's key and clock, that passes the `Application` policy (`amr`
//! Application and scope `api`). No or a bad token is a 401 with an empty body; an org API
//! token (scope `api.organization`) is a 403 with an empty body.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use serde_json::{Map, Value};

use crate::bitwarden::error::BwError;
use crate::bitwarden::jwt;
use crate::request::context::{bearer, note_principal, Bearer, RequestContext};
use crate::request::state::AppState;
use crate::sandbox::Sandbox;
use crate::store::bitwarden as bwstore;

pub use crate::store::bitwarden::JWT_KEY_SETTING;

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
    let hex_key = sandbox
        .store
        .read(|c| bwstore::setting(c, JWT_KEY_SETTING))
        .await?
        .ok_or_else(|| BwError::Internal("the Bitwarden JWT key is missing".into()))?;
    hex::decode(hex_key).map_err(|e| BwError::Internal(format!("JWT key: {e}")))
}

impl FromRequest for BwCall {
    type Error = BwError;
    type Future = Pin<Box<dyn Future<Output = Result<BwCall, BwError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (state, sandbox) = sandbox_of(&req)?;
            let Bearer::Token(token) = bearer(&req) else {
                return Err(BwError::UnauthorizedEmpty);
            };
            let token = token.to_string();
            let key = jwt_key(&sandbox).await?;
            let now_s = sandbox.clock.now_ms().div_euclid(1000);
            let claims =
                jwt::verify(&key, &token, now_s).map_err(|_| BwError::UnauthorizedEmpty)?;
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
            Ok(BwCall {
                state,
                sandbox,
                user_id,
                claims,
            })
        })
    }
}
