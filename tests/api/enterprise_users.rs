//! Enterprise users: list, add (applied at once for a lone admin, 202 with a pending approval
//! when another admin could approve), remove, change role, the approvalsRequired setting, and
//! every refusal changing nothing.

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::fixtures::{counts, lone_enterprise, mail_to, user_id, world, world_except};
use crate::helpers::*;

fn emails(list: &Value, key: &str) -> Vec<String> {
    let mut v: Vec<String> = list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[actix_web::test]
async fn list_shows_admins_and_non_admins_on_v1_and_v2() {
    let app = spawn_app().await;
    let token = app.token_with(&["enterprise_view_all"]).await;
    for v in ["v1", "v2"] {
        let path = format!("/api/{v}/enterprise/{}/user", app.demo.enterprise_id);
        let list = app.get(&path, Auth::V3(token.clone())).await.ok();
        assert_eq!(emails(&list, "adminUsers"), [BRENNAN, DALE, SERVICE]);
        assert_eq!(list["nonAdminUsers"], json!([]));
        assert_eq!(list["count"], 3);
        let first = &list["adminUsers"][0];
        for field in [
            "id",
            "username",
            "firstName",
            "lastName",
            "fullName",
            "isActive",
            "email",
            "verified",
            "identity",
        ] {
            assert!(first.get(field).is_some(), "{field}: {first}");
        }
    }
}

#[actix_web::test]
async fn a_lone_admin_adds_an_existing_user_at_once_with_a_notification() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[]);
    let login = app.login(BRENNAN).await;
    let r = app
        .post(
            &format!("/api/v1/enterprise/{eid}/user"),
            json!({"username": DALE, "permission": ["auditor", "wallet.create"]}),
            Auth::V2(login.clone()),
        )
        .await;
    assert_eq!(r.ok(), json!({}));
    let list = app
        .get(&format!("/api/v2/enterprise/{eid}/user"), Auth::Raw(login))
        .await
        .ok();
    assert_eq!(emails(&list, "nonAdminUsers"), [DALE]);
    assert_eq!(
        list["nonAdminUsers"][0]["permissions"],
        json!(["auditor", "wallet.create"])
    );
    let mail = mail_to(&app, DALE);
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].kind, "notification");
    assert!(mail[0].body.contains("Solo Corp"), "{}", mail[0].body);
}

#[actix_web::test]
async fn with_other_admins_an_add_is_a_202_pending_approval_shaped_as_seed_000() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let (before, unchanged) = (counts(&app), world(&app));
    let unapplied = world_except(&app, &["pending_approvals"]);
    let r = app
        .post(
            &format!("/api/v2/enterprise/{}/user", app.demo.enterprise_id),
            json!({"permission": "admin", "usernames": ["one@example.test", "two@example.test", DALE.to_uppercase()]}),
            Auth::Raw(login.clone()),
        )
        .await;
    let b = r.expect_error(400);
    assert!(
        b["error"].as_str().unwrap().contains("already a member"),
        "{b}"
    );
    assert_eq!(
        world(&app),
        unchanged,
        "an add naming an existing member changes nothing"
    );
    let r = app
        .post(
            &format!("/api/v2/enterprise/{}/user", app.demo.enterprise_id),
            json!({"permission": "admin", "usernames": ["one@example.test", "two@example.test"]}),
            Auth::Raw(login.clone()),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let a = r.json();
    let brennan = user_id(&app, BRENNAN);
    assert_eq!(a["enterprise"], app.demo.enterprise_id.as_str());
    assert_eq!(a["creator"], brennan.as_str());
    assert_eq!(a["state"], "pending");
    assert_eq!(a["scope"], "enterprise");
    assert_eq!(a["approvalsRequired"], 1);
    assert_eq!(a["info"]["type"], "updateEnterpriseRequest");
    assert_eq!(a["info"]["updateEnterpriseRequest"]["action"], "add");
    assert_eq!(
        a["info"]["updateEnterpriseRequest"]["email"],
        "one@example.test"
    );
    assert_eq!(a["info"]["updateEnterpriseRequest"]["permissions"], "admin");
    for field in [
        "id",
        "createDate",
        "approvers",
        "userIds",
        "singleRunResults",
        "resolvers",
        "actions",
        "resolutionOrder",
    ] {
        assert!(a.get(field).is_some(), "{field}: {a}");
    }
    assert_eq!(a["userIds"].as_array().unwrap().len(), 3);
    assert!(a["userIds"].as_array().unwrap().contains(&json!(brennan)));
    assert_eq!(counts(&app)[1], before[1] + 2, "one approval per user");
    assert_eq!(
        world_except(&app, &["pending_approvals"]),
        unapplied,
        "nothing is applied yet: no member, mail or invited user"
    );
}

