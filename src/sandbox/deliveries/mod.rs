//! Webhook delivery: a bounded pool of HTTP POSTs on the runtime actix-web already runs. Use
//! cases write notifications inside their own transactions; any request that may have changed
//! state, and every move of a sandbox's clock, pokes the pool ([`Deliveries::poke`]), which
//! then looks for notifications due on that sandbox's clock, delivers each webhook's in order,
//! one at a time, and records every attempt (in the notification's history and the sandbox's
//! journal). No delivery runs inside a transaction, and no request waits for one.
//!
//! `dispatcher` is the loop that picks work, `send` the HTTP attempt, `inbox` the capture
//! inboxes a webhook may point at (`/sandbox/webhooks/inbox/{name}`).

mod dispatcher;
pub mod inbox;
mod send;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use crate::auth::seal::ServerKey;
use crate::config::WebhooksConfig;
use crate::domain::webhook::target::AllowList;
use crate::sandbox::Sandbox;

/// How deliveries are made, from `[webhooks]`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where they may go besides loopback.
    pub allow: AllowList,
    /// Most in flight at once.
    pub workers: usize,
    /// How long one may take.
    pub timeout: Duration,
    /// Attempts before a notification fails for good.
    pub max_attempts: u32,
    /// The first retry's wait, in seconds of the sandbox clock (doubling after).
    pub retry_base_seconds: i64,
    /// Deliveries a capture inbox keeps.
    pub inbox_capacity: usize,
}

impl Settings {
    /// From `[webhooks]`; an `allow` entry that is not a host is an error.
    pub fn from_config(c: &WebhooksConfig) -> Result<Settings, String> {
        Ok(Settings {
            allow: AllowList::parse(&c.allow)?,
            workers: c.workers.max(1),
            timeout: Duration::from_millis(c.timeout_ms.max(1)),
            max_attempts: c.max_attempts.max(1),
            retry_base_seconds: c.retry_base_seconds.max(0),
            inbox_capacity: c.inbox_capacity,
        })
    }
}

/// The delivery pool's shared handle (one per server): pokes go in here from any thread.
pub struct Deliveries {
    settings: Settings,
    wake: Notify,
    poked: Mutex<Vec<Arc<Sandbox>>>,
    in_flight: AtomicUsize,
    started: AtomicUsize,
}

impl Deliveries {
    /// A pool with these settings; nothing runs until [`Deliveries::start`].
    pub fn new(settings: Settings) -> Arc<Deliveries> {
        Arc::new(Deliveries {
            settings,
            wake: Notify::new(),
            poked: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            started: AtomicUsize::new(0),
        })
    }

    /// Its settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Asks the pool to look at `sandbox` (something may have been written, or its clock
    /// moved). Cheap: one push under a short lock, and a wake-up.
    pub fn poke(&self, sandbox: &Arc<Sandbox>) {
        if self.started.load(Ordering::Relaxed) == 0 {
            return;
        }
        {
            let mut poked = self.poked.lock().unwrap_or_else(|p| p.into_inner());
            match poked.iter_mut().find(|s| s.name == sandbox.name) {
                Some(s) => *s = Arc::clone(sandbox),
                None => poked.push(Arc::clone(sandbox)),
            }
        }
        self.wake.notify_one();
    }

    /// Deliveries in flight now (across every sandbox).
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Starts the pool on the current thread's actix runtime, looking first at `sandboxes`
    /// (whatever they still owe from before a restart). `key` opens the webhook secrets.
    /// Must be called from within an actix system; a second call does nothing.
    pub fn start(self: &Arc<Self>, key: ServerKey, sandboxes: &[Arc<Sandbox>]) {
        if self.started.swap(1, Ordering::SeqCst) == 1 {
            return;
        }
        for s in sandboxes {
            self.poke(s);
        }
        actix_web::rt::spawn(dispatcher::run(Arc::clone(self), Arc::new(key)));
    }

    fn take_poked(&self) -> Vec<Arc<Sandbox>> {
        std::mem::take(&mut *self.poked.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
