//! Pending approvals: list and get on every path the SDK and the docs use, approve and
//! reject, the creator's own request, second resolutions, outsiders, and the approval race.

use futures_util::future::join;
use serde_json::{json, Value};

use crate::fixtures::{counts, mail_to, user_id, world};
use crate::helpers::*;

pub const NEWBIE: &str = "newbie@example.test";

/// Brennan asks to add NEWBIE as admin of the demo enterprise; returns the approval.
pub async fn pending_add(app: &TestApp, brennan: &str) -> Value {
    let r = app
        .post(
            &format!("/api/v2/enterprise/{}/user", app.demo.enterprise_id),
            json!({"username": NEWBIE, "permission": "admin"}),
            Auth::Raw(brennan.into()),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

pub fn put(id: &str, state: &str, auth: Auth) -> Req {
    Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
        .json(&json!({"state": state, "otp": "000000"}))
        .auth(auth)
}

fn is_member(app: &TestApp, email: &str) -> bool {
    let members = app.count(&format!(
        "SELECT count(*) FROM enterprise_members m JOIN users u ON u.id = m.user_id
         WHERE u.username = '{}' AND m.enterprise_id = '{}'",
        email.to_lowercase(),
        app.demo.enterprise_id
    ));
    members > 0
}

#[actix_web::test]
async fn every_path_spelling_serves_the_same_approval() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let a = pending_add(&app, &brennan).await;
    let id = a["id"].as_str().unwrap();
    let dale = app.login(DALE).await;
    for path in [
        format!("/api/v2/pendingapprovals/{id}"),
        format!("/api/v2/pendingApprovals/{id}"),
        format!("/api/v2/PENDINGAPPROVALS/{id}"),
        format!("/api/v2/tbtc/pendingapprovals/{id}"),
        format!("/api/v2/ofctusd/pendingApprovals/{id}"),
        format!("/api/v1/pendingapprovals/{id}"),
    ] {
        for auth in [
            Auth::Raw(dale.clone()),
            Auth::V2(dale.clone()),
            Auth::V3(dale.clone()),
        ] {
            let got = app.get(&path, auth).await.ok();
            assert_eq!(got, a, "{path}");
        }
    }
    let e = &app.demo.enterprise_id;
    for path in [
        format!("/api/v2/pendingapprovals?enterprise={e}"),
        format!("/api/v2/pendingApprovals?enterpriseId={e}"),
        format!("/api/v2/pendingapprovals?enterpriseId[]={e}&state=pending"),
        format!("/api/v2/tbtc/pendingapprovals?enterprise={e}"),
        format!("/api/v1/pendingapprovals?enterprise={e}"),
        format!(
            "/api/v2/pendingapprovals?organizationId={}",
            app.demo.organization_id
        ),
        "/api/v2/pendingapprovals".to_string(),
    ] {
        let list = app.get(&path, Auth::V2(dale.clone())).await.ok();
        assert_eq!(list["pendingApprovals"], json!([a.clone()]), "{path}");
    }
    for states in [
        "state=approved",
        "state[]=pendingVideoApproval&state[]=rejected",
    ] {
        let none = app
            .get(
                &format!("/api/v2/pendingapprovals?{states}"),
                Auth::Raw(dale.clone()),
            )
            .await
            .ok();
        assert_eq!(none["pendingApprovals"], json!([]), "{states}");
    }
}

#[actix_web::test]
async fn lists_page_with_next_batch_prev_id() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let r = app
            .post(
                &format!("/api/v2/enterprise/{}/user", app.demo.enterprise_id),
                json!({"username": format!("p{i}@example.test")}),
                Auth::Raw(brennan.clone()),
            )
            .await;
        ids.push(r.json()["id"].as_str().unwrap().to_string());
        app.advance_clock(1);
    }
    let first = app
        .get(
            "/api/v2/pendingapprovals?limit=2",
            Auth::Raw(brennan.clone()),
        )
        .await
        .ok();
    let page: Vec<&str> = first["pendingApprovals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(page, [ids[2].as_str(), ids[1].as_str()], "newest first");
    let next = first["nextBatchPrevId"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v2/pendingapprovals?limit=2&prevId={next}"),
            Auth::Raw(brennan.clone()),
        )
        .await
        .ok();
    assert_eq!(second["pendingApprovals"][0]["id"], ids[0].as_str());
    assert!(second.get("nextBatchPrevId").is_none());
    for bad in [
        "limit=0",
        "limit=501",
        "state=nope",
        "enterprise=xyz",
        "prevId=1",
    ] {
        app.get(
            &format!("/api/v2/pendingapprovals?{bad}"),
            Auth::Raw(brennan.clone()),
        )
        .await
        .expect_error(400);
    }
}

