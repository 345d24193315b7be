//! Every failure answers BitGo's `{error, name, requestId, context}` with the right status.

use serde_json::json;

use crate::helpers::*;

#[actix_web::test]
async fn unknown_routes_are_404s_in_bitgo_shape() {
    let app = spawn_app().await;
    // `/` leads to the web console (tests/api/console.rs).
    for path in ["/nope", "/api/v2/nope", "/api/v3/user/me"] {
        let b = app.get(path, Auth::None).await.expect_error(404);
        assert_eq!(b["name"], "NotFound");
    }
}

#[actix_web::test]
async fn wrong_method_is_a_405_in_bitgo_shape() {
    let app = spawn_app().await;
    let b = app
        .send(Req::method("PUT", "/api/v2/user/login"))
        .await
        .expect_error(405);
    assert_eq!(b["name"], "MethodNotAllowed");
}

#[actix_web::test]
async fn malformed_json_is_a_400() {
    let app = spawn_app().await;
    let r = app
        .send(Req::post("/api/v2/user/login").raw(b"{\"email\": ", "application/json"))
        .await;
    assert_eq!(r.expect_error(400)["name"], "InvalidJSON");
    let r = app
        .send(Req::post("/api/v2/user/login").raw(b"[1,2]", "application/json"))
        .await;
    r.expect_error(400);
}

#[actix_web::test]
async fn a_non_json_content_type_is_a_415() {
    let app = spawn_app().await;
    let r = app
        .send(
            Req::post("/api/v2/user/login")
                .raw(b"email=a&password=b", "application/x-www-form-urlencoded"),
        )
        .await;
    let b = r.expect_error(415);
    assert!(b["error"].as_str().unwrap().contains("application/json"));
}

#[actix_web::test]
async fn an_oversized_body_is_a_413() {
    let app = spawn_app_with(|c| c.server.max_body_bytes = 1024).await;
    let big = json!({"email": "x".repeat(4096), "password": "p", "otp": "000000"});
    let b = app
        .send(Req::post("/api/v2/user/login").json(&big))
        .await
        .expect_error(413);
    assert!(b["error"].as_str().unwrap().contains("1024"));
}

#[actix_web::test]
async fn json_with_charset_is_accepted() {
    let app = spawn_app().await;
    let body = json!({"email": BRENNAN, "password": PASSWORD, "otp": "000000"}).to_string();
    app.send(
        Req::post("/api/v2/user/login").raw(body.as_bytes(), "application/json; charset=utf-8"),
    )
    .await
    .ok();
}

#[actix_web::test]
async fn every_error_carries_a_fresh_request_id() {
    let app = spawn_app().await;
    let a = app.get("/nope", Auth::None).await.expect_error(404);
    let b = app.get("/nope", Auth::None).await.expect_error(404);
    assert_ne!(a["requestId"], b["requestId"]);
}
