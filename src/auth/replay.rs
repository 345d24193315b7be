//! Refusal of replayed signed requests, when `[auth] reject_replays` asks for it. A v2/v3
//! signature covers the method (v3), the timestamp, the target and the body, so an
//! identical HMAC is an identical request. A state-changing request (anything but GET, HEAD
//! and OPTIONS) is then accepted once per HMAC while its timestamp is inside the freshness
//! window; a read may always be repeated. Remembered HMACs are kept until their window ends, at most
//! [`MAX_REMEMBERED`] of them: past that the oldest are forgotten first.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// Most HMACs remembered at once (about 6 MB).
pub const MAX_REMEMBERED: usize = 100_000;

#[derive(Debug, Default)]
struct Seen {
    set: HashSet<[u8; 32]>,
    order: VecDeque<([u8; 32], i64)>,
}

/// The HMACs of state-changing signed requests seen within their window.
#[derive(Debug, Default)]
pub struct ReplayGuard {
    seen: Mutex<Seen>,
}

/// Whether a method changes state (and so may not be replayed).
pub fn changes_state(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

impl ReplayGuard {
    /// Forgets every signature seen (a sandbox reset).
    pub fn clear(&self) {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.set.clear();
        seen.order.clear();
    }

    /// Records `hmac_hex` as used until `valid_until_ms` (real clock); `false` if it was
    /// already used and is still remembered.
    pub fn first_use(&self, hmac_hex: &str, valid_until_ms: i64, real_now_ms: i64) -> bool {
        let mut key = [0u8; 32];
        if hex::decode_to_slice(hmac_hex.to_ascii_lowercase(), &mut key).is_err() {
            // Not a well-formed HMAC: it never verified, so there is nothing to remember.
            return true;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        while let Some((old, until)) = seen.order.front().copied() {
            if until >= real_now_ms && seen.order.len() < MAX_REMEMBERED {
                break;
            }
            seen.order.pop_front();
            seen.set.remove(&old);
        }
        if !seen.set.insert(key) {
            return false;
        }
        seen.order.push_back((key, valid_until_ms));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_hmac_is_refused_until_its_window_ends() {
        let g = ReplayGuard::default();
        let h = "ab".repeat(32);
        assert!(g.first_use(&h, 1_000, 0));
        assert!(!g.first_use(&h, 1_000, 500));
        assert!(!g.first_use(&h.to_uppercase(), 1_000, 500));
        assert!(g.first_use(&"cd".repeat(32), 1_000, 500));
        // Once its window is over the old entry is swept; a request that old is refused as
        // stale by the timestamp check anyway.
        assert!(g.first_use(&h, 3_000, 2_000));
    }

    #[test]
    fn reads_may_repeat_and_writes_may_not() {
        assert!(!changes_state("GET"));
        assert!(!changes_state("HEAD"));
        assert!(changes_state("POST"));
        assert!(changes_state("DELETE"));
        assert!(changes_state("PUT"));
    }
}
