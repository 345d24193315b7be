//! The SQLite store of one sandbox: a pooled file, the schema, and the doors to it from async
//! code: [`Store::read`] (and its one-snapshot and cached forms) and [`Store::write`].
//! The point reads every authenticated request makes are cached until the next write (see
//! `cache`). Repository modules below hold plain synchronous functions over a `&Connection`.

pub mod addresses;
pub mod approvals;
pub mod bitwarden;
mod cache;
pub mod child_enterprises;
pub mod console;
pub mod copy;
pub mod enterprise_users;
pub mod enterprises;
pub mod error;
pub mod fixture;
pub mod idempotency;
pub mod invitations;
pub mod kyc;
pub mod ledger;
pub mod migrations;
pub mod orders;
pub mod organizations;
pub mod outbox;
mod pool;
pub mod profile;
pub mod stubs;
pub mod tokens;
pub mod transfers;
pub mod users;
pub mod wallet_policies;
pub mod wallets;
pub mod webhooks;

use std::path::Path;
use std::sync::{Arc, Mutex};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, TransactionBehavior};

use crate::domain::error::{Error, Result};

use cache::{Generation, PointCache};
pub use pool::PoolShape;
use pool::{Manager, Pool};

/// A sandbox's database: an r2d2 pool over one SQLite file in WAL mode.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    // SQLite admits one writer at a time; a waiting writer sleeps in its busy handler with
    // back-offs of up to 100 ms. Queueing writers on this in-process lock instead hands the
    // write lock over at once, which keeps the tail latency of concurrent writes low.
    writer: Arc<Mutex<()>>,
    // The hot point reads, valid until the next write to the file (see `cache`).
    cache: Arc<PointCache>,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, PoolShape::default())
    }

    /// [`Store::open`] with a given pool shape.
    pub fn open_with(path: &Path, shape: PoolShape) -> Result<Store> {
        // Owner-only before SQLite opens it: the WAL and shared-memory files inherit its mode.
        crate::files::make_database_private(path)
            .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
        // WAL (readers run beside the one writer) is a property of the file: set it once,
        // before the pool opens connections in parallel, or they race to switch it.
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        drop(conn);
        // Per connection (these do not persist in the file). journal_size_limit truncates the
        // WAL back to 64 MiB after a checkpoint, so a write burst does not leave it large.
        let manager = SqliteConnectionManager::file(path).with_init(|conn| {
            conn.execute_batch(
                "PRAGMA busy_timeout = 5000;
                 PRAGMA foreign_keys = ON;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA journal_size_limit = 67108864;",
            )
        });
        // A connection to a local file does not go stale: no validity query per checkout.
        let mut builder = r2d2::Pool::builder()
            .test_on_check_out(false)
            .max_size(shape.max_size)
            .min_idle(shape.min_idle)
            .idle_timeout(shape.idle_timeout);
        if let Some(threads) = shape.threads {
            builder = builder.thread_pool(threads);
        }
        let pool = builder.build(Manager(manager))?;
        let store = Store {
            pool,
            writer: Arc::new(Mutex::new(())),
            cache: Arc::new(PointCache::new(Generation::of(path))),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<()> {
        let mut conn = self.pool.get()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        migrations::upgrade(&tx)?;
        tx.commit()?;
        self.cache.generation().bump();
        Ok(())
    }

    /// Runs `f` on a pooled connection on the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let generation = self.cache.generation().clone();
        actix_web::web::block(move || {
            let conn = pool.get()?;
            noting_changes(&conn, &generation, f)
        })
        .await?
    }

    /// [`Store::read`] inside one read transaction: every statement of `f` sees one snapshot,
    /// and SQLite's read lock is taken once instead of once per statement. `BEGIN` and
    /// `COMMIT` are prepared once per connection, not parsed per call (the hot path uses it).
    pub async fn read_snapshot<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.read(move |conn| in_snapshot(conn, f)).await
    }

    /// [`Store::read_snapshot`] through the store's cache: a value `f` read under `key` is
    /// served again, without touching the database or leaving the calling thread, until the
    /// next write to the file. `keep` says whether a value is worth keeping (a token that was
    /// not found is not). For the reads every authenticated request makes; `T`'s type is part
    /// of the key.
    pub async fn read_cached<T, F>(&self, key: &str, keep: fn(&T) -> bool, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
        T: Clone + Send + Sync + 'static,
    {
        if let Some(hit) = self.cache.get::<T>(key) {
            return Ok(hit);
        }
        let read_under = self.cache.generation().now();
        let value = self.read_snapshot(f).await?;
        if keep(&value) {
            self.cache.put(key, read_under, value.clone());
        }
        Ok(value)
    }

    /// Runs `f` inside one `BEGIN IMMEDIATE` transaction on the blocking thread pool: the
    /// write lock is taken before the first read, so a check and the write it guards can
    /// never interleave with another writer. Commits when `f` returns `Ok`, rolls back
    /// otherwise.
    pub async fn write<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: FnOnce(&Connection) -> std::result::Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<Error> + Send + 'static,
    {
        let store = self.clone();
        actix_web::web::block(move || store.write_blocking(f))
            .await
            .map_err(|e| E::from(Error::from(e)))?
    }

    /// Runs `f` with the writer lock held and a pooled connection of its own (no
    /// transaction): for whole-database work such as a restore, which must not interleave
    /// with any write.
    pub fn exclusive_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&mut Connection) -> Result<T>,
    {
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut conn = self.pool.get()?;
        let value = f(&mut conn);
        self.cache.generation().bump();
        value
    }

    /// [`Store::read`] for code that is not async (start-up seeding, the CLI).
    pub fn read_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Connection) -> Result<T>,
    {
        let conn = self.pool.get()?;
        noting_changes(&conn, self.cache.generation(), f)
    }

    /// [`Store::write`] for code that is not async (start-up seeding, tests).
    pub fn write_blocking<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: FnOnce(&Connection) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        // A panic while holding the lock poisons it; the lock guards no data, so carry on.
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut conn = self.pool.get().map_err(Error::from)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(Error::from)?;
        let value = f(&tx);
        let committed =
            value.and_then(|v| tx.commit().map(|()| v).map_err(|e| Error::from(e).into()));
        // After the commit (or the rollback of a failed write): what was cached before may
        // no longer be what the file holds.
        self.cache.generation().bump();
        committed
    }
}

