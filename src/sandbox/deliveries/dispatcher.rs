//! The loop that runs the pool: it keeps the sandboxes that owe deliveries, asks each (when
//! poked, or when its next notification falls due on its clock) for the heads of its webhooks'
//! queues, and starts one delivery per webhook while fewer than `workers` are in flight. Each
//! delivery records its attempt, then pokes its sandbox so the webhook's next notification
//! goes.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Bytes;
use rusqlite::Connection;

use super::send::{self, Answer};
use super::Deliveries;
use crate::auth::seal::ServerKey;
use crate::auth::signing::hmac_hex;
use crate::domain::error::Result;
use crate::domain::webhook::retry_delay_ms;
use crate::sandbox::journal::{JournalEntry, KeptBody, KeptHeaders, WebhookNote};
use crate::sandbox::{Clock, Sandbox};
use crate::store::webhooks;
use crate::store::webhooks::notifications::{self, AttemptRow, NotificationRow, Outcome};

/// The longest the loop sleeps without a poke (a clock set far ahead, a lost wake-up).
const MAX_SLEEP: Duration = Duration::from_secs(30);
/// After a failed look at a sandbox, the next one waits this long.
const SCAN_RETRY_MS: i64 = 1000;

/// A sandbox that owes deliveries.
struct Active {
    sandbox: Arc<Sandbox>,
    /// Look now (poked), whatever `next_due` says.
    poked: bool,
    /// When its next notification falls due (its clock), if one is waiting.
    next_due: Option<i64>,
}

/// Webhooks with a delivery in flight, by sandbox name and webhook id. By name: a named
/// sandbox closed while idle reopens as a new `Sandbox` over the same file.
type Busy = Rc<RefCell<HashSet<(String, String)>>>;

/// A notification picked for delivery, with what sending it needs.
struct Pick {
    n: NotificationRow,
    url: String,
    headers: Vec<(String, String)>,
    signature: String,
}

/// What a look at one sandbox found.
struct Scan {
    picks: Vec<Pick>,
    next_due: Option<i64>,
    pending: bool,
}

/// Runs the pool until the runtime stops.
pub(super) async fn run(shared: Arc<Deliveries>, key: Arc<ServerKey>) {
    let settings = shared.settings().clone();
    let client = awc::Client::builder()
        .disable_redirects()
        .timeout(settings.timeout)
        .connector(
            awc::Connector::new()
                .limit(settings.workers)
                .timeout(settings.timeout),
        )
        .finish();
    let busy: Busy = Rc::default();
    let mut active: Vec<Active> = Vec::new();
    loop {
        for s in shared.take_poked() {
            match active.iter_mut().find(|a| a.sandbox.name == s.name) {
                Some(a) => {
                    a.poked = true;
                    a.sandbox = s;
                }
                None => active.push(Active {
                    sandbox: s,
                    poked: true,
                    next_due: None,
                }),
            }
        }
        let mut sleep = MAX_SLEEP;
        let mut i = 0;
        while i < active.len() {
            let free = settings.workers.saturating_sub(shared.in_flight());
            let keep = look_at(&shared, &key, &client, &busy, &mut active[i], free).await;
            if let Some(wait) = wait_for(&active[i]) {
                sleep = sleep.min(wait);
            }
            if keep {
                i += 1;
            } else {
                active.swap_remove(i);
            }
        }
        let _ = actix_web::rt::time::timeout(sleep, shared.wake.notified()).await;
    }
}

/// How long until `a`'s next notification falls due in real time (none while its clock is
/// frozen: moving it pokes the pool).
fn wait_for(a: &Active) -> Option<Duration> {
    let due = a.next_due?;
    if a.sandbox.clock.is_frozen() {
        return None;
    }
    let ms = due.saturating_sub(a.sandbox.clock.now_ms()).max(1);
    Some(Duration::from_millis(u64::try_from(ms).unwrap_or(1)))
}

