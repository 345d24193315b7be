//! BitGo's error body, `{error, name, requestId, context}`, rendered once for every engine
//! error. `name` values are stable codes: never rename one.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

use crate::domain::error::{AuthFailure, Error};
use crate::domain::ids::{random_chars, BASE36};
use crate::request::status::status_of;

/// An engine error on its way out through the BitGo dialect.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct BitgoError(#[from] pub Error);

impl BitgoError {
    /// The stable `name` code.
    pub fn name(&self) -> &'static str {
        self.0.code()
    }

    fn context(&self) -> Map<String, Value> {
        let mut context = Map::new();
        match &self.0 {
            Error::Unauthenticated(failure) => {
                context.insert("reason".into(), auth_reason(*failure).into());
            }
            Error::MissingScope(scope) => {
                context.insert("requiredScope".into(), scope.as_str().into());
            }
            Error::RateLimited {
                retry_after_secs, ..
            } => {
                context.insert("retryAfterSeconds".into(), (*retry_after_secs).into());
            }
            _ => {}
        }
        context
    }

    /// Whether the token itself is unusable, which BitGo flags with `x-auth-required: true`
    /// (the SDK turns it into `err.invalidToken`).
    fn token_is_invalid(&self) -> bool {
        matches!(
            self.0,
            Error::Unauthenticated(
                AuthFailure::UnknownToken
                    | AuthFailure::Expired
                    | AuthFailure::Revoked
                    | AuthFailure::InactiveUser
            )
        )
    }
}

fn auth_reason(failure: AuthFailure) -> &'static str {
    match failure {
        AuthFailure::MissingToken => "missing_token",
        AuthFailure::MalformedHeader(_) => "malformed_header",
        AuthFailure::UnknownToken => "unknown_token",
        AuthFailure::Expired => "token_expired",
        AuthFailure::Revoked => "token_revoked",
        AuthFailure::BadSignature => "invalid_hmac",
        AuthFailure::StaleTimestamp => "stale_timestamp",
        AuthFailure::IpNotAllowed => "ip_restricted",
        AuthFailure::BadCredentials => "invalid_credentials",
        AuthFailure::InactiveUser => "user_inactive",
        AuthFailure::Replayed => "replayed_request",
    }
}

/// An engine error on its way out of BitGo's fiat services (`/api/fiat/v1`), whose OpenAPI
/// answers `V1ErrorResponse`: `{errorName, error}`, with the platform body's status and code.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct FiatError(#[from] pub BitgoError);

impl From<Error> for FiatError {
    fn from(e: Error) -> Self {
        FiatError(BitgoError(e))
    }
}

impl ResponseError for FiatError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        if let Error::Internal(detail) = &self.0 .0 {
            log::error!("internal error: {detail}");
        }
        HttpResponse::build(self.status_code()).json(json!({
            "errorName": self.0.name(),
            "error": self.0 .0.to_string(),
        }))
    }
}

/// A request id in the style of BitGo's (a 25-character cuid).
pub fn new_request_id() -> String {
    format!("c{}", random_chars(BASE36, 24))
}

