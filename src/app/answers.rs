//! Error bodies for answers the sandbox layer gives itself (an unknown sandbox, an injected
//! fault), in the shape of the dialect the path belongs to.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use crate::control::ControlError;

/// Which vendor a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `/api/v2/...`, `/api/{service}/v1/...`
    Bitgo,
    /// `/api/{resource}/...` without a version, `/identity/...`
    Bitwarden,
    /// `/sandbox/...` and anything else.
    Control,
}

fn is_version(segment: &str) -> bool {
    segment.len() >= 2
        && segment.starts_with('v')
        && segment[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The dialect of a path within its sandbox.
pub fn dialect_of(path: &str) -> Dialect {
    let mut segments = path.trim_start_matches('/').split('/');
    match segments.next() {
        Some("api") => {
            let first = segments.next().unwrap_or("");
            let second = segments.next().unwrap_or("");
            if is_version(first) || is_version(second) {
                Dialect::Bitgo
            } else {
                Dialect::Bitwarden
            }
        }
        Some("identity") | Some("organizations") | Some("public") => Dialect::Bitwarden,
        _ => Dialect::Control,
    }
}

/// `status` with `message` in the body the dialect of `path` uses (each dialect renders its
/// own); a 429 (or any status given `retry_after`) carries `Retry-After`.
pub fn dialect_error(
    path: &str,
    status: StatusCode,
    code: &'static str,
    message: &str,
    retry_after: Option<u64>,
) -> HttpResponse {
    let retry_after = retry_after.or((status == StatusCode::TOO_MANY_REQUESTS).then_some(1));
    match dialect_of(path) {
        Dialect::Bitgo => crate::bitgo::error::answer(status, message, retry_after),
        Dialect::Bitwarden => crate::bitwarden::error::answer(status, message, retry_after),
        Dialect::Control => ControlError::new(status, code, message).answer(retry_after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_by_path() {
        assert_eq!(dialect_of("/api/v2/user/me"), Dialect::Bitgo);
        assert_eq!(dialect_of("/api/evs/v1/identity"), Dialect::Bitgo);
        assert_eq!(dialect_of("/api/organizations/x"), Dialect::Bitwarden);
        assert_eq!(dialect_of("/identity/connect/token"), Dialect::Bitwarden);
        assert_eq!(dialect_of("/sandbox/health"), Dialect::Control);
    }
}
