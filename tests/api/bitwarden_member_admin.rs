//! What an organization admin does to members after they joined: change a role, revoke,
//! restore, remove (one by one and in bulk), and who may do it: those without ManageUsers get
//! the server's empty 403, role conflicts its 400s, and every refusal changes nothing.

use serde_json::{json, Value};

use crate::bitwarden_support::*;

const NEWMAN: &str = "newman@vandelay.test";

async fn members(bw: &BwApp, token: &str) -> Vec<Value> {
    let list = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), token)
        .await
        .ok();
    list["data"].as_array().unwrap().clone()
}

fn role_body(member_type: i64) -> Value {
    json!({"type": member_type, "accessSecretsManager": false, "collections": [], "groups": []})
}

#[actix_rt::test]
async fn a_role_change_needs_manage_users_and_an_owner_for_owners_and_takes_a_token_refresh() {
    let bw = spawn_bw().await;
    let (owner, admin, user) = (
        bw.login(ART).await,
        bw.login(GEORGE).await,
        bw.login(KRAMER).await,
    );
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let art = member_id(&bw, &owner, ART).await;
    let path = |id: &str| format!("/api/organizations/{}/users/{id}", bw.org_id);
    let before = bw.snapshot().await;
    // A plain user has no ManageUsers: the empty 403.
    expect_empty(
        &bw.call("PUT", &path(&kramer), &user, role_body(1)).await,
        403,
    );
    // An admin may not touch an owner, nor make one.
    expect_bw_error(
        &bw.call("PUT", &path(&art), &admin, role_body(2)).await,
        400,
        "Only an Owner can configure another Owner's account.",
    );
    expect_bw_error(
        &bw.call("PUT", &path(&kramer), &admin, role_body(0)).await,
        400,
        "Only an Owner can configure another Owner's account.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    // The admin makes Kramer an admin.
    let r = bw.call("PUT", &path(&kramer), &admin, role_body(1)).await;
    expect_empty(&r, 200);
    let row = members(&bw, &owner)
        .await
        .into_iter()
        .find(|m| m["id"] == json!(kramer))
        .unwrap();
    assert_eq!(row["type"], 1);
    // Kramer's old token still says "user" (claims, as on the server); a fresh one says admin.
    let list = format!("/api/organizations/{}/users", bw.org_id);
    expect_bw_error(&bw.get(&list, &user).await, 404, "Resource not found.");
    let fresh = bw.login(KRAMER).await;
    assert_eq!(bw.get(&list, &fresh).await.status, 200);
    // Unknown or foreign member ids are 404s.
    let unknown = "00000000-0000-0000-0000-000000000001";
    expect_bw_error(
        &bw.call("PUT", &path(unknown), &owner, role_body(2)).await,
        404,
        "Resource not found.",
    );
}

#[actix_rt::test]
async fn revoke_restore_and_remove_follow_the_servers_rules_and_words() {
    let bw = spawn_bw().await;
    let (owner, admin, user) = (
        bw.login(ART).await,
        bw.login(GEORGE).await,
        bw.login(KRAMER).await,
    );
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let art = member_id(&bw, &owner, ART).await;
    let base = format!("/api/organizations/{}/users", bw.org_id);
    let before = bw.snapshot().await;
    expect_empty(
        &bw.call(
            "PUT",
            &format!("{base}/{kramer}/revoke"),
            &user,
            json!(null),
        )
        .await,
        403,
    );
    expect_bw_error(
        &bw.call("PUT", &format!("{base}/{art}/revoke"), &admin, json!(null))
            .await,
        400,
        "Only owners can revoke other owners.",
    );
    expect_bw_error(
        &bw.call("PUT", &format!("{base}/{art}/revoke"), &owner, json!(null))
            .await,
        400,
        "You cannot revoke yourself.",
    );
    expect_bw_error(
        &bw.call(
            "PUT",
            &format!("{base}/{kramer}/restore"),
            &admin,
            json!(null),
        )
        .await,
        400,
        "Already active.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    let revoke = format!("{base}/{kramer}/revoke");
    expect_empty(&bw.call("PUT", &revoke, &admin, json!(null)).await, 200);
    let row = |ms: Vec<Value>| ms.into_iter().find(|m| m["id"] == json!(kramer)).unwrap();
    assert_eq!(row(members(&bw, &owner).await)["status"], -1);
    expect_bw_error(
        &bw.call("PUT", &revoke, &admin, json!(null)).await,
        400,
        "Already revoked.",
    );
    // A revoked member no longer has the organization among its own (confirmed) ones.
    let orgs = bw
        .get("/api/organizations", &bw.login(KRAMER).await)
        .await
        .ok();
    assert_eq!(orgs["data"].as_array().unwrap().len(), 0);
    let restore = format!("{base}/{kramer}/restore");
    expect_empty(&bw.call("PUT", &restore, &admin, json!(null)).await, 200);
    assert_eq!(
        row(members(&bw, &owner).await)["status"],
        2,
        "back to confirmed"
    );

    expect_bw_error(
        &bw.call("DELETE", &format!("{base}/{art}"), &admin, json!(null))
            .await,
        400,
        "Only owners can remove other owners.",
    );
    expect_bw_error(
        &bw.call("DELETE", &format!("{base}/{art}"), &owner, json!(null))
            .await,
        400,
        "You cannot remove yourself.",
    );
    let remove = format!("{base}/{kramer}");
    expect_empty(&bw.call("DELETE", &remove, &admin, json!(null)).await, 200);
    assert!(members(&bw, &owner)
        .await
        .iter()
        .all(|m| m["id"] != json!(kramer)));
    expect_bw_error(
        &bw.call("DELETE", &remove, &admin, json!(null)).await,
        404,
        "Resource not found.",
    );
    let orgs = bw
        .get("/api/organizations", &bw.login(KRAMER).await)
        .await
        .ok();
    assert_eq!(orgs["data"].as_array().unwrap().len(), 0);
}

#[actix_rt::test]
async fn bulk_changes_answer_one_line_per_member() {
    let bw = spawn_bw().await;
    let (owner, admin) = (bw.login(ART).await, bw.login(GEORGE).await);
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let newman = member_id(&bw, &owner, NEWMAN).await;
    let art = member_id(&bw, &owner, ART).await;
    let base = format!("/api/organizations/{}/users", bw.org_id);
    let before = bw.snapshot().await;
    let e = expect_bw_error(
        &bw.call("PUT", &format!("{base}/revoke"), &admin, json!({"ids": []}))
            .await,
        400,
        "The model state is invalid.",
    );
    assert!(e["validationErrors"]["Ids"].is_array(), "{e}");
    assert_eq!(before, bw.snapshot().await);
    let r = bw
        .call(
            "PUT",
            &format!("{base}/revoke"),
            &admin,
            json!({"ids": [kramer, newman, art]}),
        )
        .await
        .ok();
    assert_eq!(r["object"], "list");
    let line = |id: &str| {
        r["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == json!(id))
            .unwrap()
            .clone()
    };
    assert_eq!(
        line(&kramer)["object"],
        "OrganizationBulkConfirmResponseModel"
    );
    assert_eq!(line(&kramer)["error"], "");
    assert_eq!(line(&newman)["error"], "");
    // The only confirmed owner cannot go (checked before who is asking, as in bulk).
    assert_eq!(
        line(&art)["error"],
        "Organization must have at least one confirmed owner."
    );
    let r = bw
        .call(
            "PUT",
            &format!("{base}/restore"),
            &admin,
            json!({"ids": [kramer, newman]}),
        )
        .await
        .ok();
    assert_eq!(r["data"].as_array().unwrap().len(), 2);
    let ms = members(&bw, &owner).await;
    let status = |id: &str| ms.iter().find(|m| m["id"] == json!(id)).unwrap()["status"].clone();
    assert_eq!((status(&kramer), status(&newman)), (json!(2), json!(1)));
    let r = bw
        .call("DELETE", &base, &admin, json!({"ids": [kramer, newman]}))
        .await
        .ok();
    assert!(
        r["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["error"] == ""),
        "{r}"
    );
    assert_eq!(members(&bw, &owner).await.len(), 2);
}

#[actix_rt::test]
async fn bulk_confirm_and_reinvite_answer_per_member() {
    let bw = spawn_bw().await;
    let (owner, user) = (bw.login(ART).await, bw.login(KRAMER).await);
    let newman = member_id(&bw, &owner, NEWMAN).await;
    let kramer = member_id(&bw, &owner, KRAMER).await;
    let base = format!("/api/organizations/{}/users", bw.org_id);
    let keys = json!({"keys": [{"id": newman, "key": "4.AAAA"}, {"id": kramer, "key": "4.AAAA"}]});
    let before = bw.snapshot().await;
    expect_empty(
        &bw.call("POST", &format!("{base}/confirm"), &user, keys.clone())
            .await,
        403,
    );
    assert_eq!(before, bw.snapshot().await);
    let r = bw
        .call("POST", &format!("{base}/confirm"), &owner, keys)
        .await
        .ok();
    // Only accepted members are confirmed; Kramer (already confirmed) is left out.
    assert_eq!(
        r["data"],
        json!([{"object": "OrganizationBulkConfirmResponseModel", "id": newman, "error": ""}])
    );
    let ms = members(&bw, &owner).await;
    let row = ms.iter().find(|m| m["id"] == json!(newman)).unwrap();
    assert_eq!(row["status"], 2);

    // Re-sending an invitation: only to an invited member; a fresh link lands in the outbox.
    let invite = format!("{base}/invite");
    let r = bw
        .call(
            "POST",
            &invite,
            &owner,
            json!({"emails": ["bania@vandelay.test"], "type": 2}),
        )
        .await;
    expect_empty(&r, 200);
    let bania = member_id(&bw, &owner, "bania@vandelay.test").await;
    let mails = || {
        bw.app.text(
            "SELECT CAST(count(*) AS TEXT) FROM outbox WHERE recipient = 'bania@vandelay.test'",
        )
    };
    assert_eq!(mails(), "1");
    expect_empty(
        &bw.call(
            "POST",
            &format!("{base}/{bania}/reinvite"),
            &owner,
            json!(null),
        )
        .await,
        200,
    );
    assert_eq!(mails(), "2");
    expect_bw_error(
        &bw.call(
            "POST",
            &format!("{base}/{kramer}/reinvite"),
            &owner,
            json!(null),
        )
        .await,
        400,
        "User invalid.",
    );
    expect_empty(
        &bw.call(
            "POST",
            &format!("{base}/{bania}/reinvite"),
            &user,
            json!(null),
        )
        .await,
        403,
    );
}
