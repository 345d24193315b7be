//! One delivery attempt: an HTTP POST of the notification's exact body, with
//! `X-Signature-SHA256` when its webhook's enterprise or organization has a secret, and the
//! webhook's custom headers; within the timeout, whatever the receiver does.

use std::time::{Duration, Instant};

use actix_web::http::header::{HeaderName, HeaderValue};

/// The `User-Agent` of deliveries.
const USER_AGENT: &str = concat!("orgbox-webhooks/", env!("CARGO_PKG_VERSION"));
/// How much of an answer's body is kept, in bytes.
pub const SNIPPET_BYTES: usize = 512;
/// The most of an answer read at all.
const READ_LIMIT: usize = 64 * 1024;

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status, if the receiver answered.
    pub status: Option<u16>,
    /// How long it took.
    pub latency: Duration,
    /// The start of the body.
    pub snippet: Option<String>,
    /// What went wrong, if anything did (a status that is not 2xx included).
    pub error: Option<String>,
}

impl Answer {
    /// Whether it was delivered (a 2xx answer).
    pub fn delivered(&self) -> bool {
        self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn failed(started: Instant, error: String) -> Answer {
        Answer {
            status: None,
            latency: started.elapsed(),
            snippet: None,
            error: Some(error),
        }
    }
}

/// The first [`SNIPPET_BYTES`] of `body`, as text.
fn snippet(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let mut end = body.len().min(SNIPPET_BYTES);
    let text = loop {
        match std::str::from_utf8(&body[..end]) {
            Ok(t) => break t.to_string(),
            Err(e) if e.valid_up_to() > 0 => end = e.valid_up_to(),
            Err(_) => break String::from_utf8_lossy(&body[..end]).into_owned(),
        }
    };
    Some(text)
}

/// What the client's error means to someone reading the history.
fn describe(e: &awc::error::SendRequestError) -> String {
    use awc::error::SendRequestError as E;
    match e {
        E::Timeout => "timeout: no answer in time".into(),
        E::Connect(c) => format!("connection failed: {c}"),
        E::Url(u) => format!("bad url: {u}"),
        other => format!("connection closed or broken: {other}"),
    }
}

/// POSTs `body` to `url` with `signature` (none when empty) and `headers`, within `timeout`.
pub async fn post(
    client: &awc::Client,
    url: &str,
    body: &str,
    signature: &str,
    headers: &[(String, String)],
    timeout: Duration,
) -> Answer {
    let started = Instant::now();
    if url.len() >= 8 && url[..8].eq_ignore_ascii_case("https://") {
        return Answer::failed(
            started,
            "orgbox delivers webhooks over plain http only: use an http:// URL".into(),
        );
    }
    let mut request = client
        .post(url)
        .timeout(timeout)
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("User-Agent", USER_AGENT));
    if !signature.is_empty() {
        request = request.insert_header(("X-Signature-SHA256", signature));
    }
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            request = request.insert_header((n, v));
        }
    }
    let mut response = match request.send_body(body.to_string()).await {
        Ok(r) => r,
        Err(e) => return Answer::failed(started, describe(&e)),
    };
    let status = response.status().as_u16();
    let read = actix_web::rt::time::timeout(
        timeout.saturating_sub(started.elapsed()),
        response.body().limit(READ_LIMIT),
    )
    .await;
    // The status decides: a 2xx whose body then breaks off was still received.
    let snippet = match read {
        Ok(Ok(bytes)) => snippet(&bytes),
        Ok(Err(e)) => Some(format!("[the answer's body could not be read: {e}]")),
        Err(_) => Some("[the answer's body did not arrive in time]".into()),
    };
    let error = (!(200..300).contains(&status)).then(|| format!("answered {status}"));
    Answer {
        status: Some(status),
        latency: started.elapsed(),
        snippet,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_cut_on_a_character_boundary() {
        assert_eq!(snippet(b""), None);
        let long = "é".repeat(400);
        let s = snippet(long.as_bytes()).unwrap();
        assert!(s.len() <= SNIPPET_BYTES && s.chars().all(|c| c == 'é'));
        assert_eq!(snippet(&[0xff, b'a']).unwrap(), "\u{fffd}a");
    }
}
