//! The sandbox layer, wrapped around every dialect before routing: it resolves the request's
//! sandbox (a `/s/{name}` prefix is taken off the path the router sees, while the raw target,
//! which signatures cover, keeps it), applies the sandbox's fault rules, and records the
//! request in the sandbox's journal. No handler does any of this itself.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, Uri};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes, Data};
use actix_web::{HttpMessage, HttpResponse};

use crate::app::answers;
use crate::app::capture;
use crate::bitgo::error::{BitgoError, FiatError};
use crate::bitgo::trading::error::TradingError;
use crate::bitgo::unserved::{Stubbed, Unserved};
use crate::bitwarden::error::BwError;
use crate::control::ControlError;
use crate::request::note::PrincipalNote;
use crate::request::state::AppState;
use crate::sandbox::deliveries::Deliveries;
use crate::sandbox::faults::FaultHit;
use crate::sandbox::journal::{JournalEntry, KeptHeaders};
use crate::sandbox::{split_prefix, Clock, Resolved, Sandbox, PREFIX};

/// Whether a path (within its sandbox) belongs to the control plane or its web console (`/`,
/// `/console/...`), which the journal and faults leave alone.
fn is_control(path: &str) -> bool {
    path == "/sandbox"
        || path.starts_with("/sandbox/")
        || path == "/"
        || path == "/console"
        || path.starts_with("/console/")
}

/// The middleware (`actix_web::middleware::from_fn(sandbox_layer)`).
pub async fn sandbox_layer(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<Data<AppState>>().cloned() else {
        return next.call(req).await.map(|r| r.map_into_boxed_body());
    };
    let (sandbox, prefix_len) = match resolve(&mut req, &state).await {
        Ok(resolved) => resolved,
        Err(response) => return Ok(req.into_response(response)),
    };
    // A request that may have changed state (a write, a clock move) may have left webhook
    // notifications behind: the delivery pool looks at its sandbox once it has answered.
    let pokes = !matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    let poke = PokeOnDrop(pokes.then(|| (state.deliveries.clone(), Arc::clone(&sandbox))));
    let inner_path = &req.path()[prefix_len..];
    if is_control(inner_path) || (!sandbox.journal.enabled() && !sandbox.faults.any()) {
        let result = next.call(req).await;
        drop(poke);
        return result.map(|r| r.map_into_boxed_body());
    }

    let started = Instant::now();
    let mut entry = new_entry(&req, inner_path);
    let (journaled, cap) = (sandbox.journal.enabled(), sandbox.journal.body_bytes());
    if journaled {
        capture::request(&mut req, &mut entry, cap).await;
    }
    if let Some(response) = inject_fault(&sandbox, &mut entry).await {
        finish(&sandbox, entry, started);
        return Ok(req.into_response(response));
    }
    let mut result = next.call(req).await;
    drop(poke);
    note_outcome(&mut entry, &mut result);
    let result = match result {
        Ok(res) if journaled => {
            Ok(capture::response(res.map_into_boxed_body(), &mut entry, cap).await)
        }
        other => other.map(|r| r.map_into_boxed_body()),
    };
    finish(&sandbox, entry, started);
    result
}

/// Pokes the webhook delivery pool for a sandbox when dropped (after the handler answered,
/// or when the request was given up).
struct PokeOnDrop(Option<(Arc<Deliveries>, Arc<Sandbox>)>);

impl Drop for PokeOnDrop {
    fn drop(&mut self) {
        if let Some((deliveries, sandbox)) = self.0.take() {
            deliveries.poke(&sandbox);
        }
    }
}

/// The request's sandbox and the length of its `/s/{name}` prefix (0 for the default
/// sandbox), or the answer for a prefix that names no sandbox.
async fn resolve(
    req: &mut ServiceRequest,
    state: &AppState,
) -> Result<(Arc<Sandbox>, usize), HttpResponse> {
    if req.path().starts_with(PREFIX) {
        resolve_named(req, state).await
    } else {
        Ok((Arc::clone(state.sandboxes.default_sandbox()), 0))
    }
}

