//! `POST /sandbox/seed`: applies a seeding fixture (JSON, or TOML with a `toml` content type)
//! to the addressed sandbox, in one transaction (its passwords hashed before it):
//! `{created, updated, unchanged, ids, tokens}`.
//! Applying the same fixture again changes nothing.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::service::seeding;

/// `POST /sandbox/seed`.
pub async fn apply_fixture(
    admin: Admin,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let toml = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("toml"));
    let text = std::str::from_utf8(&body)
        .map_err(|_| Error::Invalid("the fixture is not UTF-8".into()))?;
    let fixture = Arc::new(seeding::parse(text, toml)?);
    let store = admin.sandbox.store.clone();
    let f = Arc::clone(&fixture);
    let stored = store.read(move |c| seeding::stored_records(c, &f)).await?;
    // PBKDF2 is slow on purpose: on the blocking pool, never inside the write transaction.
    let (f, iterations) = (Arc::clone(&fixture), admin.state.auth.pbkdf2_iterations);
    let passwords = web::block(move || seeding::hash_passwords(&f, &stored, iterations))
        .await
        .map_err(Error::from)?;
    let state = admin.state.clone();
    let now = admin.sandbox.clock.now_ms();
    let report = store
        .write(move |conn| seeding::apply(conn, &fixture, &passwords, now, &state.server_key))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}
