//! Bitwarden's error body, `ErrorResponseModel`:
//! `{"object":"error","message":…,"validationErrors":…,"exceptionMessage":null,…}`, with the
//! real server's status mapping (spec §1.4), and the empty-bodied 401/403 of its auth layer.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

use crate::domain::bitwarden::policy::Denied;
use crate::domain::bitwarden::rules::StorageRefusal;
use crate::domain::error::Error;
use crate::request::status::status_of;

/// An error on its way out through the Bitwarden dialect.
#[derive(Debug, thiserror::Error)]
pub enum BwError {
    /// 400 with a plain message (`BadRequestException(message)`).
    #[error("{0}")]
    BadRequest(String),
    /// 400 `The model state is invalid.` with `validationErrors` (keys as the server writes them).
    #[error("model state invalid")]
    ModelState(Vec<(String, String)>),
    /// 400 `Errors have occurred.` with the messages under `An error has occurred.` (an
    /// `AggregateException`, as a failed invitation reports what went wrong).
    #[error("errors have occurred")]
    Aggregate(Vec<String>),
    /// 404 `Resource not found.` (any detail is dropped, as the server does).
    #[error("not found")]
    NotFound,
    /// 401 with an empty body (no or bad bearer token; `TypedResults.Unauthorized()`).
    #[error("unauthorized")]
    UnauthorizedEmpty,
    /// 401 `Unauthorized.` (`UnauthorizedAccessException`).
    #[error("unauthorized")]
    Unauthorized,
    /// 403 with an empty body (a valid token that fails the `Application` policy).
    #[error("forbidden")]
    ForbiddenEmpty,
    /// 409 with a message.
    #[error("{0}")]
    Conflict(String),
    /// 429 with `Retry-After`, as the real server's rate limiter answers.
    #[error("too many requests; retry after {0} s")]
    TooManyRequests(u64),
    /// 500 `An unhandled server error has occurred.`; the detail is logged, never sent.
    #[error("internal: {0}")]
    Internal(String),
}

/// A result whose error is the dialect's: what a handler, and a store closure that refuses,
/// return.
pub type BwResult<T> = std::result::Result<T, BwError>;

impl BwError {
    /// A model-state error with one key and message.
    pub fn field(key: &str, message: &str) -> BwError {
        BwError::ModelState(vec![(key.to_string(), message.to_string())])
    }
}

impl From<Error> for BwError {
    /// The one status mapping, in the server's shapes: it answers 400 for any bad body (no
    /// 413 or 415), an empty 403 for a second factor it wants, and 404 for a wrong method.
    fn from(e: Error) -> Self {
        let status = status_of(&e);
        match e {
            Error::MalformedJson(m) => BwError::field("", &m),
            Error::UnsupportedMediaType(_) => BwError::BadRequest("Unsupported media type.".into()),
            Error::PayloadTooLarge(n) => {
                BwError::BadRequest(format!("Request body too large (limit {n} bytes)."))
            }
            Error::NeedsOtp(_) | Error::NeedsUnlock(_) => BwError::ForbiddenEmpty,
            Error::RateLimited {
                retry_after_secs, ..
            } => BwError::TooManyRequests(retry_after_secs),
            Error::Internal(m) => BwError::Internal(m),
            other => match status {
                StatusCode::UNAUTHORIZED => BwError::UnauthorizedEmpty,
                StatusCode::FORBIDDEN => BwError::ForbiddenEmpty,
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => BwError::NotFound,
                // A storage conflict is a fault the rules should have caught: the server
                // answers its SqlException with a 500 and no words of the database.
                StatusCode::CONFLICT => BwError::Internal(other.to_string()),
                _ => BwError::BadRequest(other.to_string()),
            },
        }
    }
}

impl From<Denied> for BwError {
    /// A policy denial as the server answers it: an organization the caller may not see is a
    /// 404 `Resource not found.`, an update it may not make an empty 401, a route gate an
    /// empty 403.
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => BwError::NotFound,
            Denied::Unauthorized => BwError::UnauthorizedEmpty,
            Denied::Forbidden => BwError::ForbiddenEmpty,
        }
    }
}

impl From<StorageRefusal> for BwError {
    /// A refused storage adjustment: a zero one is a model-state error, the rest plain 400s.
    fn from(r: StorageRefusal) -> Self {
        match r {
            StorageRefusal::Zero => {
                BwError::field("StorageGbAdjustment", "Storage adjustment cannot be 0.")
            }
            StorageRefusal::Message(m) => BwError::BadRequest(m),
        }
    }
}

