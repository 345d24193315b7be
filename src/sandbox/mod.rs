//! Sandboxes: each is a store plus a clock. Only the default sandbox exists yet; handlers
//! reach theirs through [`Sandboxes::for_request`], never through a global.

pub mod clock;

use std::sync::Arc;

use crate::store::Store;

pub use clock::Clock;

/// One isolated world: its own SQLite file and its own notion of "now".
pub struct Sandbox {
    /// `default`, or the name of a named sandbox.
    pub name: String,
    /// Its database.
    pub store: Store,
    /// Its clock: every "now" of domain rules comes from here.
    pub clock: Clock,
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
