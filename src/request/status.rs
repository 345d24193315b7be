//! The one mapping from the engine error to an HTTP status. Every dialect's renderer starts
//! from it and keeps only the vendor's own exceptions beside its body (the trading API's 422
//! for broken JSON, Bitwarden's 404 for a wrong method).

use actix_web::http::StatusCode;

use crate::domain::error::Error;

/// The status an engine error is answered with.
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Invalid(_) | Error::MalformedJson(_) => StatusCode::BAD_REQUEST,
        Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Unauthenticated(_) | Error::NeedsOtp(_) | Error::NeedsUnlock(_) => {
            StatusCode::UNAUTHORIZED
        }
        Error::MissingScope(_) | Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::OrganizationAdminCannotTransact(_) => StatusCode::FORBIDDEN,
        Error::InsufficientFunds(_) => StatusCode::BAD_REQUEST,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::AuthFailure;

    #[test]
    fn each_kind_of_error_has_its_status() {
        assert_eq!(status_of(&Error::Invalid("x".into())), 400);
        assert_eq!(
            status_of(&Error::Unauthenticated(AuthFailure::Expired)),
            401
        );
        assert_eq!(
            status_of(&Error::OrganizationAdminCannotTransact("x".into())),
            403
        );
        assert_eq!(status_of(&Error::NotFound("x".into())), 404);
        assert_eq!(status_of(&Error::Conflict("x".into())), 409);
        assert_eq!(status_of(&Error::Internal("x".into())), 500);
    }
}
