//! The request journal: what is recorded (token id, never the token; the refusing rule),
//! queries by method, path, status and time with counts, bounds, and per-sandbox separation.

use serde_json::json;

use crate::helpers::*;
use crate::sandboxes::{create_sandbox, login_in};

#[actix_web::test]
async fn requests_are_recorded_with_token_id_and_refusal_and_queried() {
    let app = spawn_app().await;
    let t0 = orgbox::sandbox::Clock::real_now_ms();
    let token = app.token_with(&["profile"]).await;
    app.get("/api/v2/user/me", Auth::V2(token.clone()))
        .await
        .ok();
    app.get("/api/v2/enterprise", Auth::Raw(token.clone()))
        .await
        .expect_error(403);
    app.get("/api/v2/user/me", Auth::Raw("nope".into()))
        .await
        .expect_error(401);
    // Control-plane calls are not journaled.
    app.get("/sandbox/health", Auth::None).await.ok();

    let all = app.get("/sandbox/journal?limit=100", Auth::None).await.ok();
    let body = all.to_string();
    assert!(!body.contains(&token), "a raw token reached the journal");
    assert!(all["requests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| !e["path"].as_str().unwrap().starts_with("/sandbox")));

    let me = app
        .get(
            "/sandbox/journal?method=get&path=/api/v2/user/me&status=200",
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(me["count"], 1, "{me}");
    let entry = &me["requests"][0];
    let token_id = entry["tokenId"].as_str().expect("token id");
    assert_eq!(token_id.len(), 32);
    assert!(entry["latencyUs"].as_u64().unwrap() > 0);
    assert!(entry["atMs"].as_i64().unwrap() >= t0);

    let refused = app
        .get("/sandbox/journal?status=4xx&path=/api/v2/*", Auth::None)
        .await
        .ok();
    assert_eq!(refused["count"], 2, "{refused}");
    let scope = &refused["requests"][1];
    assert_eq!(scope["status"], 403);
    assert_eq!(scope["refusedBy"], "InsufficientScope");
    assert_eq!(scope["tokenId"], token_id);
    let unknown = &refused["requests"][0];
    assert_eq!(unknown["refusedBy"], "Unauthorized");
    assert!(unknown.get("tokenId").is_none());

    let count = app
        .get("/sandbox/journal/count?method=POST", Auth::None)
        .await
        .ok();
    assert!(
        count["count"].as_u64().unwrap() >= 2,
        "login and accesstoken"
    );
    let later = app
        .get(
            &format!(
                "/sandbox/journal/count?since={}",
                orgbox::sandbox::Clock::real_now_ms() + 60_000
            ),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(later["count"], 0);
    assert_eq!(
        app.get("/sandbox/journal?status=abc", Auth::None)
            .await
            .status,
        400
    );
    assert_eq!(app.send(Req::delete("/sandbox/journal")).await.status, 204);
    let empty = app.get("/sandbox/journal/count", Auth::None).await.ok();
    assert_eq!(empty["count"], 0);
}

#[actix_web::test]
async fn the_journal_is_bounded_and_per_sandbox() {
    let app = spawn_app_with(|c| c.sandbox.journal_capacity = 5).await;
    for _ in 0..8 {
        app.get("/api/v2/ping", Auth::None).await;
    }
    let page = app.get("/sandbox/journal", Auth::None).await.ok();
    assert_eq!(page["held"], 5);
    assert_eq!(page["capacity"], 5);
    assert_eq!(page["dropped"], 3);
    let seqs: Vec<u64> = page["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, vec![8, 7, 6, 5, 4], "newest first, oldest dropped");

    create_sandbox(&app, "j", None).await;
    login_in(&app, "/s/j", BRENNAN).await;
    let named = app.get("/s/j/sandbox/journal", Auth::None).await.ok();
    assert_eq!(named["count"], 1);
    assert_eq!(named["requests"][0]["path"], "/api/v2/user/login");
    let default = app
        .get("/sandbox/journal/count?path=*login", Auth::None)
        .await
        .ok();
    assert_eq!(default["count"], 0);
    let _ = json!({});
}
