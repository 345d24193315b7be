//! Stored sandbox stubs (see `domain::stub`): one row per stub, in the sandbox's own file.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{Map, Value};

use crate::domain::error::{Error, Result};
use crate::domain::stub::StubMatch;

/// One stub.
#[derive(Debug, Clone, PartialEq)]
pub struct StubRow {
    /// Its id.
    pub id: String,
    /// Uppercase method.
    pub method: String,
    /// The operation's path template, as BitGo's file spells it.
    pub template: String,
    /// What a request must match.
    pub matching: StubMatch,
    /// The answer's status.
    pub status: u16,
    /// The answer's headers (name to string value).
    pub headers: Map<String, Value>,
    /// The answer's JSON body.
    pub body: Value,
    /// When it was set (sandbox clock, ms).
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, method, template, path, match_query, match_body, status, headers, body, created_at";

fn json_of(text: Option<String>, id: &str) -> Result<Option<Value>> {
    text.map(|t| serde_json::from_str(&t).map_err(|_| Error::Internal(format!("stored stub {id}"))))
        .transpose()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<(StubRow, [Option<String>; 4])> {
    let id: String = r.get(0)?;
    Ok((
        StubRow {
            id,
            method: r.get(1)?,
            template: r.get(2)?,
            matching: StubMatch {
                path: r.get(3)?,
                ..Default::default()
            },
            status: r.get(6)?,
            headers: Map::new(),
            body: Value::Null,
            created_at: r.get(9)?,
        },
        [r.get(4)?, r.get(5)?, r.get(7)?, r.get(8)?],
    ))
}

fn decode(
    (mut row, [query, body, headers, answer]): (StubRow, [Option<String>; 4]),
) -> Result<StubRow> {
    let id = row.id.clone();
    if let Some(Value::Object(q)) = json_of(query, &id)? {
        row.matching.query = q;
    }
    row.matching.body = json_of(body, &id)?;
    if let Some(Value::Object(h)) = json_of(headers, &id)? {
        row.headers = h;
    }
    row.body = json_of(answer, &id)?.unwrap_or(Value::Null);
    Ok(row)
}

fn collect(c: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<StubRow>> {
    let mut stmt = c.prepare(sql)?;
    let rows = stmt.query_map(args, from_row)?;
    rows.map(|r| decode(r?)).collect()
}

/// Every stub, oldest first.
pub fn list(c: &Connection) -> Result<Vec<StubRow>> {
    collect(
        c,
        &format!("SELECT {COLUMNS} FROM sandbox_stubs ORDER BY created_at, rowid"),
        [],
    )
}

/// The stubs of one operation, newest first.
pub fn for_operation(c: &Connection, method: &str, template: &str) -> Result<Vec<StubRow>> {
    collect(
        c,
        &format!(
            "SELECT {COLUMNS} FROM sandbox_stubs WHERE method = ?1 AND template = ?2 \
             ORDER BY created_at DESC, rowid DESC"
        ),
        params![method, template],
    )
}

/// How many stubs the sandbox keeps.
pub fn count(c: &Connection) -> Result<usize> {
    let n: i64 = c.query_row("SELECT COUNT(*) FROM sandbox_stubs", [], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The id of a stub with the same operation and match as `stub`, if one is kept.
pub fn same_as(c: &Connection, stub: &StubRow) -> Result<Option<String>> {
    Ok(for_operation(c, &stub.method, &stub.template)?
        .into_iter()
        .find(|s| s.matching == stub.matching)
        .map(|s| s.id))
}

/// Keeps `stub`, replacing the row with its id if there is one.
pub fn put(c: &Connection, stub: &StubRow) -> Result<()> {
    let text = |v: &Value| v.to_string();
    let query = (!stub.matching.query.is_empty())
        .then(|| Value::Object(stub.matching.query.clone()).to_string());
    c.execute(
        &format!("INSERT OR REPLACE INTO sandbox_stubs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        params![
            stub.id,
            stub.method,
            stub.template,
            stub.matching.path,
            query,
            stub.matching.body.as_ref().map(text),
            stub.status,
            Value::Object(stub.headers.clone()).to_string(),
            text(&stub.body),
            stub.created_at,
        ],
    )?;
    Ok(())
}

/// Removes one stub; whether it was there.
pub fn delete(c: &Connection, id: &str) -> Result<bool> {
    Ok(c.execute("DELETE FROM sandbox_stubs WHERE id = ?1", [id])? > 0)
}

/// Removes every stub; how many there were.
pub fn clear(c: &Connection) -> Result<usize> {
    Ok(c.execute("DELETE FROM sandbox_stubs", [])?)
}

/// One stub by id.
pub fn find(c: &Connection, id: &str) -> Result<Option<StubRow>> {
    let row = c
        .query_row(
            &format!("SELECT {COLUMNS} FROM sandbox_stubs WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?;
    row.map(decode).transpose()
}
