//! The request journal of the addressed sandbox, like WireMock's verification API:
//! `GET /sandbox/journal?method&path&status&since&until&refused&principal&before&limit` lists
//! the matching requests (newest first) with their count (`before`, a `seq`, pages back;
//! `principal` is a user id or token id), `GET /sandbox/journal/count` only counts,
//! `DELETE /sandbox/journal` clears it.

use actix_web::web;
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::json;

use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::sandbox::journal::{JournalFilter, JournalPage, StatusMatch, MAX_GLOB_BYTES};
use crate::sandbox::Sandbox;

/// Most entries one query returns.
const MAX_LIMIT: usize = 10_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalQuery {
    method: Option<String>,
    path: Option<String>,
    status: Option<String>,
    since: Option<i64>,
    until: Option<i64>,
    refused: Option<bool>,
    principal: Option<String>,
    before: Option<u64>,
    limit: Option<usize>,
}

fn filter_of(q: &JournalQuery) -> Result<JournalFilter, ControlError> {
    let status = match &q.status {
        Some(s) => Some(StatusMatch::parse(s).ok_or_else(|| {
            Error::Invalid(format!(
                "status {s:?}: give a code (404), a class (4xx) or a range (200-299)"
            ))
        })?),
        None => None,
    };
    if q.path.as_ref().is_some_and(|p| p.len() > MAX_GLOB_BYTES) {
        return Err(
            Error::Invalid(format!("path is a glob of at most {MAX_GLOB_BYTES} bytes")).into(),
        );
    }
    Ok(JournalFilter {
        method: q.method.clone(),
        path: q.path.clone(),
        status,
        since_ms: q.since,
        until_ms: q.until,
        refused: q.refused,
        principal: q.principal.clone().filter(|p| !p.is_empty()),
        before_seq: q.before,
    })
}

fn parse_query(req: &actix_web::HttpRequest) -> Result<JournalQuery, ControlError> {
    crate::control::body::query(req)
}

/// The filter and page size (default 100) a journal query string asks for.
pub(crate) fn query_of(
    req: &actix_web::HttpRequest,
) -> Result<(JournalFilter, usize), ControlError> {
    let q = parse_query(req)?;
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::Invalid(format!("limit must be 1 to {MAX_LIMIT}")).into());
    }
    Ok((filter_of(&q)?, limit))
}

/// Runs a journal query on the blocking thread pool (matching every entry is work the async
/// workers should not do).
pub(crate) async fn query_journal(
    sandbox: &Sandbox,
    filter: JournalFilter,
    limit: usize,
) -> Result<JournalPage, ControlError> {
    let journal = std::sync::Arc::clone(&sandbox.journal);
    Ok(web::block(move || journal.query(&filter, limit))
        .await
        .map_err(Error::from)?)
}

/// `GET /sandbox/journal`: `{requests, count, held, dropped, capacity}`.
pub async fn list_journal(
    admin: Admin,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ControlError> {
    let (filter, limit) = query_of(&req)?;
    let page = query_journal(&admin.sandbox, filter, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// `GET /sandbox/journal/count`: `{count}`.
pub async fn count_journal(
    admin: Admin,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ControlError> {
    let q = parse_query(&req)?;
    let page = query_journal(&admin.sandbox, filter_of(&q)?, 0).await?;
    Ok(HttpResponse::Ok().json(json!({ "count": page.count })))
}

/// `DELETE /sandbox/journal`: 204.
pub async fn clear_journal(admin: Admin) -> HttpResponse {
    admin.sandbox.journal.clear();
    HttpResponse::NoContent().finish()
}
