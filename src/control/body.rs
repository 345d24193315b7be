//! Reading the control plane's JSON bodies and query strings with errors that name the field
//! and the expected type in words (`advanceMs: expected a whole number, got the string
//! "soon"`), not serde's (`invalid type: string "soon", expected i64`). The vendor dialects
//! keep their own wording (`request::json`).

use actix_web::HttpRequest;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::control::ControlError;
use crate::domain::error::Error;
use crate::request::json::parse_body;

/// Parses a JSON body (an empty one reads as `{}`; `# comments` are allowed, as everywhere).
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ControlError> {
    let value: Value = parse_body(body)?;
    serde_path_to_error::deserialize(value)
        .map_err(|e| Error::Invalid(worded(&e.path().to_string(), &e.inner().to_string())).into())
}

/// Parses the request's query string.
pub fn query<T: DeserializeOwned>(req: &HttpRequest) -> Result<T, ControlError> {
    let pairs = form_urlencoded::parse(req.query_string().as_bytes());
    serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs)).map_err(|e| {
        let field = e.path().to_string();
        let value = form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| *k == field)
            .map(|(_, v)| v.into_owned());
        let message = e.inner().to_string();
        let words = match (query_expected(&message, value.as_deref()), value) {
            (Some(expected), Some(value)) => {
                format!("{field}: expected {expected}, got {value:?}")
            }
            _ => worded(&field, &message),
        };
        Error::Invalid(format!("{words} (in the query string)")).into()
    })
}

/// What a query value failed to parse as, from the parser's message (query values are text
/// parsed with `str::parse`, whose errors do not name the type).
fn query_expected(message: &str, value: Option<&str>) -> Option<&'static str> {
    let negative = value.is_some_and(|v| v.trim_start().starts_with('-'));
    match message {
        "invalid digit found in string" if negative => Some("a whole number, 0 or more"),
        "invalid digit found in string"
        | "cannot parse integer from empty string"
        | "number too large to fit in target type"
        | "number too small to fit in target type" => Some("a whole number"),
        "invalid float literal" => Some("a number"),
        "provided string was not `true` or `false`" => Some("true or false"),
        _ => None,
    }
}

/// serde's message about `path` in words.
fn worded(path: &str, message: &str) -> String {
    let at = |field: &str| match (path, field) {
        (".", f) | ("", f) => f.to_string(),
        (p, "") => p.to_string(),
        (p, f) => format!("{p}.{f}"),
    };
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("{} is required", at(field));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        // The path already ends in the unknown field.
        let name = match path {
            "." | "" => field,
            p => p,
        };
        return format!("unknown field {name}; the fields are {known}");
    }
    let place = match path {
        "." | "" => "the body".to_string(),
        p => p.to_string(),
    };
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((got, expected)) = rest.rsplit_once(", expected ") {
                return format!(
                    "{place}: expected {}, got {}",
                    expected_in_words(expected),
                    got_in_words(got)
                );
            }
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        return format!("{place}: {value:?} is not one of {known}");
    }
    format!(
        "{place}: {}",
        message.replace("invalid digit found in string", "not a number")
    )
}

/// serde's name of a type, in words.
fn expected_in_words(expected: &str) -> String {
    let words = match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more",
        "f32" | "f64" => "a number",
        "a string" | "a borrowed string" | "a char" => "a string",
        "a boolean" | "bool" => "true or false",
        "a sequence" => "an array",
        "a map" => "an object",
        other if other.starts_with("struct ") => "an object",
        other => return other.to_string(),
    };
    words.to_string()
}

/// serde's name of a value it got, in words.
fn got_in_words(got: &str) -> String {
    let value = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = got.strip_prefix("string ") {
        return format!("the string {s}");
    }
    for kind in ["integer ", "floating point ", "boolean "] {
        if let Some(v) = got.strip_prefix(kind) {
            return value(v);
        }
    }
    match got {
        "map" => "an object".into(),
        "sequence" => "an array".into(),
        "unit value" | "null" => "null".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)]
    struct Move {
        advance_ms: Option<i64>,
        freeze: Option<bool>,
        times: Option<u64>,
        name: Option<String>,
    }

    fn error(body: &str) -> String {
        json::<Move>(body.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn type_errors_name_the_field_and_the_type_in_words() {
        for (body, wanted) in [
            (
                r#"{"advanceMs":"soon"}"#,
                r#"advanceMs: expected a whole number, got the string "soon""#,
            ),
            (
                r#"{"advanceMs":1.5}"#,
                "advanceMs: expected a whole number, got 1.5",
            ),
            (
                r#"{"times":-1}"#,
                "times: expected a whole number, 0 or more, got -1",
            ),
            (
                r#"{"freeze":"yes"}"#,
                r#"freeze: expected true or false, got the string "yes""#,
            ),
            (r#"{"name":[]}"#, "name: expected a string, got an array"),
            ("true", "the body: expected an object, got true"),
        ] {
            assert_eq!(error(body), wanted, "{body}");
        }
        let unknown = error(r#"{"advance":1}"#);
        assert!(
            unknown.starts_with("unknown field advance; the fields are advanceMs"),
            "{unknown}"
        );
        for e in [error(r#"{"advanceMs":"soon"}"#), unknown] {
            assert!(!e.contains("i64") && !e.contains("invalid type"), "{e}");
        }
    }

    #[test]
    fn missing_fields_are_required_by_name() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Named {
            name: String,
        }
        let e = json::<Named>(b"{}").unwrap_err().to_string();
        assert_eq!(e, "name is required");
    }
}
