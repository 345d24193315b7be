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

#[actix_rt::test]
async fn a_pathological_journal_glob_over_long_404_paths_is_answered_quickly() {
    let app = spawn_app().await;
    let long_path = format!("/{}", "a".repeat(60_000));
    for _ in 0..32 {
        assert_eq!(app.get(&long_path, Auth::None).await.status, 404);
    }
    // Recorded, cut short with a marker.
    let page = app
        .get("/sandbox/journal?status=404&limit=1", Auth::None)
        .await
        .ok();
    let kept = page["requests"][0]["path"].as_str().unwrap();
    assert!(
        kept.len() <= 2048 && kept.ends_with("...[truncated]"),
        "{}",
        kept.len()
    );

    // The classic backtracking matcher costs path x pattern per entry on this glob.
    let glob = format!("*{}b", "a".repeat(510));
    let query = || async {
        let started = Instant::now();
        let r = app
            .get(&format!("/sandbox/journal?path={glob}"), Auth::None)
            .await;
        (r, started.elapsed())
    };
    let ((a, a_took), (b, b_took), (ping, ping_took)) =
        futures_util::future::join3(query(), query(), ping_meanwhile(&app)).await;
    println!(
        "pathological journal query answered in {a_took:?} and {b_took:?}; ping {ping_took:?}"
    );
    for r in [a, b] {
        assert_eq!(r.ok()["count"], 0);
    }
    assert_eq!(ping, 200);
    assert!(a_took.max(b_took) < BOUND && ping_took < BOUND);
    // A matching glob still matches the cut path; a longer glob is refused.
    let r = app
        .get("/sandbox/journal/count?path=/aaa*truncated]", Auth::None)
        .await
        .ok();
    assert_eq!(r["count"], 32);
    let r = app
        .get(
            &format!("/sandbox/journal?path=*{}", "a".repeat(512)),
            Auth::None,
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("512"));
}
