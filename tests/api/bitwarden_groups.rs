//! Groups over raw requests (`GroupsController`, private and Public): a group made with a
//! collection and a member gives that member the collection; it is listed, changed, loses
//! its member and is deleted, each change in the event log; every refusal (a plain user, a
//! custom member without manageGroups, a plan without groups, another organization's
//! collection) has the server's status and words and changes nothing.

use orgbox::config::bitwarden::BitwardenUser;
use serde_json::{json, Value};

use crate::bitwarden_public::org_token;
use crate::bitwarden_support::*;

const NAME: &str = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA";
const ELAINE: &str = "elaine@vandelay.test";
const JERRY: &str = "jerry@vandelay.test";

/// A custom member of the demo organization with `permissions`.
fn custom(email: &str, permissions: &[&str]) -> BitwardenUser {
    BitwardenUser {
        email: email.into(),
        name: email.into(),
        master_password: MASTER.into(),
        role: Some("custom".into()),
        status: None,
        permissions: permissions.iter().map(|p| p.to_string()).collect(),
        api_key: None,
        claimed: false,
        uses_key_connector: false,
        two_factor: false,
    }
}

/// The demo world with Elaine (custom, manageUsers) and Jerry (custom, manageGroups).
async fn spawn() -> BwApp {
    spawn_bw_with(|c| {
        c.bitwarden.users.push(custom(ELAINE, &["manageUsers"]));
        c.bitwarden.users.push(custom(JERRY, &["manageGroups"]));
    })
    .await
}

/// The ids of a list answer's `data`.
fn ids(list: &Value) -> Vec<Value> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect()
}

async fn new_collection(bw: &BwApp, token: &str) -> String {
    let path = format!("/api/organizations/{}/collections", bw.org_id);
    let made = bw
        .call("POST", &path, token, json!({"name": NAME}))
        .await
        .ok();
    made["id"].as_str().unwrap().to_string()
}

/// Kramer's own (free) organization: its id and Kramer's token naming it.
async fn kramerica(bw: &BwApp) -> (String, String) {
    let kramer = bw.login(KRAMER).await;
    let body = json!({
        "name": "Kramerica", "billingEmail": "k@kramerica.test", "planType": 0, "key": "4.AAAA",
        "keys": {"publicKey": "AAAA", "encryptedPrivateKey": NAME},
    });
    let org = bw
        .call("POST", "/api/organizations", &kramer, body)
        .await
        .ok();
    (
        org["id"].as_str().unwrap().to_string(),
        bw.login(KRAMER).await,
    )
}

async fn event_types(bw: &BwApp, owner: &str) -> Vec<Value> {
    let path = format!("/api/organizations/{}/events", bw.org_id);
    let events = bw.get(&path, owner).await.ok();
    events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e["type"], e["groupId"], e["organizationUserId"]]))
        .collect()
}

