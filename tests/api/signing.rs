//! Signed requests (v2 and v3) and signed responses, as the SDK sends and checks them.

use orgbox::auth::signing::AuthVersion;
use orgbox::sandbox::Clock;
use serde_json::json;

use crate::helpers::*;

#[actix_web::test]
async fn v2_and_v3_signed_reads_get_signed_replies() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    for (auth, version) in [
        (Auth::V2(token.clone()), AuthVersion::V2),
        (Auth::V3(token.clone()), AuthVersion::V3),
    ] {
        let r = app.get("/api/v1/user/me", auth).await;
        assert_eq!(r.ok()["user"]["username"], BRENNAN);
        assert!(r.signature_is_valid(&token, version, "GET", "/api/v1/user/me"));
        // The reply timestamp is the real clock in milliseconds (the SDK checks v3 against its own).
        let ts: i64 = r.header("timestamp").unwrap().parse().unwrap();
        assert!((Clock::real_now_ms() - ts).abs() < 60_000);
    }
}

#[actix_web::test]
async fn raw_bearer_replies_are_signed_too() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let r = app
        .get("/api/v2/user/session", Auth::Raw(token.clone()))
        .await;
    r.ok();
    assert!(r.signature_is_valid(&token, AuthVersion::V2, "GET", "/api/v2/user/session"));
}

#[actix_web::test]
async fn signed_post_with_body_and_signed_reply() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let body = json!({"otp": "000000", "duration": 60});
    let r = app
        .send(
            Req::post("/api/v2/user/unlock")
                .json(&body)
                .auth(Auth::V3(token.clone())),
        )
        .await;
    r.ok();
    assert!(r.signature_is_valid(&token, AuthVersion::V3, "POST", "/api/v2/user/unlock"));
}

#[actix_web::test]
async fn tampered_body_is_refused() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    for auth in [Auth::V2(token.clone()), Auth::V3(token.clone())] {
        let req = Req::post("/api/v2/user/accesstoken")
            .json(&json!({"label": "evil", "scope": ["all"], "otp": "000000"}))
            .sign_body(br#"{"label":"nice","scope":["profile"],"otp":"000000"}"#)
            .auth(auth);
        let r = app.send(req).await;
        let b = r.expect_error(401);
        assert_eq!(b["context"]["reason"], "invalid_hmac");
        assert!(r.header("x-auth-required").is_none());
    }
    assert!(app.listed_tokens(&token).await.is_empty());
}

#[actix_web::test]
async fn stale_or_future_timestamps_are_refused() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let now = Clock::real_now_ms();
    for ts in [now - 301_000, now + 301_000] {
        for auth in [Auth::V2(token.clone()), Auth::V3(token.clone())] {
            let b = app
                .send(Req::get("/api/v2/user/me").timestamp(ts).auth(auth))
                .await
                .expect_error(401);
            assert_eq!(b["context"]["reason"], "stale_timestamp");
        }
    }
    app.send(
        Req::get("/api/v2/user/me")
            .timestamp(now - 240_000)
            .auth(Auth::V2(token)),
    )
    .await
    .ok();
}

#[actix_web::test]
async fn the_signature_covers_the_query_string_exactly() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let path = "/api/v2/user/me?a=1%202&b=x&b=y&c=%C3%BC%2F%3F";
    let r = app.get(path, Auth::V2(token.clone())).await;
    r.ok();
    assert!(r.signature_is_valid(&token, AuthVersion::V2, "GET", path));
    // Signed for one query, sent with another: refused.
    let ts = Clock::real_now_ms().to_string();
    let subject = orgbox::auth::signing::request_subject(
        AuthVersion::V2,
        "GET",
        &ts,
        "/api/v2/user/me?a=1",
        b"",
    );
    let r = app
        .send(
            Req::get("/api/v2/user/me?a=2")
                .header(
                    "Authorization",
                    &format!(
                        "Bearer {}",
                        orgbox::auth::token::sha256_hex(token.as_bytes())
                    ),
                )
                .header("Auth-Timestamp", &ts)
                .header(
                    "HMAC",
                    &orgbox::auth::signing::hmac_hex(token.as_bytes(), &subject),
                ),
        )
        .await;
    assert_eq!(r.expect_error(401)["context"]["reason"], "invalid_hmac");
}

#[actix_web::test]
async fn v3_subject_includes_the_method() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    // A v3 signature computed for GET but sent as POST must fail.
    let ts = Clock::real_now_ms().to_string();
    let subject = orgbox::auth::signing::request_subject(
        AuthVersion::V3,
        "GET",
        &ts,
        "/api/v2/user/lock",
        b"",
    );
    let hmac = orgbox::auth::signing::hmac_hex(token.as_bytes(), &subject);
    let r = app
        .send(
            Req::post("/api/v2/user/lock")
                .header(
                    "Authorization",
                    &format!(
                        "Bearer {}",
                        orgbox::auth::token::sha256_hex(token.as_bytes())
                    ),
                )
                .header("Auth-Timestamp", &ts)
                .header("HMAC", &hmac)
                .header("BitGo-Auth-Version", "3.0"),
        )
        .await;
    assert_eq!(r.expect_error(401)["context"]["reason"], "invalid_hmac");
}

#[actix_web::test]
async fn get_with_a_signed_json_body() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let r = app
        .send(
            Req::get("/api/v2/user/me")
                .json(&json!({}))
                .auth(Auth::V2(token.clone())),
        )
        .await;
    r.ok();
    let r = app
        .send(
            Req::get("/api/v2/user/me")
                .json(&json!({}))
                .sign_body(b"")
                .auth(Auth::V2(token)),
        )
        .await;
    r.expect_error(401);
}

#[actix_web::test]
async fn unknown_token_hash_and_malformed_headers_are_refused() {
    let app = spawn_app().await;
    let fake = format!("v2x{}", "ab".repeat(32));
    let r = app.get("/api/v2/user/me", Auth::V2(fake.clone())).await;
    assert_eq!(r.expect_error(401)["context"]["reason"], "unknown_token");
    assert_eq!(r.header("x-auth-required").as_deref(), Some("true"));
    let r = app.get("/api/v2/user/me", Auth::Raw(fake)).await;
    r.expect_error(401);
    let r = app
        .send(Req::get("/api/v2/user/me").header("Authorization", "Basic Zm9vOmJhcg=="))
        .await;
    assert_eq!(r.expect_error(401)["context"]["reason"], "malformed_header");
    let token = app.login(BRENNAN).await;
    let r = app
        .send(
            Req::get("/api/v2/user/me")
                .header(
                    "Authorization",
                    &format!(
                        "Bearer {}",
                        orgbox::auth::token::sha256_hex(token.as_bytes())
                    ),
                )
                .header("HMAC", "00"),
        )
        .await;
    assert_eq!(r.expect_error(401)["context"]["reason"], "malformed_header");
}

#[actix_web::test]
async fn error_replies_are_not_signed() {
    let app = spawn_app().await;
    let token = app.token_with(&["profile"]).await;
    let r = app.get("/api/v2/enterprise", Auth::V2(token)).await;
    r.expect_error(403);
    assert!(r.header("hmac").is_none());
}
