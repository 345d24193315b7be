//! Organizations: reading them, their users, and making organization admins through the
//! control plane (BitGo support's stand-in).

use serde_json::{json, Value};

use crate::helpers::*;

const MEMBERS: &[&str] = &["organization_members"];

fn role_in<'a>(list: &'a Value, org: &str) -> Option<&'a str> {
    list["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == org)
        .and_then(|o| o["role"].as_str())
}

#[actix_web::test]
async fn the_organization_has_the_enterprise_name_and_its_own_id() {
    let app = spawn_app().await;
    let token = app.token_with(&["enterprise_view_all"]).await;
    let org = &app.demo.organization_id;
    for auth in [
        Auth::Raw(token.clone()),
        Auth::V2(token.clone()),
        Auth::V3(token.clone()),
    ] {
        let list = app.get("/api/v2/organization", auth.clone()).await.ok();
        let item = &list["organizations"][0];
        assert_eq!(item["id"], org.as_str());
        assert_eq!(item["name"], "Prestige Worldwide");
        assert_eq!(item["role"], "admin");
        assert_eq!(
            item["enterpriseCount"], 2,
            "the parent and the demo child: {item}"
        );
        assert_eq!(item["businessModel"], "cryptoAsAService");
        let got = app
            .get(&format!("/api/v2/organization/{org}"), auth)
            .await
            .ok();
        let o = &got["organization"];
        assert_eq!(o["id"], org.as_str());
        assert_eq!(o["name"], "Prestige Worldwide");
        assert_ne!(o["id"], app.demo.enterprise_id.as_str());
        let enterprises = o["enterprises"].as_array().unwrap();
        assert!(enterprises.contains(&json!(app.demo.enterprise_id)), "{o}");
        assert!(enterprises.contains(&json!(app.demo.children[0].enterprise_id)));
        assert_eq!(o["approvedVideoIdUsers"], json!([app.user_id(DALE)]));
        assert!(o["defaultEnterpriseValues"].is_object());
    }
    // The id the enterprise reports is the organization's.
    let e = app
        .get(
            &format!("/api/v2/enterprise/{}", app.demo.enterprise_id),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    assert_eq!(e["organizationId"], org.as_str());
    // ?role filters.
    let only_members = app
        .get("/api/v2/organization?role=member", Auth::Raw(token.clone()))
        .await
        .ok();
    assert_eq!(only_members["organizations"], json!([]));
    let admins = app
        .get(
            "/api/v2/organization?role=member&role=admin",
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    assert_eq!(admins["organizations"].as_array().unwrap().len(), 1);
    app.get("/api/v2/organization?role=owner", Auth::Raw(token))
        .await
        .expect_error(400);
}

#[actix_web::test]
async fn every_member_reads_it_and_outsiders_get_a_404() {
    let app = spawn_app().await;
    let org = app.demo.organization_id.clone();
    let path = format!("/api/v2/organization/{org}");
    for (email, role) in [
        (DALE, "member"),
        (SERVICE, "serviceUser"),
        (CHAZZ, "customer"),
    ] {
        let token = app.token_as(email, &["enterprise_view_all"]).await;
        app.get(&path, Auth::Raw(token.clone())).await.ok();
        let list = app.get("/api/v2/organization", Auth::Raw(token)).await.ok();
        assert_eq!(role_in(&list, &org), Some(role), "{email}");
    }
    app.add_outsider("outsider@else.test");
    let outsider = app
        .token_as("outsider@else.test", &["enterprise_view_all"])
        .await;
    let b = app
        .get(&path, Auth::Raw(outsider.clone()))
        .await
        .expect_error(404);
    assert_eq!(b["name"], "NotFound");
    let list = app
        .get("/api/v2/organization", Auth::Raw(outsider))
        .await
        .ok();
    assert_eq!(list["organizations"], json!([]));
    let token = app.token_with(&["enterprise_view_all"]).await;
    app.get(
        &format!("/api/v2/organization/{}", "0".repeat(32)),
        Auth::Raw(token.clone()),
    )
    .await
    .expect_error(404);
    app.get("/api/v2/organization/nope", Auth::Raw(token))
        .await
        .expect_error(400);
    let profile_only = app.token_with(&["profile"]).await;
    let b = app
        .get(&path, Auth::Raw(profile_only))
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "enterprise_view_all");
}

#[actix_web::test]
async fn admins_add_change_and_remove_organization_users() {
    let app = spawn_app().await;
    let org = app.demo.organization_id.clone();
    let users = format!("/api/v2/organization/{org}/user");
    let login = app.login(BRENNAN).await;
    let outsider = app.add_outsider("newbie@prestige-worldwide.test");
    let added = app
        .post(
            &users,
            json!({"username": "NewBie@prestige-worldwide.test", "role": "member"}),
            Auth::V2(login.clone()),
        )
        .await
        .ok();
    assert_eq!(added["userId"], outsider.as_str());
    assert_eq!(added["role"], "member");
    // Adding the same user again is a conflict.
    app.post(
        &users,
        json!({"username": "newbie@prestige-worldwide.test", "role": "member"}),
        Auth::Raw(login.clone()),
    )
    .await
    .expect_error(409);
    // Dale is an admin of the parent enterprise: he may become an organization admin.
    let dale = app.user_id(DALE);
    let put = |user: &str, role: &str| {
        Req::method("PUT", &format!("{users}?userId={user}&role={role}"))
            .auth(Auth::V3(login.clone()))
    };
    let changed = app.send(put(&dale, "admin")).await.ok();
    assert_eq!(changed["role"], "admin");
    let dale_token = app.token_as(DALE, &["enterprise_view_all"]).await;
    let list = app
        .get("/api/v2/organization", Auth::Raw(dale_token))
        .await
        .ok();
    assert_eq!(role_in(&list, &org), Some("admin"));
    // Any of the four roles.
    assert_eq!(
        app.send(put(&outsider, "customer")).await.ok()["role"],
        "customer"
    );
    // Removal.
    let removed = app
        .send(Req::delete(&format!("{users}?userId={outsider}")).auth(Auth::Raw(login.clone())))
        .await
        .ok();
    assert_eq!(removed["userId"], outsider.as_str());
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM organization_members WHERE user_id = '{outsider}'"
        )),
        0
    );
    // Nobody changes their own role; now that there are two admins, Dale may make Brennan a
    // member.
    let brennan = app.user_id(BRENNAN);
    app.send(put(&brennan, "member")).await.expect_error(403);
    let dale_login = app.login(DALE).await;
    let demoted = app
        .send(
            Req::method("PUT", &format!("{users}?userId={brennan}&role=member"))
                .auth(Auth::Raw(dale_login)),
        )
        .await
        .ok();
    assert_eq!(demoted["role"], "member");
}

