//! Creating access tokens, and every refusal.

use serde_json::json;

use crate::helpers::*;

#[actix_web::test]
async fn all_three_create_routes_work_and_the_token_is_only_in_the_create_reply() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let mut ids = Vec::new();
    for path in [
        "/api/auth/v1/accesstoken",
        "/api/v1/user/accesstoken",
        "/api/v2/user/accesstoken",
    ] {
        let t = app
            .post(
                path,
                json!({"label": path, "scope": ["profile"], "otp": "000000"}),
                Auth::Raw(login.clone()),
            )
            .await
            .ok();
        assert!(t["token"].as_str().unwrap().starts_with("v2x"), "{path}");
        ids.push(t["id"].as_str().unwrap().to_string());
    }
    let listed = app.listed_tokens(&login).await;
    assert_eq!(listed.len(), 3);
    for t in listed {
        assert!(t.get("token").is_none());
        assert!(ids.contains(&t["id"].as_str().unwrap().to_string()));
    }
}

#[actix_web::test]
async fn unknown_scope_is_a_400_naming_it() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let b = app
        .post(
            "/api/v2/user/accesstoken",
            json!({"label": "x", "scope": ["profile", "wallet_teleport"], "otp": "000000"}),
            Auth::Raw(login),
        )
        .await
        .expect_error(400);
    let msg = b["error"].as_str().unwrap();
    assert!(
        msg.contains("invalid scope") && msg.contains("wallet_teleport"),
        "{msg}"
    );
}

#[actix_web::test]
async fn bad_create_requests_are_400s_and_create_nothing() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let cases = [
        (json!({"scope": ["profile"], "otp": "000000"}), "label"),
        (
            json!({"label": "", "scope": ["profile"], "otp": "000000"}),
            "label",
        ),
        (json!({"label": "x", "otp": "000000"}), "scope"),
        (json!({"label": "x", "scope": [], "otp": "000000"}), "scope"),
        (
            json!({"label": "x", "scope": "profile", "otp": "000000"}),
            "scope",
        ),
        (
            json!({"label": "x", "scope": ["user_manage"], "otp": "000000"}),
            "user_manage",
        ),
        (
            json!({"label": "x", "scope": ["profile"], "duration": 315_360_001, "otp": "000000"}),
            "duration",
        ),
        (
            json!({"label": "x", "scope": ["profile"], "duration": "soon", "otp": "000000"}),
            "duration",
        ),
        (
            json!({"label": "x", "scope": ["profile"], "ipRestrict": ["10.0.0.0/8"], "otp": "000000"}),
            "/24",
        ),
        (
            json!({"label": "x", "scope": ["profile"], "ipRestrict": ["not-an-ip"], "otp": "000000"}),
            "not-an-ip",
        ),
        (
            json!({"label": "x", "scope": ["profile"], "enterprise": "zz", "otp": "000000"}),
            "enterprise",
        ),
    ];
    for (body, needle) in cases {
        let b = app
            .post(
                "/api/v2/user/accesstoken",
                body.clone(),
                Auth::Raw(login.clone()),
            )
            .await
            .expect_error(400);
        assert!(
            b["error"].as_str().unwrap().contains(needle),
            "{body} -> {b}"
        );
    }
    assert!(app.listed_tokens(&login).await.is_empty());
}

#[actix_web::test]
async fn ten_years_is_the_longest_duration() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    app.create_token(&login, &["profile"], json!({"duration": 315_360_000}))
        .await;
}

#[actix_web::test]
async fn otp_is_needed_once_the_session_is_locked() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    app.post("/api/v2/user/lock", json!({}), Auth::Raw(login.clone()))
        .await
        .ok();
    let body = json!({"label": "x", "scope": ["profile"]});
    let b = app
        .post(
            "/api/v2/user/accesstoken",
            body.clone(),
            Auth::Raw(login.clone()),
        )
        .await
        .expect_error(401);
    assert_eq!(b["needsOTP"], true);
    let mut with_bad = body.clone();
    with_bad["otp"] = json!("111111");
    let b = app
        .post(
            "/api/v2/user/accesstoken",
            with_bad,
            Auth::Raw(login.clone()),
        )
        .await
        .expect_error(401);
    assert!(b["error"].as_str().unwrap().contains("invalid"));
    let mut with_good = body;
    with_good["otp"] = json!("0000000");
    app.post("/api/v2/user/accesstoken", with_good, Auth::Raw(login))
        .await
        .ok();
}

#[actix_web::test]
async fn a_wrong_otp_is_refused_even_while_unlocked() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let b = app
        .post(
            "/api/v2/user/accesstoken",
            json!({"label": "x", "scope": ["profile"], "otp": "123456"}),
            Auth::Raw(login),
        )
        .await
        .expect_error(401);
    assert_eq!(b["needsOTP"], true);
}

#[actix_web::test]
async fn a_long_lived_token_cannot_create_tokens() {
    let app = spawn_app().await;
    let token = app.token_with(&["profile", "enterprise_manage_all"]).await;
    let b = app
        .post(
            "/api/v2/user/accesstoken",
            json!({"label": "x", "scope": ["profile"], "otp": "000000"}),
            Auth::Raw(token),
        )
        .await
        .expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("login"));
}

#[actix_web::test]
async fn token_bound_to_an_enterprise_must_be_a_members() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let t = app
        .create_token(
            &login,
            &["enterprise_view_all"],
            json!({"enterprise": app.demo.enterprise_id}),
        )
        .await;
    assert_eq!(t["enterprise"], app.demo.enterprise_id.as_str());
    app.post(
        "/api/v2/user/accesstoken",
        json!({"label": "x", "scope": ["profile"], "otp": "000000", "enterprise": "f".repeat(32)}),
        Auth::Raw(login),
    )
    .await
    .expect_error(403);
}

#[actix_web::test]
async fn tx_value_limit_shows_as_unlock() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let t = app
        .create_token(&login, &["wallet_spend_all"], json!({"txValueLimit": 1000}))
        .await;
    assert_eq!(t["unlock"]["txValueLimit"], 1000);
    let plain = app.create_token(&login, &["profile"], json!({})).await;
    assert!(plain.get("unlock").is_none());
}
