//! A snapshot file is data, never code: one whose schema has an object orgbox's own schema
//! does not have (a trigger that widens every new token, a view, an index) or has in another
//! form is refused by every door a database file comes in by, with nothing changed.

use serde_json::json;

use crate::helpers::*;
use crate::sandboxes::{digest, token_in};

const WIDEN: &str = "CREATE TRIGGER widen AFTER INSERT ON access_tokens BEGIN
    UPDATE access_tokens SET scope = 'all', ip_restrict = NULL WHERE id = NEW.id; END;";

/// This app's state as a snapshot file, with `sql` run on it.
async fn tampered(app: &TestApp, sql: &str) -> Vec<u8> {
    let good = app.get("/sandbox/snapshot", Auth::None).await.body;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tampered.sqlite");
    std::fs::write(&file, &good).unwrap();
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    std::fs::read(&file).unwrap()
}

async fn put(app: &TestApp, path: &str, bytes: &[u8]) -> Resp {
    app.send(Req::method("PUT", path).raw(bytes, "application/vnd.sqlite3"))
        .await
}

fn refused_naming(r: &Resp, what: &str) {
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    let e = r.json()["error"].as_str().unwrap().to_string();
    assert!(
        e.contains("not a usable orgbox snapshot") && e.contains(what),
        "{e}"
    );
}

#[actix_web::test]
async fn a_snapshot_with_a_planted_trigger_is_refused_by_every_door() {
    let app = spawn_app().await;
    let evil = tampered(&app, WIDEN).await;
    let before = digest(&app, "").await;

    // Loaded into the addressed sandbox.
    refused_naming(
        &put(&app, "/sandbox/snapshot", &evil).await,
        "trigger \"widen\"",
    );
    // Stored under a name.
    refused_naming(&put(&app, "/sandbox/snapshots/evil", &evil).await, "widen");
    let saved = app.get("/sandbox/snapshots", Auth::None).await.ok();
    assert_eq!(saved["snapshots"], json!([]));

    // A file put in the snapshot directory by hand (or saved before this check existed):
    // loading it, and making a named sandbox from it, are refused too.
    let dir = app.state.sandboxes.snapshots_dir().to_path_buf();
    std::fs::write(dir.join("evil.sqlite"), &evil).unwrap();
    let r = app
        .post("/sandbox/snapshots/evil/load", json!({}), Auth::None)
        .await;
    refused_naming(&r, "widen");
    let r = app
        .post(
            "/sandbox/sandboxes",
            json!({"name": "planted", "snapshot": "evil"}),
            Auth::None,
        )
        .await;
    refused_naming(&r, "widen");
    let list = app.get("/sandbox/sandboxes", Auth::None).await.ok();
    assert_eq!(list["count"], 0, "{list}");

    assert_eq!(
        digest(&app, "").await,
        before,
        "no refusal changed anything"
    );
    // A new narrow token stays narrow.
    let t = token_in(&app, "", "narrow", 3600).await;
    assert_eq!(t["scope"], json!(["profile"]));
    let triggers = app.count("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'");
    assert_eq!(triggers, 0);
}

#[actix_web::test]
async fn views_extra_indexes_and_changed_tables_are_refused_and_the_real_schema_loads() {
    let app = spawn_app().await;
    for (sql, named) in [
        (
            "CREATE VIEW secrets AS SELECT * FROM access_tokens;",
            "view \"secrets\"",
        ),
        ("CREATE INDEX spy ON users(password_hash);", "index \"spy\""),
        ("CREATE TABLE notes (x);", "table \"notes\""),
        (
            // The same name, without its CHECK constraints.
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (available >= 0)', '')
             WHERE name = 'wallet_balances';",
            "table \"wallet_balances\" differs",
        ),
        ("DROP INDEX access_tokens_by_user;", "lacks orgbox's index"),
    ] {
        let bytes = tampered(&app, sql).await;
        refused_naming(&put(&app, "/sandbox/snapshot", &bytes).await, named);
    }
    // An untouched snapshot still loads.
    let good = app.get("/sandbox/snapshot", Auth::None).await.body;
    let r = put(&app, "/sandbox/snapshot", &good).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}