#[actix_web::test]
async fn refused_organization_user_changes_change_nothing() {
    let app = spawn_app().await;
    let org = app.demo.organization_id.clone();
    let users = format!("/api/v2/organization/{org}/user");
    let login = app.login(BRENNAN).await;
    let outsider = app.add_outsider("plain@prestige-worldwide.test");
    let (dale, service, brennan) = (
        app.user_id(DALE),
        app.user_id(SERVICE),
        app.user_id(BRENNAN),
    );
    let before = app.snapshot(MEMBERS);
    let put = |user: &str, role: &str, token: &str| {
        Req::method("PUT", &format!("{users}?userId={user}&role={role}"))
            .auth(Auth::Raw(token.to_string()))
    };
    // Not a parent-enterprise admin: cannot become an organization admin.
    let b = app
        .post(
            &users,
            json!({"username": "plain@prestige-worldwide.test", "role": "admin"}),
            Auth::Raw(login.clone()),
        )
        .await
        .expect_error(403);
    assert!(
        b["error"].as_str().unwrap().contains("parent enterprise"),
        "{b}"
    );
    // One service user per organization.
    let b = app
        .send(put(&dale, "serviceUser", &login))
        .await
        .expect_error(409);
    assert!(b["error"].as_str().unwrap().contains("service user"), "{b}");
    // The service user is not also an organization admin.
    app.send(put(&service, "admin", &login))
        .await
        .expect_error(409);
    // Nobody changes or removes their own role (so the last admin stays, too).
    let b = app
        .send(put(&brennan, "member", &login))
        .await
        .expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("your own"), "{b}");
    app.send(Req::delete(&format!("{users}?userId={brennan}")).auth(Auth::Raw(login.clone())))
        .await
        .expect_error(403);
    // Not a member / unknown role / malformed ids / missing fields.
    app.send(put(&outsider, "member", &login))
        .await
        .expect_error(404);
    app.send(put(&dale, "owner", &login))
        .await
        .expect_error(400);
    app.send(put("xyz", "member", &login))
        .await
        .expect_error(400);
    let b = app
        .send(Req::method("PUT", &format!("{users}?role=member")).auth(Auth::Raw(login.clone())))
        .await
        .expect_error(400);
    assert!(b["error"].as_str().unwrap().contains("userId"), "{b}");
    let b = app
        .post(&users, json!({"role": "member"}), Auth::Raw(login.clone()))
        .await
        .expect_error(400);
    assert!(b["error"].as_str().unwrap().contains("username"), "{b}");
    app.post(
        &users,
        json!({"username": "nobody@else.test", "role": "member"}),
        Auth::Raw(login.clone()),
    )
    .await
    .expect_error(404);
    app.post(
        &users,
        json!({"username": "plain@prestige-worldwide.test", "role": "customer"}),
        Auth::Raw(login.clone()),
    )
    .await
    .expect_error(400);
    // A member who is not an organization admin: 403; an outsider: 404.
    let dale_login = app.login(DALE).await;
    app.send(put(&outsider, "member", &dale_login))
        .await
        .expect_error(403);
    app.post(
        &users,
        json!({"username": "plain@prestige-worldwide.test", "role": "member"}),
        Auth::Raw(dale_login),
    )
    .await
    .expect_error(403);
    let outsider_login = app.login("plain@prestige-worldwide.test").await;
    app.send(put(&dale, "member", &outsider_login))
        .await
        .expect_error(404);
    // Unknown organization.
    app.send(
        Req::method(
            "PUT",
            &format!(
                "/api/v2/organization/{}/user?userId={dale}&role=member",
                "0".repeat(32)
            ),
        )
        .auth(Auth::Raw(login.clone())),
    )
    .await
    .expect_error(404);
    // A long-lived token lacks user_manage.
    let api = app.token_with(SEED_SCOPES).await;
    let b = app.send(put(&dale, "admin", &api)).await.expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "user_manage");
    assert_eq!(app.snapshot(MEMBERS), before);
}

