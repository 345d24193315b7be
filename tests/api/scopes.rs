//! A long-lived token never carries more than the session that made it, routes that touch
//! credentials need a login session, and create-token input is bounded.

use serde_json::{json, Value};

use crate::helpers::*;

fn scopes_of(doc: &Value) -> Vec<String> {
    doc["scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

async fn create(app: &TestApp, login: &str, body: Value) -> Resp {
    app.post("/api/v2/user/accesstoken", body, Auth::Raw(login.into()))
        .await
}

#[actix_web::test]
async fn all_is_expanded_to_what_the_login_session_may_hand_out() {
    let app = spawn_app().await;
    let login = app.login_reply(BRENNAN).await;
    let session_scopes = scopes_of(&login);
    let token = app
        .create_token(login["access_token"].as_str().unwrap(), &["all"], json!({}))
        .await;
    let granted = scopes_of(&token);
    assert!(!granted.contains(&"all".to_string()));
    for login_only in [
        "user_manage",
        "openid_enterprises",
        "third_party_user_lookup",
    ] {
        assert!(!granted.contains(&login_only.to_string()), "{login_only}");
    }
    assert!(granted.iter().all(|s| session_scopes.contains(s)));
    assert_eq!(granted.len(), session_scopes.len() - 3);
    // The token cannot reach what needs user_manage.
    let raw = token["token"].as_str().unwrap().to_string();
    let b = app
        .get("/api/v2/user/accesstoken", Auth::Raw(raw))
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "user_manage");
}

#[actix_web::test]
async fn a_scope_the_session_does_not_hold_is_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    for scope in ["auditlogs_view_all", "trade_fix", "wallet_stake_all"] {
        let b = create(
            &app,
            &login,
            json!({"label": "x", "scope": ["profile", scope], "otp": "000000"}),
        )
        .await
        .expect_error(400);
        let msg = b["error"].as_str().unwrap();
        assert!(msg.contains(scope) && msg.contains("not held"), "{msg}");
    }
    assert!(app.listed_tokens(&login).await.is_empty());
    // A narrower form of a held `_all` scope may be handed out.
    let t = app
        .create_token(&login, &["wallet_view_enterprise"], json!({}))
        .await;
    assert_eq!(scopes_of(&t), ["wallet_view_enterprise"]);
}

#[actix_web::test]
async fn a_token_stored_with_all_never_grants_user_manage() {
    let app = spawn_app().await;
    // As a data directory written before `all` was expanded would hold it: a seeding fixture
    // stores a token's scope names as given.
    let report = app.seed(json!({"tokens": [{"user": BRENNAN, "label": "old", "scope": ["all"]}]}));
    let raw = report["tokens"][0]["token"].as_str().unwrap().to_string();
    let id = report["tokens"][0]["id"].as_str().unwrap();
    assert_eq!(
        app.text(&format!(
            "SELECT scope FROM access_tokens WHERE id = '{id}'"
        )),
        "all",
        "the arrangement: a token stored with `all`"
    );
    app.get("/api/v2/user/me", Auth::Raw(raw.clone()))
        .await
        .ok();
    let b = app
        .post(
            "/api/v2/user/verifypassword",
            json!({"password": PASSWORD}),
            Auth::Raw(raw),
        )
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "user_manage");
}

#[actix_web::test]
async fn a_leaked_narrow_token_can_neither_guess_the_password_nor_revoke_other_tokens() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let other = app.create_token(&login, &["profile"], json!({})).await;
    let leaked = app
        .create_token(&login, &["crypto_compare"], json!({}))
        .await;
    let leaked_raw = leaked["token"].as_str().unwrap().to_string();
    let auth = Auth::Raw(leaked_raw.clone());

    let b = app
        .post(
            "/api/v2/user/verifypassword",
            json!({"password": PASSWORD}),
            auth.clone(),
        )
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "user_manage");
    app.get("/api/v2/user/accesstoken", auth.clone())
        .await
        .expect_error(403);
    let other_path = format!("/api/v2/user/accesstoken/{}", other["id"].as_str().unwrap());
    app.send(Req::delete(&other_path).auth(auth.clone()))
        .await
        .expect_error(403);
    assert_eq!(app.listed_tokens(&login).await.len(), 2, "nothing revoked");

    // A token may always revoke itself.
    let own_path = format!(
        "/api/v2/user/accesstoken/{}",
        leaked["id"].as_str().unwrap()
    );
    app.send(Req::delete(&own_path).auth(auth.clone()))
        .await
        .ok();
    app.get("/api/v2/user/me", Auth::Raw(leaked_raw))
        .await
        .expect_error(401);
}

#[actix_web::test]
async fn login_sessions_are_not_revoked_through_the_access_token_route() {
    let app = spawn_app().await;
    let first = app.login_reply(BRENNAN).await;
    let second = app.login(BRENNAN).await;
    let path = format!(
        "/api/v2/user/accesstoken/{}",
        first["token_id"].as_str().unwrap()
    );
    app.send(Req::delete(&path).auth(Auth::Raw(second)))
        .await
        .expect_error(404);
    app.get(
        "/api/v2/user/me",
        Auth::Raw(first["access_token"].as_str().unwrap().into()),
    )
    .await
    .ok();
}

#[actix_web::test]
async fn create_token_input_is_bounded_with_the_field_and_limit_named() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let many: Vec<String> = (0..101).map(|i| format!("s{i}")).collect();
    let cases = [
        (json!({"scope": many}), "100"),
        (
            json!({"scope": ["profile", "trade_view", "profile"]}),
            "profile",
        ),
        (
            json!({"scope": ["profile"], "ipRestrict": (0..51).map(|i| format!("10.0.0.{i}")).collect::<Vec<_>>()}),
            "50",
        ),
        (
            json!({"scope": ["profile"], "ipRestrict": ["1".repeat(65)]}),
            "64",
        ),
        (
            json!({"scope": ["profile"], "label": "x".repeat(257)}),
            "256",
        ),
    ];
    for (extra, named) in cases {
        let mut body = json!({"label": "bounded", "otp": "000000"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let b = create(&app, &login, body).await.expect_error(400);
        assert!(b["error"].as_str().unwrap().contains(named), "{b}");
    }
    assert!(app.listed_tokens(&login).await.is_empty());
}

#[actix_web::test]
async fn live_tokens_per_user_are_capped_even_under_concurrent_creates() {
    let app = spawn_app_with(|c| c.auth.max_live_tokens_per_user = 3).await;
    let login = app.login(BRENNAN).await;
    let creates = (0..8).map(|i| {
        create(
            &app,
            &login,
            json!({"label": format!("t{i}"), "scope": ["profile"], "otp": "000000"}),
        )
    });
    let replies = futures_util::future::join_all(creates).await;
    let created = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(created, 3);
    for r in replies.iter().filter(|r| r.status != 200) {
        let b = r.expect_error(400);
        assert!(b["error"].as_str().unwrap().contains("at most 3"), "{b}");
    }
    let listed = app.listed_tokens(&login).await;
    assert_eq!(listed.len(), 3);
    // Deleting one makes room again.
    let path = format!(
        "/api/v2/user/accesstoken/{}",
        listed[0]["id"].as_str().unwrap()
    );
    app.send(Req::delete(&path).auth(Auth::Raw(login.clone())))
        .await
        .ok();
    app.create_token(&login, &["profile"], json!({})).await;
}
