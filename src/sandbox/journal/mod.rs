//! The request journal of one sandbox: every vendor request with its time, method, path,
//! status, latency, the token's id (never the token) and, for a refusal, the rule that refused
//! it; and every webhook delivery attempt orgbox made. A bounded ring (oldest dropped) behind a short mutex: recording is one push. Which
//! entries a query selects lives in `filter`.
mod filter;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

pub use filter::{glob_match, JournalFilter, StatusMatch, MAX_GLOB_BYTES};

/// One recorded request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Position in this sandbox's journal, from 1; never reused.
    pub seq: u64,
    /// When it arrived (real clock, ms since the epoch).
    pub at_ms: i64,
    /// HTTP method.
    pub method: String,
    /// The path within the sandbox (without the `/s/{name}` prefix), no query.
    pub path: String,
    /// The query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Response status.
    pub status: u16,
    /// Time to the response head, microseconds.
    pub latency_us: u64,
    /// The id of the token that authenticated it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// The id of the user it authenticated as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// For a refusal: the rule's name (BitGo's error `name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_by: Option<String>,
    /// For a refusal: the reason given to the client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The fault rule that answered it instead of the handler, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<u64>,
    /// For a webhook delivery orgbox made (method POST, `path` the webhook's URL, `status` 0
    /// when nothing answered): which notification, which attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookNote>,
}

/// What the journal notes of a webhook delivery attempt.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookNote {
    /// The webhook.
    pub webhook_id: String,
    /// The notification delivered.
    pub notification_id: String,
    /// Its type.
    pub webhook_type: String,
    /// Which attempt (1 for the first).
    pub attempt: i64,
    /// What went wrong, if anything did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Longest path (and query string) an entry keeps, bytes; a longer one is cut at a character
/// boundary and ends with [`TRUNCATED`].
pub const MAX_RECORDED_BYTES: usize = 2048;

/// What ends a recorded path or query string that was cut.
pub const TRUNCATED: &str = "...[truncated]";

/// `text` cut to at most [`MAX_RECORDED_BYTES`] (marker included) at a character boundary.
fn bounded(text: &mut String) {
    if text.len() <= MAX_RECORDED_BYTES {
        return;
    }
    let mut cut = MAX_RECORDED_BYTES - TRUNCATED.len();
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text.push_str(TRUNCATED);
}

struct Ring {
    next_seq: u64,
    entries: VecDeque<Arc<JournalEntry>>,
    dropped: u64,
}

/// One sandbox's journal.
pub struct Journal {
    capacity: AtomicUsize,
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
}

impl Journal {
    /// An empty journal holding at most `capacity` entries (0: records nothing).
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity: AtomicUsize::new(capacity),
            ring: Mutex::new(Ring {
                next_seq: 1,
                entries: VecDeque::new(),
                dropped: 0,
            }),
        }
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
        let mut ring = self.ring();
        entry.seq = ring.next_seq;
        ring.next_seq += 1;
        while ring.entries.len() >= capacity {
            ring.entries.pop_front();
            ring.dropped += 1;
        }
        ring.entries.push_back(Arc::new(entry));
    }

    /// The entries `filter` selects, newest first, at most `limit`, with the total count.
    /// The lock is held only to copy the entries' handles: matching runs outside it, so a
    /// slow query never holds up recording.
    pub fn query(&self, filter: &JournalFilter, limit: usize) -> JournalPage {
        let (entries, dropped): (Vec<Arc<JournalEntry>>, u64) = {
            let ring = self.ring();
            (ring.entries.iter().cloned().collect(), ring.dropped)
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
        }
    }

    /// Forgets every entry; numbering goes on.
    pub fn clear(&self) {
        let mut ring = self.ring();
        ring.entries = VecDeque::new();
        ring.dropped = 0;
    }

    /// Changes the bound, dropping the oldest entries beyond it.
    pub fn set_capacity(&self, capacity: usize) {
        self.capacity.store(capacity, Ordering::Relaxed);
        let mut ring = self.ring();
        while ring.entries.len() > capacity {
            ring.entries.pop_front();
            ring.dropped += 1;
        }
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
        }
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