/// Runs `f` on `conn`, and moves the file's generation on if it changed rows (a read door
/// that wrote, which nothing should do, still never leaves a stale cached value).
fn noting_changes<T>(
    conn: &Connection,
    generation: &Generation,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let before = conn.total_changes();
    let value = f(conn);
    if conn.total_changes() != before {
        generation.bump();
    }
    value
}

/// Runs `f` inside one read transaction on `conn`. `BEGIN` and `COMMIT` are prepared once per
/// connection, not parsed per call.
fn in_snapshot<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    let value = f(conn);
    let end = if value.is_ok() { "COMMIT" } else { "ROLLBACK" };
    conn.prepare_cached(end)?.execute([])?;
    value
}

#[cfg(test)]
pub(crate) mod testing {
    use super::Store;

    /// A store on a fresh temporary file (pools must never use `:memory:`).
    pub fn temp_store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite")).unwrap();
        (store, dir)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::temp_store;
    use super::*;

    #[test]
    fn schema_is_applied_once_and_versioned() {
        let (store, dir) = temp_store();
        let v: i64 = store
            .write_blocking(|c| -> Result<i64> {
                Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(v, migrations::latest_version());
        drop(store);
        // Re-opening an up-to-date file changes nothing.
        Store::open(&dir.path().join("t.sqlite")).unwrap();
    }

    #[test]
    fn the_file_is_in_wal_mode_with_foreign_keys_on() {
        let (store, _dir) = temp_store();
        let (mode, fk): (String, i64) = store
            .write_blocking(|c| -> Result<_> {
                let mode = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                let fk = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
                Ok((mode, fk))
            })
            .unwrap();
        assert_eq!((mode.as_str(), fk), ("wal", 1));
        let limit: i64 = store
            .write_blocking(|c| -> Result<i64> {
                Ok(c.query_row("PRAGMA journal_size_limit", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(
            limit,
            64 * 1024 * 1024,
            "every pooled connection caps the WAL"
        );
    }

    #[actix_web::test]
    async fn a_connection_left_inside_a_transaction_is_never_lent_again() {
        let (store, _dir) = temp_store();
        // A read that begins a transaction and fails before it ends, as a failed COMMIT would.
        let left_open: Result<()> = store
            .read(|c| {
                c.execute_batch("BEGIN; SELECT count(*) FROM users;")?;
                Err(Error::Internal("failed before COMMIT".into()))
            })
            .await;
        assert!(left_open.is_err());
        // Every later checkout, across the whole pool, starts outside any transaction.
        for _ in 0..32 {
            let clean = store.read(|c| Ok(c.is_autocommit())).await.unwrap();
            assert!(clean, "a pooled connection was still inside a transaction");
        }
        store
            .write(|c| -> Result<usize> { Ok(c.execute("DELETE FROM users", [])?) })
            .await
            .unwrap();
    }

    #[test]
    fn concurrent_writers_all_commit() {
        let (store, _dir) = temp_store();
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let store = store.clone();
                std::thread::spawn(move || {
                    store.write_blocking(move |c| -> Result<_> {
                        c.execute(
                            "INSERT INTO organizations (id, name, created_at) VALUES (?1, 'x', 0)",
                            [format!("{i:032x}")],
                        )?;
                        Ok(())
                    })
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
        let n: i64 = store
            .write_blocking(|c| -> Result<_> {
                Ok(c.query_row("SELECT count(*) FROM organizations", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(n, 8);
    }

    #[test]
    fn failed_write_rolls_back() {
        let (store, _dir) = temp_store();
        let r: Result<()> = store.write_blocking(|c| {
            c.execute(
                "INSERT INTO organizations (id, name, created_at) VALUES (?1, 'x', 0)",
                ["a".repeat(32)],
            )?;
            Err(Error::Conflict("stop".into()))
        });
        assert!(r.is_err());
        let n: i64 = store
            .write_blocking(|c| -> Result<_> {
                Ok(c.query_row("SELECT count(*) FROM organizations", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn constraint_violations_become_conflicts() {
        let (store, _dir) = temp_store();
        let insert = |c: &Connection| -> Result<()> {
            c.execute(
                "INSERT INTO organizations (id, name, created_at) VALUES (?1, 'x', 0)",
                ["b".repeat(32)],
            )?;
            Ok(())
        };
        store.write_blocking(insert).unwrap();
        assert!(matches!(
            store.write_blocking(insert),
            Err(Error::Conflict(_))
        ));
    }
}
