//! `POST /sandbox/seed`: applies a seeding fixture (JSON, or TOML with a `toml` content type)
//! to the addressed sandbox, in one transaction: `{created, updated, unchanged, ids, tokens}`.
//! Applying the same fixture again changes nothing.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};

use crate::control::{Admin, ControlError};
use crate::error::Error;
use crate::sandbox::fixture;

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
    let fixture = fixture::parse(text, toml)?;
    let state = admin.state.clone();
    let now = admin.sandbox.clock.now_ms();
    let report = admin
        .sandbox
        .store
        .write(move |conn| {
            fixture::apply(
                conn,
                &fixture,
                now,
                state.auth.pbkdf2_iterations,
                &state.server_key,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}
