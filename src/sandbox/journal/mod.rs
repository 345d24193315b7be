//! The request journal of one sandbox: every vendor request with its time, method, path,
//! status, latency, the token's id (never the token) and, for a refusal, the rule that refused
//! it, with both bodies and the request's headers (secrets redacted, see `redact`); and every
//! webhook delivery attempt orgbox made. A ring bounded by entries and by memory (oldest
//! dropped) behind a short mutex: recording is one push. Which entries a query selects lives
//! in `filter`.
mod entry;
mod filter;
pub mod kept;
pub mod redact;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

pub use entry::{JournalEntry, JournalLimits, WebhookNote};
pub use filter::{glob_match, JournalFilter, StatusMatch, MAX_GLOB_BYTES};
pub use kept::{KeptBody, KeptHeaders};

/// Longest path (and query string) an entry keeps, bytes; a longer one is cut at a character
/// boundary and ends with [`TRUNCATED`].
pub const MAX_RECORDED_BYTES: usize = 2048;

/// What ends a recorded path or query string that was cut.
pub const TRUNCATED: &str = "...[truncated]";

/// `text` cut to at most [`MAX_RECORDED_BYTES`] (marker included) at a character boundary.
fn bounded(text: &mut String) {
    *text = redact::cut(std::mem::take(text), MAX_RECORDED_BYTES);
}

/// An entry held, with its weight as counted when it was recorded (computed once: the oldest
/// is dropped on nearly every record once the ring is full).
type Held = (usize, Arc<JournalEntry>);

struct Ring {
    next_seq: u64,
    entries: VecDeque<Held>,
    dropped: u64,
    bytes: usize,
}

impl Ring {
    /// Takes the oldest entry out; the caller drops it after releasing the lock (freeing its
    /// bodies is the slow part).
    fn take_oldest(&mut self) -> Option<Held> {
        let held = self.entries.pop_front()?;
        self.bytes = self.bytes.saturating_sub(held.0);
        self.dropped += 1;
        Some(held)
    }
}

/// One sandbox's journal.
pub struct Journal {
    capacity: AtomicUsize,
    body_bytes: usize,
    memory_bytes: usize,
    ring: Mutex<Ring>,
}

/// What a query found.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalPage {
    /// Matching entries, newest first, at most the limit.
    pub requests: Vec<JournalEntry>,
    /// How many entries match in all.
    pub count: usize,
    /// Entries held now.
    pub held: usize,
    /// Entries dropped (oldest first) since the journal was last cleared.
    pub dropped: u64,
    /// Most entries held.
    pub capacity: usize,
    /// About how many bytes the entries held take.
    pub bytes: usize,
    /// Most bytes the entries may take.
    pub memory_cap: usize,
}

impl Journal {
    /// An empty journal holding at most `capacity` entries (0: records nothing), with the
    /// default body and memory caps.
    pub fn new(capacity: usize) -> Journal {
        Journal::with_limits(JournalLimits {
            capacity,
            ..JournalLimits::default()
        })
    }

    /// An empty journal with these limits.
    pub fn with_limits(limits: JournalLimits) -> Journal {
        Journal {
            capacity: AtomicUsize::new(limits.capacity),
            body_bytes: limits.body_bytes,
            memory_bytes: limits.memory_bytes,
            ring: Mutex::new(Ring {
                next_seq: 1,
                entries: VecDeque::new(),
                dropped: 0,
                bytes: 0,
            }),
        }
    }

