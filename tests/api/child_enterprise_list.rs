//! Child enterprises, continued: the list (filters and paging) and adding a user.

use serde_json::{json, Value};

use crate::child_enterprises::{Org, TOUCHED};
use crate::helpers::*;

#[actix_web::test]
async fn the_list_filters_and_pages() {
    let app = spawn_app().await;
    let org = Org::new(&app).await;
    let mut created = vec![app.demo.children[0].enterprise_id.clone()];
    for i in 0..3 {
        let mut body = org.body(&format!("list{i}@x.test"), &format!("list-{i}"));
        if i == 2 {
            body["accountType"] = json!("entity");
        }
        created.push(
            org.create(body).await.ok()["enterpriseId"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    created.sort();
    let get = |q: &str| {
        let app = &app;
        let path = format!("{}?{q}", org.path);
        let token = org.token.clone();
        async move { app.get(&path, Auth::V2(token)).await }
    };
    let ids = |v: &Value| -> Vec<String> {
        v["enterprises"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    let children = "businessModel=cryptoAsAServiceChild";
    let first = get(&format!("{children}&limit=3")).await.ok();
    assert_eq!(ids(&first), created[..3]);
    let next = first["nextBatchPrevId"].as_str().unwrap();
    let second = get(&format!("{children}&limit=3&prevId={next}")).await.ok();
    assert_eq!(ids(&second), created[3..]);
    assert!(second.get("nextBatchPrevId").is_none());
    // Without the businessModel filter the parent is listed too.
    let all = get("limit=500").await.ok();
    assert_eq!(ids(&all).len(), 5);
    let parents = get("businessModel=cryptoAsAServiceParent").await.ok();
    assert_eq!(ids(&parents), std::slice::from_ref(&app.demo.enterprise_id));
    let approved = get(&format!("{children}&kycState=approved")).await.ok();
    assert_eq!(
        ids(&approved),
        std::slice::from_ref(&app.demo.children[0].enterprise_id)
    );
    let either = get(&format!(
        "{children}&kycState[]=approved&kycState[]=unverified"
    ))
    .await
    .ok();
    assert_eq!(ids(&either).len(), 4);
    let entity = get("accountType=entity").await.ok();
    assert_eq!(
        entity["enterprises"].as_array().unwrap().len(),
        2,
        "parent and list2"
    );
    let found = get("search=list1@x.test").await.ok();
    assert_eq!(found["enterprises"][0]["name"], "list1@x.test");
    assert_eq!(ids(&found).len(), 1);
    let by_key = get("idempotencyKey=list-0").await.ok();
    assert_eq!(by_key["enterprises"][0]["name"], "list0@x.test");
    for bad in [
        "limit=0",
        "limit=501",
        "prevId=zz",
        "kycState=done",
        "search=a@x.test&prevId=00000000000000000000000000000000",
        "businessModel=x",
    ] {
        get(bad).await.expect_error(400);
    }
    // Only organization admins list.
    let dale = app.token_as(DALE, &["enterprise_view_all"]).await;
    app.get(&org.path, Auth::Raw(dale)).await.expect_error(403);
}

#[actix_web::test]
async fn adding_a_user_to_a_child_enterprise() {
    let app = spawn_app().await;
    let org = Org::new(&app).await;
    let child = app.demo.children[0].enterprise_id.clone();
    let path = format!("{}/{child}/user", org.path);
    app.add_outsider("partner@else.test");
    // The child has admins other than the caller (its end user and the service user): the
    // add waits for one of them, like any enterprise user change. BitGo documents 200
    // `{userId}` only, so the hold is a 200 carrying the pending approval.
    let r = app
        .post(
            &path,
            json!({"email": "Partner@else.test", "permissions": ["auditor"]}),
            Auth::V3(org.token.clone()),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.json());
    let user = r.json()["userId"].as_str().unwrap().to_string();
    let held = r.json()["pendingApproval"].clone();
    assert_eq!(
        held["info"]["updateEnterpriseRequest"]["userId"],
        user.as_str()
    );
    assert_eq!(held["state"], "pending");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM enterprise_members WHERE user_id = '{user}'"
        )),
        0
    );
    let chazz = app.login(CHAZZ).await;
    app.send(
        Req::method(
            "PUT",
            &format!("/api/v2/pendingapprovals/{}", held["id"].as_str().unwrap()),
        )
        .json(&json!({"state": "approved", "otp": "000000"}))
        .auth(Auth::Raw(chazz)),
    )
    .await
    .ok();
    let partner = app
        .token_as("partner@else.test", &["enterprise_view_all"])
        .await;
    let e = app
        .get(&format!("/api/v2/enterprise/{child}"), Auth::Raw(partner))
        .await
        .ok();
    assert_eq!(e["permissions"], json!(["auditor"]));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM organization_members WHERE user_id = '{user}' AND role = 'customer'"
        )),
        1
    );
    let dale = app.token_as(DALE, SEED_SCOPES).await;
    let before = app.snapshot(TOUCHED);
    app.post(
        &path,
        json!({"email": "ghost@else.test"}),
        Auth::Raw(org.token.clone()),
    )
    .await
    .expect_error(404);
    app.post(
        &path,
        json!({"permissions": ["admin"]}),
        Auth::Raw(org.token.clone()),
    )
    .await
    .expect_error(400);
    app.post(
        &path,
        json!({"email": "partner@else.test", "permissions": ["owner"]}),
        Auth::Raw(org.token.clone()),
    )
    .await
    .expect_error(400);
    app.post(
        &format!("{}/{}/user", org.path, "0".repeat(32)),
        json!({"email": "partner@else.test"}),
        Auth::Raw(org.token.clone()),
    )
    .await
    .expect_error(404);
    app.post(
        &path,
        json!({"email": "partner@else.test"}),
        Auth::Raw(dale),
    )
    .await
    .expect_error(403);
    assert_eq!(app.snapshot(TOUCHED), before);
}
