//! Invitation links' tokens, self-contained as the server's (`OrgUserInviteTokenable`): they
//! name the membership and the invited address and expire five days after they were made (on
//! the sandbox clock), signed with a key derived from the sandbox's JWT key. Nothing is
//! stored, so a re-sent invitation does not void the first link; accepting does, because it
//! clears the row's invited address.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use ring::hmac;
use serde_json::{json, Value};

/// The server's prefix of a token's clear text.
const PREFIX: &str = "BwOrgUserInviteToken_";

/// What a presented token is, for one membership row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenCheck {
    /// It names this row and its invited address, and has not expired.
    Valid,
    /// It is genuine but past its expiry: `Expired token.`
    Expired,
    /// Not a token, not genuine, or for another row or address: `Invalid token.`
    Invalid,
}

fn signing_key(jwt_key: &[u8]) -> hmac::Key {
    let derived = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, jwt_key),
        b"orgbox bitwarden invitation",
    );
    hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref())
}

/// A token for membership `member_id` invited at `email`, expiring at `expires_ms`.
pub fn make(jwt_key: &[u8], member_id: &str, email: &str, expires_ms: i64) -> String {
    let payload = json!({
        "Identifier": "OrgUserInviteToken",
        "OrgUserId": member_id,
        "OrgUserEmail": email,
        "ExpirationDate": expires_ms,
    });
    let body = format!("{PREFIX}{}", B64URL.encode(payload.to_string()));
    let tag = hmac::sign(&signing_key(jwt_key), body.as_bytes());
    format!("{body}.{}", B64URL.encode(tag.as_ref()))
}

/// Checks `token` against the row `member_id` whose invited address is `email` (`None` once
/// accepted), at `now_ms`, in the server's order: genuine, then unexpired, then for this row.
pub fn check(
    jwt_key: &[u8],
    token: &str,
    member_id: &str,
    email: Option<&str>,
    now_ms: i64,
) -> TokenCheck {
    let Some(payload) = genuine(jwt_key, token) else {
        return TokenCheck::Invalid;
    };
    let expires = payload["ExpirationDate"].as_i64().unwrap_or(i64::MIN);
    if expires <= now_ms {
        return TokenCheck::Expired;
    }
    let same_row = payload["OrgUserId"].as_str() == Some(member_id);
    let same_address = match (payload["OrgUserEmail"].as_str(), email) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    };
    if payload["Identifier"] == "OrgUserInviteToken" && same_row && same_address {
        TokenCheck::Valid
    } else {
        TokenCheck::Invalid
    }
}

fn genuine(jwt_key: &[u8], token: &str) -> Option<Value> {
    let (body, tag) = token.rsplit_once('.')?;
    let tag = B64URL.decode(tag).ok()?;
    hmac::verify(&signing_key(jwt_key), body.as_bytes(), &tag).ok()?;
    let json = B64URL.decode(body.strip_prefix(PREFIX)?).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_a_row_and_an_address_and_expire() {
        let t = make(b"k", "m1", "a@x.test", 1_000);
        assert_eq!(
            check(b"k", &t, "m1", Some("A@x.test"), 999),
            TokenCheck::Valid
        );
        assert_eq!(
            check(b"k", &t, "m1", Some("a@x.test"), 1_000),
            TokenCheck::Expired
        );
        assert_eq!(
            check(b"k", &t, "m2", Some("a@x.test"), 5),
            TokenCheck::Invalid
        );
        assert_eq!(
            check(b"k", &t, "m1", None, 5),
            TokenCheck::Invalid,
            "accepted"
        );
        assert_eq!(
            check(b"other", &t, "m1", Some("a@x.test"), 5),
            TokenCheck::Invalid
        );
        assert_eq!(
            check(b"k", "junk", "m1", Some("a@x.test"), 5),
            TokenCheck::Invalid
        );
        let forged = t.replace("BwOrg", "bwOrg");
        assert_eq!(
            check(b"k", &forged, "m1", Some("a@x.test"), 5),
            TokenCheck::Invalid
        );
    }
}
