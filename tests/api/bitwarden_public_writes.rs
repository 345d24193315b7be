//! The Public API's writes with the organization API key: a member's role, permissions,
//! collections and external id changed (what is left out is reset), its invitation re-sent,
//! its access revoked and restored; policies read and saved under the private route's rules;
//! collections read, changed and deleted. Each refusal in the server's status and words, and
//! a refusal changes nothing.

use serde_json::{json, Value};

use crate::bitwarden_policy_enforcement::create_org;
use crate::bitwarden_public::org_token;
use crate::bitwarden_support::*;

const NAME: &str = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA";

/// A collection of the demo organization made by its owner; answers its id.
async fn collection(bw: &BwApp, owner: &str) -> String {
    let path = format!("/api/organizations/{}/collections", bw.org_id);
    let made = bw
        .call("POST", &path, owner, json!({"name": NAME}))
        .await
        .ok();
    made["id"].as_str().unwrap().to_string()
}

/// The demo organization's event log (newest first), read by its owner.
async fn event_log(bw: &BwApp, owner: &str) -> Value {
    bw.get(&format!("/api/organizations/{}/events", bw.org_id), owner)
        .await
        .ok()
}

/// Asserts the Public API's `ErrorResponseModel` with this message and no field errors.
fn expect_public_error(r: &crate::helpers::Resp, status: u16, message: &str) {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.json(),
        json!({"object": "error", "message": message, "errors": null})
    );
}

/// Asserts a Public API model-state 400 naming `field`.
fn expect_field_error(r: &crate::helpers::Resp, field: &str, message: &str) {
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    let b = r.json();
    assert_eq!(b["message"], "The request's model state is invalid.", "{b}");
    assert_eq!(b["errors"][field], json!([message]), "{b}");
}

#[actix_rt::test]
async fn a_member_is_changed_through_the_public_api_and_what_is_left_out_is_reset() {
    let bw = spawn_bw().await;
    let (owner, token) = (bw.login(ART).await, org_token(&bw).await);
    let col = collection(&bw, &owner).await;
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let path = format!("/public/members/{kramer}");
    let custom = json!({
        "type": 4, "externalId": "dir-k", "permissions": {"manageUsers": true},
        "collections": [{"id": col, "readOnly": true}],
    });
    let changed = bw.call("PUT", &path, &token, custom).await.ok();
    assert_eq!(
        (
            changed["object"].clone(),
            changed["type"].clone(),
            changed["externalId"].clone(),
            changed["name"].clone(),
            changed["permissions"]["manageUsers"].clone()
        ),
        (
            json!("member"),
            json!(4),
            json!("dir-k"),
            json!("Cosmo Kramer"),
            json!(true)
        )
    );
    let access = json!([{"id": col, "readOnly": true, "hidePasswords": false, "manage": false}]);
    assert_eq!(changed["collections"], access);
    assert_eq!(bw.get(&path, &token).await.ok()["collections"], access);
    // The list carries each member's collections too.
    let all = bw.get("/public/members", &token).await.ok();
    let listed = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == json!(kramer));
    assert_eq!(listed.unwrap()["collections"], access);

    // Left out: the collections are emptied and the external id cleared.
    let plain = bw.call("PUT", &path, &token, json!({"type": 2})).await.ok();
    assert_eq!(
        (plain["collections"].clone(), plain["externalId"].clone()),
        (Value::Null, Value::Null)
    );
    let read = bw.get(&path, &token).await.ok();
    assert_eq!(
        (
            read["type"].clone(),
            read["collections"].clone(),
            read["permissions"].clone()
        ),
        (json!(2), json!([]), Value::Null)
    );
    let log = event_log(&bw, &owner).await;
    assert_eq!(
        (
            log["data"][0]["type"].clone(),
            log["data"][0]["systemUser"].clone()
        ),
        (json!(1502), json!(3))
    );

    let before = bw.snapshot().await;
    let r = bw
        .call(
            "PUT",
            &path,
            &token,
            json!({"type": 2, "permissions": {"manageUsers": true}}),
        )
        .await;
    expect_field_error(
        &r,
        "",
        "Only users with the Custom role may use custom permissions.",
    );
    expect_field_error(
        &bw.call("PUT", &path, &token, json!({"externalId": "x"}))
            .await,
        "Type",
        "The Type field is required.",
    );
    let r = bw
        .call(
            "PUT",
            &path,
            &token,
            json!({"type": 2, "collections": [{"id": col}]}),
        )
        .await;
    expect_field_error(
        &r,
        "Collections[0].ReadOnly",
        "The ReadOnly field is required.",
    );
    let r = bw
        .call(
            "PUT",
            &path,
            &token,
            json!({"type": 2, "collections": [{"id": col, "readOnly": true, "manage": true}]}),
        )
        .await;
    expect_public_error(&r, 400, "The Manage property is mutually exclusive and cannot be true while the ReadOnly or HidePasswords properties are also true.");
    let art = member_id(&bw, &owner, ART).await;
    let r = bw
        .call(
            "PUT",
            &format!("/public/members/{art}"),
            &token,
            json!({"type": 1}),
        )
        .await;
    expect_public_error(
        &r,
        400,
        "Organization must have at least one confirmed owner.",
    );
    let unknown = "/public/members/00000000-0000-0000-0000-000000000009";
    expect_empty(
        &bw.call("PUT", unknown, &token, json!({"type": 2})).await,
        404,
    );
    expect_empty(
        &bw.call("PUT", &path, &owner, json!({"type": 2})).await,
        403,
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
}

