//! Fault and latency rules: a status in BitGo's error body (429 with Retry-After), counted
//! rules, delays, dropped connections, seeded probabilities, listing and clearing.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::*;
use crate::sandboxes::create_sandbox;

async fn add(app: &TestApp, base: &str, rule: serde_json::Value) -> u64 {
    let r = app
        .post(&format!("{base}/sandbox/faults"), rule, Auth::None)
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    r.json()["id"].as_u64().unwrap()
}

#[actix_web::test]
async fn a_status_fault_answers_in_bitgos_shape_for_its_count() {
    let app = spawn_app().await;
    let token = app.token_with(&["profile"]).await;
    add(
        &app,
        "",
        json!({"method": "GET", "path": "/api/v2/user/*", "status": 503, "times": 2}),
    )
    .await;
    for _ in 0..2 {
        let r = app.get("/api/v2/user/me", Auth::V2(token.clone())).await;
        let b = r.expect_error(503);
        assert_eq!(b["name"], "ServiceUnavailable");
        assert!(r.header("x-orgbox-fault").is_some());
    }
    app.get("/api/v2/user/me", Auth::V2(token.clone()))
        .await
        .ok();
    let list = app.get("/sandbox/faults", Auth::None).await.ok();
    assert_eq!(list["faults"].as_array().unwrap().len(), 0, "used up");
    let j = app
        .get("/sandbox/journal/count?status=503", Auth::None)
        .await
        .ok();
    assert_eq!(j["count"], 2);

    add(
        &app,
        "",
        json!({"path": "/api/v2/ping", "status": 429, "retryAfter": 7}),
    )
    .await;
    for _ in 0..3 {
        let r = app.get("/api/v2/ping", Auth::None).await;
        let b = r.expect_error(429);
        assert_eq!(r.header("retry-after").as_deref(), Some("7"));
        assert_eq!(b["name"], "TooManyRequests");
    }
    assert_eq!(app.send(Req::delete("/sandbox/faults")).await.status, 204);
    assert_eq!(app.get("/api/v2/ping", Auth::None).await.status, 200);
}

#[actix_web::test]
async fn delays_and_dropped_connections() {
    let app = spawn_app().await;
    create_sandbox(&app, "f", None).await;
    let id = add(
        &app,
        "/s/f",
        json!({"path": "/api/v2/ping", "delayMs": 300}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(app.get("/s/f/api/v2/ping", Auth::None).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The default sandbox has no such rule.
    let started = Instant::now();
    app.get("/api/v2/ping", Auth::None).await;
    assert!(started.elapsed() < Duration::from_millis(300));
    assert_eq!(
        app.send(Req::delete(&format!("/s/f/sandbox/faults/{id}")))
            .await
            .status,
        204
    );
    assert_eq!(
        app.send(Req::delete("/s/f/sandbox/faults/999"))
            .await
            .status,
        404
    );

    add(
        &app,
        "/s/f",
        json!({"path": "/api/v2/ping", "drop": true, "times": 1}),
    )
    .await;
    let client = awc::Client::default();
    let dropped = client
        .get(format!("{}/s/f/api/v2/ping", app.base))
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection was dropped without an answer"
    );
    assert_eq!(app.get("/s/f/api/v2/ping", Auth::None).await.status, 200);
}

#[actix_web::test]
async fn probabilities_are_seeded_and_bad_rules_refused() {
    let app = spawn_app().await;
    let first = seeded_run(&app).await;
    assert_eq!(
        first,
        seeded_run(&app).await,
        "the same seed, the same faults"
    );
    assert!(first.contains(&500) && first.contains(&200), "{first:?}");
    for bad in [
        json!({"status": 200}),
        json!({"probability": 1.5, "status": 500}),
        json!({"path": "*"}),
        json!({"status": 500, "bogus": 1}),
    ] {
        let r = app.post("/sandbox/faults", bad.clone(), Auth::None).await;
        assert_eq!(r.status, 400, "{bad}");
    }
}

async fn seeded_run(app: &TestApp) -> Vec<u16> {
    app.send(Req::delete("/sandbox/faults")).await;
    add(
        app,
        "",
        json!({"path": "/api/v2/ping", "status": 500, "probability": 0.5, "seed": 42}),
    )
    .await;
    let mut seen = Vec::new();
    for _ in 0..20 {
        seen.push(app.get("/api/v2/ping", Auth::None).await.status);
    }
    seen
}
