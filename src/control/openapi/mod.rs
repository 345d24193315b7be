//! `GET /sandbox/openapi.json`: an OpenAPI 3 description of the control plane and of every
//! vendor route orgbox serves (each also under `/s/{name}` for a named sandbox). The vendor
//! list is checked by a test against the router: each listed route is served, and every
//! route of BitGo's OpenAPI file that is served is listed.
//!
//! The routes are data, one file per group; the code that turns them into the document lives
//! here. A new vendor route goes into its group's table (and a new group into `VENDOR_GROUPS`).
//! The control plane's routes are typed: `control_plane.json` holds each one's parameters,
//! request body and responses, and the schemas (with examples) they name; a vendor route links
//! to the vendor's own schema of it.
mod approvals;
mod bitwarden;
mod bitwarden_admin;
mod control_plane;
mod enterprises;
mod organizations;
mod session;
mod trading;
mod wallets;
mod webhooks;

use std::sync::OnceLock;

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

/// Bitwarden routes served, in two lists: method, path, summary, the `bitwarden/server` file
/// defining it.
pub const BITWARDEN_ROUTES: &[&[bitwarden::BitwardenRoute]] =
    &[bitwarden::ROUTES, bitwarden_admin::ROUTES];

/// Where BitGo documents an operation, by its `operationId`.
const BITGO_REFERENCE: &str = "https://developers.bitgo.com/api/";

/// Where Bitwarden's server defines a route.
const BITWARDEN_SOURCE: &str = "https://github.com/bitwarden/server/blob/main/";

/// The control plane's types: `{operations: {"METHOD path": fragment}, schemas}`.
fn typed() -> &'static Value {
    static TYPED: OnceLock<Value> = OnceLock::new();
    TYPED.get_or_init(|| {
        serde_json::from_str(include_str!("control_plane.json"))
            .expect("control_plane.json is JSON (a unit test reads it)")
    })
}

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

/// A control-plane route's operation, typed from `control_plane.json`: its query parameters,
/// request body and responses, and the control plane's error for any other status.
fn control_operation(method: &str, path: &str, summary: &str) -> Value {
    let mut op = operation(method, path, summary, "Sandbox control plane");
    let fragment = &typed()["operations"][format!("{method} {path}")];
    let mut responses = fragment["responses"].clone();
    responses["default"] = json!({
        "description": "Refused: the control plane's error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ControlError"}}},
    });
    op["responses"] = responses;
    if let Some(body) = fragment.get("requestBody") {
        op["requestBody"] = body.clone();
    }
    if let Some(Value::Array(query)) = fragment.get("parameters") {
        let mut all = op["parameters"].as_array().cloned().unwrap_or_default();
        all.extend(query.iter().cloned());
        op["parameters"] = Value::Array(all);
    }
    op
}

/// A served vendor route's operation, linked to the vendor's schema of it.
fn vendor_operation(method: &str, path: &str, summary: &str, tag: &str, docs: Value) -> Value {
    let mut op = operation(method, path, summary, tag);
    op["externalDocs"] = docs;
    op["responses"] =
        json!({"default": {"description": "As the vendor answers: see externalDocs"}});
    op
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
    });
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(parameters);
    }
    op
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    let mut add = |method: &str, path: &str, op: Value| {
        let item = paths
            .entry(path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        item[method.to_ascii_lowercase()] = op;
    };
    for (method, path, summary) in VENDOR_ROUTES {
        let spec = unserved::find(method, path);
        let docs = json!({
            "description": "BitGo's reference and schema of this operation",
            "url": format!("{BITGO_REFERENCE}{}", spec.map_or("", |r| r.operation_id)),
        });
        let tag = spec.map_or("BitGo", |r| r.tag);
        add(
            method,
            path,
            vendor_operation(method, path, summary, tag, docs),
        );
    }
    for (method, path, summary, source) in BITWARDEN_ROUTES.iter().copied().flatten() {
        let docs = json!({
            "description": "Where Bitwarden's server defines this route and its models",
            "url": format!("{BITWARDEN_SOURCE}{source}"),
        });
        add(
            method,
            path,
            vendor_operation(method, path, summary, "Bitwarden", docs),
        );
    }
    for (method, path, summary) in CONTROL_ROUTES {
        add(method, path, control_operation(method, path, summary));
    }
    let mut schemas = typed()["schemas"].clone();
    schemas["ControlError"] = json!({
        "type": "object",
        "properties": {"error": {"type": "string"}, "code": {"type": "string"}},
        "required": ["error", "code"],
        "example": {"error": "identity nope not found", "code": "not_found"},
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "orgbox",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "An offline, stateful sandbox of BitGo's and Bitwarden's APIs, and its control plane (/sandbox). Every path is also served under /s/{name} for the named sandbox {name}; Bitwarden's API paths also under /api. BitGo routes documented by BitGo but not served here answer 501 NotImplemented (stub them with PUT /sandbox/stubs).",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// `GET /sandbox/openapi.json`.
pub async fn openapi(_admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_route_is_typed_and_every_type_is_a_route() {
        let operations = typed()["operations"].as_object().unwrap();
        let routes: Vec<String> = CONTROL_ROUTES
            .iter()
            .map(|(m, p, _)| format!("{m} {p}"))
            .collect();
        for route in &routes {
            let responses =
                &operations.get(route).unwrap_or_else(|| panic!("{route}"))["responses"];
            assert!(
                responses.as_object().is_some_and(|r| !r.is_empty()),
                "{route}"
            );
        }
        for typed in operations.keys() {
            assert!(routes.contains(typed), "{typed} is typed but not a route");
        }
    }
}