/// The journal entry of a request as it arrives (`path` within its sandbox).
fn new_entry(req: &ServiceRequest, path: &str) -> JournalEntry {
    JournalEntry {
        seq: 0,
        at_ms: Clock::real_now_ms(),
        method: req.method().as_str().to_string(),
        path: path.to_string(),
        query: Some(req.query_string())
            .filter(|q| !q.is_empty())
            .map(str::to_string),
        status: 0,
        latency_us: 0,
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

/// Applies the first fault rule that picks this request: its delay, then the answer it gives
/// instead of the handler (noted in `entry`), if it gives one.
async fn inject_fault(sandbox: &Sandbox, entry: &mut JournalEntry) -> Option<HttpResponse> {
    let hit = sandbox.faults.pick(&entry.method, &entry.path)?;
    entry.fault = Some(hit.rule);
    if hit.delay_ms > 0 {
        actix_web::rt::time::sleep(Duration::from_millis(hit.delay_ms)).await;
    }
    let response = fault_response(&hit, &entry.path)?;
    entry.status = response.status().as_u16();
    entry.reason = Some(if hit.drop {
        "connection dropped (fault)".into()
    } else {
        "fault injected".into()
    });
    Some(response)
}

/// Notes the handler's answer in `entry`: status, principal, and why it refused if it did.
fn note_outcome<B>(
    entry: &mut JournalEntry,
    result: &mut Result<ServiceResponse<B>, actix_web::Error>,
) {
    match result {
        Ok(res) => {
            entry.status = res.status().as_u16();
            // Taken, not copied: nothing reads the note after the journal.
            let request_note = res.request().extensions_mut().remove::<PrincipalNote>();
            let note = request_note.or_else(|| {
                res.response_mut()
                    .extensions_mut()
                    .remove::<PrincipalNote>()
            });
            if let Some(note) = note {
                entry.token_id = note.token_id;
                entry.user_id = Some(note.user_id);
            }
            if let Some(err) = res.response().error() {
                note_refusal(entry, err);
            } else if let Some(s) = res.response().extensions().get::<Stubbed>() {
                entry.stub = Some(s.0.clone());
            } else if let Some(u) = res.response().extensions().get::<Unserved>() {
                entry.refused_by = Some("NotImplemented".into());
                entry.reason = Some(format!("not served: {} {}", u.0.method, u.0.template));
            }
        }
        Err(err) => {
            entry.status = err.as_response_error().status_code().as_u16();
            note_refusal(entry, err);
        }
    }
}

fn finish(sandbox: &Sandbox, mut entry: JournalEntry, started: Instant) {
    entry.latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    sandbox.journal.record(entry);
}

/// Names the rule that refused the request, in the words of the dialect that answered.
fn note_refusal(entry: &mut JournalEntry, err: &actix_web::Error) {
    let rule = if let Some(bitgo) = err.as_error::<BitgoError>() {
        bitgo.0.code().to_string()
    } else if let Some(fiat) = err.as_error::<FiatError>() {
        fiat.0 .0.code().to_string()
    } else if let Some(trading) = err.as_error::<TradingError>() {
        trading.error_name.to_string()
    } else if let Some(control) = err.as_error::<ControlError>() {
        control.code().to_string()
    } else if let Some(bitwarden) = err.as_error::<BwError>() {
        // The variant's name (`NotFound`, `ModelState`, ...): Bitwarden's bodies carry no code.
        let shown = format!("{bitwarden:?}");
        shown
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_string()
    } else {
        String::new()
    };
    entry.refused_by = Some(rule).filter(|r| !r.is_empty());
    entry.reason = Some(err.to_string());
}

/// Finds the named sandbox of a `/s/{name}/...` request and points the router at the path
/// after the prefix. Returns the sandbox and the prefix's length, or the 404 to answer.
async fn resolve_named(
    req: &mut ServiceRequest,
    state: &AppState,
) -> Result<(Arc<Sandbox>, usize), HttpResponse> {
    let (name, rest) = split_prefix(req.path()).unwrap_or(("", "/"));
    let prefix_len = PREFIX.len() + name.len();
    let Some(entry) = state.sandboxes.named().get(name) else {
        return Err(answers::dialect_error(
            rest,
            StatusCode::NOT_FOUND,
            "no_such_sandbox",
            &format!("there is no sandbox named {name:?} (POST /sandbox/sandboxes creates one)"),
            None,
        ));
    };
    let rest = rest.to_string();
    let opened = if entry.is_open() {
        entry.sandbox()
    } else {
        // Opening a closed sandbox touches files: off the async workers.
        match web::block(move || entry.sandbox()).await {
            Ok(r) => r,
            Err(e) => Err(crate::domain::error::Error::Internal(e.to_string())),
        }
    };
    let sandbox = opened.map_err(|e| {
        answers::dialect_error(
            &rest,
            StatusCode::NOT_FOUND,
            "no_such_sandbox",
            &e.to_string(),
            None,
        )
    })?;
    let target = match req.query_string() {
        "" => rest,
        q => format!("{rest}?{q}"),
    };
    let uri: Uri = target.parse().map_err(|_| {
        answers::dialect_error(
            "/",
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the path after the sandbox prefix is not a valid request target",
            None,
        )
    })?;
    req.match_info_mut().get_mut().update(&uri);
    req.extensions_mut().insert(Resolved(Arc::clone(&sandbox)));
    Ok((sandbox, prefix_len))
}

fn fault_response(hit: &FaultHit, path: &str) -> Option<HttpResponse> {
    if hit.drop {
        return Some(HttpResponse::Ok().body(BoxBody::new(DroppedConnection)));
    }
    let status = StatusCode::from_u16(hit.status?).ok()?;
    let message = hit.message.clone().unwrap_or_else(|| {
        format!(
            "{} (a fault injected by orgbox)",
            status.canonical_reason().unwrap_or("error")
        )
    });
    let mut response = answers::dialect_error(path, status, "fault", &message, hit.retry_after);
    if let Ok(value) = hit.rule.to_string().parse() {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-orgbox-fault"),
            value,
        );
    }
    Some(response)
}

/// A body that fails before its first byte: actix-web then closes the connection without
/// writing the response head, which the client sees as a dropped connection.
struct DroppedConnection;

impl MessageBody for DroppedConnection {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Poll::Ready(Some(Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "connection dropped by a fault rule",
        ))))
    }
}
