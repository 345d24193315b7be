//! Sandboxes: each is a store, a clock, a journal, fault rules and webhook capture inboxes. The default sandbox is the
//! configured database; named ones live under `/s/{name}/...`, each in its own SQLite file
//! made from the seeded template. Handlers reach theirs through [`Sandboxes::for_request`] (or
//! [`Sandboxes::for_http`]), never through a global.

pub mod clock;
pub mod deliveries;
pub mod faults;
pub mod journal;
pub mod layout;
pub mod lock;
pub mod named;
pub mod snapshots;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_web::{HttpMessage, HttpRequest};
use rusqlite::{Connection, OpenFlags};

use crate::auth::replay::ReplayGuard;
use crate::auth::throttle::{Throttle, ThrottleLimits};
use crate::config::DEFAULT_JOURNAL_CAPACITY;
use crate::domain::error::Result;
use crate::store::{copy, Store};

pub use clock::Clock;
pub use deliveries::inbox::Inboxes;
pub use faults::Faults;
pub use journal::Journal;
pub use named::{NamedConfig, Registry};

/// The path prefix of named sandboxes: `/s/{name}/...`.
pub const PREFIX: &str = "/s/";

/// What a sandbox keeps in memory, beside its database: it outlives an idle close, so a
/// reopened sandbox keeps its clock, journal and faults.
#[derive(Clone)]
pub struct Memory {
    /// Its clock.
    pub clock: Arc<Clock>,
    /// Password and OTP attempt counters.
    pub throttle: Arc<Throttle>,
    /// HMACs of state-changing signed requests already served.
    pub replays: Arc<ReplayGuard>,
    /// The request journal.
    pub journal: Arc<Journal>,
    /// Fault and latency rules.
    pub faults: Arc<Faults>,
    /// Webhook capture inboxes.
    pub inboxes: Arc<Inboxes>,
}

impl Memory {
    /// Fresh memory: a system clock, no counters, an empty journal of `journal_capacity`.
    pub fn new(clock: Clock, limits: ThrottleLimits, journal_capacity: usize) -> Memory {
        Memory {
            clock: Arc::new(clock),
            throttle: Arc::new(Throttle::new(limits)),
            replays: Arc::new(ReplayGuard::default()),
            journal: Arc::new(Journal::new(journal_capacity)),
            faults: Arc::new(Faults::default()),
            inboxes: Arc::new(Inboxes::default()),
        }
    }
}

/// One isolated world: its own SQLite file, its own notion of "now", and its own memory of
/// guesses, signed requests, requests served and faults to inject.
pub struct Sandbox {
    /// `default`, or the name of a named sandbox.
    pub name: String,
    /// Its database.
    pub store: Store,
    /// Its clock: every "now" of domain rules comes from here.
    pub clock: Arc<Clock>,
    /// Password and OTP attempt counters.
    pub throttle: Arc<Throttle>,
    /// HMACs of state-changing signed requests already served.
    pub replays: Arc<ReplayGuard>,
    /// The request journal.
    pub journal: Arc<Journal>,
    /// Fault and latency rules.
    pub faults: Arc<Faults>,
    /// Webhook capture inboxes.
    pub inboxes: Arc<Inboxes>,
}

impl Sandbox {
    /// A sandbox over `store` with its own clock and fresh counters.
    pub fn new(name: &str, store: Store, clock: Clock, limits: ThrottleLimits) -> Sandbox {
        Sandbox::with_memory(
            name,
            store,
            &Memory::new(clock, limits, DEFAULT_JOURNAL_CAPACITY),
        )
    }

    /// A sandbox over `store` sharing `memory`.
    pub fn with_memory(name: &str, store: Store, memory: &Memory) -> Sandbox {
        let m = memory.clone();
        Sandbox {
            name: name.to_string(),
            store,
            clock: m.clock,
            throttle: m.throttle,
            replays: m.replays,
            journal: m.journal,
            faults: m.faults,
            inboxes: m.inboxes,
        }
    }

