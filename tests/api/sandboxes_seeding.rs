//! Seeding fixtures: applied through the API (TOML or JSON) and at start, upsert semantics
//! (twice changes nothing), deterministic ids and tokens across runs, refusals change nothing.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::sandboxes::{create_sandbox, digest};

const EXAMPLE: &str = include_str!("../fixtures/example.toml");

async fn seed(app: &TestApp, base: &str, toml: &str) -> Resp {
    app.send(Req::post(&format!("{base}/sandbox/seed")).raw(toml.as_bytes(), "application/toml"))
        .await
}

#[actix_web::test]
async fn a_fixture_applies_once_and_twice_changes_nothing() {
    let app = spawn_app().await;
    let first = seed(&app, "", EXAMPLE).await.ok();
    assert_eq!(first["created"], 7, "{first}");
    let after_first = digest(&app, "").await;
    let second = seed(&app, "", EXAMPLE).await.ok();
    assert_eq!(
        (second["created"].as_u64(), second["updated"].as_u64()),
        (Some(0), Some(0)),
        "{second}"
    );
    assert_eq!(digest(&app, "").await, after_first);
    assert_eq!(first["ids"], second["ids"]);
    assert_eq!(first["tokens"], second["tokens"]);

    // The given token works, with its scopes; the enterprise is visible to its admin.
    let ci = "acme-ci-token-0123456789abcdef";
    let me = app.get("/api/v2/user/me", Auth::V2(ci.into())).await.ok();
    assert_eq!(me["user"]["username"], "ada@acme.test");
    let eid = first["ids"]["acme-trading"].as_str().unwrap();
    app.get(&format!("/api/v2/enterprise/{eid}"), Auth::Raw(ci.into()))
        .await
        .ok();
    // The generated token works too; the users log in with the fixture's password.
    let generated = first["tokens"][1]["token"].as_str().unwrap().to_string();
    app.get("/api/v2/user/me", Auth::Raw(generated)).await.ok();
    app.post(
        "/api/v2/user/login",
        json!({"email": "vic@acme.test", "password": "Acme-Password-2026", "otp": "000000"}),
        Auth::None,
    )
    .await
    .ok();

    // A changed fixture is brought in line (an update, not a duplicate).
    let renamed = EXAMPLE.replace("name = \"Acme Trading\"", "name = \"Acme Markets\"");
    let third = seed(&app, "", &renamed).await.ok();
    assert_eq!(
        (third["created"].as_u64(), third["updated"].as_u64()),
        (Some(0), Some(1)),
        "{third}"
    );
}

#[actix_web::test]
async fn ids_and_tokens_are_the_same_on_every_run_and_json_works() {
    let (a, b) = (spawn_app().await, spawn_app().await);
    let ra = seed(&a, "", EXAMPLE).await.ok();
    let rb = seed(&b, "", EXAMPLE).await.ok();
    assert_eq!(ra["ids"], rb["ids"]);
    assert_eq!(ra["tokens"], rb["tokens"]);
    // Another seed, other ids.
    let other = EXAMPLE.replace("seed = 7", "seed = 8");
    create_sandbox(&a, "s8", None).await;
    let r8 = seed(&a, "/s/s8", &other).await.ok();
    assert_ne!(r8["ids"]["acme"], ra["ids"]["acme"]);

    let fixture = json!({"seed": 1, "users": [{"email": "j@x.test", "firstName": "J"}],
        "tokens": [{"user": "j@x.test", "scope": ["profile"]}]});
    let r = a
        .post("/sandbox/seed", fixture.clone(), Auth::None)
        .await
        .ok();
    let again = b.post("/sandbox/seed", fixture, Auth::None).await.ok();
    assert_eq!(r["tokens"], again["tokens"]);
}

#[actix_web::test]
async fn a_bad_fixture_is_refused_whole() {
    let app = spawn_app().await;
    let before = digest(&app, "").await;
    for bad in [
        json!({"users": [{"email": "a@x.test", "enterprises": {"nope": ["admin"]}}]}),
        json!({"users": [{"email": "a@x.test"}], "tokens": [{"user": "a@x.test", "scope": ["root"]}]}),
        json!({"organizations": [{"key": "o", "id": "xyz"}]}),
        json!({"unknown": 1}),
    ] {
        let r = app.post("/sandbox/seed", bad.clone(), Auth::None).await;
        assert_eq!(r.status, 400, "{bad}: {}", String::from_utf8_lossy(&r.body));
    }
    assert_eq!(digest(&app, "").await, before);
    let _: Value = json!(null);
}

#[actix_web::test]
async fn a_seed_file_applies_at_start_and_survives_reset() {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example.toml");
    let app = spawn_app_with(|c| c.sandbox.seed_file = Some(path)).await;
    let ci = "acme-ci-token-0123456789abcdef";
    app.get("/api/v2/user/me", Auth::Raw(ci.into())).await.ok();
    app.post("/sandbox/reset", json!({}), Auth::None).await.ok();
    app.get("/api/v2/user/me", Auth::Raw(ci.into())).await.ok();
    create_sandbox(&app, "n", None).await;
    app.get("/s/n/api/v2/user/me", Auth::Raw(ci.into()))
        .await
        .ok();
}

#[actix_web::test]
async fn the_demo_world_fixture_matches_the_seeded_demo_world() {
    let app = spawn_app().await;
    let before = digest(&app, "").await;
    let demo = include_str!("../fixtures/demo.toml");
    let r = seed(&app, "", demo).await.ok();
    assert_eq!(
        (r["created"].as_u64(), r["updated"].as_u64()),
        (Some(0), Some(0)),
        "{r}"
    );
    assert_eq!(digest(&app, "").await, before);
    assert_eq!(r["ids"]["prestige"], app.demo.organization_id.as_str());
    assert_eq!(r["ids"]["parent"], app.demo.enterprise_id.as_str());
}
