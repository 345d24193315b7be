//! Fidelity: every BitGo operation orgbox serves answers inside BitGo's own OpenAPI file.
//! A walk (`walk`) calls each served operation the way a client would, for its success and
//! for the errors it can produce, and generated probes (no credentials; unknown ids; an empty
//! body) call each again; every answer whose status BitGo documents is checked against that
//! status's JSON Schema (`src/bitgo/openapi_schemas.json`, extracted from BitGo's file by
//! `tests/openapi/schemas.py`). The coverage table in `docs/coverage.md` is written from
//! the same run (`ORGBOX_WRITE_COVERAGE=1` rewrites it; otherwise a stale table fails).

mod coverage;
mod errata;
mod walk;
mod webhooks;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use orgbox::bitgo::unserved::{self, schemas, schemas::Mismatch};
use orgbox::control::openapi::VENDOR_ROUTES;
use serde_json::{json, Value};

use crate::helpers::*;

/// What one operation answered: each status seen, and whether its body was checked.
#[derive(Default)]
pub struct Seen {
    /// Statuses whose body conformed to the documented schema (or had none to conform to).
    pub conformed: BTreeSet<u16>,
    /// Statuses BitGo does not document for the operation (not checkable).
    pub undocumented: BTreeSet<u16>,
}

/// Sends requests and checks each answer against BitGo's schemas.
pub struct Checker<'a> {
    pub app: &'a TestApp,
    seen: RefCell<BTreeMap<String, Seen>>,
    failures: RefCell<Vec<(String, String)>>,
    exceptions: RefCell<BTreeSet<String>>,
}

impl<'a> Checker<'a> {
    fn new(app: &'a TestApp) -> Self {
        Checker {
            app,
            seen: RefCell::default(),
            failures: RefCell::default(),
            exceptions: RefCell::default(),
        }
    }

    /// Sends `method path` (JSON `body` if given) and checks the answer.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>, auth: Auth) -> Resp {
        let mut req = Req::method(method, path).auth(auth);
        if let Some(body) = &body {
            req = req.json(body);
        }
        let r = self.app.send(req).await;
        self.check(method, path, &r);
        r
    }

    /// [`Checker::call`] with a JSON body.
    pub async fn send(&self, method: &str, path: &str, body: Value, auth: &Auth) -> Resp {
        self.call(method, path, Some(body), auth.clone()).await
    }

    /// [`Checker::call`] without a body.
    pub async fn get(&self, path: &str, auth: &Auth) -> Resp {
        self.call("GET", path, None, auth.clone()).await
    }

    fn check(&self, method: &str, path: &str, r: &Resp) {
        let bare = path.split('?').next().unwrap_or(path);
        let Some(route) = unserved::find(method, bare) else {
            return; // not an operation of BitGo's file (a v1 alias, say)
        };
        let op = format!("{} {}", route.method, route.template);
        let text = String::from_utf8_lossy(&r.body);
        if r.status >= 500 && r.status != 501 {
            self.fail(
                &op,
                format!("{method} {path}: server error {}: {text}", r.status),
            );
            return;
        }
        let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        let mut seen = self.seen.borrow_mut();
        let entry = seen.entry(op.clone()).or_default();
        match schemas::check(route.method, route.template, r.status, &body) {
            Ok(_) => {
                entry.conformed.insert(r.status);
            }
            Err(Mismatch::Status(_)) => {
                entry.undocumented.insert(r.status);
            }
            Err(Mismatch::Body(errors)) => {
                let errors = match errata::recheck(&op, &body, &errors) {
                    Some((name, rechecked)) => {
                        self.exceptions.borrow_mut().insert(format!("{op}: {name}"));
                        rechecked
                    }
                    None => errors,
                };
                let (excused, errors): (Vec<String>, Vec<String>) = errors
                    .into_iter()
                    .partition(|e| errata::erratum(&op, e).is_some());
                for e in &excused {
                    let name = errata::erratum(&op, e).unwrap_or_default();
                    self.exceptions.borrow_mut().insert(format!("{op}: {name}"));
                }
                if errors.is_empty() {
                    entry.conformed.insert(r.status);
                } else {
                    let e = Mismatch::Body(errors);
                    self.fail(
                        &op,
                        format!("{method} {path} {}: {e}\n  body: {text}", r.status),
                    );
                }
            }
            Err(e) => self.fail(
                &op,
                format!("{method} {path} {}: {e}\n  body: {text}", r.status),
            ),
        }
    }

    fn fail(&self, op: &str, message: String) {
        self.failures.borrow_mut().push((op.to_string(), message));
    }
}

