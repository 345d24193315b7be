//! What the journal keeps of a request's and a response's bodies and headers: secrets
//! redacted by field name (JSON and form bodies) and by header name, then cut to the
//! per-entry cap. Nothing secret reaches the journal, so nothing secret reaches the console.

use serde_json::Value;

/// What stands in for a redacted value.
pub const REDACTED: &str = "[redacted]";

/// Field names (lowercase substrings) whose values are secrets: passwords, tokens, OTPs,
/// keys, signatures.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "passphrase",
    "token",
    "otp",
    "secret",
    "signature",
    "hmac",
    "prv",
    "privatekey",
    "apikey",
    "api_key",
    "masterpasswordhash",
    "authorization",
    "cookie",
    "code_verifier",
];

/// Header names (lowercase) whose values are secrets.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "hmac",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-admin-key",
    "auth-request-hash",
];

/// Whether a field called `name` holds a secret.
/// A field naming a secret's id or kind (`token_id`, `tokenType`) is not one.
pub fn is_secret_field(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let about_a_secret = ["id", "ids", "type"].iter().any(|s| lower.ends_with(s));
    SECRET_FIELDS.iter().any(|s| lower.contains(s)) && !about_a_secret
}

/// Whether a value is an extended private key (`xprv...`, `tprv...`), whatever its field.
pub fn is_private_key(value: &str) -> bool {
    ["xprv", "tprv"].iter().any(|p| value.starts_with(p)) && value.len() > 100
}

/// A header's value as the journal keeps it.
pub fn header_value(name: &str, value: &[u8]) -> String {
    if SECRET_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
        REDACTED.to_string()
    } else {
        String::from_utf8_lossy(value).into_owned()
    }
}

/// A body as the journal keeps it: JSON and form bodies with their secret fields redacted,
/// other text as is, binary as a note; at most `cap` bytes (cut at a character boundary, with
/// a marker). `None` for an empty body.
pub fn body(content_type: &str, bytes: &[u8], cap: usize) -> Option<String> {
    if bytes.is_empty() || cap == 0 {
        return None;
    }
    let text = if let Ok(mut json) = serde_json::from_slice::<Value>(bytes) {
        redact_json(&mut json);
        json.to_string()
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        redact_form(bytes)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => format!("[{} bytes, not text]", bytes.len()),
        }
    };
    Some(cut(text, cap))
}

/// Redacts the values of secret fields, at any depth.
pub fn redact_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_field(k) && !v.is_null() {
                    *v = Value::String(REDACTED.into());
                } else {
                    redact_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::String(text) if is_private_key(text) => *text = REDACTED.into(),
        _ => {}
    }
}

fn redact_form(bytes: &[u8]) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    let redacted: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            let v = if is_secret_field(&k) {
                REDACTED.to_string()
            } else {
                v
            };
            (k, v)
        })
        .collect();
    serde_urlencoded::to_string(redacted).unwrap_or_default()
}

/// `text` cut to at most `cap` bytes, marker included.
pub fn cut(mut text: String, cap: usize) -> String {
    const MARK: &str = super::TRUNCATED;
    if text.len() <= cap {
        return text;
    }
    let mut at = cap.saturating_sub(MARK.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.truncate(at);
    text.push_str(MARK);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_fields_are_redacted_at_any_depth() {
        let raw = json!({"email": "a@b.test", "password": "hunter2", "otp": "000000",
            "halfSigned": {"signature": "abc", "payload": "p"}, "note": format!("xprv{}", "9".repeat(107)), "keys": [{"encryptedPrv": "x", "pub": "xpub"}],
            "masterPasswordHash": "h", "access_token": "t", "token_id": "id1", "token_type": "bearer", "apiKey": "k", "label": null});
        let kept: Value = serde_json::from_str(
            &body("application/json", raw.to_string().as_bytes(), 10_000).unwrap(),
        )
        .unwrap();
        assert_eq!(kept["email"], "a@b.test");
        for secret in [
            &kept["password"],
            &kept["otp"],
            &kept["halfSigned"]["signature"],
            &kept["keys"][0]["encryptedPrv"],
            &kept["masterPasswordHash"],
            &kept["access_token"],
            &kept["apiKey"],
            &kept["note"],
        ] {
            assert_eq!(secret, REDACTED);
        }
        assert_eq!(kept["halfSigned"]["payload"], "p");
        assert_eq!(
            (kept["token_id"].as_str(), kept["token_type"].as_str()),
            (Some("id1"), Some("bearer"))
        );
        assert_eq!(kept["keys"][0]["pub"], "xpub");
    }

    #[test]
    fn form_bodies_and_headers_are_redacted() {
        let form = b"grant_type=password&username=a%40b.test&password=hunter2&client_secret=s";
        let kept = body("application/x-www-form-urlencoded", form, 10_000).unwrap();
        assert!(
            kept.contains("username=a%40b.test")
                && !kept.contains("hunter2")
                && !kept.contains("=s"),
            "{kept}"
        );
        assert_eq!(header_value("Authorization", b"Bearer x"), REDACTED);
        assert_eq!(header_value("HMAC", b"abc"), REDACTED);
        assert_eq!(
            header_value("Content-Type", b"application/json"),
            "application/json"
        );
    }

    #[test]
    fn bodies_are_cut_to_the_cap() {
        let long = format!("{{\"a\":\"{}\"}}", "é".repeat(1000));
        let kept = body("application/json", long.as_bytes(), 100).unwrap();
        assert!(kept.len() <= 100 && kept.ends_with("[truncated]"));
        assert_eq!(body("text/plain", b"", 100), None);
        assert_eq!(
            body("application/octet-stream", &[0xff, 0xfe], 100).unwrap(),
            "[2 bytes, not text]"
        );
    }
}
