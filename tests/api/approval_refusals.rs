//! Pending approval refusals, each changing nothing: a non-admin member, an outsider, a token
//! without `pending_approval_update`, unknown and malformed ids, a bad state, a wrong or
//! missing OTP, an unknown enterprise filter.

use orgbox::domain::role::EnterprisePermission;
use serde_json::json;

use crate::approvals::{pending_add, put, NEWBIE};
use crate::fixtures::{lone_enterprise, world};
use crate::helpers::*;

#[actix_web::test]
async fn refusals_change_nothing() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let a = pending_add(&app, &brennan).await;
    let id = a["id"].as_str().unwrap().to_string();
    // An enterprise where Dale is only an auditor: he sees its approvals but may not resolve.
    let eid = lone_enterprise(
        &app,
        &[
            (DALE, EnterprisePermission::Auditor),
            (SERVICE, EnterprisePermission::Admin),
        ],
    );
    let r = app
        .post(
            &format!("/api/v2/enterprise/{eid}/user"),
            json!({"username": NEWBIE}),
            Auth::Raw(brennan.clone()),
        )
        .await;
    assert_eq!(r.status, 202);
    let solo_id = r.json()["id"].as_str().unwrap().to_string();
    let dale = app.login(DALE).await;
    let no_update_scope = {
        let login = app.login(DALE).await;
        app.create_token(&login, &["enterprise_view_all"], json!({}))
            .await["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let before = world(&app);
    // A member who is not an admin sees it but may not resolve it.
    app.get(
        &format!("/api/v2/pendingapprovals/{solo_id}"),
        Auth::Raw(dale.clone()),
    )
    .await
    .ok();
    let b = app
        .send(put(&solo_id, "approved", Auth::Raw(dale.clone())))
        .await
        .expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("only admins"), "{b}");
    app.send(put(&solo_id, "rejected", Auth::Raw(dale.clone())))
        .await
        .expect_error(403);
    // Without pending_approval_update.
    let b = app
        .send(put(&id, "approved", Auth::Raw(no_update_scope)))
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "pending_approval_update");
    // Unknown and malformed ids; a bad state; a wrong OTP.
    let unknown = "0".repeat(32);
    app.send(put(&unknown, "approved", Auth::Raw(dale.clone())))
        .await
        .expect_error(404);
    app.get(
        &format!("/api/v2/pendingapprovals/{unknown}"),
        Auth::Raw(dale.clone()),
    )
    .await
    .expect_error(404);
    app.send(put("nope", "approved", Auth::Raw(dale.clone())))
        .await
        .expect_error(400);
    app.send(put(&id, "pending", Auth::Raw(dale.clone())))
        .await
        .expect_error(400);
    let wrong_otp = Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
        .json(&json!({"state": "approved", "otp": "123456"}))
        .auth(Auth::Raw(dale.clone()));
    app.send(wrong_otp).await.expect_error(401);
    // A locked session without an OTP.
    app.post("/api/v2/user/lock", json!({}), Auth::Raw(dale.clone()))
        .await
        .ok();
    let no_otp = Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
        .json(&json!({"state": "approved"}))
        .auth(Auth::Raw(dale.clone()));
    let b = app.send(no_otp).await.expect_error(401);
    assert_eq!(b["needsOTP"], true);
    // An unknown enterprise filter.
    app.get(
        &format!("/api/v2/pendingapprovals?enterprise={unknown}"),
        Auth::Raw(dale.clone()),
    )
    .await
    .expect_error(404);
    assert_eq!(world(&app), before);
}

#[actix_web::test]
async fn outsiders_neither_see_nor_resolve() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[(DALE, EnterprisePermission::Admin)]);
    let brennan = app.login(BRENNAN).await;
    let r = app
        .post(
            &format!("/api/v2/enterprise/{eid}/user"),
            json!({"username": NEWBIE}),
            Auth::Raw(brennan),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    let service = app.login(SERVICE).await;
    let before = world(&app);
    app.get(
        &format!("/api/v2/pendingapprovals/{id}"),
        Auth::Raw(service.clone()),
    )
    .await
    .expect_error(404);
    app.send(put(&id, "approved", Auth::Raw(service.clone())))
        .await
        .expect_error(404);
    let list = app
        .get("/api/v2/pendingapprovals", Auth::Raw(service.clone()))
        .await
        .ok();
    assert_eq!(list["pendingApprovals"], json!([]));
    app.get(
        &format!("/api/v2/pendingapprovals?enterprise={eid}"),
        Auth::Raw(service),
    )
    .await
    .expect_error(403);
    assert_eq!(world(&app), before);
}
