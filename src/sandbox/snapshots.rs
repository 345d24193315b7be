//! Snapshots: a sandbox's whole state in one SQLite file. Saving copies the live database with
//! the backup API; loading first copies the file aside, checks it (a SQLite file, an orgbox
//! schema, not damaged, not from a newer orgbox) and upgrades an older schema there, and only
//! then replaces the live state in one step: a refused file changes nothing.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::domain::error::{Error, Result};
use crate::sandbox::named::valid_name;
use crate::sandbox::Sandbox;
use crate::store::{copy, Store};

/// A temporary file that is removed (with its journal files) when dropped.
pub struct TempDb(PathBuf);

impl TempDb {
    /// A fresh name in `dir`.
    pub fn new(dir: &Path) -> TempDb {
        TempDb(dir.join(format!(".upload.{:016x}.tmp", rand::random::<u64>())))
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.0.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
}

/// Writes `sandbox`'s state into the new file `dest`.
pub fn save(sandbox: &Sandbox, dest: &Path) -> Result<()> {
    sandbox
        .store
        .exclusive_blocking(|conn| copy::save_to_file(conn, dest))?;
    copy::sync_file(dest)
}

/// Replaces `sandbox`'s state with the snapshot file at `file`, after checking (and
/// upgrading) a private copy of it, and gives it a new Bitwarden JWT key. Returns the
/// snapshot's schema version as it came.
pub fn load(sandbox: &Sandbox, file: &Path, scratch_dir: &Path) -> Result<i64> {
    load_into(&sandbox.store, file, scratch_dir)
}

/// [`load`] into a bare store (the CLI, on a data directory).
pub fn load_into(store: &Store, file: &Path, scratch_dir: &Path) -> Result<i64> {
    let (checked, version) = checked_copy(file, scratch_dir)?;
    let src = open_read_only(checked.path())?;
    store.exclusive_blocking(|conn| copy::restore_into(&src, conn))?;
    Ok(version)
}

/// A private copy of the snapshot file at `file` in `scratch_dir`, checked and upgraded
/// ([`copy::verify_and_upgrade`]), with the schema version the file came with.
pub fn checked_copy(file: &Path, scratch_dir: &Path) -> Result<(TempDb, i64)> {
    let checked = TempDb::new(scratch_dir);
    {
        let src = open_read_only(file)?;
        // SQLite's own words ("file is not a database"), not a bare "internal error".
        copy::save_to_file(&src, checked.path()).map_err(|e| not_a_snapshot(e.for_operator()))?;
    }
    let version = copy::verify_and_upgrade(checked.path())?;
    Ok((checked, version))
}

/// Checks (and upgrades) the uploaded bytes as a snapshot and keeps them at `dest`.
pub fn store_upload(bytes: &[u8], dest: &Path, scratch_dir: &Path) -> Result<i64> {
    let tmp = TempDb::new(scratch_dir);
    crate::files::make_database_private(tmp.path())
        .and_then(|()| std::fs::write(tmp.path(), bytes))
        .map_err(|e| Error::Internal(format!("{}: {e}", tmp.path().display())))?;
    let version = copy::verify_and_upgrade(tmp.path())?;
    std::fs::rename(tmp.path(), dest)
        .map_err(|e| Error::Internal(format!("{}: {e}", dest.display())))?;
    Ok(version)
}

fn open_read_only(path: &Path) -> Result<Connection> {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(not_a_snapshot)
}

fn not_a_snapshot(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!(
        "not a usable orgbox snapshot: {e} (a snapshot is the SQLite file that \
         GET /sandbox/snapshot or `orgbox snapshot save` writes)"
    ))
}

/// Where the saved snapshot `name` lives in `dir`; refuses a bad name.
pub fn path_of(dir: &Path, name: &str) -> Result<PathBuf> {
    if !valid_name(name) {
        return Err(Error::Invalid(format!(
            "invalid snapshot name {name:?}: 1 to 64 of A-Z a-z 0-9 - _ . (not starting with .)"
        )));
    }
    Ok(dir.join(format!("{name}.sqlite")))
}

/// A saved snapshot.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotInfo {
    /// Its name.
    pub name: String,
    /// File size, bytes.
    pub bytes: u64,
    /// When it was written (ms).
    pub saved_at_ms: i64,
}

/// The saved snapshots in `dir`, by name.
pub fn list(dir: &Path) -> Result<Vec<SnapshotInfo>> {
    let mut all = Vec::new();
    let items = std::fs::read_dir(dir).map_err(|e| Error::Internal(e.to_string()))?;
    for item in items.flatten() {
        let path = item.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".sqlite"))
            .filter(|n| valid_name(n))
        else {
            continue;
        };
        let meta = item
            .metadata()
            .map_err(|e| Error::Internal(e.to_string()))?;
        let saved_at_ms = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as i64);
        all.push(SnapshotInfo {
            name: name.to_string(),
            bytes: meta.len(),
            saved_at_ms,
        });
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}
