//! `GET /sandbox/openapi.json`: an OpenAPI 3 description of the control plane and of every
//! vendor route orgbox serves (each also under `/s/{name}` for a named sandbox). The vendor
//! list is checked by a test against the router: each listed route is served, and every
//! route of BitGo's OpenAPI file that is served is listed.
//!
//! The routes are data, one file per group; the code that turns them into the document lives
//! here. A new vendor route goes into its group's table (and a new group into `VENDOR_GROUPS`).
mod approvals;
mod control_plane;
mod enterprises;
mod organizations;
mod session;
mod trading;
mod wallets;
mod webhooks;

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

use crate::bitgo::unserved;
use crate::control::Admin;

/// One route: method, path template, summary.
pub type Route = (&'static str, &'static str, &'static str);

/// The groups of vendor routes served, in the document's order.
const VENDOR_GROUPS: &[&[Route]] = &[
    session::ROUTES,
    enterprises::ROUTES,
    approvals::ROUTES,
    organizations::ROUTES,
    wallets::ROUTES,
    trading::ROUTES,
    webhooks::ROUTES,
];

/// Vendor routes served: method, path template (BitGo's spelling where it has one), summary.
pub const VENDOR_ROUTES: &[Route] = &concat::<{ count(VENDOR_GROUPS) }>(VENDOR_GROUPS);

/// Control-plane routes: method, path, summary.
pub const CONTROL_ROUTES: &[Route] = control_plane::ROUTES;

/// How many routes the groups hold together.
const fn count(groups: &[&[Route]]) -> usize {
    let (mut total, mut i) = (0, 0);
    while i < groups.len() {
        total += groups[i].len();
        i += 1;
    }
    total
}

/// The groups one after the other, at compile time (`N` is their [`count`]).
const fn concat<const N: usize>(groups: &[&[Route]]) -> [Route; N] {
    let mut out: [Route; N] = [("", "", ""); N];
    let (mut at, mut i) = (0, 0);
    while i < groups.len() {
        let mut j = 0;
        while j < groups[i].len() {
            out[at] = groups[i][j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(at == N, "N is the groups' count");
    out
}

fn operation(method: &str, path: &str, summary: &str, tag: &str) -> Value {
    let parameters: Vec<Value> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    let mut op = json!({
        "summary": summary,
        "tags": [tag],
        "operationId": format!("{}{}", method.to_ascii_lowercase(), path.replace(['/', '{', '}', '.'], "_")),
        "responses": {"default": {"description": "See the README; errors in the dialect's shape"}},
    });
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(parameters);
    }
    op
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    let mut add = |method: &str, path: &str, summary: &str, tag: &str| {
        let item = paths
            .entry(path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        item[method.to_ascii_lowercase()] = operation(method, path, summary, tag);
    };
    for (method, path, summary) in VENDOR_ROUTES {
        let tag = unserved::find(method, path).map_or("BitGo", |r| r.tag);
        add(method, path, summary, tag);
    }
    for (method, path, summary) in CONTROL_ROUTES {
        add(method, path, summary, "Sandbox control plane");
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "orgbox",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "An offline, stateful sandbox of BitGo's API. Every path is also served under /s/{name} for the named sandbox {name}; BitGo routes documented by BitGo but not served here answer 501 NotImplemented.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
    })
}

/// `GET /sandbox/openapi.json`.
pub async fn openapi(_admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(document())
}
