//! Login, password and OTP checks cannot be used to find accounts or to guess without end.

use serde_json::{json, Value};

use crate::helpers::*;

async fn login_with(app: &TestApp, email: &str, password: &str) -> Resp {
    app.post(
        "/api/v2/user/login",
        json!({"email": email, "password": password, "otp": "000000"}),
        Auth::None,
    )
    .await
}

fn without_request_id(mut b: Value) -> Value {
    b.as_object_mut().unwrap().remove("requestId");
    b
}

#[actix_web::test]
async fn an_unknown_email_and_a_wrong_password_answer_alike() {
    let app = spawn_app().await;
    let unknown = login_with(&app, "nobody@prestige-worldwide.test", PASSWORD).await;
    let wrong = login_with(&app, BRENNAN, "not the password").await;
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(
        without_request_id(unknown.expect_error(401)),
        without_request_id(wrong.expect_error(401))
    );
}

#[actix_web::test]
async fn password_guesses_per_account_are_throttled_until_the_window_ends() {
    let app = spawn_app_with(|c| {
        c.auth.throttle_attempts_per_account = 3;
        c.auth.throttle_window_seconds = 60;
    })
    .await;
    for _ in 0..3 {
        login_with(&app, BRENNAN, "guess").await.expect_error(401);
    }
    // Even the right password is refused now, before any hashing, after the tarpit delay.
    let started = std::time::Instant::now();
    let r = login_with(&app, BRENNAN, PASSWORD).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    let b = r.expect_error(429);
    assert_eq!(b["name"], "TooManyRequests");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(b["context"]["retryAfterSeconds"], wait);
    // Another account is not affected.
    login_with(&app, DALE, PASSWORD).await.ok();
    // The window ends (on the sandbox clock) and the right password works again.
    app.advance_clock(61);
    login_with(&app, BRENNAN, PASSWORD).await.ok();
}

#[actix_web::test]
async fn a_successful_login_clears_the_count() {
    let app = spawn_app_with(|c| c.auth.throttle_attempts_per_account = 3).await;
    for _ in 0..2 {
        login_with(&app, BRENNAN, "guess").await.expect_error(401);
    }
    login_with(&app, BRENNAN, PASSWORD).await.ok();
    for _ in 0..2 {
        login_with(&app, BRENNAN, "guess").await.expect_error(401);
    }
    login_with(&app, BRENNAN, PASSWORD).await.ok();
}

#[actix_web::test]
async fn one_address_guessing_many_accounts_is_throttled() {
    let app = spawn_app_with(|c| {
        c.auth.throttle_attempts_per_account = 100;
        c.auth.throttle_attempts_per_address = 3;
    })
    .await;
    for i in 0..3 {
        login_with(&app, &format!("guess{i}@prestige-worldwide.test"), "x")
            .await
            .expect_error(401);
    }
    login_with(&app, SERVICE, "x").await.expect_error(429);
}

#[actix_web::test]
async fn verifypassword_guesses_are_throttled_too() {
    let app = spawn_app_with(|c| c.auth.throttle_attempts_per_account = 2).await;
    let login = app.login(BRENNAN).await;
    for _ in 0..2 {
        let b = app
            .post(
                "/api/v2/user/verifypassword",
                json!({"password": "guess"}),
                Auth::Raw(login.clone()),
            )
            .await
            .ok();
        assert_eq!(b["valid"], false);
    }
    app.post(
        "/api/v2/user/verifypassword",
        json!({"password": PASSWORD}),
        Auth::Raw(login.clone()),
    )
    .await
    .expect_error(429);
    // Logging in as the same account is refused as well: one budget per account.
    login_with(&app, BRENNAN, PASSWORD).await.expect_error(429);
}

#[actix_web::test]
async fn unlock_otp_guesses_are_throttled() {
    let app = spawn_app_with(|c| c.auth.throttle_attempts_per_account = 2).await;
    let login = app.login(BRENNAN).await;
    for _ in 0..2 {
        app.post(
            "/api/v2/user/unlock",
            json!({"otp": "123456"}),
            Auth::Raw(login.clone()),
        )
        .await
        .expect_error(401);
    }
    app.post(
        "/api/v2/user/unlock",
        json!({"otp": "000000"}),
        Auth::Raw(login),
    )
    .await
    .expect_error(429);
}

#[actix_web::test]
async fn an_inactive_user_can_neither_log_in_nor_use_a_token() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let api = app.token_with(&["profile"]).await;
    // Deactivated by a seeding fixture that names Brennan as he is, but inactive.
    let me = app
        .get("/api/v2/user/me", Auth::Raw(login.clone()))
        .await
        .ok();
    let name = &me["user"]["name"];
    app.seed(json!({"users": [{
        "email": BRENNAN, "firstName": name["first"], "lastName": name["last"],
        "password": PASSWORD, "active": false,
    }]}));
    let b = login_with(&app, BRENNAN, PASSWORD).await.expect_error(401);
    assert_eq!(b["context"]["reason"], "user_inactive");
    for auth in [
        Auth::Raw(login.clone()),
        Auth::V2(login.clone()),
        Auth::V3(api.clone()),
    ] {
        let r = app.get("/api/v2/user/me", auth).await;
        let b = r.expect_error(401);
        assert_eq!(b["context"]["reason"], "user_inactive");
        assert_eq!(r.header("x-auth-required").as_deref(), Some("true"));
    }
    // A wrong password for an inactive user is still just a wrong password.
    let b = login_with(&app, BRENNAN, "guess").await.expect_error(401);
    assert_eq!(b["context"]["reason"], "invalid_credentials");
}
