//! Whole-database copies with SQLite's online backup API: a sandbox from its template, a
//! snapshot file from a live sandbox, a live sandbox from a verified snapshot; and a digest
//! of every row, to tell whether two states are the same.

use std::path::Path;
use std::time::Duration;

use ring::digest::{Context, SHA256};
use rusqlite::backup::Backup;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::domain::error::{Error, Result};
use crate::store::bitwarden::JWT_KEY_SETTING;
use crate::store::migrations;

/// Copies every page of `from` into `to` (replacing its content), retrying while another
/// connection holds a lock.
pub fn copy_database(from: &Connection, to: &mut Connection) -> Result<()> {
    use rusqlite::backup::StepResult;
    let backup = Backup::new(from, to)?;
    // All pages in one step (-1), so the copy is one consistent read of the source.
    for _ in 0..1_000 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    Err(Error::Internal(
        "the database stayed locked; copy not made".into(),
    ))
}

/// Replaces a sandbox's live database on `to` with `from` (a template or a checked
/// snapshot) and gives it a new Bitwarden JWT key: a state copied into a sandbox never keeps
/// the signing key of the place it came from.
pub fn restore_into(from: &Connection, to: &mut Connection) -> Result<()> {
    copy_database(from, to)?;
    crate::store::bitwarden::rotate_jwt_key(to)
}

/// Writes the database on `from` into a new file at `dest` (which must not exist).
pub fn save_to_file(from: &Connection, dest: &Path) -> Result<()> {
    crate::files::make_database_private(dest)
        .map_err(|e| Error::Internal(format!("{}: {e}", dest.display())))?;
    let mut to = Connection::open(dest)?;
    // A new file nobody reads until it is complete: no rollback journal on disk and no
    // fsync while copying (callers that keep it durably call [`sync_file`] after).
    to.execute_batch("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;")?;
    copy_database(from, &mut to)?;
    // The copied header keeps the source's WAL flag; a snapshot is one self-contained file.
    to.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// Flushes a file written by [`save_to_file`] to disk.
pub fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
}

/// Opens a file that claims to be an orgbox database and makes it current: refuses what is not
/// a SQLite file, not an orgbox store, damaged, from a newer orgbox, or carrying any schema
/// object (table, index, trigger, view) orgbox's own schema does not have in the same form;
/// upgrades an older one in place. The file is a private copy, so nothing live is touched
/// while checking.
pub fn verify_and_upgrade(path: &Path) -> Result<i64> {
    let refuse = |why: String| Error::Invalid(format!("not a usable orgbox snapshot: {why}"));
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| refuse(e.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| refuse(e.to_string()))?;
    if check != "ok" {
        return Err(refuse(format!("the file is damaged ({check})")));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_users: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'users'",
        [],
        |r| r.get(0),
    )?;
    if version == 0 || !has_users {
        return Err(refuse(
            "it has no orgbox schema (user_version 0 or no users table)".into(),
        ));
    }
    let latest = migrations::latest_version();
    if version > latest {
        return Err(refuse(format!(
            "it is schema version {version}, newer than this orgbox's {latest}; load it with a newer orgbox"
        )));
    }
    // A planted trigger would run during the migration's writes: refused before them.
    let planted = migrations::triggers_and_views(&conn)?;
    if !planted.is_empty() {
        return Err(refuse(planted.join("; ")));
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    migrations::upgrade(&tx)?;
    tx.commit()?;
    let foreign = migrations::schema_differences(&conn)?;
    if !foreign.is_empty() {
        return Err(refuse(foreign.join("; ")));
    }
    let fk_violations: i64 =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?;
    if fk_violations > 0 {
        return Err(refuse(format!("{fk_violations} rows break foreign keys")));
    }
    Ok(version)
}

/// SHA-256 over every row of every table (tables by name, rows by rowid or primary key), in
/// hex: equal digests mean equal states, whatever the file layout. The Bitwarden JWT key is
/// left out: it is the sandbox's own, new whenever a state is copied in ([`restore_into`]).
pub fn digest(conn: &Connection) -> Result<String> {
    let mut tables: Vec<(String, bool)> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_master
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            tables.push(row?);
        }
    }
    let mut ctx = Context::new(&SHA256);
    for (table, without_rowid) in tables {
        ctx.update(table.as_bytes());
        ctx.update(b"\0");
        let order = if without_rowid { "1" } else { "rowid" };
        let only = if table == "bw_settings" {
            format!(" WHERE name <> '{JWT_KEY_SETTING}'")
        } else {
            String::new()
        };
        let mut stmt =
            conn.prepare(&format!("SELECT * FROM \"{table}\"{only} ORDER BY {order}"))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..columns {
                match row.get_ref(i)? {
                    ValueRef::Null => ctx.update(b"N"),
                    ValueRef::Integer(v) => ctx.update(format!("I{v}").as_bytes()),
                    ValueRef::Real(v) => ctx.update(format!("R{v}").as_bytes()),
                    ValueRef::Text(t) => {
                        ctx.update(format!("T{}:", t.len()).as_bytes());
                        ctx.update(t);
                    }
                    ValueRef::Blob(b) => {
                        ctx.update(format!("B{}:", b.len()).as_bytes());
                        ctx.update(b);
                    }
                }
            }
            ctx.update(b"\n");
        }
    }
    Ok(hex::encode(ctx.finish().as_ref()))
}
