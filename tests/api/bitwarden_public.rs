//! The Public API with the organization API key's client_credentials token: members listed,
//! invited (the mail lands in the outbox) and removed, in the Public API's shapes; user
//! tokens and no token are refused.

use serde_json::{json, Value};

use crate::bitwarden_support::*;
use crate::helpers::{Auth, Req};

/// The organization API key's `client_credentials` token for the demo organization.
pub async fn org_token(bw: &BwApp) -> String {
    let key = bw
        .app
        .text("SELECT api_key FROM bw_org_api_keys WHERE type = 0");
    let client_id = format!("organization.{}", bw.org_id);
    let r = bw
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &key),
            ("scope", "api.organization"),
        ])
        .await
        .ok();
    r["access_token"].as_str().unwrap().to_string()
}

#[actix_rt::test]
async fn the_organization_api_key_lists_invites_and_removes_members() {
    let bw = spawn_bw().await;
    let token = org_token(&bw).await;
    let all = bw.get("/public/members", &token).await.ok();
    assert_eq!(all["object"], "list");
    let data = all["data"].as_array().unwrap();
    assert_eq!(data.len(), 4);
    assert!(data.iter().all(|m| m["object"] == "member"), "{all}");

    let body = json!({"email": "Bania@Vandelay.test", "type": 2, "externalId": "dir-7", "collections": []});
    let made = bw
        .call("POST", "/public/members", &token, body.clone())
        .await
        .ok();
    assert_eq!(
        (
            made["email"].clone(),
            made["status"].clone(),
            made["externalId"].clone()
        ),
        (json!("bania@vandelay.test"), json!(0), json!("dir-7"))
    );
    let mail = bw
        .app
        .text("SELECT recipient || ' ' || kind FROM outbox ORDER BY rowid DESC LIMIT 1");
    assert_eq!(mail, "bania@vandelay.test invitation");
    let before = bw.snapshot().await;
    let again = bw.call("POST", "/public/members", &token, body).await;
    assert_eq!(again.status, 400);
    assert_eq!(
        again.json(),
        json!({"object": "error", "message": "This user has already been invited.", "errors": null})
    );
    let bad = bw
        .call(
            "POST",
            "/public/members",
            &token,
            json!({"email": "nope", "type": 2}),
        )
        .await;
    assert_eq!(bad.status, 400);
    let e = bad.json();
    assert_eq!(e["object"], "error");
    assert!(e["errors"]["Email"].is_array(), "{e}");
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    let id = made["id"].as_str().unwrap();
    let one = bw.get(&format!("/public/members/{id}"), &token).await.ok();
    assert_eq!(one["collections"], json!([]));
    let unknown = bw
        .get(
            "/public/members/00000000-0000-0000-0000-000000000009",
            &token,
        )
        .await;
    expect_empty(&unknown, 404);
    expect_empty(
        &bw.call(
            "DELETE",
            &format!("/public/members/{id}"),
            &token,
            json!(null),
        )
        .await,
        200,
    );
    expect_empty(&bw.get(&format!("/public/members/{id}"), &token).await, 404);
    // The log names the Public API as the actor (systemUser 3, no acting user).
    let owner = bw.login(ART).await;
    let events = bw
        .get(&format!("/api/organizations/{}/events", bw.org_id), &owner)
        .await
        .ok();
    let last: &Value = &events["data"][0];
    assert_eq!(
        (last["type"].clone(), last["systemUser"].clone()),
        (json!(1503), json!(3))
    );
    assert!(last["actingUserId"].is_null());
    // The same log through the Public API, in its own model.
    let public = bw.get("/public/events", &token).await.ok();
    let first = &public["data"][0];
    assert_eq!(
        (first["object"].clone(), first["type"].clone()),
        (json!("event"), json!(1503))
    );
    assert_eq!(first["memberId"], json!(id));
    let wide = bw
        .get(
            "/public/events?start=2020-01-01T00:00:00Z&end=2022-01-01T00:00:00Z",
            &token,
        )
        .await;
    assert_eq!(wide.status, 400);
    assert_eq!(
        wide.json()["message"],
        "Date range must be 367 days or less."
    );
    let cols = bw.get("/public/collections", &token).await.ok();
    assert_eq!(
        (cols["object"].clone(), cols["data"].clone()),
        (json!("list"), json!([]))
    );
}

#[actix_rt::test]
async fn only_the_organization_token_opens_the_public_api() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    expect_empty(&bw.get("/public/members", &owner).await, 403);
    let none = bw
        .app
        .send(Req::get("/public/members").auth(Auth::None))
        .await;
    expect_empty(&none, 401);
    // And the organization token cannot call the private API.
    let token = org_token(&bw).await;
    let private = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), &token)
        .await;
    expect_empty(&private, 403);
}
