//! Sandbox stubs: a tester's answer for a BitGo operation orgbox does not serve. The rules of
//! which stub answers a request live here: a stub names an operation (method and BitGo's path
//! template), may be limited to one concrete path, and may match on the query string (each
//! named parameter equal) and on the JSON body (every field it names equal, recursively). Of
//! the stubs that match, the most specific answers (a concrete path, then the most match
//! conditions), and among equals the newest.

use serde_json::{Map, Value};

/// Most stubs one sandbox keeps.
pub const MAX_STUBS: usize = 200;

/// Largest stub (its request as sent to `PUT /sandbox/stubs`), bytes.
pub const MAX_STUB_BYTES: usize = 256 * 1024;

/// What a stub asks of a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StubMatch {
    /// One concrete path (`None`: any path of the operation).
    pub path: Option<String>,
    /// Query parameters that must be present with these values.
    pub query: Map<String, Value>,
    /// A JSON value the body must contain.
    pub body: Option<Value>,
}

impl StubMatch {
    /// How specific the stub is: a concrete path counts most, then each condition.
    pub fn specificity(&self) -> usize {
        usize::from(self.path.is_some()) * 1000
            + self.query.len()
            + usize::from(self.body.is_some())
    }

    /// Whether a request with `path`, `query` pairs and JSON `body` (if it parsed) matches.
    pub fn matches(&self, path: &str, query: &[(String, String)], body: Option<&Value>) -> bool {
        self.path.as_deref().is_none_or(|p| same_path(p, path))
            && self.query.iter().all(|(k, want)| {
                query
                    .iter()
                    .any(|(name, got)| name == k && value_text(want) == *got)
            })
            && self
                .body
                .as_ref()
                .is_none_or(|want| body.is_some_and(|got| contains(got, want)))
    }
}

/// Two paths alike segment by segment, literal segments in any letter case (as BitGo's router).
fn same_path(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end_matches('/'), b.trim_end_matches('/'));
    a.len() == b.len() && a.eq_ignore_ascii_case(b)
}

/// A query parameter's expected text: a string as is, anything else as JSON (`5`, `true`).
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether `got` contains `want`: every field of an object `want` is in `got` and contains its
/// value; anything else is equal.
pub fn contains(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w
            .iter()
            .all(|(k, wv)| g.get(k).is_some_and(|gv| contains(gv, wv))),
        _ => got == want,
    }
}

/// The headers a stub may not set: the server frames the response itself.
pub fn is_framing_header(name: &str) -> bool {
    [
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "upgrade",
        "te",
        "trailer",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_stub_without_conditions_matches_every_request_of_its_operation() {
        let m = StubMatch::default();
        assert!(m.matches("/api/v2/tbtc/wallet/a/webhooks", &[], None));
        assert_eq!(m.specificity(), 0);
    }

    #[test]
    fn path_query_and_body_must_all_match() {
        let m = StubMatch {
            path: Some("/api/v2/tbtc/wallet/abc/webhooks".into()),
            query: json!({"limit": 5, "type": "transfer"})
                .as_object()
                .unwrap()
                .clone(),
            body: Some(json!({"type": "transfer", "meta": {"a": 1}})),
        };
        let body = json!({"type": "transfer", "url": "x", "meta": {"a": 1, "b": 2}});
        let q = pairs(&[("type", "transfer"), ("limit", "5")]);
        assert!(m.matches("/api/v2/TBTC/wallet/abc/webhooks/", &q, Some(&body)));
        assert!(!m.matches("/api/v2/tbtc/wallet/xyz/webhooks", &q, Some(&body)));
        assert!(!m.matches("/api/v2/tbtc/wallet/abc/webhooks", &q[..1], Some(&body)));
        assert!(!m.matches("/api/v2/tbtc/wallet/abc/webhooks", &q, None));
        let other = json!({"type": "transfer", "meta": {"a": 2}});
        assert!(!m.matches("/api/v2/tbtc/wallet/abc/webhooks", &q, Some(&other)));
        assert!(m.specificity() > StubMatch::default().specificity());
    }

    #[test]
    fn arrays_and_scalars_must_be_equal() {
        assert!(contains(&json!([1, 2]), &json!([1, 2])));
        assert!(!contains(&json!([1, 2, 3]), &json!([1, 2])));
        assert!(!contains(&json!("5"), &json!(5)));
    }

    #[test]
    fn framing_headers_are_the_servers() {
        assert!(is_framing_header("Content-Length"));
        assert!(!is_framing_header("x-request-id"));
    }
}
