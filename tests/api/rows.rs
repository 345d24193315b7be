//! Reading the default sandbox's rows as a tester can: `GET /sandbox/snapshot` downloads its
//! database (one SQLite file), which the helpers here open read-only. Nothing here names
//! orgbox's own modules, so a move inside the crate leaves these tests as they are.

use rusqlite::{Connection, OpenFlags};

use crate::helpers::{Req, TestApp};

/// A downloaded copy of a sandbox's database, open read-only (the file goes with it).
pub struct Database {
    conn: Connection,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Database {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl TestApp {
    /// The default sandbox's database as it is now (`GET /sandbox/snapshot`).
    pub fn database(&self) -> Database {
        let r = self.control(Req::get("/sandbox/snapshot"));
        assert_eq!(
            r.status,
            200,
            "snapshot: {}",
            String::from_utf8_lossy(&r.body)
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("snapshot.sqlite");
        std::fs::write(&file, &r.body).unwrap();
        let conn = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        Database { conn, _dir: dir }
    }

    /// Every row of `tables` (table names or parenthesised queries), every column, rendered
    /// as text: compare before and after a refused request.
    pub fn snapshot(&self, tables: &[&str]) -> String {
        let db = self.database();
        let mut out = String::new();
        for table in tables {
            let mut stmt = db
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
                .unwrap_or_else(|e| panic!("{table}: {e}"));
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                out.push_str(table);
                for i in 0..columns {
                    let v: rusqlite::types::Value = row.get(i).unwrap();
                    out.push_str(&format!(" {v:?}"));
                }
                out.push('\n');
            }
        }
        out
    }

    /// One number from SQL.
    pub fn count(&self, sql: &str) -> i64 {
        self.database()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The first column of every row `sql` returns, as text.
    pub fn texts(&self, sql: &str) -> Vec<String> {
        let db = self.database();
        let mut stmt = db.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    /// The one text value `sql` returns (the first column of its first row).
    pub fn text(&self, sql: &str) -> String {
        self.database()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}