impl From<actix_web::error::BlockingError> for BwError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        BwError::Internal(format!("blocking pool: {e}"))
    }
}

/// The `ErrorResponseModel` JSON.
pub fn error_body(message: &str, validation: Option<Map<String, Value>>) -> Value {
    json!({
        "object": "error",
        "message": message,
        "validationErrors": validation,
        "exceptionMessage": null,
        "exceptionStackTrace": null,
        "innerExceptionMessage": null,
    })
}

/// The `ErrorResponseModel` for an answer that is no engine error (an injected fault, an
/// unknown sandbox), with `Retry-After` when given.
pub fn answer(status: StatusCode, message: &str, retry_after: Option<u64>) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if let Some(secs) = retry_after {
        response.insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()));
    }
    response.json(error_body(message, None))
}

impl ResponseError for BwError {
    fn status_code(&self) -> StatusCode {
        match self {
            BwError::BadRequest(_) | BwError::ModelState(_) | BwError::Aggregate(_) => {
                StatusCode::BAD_REQUEST
            }
            BwError::NotFound => StatusCode::NOT_FOUND,
            BwError::UnauthorizedEmpty | BwError::Unauthorized => StatusCode::UNAUTHORIZED,
            BwError::ForbiddenEmpty => StatusCode::FORBIDDEN,
            BwError::Conflict(_) => StatusCode::CONFLICT,
            BwError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            BwError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let body = match self {
            BwError::UnauthorizedEmpty | BwError::ForbiddenEmpty => {
                return HttpResponse::build(status).finish();
            }
            BwError::TooManyRequests(secs) => {
                return HttpResponse::build(status)
                    .insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()))
                    .json(error_body(
                        &format!("Slow down! Too many requests. Try again in {secs}s."),
                        None,
                    ));
            }
            BwError::BadRequest(m) | BwError::Conflict(m) => error_body(m, None),
            BwError::ModelState(errors) => {
                let mut map = Map::new();
                for (k, m) in errors {
                    let entry = map.entry(k.clone()).or_insert_with(|| Value::Array(vec![]));
                    if let Value::Array(list) = entry {
                        list.push(Value::String(m.clone()));
                    }
                }
                error_body("The model state is invalid.", Some(map))
            }
            BwError::Aggregate(messages) => {
                let mut map = Map::new();
                map.insert("An error has occurred.".into(), json!(messages));
                error_body("Errors have occurred.", Some(map))
            }
            BwError::NotFound => error_body("Resource not found.", None),
            BwError::Unauthorized => error_body("Unauthorized.", None),
            BwError::Internal(detail) => {
                log::error!("bitwarden: {detail}");
                error_body("An unhandled server error has occurred.", None)
            }
        };
        HttpResponse::build(status).json(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn body_of(e: BwError) -> (u16, Vec<u8>) {
        let r = e.error_response();
        let status = r.status().as_u16();
        let bytes = r.into_body().try_into_bytes().unwrap_or_default().to_vec();
        (status, bytes)
    }

    #[test]
    fn model_state_errors_keep_their_keys() {
        let (status, body) = body_of(BwError::field("MasterPasswordHash", "Invalid password."));
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(status, 400);
        assert_eq!(v["message"], "The model state is invalid.");
        assert_eq!(
            v["validationErrors"]["MasterPasswordHash"][0],
            "Invalid password."
        );
        assert_eq!(v["object"], "error");
        assert!(v["exceptionMessage"].is_null());
    }

    #[test]
    fn not_found_hides_detail_and_401_is_empty() {
        let (status, body) = body_of(Error::NotFound("secret detail".into()).into());
        assert_eq!(status, 404);
        assert!(!String::from_utf8_lossy(&body).contains("secret"));
        let (status, body) = body_of(BwError::UnauthorizedEmpty);
        assert_eq!((status, body.len()), (401, 0));
    }

    #[test]
    fn a_storage_conflict_never_reaches_the_client_in_words() {
        let raw = "conflict with existing data (UNIQUE constraint failed: bw_memberships.email)";
        let (status, body) = body_of(Error::Conflict(raw.into()).into());
        assert_eq!(status, 500);
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("UNIQUE") && !text.contains("bw_"), "{text}");
        assert!(text.contains("An unhandled server error has occurred."));
    }
}