/// Looks at one sandbox when it was poked or its next notification is due, and starts what
/// may go; whether the sandbox still owes anything.
async fn look_at(
    shared: &Arc<Deliveries>,
    key: &Arc<ServerKey>,
    client: &awc::Client,
    busy: &Busy,
    a: &mut Active,
    free: usize,
) -> bool {
    let now = a.sandbox.clock.now_ms();
    let due = a.poked || a.next_due.is_some_and(|d| d <= now);
    let sid = a.sandbox.name.clone();
    let in_flight_here: HashSet<String> = busy
        .borrow()
        .iter()
        .filter(|(s, _)| *s == sid)
        .map(|(_, w)| w.clone())
        .collect();
    if !due || free == 0 {
        return a.next_due.is_some() || a.poked || !in_flight_here.is_empty();
    }
    a.poked = false;
    let (k, skip) = (Arc::clone(key), in_flight_here.clone());
    let scanned = a
        .sandbox
        .store
        .read(move |c| scan(c, &k, now, &skip, free))
        .await;
    let scan = match scanned {
        Ok(scan) => scan,
        Err(e) => {
            log::warn!("webhook deliveries of sandbox {}: {e}", a.sandbox.name);
            a.next_due = Some(now.saturating_add(SCAN_RETRY_MS));
            return true;
        }
    };
    a.next_due = scan.next_due;
    for pick in scan.picks {
        busy.borrow_mut()
            .insert((sid.clone(), pick.n.webhook_id.clone()));
        shared.in_flight.fetch_add(1, Ordering::Relaxed);
        let guard = Guard {
            shared: Arc::clone(shared),
            sandbox: Arc::clone(&a.sandbox),
            busy: Rc::clone(busy),
            webhook_id: pick.n.webhook_id.clone(),
        };
        actix_web::rt::spawn(deliver(guard, client.clone(), pick));
    }
    scan.pending || !in_flight_here.is_empty()
}

/// The heads of the webhooks' queues that are due at `now` (their webhook not in `busy`), at
/// most `limit`, with the next due time of the rest. Once `limit` are picked the look stops:
/// each picked delivery pokes its sandbox when done, and the next look goes on from there (so a
/// backlog costs a few queries per delivery, not one per webhook).
fn scan(
    conn: &Connection,
    key: &ServerKey,
    now: i64,
    busy: &HashSet<String>,
    limit: usize,
) -> Result<Scan> {
    let waiting = notifications::webhooks_with_pending(conn)?;
    let mut out = Scan {
        picks: Vec::new(),
        next_due: None,
        pending: !waiting.is_empty(),
    };
    for webhook_id in waiting.iter().filter(|w| !busy.contains(*w)) {
        if out.picks.len() >= limit {
            break;
        }
        let Some(n) = notifications::head_of(conn, webhook_id)? else {
            continue;
        };
        let due = n.event_at.max(n.next_attempt_at);
        if due > now {
            let at = due.max(now);
            out.next_due = Some(out.next_due.map_or(at, |d| d.min(at)));
            continue;
        }
        let Some(w) = webhooks::find(conn, webhook_id)? else {
            continue;
        };
        let signature = match &n.signature {
            Some(s) => s.clone(),
            None => webhooks::open_signing_secret(
                conn,
                key,
                w.enterprise_id.as_deref(),
                w.organization_id.as_deref(),
            )?
            .map(|secret| hmac_hex(&secret, n.payload.as_bytes()))
            .unwrap_or_default(),
        };
        let headers = w
            .custom_headers
            .as_deref()
            .and_then(|h| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(h).ok()
            })
            .map(|m| {
                m.into_iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        out.picks.push(Pick {
            n,
            url: w.url,
            headers,
            signature,
        });
    }
    Ok(out)
}

/// Frees a delivery's place (also if it panicked) and pokes its sandbox for what is next.
struct Guard {
    shared: Arc<Deliveries>,
    sandbox: Arc<Sandbox>,
    busy: Busy,
    webhook_id: String,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let key = (
            self.sandbox.name.clone(),
            std::mem::take(&mut self.webhook_id),
        );
        self.busy.borrow_mut().remove(&key);
        self.shared.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.shared.poke(&self.sandbox);
    }
}

