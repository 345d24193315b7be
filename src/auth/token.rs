//! Bearer tokens: `v2x` + 64 lowercase hex (what BitGo issues and what makes the SDK sign),
//! stored only as their SHA-256.

use std::fmt;

use rand::RngCore;
use ring::digest;

/// A raw bearer token. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct RawToken(String);

impl RawToken {
    /// A fresh random token.
    pub fn generate() -> RawToken {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        RawToken(format!("v2x{}", hex::encode(bytes)))
    }

    /// Wraps a value received or unsealed.
    pub fn from_string(value: String) -> RawToken {
        RawToken(value)
    }

    /// The raw value: only for the create reply, sealing and HMAC keys.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Lowercase hex SHA-256: the stored lookup key, and the bearer a signed request sends.
    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

impl fmt::Debug for RawToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RawToken(<redacted>)")
    }
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    digest_hex(digest::digest(&digest::SHA256, data).as_ref())
}

/// Lowercase hex of a SHA-256 digest or HMAC tag (32 bytes), written through a fixed buffer:
/// `hex::encode` builds the string a character at a time, which showed in the hot path's
/// profile (every request hashes a token and signs a response).
pub fn digest_hex(bytes: &[u8]) -> String {
    let mut out = [0u8; 64];
    match hex::encode_to_slice(bytes, &mut out) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(_) => hex::encode(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_have_bitgo_shape() {
        let t = RawToken::generate();
        assert_eq!(t.expose().len(), 67);
        assert!(t.expose().starts_with("v2x"));
        assert_ne!(t, RawToken::generate());
    }

    #[test]
    fn hash_matches_the_spec_vector() {
        let t = RawToken::from_string(
            "v2x355bf98dfdd083020e7e01f491e3a9f15becd3487b3c346f212029256ba0affc".into(),
        );
        assert_eq!(
            t.hash(),
            "faefe5eb808eee6c02c45808c96f0a8479030810903c964fbabc7402eecadfde"
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = RawToken::generate();
        assert!(!format!("{t:?}").contains(&t.expose()[3..]));
    }
}
