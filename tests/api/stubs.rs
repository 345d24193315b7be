//! Sandbox stubs for the BitGo operations orgbox does not serve: checked against BitGo's
//! schema for the operation and status, refused for served routes, matched by path, query and
//! body, per sandbox, kept in snapshots, journaled as `stub`, removable; the 501 says how.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::sandboxes::create_sandbox;

const ACH: &str = "/api/tradfi/v1/enterprises/{enterpriseId}/ach-authorization";
const DEBIT: &str = "/api/fiat/v1/transaction/ach-debit";

fn ach(enterprise: &str) -> String {
    ACH.replace("{enterpriseId}", enterprise)
}

async fn put_stub(app: &TestApp, base: &str, stub: Value) -> Resp {
    app.send(
        Req::method("PUT", &format!("{base}/sandbox/stubs"))
            .json(&stub)
            .auth(Auth::None),
    )
    .await
}

fn agreement(path: &str, text: &str) -> Value {
    json!({"method": "GET", "path": path,
           "response": {"status": 200, "headers": {"x-stubbed": "yes"}, "body": {"achAuthorizationLanguage": text}}})
}

async fn stubs(app: &TestApp, base: &str) -> Vec<Value> {
    app.get(&format!("{base}/sandbox/stubs"), Auth::None)
        .await
        .ok()["stubs"]
        .as_array()
        .unwrap()
        .clone()
}

#[actix_web::test]
async fn a_stub_answers_an_unserved_operation_until_it_is_removed() {
    let app = spawn_app().await;
    let before = app.get(&ach("e1"), Auth::None).await.expect_error(501);
    let hint = before["error"].as_str().unwrap();
    assert!(
        hint.contains("PUT /sandbox/stubs") && hint.contains(ACH),
        "{hint}"
    );

    let general = put_stub(&app, "", agreement(ACH, "any enterprise"))
        .await
        .ok();
    let specific = put_stub(&app, "", agreement(&ach("e2"), "just e2"))
        .await
        .ok();
    assert_eq!(general["template"], ACH);
    assert_eq!(specific["path"], ach("e2"));

    let r = app.get(&ach("e1"), Auth::None).await;
    assert_eq!(
        r.json(),
        json!({"achAuthorizationLanguage": "any enterprise"})
    );
    assert_eq!(r.header("x-stubbed").as_deref(), Some("yes"));
    let r = app.get(&ach("E2"), Auth::None).await.ok();
    assert_eq!(r["achAuthorizationLanguage"], "just e2");
    let j = app
        .get("/sandbox/journal?path=/api/tradfi/*", Auth::None)
        .await
        .ok();
    assert_eq!(j["requests"][0]["stub"], specific["id"]);
    assert_eq!(j["requests"][1]["stub"], general["id"]);
    assert!(j["requests"][2]["stub"].is_null());

    // Putting the same operation and match again replaces the stub, keeping its id.
    let again = put_stub(&app, "", agreement(ACH, "changed")).await.ok();
    assert_eq!(again["id"], general["id"]);
    assert_eq!(stubs(&app, "").await.len(), 2);

    let id = specific["id"].as_str().unwrap();
    let r = app.send(Req::delete(&format!("/sandbox/stubs/{id}"))).await;
    assert_eq!(r.status, 204);
    assert_eq!(
        app.get(&ach("e2"), Auth::None).await.ok()["achAuthorizationLanguage"],
        "changed"
    );
    let gone = app.send(Req::delete(&format!("/sandbox/stubs/{id}"))).await;
    assert_eq!(
        (gone.status, gone.json()["code"].clone()),
        (404, json!("no_such_stub"))
    );
    let r = app.send(Req::delete("/sandbox/stubs")).await;
    assert_eq!(r.status, 204);
    app.get(&ach("e1"), Auth::None).await.expect_error(501);
}

