//! Bodies and headers as a journal entry keeps them. Recording is on every request's path, so
//! it copies nothing it can share and parses nothing: a body no longer than the per-entry cap
//! is kept as the bytes it was (shared with the request or response), the headers as the
//! request's own names and values, and both are redacted (`redact`) when the entry is shown.
//! A longer body is redacted, then cut, at once, so an entry never holds more than the cap.
//! Nothing unredacted leaves the journal: serialising is the only way out.

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use super::redact;

/// Shortest cut a header's value gets (a small body cap still shows whole headers).
const MIN_HEADER_CAP: usize = 256;

/// One body of an entry. Its `Debug` shows it redacted, as serialising does.
#[derive(Clone)]
pub enum KeptBody {
    /// Text already redacted and cut (a note, or a body longer than the cap).
    Text(String),
    /// A body no longer than `cap`, as it was; redacted when shown.
    Raw {
        /// Whether it is a form (`application/x-www-form-urlencoded`) rather than JSON or text.
        form: bool,
        /// Its bytes.
        bytes: Bytes,
        /// The cap it is shown within.
        cap: usize,
    },
}

impl KeptBody {
    /// What an entry keeps of a body of `content_type`; `None` for an empty body or a cap of 0.
    pub fn of(content_type: &str, bytes: Bytes, cap: usize) -> Option<KeptBody> {
        if bytes.is_empty() || cap == 0 {
            None
        } else if bytes.len() <= cap {
            let form = content_type.starts_with("application/x-www-form-urlencoded");
            Some(KeptBody::Raw { form, bytes, cap })
        } else {
            redact::body(content_type, &bytes, cap).map(KeptBody::Text)
        }
    }

    /// The body as shown: secrets redacted, at most the cap long.
    pub fn shown(&self) -> String {
        match self {
            KeptBody::Text(text) => text.clone(),
            KeptBody::Raw { form, bytes, cap } => {
                let content_type = if *form {
                    "application/x-www-form-urlencoded"
                } else {
                    ""
                };
                redact::body(content_type, bytes, *cap).unwrap_or_default()
            }
        }
    }

    /// About how many bytes it holds.
    pub fn weight(&self) -> usize {
        match self {
            KeptBody::Text(text) => text.capacity(),
            KeptBody::Raw { bytes, .. } => bytes.len(),
        }
    }
}

impl From<String> for KeptBody {
    fn from(text: String) -> KeptBody {
        KeptBody::Text(text)
    }
}

impl std::fmt::Debug for KeptBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("KeptBody").field(&self.shown()).finish()
    }
}

impl Serialize for KeptBody {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.shown())
    }
}

/// A request's headers, shown as `[[name, value], ...]` with secret values redacted (by `Debug`
/// too).
#[derive(Clone, Default)]
pub struct KeptHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
    cap: usize,
}

impl KeptHeaders {
    /// The headers of `map`, each value shown within `cap` (at least 256 bytes).
    pub fn of(map: &HeaderMap, cap: usize) -> KeptHeaders {
        KeptHeaders {
            headers: map.iter().map(|(n, v)| (n.clone(), v.clone())).collect(),
            cap: cap.max(MIN_HEADER_CAP),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty()
    }

    /// The headers as shown: `(name, value)`, secret values redacted, each cut to the cap.
    pub fn shown(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(name, value)| {
                let value = redact::header_value(name.as_str(), value.as_bytes());
                (name.as_str().to_string(), redact::cut(value, self.cap))
            })
            .collect()
    }

    /// About how many bytes they hold.
    pub fn weight(&self) -> usize {
        self.headers
            .iter()
            .map(|(n, v)| {
                n.as_str().len() + v.len() + std::mem::size_of::<(HeaderName, HeaderValue)>()
            })
            .sum()
    }
}

impl std::fmt::Debug for KeptHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("KeptHeaders").field(&self.shown()).finish()
    }
}

impl Serialize for KeptHeaders {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let shown = self.shown();
        let mut seq = s.serialize_seq(Some(shown.len()))?;
        for pair in &shown {
            seq.serialize_element(pair)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::AUTHORIZATION;

    #[test]
    fn a_small_body_is_kept_as_it_was_and_shown_redacted() {
        let raw = Bytes::from_static(br#"{"email":"a@b.test","password":"hunter2"}"#);
        let kept = KeptBody::of("application/json", raw.clone(), 4096).unwrap();
        assert!(matches!(&kept, KeptBody::Raw { bytes, .. } if bytes == &raw));
        let shown = serde_json::to_string(&kept).unwrap();
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!format!("{kept:?}").contains("hunter2"), "{kept:?}");
        assert!(shown.contains("a@b.test"), "{shown}");
        let form = KeptBody::of(
            "application/x-www-form-urlencoded",
            Bytes::from_static(b"username=a&password=hunter2"),
            4096,
        )
        .unwrap();
        assert!(!form.shown().contains("hunter2"), "{}", form.shown());
    }

    #[test]
    fn a_long_body_is_redacted_and_cut_at_once() {
        let long = format!(r#"{{"password":"hunter2","pad":"{}"}}"#, "x".repeat(500));
        let kept = KeptBody::of("application/json", Bytes::from(long), 100).unwrap();
        let KeptBody::Text(text) = &kept else {
            panic!("kept raw, not text")
        };
        assert!(text.len() <= 100 && !text.contains("hunter2"), "{text}");
        assert!(KeptBody::of("application/json", Bytes::new(), 100).is_none());
        assert!(KeptBody::of("text/plain", Bytes::from_static(b"x"), 0).is_none());
    }

    #[test]
    fn headers_are_shown_with_secret_values_redacted() {
        let mut map = HeaderMap::new();
        map.insert(AUTHORIZATION, HeaderValue::from_static("Bearer v2xsecret"));
        map.insert(
            HeaderName::from_static("x-request-id"),
            HeaderValue::from_static("abc"),
        );
        let kept = KeptHeaders::of(&map, 16);
        let shown = serde_json::to_string(&kept).unwrap();
        assert!(!shown.contains("v2xsecret"), "{shown}");
        assert!(!format!("{kept:?}").contains("v2xsecret"));
        assert!(shown.contains(r#"["x-request-id","abc"]"#), "{shown}");
        assert!(KeptHeaders::default().is_empty());
    }
}