/// The operations of BitGo's file that orgbox serves: `METHOD template`, BitGo's spelling.
pub fn served_operations() -> BTreeSet<String> {
    VENDOR_ROUTES
        .iter()
        .filter_map(|(method, path, _)| unserved::find(method, path))
        .map(|r| format!("{} {}", r.method, r.template))
        .collect()
}

/// Each served operation once more, as generated requests: no credentials, then a token with
/// every scope and unknown ids (and an empty JSON body for a write).
async fn probe_every_operation(check: &Checker<'_>, token: &str) {
    for op in served_operations() {
        let (method, template) = op.split_once(' ').unwrap();
        let path = concrete(template);
        let body = (method != "GET").then(|| json!({}));
        check.call(method, &path, body.clone(), Auth::None).await;
        if template.ends_with("/logout") {
            continue; // it would end the token the other probes use
        }
        check
            .call(method, &path, body, Auth::V2(token.into()))
            .await;
    }
}

/// A template with its parameters filled: `ofc` for a coin, else an id that names nothing.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|s| match s {
            "{coin}" => "ofc".to_string(),
            s if s.starts_with('{') => "f".repeat(32),
            s => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[actix_web::test]
async fn every_served_bitgo_operation_answers_inside_bitgos_schemas() {
    let app = spawn_app().await;
    let check = Checker::new(&app);
    let token = walk::walk(&check).await;
    probe_every_operation(&check, &token).await;

    let failures = check.failures.borrow();
    let gaps: BTreeMap<&str, &str> = errata::KNOWN_GAPS.iter().copied().collect();
    let outside: Vec<String> = failures
        .iter()
        .filter(|(op, _)| !gaps.contains_key(op.as_str()))
        .map(|(op, message)| format!("{op}: {message}"))
        .collect();
    assert!(
        outside.is_empty(),
        "{} answers outside BitGo's schemas:\n{}",
        outside.len(),
        outside.join("\n")
    );
    let seen = check.seen.borrow();
    let closed: Vec<&&str> = gaps
        .keys()
        .filter(|gap| !failures.iter().any(|(op, _)| op == *gap))
        .filter(|gap| {
            seen.get(**gap)
                .is_some_and(|s| s.conformed.iter().any(|st| (200..300).contains(st)))
        })
        .collect();
    assert!(
        closed.is_empty(),
        "known gaps that now conform (take them off errata::KNOWN_GAPS): {closed:?}"
    );
    let exceptions = check.exceptions.borrow();
    let unchecked: Vec<String> = served_operations()
        .into_iter()
        .filter(|op| !gaps.contains_key(op.as_str()))
        .filter_map(|op| match seen.get(&op) {
            Some(s) if s.conformed.iter().any(|st| (200..300).contains(st)) => None,
            Some(s) => Some(format!(
                "{op}: conformed {:?}, undocumented {:?}",
                s.conformed, s.undocumented
            )),
            None => Some(format!("{op}: never called")),
        })
        .collect();
    assert!(
        unchecked.is_empty(),
        "served operations whose success was never checked against BitGo's schema: {unchecked:#?}"
    );
    coverage::check_table(&seen, &exceptions);
}
