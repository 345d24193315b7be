//! Sandboxes: each is a store plus a clock. Only the default sandbox exists yet; handlers
//! reach theirs through [`Sandboxes::for_request`], never through a global.

pub mod clock;

use std::sync::Arc;

use crate::auth::replay::ReplayGuard;
use crate::auth::throttle::{Throttle, ThrottleLimits};
use crate::store::Store;

pub use clock::Clock;

/// One isolated world: its own SQLite file, its own notion of "now", and its own memory of
/// guesses and signed requests.
pub struct Sandbox {
    /// `default`, or the name of a named sandbox.
    pub name: String,
    /// Its database.
    pub store: Store,
    /// Its clock: every "now" of domain rules comes from here.
    pub clock: Clock,
    /// Password and OTP attempt counters.
    pub throttle: Throttle,
    /// HMACs of state-changing signed requests already served.
    pub replays: ReplayGuard,
}

impl Sandbox {
    /// A sandbox over `store` with its own clock and fresh counters.
    pub fn new(name: &str, store: Store, clock: Clock, limits: ThrottleLimits) -> Sandbox {
        Sandbox {
            name: name.to_string(),
            store,
            clock,
            throttle: Throttle::new(limits),
            replays: ReplayGuard::default(),
        }
    }
}

/// The registry of sandboxes.
pub struct Sandboxes {
    default: Arc<Sandbox>,
}

impl Sandboxes {
    /// A registry holding only the default sandbox.
    pub fn new(default: Sandbox) -> Sandboxes {
        Sandboxes {
            default: Arc::new(default),
        }
    }

    /// The sandbox a request path addresses (always the default one for now).
    pub fn for_request(&self, _path: &str) -> Arc<Sandbox> {
        Arc::clone(&self.default)
    }

    /// The default sandbox.
    pub fn default_sandbox(&self) -> &Arc<Sandbox> {
        &self.default
    }
}