#[actix_rt::test]
async fn an_invitation_is_resent_and_a_member_revoked_and_restored_through_the_public_api() {
    let bw = spawn_bw().await;
    let (owner, token) = (bw.login(ART).await, org_token(&bw).await);
    let made = bw
        .call(
            "POST",
            "/public/members",
            &token,
            json!({"email": "bania@vandelay.test", "type": 2}),
        )
        .await
        .ok();
    let bania = made["id"].as_str().unwrap();
    let mails = |bw: &BwApp| {
        bw.app.count(
            "SELECT count(*) FROM outbox WHERE recipient = 'bania@vandelay.test' AND kind = 'invitation'",
        )
    };
    assert_eq!(mails(&bw), 1);
    expect_empty(
        &bw.call(
            "POST",
            &format!("/public/members/{bania}/reinvite"),
            &token,
            json!(null),
        )
        .await,
        200,
    );
    assert_eq!(mails(&bw), 2);

    let kramer = member_id(&bw, &owner, KRAMER).await;
    let art = member_id(&bw, &owner, ART).await;
    let at = |id: &str, action: &str| format!("/public/members/{id}/{action}");
    let before = bw.snapshot().await;
    let outbox = bw.app.count("SELECT count(*) FROM outbox");
    let r = bw
        .call("POST", &at(&kramer, "reinvite"), &token, json!(null))
        .await;
    expect_public_error(&r, 400, "User invalid.");
    let r = bw
        .call("POST", &at(&art, "revoke"), &token, json!(null))
        .await;
    expect_public_error(
        &r,
        400,
        "Organization must have at least one confirmed owner.",
    );
    let r = bw
        .call("POST", &at(&kramer, "restore"), &token, json!(null))
        .await;
    expect_public_error(&r, 400, "Already active.");
    let unknown = "00000000-0000-0000-0000-000000000009";
    for action in ["reinvite", "revoke", "restore"] {
        let r = bw
            .call("POST", &at(unknown, action), &token, json!(null))
            .await;
        expect_empty(&r, 404);
    }
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    assert_eq!(outbox, bw.app.count("SELECT count(*) FROM outbox"));

    let revoke = at(&kramer, "revoke");
    expect_empty(&bw.call("POST", &revoke, &token, json!(null)).await, 200);
    let read = bw
        .get(&format!("/public/members/{kramer}"), &token)
        .await
        .ok();
    assert_eq!(read["status"], -1);
    let r = bw.call("POST", &revoke, &token, json!(null)).await;
    expect_public_error(&r, 400, "Already revoked.");
    let restore = at(&kramer, "restore");
    expect_empty(&bw.call("POST", &restore, &token, json!(null)).await, 200);
    let read = bw
        .get(&format!("/public/members/{kramer}"), &token)
        .await
        .ok();
    assert_eq!(read["status"], 2);
    let log = event_log(&bw, &owner).await;
    let types: Vec<Value> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|e| json!([e["type"], e["systemUser"]]))
        .collect();
    assert_eq!(types, vec![json!([1512, 3]), json!([1511, 3])]);
}

