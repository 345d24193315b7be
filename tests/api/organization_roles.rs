//! Organization roles against the escalation of issue 14 item 3: an organization admin making
//! himself the service user (and a child-enterprise admin) and trading, and an organization
//! admin demoting a child enterprise's admin through the child-enterprise route.

use serde_json::{json, Value};

use crate::helpers::*;

/// Every table a role, membership or money change could touch.
const WORLD: &[&str] = &[
    "organization_members",
    "enterprise_members",
    "pending_approvals",
    "pending_approval_resolutions",
    "trade_orders",
    "trade_fills",
    "ledger_entries",
    "wallet_balances",
];

/// Everything but the pending approvals (a held change opens one and changes nothing else).
const APPLIED: &[&str] = &[
    "organization_members",
    "enterprise_members",
    "trade_orders",
    "trade_fills",
    "ledger_entries",
    "wallet_balances",
];

fn put_role(org: &str, user: &str, role: &str, token: &str) -> Req {
    Req::method(
        "PUT",
        &format!("/api/v2/organization/{org}/user?userId={user}&role={role}"),
    )
    .auth(Auth::Raw(token.into()))
}

fn approve(id: &str, token: &str) -> Req {
    Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
        .json(&json!({"state": "approved", "otp": "000000"}))
        .auth(Auth::Raw(token.into()))
}

async fn market_buy(app: &TestApp, token: &str, account: &str, client_order_id: &str) -> Resp {
    app.post(
        &format!("/api/prime/trading/v1/accounts/{account}/orders"),
        json!({"clientOrderId": client_order_id, "product": "BTC-USD", "type": "market",
               "side": "buy", "quantity": "0.01", "quantityCurrency": "BTC"}),
        Auth::V2(token.into()),
    )
    .await
}

fn approval_id(reply: &Value) -> String {
    reply["id"]
        .as_str()
        .expect("a pending approval id")
        .to_string()
}

#[actix_rt::test]
async fn an_organization_admin_cannot_make_himself_the_service_user_and_trade() {
    let app = spawn_app().await;
    let org = app.demo.organization_id.clone();
    let child = app.demo.children[0].clone();
    let (brennan, dale, service) = (
        app.user_id(BRENNAN),
        app.user_id(DALE),
        app.user_id(SERVICE),
    );
    let login = app.login(BRENNAN).await;
    let before = app.snapshot(APPLIED);

    // 1. He adds himself as an admin of the child enterprise: held for the child's admins.
    let r = app
        .post(
            &format!(
                "/api/v2/organization/{org}/enterprise/{}/user",
                child.enterprise_id
            ),
            json!({"email": BRENNAN, "permissions": ["admin"]}),
            Auth::V2(login.clone()),
        )
        .await;
    // BitGo documents 200 `{userId}` only: the hold rides along as `pendingApproval`.
    assert_eq!(r.status, 200, "{:?}", r.json());
    assert_eq!(r.json()["userId"], brennan.as_str());
    let held = &r.json()["pendingApproval"];
    assert_eq!(held["info"]["type"], "updateEnterpriseRequest");
    assert_eq!(held["state"], "pending");
    assert_eq!(
        app.snapshot(APPLIED),
        before,
        "the add is held, not applied"
    );

    // 2. Dale (a parent-enterprise admin) becomes an organization admin: allowed.
    app.send(put_role(&org, &dale, "admin", &login)).await.ok();
    let before = app.snapshot(APPLIED);

    // 3. Taking the service user's role away needs another organization admin's approval.
    let r = app.send(put_role(&org, &service, "member", &login)).await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    let held = r.json();
    assert_eq!(held["info"]["type"], "updateOrganizationRequest");
    assert_eq!(held["info"]["updateOrganizationRequest"]["role"], "member");
    assert_eq!(held["scope"], "organization");
    assert_eq!(app.snapshot(APPLIED), before);

    // 4. Nobody changes their own organization role.
    let snap = app.snapshot(WORLD);
    let b = app
        .send(put_role(&org, &brennan, "serviceUser", &login))
        .await
        .expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("own"), "{b}");
    assert_eq!(app.snapshot(WORLD), snap);

    // 5. His market order on the child's Go Account is refused.
    let r = market_buy(&app, &login, &child.go_account_id, "escalated").await;
    assert_eq!(r.status, 403, "{:?}", r.json());
    assert_eq!(r.json()["errorName"], "OrganizationAdminCannotTransact");
    assert_eq!(app.snapshot(WORLD), snap);
    assert_eq!(app.count("SELECT count(*) FROM trade_orders"), 0);
    let roles = |user: &str| {
        app.count(&format!(
            "SELECT count(*) FROM organization_members WHERE user_id = '{user}' AND role = 'serviceUser'"
        ))
    };
    assert_eq!((roles(&brennan), roles(&service)), (0, 1));

    // Nor can he approve his own request, or one that changes his own role.
    let b = app
        .send(approve(&approval_id(&held), &login))
        .await
        .expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("own"), "{b}");
    assert_eq!(app.snapshot(WORLD), snap);
    // Dale approves taking the role from the service user; then Dale asks to give it to
    // Brennan, which only a third organization admin could approve.
    let dale_login = app.login(DALE).await;
    let path = format!("/api/v2/pendingapprovals/{}", approval_id(&held));
    let seen = app.get(&path, Auth::Raw(dale_login.clone())).await.ok();
    assert_eq!(seen["info"]["type"], "updateOrganizationRequest");
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    app.get(&path, Auth::Raw(chazz.clone()))
        .await
        .expect_error(404);
    app.send(approve(&approval_id(&held), &chazz))
        .await
        .expect_error(404);
    assert_eq!(app.snapshot(WORLD), snap);
    let done = app
        .send(approve(&approval_id(&held), &dale_login))
        .await
        .ok();
    assert_eq!(done["state"], "approved");
    assert_eq!(roles(&service), 0);
    let r = app
        .send(put_role(&org, &brennan, "serviceUser", &dale_login))
        .await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    let for_brennan = approval_id(&r.json());
    let snap = app.snapshot(WORLD);
    for state in ["approved", "rejected"] {
        app.send(
            Req::method("PUT", &format!("/api/v2/pendingapprovals/{for_brennan}"))
                .json(&json!({"state": state, "otp": "000000"}))
                .auth(Auth::Raw(login.clone())),
        )
        .await
        .expect_error(403);
    }
    let r = market_buy(&app, &login, &child.go_account_id, "again").await;
    assert_eq!(r.json()["errorName"], "OrganizationAdminCannotTransact");
    assert_eq!(r.status, 403);
    assert_eq!(app.snapshot(WORLD), snap);
    assert_eq!(roles(&brennan), 0);
}

#[actix_rt::test]
async fn an_organization_admin_cannot_demote_a_child_enterprise_admin_through_the_child_route() {
    let app = spawn_app().await;
    let org = app.demo.organization_id.clone();
    let child = app.demo.children[0].enterprise_id.clone();
    let login = app.login(BRENNAN).await;
    app.send(put_role(&org, &app.user_id(DALE), "admin", &login))
        .await
        .ok();
    let dale = app.login(DALE).await;
    let before = app.snapshot(WORLD);
    let r = app
        .post(
            &format!("/api/v2/organization/{org}/enterprise/{child}/user"),
            json!({"email": CHAZZ, "permissions": ["auditor"]}),
            Auth::V2(dale),
        )
        .await;
    let b = r.json();
    assert!(r.status == 400 || r.status == 409, "{} {b}", r.status);
    assert!(b["error"].as_str().unwrap().contains("already"), "{b}");
    assert_eq!(app.snapshot(WORLD), before);
}
