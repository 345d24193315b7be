//! The rules of a withdrawal's `tx/send` (spec 6.7): when a signed build may be spent.

use crate::domain::error::{Error, Result};

/// What a `tx/send` presents, against the build its payload names.
#[derive(Debug, Clone, Copy)]
pub struct SignedBuild<'a> {
    /// The payload string `tx/build` returned and stored.
    pub built: &'a str,
    /// The payload string the client signed and sent back.
    pub sent: &'a str,
    /// Whether the signature verifies against the wallet's user key.
    pub signature_valid: bool,
    /// After this (ms) the build can no longer be sent.
    pub expires_at_ms: i64,
}

/// Whether a signed build may be sent at `now_ms`, asked in this order: the payload is the
/// one `tx/build` returned, its signature verifies, and it has not expired. That a build is
/// spent once is the store's to say, in the same write.
pub fn may_send(b: &SignedBuild<'_>, now_ms: i64) -> Result<()> {
    if b.built != b.sent {
        return Err(Error::Invalid(
            "the payload differs from the one tx/build returned".into(),
        ));
    }
    if !b.signature_valid {
        return Err(Error::Invalid(
            "invalid signature: sign the payload with the wallet's user key".into(),
        ));
    }
    if now_ms > b.expires_at_ms {
        return Err(Error::Invalid(
            "this payload has expired: build the withdrawal again".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(sent: &str, signature_valid: bool) -> SignedBuild<'_> {
        SignedBuild {
            built: "{\"nonce\":\"n\"}",
            sent,
            signature_valid,
            expires_at_ms: 1_000,
        }
    }

    fn refusal(r: Result<()>) -> String {
        match r {
            Err(Error::Invalid(m)) => m,
            other => panic!("expected a 400, got {other:?}"),
        }
    }

    #[test]
    fn a_signed_build_is_sent_until_its_expiry_inclusive() {
        assert!(may_send(&signed("{\"nonce\":\"n\"}", true), 1_000).is_ok());
        assert!(refusal(may_send(&signed("{\"nonce\":\"n\"}", true), 1_001)).contains("expired"));
    }

    #[test]
    fn another_payload_is_refused_before_the_signature_and_the_signature_before_expiry() {
        let other = refusal(may_send(&signed("{\"nonce\":\"m\"}", false), 5_000));
        assert!(other.contains("differs"), "{other}");
        let unsigned = refusal(may_send(&signed("{\"nonce\":\"n\"}", false), 5_000));
        assert!(unsigned.contains("invalid signature"), "{unsigned}");
    }
}
