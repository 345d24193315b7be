//! Named sandboxes under `/s/{name}/...`: create, list, delete, isolation under parallel load,
//! signed requests through the prefix, idle close and reopen, and reset round trips.

use serde_json::{json, Value};

use crate::helpers::*;

/// Creates sandbox `name` (from the template, or `snapshot`); returns its view.
pub async fn create_sandbox(app: &TestApp, name: &str, snapshot: Option<&str>) -> Value {
    let mut body = json!({ "name": name });
    if let Some(s) = snapshot {
        body["snapshot"] = json!(s);
    }
    let r = app.post("/sandbox/sandboxes", body, Auth::None).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    r.json()["sandbox"].clone()
}

/// Logs in as `email` inside the sandbox at `base` (`""` or `/s/name`); returns the token.
pub async fn login_in(app: &TestApp, base: &str, email: &str) -> String {
    app.post(
        &format!("{base}/api/v2/user/login"),
        json!({"email": email, "password": PASSWORD, "otp": "000000"}),
        Auth::None,
    )
    .await
    .ok()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A long-lived token made in the sandbox at `base`.
pub async fn token_in(app: &TestApp, base: &str, label: &str, duration: i64) -> Value {
    let login = login_in(app, base, BRENNAN).await;
    app.post(
        &format!("{base}/api/v2/user/accesstoken"),
        json!({"label": label, "scope": ["profile"], "duration": duration, "otp": "000000"}),
        Auth::Raw(login),
    )
    .await
    .ok()
}

/// The digest of the state of the sandbox at `base`.
pub async fn digest(app: &TestApp, base: &str) -> String {
    app.get(&format!("{base}/sandbox/digest"), Auth::None)
        .await
        .ok()["digest"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn labels(app: &TestApp, base: &str, token: &str) -> Vec<String> {
    let list = app
        .get(
            &format!("{base}/api/v2/user/accesstoken?limit=200"),
            Auth::Raw(token.into()),
        )
        .await
        .ok();
    list["accessTokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap_or("").to_string())
        .collect()
}

#[actix_web::test]
async fn a_named_sandbox_is_created_listed_used_with_signed_requests_and_deleted() {
    let app = spawn_app().await;
    let view = create_sandbox(&app, "ci-1", None).await;
    assert_eq!(view["basePath"], "/s/ci-1");
    assert_eq!(view["source"], "template");
    let list = app.get("/sandbox/sandboxes", Auth::None).await.ok();
    assert_eq!(list["count"], 1);
    assert_eq!(list["sandboxes"][0]["name"], "ci-1");

    // The demo world is there; v2 and v3 signatures cover the prefixed path.
    let login = login_in(&app, "/s/ci-1", BRENNAN).await;
    for auth in [
        Auth::V2(login.clone()),
        Auth::V3(login.clone()),
        Auth::Raw(login.clone()),
    ] {
        let r = app.get("/s/ci-1/api/v2/user/me", auth.clone()).await;
        let me = r.ok();
        assert_eq!(me["user"]["username"], BRENNAN);
        if let Auth::V2(t) = &auth {
            assert!(r.signature_is_valid(
                t,
                orgbox::auth::signing::AuthVersion::V2,
                "GET",
                "/s/ci-1/api/v2/user/me"
            ));
        }
    }
    // The token is the named sandbox's own: the default sandbox does not know it.
    app.get("/api/v2/user/me", Auth::Raw(login.clone()))
        .await
        .expect_error(401);
    // Health names the sandbox; the clock and the journal are its own.
    let h = app.get("/s/ci-1/sandbox/health", Auth::None).await.ok();
    assert_eq!(h["sandbox"], "ci-1");

    // Duplicate and bad names.
    let r = app
        .post("/sandbox/sandboxes", json!({"name": "ci-1"}), Auth::None)
        .await;
    assert_eq!(r.status, 409);
    for bad in ["", "../x", "a/b", ".hidden", &"x".repeat(65)] {
        let r = app
            .post("/sandbox/sandboxes", json!({"name": bad}), Auth::None)
            .await;
        assert_eq!(r.status, 400, "{bad:?}");
    }

    // Deleted: its paths are a 404 in the dialect's shape.
    let r = app.send(Req::delete("/sandbox/sandboxes/ci-1")).await;
    assert_eq!(r.status, 204);
    let gone = app.get("/s/ci-1/api/v2/user/me", Auth::Raw(login)).await;
    let b = gone.expect_error(404);
    assert!(b["error"].as_str().unwrap().contains("ci-1"), "{b}");
    let r = app.get("/s/nope/sandbox/health", Auth::None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "no_such_sandbox");
    assert_eq!(
        app.send(Req::delete("/sandbox/sandboxes/ci-1"))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn two_sandboxes_never_see_each_others_writes_under_parallel_load() {
    let app = spawn_app().await;
    create_sandbox(&app, "a", None).await;
    create_sandbox(&app, "b", None).await;
    let (ta, tb) = (
        login_in(&app, "/s/a", BRENNAN).await,
        login_in(&app, "/s/b", BRENNAN).await,
    );
    let write = |base: &'static str, token: String, i: usize| {
        let app = &app;
        async move {
            app.post(
                &format!("{base}/api/v2/user/accesstoken"),
                json!({"label": format!("{base}-{i}"), "scope": ["profile"], "duration": 3600, "otp": "000000"}),
                Auth::Raw(token),
            )
            .await
            .ok();
        }
    };
    let mut jobs = Vec::new();
    for i in 0..12 {
        jobs.push(Box::pin(write("/s/a", ta.clone(), i))
            as std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>);
        jobs.push(Box::pin(write("/s/b", tb.clone(), i)));
    }
    futures_util::future::join_all(jobs).await;
    let (la, lb) = (
        labels(&app, "/s/a", &ta).await,
        labels(&app, "/s/b", &tb).await,
    );
    assert_eq!(la.len(), 12, "{la:?}");
    assert_eq!(lb.len(), 12, "{lb:?}");
    assert!(la.iter().all(|l| l.starts_with("/s/a-")), "{la:?}");
    assert!(lb.iter().all(|l| l.starts_with("/s/b-")), "{lb:?}");
    // And the default sandbox saw none of it.
    let td = app.login(BRENNAN).await;
    assert!(labels(&app, "", &td).await.is_empty());
}

#[actix_web::test]
async fn idle_sandboxes_close_and_reopen_with_their_state() {
    let app = spawn_app_with(|c| c.sandbox.max_open = 2).await;
    let mut tokens = Vec::new();
    for i in 0..5 {
        let base = format!("/s/sb{i}");
        create_sandbox(&app, &format!("sb{i}"), None).await;
        let login = login_in(&app, &base, BRENNAN).await;
        let doc = app
            .post(
                &format!("{base}/api/v2/user/accesstoken"),
                json!({"label": format!("label-{i}"), "scope": ["profile"], "duration": 3600, "otp": "000000"}),
                Auth::Raw(login.clone()),
            )
            .await
            .ok();
        tokens.push((base, login, doc["token"].as_str().unwrap().to_string()));
    }
    let list = app.get("/sandbox/sandboxes", Auth::None).await.ok();
    assert!(list["open"].as_u64().unwrap() <= 2, "{list}");
    // Every one reopens on demand and still holds its own token.
    for (i, (base, login, _)) in tokens.iter().enumerate() {
        let labels = labels(&app, base, login).await;
        assert_eq!(labels, vec![format!("label-{i}")]);
    }
    // The clock survives a close.
    app.post(
        "/s/sb0/sandbox/clock",
        json!({"advanceSeconds": 7200}),
        Auth::None,
    )
    .await
    .ok();
    for (base, login, _) in &tokens[1..] {
        labels(&app, base, login).await;
    }
    let c = app.get("/s/sb0/sandbox/clock", Auth::None).await.ok();
    assert!(c["offsetMs"].as_i64().unwrap() >= 7_199_000, "{c}");
    // Clock-driven expiry: its one-hour token has expired there, and only there.
    let b = app
        .get("/s/sb0/api/v2/user/me", Auth::Raw(tokens[0].2.clone()))
        .await
        .expect_error(401);
    assert_eq!(b["context"]["reason"], "token_expired", "{b}");
    app.get("/s/sb1/api/v2/user/me", Auth::Raw(tokens[1].2.clone()))
        .await
        .ok();
}

#[actix_web::test]
async fn reset_brings_named_and_default_sandboxes_back_to_the_template() {
    let app = spawn_app().await;
    let fresh_default = digest(&app, "").await;
    create_sandbox(&app, "r", None).await;
    let fresh_named = digest(&app, "/s/r").await;
    assert_eq!(fresh_default, fresh_named, "both start as the template");

    token_in(&app, "/s/r", "x", 3600).await;
    token_in(&app, "", "y", 3600).await;
    app.post(
        "/s/r/sandbox/clock",
        json!({"advanceSeconds": 60, "freeze": true}),
        Auth::None,
    )
    .await
    .ok();
    assert_ne!(digest(&app, "/s/r").await, fresh_named);
    assert_ne!(digest(&app, "").await, fresh_default);

    let r = app
        .post("/s/r/sandbox/reset", json!({}), Auth::None)
        .await
        .ok();
    assert_eq!(r["sandbox"], "r");
    assert_eq!(digest(&app, "/s/r").await, fresh_named);
    let c = app.get("/s/r/sandbox/clock", Auth::None).await.ok();
    assert_eq!(c["frozen"], false);
    // The default one is untouched by the named reset, then reset itself.
    assert_ne!(digest(&app, "").await, fresh_default);
    app.post("/sandbox/reset", json!({}), Auth::None).await.ok();
    assert_eq!(digest(&app, "").await, fresh_default);
    // Logging in still works after the swap, and by the named path too.
    app.login(BRENNAN).await;
    app.post("/sandbox/sandboxes/r/reset", json!({}), Auth::None)
        .await
        .ok();
    login_in(&app, "/s/r", BRENNAN).await;
}

#[actix_web::test]
async fn mail_links_lead_back_into_the_named_sandbox() {
    let app = spawn_app().await;
    create_sandbox(&app, "inv", None).await;
    let base = "/s/inv";
    let brennan = login_in(&app, base, BRENNAN).await;
    let dale = login_in(&app, base, DALE).await;
    let list = app
        .get(
            &format!("{base}/api/v2/enterprise"),
            Auth::Raw(brennan.clone()),
        )
        .await
        .ok();
    let eid = list["enterprises"][0]["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &format!("{base}/api/v2/enterprise/{eid}/user"),
            json!({"permission": "admin", "usernames": ["new.admin@example.test"]}),
            Auth::Raw(brennan),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let b = r.json();
    let id = b["id"]
        .as_str()
        .or(b["pendingApprovals"][0]["id"].as_str())
        .unwrap()
        .to_string();
    app.send(
        Req::method("PUT", &format!("{base}/api/v2/pendingapprovals/{id}"))
            .json(&json!({"state": "approved", "otp": "000000"}))
            .auth(Auth::Raw(dale)),
    )
    .await
    .ok();
    let mail = app
        .get(
            &format!("{base}/sandbox/outbox?to=new.admin@example.test"),
            Auth::None,
        )
        .await
        .ok();
    let link = mail["messages"][0]["link"].as_str().unwrap().to_string();
    assert!(link.contains("/s/inv/sandbox/invitations/"), "{link}");
    let path = &link[link.find("/s/inv").unwrap()..];
    app.post(path, json!({"password": "Welcome-2026!"}), Auth::None)
        .await
        .ok();
    let ok = app
        .post(
            &format!("{base}/api/v2/user/login"),
            json!({"email": "new.admin@example.test", "password": "Welcome-2026!", "otp": "000000"}),
            Auth::None,
        )
        .await;
    assert_eq!(ok.status, 200);
    // The default sandbox has no such user, and no such mail.
    let none = app
        .get("/sandbox/outbox?to=new.admin@example.test", Auth::None)
        .await
        .ok();
    assert_eq!(none["messages"].as_array().unwrap().len(), 0);
}

/// The token and profile of every authenticated request are served from a cache until the
/// next write to the sandbox's file: a reset or a snapshot load replaces the data under it,
/// and a token made since must stop working at once, even one that was just used.
#[actix_web::test]
async fn a_token_used_just_before_a_reset_or_a_snapshot_load_is_refused_after_it() {
    let app = spawn_app().await;
    let saved = app
        .post("/sandbox/snapshots/cache-base", json!({}), Auth::None)
        .await;
    assert_eq!(saved.status, 201);
    for undo in ["/sandbox/reset", "/sandbox/snapshots/cache-base/load"] {
        let token = app.login(BRENNAN).await;
        for _ in 0..3 {
            app.get("/api/v2/user/me", Auth::Raw(token.clone()))
                .await
                .ok();
            app.get("/api/v2/user/me", Auth::V2(token.clone()))
                .await
                .ok();
        }
        app.post(undo, json!({}), Auth::None).await.ok();
        let r = app.get("/api/v2/user/me", Auth::Raw(token.clone())).await;
        assert_eq!(
            r.status,
            401,
            "{undo}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let r = app.get("/api/v2/user/me", Auth::V2(token)).await;
        assert_eq!(
            r.status,
            401,
            "{undo}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
}
