//! The enterprise's `approvalsRequired` setting: shown in the enterprise, set by an admin
//! with `PUT /api/v2/enterprise/{id}`, itself approved by another admin when one exists.

use orgbox::domain::role::EnterprisePermission;
use serde_json::json;

use crate::fixtures::{lone_enterprise, world};
use crate::helpers::*;

#[actix_web::test]
async fn approvals_required_is_shown_and_set_by_an_admin() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[(DALE, EnterprisePermission::Admin)]);
    let brennan = app.login(BRENNAN).await;
    let e = app
        .get(
            &format!("/api/v2/enterprise/{eid}"),
            Auth::Raw(brennan.clone()),
        )
        .await
        .ok();
    assert_eq!(e["approvalsRequired"], 1);
    // Two admins: at most one other can approve.
    let before = world(&app);
    app.send(
        Req::method("PUT", &format!("/api/v2/enterprise/{eid}"))
            .json(&json!({"approvalsRequired": 2}))
            .auth(Auth::Raw(brennan.clone())),
    )
    .await
    .expect_error(400);
    app.send(
        Req::method("PUT", &format!("/api/v2/enterprise/{eid}"))
            .json(&json!({"approvalsRequired": 1, "usersViewAllWallets": false}))
            .auth(Auth::Raw(brennan.clone())),
    )
    .await
    .expect_error(400);
    let no_manage = app.token_with(&["enterprise_view_all"]).await;
    app.send(
        Req::method("PUT", &format!("/api/v2/enterprise/{eid}"))
            .json(&json!({"approvalsRequired": 1}))
            .auth(Auth::Raw(no_manage)),
    )
    .await
    .expect_error(403);
    assert_eq!(world(&app), before);
    // The demo enterprise has three admins: 2 is allowed, and needs another admin's approval.
    let r = app
        .send(
            Req::method(
                "PUT",
                &format!("/api/v2/enterprise/{}", app.demo.enterprise_id),
            )
            .json(&json!({"approvalsRequired": 2}))
            .auth(Auth::V2(brennan.clone())),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let a = r.json();
    assert_eq!(a["info"]["type"], "updateApprovalsRequiredRequest");
    assert_eq!(
        a["info"]["updateApprovalsRequiredRequest"]["requestedApprovalsRequired"],
        2
    );
    let dale = app.login(DALE).await;
    let done = app
        .send(
            Req::method(
                "PUT",
                &format!("/api/v2/pendingapprovals/{}", a["id"].as_str().unwrap()),
            )
            .json(&json!({"state": "approved", "otp": "000000"}))
            .auth(Auth::Raw(dale)),
        )
        .await
        .ok();
    assert_eq!(done["state"], "approved");
    let e = app
        .get(
            &format!("/api/v2/enterprise/{}", app.demo.enterprise_id),
            Auth::Raw(brennan),
        )
        .await
        .ok();
    assert_eq!(e["approvalsRequired"], 2);
}