#[actix_web::test]
async fn another_admin_approves_and_the_change_applies_with_its_invitation() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let a = pending_add(&app, &brennan).await;
    let id = a["id"].as_str().unwrap();
    assert!(!is_member(&app, NEWBIE));
    let dale = app.login(DALE).await;
    let r = app.send(put(id, "approved", Auth::V3(dale.clone()))).await;
    assert!(r.signature_is_valid(
        &dale,
        orgbox::auth::signing::AuthVersion::V3,
        "PUT",
        &format!("/api/v2/pendingapprovals/{id}")
    ));
    let done = r.ok();
    assert_eq!(done["state"], "approved");
    assert_eq!(done["approvers"], json!([user_id(&app, DALE)]));
    assert_eq!(done["resolvers"][0]["user"], user_id(&app, DALE).as_str());
    // BitGo's resolutionType is the open state resolved; resolutionAction what was done.
    assert_eq!(done["resolvers"][0]["resolutionType"], "pending");
    assert_eq!(done["resolvers"][0]["resolutionAction"], "approve");
    assert!(done["approvedDate"].is_string());
    assert!(is_member(&app, NEWBIE));
    let mail = mail_to(&app, NEWBIE);
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].kind, "invitation");
    assert!(mail[0]
        .link
        .as_deref()
        .unwrap()
        .starts_with(&format!("{}/sandbox/invitations/", app.base)));
}

#[actix_web::test]
async fn the_creator_cannot_approve_their_own_request_but_may_reject_it() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let a = pending_add(&app, &brennan).await;
    let id = a["id"].as_str().unwrap();
    let before = world(&app);
    let b = app
        .send(put(id, "approved", Auth::Raw(brennan.clone())))
        .await
        .expect_error(403);
    assert!(
        b["error"]
            .as_str()
            .unwrap()
            .contains("cannot approve your own request"),
        "{b}"
    );
    assert_eq!(world(&app), before);
    let rejected = app.send(put(id, "rejected", Auth::Raw(brennan))).await.ok();
    assert_eq!(rejected["state"], "rejected");
    assert_eq!(rejected["resolvers"][0]["resolutionType"], "pending");
    assert_eq!(rejected["resolvers"][0]["resolutionAction"], "reject");
    assert!(!is_member(&app, NEWBIE));
    assert!(mail_to(&app, NEWBIE).is_empty());
}

#[actix_web::test]
async fn a_resolved_approval_cannot_be_resolved_again() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let a = pending_add(&app, &brennan).await;
    let id = a["id"].as_str().unwrap();
    let dale = app.login(DALE).await;
    let service = app.login(SERVICE).await;
    app.send(put(id, "approved", Auth::Raw(dale.clone())))
        .await
        .ok();
    let before = world(&app);
    for (who, state) in [
        (&service, "approved"),
        (&service, "rejected"),
        (&dale, "approved"),
    ] {
        let b = app
            .send(put(id, state, Auth::Raw(who.clone())))
            .await
            .expect_error(409);
        assert!(
            b["error"].as_str().unwrap().contains("already approved"),
            "{b}"
        );
        assert_eq!(b["name"], "Conflict");
    }
    assert_eq!(world(&app), before);
}

#[actix_web::test]
async fn two_approvals_required_need_two_distinct_admins() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let dale = app.login(DALE).await;
    let service = app.login(SERVICE).await;
    let change = app
        .send(
            Req::method(
                "PUT",
                &format!("/api/v2/enterprise/{}", app.demo.enterprise_id),
            )
            .json(&json!({"approvalsRequired": 2}))
            .auth(Auth::Raw(brennan.clone())),
        )
        .await
        .json();
    app.send(put(
        change["id"].as_str().unwrap(),
        "approved",
        Auth::Raw(dale.clone()),
    ))
    .await
    .ok();
    let a = pending_add(&app, &brennan).await;
    assert_eq!(a["approvalsRequired"], 2);
    let id = a["id"].as_str().unwrap();
    let one = app
        .send(put(id, "approved", Auth::Raw(dale.clone())))
        .await
        .ok();
    assert_eq!(one["state"], "pending");
    assert!(!is_member(&app, NEWBIE));
    app.send(put(id, "approved", Auth::Raw(dale)))
        .await
        .expect_error(409);
    let two = app.send(put(id, "approved", Auth::Raw(service))).await.ok();
    assert_eq!(two["state"], "approved");
    assert!(is_member(&app, NEWBIE));
}

#[actix_web::test]
async fn two_admins_approving_at_once_apply_the_change_exactly_once() {
    for _ in 0..5 {
        let app = spawn_app().await;
        let brennan = app.login(BRENNAN).await;
        let a = pending_add(&app, &brennan).await;
        let id = a["id"].as_str().unwrap();
        let dale = app.login(DALE).await;
        let service = app.login(SERVICE).await;
        let before = counts(&app);
        let (x, y) = join(
            app.send(put(id, "approved", Auth::V2(dale))),
            app.send(put(id, "approved", Auth::V3(service))),
        )
        .await;
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409]);
        let after = counts(&app);
        assert_eq!(after[0], before[0] + 1, "the member is added once");
        assert_eq!(after[2], before[2] + 1, "one resolution is recorded");
        assert_eq!(after[3], before[3] + 1, "one invitation mail");
        assert_eq!(after[4], before[4] + 1, "one invited user");
        assert_eq!(mail_to(&app, NEWBIE).len(), 1);
    }
}
