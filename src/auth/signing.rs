//! BitGo's HMAC request signing and response signing (spec/bitgo.md section 3).
//!
//! Request subject  v2: `{ts}|{target}|{body}`  v3: `{METHOD}|{ts}|3.0|{target}|{body}`
//! Response subject v2: `{ts}|{target}|{status}|{body}`  v3: `{METHOD}|{ts}|{target}|{status}|{body}`
//! The key is the raw token; the output lowercase hex HMAC-SHA256.

use ring::hmac;

use super::token::digest_hex;

/// Which signing scheme a request used (`BitGo-Auth-Version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVersion {
    /// `2.0`, the SDK's default.
    V2,
    /// `3.0`: the method is part of the subject.
    V3,
}

impl AuthVersion {
    /// From the `BitGo-Auth-Version` header: `3.0` (or `3`) is v3, anything else v2.
    pub fn from_header(value: Option<&str>) -> AuthVersion {
        match value.map(str::trim) {
            Some("3.0") | Some("3") => AuthVersion::V3,
            _ => AuthVersion::V2,
        }
    }
}

/// The request target as signed: the raw path and query from the request line, without a
/// trailing bare `?`.
pub fn signed_target(raw_target: &str) -> &str {
    raw_target.strip_suffix('?').unwrap_or(raw_target)
}

/// The subject of a signed request.
pub fn request_subject(
    version: AuthVersion,
    method: &str,
    timestamp: &str,
    target: &str,
    body: &[u8],
) -> Vec<u8> {
    let head = match version {
        AuthVersion::V2 => format!("{timestamp}|{target}|"),
        AuthVersion::V3 => format!("{}|{timestamp}|3.0|{target}|", method.to_ascii_uppercase()),
    };
    [head.as_bytes(), body].concat()
}

/// The subject of a signed response.
pub fn response_subject(
    version: AuthVersion,
    method: &str,
    timestamp: &str,
    target: &str,
    status: u16,
    body: &[u8],
) -> Vec<u8> {
    let head = response_head(version, method, timestamp, target, status);
    [head.as_bytes(), body].concat()
}

/// What comes before the body in a response's subject.
fn response_head(
    version: AuthVersion,
    method: &str,
    timestamp: &str,
    target: &str,
    status: u16,
) -> String {
    match version {
        AuthVersion::V2 => format!("{timestamp}|{target}|{status}|"),
        AuthVersion::V3 => format!(
            "{}|{timestamp}|{target}|{status}|",
            method.to_ascii_uppercase()
        ),
    }
}

/// Lowercase hex HMAC-SHA256 of `message` under `key`.
pub fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    hmac_hex_of(key, &[message])
}

/// The `HMAC` header of a signed response: [`hmac_hex`] of [`response_subject`], computed over
/// its parts without first copying the body into one subject (every signed response runs it).
pub fn response_hmac_hex(
    key: &[u8],
    version: AuthVersion,
    method: &str,
    timestamp: &str,
    target: &str,
    status: u16,
    body: &[u8],
) -> String {
    let head = response_head(version, method, timestamp, target, status);
    hmac_hex_of(key, &[head.as_bytes(), body])
}

/// Lowercase hex HMAC-SHA256 under `key` of `parts` one after another.
fn hmac_hex_of(key: &[u8], parts: &[&[u8]]) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut context = hmac::Context::with_key(&key);
    for part in parts {
        context.update(part);
    }
    digest_hex(context.sign().as_ref())
}

