//! Who creates, sees and moves money on a Go Account, case by case over HTTP: the member and
//! scope cases of `may_create_wallet` and `may_view_wallet`, and the `may_transact` cases of
//! a child's admin who is not the service user (its end user) and of a service user who is
//! not an admin of the child. Each refusal changes nothing.

use orgbox::auth::signed_message;
use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::*;

const ROWS: &[&str] = &[
    "wallets",
    "wallet_users",
    "ledger_entries",
    "wallet_balances",
    "transfers",
    "tx_builds",
    "trade_orders",
];

/// A key of the caller's, for `wallet/add`.
async fn key_of(app: &TestApp, token: &str) -> Value {
    let (_, xpub) = signed_message::key_pair(&[7; 32]).unwrap();
    app.post(
        "/api/v2/ofc/key",
        json!({"pub": xpub}),
        Auth::Raw(token.into()),
    )
    .await
    .ok()["id"]
        .clone()
}

async fn add_wallet(app: &TestApp, token: &str, key: &Value) -> Resp {
    app.post(
        "/api/v2/ofc/wallet/add",
        json!({"label": "x", "type": "trading", "enterprise": child(app), "keys": [key]}),
        Auth::Raw(token.into()),
    )
    .await
}

#[actix_rt::test]
async fn wallet_creation_needs_the_scope_and_admin_or_wallet_create_on_the_enterprise() {
    let app = spawn_app().await;
    join_child(&app, DALE, EnterprisePermission::Member, false);
    let dale = app
        .token_as(DALE, &["wallet_create", "wallet_view_all"])
        .await;
    let dale_key = key_of(&app, &dale).await;
    let service = app.token_as(SERVICE, &["wallet_view_all"]).await;
    let service_key = key_of(&app, &app.token_as(SERVICE, &["wallet_create"]).await).await;
    let before = app.snapshot(ROWS);
    let b = add_wallet(&app, &dale, &dale_key).await.expect_error(403);
    assert_eq!(b["name"], "Forbidden");
    assert!(
        b["error"]
            .as_str()
            .unwrap()
            .contains("only enterprise admins and wallet.create users"),
        "{b}"
    );
    // The child's admin, with a token lacking wallet_create.
    let b = add_wallet(&app, &service, &service_key)
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "wallet_create");
    assert_eq!(app.snapshot(ROWS), before);
    // With wallet.create on the enterprise, the member creates, and holds the wallet fully.
    join_child(&app, DALE, EnterprisePermission::WalletCreate, false);
    let w = add_wallet(&app, &dale, &dale_key).await.ok();
    assert_eq!(
        w["users"][0]["permissions"],
        json!(["admin", "spend", "view"])
    );
}

#[actix_rt::test]
async fn a_go_account_is_seen_by_its_users_admins_and_auditors_with_a_scope_that_reaches_it() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 95).await;
    let other = create_go_account(&app, &service, &child(&app), 96).await;
    let get = |token: String, id: &str| {
        let (app, path) = (&app, format!("/api/v2/ofc/wallet/{id}"));
        async move { app.get(&path, Auth::Raw(token)).await }
    };
    // A plain member of the enterprise who is not a wallet user: the wallet does not exist.
    join_child(&app, DALE, EnterprisePermission::Member, false);
    let dale = app.token_as(DALE, &["wallet_view_all"]).await;
    assert_eq!(
        get(dale, &acct.id).await.expect_error(404)["name"],
        "NotFound"
    );
    // An auditor sees it.
    join_child(&app, DALE, EnterprisePermission::Auditor, false);
    let dale = app.token_as(DALE, &["wallet_view_all"]).await;
    get(dale, &acct.id).await.ok();
    // Its user, by the scopes that reach it, and not by the others.
    for scopes in [
        vec!["trade_view".to_string()],
        vec!["enterprise_view_all".to_string()],
        vec![format!("wallet_view:{}", acct.id)],
    ] {
        let names: Vec<&str> = scopes.iter().map(String::as_str).collect();
        get(app.token_as(SERVICE, &names).await, &acct.id)
            .await
            .ok();
    }
    for scopes in [
        vec!["profile".to_string()],
        vec!["wallet_view".to_string()],
        vec!["wallet_view_enterprise".to_string()],
        vec![format!("wallet_view:{}", other.id)],
        vec!["wallet_spend_all".to_string()],
    ] {
        let names: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let b = get(app.token_as(SERVICE, &names).await, &acct.id)
            .await
            .expect_error(403);
        assert_eq!(
            b["context"]["requiredScope"], "wallet_view_all",
            "{scopes:?}"
        );
    }
}

#[actix_rt::test]
async fn the_childs_end_user_and_a_service_user_who_is_no_admin_there_do_not_transact() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let chazz = app.token_as(CHAZZ, SEED_SCOPES).await;
    // One Go Account of the service user's, one of Chazz's (the child's end user, an admin
    // of the child, who creates it and so holds spend on it).
    let services = create_go_account(&app, &service, &child(&app), 97).await;
    let chazzs = create_go_account(&app, &chazz, &child(&app), 98).await;
    for a in [&services, &chazzs] {
        faucet(&app, &a.id, "ofctusd", 1_000_000).await;
    }
    let build = |token: &str, acct: &GoAccount| {
        Req::post(&format!("/api/v2/ofctusd/wallet/{}/tx/build", acct.id))
            .json(&json!({"recipients": [{"address": "tb1q-outside", "amount": "100"}]}))
            .auth(Auth::Raw(token.into()))
    };
    let order = |token: &str, acct: &GoAccount| {
        Req::post(&format!(
            "/api/prime/trading/v1/accounts/{}/orders",
            acct.id
        ))
        .json(&json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.001"}))
        .auth(Auth::Raw(token.into()))
    };
    let refused = |token: String, acct: &GoAccount| {
        let (app, build, order) = (&app, build(&token, acct), order(&token, acct));
        async move {
            let before = app.snapshot(ROWS);
            let b = app.send(build).await.expect_error(403);
            assert_eq!(b["name"], "Forbidden");
            assert!(
                b["error"].as_str().unwrap().contains("not a spender"),
                "{b}"
            );
            let r = app.send(order).await;
            assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
            assert_eq!(r.json()["errorName"], "backend:common:forbidden");
            assert_eq!(app.snapshot(ROWS), before);
        }
    };
    // The end user on the service user's account: an admin of the child is no spender.
    refused(chazz.clone(), &services).await;
    app.send(build(&chazz, &chazzs)).await.ok();
    // The service user, with no permission on Chazz's account, transacts as the child's admin...
    app.send(build(&service, &chazzs)).await.ok();
    // ...and not once he is no admin of the child; on his own account his spend still counts.
    join_child(&app, SERVICE, EnterprisePermission::Member, false);
    refused(service.clone(), &chazzs).await;
    app.send(build(&service, &services)).await.ok();
}
