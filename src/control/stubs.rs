//! Stubs for the BitGo operations orgbox does not serve: `PUT /sandbox/stubs` `{method, path,
//! match?: {query?, body?}, response: {status, headers?, body}}` keeps one in the addressed
//! sandbox (replacing a stub of the same operation and match), `GET /sandbox/stubs` lists
//! them, `DELETE /sandbox/stubs/{id}` removes one and `DELETE /sandbox/stubs` all.
//!
//! `path` is a path of BitGo's OpenAPI file, concrete (`/api/v2/tbtc/wallet/abc/webhooks`: only
//! that path) or its template (`/api/v2/{coin}/wallet/{walletId}/webhooks`: any). A stub is
//! refused for a route orgbox serves (the stateful route always answers), for a status the
//! operation does not document, and for a body that does not conform to BitGo's schema for
//! that status (the schema's errors are the answer).

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::bitgo::unserved::{self, schemas};
use crate::control::openapi::VENDOR_ROUTES;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::domain::ids::new_id;
use crate::domain::stub::{self, StubMatch, MAX_STUBS, MAX_STUB_BYTES};
use crate::request::json::parse_body;
use crate::store::stubs::{self as stored, StubRow};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StubSpec {
    method: String,
    path: String,
    #[serde(rename = "match", default)]
    matching: Option<MatchSpec>,
    response: ResponseSpec,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MatchSpec {
    #[serde(default)]
    query: Map<String, Value>,
    body: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseSpec {
    status: u16,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Value,
}

fn refuse(status: StatusCode, code: &'static str, message: String) -> ControlError {
    ControlError::new(status, code, message)
}

/// The stub `spec` describes, checked: a BitGo operation orgbox does not serve, a documented
/// status and a body that conforms to its schema, plain headers.
fn checked(spec: StubSpec, now: i64) -> Result<StubRow, ControlError> {
    let method = spec.method.to_ascii_uppercase();
    let path = spec.path.split('?').next().unwrap_or_default().to_string();
    let Some(route) = unserved::find(&method, &path) else {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            "not_a_bitgo_operation",
            format!("BitGo's OpenAPI file has no operation {method} {path}"),
        ));
    };
    if is_served(route) {
        return Err(refuse(
            StatusCode::CONFLICT,
            "served_route",
            format!(
                "orgbox serves {} {}: the stateful route always answers, so it cannot be stubbed",
                route.method, route.template
            ),
        ));
    }
    let response = spec.response;
    schemas::check(
        route.method,
        route.template,
        response.status,
        &response.body,
    )
    .map_err(|mismatch| {
        refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "schema_mismatch",
            format!(
                "{} {} {}: {mismatch}",
                route.method, route.template, response.status
            ),
        )
    })?;
    for (name, value) in &response.headers {
        if !value.is_string()
            || stub::is_framing_header(name)
            || name.parse::<actix_web::http::header::HeaderName>().is_err()
        {
            return Err(Error::Invalid(format!(
                "header {name:?}: a stub sets plain string headers, not the response's framing"
            ))
            .into());
        }
    }
    let matching = spec.matching.unwrap_or_default();
    Ok(StubRow {
        id: new_id(now),
        method: route.method.to_string(),
        template: route.template.to_string(),
        matching: StubMatch {
            path: (path != route.template).then_some(path),
            query: matching.query,
            body: matching.body,
        },
        status: response.status,
        headers: response.headers,
        body: response.body,
        created_at: now,
    })
}

/// Whether orgbox has a handler for `route` (it lists every vendor route it serves).
fn is_served(route: &unserved::SpecRoute) -> bool {
    VENDOR_ROUTES.iter().any(|(method, path, _)| {
        unserved::find(method, path).is_some_and(|r| std::ptr::eq(r, route))
    })
}

/// A stub as the control plane shows it.
pub fn stub_json(s: &StubRow) -> Value {
    let mut matching = json!({});
    if !s.matching.query.is_empty() {
        matching["query"] = Value::Object(s.matching.query.clone());
    }
    if let Some(body) = &s.matching.body {
        matching["body"] = body.clone();
    }
    json!({
        "id": s.id,
        "method": s.method,
        "path": s.matching.path.as_deref().unwrap_or(&s.template),
        "template": s.template,
        "match": matching,
        "response": {"status": s.status, "headers": s.headers, "body": s.body},
        "createdAt": s.created_at,
    })
}

/// `PUT /sandbox/stubs`: 200 the stub kept (a stub of the same operation and match is replaced,
/// keeping its id).
pub async fn put_stub(admin: Admin, body: Bytes) -> Result<HttpResponse, ControlError> {
    if body.len() > MAX_STUB_BYTES {
        return Err(Error::PayloadTooLarge(MAX_STUB_BYTES).into());
    }
    let spec: StubSpec = parse_body(&body)?;
    let mut stub = checked(spec, admin.sandbox.clock.now_ms())?;
    let kept = admin
        .sandbox
        .store
        .write(move |c| -> Result<StubRow, ControlError> {
            match stored::same_as(c, &stub)? {
                Some(id) => stub.id = id,
                None if stored::count(c)? >= MAX_STUBS => {
                    return Err(refuse(
                        StatusCode::CONFLICT,
                        "too_many_stubs",
                        format!("a sandbox keeps at most {MAX_STUBS} stubs"),
                    ))
                }
                None => {}
            }
            stored::put(c, &stub)?;
            Ok(stub)
        })
        .await?;
    Ok(HttpResponse::Ok().json(stub_json(&kept)))
}

/// `GET /sandbox/stubs`: `{stubs}`, oldest first.
pub async fn list_stubs(admin: Admin) -> Result<HttpResponse, ControlError> {
    let stubs = admin.sandbox.store.read(stored::list).await?;
    let shown: Vec<Value> = stubs.iter().map(stub_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "stubs": shown })))
}

/// `DELETE /sandbox/stubs/{id}`: 204, or 404.
pub async fn delete_stub(
    admin: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let id = id.into_inner();
    let shown = id.clone();
    let found = admin
        .sandbox
        .store
        .write(move |c| stored::delete(c, &id))
        .await?;
    if !found {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            "no_such_stub",
            format!("no stub {shown}"),
        ));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /sandbox/stubs`: 204.
pub async fn clear_stubs(admin: Admin) -> Result<HttpResponse, ControlError> {
    admin.sandbox.store.write(stored::clear).await?;
    Ok(HttpResponse::NoContent().finish())
}