#[actix_rt::test]
async fn a_group_gives_its_members_its_collections_until_it_loses_them() {
    let bw = spawn().await;
    let (owner, user) = (bw.login(ART).await, bw.login(KRAMER).await);
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let george = member_id(&bw, &owner, GEORGE).await;
    let col = new_collection(&bw, &owner).await;
    let cols = format!("/api/organizations/{}/collections", bw.org_id);
    assert_eq!(ids(&bw.get(&cols, &user).await.ok()), Vec::<Value>::new());

    let base = format!("/api/organizations/{}/groups", bw.org_id);
    let access = json!([{"id": col, "readOnly": true, "hidePasswords": false, "manage": false}]);
    let made = bw
        .call(
            "POST",
            &base,
            &owner,
            json!({"name": "Sales", "collections": access, "users": [kramer]}),
        )
        .await
        .ok();
    assert_eq!(made["object"], "group");
    assert_eq!(
        (
            made["name"].clone(),
            made["organizationId"].clone(),
            made["externalId"].clone()
        ),
        (json!("Sales"), json!(bw.org_id), Value::Null)
    );
    let id = made["id"].as_str().unwrap().to_string();
    assert_eq!(ids(&bw.get(&base, &owner).await.ok()), vec![json!(id)]);
    let details = bw.get(&format!("{base}/details"), &owner).await.ok();
    assert_eq!(details["data"][0]["object"], "groupDetails");
    assert_eq!(details["data"][0]["collections"], access);
    let one = bw.get(&format!("{base}/{id}/details"), &owner).await.ok();
    assert_eq!(one["collections"], access);
    assert_eq!(
        bw.get(&format!("{base}/{id}"), &owner).await.ok()["object"],
        "group"
    );
    let users = bw.get(&format!("{base}/{id}/users"), &owner).await.ok();
    assert_eq!(users, json!([kramer]));

    // Kramer reaches the collection through the group alone, read-only: his own list has it;
    // the organization's list and reading it there need manage.
    assert_eq!(
        ids(&bw.get("/api/collections", &user).await.ok()),
        vec![json!(col)]
    );
    assert!(ids(&bw.get(&cols, &user).await.ok()).is_empty());
    let r = bw.get(&format!("{cols}/{col}"), &user).await;
    assert_eq!(r.status, 404, "reading needs manage");
    let synced = bw.get("/api/sync", &user).await.ok();
    assert_eq!(
        synced["collections"],
        json!([{"object": "collectionDetails", "id": col, "organizationId": bw.org_id,
            "name": NAME, "externalId": null, "type": 0, "readOnly": true,
            "hidePasswords": false, "manage": false}])
    );
    let members = format!("/api/organizations/{}/users?includeGroups=true", bw.org_id);
    let listed = bw.get(&members, &owner).await.ok();
    let k = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == json!(kramer))
        .unwrap();
    assert_eq!(k["groups"], json!([id]));

    // The update renames it, gives it manage and adds George; the obsolete POST does the same.
    let managed = json!([{"id": col, "readOnly": false, "hidePasswords": false, "manage": true}]);
    let body = json!({"name": "Sales EU", "collections": managed, "users": [kramer, george]});
    let saved = bw
        .call("PUT", &format!("{base}/{id}"), &owner, body.clone())
        .await
        .ok();
    assert_eq!(saved["name"], "Sales EU");
    bw.call("POST", &format!("{base}/{id}"), &owner, body)
        .await
        .ok();
    let one = bw.get(&format!("{base}/{id}/details"), &owner).await.ok();
    assert_eq!(one["collections"], managed);
    let mut users = bw.get(&format!("{base}/{id}/users"), &owner).await.ok();
    users.as_array_mut().unwrap().sort_by_key(|v| v.to_string());
    let mut want = vec![json!(kramer), json!(george)];
    want.sort_by_key(|v| v.to_string());
    assert_eq!(users, json!(want));
    // Managing it through the group, Kramer may now read it.
    bw.get(&format!("{cols}/{col}"), &user).await.ok();

    // Kramer leaves the group and with it the collection.
    let r = bw
        .call(
            "DELETE",
            &format!("{base}/{id}/user/{kramer}"),
            &owner,
            json!(null),
        )
        .await;
    expect_empty(&r, 200);
    assert_eq!(
        ids(&bw.get("/api/collections", &user).await.ok()),
        Vec::<Value>::new()
    );
    let synced = bw.get("/api/sync", &user).await.ok();
    assert_eq!(synced["collections"], json!([]));

    expect_empty(
        &bw.call("DELETE", &format!("{base}/{id}"), &owner, json!(null))
            .await,
        200,
    );
    expect_bw_error(
        &bw.get(&format!("{base}/{id}"), &owner).await,
        404,
        "Resource not found.",
    );
    let g = json!(id);
    let (k, gg) = (json!(kramer), json!(george));
    let n = Value::Null;
    assert_eq!(
        event_types(&bw, &owner).await[..6].to_vec(),
        vec![
            json!([1402, g, n]),
            json!([1504, n, k]),
            json!([1401, g, n]),
            json!([1401, g, n]),
            json!([1504, n, gg]),
            json!([1400, g, n]),
        ]
    );
}