/// Whether `given_hex` is the HMAC of `message` under `key`, compared in constant time.
pub fn verify_hex(key: &[u8], message: &[u8], given_hex: &str) -> bool {
    // An HMAC-SHA256 is 64 hex characters; anything else is refused before decoding.
    let given_hex = given_hex.trim();
    if given_hex.len() != 64 {
        return false;
    }
    let Ok(given) = hex::decode(given_hex) else {
        return false;
    };
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    hmac::verify(&key, message, &given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The worked example of spec/bitgo.md section 3.4 (computed with @bitgo/sdk-hmac).
    const TOKEN: &str = "v2x355bf98dfdd083020e7e01f491e3a9f15becd3487b3c346f212029256ba0affc";
    const TARGET: &str = "/api/v2/enterprise/5f0c0f2a9b1e4c3d8e7f6a5b4c3d2e1f/user?invite=true";
    const BODY: &str = r#"{"username":"bob@example.com","permission":"admin"}"#;

    fn sign(subject: Vec<u8>) -> String {
        hmac_hex(TOKEN.as_bytes(), &subject)
    }

    #[test]
    fn v2_request_subject_and_hmac_match_the_sdk() {
        let s = request_subject(
            AuthVersion::V2,
            "POST",
            "1700000000000",
            TARGET,
            BODY.as_bytes(),
        );
        assert_eq!(
            String::from_utf8(s.clone()).unwrap(),
            format!("1700000000000|{TARGET}|{BODY}")
        );
        assert_eq!(
            sign(s),
            "b3686cd15ec265d3a107c1cf5f2b44be321737abc5cd6e6daa55ce11dfe70448"
        );
    }

    #[test]
    fn v3_request_subject_and_hmac_match_the_sdk() {
        let s = request_subject(
            AuthVersion::V3,
            "post",
            "1700000000000",
            TARGET,
            BODY.as_bytes(),
        );
        assert_eq!(
            String::from_utf8(s.clone()).unwrap(),
            format!("POST|1700000000000|3.0|{TARGET}|{BODY}")
        );
        assert_eq!(
            sign(s),
            "d4d7e1b589976faf46ea894a679da80894254bf86e75f9e1b0789e3684bb991a"
        );
    }

    #[test]
    fn response_subjects_match_the_sdk() {
        let body = br#"{"ok":true}"#;
        let v2 = response_subject(AuthVersion::V2, "POST", "1700000000123", TARGET, 200, body);
        assert_eq!(
            sign(v2),
            "74c82dd6408151867ba9943f0bbc157711e7f52f18aaa7db11e71bce3b5c960b"
        );
        let v3 = response_subject(AuthVersion::V3, "POST", "1700000000123", TARGET, 200, body);
        assert_eq!(
            sign(v3),
            "83ae4680f0577957a20925bee6e3973b682e1d17e26625a09a9db62672f19217"
        );
    }

    #[test]
    fn the_streamed_response_hmac_is_the_subjects() {
        let body = br#"{"ok":true}"#;
        for (version, expected) in [
            (
                AuthVersion::V2,
                "74c82dd6408151867ba9943f0bbc157711e7f52f18aaa7db11e71bce3b5c960b",
            ),
            (
                AuthVersion::V3,
                "83ae4680f0577957a20925bee6e3973b682e1d17e26625a09a9db62672f19217",
            ),
        ] {
            let streamed = response_hmac_hex(
                TOKEN.as_bytes(),
                version,
                "POST",
                "1700000000123",
                TARGET,
                200,
                body,
            );
            assert_eq!(streamed, expected);
        }
    }

    #[test]
    fn get_without_body_ends_with_a_bar() {
        let s = request_subject(
            AuthVersion::V2,
            "GET",
            "1700000000000",
            "/api/v1/user/me",
            b"",
        );
        assert_eq!(s, b"1700000000000|/api/v1/user/me|");
        assert_eq!(
            sign(s),
            "fefaf8a75b62a7b0e5c5e52c945cdaf32902e1807c052d109fbca517d8bcf381"
        );
    }

    #[test]
    fn verify_accepts_the_right_hmac_only() {
        let s = request_subject(AuthVersion::V2, "GET", "1", "/x", b"");
        let good = sign(s.clone());
        assert!(verify_hex(TOKEN.as_bytes(), &s, &good));
        assert!(!verify_hex(TOKEN.as_bytes(), b"1|/x|{}", &good));
        assert!(!verify_hex(TOKEN.as_bytes(), &s, "not hex"));
    }

    #[test]
    fn trailing_bare_question_mark_is_not_signed() {
        assert_eq!(signed_target("/api/v2/user/me?"), "/api/v2/user/me");
        assert_eq!(signed_target("/a?b=1"), "/a?b=1");
    }

    #[test]
    fn auth_version_header() {
        assert_eq!(AuthVersion::from_header(Some("3.0")), AuthVersion::V3);
        assert_eq!(AuthVersion::from_header(Some("2.0")), AuthVersion::V2);
        assert_eq!(AuthVersion::from_header(None), AuthVersion::V2);
    }
}
