//! Fidelity: every BitGo operation orgbox serves answers inside BitGo's own OpenAPI file.
//! A walk (`walk`) calls each served operation the way a client would, for its success and
//! for the errors it can produce, and generated probes (no credentials; unknown ids; an empty
//! body) call each again; every answer whose status BitGo documents is checked against that
//! status's JSON Schema (`src/bitgo/openapi_schemas.json`, extracted from BitGo's file by
//! `tests/openapi/schemas.py`). The coverage table in `docs/bitgo-coverage.md` is written from
//! the same run (`ORGBOX_WRITE_COVERAGE=1` rewrites it; otherwise a stale table fails).

mod coverage;
mod walk;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use orgbox::bitgo::unserved::{self, schemas, schemas::Mismatch};
use orgbox::control::openapi::VENDOR_ROUTES;
use serde_json::{json, Value};

use crate::helpers::*;

/// BitGo's file lists `Enterprise` and `EnterpriseStub` as a `oneOf`, but every enterprise is
/// also a valid stub, so no real enterprise list conforms: the one listed exception.
const ONE_OF_ENTERPRISE: &str = "more than one";

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
    failures: RefCell<Vec<String>>,
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
            self.fail(format!(
                "{op} ({method} {path}): server error {}: {text}",
                r.status
            ));
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
            Err(Mismatch::Body(errors)) if errors.iter().all(|e| e.contains(ONE_OF_ENTERPRISE)) => {
                self.exceptions.borrow_mut().insert(op);
            }
            Err(e) => self.fail(format!(
                "{op} ({method} {path}) {}: {e}\n  body: {text}",
                r.status
            )),
        }
    }

    fn fail(&self, message: String) {
        self.failures.borrow_mut().push(message);
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
    assert!(
        failures.is_empty(),
        "{} answers outside BitGo's schemas:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let exceptions = check.exceptions.borrow();
    let listed: BTreeSet<String> = ["GET /api/v2/enterprise".to_string()].into();
    assert!(
        exceptions.is_subset(&listed),
        "only the enterprise list is excused its oneOf: {exceptions:?}"
    );
    let seen = check.seen.borrow();
    let unchecked: Vec<String> = served_operations()
        .into_iter()
        .filter(|op| {
            !listed.contains(op)
                && !seen
                    .get(op)
                    .is_some_and(|s| s.conformed.iter().any(|st| (200..300).contains(st)))
        })
        .collect();
    assert!(
        unchecked.is_empty(),
        "served operations whose success was never checked against BitGo's schema: {unchecked:#?}"
    );
    coverage::check_table(&seen, &exceptions);
}
