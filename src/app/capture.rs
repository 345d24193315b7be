//! What the sandbox layer keeps of a request and its response for the journal: the request's
//! headers and both bodies, secrets redacted (`sandbox::journal::redact`) and cut to the
//! journal's per-entry cap. A body is buffered only when its length is known and at most
//! [`MAX_BUFFERED`]: a larger or streamed one passes through untouched and is noted as such.

use actix_web::body::{self, BodySize, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::web::{Bytes, BytesMut};
use actix_web::HttpMessage;
use futures_util::StreamExt;

use crate::sandbox::journal::{JournalEntry, KeptBody, KeptHeaders};

/// Largest body the layer buffers to journal it, bytes.
pub const MAX_BUFFERED: usize = 1 << 20;

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Notes the request's headers and body in `entry`, putting the body back for the handler.
pub async fn request(req: &mut ServiceRequest, entry: &mut JournalEntry, cap: usize) {
    entry.request_headers = KeptHeaders::of(req.headers(), cap);
    let length = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let Some(length) = length.filter(|n| *n > 0) else {
        return;
    };
    if cap == 0 {
        return;
    }
    if length > MAX_BUFFERED {
        entry.request_body = Some(format!("[{length} bytes, not kept]").into());
        return;
    }
    let mut payload = req.take_payload();
    let mut buffer = BytesMut::with_capacity(length);
    while let Some(chunk) = payload.next().await {
        match chunk {
            Ok(bytes) => buffer.extend_from_slice(&bytes),
            Err(_) => break, // the handler meets the same broken stream as an empty rest
        }
    }
    let bytes = buffer.freeze();
    entry.request_body = KeptBody::of(content_type(req.headers()), bytes.clone(), cap);
    req.set_payload(Payload::from(bytes));
}

/// Notes the response's body in `entry`; returns the response with its body intact.
pub async fn response(
    res: ServiceResponse<BoxBody>,
    entry: &mut JournalEntry,
    cap: usize,
) -> ServiceResponse<BoxBody> {
    if cap == 0 {
        return res;
    }
    match res.response().body().size() {
        BodySize::Sized(n) if usize::try_from(n).is_ok_and(|n| n <= MAX_BUFFERED) => {}
        BodySize::Sized(0) | BodySize::None => return res,
        BodySize::Sized(n) => {
            entry.response_body = Some(format!("[{n} bytes, not kept]").into());
            return res;
        }
        BodySize::Stream => {
            entry.response_body = Some(String::from("[streamed, not kept]").into());
            return res;
        }
    }
    let (req, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = body::to_bytes(body).await.unwrap_or_else(|_| Bytes::new());
    entry.response_body = KeptBody::of(content_type(head.headers()), bytes.clone(), cap);
    ServiceResponse::new(req, head.set_body(bytes.boxed()))
}