    /// Most bytes of each body an entry keeps (0: none).
    pub fn body_bytes(&self) -> usize {
        self.body_bytes
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether anything is recorded at all (capacity above 0).
    pub fn enabled(&self) -> bool {
        self.capacity.load(Ordering::Relaxed) > 0
    }

    /// Appends `entry` (its `seq` is assigned here), dropping the oldest when full. A path or
    /// query string longer than [`MAX_RECORDED_BYTES`] is kept cut short.
    pub fn record(&self, mut entry: JournalEntry) {
        let capacity = self.capacity.load(Ordering::Relaxed);
        if capacity == 0 {
            return;
        }
        bounded(&mut entry.path);
        if let Some(query) = entry.query.as_mut() {
            bounded(query);
        }
        let weight = entry.weight();
        let mut gone = Vec::new();
        {
            let mut ring = self.ring();
            entry.seq = ring.next_seq;
            ring.next_seq += 1;
            while !ring.entries.is_empty()
                && (ring.entries.len() >= capacity || ring.bytes + weight > self.memory_bytes)
            {
                gone.extend(ring.take_oldest());
            }
            ring.bytes += weight;
            ring.entries.push_back((weight, Arc::new(entry)));
        }
        // Freed here, after the lock is released.
        drop(gone);
    }

    /// The entries `filter` selects, newest first, at most `limit`, with the total count.
    /// The lock is held only to copy the entries' handles: matching runs outside it, so a
    /// slow query never holds up recording.
    pub fn query(&self, filter: &JournalFilter, limit: usize) -> JournalPage {
        let (entries, dropped, bytes): (Vec<Arc<JournalEntry>>, u64, usize) = {
            let ring = self.ring();
            (
                ring.entries.iter().map(|(_, e)| Arc::clone(e)).collect(),
                ring.dropped,
                ring.bytes,
            )
        };
        let mut requests = Vec::new();
        let mut count = 0;
        for e in entries.iter().rev().filter(|e| filter.matches(e)) {
            count += 1;
            if requests.len() < limit {
                requests.push(JournalEntry::clone(e));
            }
        }
        JournalPage {
            requests,
            count,
            held: entries.len(),
            dropped,
            capacity: self.capacity.load(Ordering::Relaxed),
            bytes,
            memory_cap: self.memory_bytes,
        }
    }

    /// Forgets every entry; numbering goes on.
    pub fn clear(&self) {
        let gone = {
            let mut ring = self.ring();
            ring.dropped = 0;
            ring.bytes = 0;
            std::mem::take(&mut ring.entries)
        };
        drop(gone);
    }

    /// Changes the bound, dropping the oldest entries beyond it.
    pub fn set_capacity(&self, capacity: usize) {
        self.capacity.store(capacity, Ordering::Relaxed);
        let mut ring = self.ring();
        let mut gone = Vec::new();
        while ring.entries.len() > capacity {
            gone.extend(ring.take_oldest());
        }
        drop(ring);
        drop(gone);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(method: &str, path: &str, status: u16, at_ms: i64) -> JournalEntry {
        JournalEntry {
            seq: 0,
            at_ms,
            method: method.into(),
            path: path.into(),
            query: None,
            status,
            latency_us: 1,
            token_id: None,
            user_id: None,
            refused_by: None,
            reason: None,
            fault: None,
            webhook: None,
            stub: None,
            request_headers: KeptHeaders::default(),
            request_body: None,
            response_body: None,
        }
    }

    #[test]
    fn the_memory_cap_drops_the_oldest() {
        let j = Journal::with_limits(JournalLimits {
            capacity: 1000,
            body_bytes: 4096,
            memory_bytes: 20_000,
        });
        for i in 0..50 {
            let mut e = entry("POST", "/a", 200, i);
            e.request_body = Some(KeptBody::Text("x".repeat(1000)));
            j.record(e);
        }
        let page = j.query(&JournalFilter::default(), 1);
        assert!(page.bytes <= 20_000, "{}", page.bytes);
        assert!(page.held < 20 && page.held > 10, "{}", page.held);
        assert_eq!(page.dropped as usize + page.held, 50);
        assert_eq!(page.requests[0].seq, 50);
    }

    #[test]
    fn long_paths_are_kept_cut_short() {
        let j = Journal::new(2);
        let mut e = entry("GET", &format!("/é{}", "x".repeat(60_000)), 404, 1);
        e.query = Some("q=".repeat(10_000));
        j.record(e);
        let page = j.query(&JournalFilter::default(), 1);
        let kept = &page.requests[0];
        assert!(kept.path.len() <= MAX_RECORDED_BYTES && kept.path.ends_with(TRUNCATED));
        assert!(kept.path.starts_with("/éxxx"));
        assert!(kept.query.as_ref().unwrap().len() <= MAX_RECORDED_BYTES);
        j.record(entry("GET", "/short", 200, 2));
        assert_eq!(
            j.query(&JournalFilter::default(), 1).requests[0].path,
            "/short"
        );
    }

    #[test]
    fn the_oldest_are_dropped_past_capacity() {
        let j = Journal::new(3);
        for i in 0..5 {
            j.record(entry("GET", "/a", 200, i));
        }
        let page = j.query(&JournalFilter::default(), 10);
        assert_eq!((page.count, page.dropped), (3, 2));
        assert_eq!(page.requests[0].seq, 5);
        assert_eq!(page.requests[2].seq, 3);
    }

    #[test]
    fn filters_combine() {
        let j = Journal::new(10);
        j.record(entry("GET", "/api/v2/user/me", 200, 10));
        j.record(entry("POST", "/api/v2/user/login", 401, 20));
        j.record(entry("GET", "/api/v2/enterprise", 404, 30));
        let f = JournalFilter {
            method: Some("get".into()),
            status: StatusMatch::parse("4xx"),
            ..Default::default()
        };
        assert_eq!(j.query(&f, 10).count, 1);
        let f = JournalFilter {
            since_ms: Some(15),
            ..Default::default()
        };
        assert_eq!(j.query(&f, 1).count, 2);
        assert_eq!(j.query(&f, 1).requests.len(), 1);
    }

    #[test]
    fn principal_and_before_page_back() {
        let j = Journal::new(100);
        for i in 0..10 {
            let mut e = entry("GET", "/a", 200, i);
            e.user_id = Some(if i % 2 == 0 { "even" } else { "odd" }.into());
            e.token_id = Some(format!("t{i}"));
            j.record(e);
        }
        let by_user = JournalFilter {
            principal: Some("even".into()),
            ..Default::default()
        };
        let page = j.query(&by_user, 2);
        assert_eq!(page.count, 5);
        let seqs: Vec<u64> = page.requests.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [9, 7]);
        let older = JournalFilter {
            before_seq: Some(7),
            ..by_user
        };
        let page = j.query(&older, 2);
        assert_eq!(page.count, 3, "entries 5, 3 and 1 are older");
        assert_eq!(page.requests[0].seq, 5);
        let by_token = JournalFilter {
            principal: Some("t3".into()),
            ..Default::default()
        };
        assert_eq!(j.query(&by_token, 10).requests[0].seq, 4);
    }
}
