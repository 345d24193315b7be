//! Snapshots of the addressed sandbox, one SQLite file each:
//! `GET /sandbox/snapshot` downloads its state, `PUT /sandbox/snapshot` (the file as the body)
//! replaces it; saved snapshots live in the data directory: `GET /sandbox/snapshots`,
//! `POST /sandbox/snapshots/{name}` (save), `GET|PUT|DELETE /sandbox/snapshots/{name}`
//! (download, upload, delete), `POST /sandbox/snapshots/{name}/load`. A file from another
//! schema version is upgraded, or refused (newer, damaged, not orgbox's) with nothing changed.
//! `GET /sandbox/digest` is a SHA-256 of every row, to compare states.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde_json::json;

use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::sandbox::snapshots::{self, TempDb};
use crate::store::copy;

/// Largest snapshot accepted by upload, bytes.
pub const MAX_SNAPSHOT_BYTES: usize = 512 * 1024 * 1024;

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, ControlError> {
    Ok(web::block(f)
        .await
        .map_err(|e| Error::Internal(e.to_string()))??)
}

fn file_response(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/vnd.sqlite3")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"orgbox-{name}.sqlite\""),
        ))
        .body(bytes)
}

/// `GET /sandbox/snapshot`: the addressed sandbox's state as a SQLite file.
pub async fn download_current(admin: Admin) -> Result<HttpResponse, ControlError> {
    let sandbox = Arc::clone(&admin.sandbox);
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let name = sandbox.name.clone();
    let bytes = blocking(move || {
        let tmp = TempDb::new(&dir);
        snapshots::save(&sandbox, tmp.path())?;
        std::fs::read(tmp.path()).map_err(|e| Error::Internal(e.to_string()))
    })
    .await?;
    Ok(file_response(&name, bytes))
}

/// `PUT /sandbox/snapshot`: replaces the addressed sandbox's state with the uploaded file.
pub async fn upload_current(admin: Admin, body: Bytes) -> Result<HttpResponse, ControlError> {
    let sandbox = Arc::clone(&admin.sandbox);
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let name = sandbox.name.clone();
    let version = blocking(move || {
        let tmp = TempDb::new(&dir);
        crate::files::make_database_private(tmp.path())
            .and_then(|()| std::fs::write(tmp.path(), &body))
            .map_err(|e| Error::Internal(e.to_string()))?;
        snapshots::load(&sandbox, tmp.path(), &dir)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(json!({ "sandbox": name, "loaded": true, "fromSchemaVersion": version })))
}

/// `GET /sandbox/snapshots`: `{snapshots: [{name, bytes, savedAtMs}]}`.
pub async fn list_saved(admin: Admin) -> Result<HttpResponse, ControlError> {
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let all = blocking(move || snapshots::list(&dir)).await?;
    Ok(HttpResponse::Ok().json(json!({ "snapshots": all })))
}

/// `POST /sandbox/snapshots/{name}`: saves the addressed sandbox's state; 409 if the name is
/// taken (delete it first).
pub async fn save_named(
    admin: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let sandbox = Arc::clone(&admin.sandbox);
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let name = name.into_inner();
    let n = name.clone();
    let bytes = blocking(move || {
        let dest = snapshots::path_of(&dir, &n)?;
        if dest.exists() {
            return Err(Error::Conflict(format!("snapshot {n} already exists")));
        }
        let tmp = TempDb::new(&dir);
        snapshots::save(&sandbox, tmp.path())?;
        std::fs::rename(tmp.path(), &dest).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0))
    })
    .await?;
    Ok(HttpResponse::Created()
        .json(json!({ "name": name, "bytes": bytes, "sandbox": admin.sandbox.name })))
}

/// `GET /sandbox/snapshots/{name}`: the file.
pub async fn download_named(
    admin: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let name = name.into_inner();
    let n = name.clone();
    let bytes = blocking(move || {
        let path = snapshots::path_of(&dir, &n)?;
        std::fs::read(&path).map_err(|_| Error::NotFound(format!("no snapshot named {n}")))
    })
    .await?;
    Ok(file_response(&name, bytes))
}

/// `PUT /sandbox/snapshots/{name}`: stores an uploaded file (checked and upgraded first).
pub async fn upload_named(
    admin: Admin,
    name: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let name = name.into_inner();
    let n = name.clone();
    let version = blocking(move || {
        let dest = snapshots::path_of(&dir, &n)?;
        snapshots::store_upload(&body, &dest, &dir)
    })
    .await?;
    Ok(HttpResponse::Created().json(json!({ "name": name, "fromSchemaVersion": version })))
}

/// `DELETE /sandbox/snapshots/{name}`: 204.
pub async fn delete_named(
    admin: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let name = name.into_inner();
    blocking(move || {
        let path = snapshots::path_of(&dir, &name)?;
        std::fs::remove_file(&path)
            .map_err(|_| Error::NotFound(format!("no snapshot named {name}")))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /sandbox/snapshots/{name}/load`: replaces the addressed sandbox's state with it.
pub async fn load_named(
    admin: Admin,
    name: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let sandbox = Arc::clone(&admin.sandbox);
    let dir = admin.state.sandboxes.snapshots_dir().to_path_buf();
    let name = name.into_inner();
    let n = name.clone();
    let version = blocking(move || {
        let path = snapshots::path_of(&dir, &n)?;
        if !path.exists() {
            return Err(Error::NotFound(format!("no snapshot named {n}")));
        }
        snapshots::load(&sandbox, &path, &dir)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        json!({ "sandbox": admin.sandbox.name, "snapshot": name, "fromSchemaVersion": version }),
    ))
}

/// `GET /sandbox/digest`: `{sandbox, digest}`.
pub async fn digest(admin: Admin) -> Result<HttpResponse, ControlError> {
    let digest = admin.sandbox.store.read(copy::digest).await?;
    Ok(HttpResponse::Ok().json(json!({ "sandbox": admin.sandbox.name, "digest": digest })))
}
