//! Each sandbox signs Bitwarden access tokens with a key of its own, new whenever a state is
//! copied into it: a named sandbox made, a reset, a snapshot loaded.

use serde_json::json;

use crate::bitwarden_support::*;
use crate::helpers::{Auth, Req, Resp};
use crate::sandboxes::create_sandbox;

/// An access token for `email` from the sandbox at `base` (`""` or `/s/name`).
async fn login_at(bw: &BwApp, base: &str, email: &str) -> String {
    bw.password_login_at(base, email).await["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn sync_at(bw: &BwApp, base: &str, token: &str) -> u16 {
    let r: Resp = bw.get(&format!("{base}/api/sync"), token).await;
    r.status
}

#[actix_rt::test]
async fn a_token_works_only_in_the_sandbox_that_signed_it() {
    let bw = spawn_bw().await;
    create_sandbox(&bw.app, "bw1", None).await;
    create_sandbox(&bw.app, "bw2", None).await;
    let from_bw1 = login_at(&bw, "/s/bw1", KRAMER).await;
    assert_eq!(sync_at(&bw, "/s/bw1", &from_bw1).await, 200);
    assert_eq!(
        sync_at(&bw, "", &from_bw1).await,
        401,
        "the default sandbox"
    );
    assert_eq!(
        sync_at(&bw, "/s/bw2", &from_bw1).await,
        401,
        "another named one"
    );
    let from_default = login_at(&bw, "", KRAMER).await;
    assert_eq!(sync_at(&bw, "", &from_default).await, 200);
    for base in ["/s/bw1", "/s/bw2"] {
        assert_eq!(sync_at(&bw, base, &from_default).await, 401, "{base}");
    }
}

#[actix_rt::test]
async fn reset_and_snapshot_loads_give_a_sandbox_a_new_key() {
    let bw = spawn_bw().await;
    // Reset: the default sandbox and a named one.
    let before = login_at(&bw, "", KRAMER).await;
    bw.app
        .post("/sandbox/reset", json!({}), Auth::None)
        .await
        .ok();
    assert_eq!(sync_at(&bw, "", &before).await, 401, "after reset");
    create_sandbox(&bw.app, "n", None).await;
    let named = login_at(&bw, "/s/n", KRAMER).await;
    bw.app
        .post("/s/n/sandbox/reset", json!({}), Auth::None)
        .await
        .ok();
    assert_eq!(
        sync_at(&bw, "/s/n", &named).await,
        401,
        "after a named reset"
    );

    // A snapshot carries its sandbox's key: loading it (even into the same sandbox) and
    // making a sandbox from it give new ones.
    let token = login_at(&bw, "", KRAMER).await;
    let file = bw.app.get("/sandbox/snapshot", Auth::None).await.body;
    let r = bw
        .app
        .send(Req::method("PUT", "/sandbox/snapshot").raw(&file, "application/vnd.sqlite3"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(sync_at(&bw, "", &token).await, 401, "after a snapshot load");
    let token = login_at(&bw, "", KRAMER).await;
    let r = bw
        .app
        .post("/sandbox/snapshots/here", json!({}), Auth::None)
        .await;
    assert_eq!(r.status, 201);
    create_sandbox(&bw.app, "copy", Some("here")).await;
    assert_eq!(
        sync_at(&bw, "/s/copy", &token).await,
        401,
        "a sandbox from it"
    );
    bw.app
        .post("/s/n/sandbox/snapshots/here/load", json!({}), Auth::None)
        .await
        .ok();
    assert_eq!(sync_at(&bw, "/s/n", &token).await, 401, "loaded by name");
    // Each still signs for itself.
    for base in ["", "/s/n", "/s/copy"] {
        let t = login_at(&bw, base, KRAMER).await;
        assert_eq!(sync_at(&bw, base, &t).await, 200, "{base}");
    }
}
