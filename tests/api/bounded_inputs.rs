//! Inputs whose cost grows with their length are bounded before any work: a `pub` that
//! cannot be an xpub, a journal glob or a recorded path of tens of kilobytes. Two such
//! requests at once leave the server answering others.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::*;
use crate::wallets::service_token;

/// A generous bound for answers that used to take seconds: the figures are printed, the
/// benchmark is where speed is measured.
const BOUND: Duration = Duration::from_secs(2);

/// `GET /api/v2/ping` (no authentication) after a short head start of the slow requests:
/// its status and how long it took.
async fn ping_meanwhile(app: &TestApp) -> (u16, Duration) {
    actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    let started = Instant::now();
    let r = app.get("/api/v2/ping", Auth::None).await;
    (r.status, started.elapsed())
}

#[actix_rt::test]
async fn a_200k_character_pub_is_refused_at_once_and_a_ping_still_answers() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let before = app.snapshot(&["wallet_keys"]);
    let long = "z".repeat(200_000);
    let add_key = || async {
        let started = Instant::now();
        let r = app
            .post(
                "/api/v2/ofc/key",
                json!({"pub": long, "source": "user"}),
                Auth::V2(token.clone()),
            )
            .await;
        (r, started.elapsed())
    };
    let ((a, a_took), (b, b_took), (ping, ping_took)) =
        futures_util::future::join3(add_key(), add_key(), ping_meanwhile(&app)).await;
    println!("200k-character pub refused in {a_took:?} and {b_took:?}; ping {ping_took:?}");
    for r in [a, b] {
        let e = r.expect_error(400);
        assert!(
            e["error"].as_str().unwrap().contains("111"),
            "the refusal says how long an xpub is: {e}"
        );
    }
    assert_eq!(ping, 200);
    assert!(a_took.max(b_took) < BOUND && ping_took < BOUND);
    assert_eq!(app.snapshot(&["wallet_keys"]), before, "nothing stored");
}
