//! Named sandboxes: one SQLite file each under `<data_dir>/sandboxes/`, made from the seeded
//! template (or a snapshot) with SQLite's backup API. Their pools open on demand; the least
//! recently used ones beyond `max_open`, and any idle past `idle_seconds`, are closed (their
//! pool dropped, files closed) and reopen on the next request. Clock, journal and faults live
//! in memory and survive the close.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use scheduled_thread_pool::ScheduledThreadPool;
use serde::Serialize;

use crate::auth::throttle::ThrottleLimits;
use crate::domain::error::{Error, Result};
use crate::sandbox::{Clock, Memory, Sandbox};
use crate::store::{copy, PoolShape, Store};

/// How named sandboxes are kept.
#[derive(Debug, Clone)]
pub struct NamedConfig {
    /// Where their files live.
    pub dir: PathBuf,
    /// Most named sandboxes at once.
    pub max_count: usize,
    /// Most open at once (the least recently used beyond it are closed).
    pub max_open: usize,
    /// Close one idle this long, ms (0: never).
    pub idle_ms: i64,
    /// Password and OTP limits of each.
    pub limits: ThrottleLimits,
    /// What each one's journal holds.
    pub journal: crate::sandbox::journal::JournalLimits,
}

/// A named sandbox, open or closed.
pub struct Entry {
    /// Its name.
    pub name: String,
    path: PathBuf,
    /// When it was made (ms).
    pub created_at_ms: i64,
    /// What it was made from: `template` or `snapshot:<name>`.
    pub source: String,
    memory: Memory,
    open: Mutex<Option<Arc<Sandbox>>>,
    last_used_ms: AtomicI64,
    registry: Weak<Inner>,
}

/// What the API shows of a named sandbox.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    /// Its name.
    pub name: String,
    /// The path prefix that reaches it.
    pub base_path: String,
    /// Whether its database is open now.
    pub open: bool,
    /// When it was made (ms).
    pub created_at_ms: i64,
    /// Last request (ms, real clock; 0: none since start).
    pub last_used_ms: i64,
    /// `template` or `snapshot:<name>`.
    pub source: String,
}

impl Entry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<Sandbox>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether its database is open.
    pub fn is_open(&self) -> bool {
        self.lock().is_some()
    }

    /// Its sandbox, opening the database if it was closed (blocking file work then).
    pub fn sandbox(&self) -> Result<Arc<Sandbox>> {
        self.last_used_ms
            .store(Clock::real_now_ms(), Ordering::Relaxed);
        let mut open = self.lock();
        if let Some(sandbox) = open.as_ref() {
            return Ok(Arc::clone(sandbox));
        }
        let registry = self
            .registry
            .upgrade()
            .ok_or_else(|| Error::Internal("the sandbox registry is gone".into()))?;
        if !self.path.exists() {
            return Err(Error::NotFound(format!("sandbox {} is gone", self.name)));
        }
        let store = Store::open_with(&self.path, registry.shape())?;
        let sandbox = Arc::new(Sandbox::with_memory(&self.name, store, &self.memory));
        *open = Some(Arc::clone(&sandbox));
        drop(open);
        if registry.open.fetch_add(1, Ordering::Relaxed) + 1 > registry.config.max_open {
            registry.close_least_recent(&self.name);
        }
        Ok(sandbox)
    }

    /// Closes its database (requests in flight keep theirs until they end).
    fn close(&self, registry: &Inner) -> bool {
        let closed = self.lock().take().is_some();
        if closed {
            registry.open.fetch_sub(1, Ordering::Relaxed);
        }
        closed
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the API shows.
    pub fn view(&self) -> EntryView {
        EntryView {
            name: self.name.clone(),
            base_path: format!("{}{}", super::PREFIX, self.name),
            open: self.is_open(),
            created_at_ms: self.created_at_ms,
            last_used_ms: self.last_used_ms.load(Ordering::Relaxed),
            source: self.source.clone(),
        }
    }
}

struct Inner {
    config: NamedConfig,
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    open: AtomicUsize,
    threads: Arc<ScheduledThreadPool>,
}

impl Inner {
    fn shape(&self) -> PoolShape {
        PoolShape {
            max_size: 4,
            min_idle: Some(0),
            idle_timeout: Some(Duration::from_secs(30)),
            threads: Some(Arc::clone(&self.threads)),
        }
    }

    fn entries(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<Entry>>> {
        self.entries.read().unwrap_or_else(|p| p.into_inner())
    }

    fn close_least_recent(&self, keep: &str) {
        let victim = self
            .entries()
            .values()
            .filter(|e| e.name != keep && e.is_open())
            .min_by_key(|e| e.last_used_ms.load(Ordering::Relaxed))
            .cloned();
        if let Some(victim) = victim {
            victim.close(self);
        }
    }

    fn close_idle(&self, now_ms: i64) -> usize {
        let idle: Vec<Arc<Entry>> = self
            .entries()
            .values()
            .filter(|e| now_ms - e.last_used_ms.load(Ordering::Relaxed) > self.config.idle_ms)
            .cloned()
            .collect();
        idle.iter().filter(|e| e.close(self)).count()
    }
}

/// The named sandboxes of one process.
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

/// Whether `name` may name a sandbox: 1 to 64 of `A-Z a-z 0-9 - _ .`, not starting with `.`.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn file_of(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.sqlite"))
}

fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

