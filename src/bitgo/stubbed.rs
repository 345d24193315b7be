//! Answers from sandbox stubs (`PUT /sandbox/stubs`, see `domain::stub`): for a BitGo
//! operation orgbox does not serve, the most specific stub that matches the request answers
//! with its status, headers and body, instead of the 501. A stub answers whoever asks (it
//! checks no credentials: it is the tester's own answer, as in WireMock).

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

use crate::bitgo::routed_path;
use crate::bitgo::unserved::{SpecRoute, Stubbed};
use crate::domain::error::Result;
use crate::request::context::RequestContext;
use crate::store::stubs::{self, StubRow};

/// The stub's answer to this request of `route`, if one of the sandbox's stubs matches it.
pub async fn answer(
    req: &HttpRequest,
    route: &'static SpecRoute,
    body: &[u8],
) -> Result<Option<HttpResponse>> {
    let ctx = RequestContext::of(req)?;
    let (method, template) = (route.method, route.template);
    let candidates = ctx
        .sandbox
        .store
        .read(move |c| stubs::for_operation(c, method, template))
        .await?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let path = routed_path(req);
    // Newest first: among equally specific stubs the first found (the newest) answers.
    let mut best: Option<&StubRow> = None;
    for stub in candidates
        .iter()
        .filter(|s| s.matching.matches(path, &query, json.as_ref()))
    {
        if best.is_none_or(|b| stub.matching.specificity() > b.matching.specificity()) {
            best = Some(stub);
        }
    }
    Ok(best.map(response))
}

fn response(stub: &StubRow) -> HttpResponse {
    let status = StatusCode::from_u16(stub.status).unwrap_or(StatusCode::OK);
    let mut r = HttpResponse::build(status);
    for (name, value) in &stub.headers {
        if let (Ok(n), Some(Ok(v))) = (
            name.parse::<HeaderName>(),
            value.as_str().map(HeaderValue::from_str),
        ) {
            r.insert_header((n, v));
        }
    }
    let mut response = r.json(&stub.body);
    response.extensions_mut().insert(Stubbed(stub.id.clone()));
    response
}