#[actix_web::test]
async fn the_control_plane_makes_organization_admins_under_the_same_rules() {
    let app = spawn_app().await;
    let org = app.demo.organization_id.clone();
    let path = format!("/sandbox/organizations/{org}/admins");
    let dale = app.user_id(DALE);
    let made = app
        .post(&path, json!({"userId": dale}), Auth::None)
        .await
        .ok();
    assert_eq!(
        made,
        json!({"organizationId": org, "userId": dale, "role": "admin"})
    );
    // Idempotent.
    app.post(&path, json!({"userId": dale}), Auth::None)
        .await
        .ok();
    let token = app.token_as(DALE, &["enterprise_view_all"]).await;
    let list = app.get("/api/v2/organization", Auth::Raw(token)).await.ok();
    assert_eq!(role_in(&list, &org), Some("admin"));

    let outsider = app.add_outsider("someone@prestige-worldwide.test");
    let before = app.snapshot(MEMBERS);
    let refused = |status: u16, body: Value, path: String| {
        let app = &app;
        async move {
            let r = app.post(&path, body, Auth::None).await;
            assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
            let b = r.json();
            assert!(b["error"].is_string() && b["code"].is_string(), "{b}");
            assert!(
                b.get("requestId").is_none(),
                "plain control-plane body: {b}"
            );
            b
        }
    };
    let b = refused(403, json!({"userId": outsider}), path.clone()).await;
    assert_eq!(b["code"], "forbidden");
    assert!(b["error"].as_str().unwrap().contains("parent enterprise"));
    let b = refused(409, json!({"userId": app.user_id(SERVICE)}), path.clone()).await;
    assert_eq!(b["code"], "conflict");
    refused(404, json!({"userId": "1".repeat(32)}), path.clone()).await;
    refused(
        404,
        json!({"userId": dale}),
        format!("/sandbox/organizations/{}/admins", "0".repeat(32)),
    )
    .await;
    let b = refused(400, json!({}), path.clone()).await;
    assert!(b["error"].as_str().unwrap().contains("userId"));
    assert_eq!(app.snapshot(MEMBERS), before);
}

#[actix_web::test]
async fn two_approvals_racing_for_the_service_user_role_leave_one() {
    let app = spawn_app().await;
    let org = app.demo.organization_id.clone();
    let users = format!("/api/v2/organization/{org}/user");
    let (brennan, dale) = (app.login(BRENNAN).await, app.login(DALE).await);
    let put = |user: &str, role: &str, token: &str| {
        Req::method("PUT", &format!("{users}?userId={user}&role={role}"))
            .auth(Auth::Raw(token.to_string()))
    };
    let approve = |id: &Value, token: &str| {
        Req::method(
            "PUT",
            &format!("/api/v2/pendingapprovals/{}", id.as_str().unwrap()),
        )
        .json(&json!({"state": "approved", "otp": "000000"}))
        .auth(Auth::Raw(token.to_string()))
    };
    let (service, newcomer) = (
        app.user_id(SERVICE),
        app.add_outsider("newcomer@prestige-worldwide.test"),
    );
    app.post(
        &users,
        json!({"username": "newcomer@prestige-worldwide.test", "role": "member"}),
        Auth::Raw(brennan.clone()),
    )
    .await
    .ok();
    app.send(put(&app.user_id(DALE), "admin", &brennan))
        .await
        .ok();
    // Free the role (Brennan asks, Dale approves), then ask twice for a new holder.
    let r = app.send(put(&service, "member", &brennan)).await;
    assert_eq!(r.status, 202);
    app.send(approve(&r.json()["id"], &dale)).await.ok();
    let first = app.send(put(&newcomer, "serviceUser", &brennan)).await;
    let second = app.send(put(&service, "serviceUser", &dale)).await;
    assert_eq!((first.status, second.status), (202, 202));
    let replies = futures_util::future::join(
        app.send(approve(&first.json()["id"], &dale)),
        app.send(approve(&second.json()["id"], &brennan)),
    )
    .await;
    let mut statuses = [replies.0.status, replies.1.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [200, 409],
        "{:?} {:?}",
        replies.0.json(),
        replies.1.json()
    );
    let loser = if replies.0.status == 409 {
        &replies.0
    } else {
        &replies.1
    };
    assert!(
        loser.json()["error"]
            .as_str()
            .unwrap()
            .contains("service user"),
        "{}",
        loser.json()
    );
    assert_eq!(
        app.count("SELECT count(*) FROM organization_members WHERE role = 'serviceUser'"),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) FROM pending_approvals WHERE state = 'approved'"),
        2,
        "the losing approval stays pending"
    );
}
