//! Snapshots: download and upload round trips (the state's digest equal), saved snapshots,
//! new sandboxes from a snapshot, and refusals (not SQLite, not orgbox, a newer schema) that
//! change nothing.

use serde_json::json;

use crate::helpers::*;
use crate::sandboxes::{create_sandbox, digest, login_in, token_in};

async fn upload(app: &TestApp, path: &str, bytes: &[u8]) -> Resp {
    app.send(Req::method("PUT", path).raw(bytes, "application/vnd.sqlite3"))
        .await
}

#[actix_web::test]
async fn download_then_upload_restores_the_state_exactly() {
    let app = spawn_app().await;
    token_in(&app, "", "kept", 3600).await;
    let saved_digest = digest(&app, "").await;
    let file = app.get("/sandbox/snapshot", Auth::None).await;
    assert_eq!(file.status, 200);
    assert_eq!(
        file.header("content-type").as_deref(),
        Some("application/vnd.sqlite3")
    );
    assert!(file.body.starts_with(b"SQLite format 3\0"));

    token_in(&app, "", "later", 3600).await;
    assert_ne!(digest(&app, "").await, saved_digest);
    let r = upload(&app, "/sandbox/snapshot", &file.body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(digest(&app, "").await, saved_digest);
    // Still serving, with the snapshot's tokens.
    app.login(BRENNAN).await;

    // The same file loads into a named sandbox.
    create_sandbox(&app, "n", None).await;
    assert_eq!(
        upload(&app, "/s/n/sandbox/snapshot", &file.body)
            .await
            .status,
        200
    );
    assert_eq!(digest(&app, "/s/n").await, saved_digest);
}

#[actix_web::test]
async fn saved_snapshots_seed_new_sandboxes_and_load_back() {
    let app = spawn_app().await;
    create_sandbox(&app, "src", None).await;
    token_in(&app, "/s/src", "in-snapshot", 3600).await;
    let want = digest(&app, "/s/src").await;
    let r = app
        .post("/s/src/sandbox/snapshots/base", json!({}), Auth::None)
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        app.post("/sandbox/snapshots/base", json!({}), Auth::None)
            .await
            .status,
        409
    );
    let list = app.get("/sandbox/snapshots", Auth::None).await.ok();
    assert_eq!(list["snapshots"][0]["name"], "base");

    let view = create_sandbox(&app, "copy", Some("base")).await;
    assert_eq!(view["source"], "snapshot:base");
    assert_eq!(digest(&app, "/s/copy").await, want);
    login_in(&app, "/s/copy", BRENNAN).await;
    assert_ne!(digest(&app, "/s/copy").await, want);
    app.post("/s/copy/sandbox/snapshots/base/load", json!({}), Auth::None)
        .await
        .ok();
    assert_eq!(digest(&app, "/s/copy").await, want);

    // Download and re-upload under another name.
    let bytes = app.get("/sandbox/snapshots/base", Auth::None).await.body;
    assert_eq!(
        upload(&app, "/sandbox/snapshots/again", &bytes)
            .await
            .status,
        201
    );
    assert_eq!(
        app.send(Req::delete("/sandbox/snapshots/base"))
            .await
            .status,
        204
    );
    assert_eq!(
        app.get("/sandbox/snapshots/base", Auth::None).await.status,
        404
    );
    let r = app
        .post(
            "/sandbox/sandboxes",
            json!({"name": "x", "snapshot": "base"}),
            Auth::None,
        )
        .await;
    assert_eq!(r.status, 404);
}

#[actix_web::test]
async fn bad_snapshots_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let before = digest(&app, "").await;
    let good = app.get("/sandbox/snapshot", Auth::None).await.body;

    // Not SQLite at all.
    let r = upload(&app, "/sandbox/snapshot", b"this is not a database").await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("not a usable orgbox snapshot"));

    // SQLite, but not orgbox's.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let r = upload(&app, "/sandbox/snapshot", &std::fs::read(&other).unwrap()).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("no orgbox schema"));

    // From a newer orgbox.
    let newer = dir.path().join("newer.sqlite");
    std::fs::write(&newer, &good).unwrap();
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", 9_999).unwrap();
    }
    let r = upload(&app, "/sandbox/snapshot", &std::fs::read(&newer).unwrap()).await;
    assert_eq!(r.status, 400);
    let msg = r.json()["error"].as_str().unwrap().to_string();
    assert!(msg.contains("9999") && msg.contains("newer"), "{msg}");

    // Truncated.
    let r = upload(&app, "/sandbox/snapshot", &good[..good.len() / 2]).await;
    assert_eq!(r.status, 400);

    assert_eq!(
        digest(&app, "").await,
        before,
        "no refusal changed anything"
    );
    app.login(BRENNAN).await;
}

#[actix_web::test]
async fn an_older_schema_is_upgraded_on_load() {
    let app = spawn_app().await;
    let latest = app.count("PRAGMA user_version");
    // A version-1 store (schema.sql only), as an old orgbox wrote it.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite");
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.execute_batch(include_str!("../../schema.sql")).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
    }
    let r = upload(&app, "/sandbox/snapshot", &std::fs::read(&old).unwrap()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["fromSchemaVersion"], 1);
    let v = app.count("PRAGMA user_version");
    assert_eq!(v, latest, "the schema a fresh orgbox has");
    // An empty world now: no demo users.
    let r = app
        .post(
            "/api/v2/user/login",
            json!({"email": BRENNAN, "password": PASSWORD, "otp": "000000"}),
            Auth::None,
        )
        .await;
    assert_eq!(r.status, 401);
}
