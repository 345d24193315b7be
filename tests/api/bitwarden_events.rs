//! The organization event log: member changes are recorded with the server's event types, on
//! the sandbox clock, and read by those who may see the log.

use serde_json::{json, Value};

use crate::bitwarden_support::*;

#[actix_rt::test]
async fn member_changes_land_in_the_event_log_for_those_who_may_read_it() {
    let bw = spawn_bw().await;
    let (owner, admin, user) = (
        bw.login(ART).await,
        bw.login(GEORGE).await,
        bw.login(KRAMER).await,
    );
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let base = format!("/api/organizations/{}/users/{kramer}", bw.org_id);
    bw.app.advance_clock_ms(60_000);
    expect_empty(
        &bw.call("PUT", &format!("{base}/revoke"), &admin, json!(null))
            .await,
        200,
    );
    expect_empty(
        &bw.call("PUT", &format!("{base}/restore"), &admin, json!(null))
            .await,
        200,
    );
    let log = format!("/api/organizations/{}/events", bw.org_id);
    let page = bw.get(&log, &owner).await.ok();
    assert_eq!(page["object"], "list");
    let data = page["data"].as_array().unwrap();
    let types: Vec<Value> = data.iter().map(|e| e["type"].clone()).collect();
    assert_eq!(
        types,
        vec![json!(1512), json!(1511)],
        "newest first: {page}"
    );
    let revoked = &data[1];
    assert_eq!(revoked["object"], "event");
    assert_eq!(revoked["organizationUserId"], json!(kramer));
    let george = bw
        .app
        .text("SELECT id FROM bw_users WHERE email = 'george@vandelay.test'");
    assert_eq!(revoked["actingUserId"], json!(george));
    assert!(revoked["date"].as_str().unwrap().ends_with('Z'));
    // A plain user cannot read the log (404, as the server answers); a range over 367 days is
    // refused.
    expect_bw_error(&bw.get(&log, &user).await, 404, "Resource not found.");
    let wide = format!("{log}?start=2020-01-01T00:00:00Z&end=2022-01-01T00:00:00Z");
    expect_bw_error(&bw.get(&wide, &owner).await, 400, "Range too large.");
    // A range before the changes finds nothing.
    let old = format!("{log}?start=2020-01-01T00:00:00Z&end=2020-01-02T00:00:00Z");
    assert_eq!(bw.get(&old, &owner).await.ok()["data"], json!([]));
}