/// BitGo's body for an answer that is no engine error (an injected fault, an unknown sandbox,
/// a documented route not served yet): `name` is the status's reason without spaces, and a
/// `retry_after` goes into `context` and the `Retry-After` header.
pub fn answer(status: StatusCode, message: &str, retry_after: Option<u64>) -> HttpResponse {
    let mut context = Map::new();
    if let Some(secs) = retry_after {
        context.insert("retryAfterSeconds".into(), secs.into());
    }
    let name: String = status
        .canonical_reason()
        .unwrap_or("Error")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .collect();
    let mut response = HttpResponse::build(status);
    if let Some(secs) = retry_after {
        response.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    response.json(json!({
        "error": message,
        "name": name,
        "requestId": new_request_id(),
        "context": context,
    }))
}

impl ResponseError for BitgoError {
    fn status_code(&self) -> StatusCode {
        status_of(&self.0)
    }

    fn error_response(&self) -> HttpResponse {
        if let Error::Internal(detail) = &self.0 {
            log::error!("internal error: {detail}");
        }
        let mut body = json!({
            "error": self.0.to_string(),
            "name": self.name(),
            "requestId": new_request_id(),
            "context": self.context(),
        });
        if matches!(self.0, Error::NeedsOtp(_)) {
            body["needsOTP"] = Value::Bool(true);
        }
        if matches!(self.0, Error::NeedsUnlock(_)) {
            body["needsUnlock"] = Value::Bool(true);
        }
        let mut response = HttpResponse::build(self.status_code());
        if self.status_code() == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if self.token_is_invalid() {
            response.insert_header(("x-auth-required", "true"));
        }
        if let Error::RateLimited {
            retry_after_secs, ..
        } = &self.0
        {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        response.json(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scope::Scope;
    use actix_web::body::MessageBody;

    fn body_of(e: BitgoError) -> (StatusCode, Value, bool) {
        let r = e.error_response();
        let status = r.status();
        let auth_required = r.headers().get("x-auth-required").is_some();
        let bytes = r.into_body().try_into_bytes().unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap(),
            auth_required,
        )
    }

    #[test]
    fn every_error_has_the_four_bitgo_fields() {
        let (status, body, _) = body_of(Error::NotFound("no such route".into()).into());
        assert_eq!(status, 404);
        assert_eq!(body["error"], "no such route");
        assert_eq!(body["name"], "NotFound");
        assert_eq!(body["requestId"].as_str().unwrap().len(), 25);
        assert!(body["context"].is_object());
    }

    #[test]
    fn missing_scope_is_a_403_naming_the_scope() {
        let (status, body, _) = body_of(Error::MissingScope(Scope::EnterpriseViewAll).into());
        assert_eq!(status, 403);
        assert!(body["error"]
            .as_str()
            .unwrap()
            .contains("enterprise_view_all"));
        assert_eq!(body["context"]["requiredScope"], "enterprise_view_all");
    }

    #[test]
    fn expired_token_sets_x_auth_required_and_bad_hmac_does_not() {
        let (status, _, flag) = body_of(Error::Unauthenticated(AuthFailure::Expired).into());
        assert_eq!(status, 401);
        assert!(flag);
        let (_, body, flag) = body_of(Error::Unauthenticated(AuthFailure::BadSignature).into());
        assert!(!flag);
        assert_eq!(body["context"]["reason"], "invalid_hmac");
    }

    #[test]
    fn needs_otp_flag_is_in_the_body() {
        let (status, body, _) = body_of(Error::NeedsOtp("invalid otp").into());
        assert_eq!(status, 401);
        assert_eq!(body["needsOTP"], true);
    }

    #[test]
    fn needs_unlock_is_a_401_with_the_flag_and_no_invalid_token_header() {
        let (status, body, invalid_token) =
            body_of(Error::NeedsUnlock("needs unlock".into()).into());
        assert_eq!(status, 401);
        assert_eq!(body["needsUnlock"], true);
        assert_eq!(body["name"], "NeedsUnlock");
        assert!(body.get("needsOTP").is_none());
        assert!(!invalid_token);
    }

    #[test]
    fn rate_limited_is_a_429_with_retry_after() {
        let e: BitgoError = Error::RateLimited {
            retry_after_secs: 42,
            reason: "too many attempts".into(),
        }
        .into();
        let r = e.error_response();
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers().get("retry-after").unwrap(), "42");
        let (_, body, _) = body_of(e);
        assert_eq!(body["name"], "TooManyRequests");
        assert_eq!(body["context"]["retryAfterSeconds"], 42);
    }

    #[test]
    fn fiat_errors_are_v1_error_responses() {
        let r = FiatError::from(Error::Invalid("amount is too large".into())).error_response();
        assert_eq!(r.status(), 400);
        let body: Value = serde_json::from_slice(&r.into_body().try_into_bytes().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"errorName": "InvalidRequest", "error": "amount is too large"})
        );
    }

    #[test]
    fn internal_errors_hide_their_detail() {
        let (status, body, _) = body_of(Error::Internal("disk on fire at /secret".into()).into());
        assert_eq!(status, 500);
        assert_eq!(body["error"], "internal error");
    }
}