/// One attempt: send (unless the target is no longer allowed), then record it.
async fn deliver(guard: Guard, client: awc::Client, pick: Pick) {
    let settings = guard.shared.settings().clone();
    let answer = match settings.allow.check(&pick.url) {
        Ok(_) => {
            send::post(
                &client,
                &pick.url,
                &pick.n.payload,
                &pick.signature,
                &pick.headers,
                settings.timeout,
            )
            .await
        }
        Err(refused) => Answer {
            status: None,
            latency: Duration::ZERO,
            snippet: None,
            error: Some(refused.to_string()),
        },
    };
    let sandbox = &guard.sandbox;
    let now = sandbox.clock.now_ms();
    let attempt = pick.n.attempts + 1;
    let final_failure = answer.status.is_none()
        && answer
            .error
            .as_deref()
            .is_some_and(|e| e.contains("[webhooks] allow") || e.contains("plain http"));
    let outcome = if answer.delivered() {
        Outcome::Processed
    } else if final_failure || attempt >= i64::from(settings.max_attempts) {
        Outcome::Failed
    } else {
        let wait = retry_delay_ms(
            u32::try_from(attempt).unwrap_or(u32::MAX),
            settings.retry_base_seconds,
        );
        Outcome::RetryAt(now.saturating_add(wait))
    };
    let row = AttemptRow {
        attempt,
        at: now,
        status: answer.status.map(i64::from),
        latency_ms: i64::try_from(answer.latency.as_millis()).unwrap_or(i64::MAX),
        response: answer.snippet.clone(),
        error: answer.error.clone(),
    };
    record(sandbox, &pick, &row, &outcome, answer.delivered()).await;
    journal_attempt(sandbox, &pick, answer, attempt);
    drop(guard);
}

/// Notes one delivery attempt in the sandbox's journal: the payload and the receiver's answer
/// as its bodies (the signature header is a secret and not kept).
fn journal_attempt(sandbox: &Sandbox, pick: &Pick, answer: Answer, attempt: i64) {
    sandbox.journal.record(JournalEntry {
        seq: 0,
        at_ms: Clock::real_now_ms(),
        method: "POST".into(),
        path: pick.url.clone(),
        query: None,
        status: answer.status.unwrap_or(0),
        latency_us: u64::try_from(answer.latency.as_micros()).unwrap_or(u64::MAX),
        token_id: None,
        user_id: None,
        refused_by: None,
        reason: None,
        fault: None,
        stub: None,
        request_headers: KeptHeaders::default(),
        request_body: KeptBody::of(
            "application/json",
            Bytes::from(pick.n.payload.clone()),
            sandbox.journal.body_bytes(),
        ),
        response_body: answer
            .snippet
            .clone()
            .and_then(|s| KeptBody::of("", Bytes::from(s), sandbox.journal.body_bytes())),
        webhook: Some(WebhookNote {
            webhook_id: pick.n.webhook_id.clone(),
            notification_id: pick.n.id.clone(),
            webhook_type: pick.n.webhook_type.clone(),
            attempt,
            error: answer.error,
        }),
    });
}

/// Writes the attempt and its outcome; a notification that vanished meanwhile (a reset, a
/// snapshot loaded) is left alone.
async fn record(sandbox: &Sandbox, pick: &Pick, row: &AttemptRow, outcome: &Outcome, ok: bool) {
    let (seq, id, webhook_id) = (pick.n.seq, pick.n.id.clone(), pick.n.webhook_id.clone());
    let (signature, row, outcome) = (pick.signature.clone(), row.clone(), outcome.clone());
    let written = sandbox
        .store
        .write(move |c| -> Result<bool> {
            let kept = notifications::record_attempt(c, seq, &id, &signature, &row, &outcome)?;
            if kept {
                webhooks::note_attempt(c, &webhook_id, row.at, !ok)?;
            }
            Ok(kept)
        })
        .await;
    if let Err(e) = written {
        log::warn!(
            "recording a webhook delivery in sandbox {}: {e}",
            sandbox.name
        );
    }
}
