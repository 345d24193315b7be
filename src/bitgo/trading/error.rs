//! The trading API's own error body (`/api/prime/trading`): `{error, errorName, reqId,
//! context?}`, with `errorName` codes like `backend:trade:insufficientFunds`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::bitgo::error::BitgoError;
use crate::domain::error::{AuthFailure, Error};
use crate::domain::ids::{random_chars, BASE36};
use crate::request::status::status_of;
use crate::service::trading::account::OrderRefusal;

/// An error on its way out through the trading API.
#[derive(Debug, thiserror::Error)]
#[error("{error_name}: {message}")]
pub struct TradingError {
    status: StatusCode,
    /// The stable `errorName`.
    pub error_name: &'static str,
    message: String,
    field: Option<&'static str>,
    /// Set on a refusal that an unlock (`POST /api/v2/user/unlock`) would lift: the body
    /// carries `needsUnlock: true`, as BitGo's platform errors do.
    needs_unlock: bool,
}

impl TradingError {
    /// A trading error with a code, a message and (for validation) the field.
    pub fn new(
        status: StatusCode,
        error_name: &'static str,
        message: impl Into<String>,
        field: Option<&'static str>,
    ) -> Self {
        TradingError {
            status,
            error_name,
            message: message.into(),
            field,
            needs_unlock: false,
        }
    }

    /// A 400 `backend:common:invalidArgument` naming `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "backend:common:invalidArgument",
            message,
            Some(field),
        )
    }
}

impl From<Error> for TradingError {
    fn from(e: Error) -> Self {
        // The trading API answers broken JSON with 422; all else as the one mapping says.
        let status = match &e {
            Error::MalformedJson(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => status_of(&e),
        };
        let name = match &e {
            Error::Invalid(_) => "backend:common:invalidArgument",
            Error::MalformedJson(_) => "backend:common:malformedJSON",
            Error::UnsupportedMediaType(_) => "backend:common:invalidRequest",
            Error::PayloadTooLarge(_) => "backend:common:invalidRequest",
            Error::Unauthenticated(AuthFailure::IpNotAllowed)
            | Error::Unauthenticated(_)
            | Error::NeedsOtp(_)
            | Error::NeedsUnlock(_) => "backend:common:unauthorized",
            Error::MissingScope(_) | Error::Forbidden(_) => "backend:common:forbidden",
            Error::OrganizationAdminCannotTransact(_) => "OrganizationAdminCannotTransact",
            Error::InsufficientFunds(_) => "backend:trade:insufficientFunds",
            Error::NotFound(_) => "backend:common:notFound",
            Error::MethodNotAllowed => "backend:common:invalidRequest",
            Error::Conflict(_) => "backend:common:inUse",
            Error::RateLimited { .. } => "backend:common:rateLimited",
            Error::Internal(detail) => {
                log::error!("internal error: {detail}");
                "backend:common:internalError"
            }
        };
        let message = if matches!(e, Error::Internal(_)) {
            "internal error".to_string()
        } else {
            e.to_string()
        };
        TradingError {
            needs_unlock: matches!(e, Error::NeedsUnlock(_)),
            ..TradingError::new(status, name, message, None)
        }
    }
}

impl From<OrderRefusal> for TradingError {
    fn from(r: OrderRefusal) -> Self {
        let bad = StatusCode::BAD_REQUEST;
        match r {
            OrderRefusal::KycNotApproved(state) => TradingError::new(
                bad,
                "backend:trade:KYCNotApproved",
                format!("the enterprise's KYC is {state}: trading starts once it is approved"),
                None,
            ),
            OrderRefusal::ClientOrderIdInUse => TradingError::new(
                StatusCode::CONFLICT,
                "backend:common:inUse",
                "clientOrderId is already in use",
                Some("clientOrderId"),
            ),
            OrderRefusal::BuysNothing => TradingError::new(
                bad,
                "backend:trade:invalidQuantity",
                "the quantity buys nothing at this price",
                Some("quantity"),
            ),
            OrderRefusal::NotCancelable(status) => TradingError::new(
                bad,
                "backend:trade:orderNotCancelable",
                format!("the order is {status} and cannot be cancelled"),
                None,
            ),
            OrderRefusal::Engine(e) => e.into(),
        }
    }
}

impl From<BitgoError> for TradingError {
    fn from(e: BitgoError) -> Self {
        e.0.into()
    }
}

fn request_id() -> String {
    format!("unk-{}", random_chars(BASE36, 20))
}

impl ResponseError for TradingError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let error = match self.field {
            Some(f) => format!("{} key={f}", self.error_name),
            None => self.message.clone(),
        };
        let mut context = json!({"errorName": self.error_name, "message": self.message});
        if let Some(f) = self.field {
            context["field"] = f.into();
        }
        let mut body = json!({
            "error": error,
            "errorName": self.error_name,
            "reqId": request_id(),
            "context": context,
        });
        if self.needs_unlock {
            body["needsUnlock"] = true.into();
        }
        HttpResponse::build(self.status).json(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    #[test]
    fn the_body_has_error_error_name_and_req_id() {
        let e: TradingError = Error::InsufficientFunds("short".into()).into();
        let r = e.error_response();
        assert_eq!(r.status(), 400);
        let body: serde_json::Value =
            serde_json::from_slice(&r.into_body().try_into_bytes().unwrap()).unwrap();
        assert_eq!(body["errorName"], "backend:trade:insufficientFunds");
        assert!(body["reqId"].as_str().unwrap().starts_with("unk-"));
        let e = TradingError::invalid("quantity", "bad");
        let body: serde_json::Value =
            serde_json::from_slice(&e.error_response().into_body().try_into_bytes().unwrap())
                .unwrap();
        assert_eq!(body["error"], "backend:common:invalidArgument key=quantity");
        assert_eq!(body["context"]["field"], "quantity");
    }
}
