//! The engine's error: what went wrong, independent of any vendor's wire shape. Each dialect
//! renders it in its vendor's error body (see `bitgo::error`). It knows no HTTP and no SQL:
//! the store turns its own errors into it (`store::error`).

use crate::domain::scope::Scope;

/// Why a request could not be authenticated (all answered with 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization: Bearer` header on a route that needs one.
    MissingToken,
    /// The header is not `Bearer <token>`, or a signed request lacks a needed header.
    MalformedHeader(&'static str),
    /// No token matches.
    UnknownToken,
    /// The token's lifetime is over.
    Expired,
    /// The token was logged out or deleted.
    Revoked,
    /// The request HMAC does not match the request.
    BadSignature,
    /// `Auth-Timestamp` is too far from the current time.
    StaleTimestamp,
    /// The client address is outside the token's `ipRestrict`.
    IpNotAllowed,
    /// Wrong email or password.
    BadCredentials,
    /// The user's account is deactivated (`is_active = 0`): no login, no token works.
    InactiveUser,
    /// A state-changing signed request whose HMAC was already used.
    Replayed,
}

/// An engine error; dialects turn it into their vendor's status and body.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request is well-formed but a value is wrong.
    #[error("{0}")]
    Invalid(String),
    /// 400: the body is not valid JSON.
    #[error("invalid JSON body: {0}")]
    MalformedJson(String),
    /// 415: a body was sent with a content type other than JSON.
    #[error("unsupported content type {0:?}: send application/json")]
    UnsupportedMediaType(String),
    /// 413: the body is larger than the configured limit.
    #[error("request body exceeds the limit of {0} bytes")]
    PayloadTooLarge(usize),
    /// 401: authentication failed.
    #[error("{}", auth_message(*.0))]
    Unauthenticated(AuthFailure),
    /// 401 with `needsOTP`: an OTP is required and was missing or wrong.
    #[error("{0}")]
    NeedsOtp(&'static str),
    /// 401 with `needsUnlock`: spending needs an unlocked session (a login session that was
    /// locked or whose unlock ran out), or more than the token's spending limit has left.
    #[error("{0}")]
    NeedsUnlock(String),
    /// 403: the token lacks the scope the route needs.
    #[error("insufficient scope: this call needs the {} scope", .0.as_str())]
    MissingScope(Scope),
    /// 403: authenticated, but a rule denies the action.
    #[error("{0}")]
    Forbidden(String),
    /// 403: an organization admin tried to trade, withdraw, send or initiate on a child
    /// enterprise of their organization, which no token scope allows (seed 000's Note).
    #[error("{0}")]
    OrganizationAdminCannotTransact(String),
    /// 400: the balance cannot cover the amount.
    #[error("{0}")]
    InsufficientFunds(String),
    /// 404: no such route or object.
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 429: too many attempts; try again after `retry_after_secs` (sent as `Retry-After`).
    #[error("{reason}")]
    RateLimited {
        /// Seconds until another attempt may succeed.
        retry_after_secs: u64,
        /// What was limited.
        reason: String,
    },
    /// 409: the write conflicts with existing state.
    #[error("{0}")]
    Conflict(String),
    /// 500: a fault inside orgbox; the detail is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

impl Error {
    /// The message for the operator's terminal (the CLI, a failed start): an internal error's
    /// detail too, which a client's answer never carries.
    pub fn for_operator(&self) -> String {
        match self {
            Error::Internal(detail) => detail.trim_start_matches("sqlite: ").to_string(),
            other => other.to_string(),
        }
    }

    /// The stable name of the error (BitGo's `name`; the journal's `refusedBy`). Never rename
    /// one: clients match on them.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "InvalidRequest",
            Error::MalformedJson(_) => "InvalidJSON",
            Error::UnsupportedMediaType(_) => "UnsupportedMediaType",
            Error::PayloadTooLarge(_) => "PayloadTooLarge",
            Error::Unauthenticated(_) => "Unauthorized",
            Error::NeedsOtp(_) => "NeedsOTP",
            Error::NeedsUnlock(_) => "NeedsUnlock",
            Error::MissingScope(_) => "InsufficientScope",
            Error::Forbidden(_) => "Forbidden",
            Error::NotFound(_) => "NotFound",
            Error::MethodNotAllowed => "MethodNotAllowed",
            Error::Conflict(_) => "Conflict",
            Error::OrganizationAdminCannotTransact(_) => "OrganizationAdminCannotTransact",
            Error::InsufficientFunds(_) => "InsufficientBalance",
            Error::RateLimited { .. } => "TooManyRequests",
            Error::Internal(_) => "InternalError",
        }
    }
}

fn auth_message(failure: AuthFailure) -> &'static str {
    match failure {
        AuthFailure::MissingToken => "unauthorized: this call needs an Authorization: Bearer token",
        AuthFailure::MalformedHeader(what) => what,
        AuthFailure::UnknownToken => "unauthorized: unknown access token",
        AuthFailure::Expired => "unauthorized: the access token has expired",
        AuthFailure::Revoked => "unauthorized: the access token has been revoked",
        AuthFailure::BadSignature => "unauthorized: invalid request HMAC",
        AuthFailure::StaleTimestamp => {
            "unauthorized: Auth-Timestamp is outside the allowed window of the server time"
        }
        AuthFailure::IpNotAllowed => {
            "Attempt to use IP-restricted token from an unauthorized IP address"
        }
        AuthFailure::BadCredentials => "invalid email or password",
        AuthFailure::InactiveUser => "unauthorized: this account is deactivated",
        AuthFailure::Replayed => {
            "unauthorized: this signed request was already received; sign each request anew"
        }
    }
}

/// Shorthand for engine results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