impl Registry {
    /// Opens the registry: finds the sandboxes already in `config.dir` (closed until used)
    /// and starts the thread that closes idle ones.
    pub fn open(config: NamedConfig) -> std::io::Result<Registry> {
        crate::files::create_private_dir(&config.dir)?;
        let inner = Arc::new(Inner {
            entries: RwLock::new(HashMap::new()),
            open: AtomicUsize::new(0),
            threads: Arc::new(
                ScheduledThreadPool::builder()
                    .num_threads(1)
                    .thread_name_pattern("orgbox-pools-{}")
                    .build(),
            ),
            config,
        });
        let registry = Registry { inner };
        registry.load_existing()?;
        registry.start_sweeper();
        Ok(registry)
    }

    fn load_existing(&self) -> std::io::Result<()> {
        let mut entries = self
            .inner
            .entries
            .write()
            .unwrap_or_else(|p| p.into_inner());
        for item in std::fs::read_dir(&self.inner.config.dir)? {
            let path = item?.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".sqlite"))
            else {
                continue;
            };
            if !valid_name(name) {
                continue;
            }
            let created_at_ms = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_millis() as i64);
            let entry = self.entry(name, path.clone(), created_at_ms, "existing".into());
            entries.insert(name.to_string(), entry);
        }
        Ok(())
    }

    fn entry(&self, name: &str, path: PathBuf, created_at_ms: i64, source: String) -> Arc<Entry> {
        let c = &self.inner.config;
        Arc::new(Entry {
            name: name.to_string(),
            path,
            created_at_ms,
            source,
            memory: Memory::new(Clock::system(), c.limits, c.journal),
            open: Mutex::new(None),
            last_used_ms: AtomicI64::new(0),
            registry: Arc::downgrade(&self.inner),
        })
    }

    fn start_sweeper(&self) {
        let idle_ms = self.inner.config.idle_ms;
        if idle_ms <= 0 {
            return;
        }
        let weak = Arc::downgrade(&self.inner);
        let every = Duration::from_millis((idle_ms / 2).clamp(100, 5_000) as u64);
        let spawned = std::thread::Builder::new()
            .name("orgbox-idle".into())
            .spawn(move || loop {
                std::thread::sleep(every);
                match weak.upgrade() {
                    Some(inner) => {
                        inner.close_idle(Clock::real_now_ms());
                    }
                    None => return,
                }
            });
        if let Err(e) = spawned {
            log::warn!("idle named sandboxes will stay open: {e}");
        }
    }

    /// A named sandbox, open or closed.
    pub fn get(&self, name: &str) -> Option<Arc<Entry>> {
        self.inner.entries().get(name).cloned()
    }

    /// Every named sandbox, by name.
    pub fn list(&self) -> Vec<EntryView> {
        let mut all: Vec<EntryView> = self.inner.entries().values().map(|e| e.view()).collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    /// How many are open now.
    pub fn open_count(&self) -> usize {
        self.inner.open.load(Ordering::Relaxed)
    }

    /// Makes sandbox `name` as a copy of the database file `from` (the template or a
    /// snapshot) with a Bitwarden JWT key of its own; `source` says which. 409 if the name
    /// is taken.
    pub fn create(
        &self,
        name: &str,
        from: &Path,
        source: String,
        now_ms: i64,
    ) -> Result<Arc<Entry>> {
        if !valid_name(name) {
            return Err(Error::Invalid(format!(
                "invalid sandbox name {name:?}: 1 to 64 of A-Z a-z 0-9 - _ . (not starting with .)"
            )));
        }
        let c = &self.inner.config;
        {
            let entries = self.inner.entries();
            if entries.contains_key(name) {
                return Err(Error::Conflict(format!("sandbox {name} already exists")));
            }
            if entries.len() >= c.max_count {
                return Err(Error::Conflict(format!(
                    "there are already {} named sandboxes (the most allowed); delete some",
                    entries.len()
                )));
            }
        }
        let tmp = c
            .dir
            .join(format!(".{name}.{:016x}.tmp", rand::random::<u64>()));
        // Its own Bitwarden JWT key: tokens of the source never verify here.
        let made = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(Error::from)
            .and_then(|src| copy::save_to_file(&src, &tmp))
            .and_then(|()| crate::store::bitwarden::rotate_jwt_key(&Connection::open(&tmp)?));
        if let Err(e) = made {
            remove_database_files(&tmp);
            return Err(e);
        }
        let path = file_of(&c.dir, name);
        let mut entries = self
            .inner
            .entries
            .write()
            .unwrap_or_else(|p| p.into_inner());
        if entries.contains_key(name) {
            remove_database_files(&tmp);
            return Err(Error::Conflict(format!("sandbox {name} already exists")));
        }
        remove_database_files(&path);
        std::fs::rename(&tmp, &path).map_err(|e| {
            remove_database_files(&tmp);
            Error::Internal(format!("{}: {e}", path.display()))
        })?;
        let entry = self.entry(name, path, now_ms, source);
        entries.insert(name.to_string(), Arc::clone(&entry));
        Ok(entry)
    }

    /// Deletes sandbox `name` and its files; whether it existed.
    pub fn delete(&self, name: &str) -> bool {
        let removed = self
            .inner
            .entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        match removed {
            Some(entry) => {
                entry.close(&self.inner);
                remove_database_files(&entry.path);
                true
            }
            None => false,
        }
    }

    /// Closes every sandbox idle for longer than the configured time; how many closed.
    pub fn close_idle_now(&self) -> usize {
        self.inner.close_idle(Clock::real_now_ms())
    }
}
