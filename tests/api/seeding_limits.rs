//! Seeding hashes passwords before its write transaction, never inside it, and a fixture
//! holds at most 100 users: one at the cap applies, one over it is refused with nothing
//! written.

use std::time::{Duration, Instant};

use futures_util::future::{select, Either};
use serde_json::{json, Value};

use crate::helpers::*;

fn fixture_of(users: usize) -> Value {
    let users: Vec<Value> = (0..users)
        .map(|i| json!({"email": format!("user{i}@seed.test"), "password": "Seed-Password-1"}))
        .collect();
    json!({"seed": 3, "users": users})
}

const TABLES: &[&str] = &[
    "users",
    "enterprises",
    "organizations",
    "enterprise_members",
    "organization_members",
    "access_tokens",
];

#[actix_web::test]
async fn a_fixture_at_the_cap_applies_and_one_over_it_changes_nothing() {
    let app = spawn_app().await;
    let before = app.snapshot(TABLES);
    let r = app.post("/sandbox/seed", fixture_of(101), Auth::None).await;
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    let e = r.json()["error"].as_str().unwrap().to_string();
    assert!(e.contains("101 users") && e.contains("at most 100"), "{e}");
    assert_eq!(app.snapshot(TABLES), before, "nothing written");

    let r = app
        .post("/sandbox/seed", fixture_of(100), Auth::None)
        .await
        .ok();
    assert_eq!(r["created"], 100, "{r}");
    app.post(
        "/api/v2/user/login",
        json!({"email": "user99@seed.test", "password": "Seed-Password-1", "otp": "000000"}),
        Auth::None,
    )
    .await
    .ok();
    // Again: every password already matches, nothing changes.
    let again = app
        .post("/sandbox/seed", fixture_of(100), Auth::None)
        .await
        .ok();
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(0))
    );
}

#[actix_web::test]
async fn other_writes_go_on_while_a_fixture_hashes_its_passwords() {
    // The production hashing cost (40 users took 1.4 s of PBKDF2 inside the transaction), on
    // one password thread so the hashing surely outlasts a write.
    let app = spawn_app_with(|c| {
        c.auth.pbkdf2_iterations = 100_000;
        c.auth.password_threads = 1;
    })
    .await;
    // The write during the seeding hashes nothing (a login would queue its own PBKDF2 behind
    // the fixture's): a token made with a login made before.
    let login = app.login(BRENNAN).await;
    let started = Instant::now();
    let seed = Box::pin(async {
        let r = app.post("/sandbox/seed", fixture_of(40), Auth::None).await;
        (r, started.elapsed())
    });
    let write_at = Duration::from_millis(20);
    let write = Box::pin(async {
        actix_web::rt::time::sleep(write_at).await;
        let r = app
            .post(
                "/api/v2/user/accesstoken",
                json!({"label": "during the seeding", "scope": ["wallet_view_all"],
                       "duration": 3600, "otp": "000000"}),
                Auth::Raw(login.clone()),
            )
            .await;
        (r, started.elapsed())
    });
    let Either::Right(((made, write_done), seed)) = select(seed, write).await else {
        panic!("the seeding was answered before a token write made during it: the write waited")
    };
    let (seeded, seed_done) = seed.await;
    println!(
        "seeding 40 users answered at {seed_done:?}; a token write during it at {write_done:?}"
    );
    assert_eq!(seeded.ok()["created"], 40);
    made.ok();
    // Before, the write waited for the seeding's transaction and was answered with it; now it
    // is answered while the passwords are still being hashed, in the first half of the time
    // the seeding still took (whatever the machine's speed or load).
    assert!(
        (write_done - write_at) * 2 < seed_done - write_at,
        "the write waited for the seeding's transaction"
    );
}
