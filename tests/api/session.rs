//! The user object and the session: me, user/{id}, session, logout, unlock/lock,
//! verifypassword, constants, ping.

use orgbox::auth::password::sdk_form;
use serde_json::json;

use crate::helpers::*;

#[actix_web::test]
async fn me_on_v1_and_v2_returns_the_user_with_memberships() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    for path in [
        "/api/v1/user/me",
        "/api/v2/user/me",
        "/api/v2/user/me?expand=true",
    ] {
        let user = app.get(path, Auth::Raw(token.clone())).await.ok()["user"].clone();
        assert_eq!(user["username"], BRENNAN);
        assert_eq!(user["name"]["full"], "Brennan Huff");
        assert_eq!(
            user["enterprises"][0]["id"],
            app.demo.enterprise_id.as_str()
        );
        assert_eq!(user["enterprises"][0]["permissions"], json!(["admin"]));
        assert_eq!(
            user["organizations"][0]["id"],
            app.demo.organization_id.as_str()
        );
        assert_eq!(user["organizations"][0]["role"], "admin");
    }
}

#[actix_web::test]
async fn roles_of_the_demo_users_show_on_the_user_object() {
    let app = spawn_app().await;
    for (email, role) in [(DALE, "member"), (SERVICE, "serviceUser")] {
        let token = app.login(email).await;
        let user = app.get("/api/v2/user/me", Auth::Raw(token)).await.ok()["user"].clone();
        assert_eq!(user["organizations"][0]["role"], role, "{email}");
        assert_eq!(user["enterprises"][0]["permissions"], json!(["admin"]));
    }
}

#[actix_web::test]
async fn user_by_id_me_or_username_and_not_others() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let me = app
        .get("/api/v2/user/me", Auth::Raw(token.clone()))
        .await
        .ok();
    let id = me["user"]["id"].as_str().unwrap();
    for who in [id, BRENNAN] {
        let user = app
            .get(&format!("/api/v2/user/{who}"), Auth::Raw(token.clone()))
            .await
            .ok();
        assert_eq!(user["user"]["id"], id);
    }
    let other = app.login_reply(DALE).await["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.get(&format!("/api/v1/user/{other}"), Auth::Raw(token))
        .await
        .expect_error(404);
}

#[actix_web::test]
async fn me_needs_the_profile_scope() {
    let app = spawn_app().await;
    let token = app.token_with(&["enterprise_view_all"]).await;
    let b = app
        .get("/api/v2/user/me", Auth::Raw(token))
        .await
        .expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("profile"));
}

#[actix_web::test]
async fn session_returns_the_calling_tokens_document() {
    let app = spawn_app().await;
    let login = app.login_reply(BRENNAN).await;
    let token = login["access_token"].as_str().unwrap().to_string();
    let s = app.get("/api/v2/user/session", Auth::Raw(token)).await.ok()["session"].clone();
    assert_eq!(s["id"], login["token_id"]);
    assert_eq!(s["user"], login["user"]["id"]);
    assert_eq!(s["isExtensible"], false);
    assert_eq!(s["scope"], login["scope"]);
    assert!(s.get("token").is_none());
    assert!(
        s["unlock"]["expires"].is_string(),
        "login with an OTP unlocks: {s}"
    );
}

#[actix_web::test]
async fn logout_stops_the_token() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    assert_eq!(
        app.get("/api/v1/user/logout", Auth::Raw(token.clone()))
            .await
            .ok(),
        json!({})
    );
    let r = app.get("/api/v2/user/me", Auth::Raw(token.clone())).await;
    r.expect_error(401);
    assert_eq!(r.header("x-auth-required").as_deref(), Some("true"));
    app.get("/api/v2/user/logout", Auth::Raw(token))
        .await
        .expect_error(401);
}

#[actix_web::test]
async fn unlock_with_an_otp_and_lock_again() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let locked = app
        .post("/api/v2/user/lock", json!({}), Auth::Raw(token.clone()))
        .await
        .ok();
    assert!(locked["session"].get("unlock").is_none(), "{locked}");
    let r = app
        .post(
            "/api/v1/user/unlock",
            json!({"otp": "000000", "duration": 3600}),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    let unlock = &r["session"]["unlock"];
    let from = chrono::DateTime::parse_from_rfc3339(unlock["time"].as_str().unwrap()).unwrap();
    let to = chrono::DateTime::parse_from_rfc3339(unlock["expires"].as_str().unwrap()).unwrap();
    assert_eq!((to - from).num_seconds(), 3600);
}

#[actix_web::test]
async fn lock_without_a_body_works_as_the_sdk_sends_it() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let r = app
        .send(Req::post("/api/v1/user/lock").auth(Auth::V2(token)))
        .await;
    assert!(r.ok()["session"]["id"].is_string());
}

#[actix_web::test]
async fn unlock_refuses_long_durations_and_bad_otps() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    let b = app
        .post(
            "/api/v2/user/unlock",
            json!({"otp": "000000", "duration": 3601}),
            Auth::Raw(token.clone()),
        )
        .await
        .expect_error(400);
    assert!(b["error"].as_str().unwrap().contains("3600"));
    let b = app
        .post(
            "/api/v2/user/unlock",
            json!({"otp": "999999"}),
            Auth::Raw(token.clone()),
        )
        .await
        .expect_error(401);
    assert_eq!(b["needsOTP"], true);
    let b = app
        .post(
            "/api/v2/user/unlock",
            json!({"duration": 60}),
            Auth::Raw(token),
        )
        .await
        .expect_error(401);
    assert_eq!(b["needsOTP"], true);
}

#[actix_web::test]
async fn unlock_expires_with_the_sandbox_clock() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    app.post(
        "/api/v2/user/unlock",
        json!({"otp": "000000", "duration": 60}),
        Auth::Raw(token.clone()),
    )
    .await
    .ok();
    app.advance_clock(61);
    let s = app.get("/api/v2/user/session", Auth::Raw(token)).await.ok();
    assert!(s["session"].get("unlock").is_none(), "{s}");
}

#[actix_web::test]
async fn verify_password_accepts_plain_and_sdk_forms() {
    let app = spawn_app().await;
    let token = app.login(BRENNAN).await;
    for (password, valid) in [
        (PASSWORD.to_string(), true),
        (sdk_form(BRENNAN, PASSWORD), true),
        ("wrong".to_string(), false),
        (sdk_form(BRENNAN, "wrong"), false),
    ] {
        let r = app
            .post(
                "/api/v1/user/verifypassword",
                json!({"password": password}),
                Auth::Raw(token.clone()),
            )
            .await
            .ok();
        assert_eq!(r["valid"], valid);
    }
    app.post("/api/v2/user/verifypassword", json!({}), Auth::Raw(token))
        .await
        .expect_error(400);
}

#[actix_web::test]
async fn constants_and_ping_need_no_token() {
    let app = spawn_app().await;
    let c = app.get("/api/v1/client/constants", Auth::None).await.ok();
    assert_eq!(c["ttl"], 3600);
    assert!(c["constants"].is_object());
    let p = app.get("/api/v1/ping", Auth::None).await.ok();
    assert_eq!(p["status"], "service is ok!");
}

#[actix_web::test]
async fn routes_that_need_a_token_refuse_without_one() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/user/me",
        "/api/v2/user/session",
        "/api/v2/user/logout",
        "/api/v2/user/accesstoken",
        "/api/v2/enterprise",
    ] {
        let r = app.get(path, Auth::None).await;
        let b = r.expect_error(401);
        assert_eq!(b["context"]["reason"], "missing_token", "{path}");
        assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer"));
    }
}