#[actix_web::test]
async fn a_stub_is_refused_for_a_served_route_a_bad_body_or_an_undocumented_status() {
    let app = spawn_app().await;
    let digest = app.get("/sandbox/digest", Auth::None).await.ok();
    let cases = [
        (
            json!({"method": "GET", "path": "/api/v2/user/me", "response": {"status": 200, "body": {}}}),
            409,
            "served_route",
        ),
        (
            json!({"method": "GET", "path": "/api/v2/{coin}/wallet/{walletId}", "response": {"status": 200, "body": {}}}),
            409,
            "served_route",
        ),
        (
            agreement(ACH, "x").pipe(|mut s| {
                s["response"]["body"]["achAuthorizationLanguage"] = json!(5);
                s
            }),
            422,
            "schema_mismatch",
        ),
        (
            agreement(ACH, "x").pipe(|mut s| {
                s["response"]["body"] = json!({});
                s
            }),
            422,
            "schema_mismatch",
        ),
        (
            agreement(ACH, "x").pipe(|mut s| {
                s["response"]["status"] = json!(418);
                s
            }),
            422,
            "schema_mismatch",
        ),
        (
            agreement("/api/v2/no/such/operation", "x"),
            404,
            "not_a_bitgo_operation",
        ),
        (
            agreement(ACH, "x").pipe(|mut s| {
                s["response"]["headers"] = json!({"Content-Length": "1"});
                s
            }),
            400,
            "invalid_request",
        ),
        (
            agreement(ACH, "x").pipe(|mut s| {
                s["extra"] = json!(1);
                s
            }),
            400,
            "invalid_request",
        ),
    ];
    for (stub, status, code) in cases {
        let r = put_stub(&app, "", stub.clone()).await;
        assert_eq!(
            r.status,
            status,
            "{stub}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.json()["code"], code, "{stub}");
    }
    let mismatch = put_stub(
        &app,
        "",
        agreement(ACH, "x").pipe(|mut s| {
            s["response"]["body"]["achAuthorizationLanguage"] = json!(5);
            s
        }),
    )
    .await
    .json();
    assert!(
        mismatch["error"]
            .as_str()
            .unwrap()
            .contains("/achAuthorizationLanguage"),
        "the schema error names the field: {mismatch}"
    );
    assert!(stubs(&app, "").await.is_empty());
    assert_eq!(app.get("/sandbox/digest", Auth::None).await.ok(), digest);
}

#[actix_web::test]
async fn a_stub_matches_on_query_and_body() {
    let app = spawn_app().await;
    let stub = json!({"method": "POST", "path": DEBIT,
        "match": {"query": {"dryRun": true}, "body": {"amount": "500", "meta": {"memo": "rent"}}},
        "response": {"status": 200, "body": {"txId": "tx-rent"}}});
    put_stub(&app, "", stub).await.ok();
    let debit = |q: &str, body: Value| Req::post(&format!("{DEBIT}{q}")).json(&body);
    let body = json!({"amount": "500", "currency": "USD", "meta": {"memo": "rent", "other": 1}});
    let r = app.send(debit("?dryRun=true", body.clone())).await.ok();
    assert_eq!(r["txId"], "tx-rent");
    app.send(debit("", body.clone())).await.expect_error(501);
    app.send(debit(
        "?dryRun=true",
        json!({"amount": "501", "meta": {"memo": "rent"}}),
    ))
    .await
    .expect_error(501);
}

#[actix_web::test]
async fn stubs_belong_to_their_sandbox_and_travel_in_its_snapshots() {
    let app = spawn_app().await;
    create_sandbox(&app, "demo", None).await;
    put_stub(&app, "/s/demo", agreement(ACH, "in demo"))
        .await
        .ok();
    let r = app
        .get(&format!("/s/demo{}", ach("e1")), Auth::None)
        .await
        .ok();
    assert_eq!(r["achAuthorizationLanguage"], "in demo");
    app.get(&ach("e1"), Auth::None).await.expect_error(501);
    assert!(stubs(&app, "").await.is_empty());

    let saved = app
        .post("/s/demo/sandbox/snapshots/with-stub", json!({}), Auth::None)
        .await;
    assert_eq!(saved.status, 201);
    app.send(Req::delete("/s/demo/sandbox/stubs")).await;
    app.get(&format!("/s/demo{}", ach("e1")), Auth::None)
        .await
        .expect_error(501);
    app.post(
        "/s/demo/sandbox/snapshots/with-stub/load",
        json!({}),
        Auth::None,
    )
    .await
    .ok();
    assert_eq!(stubs(&app, "/s/demo").await.len(), 1);
    let r = app
        .get(&format!("/s/demo{}", ach("e1")), Auth::None)
        .await
        .ok();
    assert_eq!(r["achAuthorizationLanguage"], "in demo");
}

/// `value.pipe(f)`: a tweak of a value inline.
trait Pipe: Sized {
    fn pipe(self, f: impl FnOnce(Self) -> Self) -> Self {
        f(self)
    }
}

impl Pipe for Value {}