#[actix_web::test]
async fn refusals_change_nothing() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[(DALE, EnterprisePermission::Auditor)]);
    let brennan = app.login(BRENNAN).await;
    let dale = app.login(DALE).await;
    let service = app.login(SERVICE).await;
    let every_long_lived_scope = app.token_with(&["all"]).await;
    let seed_scopes = app
        .token_with(&[
            "enterprise_manage_all",
            "enterprise_view_all",
            "pending_approval_update",
        ])
        .await;
    let add = |who: &str| json!({"username": "new@example.test", "permission": "admin", "x": who});
    let unknown = "0".repeat(32);
    let cases: Vec<(&str, String, Value, String, u16, &str)> = vec![
        (
            "long-lived token (no user_manage)",
            format!("/api/v2/enterprise/{eid}/user"),
            add("a"),
            String::new(),
            403,
            "user_manage",
        ),
        (
            "seed 000 long-lived token",
            format!("/api/v2/enterprise/{eid}/user"),
            add("a2"),
            seed_scopes.clone(),
            403,
            "user_manage",
        ),
        (
            "not an admin",
            format!("/api/v2/enterprise/{eid}/user"),
            add("b"),
            dale.clone(),
            403,
            "only enterprise admins",
        ),
        (
            "not a member",
            format!("/api/v2/enterprise/{eid}/user"),
            add("c"),
            service.clone(),
            403,
            "not a member",
        ),
        (
            "unknown enterprise",
            format!("/api/v2/enterprise/{unknown}/user"),
            add("d"),
            brennan.clone(),
            404,
            "not found",
        ),
        (
            "malformed enterprise id",
            "/api/v2/enterprise/nope/user".into(),
            add("e"),
            brennan.clone(),
            400,
            "invalid enterprise id",
        ),
        (
            "bad permission",
            format!("/api/v2/enterprise/{eid}/user"),
            json!({"username": "n@example.test", "permission": "viewer"}),
            brennan.clone(),
            400,
            "invalid permission",
        ),
        (
            "no username",
            format!("/api/v2/enterprise/{eid}/user"),
            json!({"permission": "admin"}),
            brennan.clone(),
            400,
            "username",
        ),
        (
            "not an email",
            format!("/api/v2/enterprise/{eid}/user"),
            json!({"username": "bob"}),
            brennan.clone(),
            400,
            "email",
        ),
        (
            "already a member",
            format!("/api/v2/enterprise/{eid}/user"),
            json!({"username": DALE}),
            brennan.clone(),
            400,
            "already a member",
        ),
    ];
    for (what, path, body, token, status, says) in cases {
        let before = world(&app);
        let token = if token.is_empty() {
            every_long_lived_scope.clone()
        } else {
            token
        };
        let b = app
            .post(&path, body, Auth::Raw(token))
            .await
            .expect_error(status);
        assert!(b["error"].as_str().unwrap().contains(says), "{what}: {b}");
        assert_eq!(world(&app), before, "{what} changed something");
    }
    // Removing or demoting the last admin.
    let before = world(&app);
    let b = app
        .send(
            Req::delete(&format!("/api/v2/enterprise/{eid}/user"))
                .json(&json!({"username": BRENNAN}))
                .auth(Auth::V3(brennan.clone())),
        )
        .await
        .expect_error(400);
    assert!(
        b["error"].as_str().unwrap().contains("at least one admin"),
        "{b}"
    );
    let me = user_id(&app, BRENNAN);
    app.send(
        Req::method(
            "PUT",
            &format!("/api/v2/enterprise/{eid}/user?userId={me}&role=auditor"),
        )
        .auth(Auth::Raw(brennan.clone())),
    )
    .await
    .expect_error(400);
    // Not a member; bad role; no userId.
    let stranger = user_id(&app, SERVICE);
    for q in [
        format!("userId={stranger}&role=admin"),
        format!("userId={me}&role=owner"),
        "role=admin".into(),
    ] {
        app.send(
            Req::method("PUT", &format!("/api/v2/enterprise/{eid}/user?{q}"))
                .auth(Auth::Raw(brennan.clone())),
        )
        .await
        .expect_error(400);
    }
    assert_eq!(world(&app), before);
}

