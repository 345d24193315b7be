//! `GET /sandbox/outbox`: the mail orgbox would have sent, newest first.

use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::domain::time::{iso, Precision};
use crate::store::outbox;

/// Page size when `limit` is not given.
const DEFAULT_LIMIT: usize = 100;
/// Largest page.
const MAX_LIMIT: usize = 1000;

#[derive(Debug, Deserialize)]
struct OutboxQuery {
    to: Option<String>,
    limit: Option<String>,
}

/// `GET /sandbox/outbox?to=&limit=`: `{messages: [{id, source, kind, to, subject, body, link,
/// createdAt}]}`, newest first, optionally only to one recipient (case-insensitive).
pub async fn list_outbox(admin: Admin, req: HttpRequest) -> Result<HttpResponse, ControlError> {
    let q: OutboxQuery = crate::control::body::query(&req)?;
    let limit = match q.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "limit must be a whole number from 1 to {MAX_LIMIT}"
                ))
            })?,
    };
    let to = q.to.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let rows = admin
        .sandbox
        .store
        .read(move |conn| outbox::list(conn, to.as_deref(), limit))
        .await?;
    let messages: Vec<_> = rows
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "source": m.source,
                "kind": m.kind,
                "to": m.recipient,
                "subject": m.subject,
                "body": m.body,
                "link": m.link,
                "createdAt": iso(m.created_at, Precision::Millis),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "messages": messages })))
}
