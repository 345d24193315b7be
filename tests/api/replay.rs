//! By default a signed request may be repeated within its window, as BitGo's scheme allows;
//! with `reject_replays` a state-changing one is served once and reads may still repeat.
//! Timestamps that would overflow arithmetic are a clean 401.

use orgbox::sandbox::Clock;
use serde_json::json;

use crate::helpers::*;

#[actix_web::test]
async fn by_default_an_identical_signed_write_is_served_again() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let ts = Clock::real_now_ms();
    for _ in 0..2 {
        app.send(
            Req::post("/api/v2/user/unlock")
                .json(&json!({"otp": "000000", "duration": 60}))
                .timestamp(ts)
                .auth(Auth::V2(login.clone())),
        )
        .await
        .ok();
    }
}

#[actix_web::test]
async fn a_replayed_signed_write_is_refused_when_asked_and_a_repeated_read_is_not() {
    let app = spawn_app_with(|c| c.auth.reject_replays = true).await;
    let login = app.login(BRENNAN).await;
    for auth in [Auth::V2(login.clone()), Auth::V3(login.clone())] {
        let ts = Clock::real_now_ms();
        let unlock = || {
            Req::post("/api/v2/user/unlock")
                .json(&json!({"otp": "000000", "duration": 60}))
                .timestamp(ts)
                .auth(auth.clone())
        };
        app.send(unlock()).await.ok();
        let b = app.send(unlock()).await.expect_error(401);
        assert_eq!(b["context"]["reason"], "replayed_request");
        // A fresh signature of the same request is a new request.
        app.send(
            Req::post("/api/v2/user/unlock")
                .json(&json!({"otp": "000000", "duration": 60}))
                .timestamp(ts + 1)
                .auth(auth.clone()),
        )
        .await
        .ok();
        let me = || Req::get("/api/v2/user/me").timestamp(ts).auth(auth.clone());
        app.send(me()).await.ok();
        app.send(me()).await.ok();
    }
}

#[actix_web::test]
async fn different_tokens_signing_at_the_same_instant_are_not_replays() {
    let app = spawn_app_with(|c| c.auth.reject_replays = true).await;
    let a = app.login(BRENNAN).await;
    let b = app.login(DALE).await;
    let ts = Clock::real_now_ms();
    for token in [a, b] {
        app.send(
            Req::post("/api/v2/user/lock")
                .timestamp(ts)
                .auth(Auth::V2(token)),
        )
        .await
        .ok();
    }
}

#[actix_web::test]
async fn extreme_auth_timestamps_are_a_clean_401() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    for ts in [i64::MIN, i64::MAX, 0, -1] {
        for auth in [Auth::V2(login.clone()), Auth::V3(login.clone())] {
            let b = app
                .send(Req::get("/api/v2/user/me").timestamp(ts).auth(auth))
                .await
                .expect_error(401);
            assert_eq!(b["context"]["reason"], "stale_timestamp", "{ts}");
        }
    }
    for raw in ["-9223372036854775809", "99999999999999999999", "1e3", ""] {
        let r = app
            .send(
                Req::get("/api/v2/user/me")
                    .auth(Auth::V2(login.clone()))
                    .header("Auth-Timestamp", raw),
            )
            .await;
        assert_eq!(r.status, 401, "{raw}");
    }
}
