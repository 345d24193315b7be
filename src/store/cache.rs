//! A cache of the point reads every authenticated request makes (the token by its hash, and
//! what the handler preloads beside it), valid until the next write to the same database file
//! by anyone in this process.
//!
//! Every door of the store that can write (`write`, `exclusive`, and a read whose connection
//! changed rows) moves the file's *generation* on after the write is committed; a cached value
//! is served only while the generation it was read under is still the current one, and a
//! value read while the generation moved is not kept. Every `Store` opened on one file shares
//! the file's generation, so a write through one invalidates what another cached. The CLI
//! never writes to a data directory a server holds (it takes the directory's lock), so no
//! other process writes behind the cache's back.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// Most values kept; past it the cache starts over (a flood of distinct tokens costs memory
/// no longer than this).
const MAX_ENTRIES: usize = 4096;

type Value = Arc<dyn Any + Send + Sync>;

/// The generation of one database file, shared by every store opened on it.
#[derive(Clone)]
pub(super) struct Generation(Arc<AtomicU64>);

impl Generation {
    /// The generation of the file at `path` (its canonical path when it exists).
    pub(super) fn of(path: &Path) -> Generation {
        static FILES: OnceLock<Mutex<HashMap<PathBuf, Weak<AtomicU64>>>> = OnceLock::new();
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut files = FILES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(shared) = files.get(&path).and_then(Weak::upgrade) {
            return Generation(shared);
        }
        files.retain(|_, g| g.strong_count() > 0);
        let shared = Arc::new(AtomicU64::new(0));
        files.insert(path, Arc::downgrade(&shared));
        Generation(shared)
    }

    /// The current generation.
    pub(super) fn now(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Moves it on: called after a write is committed.
    pub(super) fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// The cached values of one store.
pub(super) struct PointCache {
    generation: Generation,
    entries: Mutex<Entries>,
}

struct Entries {
    generation: u64,
    /// By key, then by the value's type (looked up by `&str`, with no key built per request).
    map: HashMap<String, HashMap<TypeId, Value>>,
    /// How many values are kept.
    len: usize,
}

impl PointCache {
    /// An empty cache over the file's `generation`.
    pub(super) fn new(generation: Generation) -> PointCache {
        PointCache {
            generation,
            entries: Mutex::new(Entries {
                generation: 0,
                map: HashMap::new(),
                len: 0,
            }),
        }
    }

    /// The file's generation.
    pub(super) fn generation(&self) -> &Generation {
        &self.generation
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value kept under `key`, if it was read under the current generation.
    pub(super) fn get<T: Clone + 'static>(&self, key: &str) -> Option<T> {
        let now = self.generation.now();
        let entries = self.entries();
        if entries.generation != now {
            return None;
        }
        let value = entries.map.get(key)?.get(&TypeId::of::<T>())?;
        value.downcast_ref::<T>().cloned()
    }

    /// Keeps `value`, read under generation `read_under`, unless a write came since.
    pub(super) fn put<T: Send + Sync + 'static>(&self, key: &str, read_under: u64, value: T) {
        let mut entries = self.entries();
        let now = self.generation.now();
        if read_under != now {
            return;
        }
        if entries.generation != now || entries.len >= MAX_ENTRIES {
            entries.map.clear();
            entries.len = 0;
            entries.generation = now;
        }
        let by_type = entries.map.entry(key.to_string()).or_default();
        if by_type.insert(TypeId::of::<T>(), Arc::new(value)).is_none() {
            entries.len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_invalidates_what_every_store_of_the_file_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.sqlite");
        std::fs::write(&file, b"").unwrap();
        let one = PointCache::new(Generation::of(&file));
        let other = PointCache::new(Generation::of(&file));
        let under = one.generation().now();
        one.put("k", under, 7u32);
        other.put("k", under, 8u32);
        assert_eq!(one.get::<u32>("k"), Some(7));
        assert_eq!(one.get::<u64>("k"), None, "by type as well as by key");
        other.generation().bump();
        assert_eq!(one.get::<u32>("k"), None);
        assert_eq!(other.get::<u32>("k"), None);
    }

    #[test]
    fn a_value_read_while_a_write_landed_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PointCache::new(Generation::of(&dir.path().join("b.sqlite")));
        let under = cache.generation().now();
        cache.generation().bump();
        cache.put("k", under, 1u8);
        assert_eq!(cache.get::<u8>("k"), None);
    }

    #[test]
    fn the_cache_starts_over_past_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PointCache::new(Generation::of(&dir.path().join("c.sqlite")));
        let under = cache.generation().now();
        for i in 0..MAX_ENTRIES {
            cache.put(&i.to_string(), under, i);
        }
        assert_eq!(cache.get::<usize>("0"), Some(0));
        cache.put("last", under, 1usize);
        assert_eq!(cache.get::<usize>("0"), None);
        assert_eq!(cache.get::<usize>("last"), Some(1));
    }
}
