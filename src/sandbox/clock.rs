//! A sandbox's clock: the system time plus an offset, or frozen at an instant. Token expiry,
//! unlock windows and every other domain "now" read it, so tests can move time.
//!
//! The freshness window of signed requests is the one exception: the client signs with its
//! real clock, so that check uses [`Clock::real_now_ms`].

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const NOT_FROZEN: i64 = i64::MIN;

/// Virtual time for one sandbox.
#[derive(Debug)]
pub struct Clock {
    offset_ms: AtomicI64,
    frozen_at_ms: AtomicI64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// A clock that follows the system time.
    pub fn system() -> Clock {
        Clock {
            offset_ms: AtomicI64::new(0),
            frozen_at_ms: AtomicI64::new(NOT_FROZEN),
        }
    }

    /// The sandbox's now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match self.frozen_at_ms.load(Ordering::Relaxed) {
            NOT_FROZEN => Clock::real_now_ms() + self.offset_ms.load(Ordering::Relaxed),
            frozen => frozen,
        }
    }

    /// Moves the clock forward (or back, with a negative value) by `ms`.
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
        let frozen = self.frozen_at_ms.load(Ordering::Relaxed);
        if frozen != NOT_FROZEN {
            self.frozen_at_ms.store(frozen + ms, Ordering::Relaxed);
        }
    }

    /// Stops the clock at its current reading.
    pub fn freeze(&self) {
        self.frozen_at_ms.store(self.now_ms(), Ordering::Relaxed);
    }

    /// Sets the clock to `at_ms`; a frozen clock stays frozen there, a running one runs on
    /// from there.
    pub fn set(&self, at_ms: i64) {
        if self.is_frozen() {
            self.frozen_at_ms.store(at_ms, Ordering::Relaxed);
        }
        self.offset_ms.store(
            at_ms.saturating_sub(Clock::real_now_ms()),
            Ordering::Relaxed,
        );
    }

    /// Lets a frozen clock run again from where it stands.
    pub fn unfreeze(&self) {
        let frozen = self.frozen_at_ms.swap(NOT_FROZEN, Ordering::Relaxed);
        if frozen != NOT_FROZEN {
            self.offset_ms.store(
                frozen.saturating_sub(Clock::real_now_ms()),
                Ordering::Relaxed,
            );
        }
    }

    /// Back to the system time, running.
    pub fn reset(&self) {
        self.frozen_at_ms.store(NOT_FROZEN, Ordering::Relaxed);
        self.offset_ms.store(0, Ordering::Relaxed);
    }

    /// Whether the clock is frozen.
    pub fn is_frozen(&self) -> bool {
        self.frozen_at_ms.load(Ordering::Relaxed) != NOT_FROZEN
    }

    /// How far the clock is from the system time, in ms.
    pub fn offset_ms(&self) -> i64 {
        self.now_ms().saturating_sub(Clock::real_now_ms())
    }

    /// The host's real time, in milliseconds since the Unix epoch.
    pub fn real_now_ms() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_and_freeze_stops_it() {
        let c = Clock::system();
        let before = c.now_ms();
        c.advance(86_400_000);
        assert!(c.now_ms() >= before + 86_400_000);
        c.freeze();
        let frozen = c.now_ms();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(c.now_ms(), frozen);
        c.advance(1_000);
        assert_eq!(c.now_ms(), frozen + 1_000);
    }

    #[test]
    fn set_unfreeze_and_reset() {
        let c = Clock::system();
        c.freeze();
        c.set(1_000_000);
        assert_eq!(c.now_ms(), 1_000_000);
        c.unfreeze();
        assert!(!c.is_frozen());
        assert!((c.now_ms() - 1_000_000).abs() < 1_000);
        c.reset();
        assert!(c.offset_ms().abs() < 1_000);
    }
}
