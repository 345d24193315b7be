//! Access tokens: create (and every refusal), list with paging, delete, expiry, IP restriction.

use serde_json::{json, Value};

use crate::helpers::*;

/// Seed 000 step 1: the curl body as written (comments, quoted duration, no otp).
fn seed_curl_body(duration: &str, label: &str, ip: &str) -> String {
    format!(
        r#"{{
  "scope": [
    "pending_approval_update", # Update pending approvals
    "profile", # View your BitGo profile
    "settlement_network_read", # Enables partners engage in allocations with clients
    "settlement_network_write", # Enables partners engage in allocations with clients
    "trade_trade", # Make trades
    "trade_view", # View trades
    "wallet_approve_all", # Approve transactions for all wallets
    "wallet_create", # Create wallets
    "wallet_edit_all", # Edit comments for all wallets
    "wallet_freeze_all", # Freeze all wallets
    "wallet_manage_all", # Manage settings for all wallets (required to use webhooks)
    "enterprise_view_all", # View child enterprises
    "enterprise_manage_all", # Manage users and settings for child enterprises
    "wallet_spend_all", # Send transactions from a wallet
    "wallet_view_all" # View transactions for all wallets
  ],
  "duration": "{duration}",
  "label": "{label}",
  "ipRestrict": ["{ip}"]
}}"#
    )
}

#[actix_web::test]
async fn seed_curl_creates_a_long_lived_token_right_after_login() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let body = seed_curl_body("157788000", "CaaS long-lived token", "127.0.0.1");
    let r = app
        .send(
            Req::post("/api/v2/user/accesstoken")
                .raw(body.as_bytes(), "application/json")
                .auth(Auth::Raw(login)),
        )
        .await;
    let t = r.ok();
    for field in [
        "id",
        "client",
        "user",
        "scope",
        "created",
        "expires",
        "ip",
        "ipRestrict",
        "origin",
        "label",
        "isExtensible",
        "organizations",
        "oauth",
        "token",
    ] {
        assert!(t.get(field).is_some(), "{field} missing: {t}");
    }
    assert_eq!(t["scope"].as_array().unwrap().len(), 15);
    assert_eq!(t["ipRestrict"], json!(["127.0.0.1"]));
    assert_eq!(t["isExtensible"], false);
    assert_eq!(t["organizations"], json!([app.demo.organization_id]));
    let created = chrono::DateTime::parse_from_rfc3339(t["created"].as_str().unwrap()).unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(t["expires"].as_str().unwrap()).unwrap();
    assert_eq!((expires - created).num_seconds(), 157_788_000);
    // Seed 000 step 3 with the new token: GET the enterprise and read organizationId.
    let token = t["token"].as_str().unwrap().to_string();
    let e = app
        .send(
            Req::get(&format!("/api/v2/enterprise/{}", app.demo.enterprise_id))
                .header("Content-Type", "application/json")
                .auth(Auth::Raw(token)),
        )
        .await
        .ok();
    assert_eq!(e["name"], "Prestige Worldwide");
    assert_eq!(e["organizationId"], app.demo.organization_id.as_str());
}

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
    let list = app
        .get("/api/v2/user/accesstoken", Auth::Raw(login))
        .await
        .ok();
    let listed: Vec<&Value> = list["accessTokens"].as_array().unwrap().iter().collect();
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
    let list = app
        .get("/api/v2/user/accesstoken", Auth::Raw(login))
        .await
        .ok();
    assert_eq!(list["accessTokens"], json!([]));
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
    let list = app
        .get("/api/v2/user/accesstoken", Auth::Raw(login))
        .await
        .ok();
    let ids: Vec<&Value> = list["accessTokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["id"])
        .collect();
    assert_eq!(ids, vec![&long["id"]]);
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
    let list = app
        .get("/api/v2/user/accesstoken", Auth::Raw(dale))
        .await
        .ok();
    assert_eq!(list["accessTokens"], json!([]));
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