#[actix_rt::test]
async fn groups_are_refused_to_those_without_manage_groups_and_to_plans_without_them() {
    let bw = spawn().await;
    let owner = bw.login(ART).await;
    let (user, elaine, jerry) = (
        bw.login(KRAMER).await,
        bw.login(ELAINE).await,
        bw.login(JERRY).await,
    );
    let base = format!("/api/organizations/{}/groups", bw.org_id);
    let made = bw
        .call("POST", &base, &owner, json!({"name": "Ops"}))
        .await
        .ok();
    let id = made["id"].as_str().unwrap().to_string();
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let before = bw.snapshot().await;
    // A plain user and a custom member without manageGroups: an empty 403 on every change
    // and on one group, whatever the body.
    for token in [&user, &elaine] {
        let calls = [
            ("POST", base.clone(), json!({"name": "Mine"})),
            ("POST", base.clone(), json!({})),
            (
                "PUT",
                format!("{base}/{id}"),
                json!({"name": "Mine", "collections": []}),
            ),
            ("DELETE", format!("{base}/{id}"), json!(null)),
            ("DELETE", base.clone(), json!({"ids": [id]})),
            ("DELETE", format!("{base}/{id}/user/{kramer}"), json!(null)),
            ("GET", format!("{base}/{id}"), json!(null)),
            ("GET", format!("{base}/{id}/users"), json!(null)),
        ];
        for (method, path, body) in calls {
            expect_empty(&bw.call(method, &path, token, body).await, 403);
        }
    }
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    // Listing: any member may (it may create collections); the details need manageUsers or
    // manageGroups.
    assert_eq!(ids(&bw.get(&base, &user).await.ok()), vec![json!(id)]);
    expect_empty(&bw.get(&format!("{base}/details"), &user).await, 403);
    bw.get(&format!("{base}/details"), &elaine).await.ok();
    // Jerry (manageGroups) may change groups, and give them any collection.
    let col = new_collection(&bw, &owner).await;
    let access = json!([{"id": col, "readOnly": false}]);
    bw.call(
        "PUT",
        &format!("{base}/{id}"),
        &jerry,
        json!({"name": "Ops", "collections": access}),
    )
    .await
    .ok();

    // Bad input and foreign collections, refused by the owner's own requests.
    let before = bw.snapshot().await;
    let e = expect_bw_error(
        &bw.call("POST", &base, &owner, json!({"name": ""})).await,
        400,
        "The model state is invalid.",
    );
    assert_eq!(
        e["validationErrors"]["Name"][0],
        "The Name field is required."
    );
    let long = "x".repeat(101);
    let e = expect_bw_error(
        &bw.call("POST", &base, &owner, json!({"name": long})).await,
        400,
        "The model state is invalid.",
    );
    assert_eq!(
        e["validationErrors"]["Name"][0],
        "The field Name must be a string with a maximum length of 100."
    );
    let conflict = json!([{"id": col, "readOnly": true, "manage": true}]);
    expect_bw_error(
        &bw.call("POST", &base, &owner, json!({"name": "X", "collections": conflict})).await,
        400,
        "The Manage property is mutually exclusive and cannot be true while the ReadOnly or HidePasswords properties are also true.",
    );
    let unknown = json!([{"id": "00000000-0000-0000-0000-000000000001"}]);
    expect_bw_error(
        &bw.call(
            "POST",
            &base,
            &owner,
            json!({"name": "X", "collections": unknown}),
        )
        .await,
        404,
        "Resource not found.",
    );
    let stranger = "00000000-0000-0000-0000-000000000002";
    expect_bw_error(
        &bw.call(
            "PUT",
            &format!("{base}/{id}"),
            &owner,
            json!({"name": "X", "collections": [], "users": [stranger]}),
        )
        .await,
        404,
        "Resource not found.",
    );
    expect_bw_error(
        &bw.call(
            "PUT",
            &format!("{base}/{stranger}"),
            &owner,
            json!({"name": "X", "collections": []}),
        )
        .await,
        404,
        "Resource not found.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    // A plan without groups: creating and updating are refused in the server's words;
    // reading and deleting are not.
    bw.patch_org(&bw.org_id, json!({"features": {"useGroups": false}}));
    let before = bw.snapshot().await;
    for (method, path) in [("POST", base.clone()), ("PUT", format!("{base}/{id}"))] {
        expect_bw_error(
            &bw.call(
                method,
                &path,
                &owner,
                json!({"name": "Ops", "collections": []}),
            )
            .await,
            400,
            "This organization cannot use groups.",
        );
    }
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    bw.get(&format!("{base}/{id}/details"), &owner).await.ok();
    expect_empty(
        &bw.call(
            "POST",
            &format!("{base}/delete"),
            &owner,
            json!({"ids": [id]}),
        )
        .await,
        200,
    );
    assert_eq!(ids(&bw.get(&base, &owner).await.ok()), Vec::<Value>::new());
}

#[actix_rt::test]
async fn another_organizations_collection_is_never_given_to_a_group() {
    let bw = spawn().await;
    let (other, kramer) = kramerica(&bw).await;
    let path = format!("/api/organizations/{other}/collections");
    let theirs = bw
        .call("POST", &path, &kramer, json!({"name": NAME}))
        .await
        .ok();
    let theirs = theirs["id"].as_str().unwrap().to_string();
    let owner = bw.login(ART).await;
    let base = format!("/api/organizations/{}/groups", bw.org_id);
    let made = bw
        .call("POST", &base, &owner, json!({"name": "Ops"}))
        .await
        .ok();
    let id = made["id"].as_str().unwrap();
    let before = bw.snapshot().await;
    let access = json!([{"id": theirs, "readOnly": false}]);
    for (method, path) in [("POST", base.clone()), ("PUT", format!("{base}/{id}"))] {
        expect_bw_error(
            &bw.call(
                method,
                &path,
                &owner,
                json!({"name": "Ops", "collections": access}),
            )
            .await,
            404,
            "Resource not found.",
        );
    }
    // Kramer, a plain user of the demo organization, may not read its group either.
    expect_empty(&bw.get(&format!("{base}/{id}"), &kramer).await, 403);
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
}

#[actix_rt::test]
async fn the_organization_api_key_manages_groups_and_their_members() {
    let bw = spawn().await;
    let token = org_token(&bw).await;
    let owner = bw.login(ART).await;
    let col = new_collection(&bw, &owner).await;
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let access = json!([{"id": col, "readOnly": true, "hidePasswords": true, "manage": false}]);
    let made = bw
        .call(
            "POST",
            "/public/groups",
            &token,
            json!({"name": "Directory", "externalId": "dir-1", "collections": access}),
        )
        .await
        .ok();
    assert_eq!(
        (
            made["object"].clone(),
            made["externalId"].clone(),
            made["collections"].clone()
        ),
        (json!("group"), json!("dir-1"), access.clone())
    );
    let id = made["id"].as_str().unwrap().to_string();
    let all = bw.get("/public/groups", &token).await.ok();
    assert_eq!(
        (all["object"].clone(), ids(&all)),
        (json!("list"), vec![json!(id)])
    );
    assert_eq!(all["data"][0]["collections"], access);
    let path = format!("/public/groups/{id}");
    assert_eq!(bw.get(&path, &token).await.ok()["name"], "Directory");

    let members = format!("{path}/member-ids");
    expect_empty(
        &bw.call("PUT", &members, &token, json!({"memberIds": [kramer]}))
            .await,
        200,
    );
    assert_eq!(bw.get(&members, &token).await.ok(), json!([kramer]));
    let group_ids = format!("/public/members/{kramer}/group-ids");
    assert_eq!(bw.get(&group_ids, &token).await.ok(), json!([id]));
    let user = bw.login(KRAMER).await;
    let cols = "/api/collections";
    assert_eq!(ids(&bw.get(cols, &user).await.ok()), vec![json!(col)]);
    expect_empty(
        &bw.call("PUT", &group_ids, &token, json!({"groupIds": []}))
            .await,
        200,
    );
    assert_eq!(bw.get(&members, &token).await.ok(), json!([]));

    // The update replaces name and external id; refusals change nothing.
    let saved = bw
        .call("PUT", &path, &token, json!({"name": "Directory 2"}))
        .await
        .ok();
    assert_eq!(
        (saved["externalId"].clone(), saved["collections"].clone()),
        (Value::Null, Value::Null)
    );
    let before = bw.snapshot().await;
    let unknown = json!([{"id": "00000000-0000-0000-0000-000000000001", "readOnly": false}]);
    let r = bw
        .call(
            "PUT",
            &path,
            &token,
            json!({"name": "X", "collections": unknown}),
        )
        .await;
    assert_eq!(
        (r.status, r.json()),
        (
            404,
            json!({"object": "error", "message": "Resource not found.", "errors": null})
        )
    );
    let r = bw
        .call(
            "POST",
            "/public/groups",
            &token,
            json!({"name": "X", "collections": [{"id": col}]}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["errors"]["Collections[0].ReadOnly"][0],
        "The ReadOnly field is required."
    );
    let stranger = "/public/groups/00000000-0000-0000-0000-000000000002";
    expect_empty(&bw.get(stranger, &token).await, 404);
    expect_empty(&bw.call("DELETE", stranger, &token, json!(null)).await, 404);
    expect_empty(&bw.get("/public/groups", &owner).await, 403);
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    bw.patch_org(&bw.org_id, json!({"features": {"useGroups": false}}));
    let before = bw.snapshot().await;
    let r = bw
        .call("POST", "/public/groups", &token, json!({"name": "X"}))
        .await;
    assert_eq!(
        (r.status, r.json()),
        (
            400,
            json!({"object": "error", "message": "This organization cannot use groups.", "errors": null})
        )
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    expect_empty(&bw.call("DELETE", &path, &token, json!(null)).await, 200);
    expect_empty(&bw.get(&path, &token).await, 404);
    // The member's group change was logged; the Public API's delete is not.
    let types: Vec<Value> = event_types(&bw, &owner)
        .await
        .iter()
        .map(|e| e[0].clone())
        .collect();
    assert_eq!(
        types[..3].to_vec(),
        vec![json!(1401), json!(1504), json!(1400)]
    );
}

#[actix_rt::test]
async fn an_invitation_cannot_put_a_member_into_another_organizations_group() {
    let bw = spawn().await;
    let (other, kramer) = kramerica(&bw).await;
    bw.patch_org(&other, json!({"features": {"useGroups": true}}));
    let theirs = format!("/api/organizations/{other}/groups");
    let group = bw
        .call("POST", &theirs, &kramer, json!({"name": "Inner circle"}))
        .await
        .ok();
    let group = group["id"].as_str().unwrap().to_string();
    // Art invites into his organization naming Kramer's group; the server's stored procedure
    // joins groups on the organization, so the invitation goes through without it.
    let owner = bw.login(ART).await;
    let invite = format!("/api/organizations/{}/users/invite", bw.org_id);
    let body =
        json!({"emails": ["bania@vandelay.test"], "type": 2, "groups": [group], "collections": []});
    expect_empty(&bw.call("POST", &invite, &owner, body).await, 200);
    let bania = member_id(&bw, &owner, "bania@vandelay.test").await;
    let one = format!(
        "/api/organizations/{}/users/{bania}?includeGroups=true",
        bw.org_id
    );
    assert_eq!(bw.get(&one, &owner).await.ok()["groups"], json!([]));
    let users = bw
        .get(&format!("{theirs}/{group}/users"), &kramer)
        .await
        .ok();
    assert_eq!(users, json!([]));
}

#[actix_rt::test]
async fn a_member_removed_while_joining_a_group_leaves_no_trace_in_it() {
    let bw = spawn().await;
    let owner = bw.login(ART).await;
    let base = format!("/api/organizations/{}/groups", bw.org_id);
    let made = bw
        .call("POST", &base, &owner, json!({"name": "Ops"}))
        .await
        .ok();
    let id = made["id"].as_str().unwrap();
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let body = json!({"name": "Ops", "collections": [], "users": [kramer]});
    let remove = format!("/api/organizations/{}/users/{kramer}", bw.org_id);
    let update = format!("{base}/{id}");
    let calls = [
        ("PUT", update.as_str(), body),
        ("DELETE", remove.as_str(), json!(null)),
    ];
    let replies = futures_util::future::join_all(
        calls
            .into_iter()
            .map(|(method, path, body)| bw.call(method, path, &owner, body)),
    )
    .await;
    let (joined, removed) = (&replies[0], &replies[1]);
    assert_eq!(removed.status, 200);
    assert!([200, 404].contains(&joined.status), "{}", joined.status);
    let users = bw.get(&format!("{base}/{id}/users"), &owner).await.ok();
    assert_eq!(users, json!([]));
}

#[actix_rt::test]
async fn bad_group_bodies_are_model_state_errors_never_500s() {
    let bw = spawn().await;
    let owner = bw.login(ART).await;
    let base = format!("/api/organizations/{}/groups", bw.org_id);
    let before = bw.snapshot().await;
    let bodies = [
        json!({"name": 5}),
        json!({"name": "X", "collections": "all"}),
        json!({"name": "X", "collections": [{"id": "nope"}]}),
        json!({"name": "X", "users": ["nope"]}),
        json!([1, 2]),
    ];
    for body in bodies {
        let r = bw.call("POST", &base, &owner, body.clone()).await;
        expect_bw_error(&r, 400, "The model state is invalid.");
    }
    for path in [base.clone(), format!("{base}/delete")] {
        let method = if path == base { "DELETE" } else { "POST" };
        let r = bw.call(method, &path, &owner, json!({"ids": "x"})).await;
        expect_bw_error(&r, 400, "The model state is invalid.");
        let r = bw.call(method, &path, &owner, json!({})).await;
        expect_bw_error(&r, 400, "The model state is invalid.");
    }
    expect_bw_error(
        &bw.get(&format!("{base}/not-a-guid"), &owner).await,
        404,
        "Resource not found.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
}
