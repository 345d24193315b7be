//! Named sandboxes and resets: `GET|POST /sandbox/sandboxes`, `GET|DELETE
//! /sandbox/sandboxes/{name}`, `POST /sandbox/reset` (the addressed sandbox: the default one,
//! or a named one under `/s/{name}/sandbox/reset`) and `POST /sandbox/sandboxes/{name}/reset`.

use std::sync::Arc;
use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::json;

use crate::control::body;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::sandbox::{snapshots, Sandbox};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CreateSandbox {
    name: String,
    /// A saved snapshot to start from instead of the seeded template.
    snapshot: Option<String>,
}

fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_micros() as f64) / 1000.0
}

/// `GET /sandbox/sandboxes`: `{sandboxes, count, open}`.
pub async fn list_sandboxes(admin: Admin) -> HttpResponse {
    let named = admin.state.sandboxes.named();
    let all = named.list();
    HttpResponse::Ok().json(json!({
        "count": all.len(),
        "open": named.open_count(),
        "sandboxes": all,
    }))
}

/// `POST /sandbox/sandboxes {name, snapshot?}`: 201 with the new sandbox and `basePath`
/// (`/s/{name}`), a copy of the seeded template or of a saved snapshot; 409 if it exists.
pub async fn create_sandbox(admin: Admin, body: Bytes) -> Result<HttpResponse, ControlError> {
    let request: CreateSandbox = body::json(&body)?;
    let state = admin.state.clone();
    let now = admin.sandbox.clock.now_ms();
    let (view, took) = web::block(move || {
        let started = Instant::now();
        let sandboxes = &state.sandboxes;
        let checked;
        let (from, source) = match &request.snapshot {
            Some(snap) => {
                let path = snapshots::path_of(sandboxes.snapshots_dir(), snap)?;
                if !path.exists() {
                    return Err(Error::NotFound(format!("no snapshot named {snap}")));
                }
                // Checked again, as a load is: a file put in the directory by hand, or saved
                // before a check existed, must not bring foreign schema objects.
                checked = snapshots::checked_copy(&path, sandboxes.snapshots_dir())?.0;
                (checked.path().to_path_buf(), format!("snapshot:{snap}"))
            }
            None => (sandboxes.template().to_path_buf(), "template".to_string()),
        };
        let entry = sandboxes
            .named()
            .create(&request.name, &from, source, now)?;
        Ok((entry.view(), elapsed_ms(started)))
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(HttpResponse::Created().json(json!({
        "sandbox": view,
        "tookMs": took,
    })))
}

/// `GET /sandbox/sandboxes/{name}`.
pub async fn get_sandbox(
    admin: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let entry = admin
        .state
        .sandboxes
        .named()
        .get(&name)
        .ok_or_else(|| no_such(&name))?;
    Ok(HttpResponse::Ok().json(json!({ "sandbox": entry.view() })))
}

/// `DELETE /sandbox/sandboxes/{name}`: 204; its file, journal and faults are gone.
pub async fn delete_sandbox(
    admin: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let state = admin.state.clone();
    let name = name.into_inner();
    let n = name.clone();
    let deleted = web::block(move || state.sandboxes.named().delete(&n))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    if !deleted {
        return Err(no_such(&name));
    }
    Ok(HttpResponse::NoContent().finish())
}

fn no_such(name: &str) -> ControlError {
    ControlError::new(
        StatusCode::NOT_FOUND,
        "no_such_sandbox",
        format!("there is no sandbox named {name:?}"),
    )
}

/// `POST /sandbox/reset`: the addressed sandbox back to the seeded template (data, clock,
/// counters, journal, faults): `{sandbox, tookMs}`.
pub async fn reset(admin: Admin) -> Result<HttpResponse, ControlError> {
    reset_sandbox(&admin, Arc::clone(&admin.sandbox)).await
}

/// `POST /sandbox/sandboxes/{name}/reset`.
pub async fn reset_named(
    admin: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let entry = admin
        .state
        .sandboxes
        .named()
        .get(&name)
        .ok_or_else(|| no_such(&name))?;
    let sandbox = web::block(move || entry.sandbox())
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    reset_sandbox(&admin, sandbox).await
}

async fn reset_sandbox(admin: &Admin, sandbox: Arc<Sandbox>) -> Result<HttpResponse, ControlError> {
    let template = admin.state.sandboxes.template().to_path_buf();
    let name = sandbox.name.clone();
    let took = web::block(move || {
        let started = Instant::now();
        sandbox.reset_blocking(&template)?;
        Ok::<_, Error>(elapsed_ms(started))
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(HttpResponse::Ok().json(json!({ "sandbox": name, "tookMs": took })))
}