#[actix_web::test]
async fn a_lone_admin_removes_and_re_roles_at_once_with_a_delete_body() {
    let app = spawn_app().await;
    let eid = lone_enterprise(
        &app,
        &[
            (DALE, EnterprisePermission::Auditor),
            (SERVICE, EnterprisePermission::Member),
        ],
    );
    let login = app.login(BRENNAN).await;
    let service = user_id(&app, SERVICE);
    let r = app
        .send(
            Req::method(
                "PUT",
                &format!("/api/v2/enterprise/{eid}/user?userId={service}&role=wallet.create"),
            )
            .auth(Auth::V2(login.clone())),
        )
        .await;
    assert_eq!(r.ok(), json!({}));
    let r = app
        .send(
            Req::delete(&format!("/api/v1/enterprise/{eid}/user"))
                .json(&json!({"username": DALE}))
                .auth(Auth::V2(login.clone())),
        )
        .await;
    assert_eq!(r.ok(), json!({}));
    let list = app
        .get(&format!("/api/v2/enterprise/{eid}/user"), Auth::Raw(login))
        .await
        .ok();
    assert_eq!(emails(&list, "nonAdminUsers"), [SERVICE]);
    assert_eq!(
        list["nonAdminUsers"][0]["permissions"],
        json!(["wallet.create"])
    );
    assert_eq!(mail_to(&app, DALE)[0].kind, "notification");
}

#[actix_web::test]
async fn removes_and_role_changes_wait_for_approval_when_other_admins_exist() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let (before, unapplied) = (counts(&app), world_except(&app, &["pending_approvals"]));
    let r = app
        .send(
            Req::delete(&format!(
                "/api/v2/enterprise/{}/user",
                app.demo.enterprise_id
            ))
            .json(&json!({"username": DALE}))
            .auth(Auth::Raw(login.clone())),
        )
        .await;
    assert_eq!(r.status, 202);
    let body = r.json();
    let list = body["pendingApprovals"].as_array().unwrap();
    assert_eq!(
        list[0]["info"]["updateEnterpriseRequest"]["action"],
        "remove"
    );
    assert_eq!(
        list[0]["info"]["updateEnterpriseRequest"]["userId"],
        user_id(&app, DALE).as_str()
    );
    let service = user_id(&app, SERVICE);
    let r = app
        .send(
            Req::method(
                "PUT",
                &format!(
                    "/api/v2/enterprise/{}/user?userId={service}&role=auditor",
                    app.demo.enterprise_id
                ),
            )
            .auth(Auth::Raw(login)),
        )
        .await;
    assert_eq!(r.status, 202);
    assert_eq!(
        r.json()["info"]["updateEnterpriseRequest"]["action"],
        "update"
    );
    assert_eq!(counts(&app)[1], before[1] + 2);
    assert_eq!(
        world_except(&app, &["pending_approvals"]),
        unapplied,
        "nothing is applied before the approvals: no member removed or re-roled"
    );
}

#[actix_web::test]
async fn video_approvers_are_kept() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[]);
    let login = app.login(BRENNAN).await;
    app.post(
        &format!("/api/v2/enterprise/{eid}/user"),
        json!({"username": DALE, "permission": "admin", "videoIdUser": true}),
        Auth::Raw(login.clone()),
    )
    .await
    .ok();
    let list = app
        .get(&format!("/api/v2/enterprise/{eid}/user"), Auth::Raw(login))
        .await
        .ok();
    let dale = list["adminUsers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == DALE)
        .unwrap()
        .clone();
    assert_eq!(dale["videoIdUser"], true);
    // Every video approver of the enterprise, as its user list marks them.
    let approvers: Vec<String> = ["adminUsers", "nonAdminUsers"]
        .iter()
        .flat_map(|group| list[*group].as_array().unwrap().iter())
        .filter(|u| u["videoIdUser"] == true)
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(approvers, vec![user_id(&app, DALE)]);
}

#[actix_web::test]
async fn listing_users_needs_the_scope_and_membership() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[]);
    let service = app.login(SERVICE).await;
    let profile_only = app.token_with(&["profile"]).await;
    let b = app
        .get(
            &format!("/api/v2/enterprise/{}/user", app.demo.enterprise_id),
            Auth::Raw(profile_only),
        )
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "enterprise_view_all");
    app.get(
        &format!("/api/v2/enterprise/{eid}/user"),
        Auth::Raw(service.clone()),
    )
    .await
    .expect_error(403);
    app.get(
        &format!("/api/v1/enterprise/{}/user", "0".repeat(32)),
        Auth::Raw(service.clone()),
    )
    .await
    .expect_error(404);
    app.get("/api/v1/enterprise/NOPE/user", Auth::Raw(service))
        .await
        .expect_error(400);
}