    /// Back to `template`: its data (replaced in place with SQLite's backup API, under the
    /// writer lock, so no write interleaves) with a new Bitwarden JWT key, a running system
    /// clock, no counters, an empty journal, no fault rules and empty capture inboxes (its
    /// webhooks, secrets and pending deliveries go with the data).
    pub fn reset_blocking(&self, template: &Path) -> Result<()> {
        let source = Connection::open_with_flags(template, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        self.store
            .exclusive_blocking(|conn| copy::restore_into(&source, conn))?;
        self.clock.reset();
        self.throttle.clear();
        self.replays.clear();
        self.journal.clear();
        self.faults.clear();
        self.inboxes.clear_all();
        Ok(())
    }
}

/// Splits `/s/{name}/rest` into `(name, "/rest")`; `None` for any other path.
pub fn split_prefix(path: &str) -> Option<(&str, &str)> {
    let after = path.strip_prefix(PREFIX)?;
    Some(match after.find('/') {
        Some(at) => (&after[..at], &after[at..]),
        None => (after, "/"),
    })
}

/// The `/s/{name}` a request path starts with, or `""` for the default sandbox: what links
/// into the same sandbox (invitation mails) must keep.
pub fn prefix_of(path: &str) -> &str {
    match split_prefix(path) {
        Some((name, _)) => &path[..PREFIX.len() + name.len()],
        None => "",
    }
}

/// The sandbox a request resolved (set by the sandbox middleware for named sandboxes).
#[derive(Clone)]
pub struct Resolved(pub Arc<Sandbox>);

/// The registry of sandboxes.
pub struct Sandboxes {
    default: Arc<Sandbox>,
    named: Registry,
    template: PathBuf,
    snapshots: PathBuf,
}

impl Sandboxes {
    /// The default sandbox, the named ones under `named`, `template` the seeded state both
    /// reset to and new ones start from, `snapshots` the directory of saved snapshots.
    pub fn new(default: Sandbox, named: Registry, template: PathBuf, snapshots: PathBuf) -> Self {
        Sandboxes {
            default: Arc::new(default),
            named,
            template,
            snapshots,
        }
    }

    /// The sandbox a request path addresses: the default one unless the path starts with
    /// `/s/{name}/`. Costs the default sandbox one prefix comparison.
    pub fn for_request(&self, path: &str) -> Arc<Sandbox> {
        if !path.starts_with(PREFIX) {
            return Arc::clone(&self.default);
        }
        split_prefix(path)
            .and_then(|(name, _)| self.named.get(name))
            .and_then(|entry| entry.sandbox().ok())
            .unwrap_or_else(|| {
                // The middleware admits only known names; this is a request that raced a
                // delete of its sandbox.
                log::warn!("a request for a deleted sandbox fell back to the default one");
                Arc::clone(&self.default)
            })
    }

    /// The sandbox of a request: the one the middleware resolved, else by path.
    pub fn for_http(&self, req: &HttpRequest) -> Arc<Sandbox> {
        if let Some(resolved) = req.extensions().get::<Resolved>() {
            return Arc::clone(&resolved.0);
        }
        self.for_request(req.path())
    }

    /// The default sandbox.
    pub fn default_sandbox(&self) -> &Arc<Sandbox> {
        &self.default
    }

    /// The named sandboxes.
    pub fn named(&self) -> &Registry {
        &self.named
    }

    /// The seeded template file.
    pub fn template(&self) -> &Path {
        &self.template
    }

    /// The directory of saved snapshots.
    pub fn snapshots_dir(&self) -> &Path {
        &self.snapshots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_splits_off() {
        assert_eq!(
            split_prefix("/s/ci-1/api/v2/user/me"),
            Some(("ci-1", "/api/v2/user/me"))
        );
        assert_eq!(split_prefix("/s/x"), Some(("x", "/")));
        assert_eq!(split_prefix("/api/v2/user/me"), None);
        assert_eq!(prefix_of("/s/ci-1/api/v2"), "/s/ci-1");
        assert_eq!(prefix_of("/api/v2"), "");
    }
}