#[actix_rt::test]
async fn policies_are_read_and_saved_through_the_public_api_under_the_private_rules() {
    let bw = spawn_bw().await;
    let (owner, token) = (bw.login(ART).await, org_token(&bw).await);
    assert_eq!(
        bw.get("/public/policies", &token).await.ok(),
        json!({"object": "list", "data": [], "continuationToken": null})
    );
    // Never saved: an empty 404 (the private route answers a policy that is off).
    expect_empty(&bw.get("/public/policies/1", &token).await, 404);
    expect_empty(&bw.get("/public/policies/Nonsense", &token).await, 404);

    let before = bw.snapshot().await;
    let r = bw
        .call(
            "PUT",
            "/public/policies/8",
            &token,
            json!({"enabled": true}),
        )
        .await;
    expect_public_error(
        &r,
        400,
        "Turn on the Single organization policy because it is required for the Account recovery administration policy.",
    );
    let r = bw
        .call(
            "PUT",
            "/public/policies/MasterPassword",
            &token,
            json!({"enabled": true, "data": {"minLength": 4}}),
        )
        .await;
    expect_public_error(
        &r,
        400,
        "Invalid data for MasterPassword policy: The field MinLength must be between 12 and 128.",
    );
    expect_field_error(
        &bw.call("PUT", "/public/policies/1", &token, json!({"data": null}))
            .await,
        "Enabled",
        "The Enabled field is required.",
    );
    expect_empty(
        &bw.call(
            "PUT",
            "/public/policies/1",
            &owner,
            json!({"enabled": true}),
        )
        .await,
        403,
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    let data = json!({"minLength": 14, "requireUpper": true});
    let saved = bw
        .call(
            "PUT",
            "/public/policies/1",
            &token,
            json!({"enabled": true, "data": data}),
        )
        .await
        .ok();
    assert_eq!(
        (
            saved["object"].clone(),
            saved["type"].clone(),
            saved["enabled"].clone(),
            saved["data"].clone()
        ),
        (json!("policy"), json!(1), json!(true), data)
    );
    assert!(saved["id"].is_string());
    assert_eq!(bw.get("/public/policies/1", &token).await.ok(), saved);
    let listed = bw.get("/public/policies", &token).await.ok();
    assert_eq!(listed["data"], json!([saved]));
    // The private route sees the same policy.
    let private = bw
        .get(
            &format!("/api/organizations/{}/policies/1", bw.org_id),
            &owner,
        )
        .await
        .ok();
    assert_eq!(
        (private["id"].clone(), private["enabled"].clone()),
        (saved["id"].clone(), json!(true))
    );
}

#[actix_rt::test]
async fn collections_are_read_changed_and_deleted_through_the_public_api() {
    let bw = spawn_bw().await;
    let (owner, token) = (bw.login(ART).await, org_token(&bw).await);
    let col = collection(&bw, &owner).await;
    let path = format!("/public/collections/{col}");
    assert_eq!(
        bw.get(&path, &token).await.ok(),
        json!({"object": "collection", "id": col, "externalId": null, "groups": []})
    );
    let changed = bw
        .call("PUT", &path, &token, json!({"externalId": "ext-1"}))
        .await
        .ok();
    assert_eq!(
        changed,
        json!({"object": "collection", "id": col, "externalId": "ext-1", "groups": null})
    );
    assert_eq!(bw.get(&path, &token).await.ok()["externalId"], "ext-1");
    let log = event_log(&bw, &owner).await;
    assert_eq!(
        (
            log["data"][0]["type"].clone(),
            log["data"][0]["collectionId"].clone(),
            log["data"][0]["systemUser"].clone()
        ),
        (json!(1301), json!(col), json!(3))
    );

    // Another organization's collection is not there.
    let other = create_org(&bw, &bw.login(KRAMER).await, "Kramerica")
        .await
        .ok();
    let kramer = bw.login(KRAMER).await;
    let theirs = bw
        .call(
            "POST",
            &format!(
                "/api/organizations/{}/collections",
                other["id"].as_str().unwrap()
            ),
            &kramer,
            json!({"name": NAME}),
        )
        .await
        .ok();
    let theirs = format!("/public/collections/{}", theirs["id"].as_str().unwrap());

    let before = bw.snapshot().await;
    let group = "00000000-0000-0000-0000-00000000000a";
    let r = bw
        .call(
            "PUT",
            &path,
            &token,
            json!({"groups": [{"id": group, "readOnly": true, "manage": true}]}),
        )
        .await;
    expect_public_error(&r, 400, "The Manage property is mutually exclusive and cannot be true while the ReadOnly or HidePasswords properties are also true.");
    expect_field_error(
        &bw.call("PUT", &path, &token, json!({"groups": [{"id": group}]}))
            .await,
        "Groups[0].ReadOnly",
        "The ReadOnly field is required.",
    );
    expect_field_error(
        &bw.call("PUT", &path, &token, json!({"externalId": "x".repeat(301)}))
            .await,
        "ExternalId",
        "The field ExternalId must be a string with a maximum length of 300.",
    );
    expect_empty(&bw.get(&theirs, &token).await, 404);
    expect_empty(
        &bw.call("PUT", &theirs, &token, json!({"externalId": "mine"}))
            .await,
        404,
    );
    expect_empty(&bw.call("DELETE", &theirs, &token, json!(null)).await, 404);
    expect_empty(&bw.call("DELETE", &path, &owner, json!(null)).await, 403);
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    expect_empty(&bw.call("DELETE", &path, &token, json!(null)).await, 200);
    expect_empty(&bw.get(&path, &token).await, 404);
    assert_eq!(
        bw.get("/public/collections", &token).await.ok()["data"],
        json!([])
    );
    // As on the server, the Public API deletes through the repository: no event.
    let log = event_log(&bw, &owner).await;
    assert!(!log["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == 1302));
}
