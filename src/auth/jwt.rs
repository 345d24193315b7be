//! Bitwarden access tokens: HS256 JWTs signed with the sandbox's own key (ring HMAC-SHA256),
//! with the claims of the real identity server (spec §4.1), expiring on the sandbox clock.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use ring::hmac;
use serde_json::{json, Map, Value};

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON, or not HS256.
    Malformed,
    /// The signature does not match.
    BadSignature,
    /// `exp` is in the past (sandbox clock) or `nbf` in the future.
    Expired,
}

/// Signs `claims` as an HS256 JWT.
pub fn sign(key: &[u8], claims: &Map<String, Value>) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let head = B64URL.encode(header.to_string());
    let body = B64URL.encode(Value::Object(claims.clone()).to_string());
    let signing_input = format!("{head}.{body}");
    let tag = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, key),
        signing_input.as_bytes(),
    );
    format!("{signing_input}.{}", B64URL.encode(tag.as_ref()))
}

/// Verifies the signature and the lifetime (`now_s`, seconds on the sandbox clock) and returns
/// the claims.
pub fn verify(key: &[u8], token: &str, now_s: i64) -> Result<Map<String, Value>, JwtError> {
    let mut parts = token.split('.');
    let (Some(head), Some(body), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: Value = B64URL
        .decode(head)
        .ok()
        .and_then(|h| serde_json::from_slice(&h).ok())
        .ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::Malformed);
    }
    let sig = B64URL.decode(sig).map_err(|_| JwtError::Malformed)?;
    hmac::verify(
        &hmac::Key::new(hmac::HMAC_SHA256, key),
        format!("{head}.{body}").as_bytes(),
        &sig,
    )
    .map_err(|_| JwtError::BadSignature)?;
    let claims: Map<String, Value> = B64URL
        .decode(body)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed)?;
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or(JwtError::Malformed)?;
    let nbf = claims
        .get("nbf")
        .and_then(Value::as_i64)
        .unwrap_or(i64::MIN);
    if exp <= now_s || nbf > now_s + 60 {
        return Err(JwtError::Expired);
    }
    Ok(claims)
}

/// Whether a claim (a string or an array of strings) holds `value`.
pub fn claim_has(claims: &Map<String, Value>, name: &str, value: &str) -> bool {
    match claims.get(name) {
        Some(Value::String(s)) => s == value,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(value)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Map<String, Value> {
        let v = json!({"sub": "u1", "exp": exp, "nbf": 100, "scope": ["api", "offline_access"],
                       "amr": ["Application"], "orgowner": ["o1", "o2"]});
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn signed_tokens_verify_and_keep_their_claims() {
        let t = sign(b"k", &claims(200));
        let c = verify(b"k", &t, 150).unwrap();
        assert_eq!(c["sub"], "u1");
        assert!(claim_has(&c, "scope", "api") && claim_has(&c, "orgowner", "o2"));
        assert!(!claim_has(&c, "orgadmin", "o1"));
    }

    #[test]
    fn wrong_key_tampering_and_expiry_are_refused() {
        let t = sign(b"k", &claims(200));
        assert_eq!(verify(b"other", &t, 150), Err(JwtError::BadSignature));
        assert_eq!(verify(b"k", &t, 200), Err(JwtError::Expired));
        let mut parts: Vec<&str> = t.split('.').collect();
        let forged = B64URL.encode(r#"{"sub":"admin","exp":999999}"#);
        parts[1] = &forged;
        assert_eq!(
            verify(b"k", &parts.join("."), 150),
            Err(JwtError::BadSignature)
        );
        assert_eq!(verify(b"k", "a.b", 150), Err(JwtError::Malformed));
    }
}
