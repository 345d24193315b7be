//! Collections over raw requests: who may create, read, change and delete them, member
//! access with readOnly/hidePasswords/manage, and the events they leave.

use serde_json::{json, Value};

use crate::bitwarden_support::*;

const NAME: &str = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA";

#[actix_rt::test]
async fn collections_are_made_read_changed_and_deleted_by_those_the_rules_allow() {
    let bw = spawn_bw().await;
    let (owner, user) = (bw.login(ART).await, bw.login(KRAMER).await);
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let base = format!("/api/organizations/{}/collections", bw.org_id);
    let before = bw.snapshot().await;
    // Bad input: a name that is no encrypted string, and manage paired with readOnly.
    let e = expect_bw_error(
        &bw.call("POST", &base, &owner, json!({"name": "Sales"}))
            .await,
        400,
        "The model state is invalid.",
    );
    assert_eq!(
        e["validationErrors"]["Name"][0],
        "Name is not a valid encrypted string."
    );
    let conflicting =
        json!({"name": NAME, "users": [{"id": kramer, "readOnly": true, "manage": true}]});
    let r = bw.call("POST", &base, &owner, conflicting).await;
    assert_eq!(r.status, 400);
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    let made = bw
        .call(
            "POST",
            &base,
            &owner,
            json!({"name": NAME, "externalId": "sales", "users": [{"id": kramer, "readOnly": true, "hidePasswords": false, "manage": false}]}),
        )
        .await
        .ok();
    assert_eq!(made["object"], "collectionAccessDetails");
    assert_eq!(
        (made["name"].clone(), made["externalId"].clone()),
        (json!(NAME), json!("sales"))
    );
    let id = made["id"].as_str().unwrap().to_string();
    let details = bw.get(&format!("{base}/{id}/details"), &owner).await.ok();
    assert_eq!(details["object"], "collectionAccessDetails");
    assert_eq!(
        details["users"],
        json!([{"id": kramer, "readOnly": true, "hidePasswords": false, "manage": false}])
    );
    // Kramer sees the collection he is assigned to read-only in his own list; the
    // organization's list shows a member only what it manages (the server's `GetAll`). He
    // may not change it.
    let ids_of = |listed: Value| -> Vec<Value> {
        listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect()
    };
    assert_eq!(
        ids_of(bw.get("/api/collections", &user).await.ok()),
        vec![json!(id)]
    );
    assert!(ids_of(bw.get(&base, &user).await.ok()).is_empty());
    let before = bw.snapshot().await;
    let r = bw
        .call("PUT", &format!("{base}/{id}"), &user, json!({"name": NAME}))
        .await;
    expect_bw_error(&r, 404, "Resource not found.");
    let r = bw
        .call("DELETE", &format!("{base}/{id}"), &user, json!(null))
        .await;
    expect_bw_error(&r, 404, "Resource not found.");
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    // The owner renames it and gives Kramer manage; then Kramer may delete it.
    let renamed = "2.QUJDREVGR0hJSktMTU5PUA==|QUJD|QUJD";
    let r = bw
        .call(
            "PUT",
            &format!("{base}/{id}"),
            &owner,
            json!({"name": renamed, "users": [{"id": kramer, "readOnly": false, "hidePasswords": false, "manage": true}]}),
        )
        .await
        .ok();
    assert_eq!(r["name"], renamed);
    let user = bw.login(KRAMER).await;
    expect_empty(
        &bw.call("DELETE", &format!("{base}/{id}"), &user, json!(null))
            .await,
        200,
    );
    expect_bw_error(
        &bw.get(&format!("{base}/{id}"), &owner).await,
        404,
        "Resource not found.",
    );
    let events = bw
        .get(&format!("/api/organizations/{}/events", bw.org_id), &owner)
        .await
        .ok();
    let types: Vec<Value> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(types, vec![json!(1302), json!(1301), json!(1300)]);
    assert_eq!(events["data"][0]["collectionId"], json!(id));
}

#[actix_rt::test]
async fn a_free_organization_holds_two_collections() {
    let bw = spawn_bw().await;
    let token = bw.login(KRAMER).await;
    let body = json!({
        "name": "Kramerica", "billingEmail": "k@kramerica.test", "planType": 0, "key": "4.AAAA",
        "keys": {"publicKey": "AAAA", "encryptedPrivateKey": NAME},
    });
    let org = bw
        .call("POST", "/api/organizations", &token, body)
        .await
        .ok();
    let token = bw.login(KRAMER).await;
    let base = format!(
        "/api/organizations/{}/collections",
        org["id"].as_str().unwrap()
    );
    for _ in 0..2 {
        bw.call("POST", &base, &token, json!({"name": NAME}))
            .await
            .ok();
    }
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("POST", &base, &token, json!({"name": NAME})).await,
        400,
        "You have reached the maximum number of collections (2) for this organization.",
    );
    assert_eq!(before, bw.snapshot().await);
}
