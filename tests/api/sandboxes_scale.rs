//! Named sandboxes at scale and under races: a thousand in one process with a bounded number
//! open, racing creates of one name, resets under concurrent reads.

use serde_json::json;

use crate::helpers::*;
use crate::sandboxes::login_in;

#[actix_web::test]
async fn a_thousand_named_sandboxes_with_a_bounded_number_open() {
    let app = spawn_app_with(|c| c.sandbox.max_open = 8).await;
    let named = app.state.sandboxes.named().clone();
    let template = app.state.sandboxes.template().to_path_buf();
    // Created through the registry (what POST /sandbox/sandboxes calls) to keep the test quick.
    actix_web::web::block(move || {
        for i in 0..1000 {
            named
                .create(&format!("k{i}"), &template, "template".into(), 0)
                .unwrap();
        }
    })
    .await
    .unwrap();
    for i in (0..1000).step_by(50) {
        app.get(&format!("/s/k{i}/api/v2/ping"), Auth::None)
            .await
            .ok();
    }
    let list = app.get("/sandbox/sandboxes", Auth::None).await.ok();
    assert_eq!(list["count"], 1000);
    assert!(list["open"].as_u64().unwrap() <= 8, "{}", list["open"]);
    login_in(&app, "/s/k999", BRENNAN).await;
}

#[actix_web::test]
async fn racing_creates_of_one_name_make_one_sandbox_and_resets_under_load_fail_nothing() {
    let app = spawn_app().await;
    let creates =
        (0..10).map(|_| app.post("/sandbox/sandboxes", json!({"name": "race"}), Auth::None));
    let statuses: Vec<u16> = futures_util::future::join_all(creates)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        9,
        "{statuses:?}"
    );

    let token = login_in(&app, "/s/race", BRENNAN).await;
    let app = &app;
    let mut jobs: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = u16>>>> = Vec::new();
    for i in 0..30 {
        if i % 10 == 5 {
            jobs.push(Box::pin(async move {
                app.post("/s/race/sandbox/reset", json!({}), Auth::None)
                    .await
                    .status
            }));
        } else {
            let t = token.clone();
            jobs.push(Box::pin(async move {
                app.get("/s/race/api/v2/user/me", Auth::Raw(t)).await.status
            }));
        }
    }
    let statuses = futures_util::future::join_all(jobs).await;
    // Reads before a reset succeed, after it the login token is gone (401); nothing fails.
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 401)),
        "{statuses:?}"
    );
}
