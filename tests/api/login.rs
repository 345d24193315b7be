//! Login: the SDK's route and the curl routes, both password forms, OTPs, refusals.

use orgbox::auth::password::sdk_form;
use serde_json::json;

use crate::helpers::*;

/// Every field seed 001 (BitGo's user schema) marks required.
const REQUIRED_USER_FIELDS: &[&str] = &[
    "id",
    "username",
    "name",
    "email",
    "enterprises",
    "agreements",
    "allowedCoins",
    "bitgoAdminRoles",
    "bitgoEmployee",
    "currency",
    "disableReset2FA",
    "organizations",
    "featureFlags",
    "forceResetPassword",
    "identity",
    "otpDevices",
    "phone",
    "timezone",
    "shardKey",
];

#[actix_web::test]
async fn sdk_login_with_hmac_password_returns_the_seed_shape() {
    let app = spawn_app().await;
    let body = app
        .post(
            "/api/auth/v1/session",
            json!({"email": BRENNAN, "password": sdk_form(BRENNAN, PASSWORD), "forceSMS": false, "otp": "0000000"}),
            Auth::None,
        )
        .await
        .ok();
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.len(), 67);
    assert!(token.starts_with("v2x") && token[3..].bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 86400);
    let now = orgbox::sandbox::Clock::real_now_ms() / 1000;
    let expires_at = body["expires_at"].as_i64().unwrap();
    assert!((expires_at - (now + 86400)).abs() < 5, "{expires_at}");
    let scope: Vec<&str> = body["scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(scope.contains(&"user_manage") && scope.contains(&"enterprise_view_all"));
    for field in REQUIRED_USER_FIELDS {
        assert!(body["user"].get(field).is_some(), "user.{field} missing");
    }
    assert_eq!(body["user"]["username"], BRENNAN);
}

#[actix_web::test]
async fn plain_password_logs_in_on_both_curl_routes() {
    let app = spawn_app().await;
    for path in ["/api/v1/user/login", "/api/v2/user/login"] {
        let body = app
            .post(
                path,
                json!({"email": DALE, "password": PASSWORD, "otp": "000000"}),
                Auth::None,
            )
            .await
            .ok();
        assert!(
            body["access_token"].as_str().unwrap().starts_with("v2x"),
            "{path}"
        );
        assert_eq!(body["user"]["username"], DALE);
    }
}

#[actix_web::test]
async fn email_is_matched_without_regard_to_case() {
    let app = spawn_app().await;
    app.post(
        "/api/v2/user/login",
        json!({"email": "Brennan@Prestige-Worldwide.TEST", "password": PASSWORD, "otp": "000000"}),
        Auth::None,
    )
    .await
    .ok();
}

#[actix_web::test]
async fn seed_curl_body_with_comments_logs_in() {
    let app = spawn_app().await;
    let body = format!(
        "{{\n    \"email\": \"{BRENNAN}\",\n    \"otp\": \"000000\", # testnet OTP is always 000000\n    \"password\": \"{PASSWORD}\"\n}}"
    );
    let r = app
        .send(Req::post("/api/v2/user/login").raw(body.as_bytes(), "application/json"))
        .await;
    assert!(r.ok()["access_token"].is_string());
}

#[actix_web::test]
async fn wrong_password_is_a_401() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v2/user/login",
            json!({"email": BRENNAN, "password": "nope", "otp": "000000"}),
            Auth::None,
        )
        .await;
    let b = r.expect_error(401);
    assert!(b.get("needsOTP").is_none());
    let r = app
        .post(
            "/api/v2/user/login",
            json!({"email": "nobody@example.com", "password": PASSWORD, "otp": "000000"}),
            Auth::None,
        )
        .await;
    r.expect_error(401);
}

#[actix_web::test]
async fn missing_or_wrong_otp_is_a_401_with_needs_otp() {
    let app = spawn_app().await;
    for otp in [json!(null), json!("123456"), json!("")] {
        let r = app
            .post(
                "/api/v2/user/login",
                json!({"email": BRENNAN, "password": PASSWORD, "otp": otp}),
                Auth::None,
            )
            .await;
        let b = r.expect_error(401);
        assert_eq!(b["needsOTP"], true, "otp {otp}");
    }
}

#[actix_web::test]
async fn missing_fields_are_a_400() {
    let app = spawn_app().await;
    let b = app
        .post(
            "/api/v2/user/login",
            json!({"password": PASSWORD, "otp": "000000"}),
            Auth::None,
        )
        .await
        .expect_error(400);
    assert!(b["error"].as_str().unwrap().contains("email"));
    app.post(
        "/api/v2/user/login",
        json!({"email": BRENNAN, "otp": "000000"}),
        Auth::None,
    )
    .await
    .expect_error(400);
}

#[actix_web::test]
async fn login_token_lifetime_follows_the_config() {
    let app = spawn_app_with(|c| c.auth.login_token_seconds = 3600).await;
    let body = app.login_reply(BRENNAN).await;
    assert_eq!(body["expires_in"], 3600);
}

#[actix_web::test]
async fn login_records_last_login() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let me = app.get("/api/v2/user/me", Auth::Raw(token)).await.ok();
    assert!(me["user"]["lastLogin"].is_string());
}
