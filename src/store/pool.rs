//! The connection pool under a store: r2d2 over SQLite connections, and its shape.

use std::sync::Arc;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

/// The pool of one store.
pub(super) type Pool = r2d2::Pool<Manager>;

/// r2d2_sqlite's manager, except that a connection handed back still inside a transaction
/// (a `COMMIT` or `ROLLBACK` that failed, a panic mid-transaction) counts as broken and is
/// closed, never lent out again: the next user would otherwise run inside a stranger's
/// transaction, or hold SQLite's read snapshot for ever.
#[derive(Debug)]
pub(super) struct Manager(pub(super) SqliteConnectionManager);

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> std::result::Result<Connection, rusqlite::Error> {
        self.0.connect()
    }

    fn is_valid(&self, conn: &mut Connection) -> std::result::Result<(), rusqlite::Error> {
        self.0.is_valid(conn)
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        !conn.is_autocommit()
    }
}

/// How many connections a store keeps: the default sandbox keeps a warm pool; named ones
/// open connections on demand, let idle ones go, and share one maintenance thread pool so
/// that a thousand of them cost no thousand threads.
#[derive(Clone)]
pub struct PoolShape {
    /// Most connections open at once.
    pub max_size: u32,
    /// Connections kept open while idle (`None`: `max_size`).
    pub min_idle: Option<u32>,
    /// How long an idle connection above `min_idle` stays open.
    pub idle_timeout: Option<std::time::Duration>,
    /// The r2d2 maintenance threads, shared by every store that names the same pool.
    pub threads: Option<Arc<scheduled_thread_pool::ScheduledThreadPool>>,
}

impl Default for PoolShape {
    fn default() -> Self {
        PoolShape {
            max_size: 8,
            min_idle: None,
            idle_timeout: None,
            threads: None,
        }
    }
}
