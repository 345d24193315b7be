//! Capture inboxes: what `POST /sandbox/webhooks/inbox/{name}` received, kept in the sandbox's
//! memory (like its journal), so a test can point a webhook at one and read its deliveries
//! without running a server. Bounded: each inbox keeps its newest deliveries, and a sandbox
//! keeps its most recently used inboxes.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;

/// Most inboxes one sandbox keeps (the least recently used beyond it is dropped).
pub const MAX_INBOXES: usize = 100;
/// Longest body kept, bytes (a longer one is cut).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// One delivery an inbox received.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Captured {
    /// Its place in this inbox, from 1; never reused until the inbox is cleared.
    pub seq: u64,
    /// When it arrived (real clock, ms).
    pub received_at_ms: i64,
    /// The sandbox clock then, ms.
    pub sandbox_now_ms: i64,
    /// Its headers (names lower case), `Authorization` and `Cookie` left out.
    pub headers: BTreeMap<String, String>,
    /// `X-Signature-SHA256`, if it carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The body as text.
    pub body: String,
    /// The body as JSON, when it is JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
    /// The status the inbox answered.
    pub answered: u16,
}

#[derive(Debug, Default)]
struct Inbox {
    next_seq: u64,
    deliveries: VecDeque<Captured>,
    failures_served: u64,
    last_used: u64,
}

/// A sandbox's inboxes.
#[derive(Debug, Default)]
pub struct Inboxes {
    inner: Mutex<(u64, BTreeMap<String, Inbox>)>,
}

/// An inbox as listed: its name and how many deliveries it holds.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboxSummary {
    /// Its name.
    pub name: String,
    /// Deliveries held.
    pub count: usize,
    /// Deliveries received since it was last cleared.
    pub received: u64,
}

impl Inboxes {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, BTreeMap<String, Inbox>)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Receives `c` into inbox `name` (its `seq` and `answered` are set here), keeping at most
    /// `capacity`; answers 500 while fewer than `fail_first` answers of 500 were served by it.
    /// Returns the status to answer.
    pub fn receive(&self, name: &str, mut c: Captured, capacity: usize, fail_first: u64) -> u16 {
        let mut guard = self.lock();
        let (clock, inboxes) = &mut *guard;
        *clock += 1;
        if !inboxes.contains_key(name) && inboxes.len() >= MAX_INBOXES {
            if let Some(oldest) = inboxes
                .iter()
                .min_by_key(|(_, i)| i.last_used)
                .map(|(n, _)| n.clone())
            {
                inboxes.remove(&oldest);
            }
        }
        let inbox = inboxes.entry(name.to_string()).or_default();
        inbox.last_used = *clock;
        inbox.next_seq += 1;
        c.seq = inbox.next_seq;
        c.answered = if inbox.failures_served < fail_first {
            inbox.failures_served += 1;
            500
        } else {
            200
        };
        if c.body.len() > MAX_BODY_BYTES {
            let mut cut = MAX_BODY_BYTES;
            while !c.body.is_char_boundary(cut) {
                cut -= 1;
            }
            c.body.truncate(cut);
        }
        let answered = c.answered;
        if capacity > 0 {
            while inbox.deliveries.len() >= capacity {
                inbox.deliveries.pop_front();
            }
            inbox.deliveries.push_back(c);
        }
        answered
    }

    /// Inbox `name`'s deliveries, oldest first, after `after_seq`, at most `limit`; with how
    /// many it received in all.
    pub fn read(&self, name: &str, after_seq: u64, limit: usize) -> (Vec<Captured>, u64) {
        let guard = self.lock();
        match guard.1.get(name) {
            Some(inbox) => (
                inbox
                    .deliveries
                    .iter()
                    .filter(|c| c.seq > after_seq)
                    .take(limit)
                    .cloned()
                    .collect(),
                inbox.next_seq,
            ),
            None => (Vec::new(), 0),
        }
    }

    /// Every inbox, by name.
    pub fn list(&self) -> Vec<InboxSummary> {
        self.lock()
            .1
            .iter()
            .map(|(name, i)| InboxSummary {
                name: name.clone(),
                count: i.deliveries.len(),
                received: i.next_seq,
            })
            .collect()
    }

    /// Empties inbox `name` (numbering and its served failures start over); whether it existed.
    pub fn clear(&self, name: &str) -> bool {
        self.lock().1.remove(name).is_some()
    }

    /// Empties every inbox.
    pub fn clear_all(&self) {
        self.lock().1.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(body: &str) -> Captured {
        Captured {
            seq: 0,
            received_at_ms: 0,
            sandbox_now_ms: 0,
            headers: BTreeMap::new(),
            signature: None,
            body: body.into(),
            json: None,
            answered: 0,
        }
    }

    #[test]
    fn an_inbox_keeps_its_newest_and_fails_first_when_asked() {
        let inboxes = Inboxes::default();
        assert_eq!(inboxes.receive("a", captured("1"), 2, 1), 500);
        assert_eq!(inboxes.receive("a", captured("2"), 2, 1), 200);
        assert_eq!(inboxes.receive("a", captured("3"), 2, 1), 200);
        let (held, received) = inboxes.read("a", 0, 10);
        assert_eq!(received, 3);
        let bodies: Vec<_> = held.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["2", "3"]);
        assert_eq!(inboxes.read("a", 2, 10).0.len(), 1);
        assert!(inboxes.clear("a"));
        assert_eq!(inboxes.read("a", 0, 10).1, 0);
        assert_eq!(inboxes.receive("a", captured("again"), 2, 1), 500);
    }

    #[test]
    fn a_sandbox_keeps_its_most_recently_used_inboxes() {
        let inboxes = Inboxes::default();
        for i in 0..MAX_INBOXES + 5 {
            inboxes.receive(
                &format!("i{i}"),
                captured(&"x".repeat(MAX_BODY_BYTES + 9)),
                1,
                0,
            );
        }
        let list = inboxes.list();
        assert_eq!(list.len(), MAX_INBOXES);
        assert!(!list.iter().any(|i| i.name == "i0"));
        assert_eq!(inboxes.read("i7", 0, 1).0[0].body.len(), MAX_BODY_BYTES);
    }
}
