//! Rules for tokens: lifetimes, validity at a given time, OTPs, unlocking, and what a
//! create-token request may ask for.

use crate::domain::error::AuthFailure;

/// Longest lifetime of a long-lived access token: 10 years, in seconds.
pub const MAX_TOKEN_SECONDS: i64 = 315_360_000;
/// Lifetime of an access token created without a `duration`: one year, in seconds
/// (BitGo does not document its default).
pub const DEFAULT_TOKEN_SECONDS: i64 = 31_536_000;
/// Longest label accepted.
pub const MAX_LABEL_CHARS: usize = 256;

/// What kind of bearer token a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Short-lived, from a login; carries `user_manage`; may create access tokens.
    Login,
    /// Long-lived, created through the API with a label.
    Api,
}

impl TokenKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Login => "login",
            TokenKind::Api => "api",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<TokenKind> {
        match s {
            "login" => Some(TokenKind::Login),
            "api" => Some(TokenKind::Api),
            _ => None,
        }
    }
}

/// Whether a token with these times may authenticate at `now_ms`.
pub fn check_usable(
    expires_at: i64,
    revoked_at: Option<i64>,
    now_ms: i64,
) -> Result<(), AuthFailure> {
    if revoked_at.is_some() {
        return Err(AuthFailure::Revoked);
    }
    if now_ms >= expires_at {
        return Err(AuthFailure::Expired);
    }
    Ok(())
}

/// Whether the session is unlocked at `now_ms`.
pub fn is_unlocked(unlock_expires_at: Option<i64>, now_ms: i64) -> bool {
    unlock_expires_at.is_some_and(|until| now_ms < until)
}

/// The outcome of checking an OTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpCheck {
    /// A valid OTP was given.
    Valid,
    /// None was given, and none was needed because the session is unlocked.
    NotNeeded,
}

/// Why an OTP check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpFailure {
    /// No OTP, and the session is not unlocked.
    Missing,
    /// An OTP was given and is not valid.
    Invalid,
}

impl OtpFailure {
    /// The message BitGo-style clients see.
    pub fn message(self) -> &'static str {
        match self {
            OtpFailure::Missing => {
                "needs a valid otp: send otp in the body or unlock the session first"
            }
            OtpFailure::Invalid => "invalid otp",
        }
    }
}

/// Checks an OTP against the accepted list. A given OTP must be valid; a missing one is
/// fine only while the session is unlocked.
pub fn check_otp(
    given: Option<&str>,
    accepted: &[String],
    unlocked: bool,
) -> Result<OtpCheck, OtpFailure> {
    match given {
        Some(otp) if !otp.is_empty() => {
            if accepted.iter().any(|a| a == otp) {
                Ok(OtpCheck::Valid)
            } else {
                Err(OtpFailure::Invalid)
            }
        }
        _ if unlocked => Ok(OtpCheck::NotNeeded),
        _ => Err(OtpFailure::Missing),
    }
}

/// An unlock duration: `requested` seconds, or `default`, at most `max`.
pub fn unlock_seconds(requested: Option<i64>, default: i64, max: i64) -> Result<i64, String> {
    match requested {
        None => Ok(default.min(max)),
        Some(s) if (1..=max).contains(&s) => Ok(s),
        Some(s) => Err(format!(
            "invalid duration {s}: must be between 1 and {max} seconds"
        )),
    }
}

/// An access token's lifetime in seconds: `requested`, or the default, at most 10 years.
pub fn token_seconds(requested: Option<i64>) -> Result<i64, String> {
    match requested {
        None => Ok(DEFAULT_TOKEN_SECONDS),
        Some(s) if (1..=MAX_TOKEN_SECONDS).contains(&s) => Ok(s),
        Some(s) => Err(format!(
            "invalid duration {s}: must be between 1 and {MAX_TOKEN_SECONDS} seconds (10 years)"
        )),
    }
}

/// A token label: required, trimmed of nothing, non-blank, not too long.
pub fn check_label(label: Option<&str>) -> Result<String, String> {
    match label {
        None => Err("label is required".into()),
        Some(l) if l.trim().is_empty() => Err("label must not be empty".into()),
        Some(l) if l.chars().count() > MAX_LABEL_CHARS => Err(format!(
            "label must be at most {MAX_LABEL_CHARS} characters"
        )),
        Some(l) => Ok(l.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn otps() -> Vec<String> {
        vec!["000000".into(), "0000000".into()]
    }

    #[test]
    fn revoked_wins_over_expired_and_expiry_is_exclusive() {
        assert_eq!(check_usable(100, Some(50), 200), Err(AuthFailure::Revoked));
        assert_eq!(check_usable(100, None, 100), Err(AuthFailure::Expired));
        assert_eq!(check_usable(100, None, 99), Ok(()));
    }

    #[test]
    fn both_test_otps_are_valid_and_others_are_not() {
        assert_eq!(
            check_otp(Some("000000"), &otps(), false),
            Ok(OtpCheck::Valid)
        );
        assert_eq!(
            check_otp(Some("0000000"), &otps(), false),
            Ok(OtpCheck::Valid)
        );
        assert_eq!(
            check_otp(Some("123456"), &otps(), true),
            Err(OtpFailure::Invalid)
        );
    }

    #[test]
    fn missing_otp_is_fine_only_while_unlocked() {
        assert_eq!(check_otp(None, &otps(), true), Ok(OtpCheck::NotNeeded));
        assert_eq!(check_otp(None, &otps(), false), Err(OtpFailure::Missing));
        assert_eq!(
            check_otp(Some(""), &otps(), false),
            Err(OtpFailure::Missing)
        );
    }

    #[test]
    fn unlock_is_capped_at_the_maximum() {
        assert_eq!(unlock_seconds(None, 600, 3600), Ok(600));
        assert_eq!(unlock_seconds(Some(3600), 600, 3600), Ok(3600));
        assert!(unlock_seconds(Some(3601), 600, 3600).is_err());
        assert!(unlock_seconds(Some(0), 600, 3600).is_err());
    }

    #[test]
    fn token_lifetime_is_at_most_ten_years() {
        assert_eq!(
            token_seconds(Some(MAX_TOKEN_SECONDS)),
            Ok(MAX_TOKEN_SECONDS)
        );
        assert!(token_seconds(Some(MAX_TOKEN_SECONDS + 1)).is_err());
        assert!(token_seconds(Some(-1)).is_err());
        assert_eq!(token_seconds(None), Ok(DEFAULT_TOKEN_SECONDS));
    }

    #[test]
    fn label_is_required_and_bounded() {
        assert!(check_label(None).is_err());
        assert!(check_label(Some("  ")).is_err());
        assert!(check_label(Some(&"x".repeat(MAX_LABEL_CHARS + 1))).is_err());
        assert_eq!(check_label(Some("ci")), Ok("ci".to_string()));
    }
}
