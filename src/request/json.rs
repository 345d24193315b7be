//! Reading JSON bodies the way BitGo's users send them: the SDK sends strict JSON; the
//! documented curl examples carry `# comments` inside the JSON, so a body that fails strict
//! parsing is tried once more with those comments removed.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::error::{Error, Result};

/// Parses a request body. An empty body reads as `{}`.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return serde_json::from_str("{}").map_err(|e| Error::MalformedJson(e.to_string()));
    }
    match serde_json::from_slice::<T>(body) {
        Ok(v) => Ok(v),
        Err(strict) if strict.is_syntax() || strict.is_eof() => {
            let text =
                std::str::from_utf8(body).map_err(|_| Error::MalformedJson(strict.to_string()))?;
            serde_json::from_str(&strip_hash_comments(text))
                .map_err(|_| Error::MalformedJson(strict.to_string()))
        }
        Err(e) => Err(Error::Invalid(format!("invalid request body: {e}"))),
    }
}

/// Removes `#`-to-end-of-line comments that stand outside JSON strings.
fn strip_hash_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped, mut in_comment) = (false, false, false);
    for c in text.chars() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
                out.push(c);
            }
            continue;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '#' => in_comment = true,
            _ => out.push(c),
        }
    }
    out
}

/// A whole number sent as a JSON number or as a numeric string (the seed's curl quotes
/// `duration`). `None` when absent or null.
pub fn integer_field(value: Option<&Value>, field: &str) -> Result<Option<i64>> {
    let bad = || Error::Invalid(format!("{field} must be a whole number"));
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                    .map(|f| f as i64)
            })
            .map(Some)
            .ok_or_else(bad),
        Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// A list of strings; `None` when absent or null.
pub fn string_list_field(value: Option<&Value>, field: &str) -> Result<Option<Vec<String>>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| Error::Invalid(format!("{field} must be an array of strings")))
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(Error::Invalid(format!(
            "{field} must be an array of strings"
        ))),
    }
}

/// An optional string; a non-string is an error naming the field.
pub fn string_field<'a>(value: Option<&'a Value>, field: &str) -> Result<Option<&'a str>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::Invalid(format!("{field} must be a string"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    #[test]
    fn seed_curl_body_with_hash_comments_parses() {
        let body = br#"{
    "email": "a@b.c",
    "otp": "000000", # testnet OTP is always 000000
    "password": "p#ss"
}"#;
        let v: Value = parse_body(body).unwrap();
        assert_eq!(
            v,
            json!({"email": "a@b.c", "otp": "000000", "password": "p#ss"})
        );
    }

    #[test]
    fn broken_json_is_a_malformed_json_error() {
        assert!(matches!(
            parse_body::<Value>(b"{\"a\":"),
            Err(Error::MalformedJson(_))
        ));
        assert!(matches!(
            parse_body::<Value>(b"nope"),
            Err(Error::MalformedJson(_))
        ));
    }

    #[test]
    fn wrong_shape_is_an_invalid_request() {
        assert!(matches!(
            parse_body::<Map<String, Value>>(b"[1]"),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn empty_body_reads_as_an_empty_object() {
        let v: Map<String, Value> = parse_body(b"").unwrap();
        assert!(v.is_empty());
    }

    #[test]
    fn integers_arrive_as_numbers_or_strings() {
        assert_eq!(
            integer_field(Some(&json!(157788000)), "d").unwrap(),
            Some(157788000)
        );
        assert_eq!(
            integer_field(Some(&json!("157788000")), "d").unwrap(),
            Some(157788000)
        );
        assert_eq!(integer_field(Some(&json!(60.0)), "d").unwrap(), Some(60));
        assert!(integer_field(Some(&json!("soon")), "d").is_err());
        assert!(integer_field(Some(&json!(1.5)), "d").is_err());
        assert_eq!(integer_field(None, "d").unwrap(), None);
    }

    #[test]
    fn string_lists_reject_non_strings() {
        assert!(string_list_field(Some(&json!(["a", 1])), "scope").is_err());
        assert_eq!(
            string_list_field(Some(&json!(["a"])), "scope").unwrap(),
            Some(vec!["a".to_string()])
        );
    }
}
