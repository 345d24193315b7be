//! Using access tokens after creation: list with paging, delete, expiry, IP restriction.

use serde_json::{json, Value};

use crate::helpers::*;

#[actix_web::test]
async fn list_pages_with_limit_and_prev_id_both_ways() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(
            app.create_token(&login, &["profile"], json!({})).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids.sort();
    let page = |q: String| {
        let app = &app;
        let login = login.clone();
        async move {
            app.get(&format!("/api/v2/user/accesstoken?{q}"), Auth::Raw(login))
                .await
                .ok()
        }
    };
    let ids_of = |v: &Value| -> Vec<String> {
        v["accessTokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    let first = page("limit=2".into()).await;
    assert_eq!(ids_of(&first), ids[..2]);
    let next = first["nextBatchPrevId"].as_str().unwrap().to_string();
    let second = page(format!("limit=2&prevId={next}")).await;
    assert_eq!(ids_of(&second), ids[2..4]);
    let third = page(format!(
        "limit=2&prevId={}",
        second["nextBatchPrevId"].as_str().unwrap()
    ))
    .await;
    assert_eq!(ids_of(&third), ids[4..]);
    assert!(third.get("nextBatchPrevId").is_none());
    let desc = page("sort=DESC&limit=3".into()).await;
    let mut reversed = ids.clone();
    reversed.reverse();
    assert_eq!(ids_of(&desc), reversed[..3]);
    app.get(
        "/api/v2/user/accesstoken?limit=201",
        Auth::Raw(login.clone()),
    )
    .await
    .expect_error(400);
    app.get(
        "/api/v2/user/accesstoken?limit=abc",
        Auth::Raw(login.clone()),
    )
    .await
    .expect_error(400);
    app.get("/api/v2/user/accesstoken?sort=UP", Auth::Raw(login))
        .await
        .expect_error(400);
}

#[actix_web::test]
async fn expired_and_revoked_tokens_are_left_out_of_the_list() {
    let app = spawn_app_with(|c| c.auth.login_token_seconds = 100_000).await;
    let login = app.login(BRENNAN).await;
    let short = app
        .create_token(&login, &["profile"], json!({"duration": 60}))
        .await;
    let long = app
        .create_token(&login, &["profile"], json!({"duration": 86400}))
        .await;
    let gone = app.create_token(&login, &["profile"], json!({})).await;
    app.send(
        Req::delete(&format!(
            "/api/v2/user/accesstoken/{}",
            gone["id"].as_str().unwrap()
        ))
        .auth(Auth::Raw(login.clone())),
    )
    .await
    .ok();
    app.advance_clock(61);
    let ids: Vec<Value> = app
        .listed_tokens(&login)
        .await
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    assert_eq!(ids, vec![long["id"].clone()]);
    let r = app
        .get(
            "/api/v2/user/me",
            Auth::Raw(short["token"].as_str().unwrap().into()),
        )
        .await;
    let b = r.expect_error(401);
    assert_eq!(b["context"]["reason"], "token_expired");
    assert_eq!(r.header("x-auth-required").as_deref(), Some("true"));
}

#[actix_web::test]
async fn delete_revokes_returns_the_expired_document_and_is_not_repeatable() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let t = app.create_token(&login, &["profile"], json!({})).await;
    let id = t["id"].as_str().unwrap();
    let token = t["token"].as_str().unwrap().to_string();
    app.get("/api/v2/user/me", Auth::Raw(token.clone()))
        .await
        .ok();
    let path = format!("/api/v1/user/accesstoken/{id}");
    let doc = app
        .send(Req::delete(&path).auth(Auth::V2(login.clone())))
        .await
        .ok();
    assert_eq!(doc["id"], id);
    assert!(doc.get("token").is_none());
    let expires = chrono::DateTime::parse_from_rfc3339(doc["expires"].as_str().unwrap()).unwrap();
    assert!(
        (chrono::Utc::now() - expires.with_timezone(&chrono::Utc))
            .num_seconds()
            .abs()
            < 5
    );
    let r = app.get("/api/v2/user/me", Auth::Raw(token)).await;
    assert_eq!(r.expect_error(401)["context"]["reason"], "token_revoked");
    app.send(Req::delete(&path).auth(Auth::Raw(login.clone())))
        .await
        .expect_error(404);
    app.send(Req::delete("/api/v2/user/accesstoken/nope").auth(Auth::Raw(login)))
        .await
        .expect_error(400);
}

#[actix_web::test]
async fn a_user_cannot_delete_or_see_another_users_token() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let dale = app.login(DALE).await;
    let t = app.create_token(&brennan, &["profile"], json!({})).await;
    app.send(
        Req::delete(&format!(
            "/api/v2/user/accesstoken/{}",
            t["id"].as_str().unwrap()
        ))
        .auth(Auth::Raw(dale.clone())),
    )
    .await
    .expect_error(404);
    assert!(app.listed_tokens(&dale).await.is_empty());
}

#[actix_web::test]
async fn ip_restricted_token_is_refused_from_elsewhere() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let here = app
        .create_token(
            &login,
            &["profile"],
            json!({"ipRestrict": ["127.0.0.0/24"]}),
        )
        .await;
    app.get(
        "/api/v2/user/me",
        Auth::Raw(here["token"].as_str().unwrap().into()),
    )
    .await
    .ok();
    let there = app
        .create_token(&login, &["profile"], json!({"ipRestrict": ["203.0.113.7"]}))
        .await;
    let token = there["token"].as_str().unwrap().to_string();
    for auth in [
        Auth::Raw(token.clone()),
        Auth::V2(token.clone()),
        Auth::V3(token),
    ] {
        let b = app.get("/api/v2/user/me", auth).await.expect_error(401);
        assert!(b["error"].as_str().unwrap().contains("IP"), "{b}");
        assert_eq!(b["context"]["reason"], "ip_restricted");
    }
}

#[actix_web::test]
async fn forwarded_address_counts_only_from_a_trusted_proxy() {
    let app = spawn_app_with(|c| c.server.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let login = app.login(BRENNAN).await;
    let t = app
        .create_token(&login, &["profile"], json!({"ipRestrict": ["203.0.113.7"]}))
        .await;
    let token = t["token"].as_str().unwrap().to_string();
    let via_proxy = Req::get("/api/v2/user/me")
        .header("X-Forwarded-For", "203.0.113.7")
        .auth(Auth::Raw(token.clone()));
    app.send(via_proxy).await.ok();

    let untrusted = spawn_app().await;
    let login = untrusted.login(BRENNAN).await;
    let t = untrusted
        .create_token(&login, &["profile"], json!({"ipRestrict": ["203.0.113.7"]}))
        .await;
    let spoofed = Req::get("/api/v2/user/me")
        .header("X-Forwarded-For", "203.0.113.7")
        .auth(Auth::Raw(t["token"].as_str().unwrap().into()));
    untrusted.send(spoofed).await.expect_error(401);
}
