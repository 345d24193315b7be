//! Concurrent check-then-write: each rule holds when requests race.

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::*;

#[actix_web::test]
async fn concurrent_deletes_of_one_token_succeed_exactly_once() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let t = app.create_token(&login, &["profile"], json!({})).await;
    let path = format!("/api/v2/user/accesstoken/{}", t["id"].as_str().unwrap());
    let replies =
        join_all((0..8).map(|_| app.send(Req::delete(&path).auth(Auth::Raw(login.clone()))))).await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let not_found = replies.iter().filter(|r| r.status == 404).count();
    assert_eq!((ok, not_found), (1, 7));
}

#[actix_web::test]
async fn concurrent_creates_all_land_with_distinct_tokens() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let replies = join_all((0..10).map(|i| {
        app.post(
            "/api/v2/user/accesstoken",
            json!({"label": format!("t{i}"), "scope": ["profile"], "otp": "000000"}),
            Auth::Raw(login.clone()),
        )
    }))
    .await;
    let mut tokens: Vec<String> = replies
        .iter()
        .map(|r| r.ok()["token"].as_str().unwrap().to_string())
        .collect();
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 10);
    assert_eq!(app.listed_tokens(&login).await.len(), 10);
}

#[actix_web::test]
async fn logout_racing_a_read_leaves_the_token_revoked() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let (logout, me) = futures_util::future::join(
        app.get("/api/v2/user/logout", Auth::Raw(login.clone())),
        app.get("/api/v2/user/me", Auth::Raw(login.clone())),
    )
    .await;
    assert_eq!(logout.status, 200, "{:?}", logout.json());
    // The read ran before the logout (the user) or after it (the revoked token's 401).
    match me.status {
        200 => assert!(me.json()["user"]["id"].is_string(), "{:?}", me.json()),
        _ => assert_eq!(
            me.expect_error(401)["context"]["reason"],
            "token_revoked",
            "a read racing the logout"
        ),
    }
    app.get("/api/v2/user/me", Auth::Raw(login))
        .await
        .expect_error(401);
}
