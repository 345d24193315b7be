//! The organization admin can never transact on a child enterprise of their organization:
//! every money route, every token scope set (`all` included), also when the admin is an
//! admin of the child too, and each refusal changes nothing.

use orgbox::auth::signed_message;
use orgbox::domain::role::EnterprisePermission;
use serde_json::json;

use crate::helpers::*;
use crate::wallets::*;

const MONEY_TABLES: &[&str] = &[
    "ledger_entries",
    "wallet_balances",
    "transfers",
    "tx_builds",
    "pending_approvals",
];

/// Scope sets the organization admin tries, from nothing to everything.
const SCOPE_SETS: &[&[&str]] = &[
    &["all"],
    SEED_SCOPES,
    &["wallet_spend_all", "trade_trade"],
    &["wallet_spend_all"],
    &["trade_trade"],
    &["wallet_view_all"],
];

fn make_child_admin(app: &TestApp, email: &str) {
    join_child(app, email, EnterprisePermission::Admin, false);
}

#[actix_rt::test]
async fn the_organization_admin_is_refused_every_money_route_with_any_token() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 21).await;
    let other = create_go_account(&app, &service, &child(&app), 22).await;
    faucet(&app, &acct.id, "ofctusd", 10_000).await;
    // A payload the service user built and signed, which Brennan tries to send.
    let built = app
        .post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/build", acct.id),
            json!({"recipients": [{"address": other.id, "amount": "100"}]}),
            Auth::Raw(service.clone()),
        )
        .await
        .ok();
    let payload = built["payload"].as_str().unwrap().to_string();
    let signature = signed_message::sign(&acct.xprv, &payload).unwrap();
    // A resting order of the service user's, which Brennan tries to cancel.
    let resting = app
        .post(
            &format!("/api/prime/trading/v1/accounts/{}/orders", acct.id),
            json!({"product": "BTC-USD", "type": "limit", "side": "buy", "quantity": "0.001", "limitPrice": "1000"}),
            Auth::Raw(service.clone()),
        )
        .await
        .ok();
    let order_id = resting["id"].as_str().unwrap().to_string();
    let routes: Vec<(String, serde_json::Value)> = vec![
        (
            format!("/api/v2/ofctusd/wallet/{}/tx/build", acct.id),
            json!({"recipients": [{"address": other.id, "amount": "100"}]}),
        ),
        (
            format!("/api/v2/ofctusd/wallet/{}/tx/send", acct.id),
            json!({"halfSigned": {"payload": payload, "signature": signature}}),
        ),
        (
            format!("/api/v2/ofctusd/wallet/{}/tx/initiate", acct.id),
            json!({"recipients": [{"address": other.id, "amount": "100"}], "videoApprovers": []}),
        ),
        (
            format!("/api/prime/trading/v1/accounts/{}/orders", acct.id),
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.001"}),
        ),
        (
            format!(
                "/api/prime/trading/v1/accounts/{}/orders/{order_id}/cancel",
                acct.id
            ),
            json!({}),
        ),
    ];
    for also_child_admin in [false, true] {
        if also_child_admin {
            make_child_admin(&app, BRENNAN);
        }
        for scopes in SCOPE_SETS {
            let token = app.token_with(scopes).await;
            for (path, body) in &routes {
                for auth in [
                    Auth::Raw(token.clone()),
                    Auth::V2(token.clone()),
                    Auth::V3(token.clone()),
                ] {
                    let before = app.snapshot(MONEY_TABLES);
                    let method = if path.ends_with("/cancel") {
                        "PUT"
                    } else {
                        "POST"
                    };
                    let r = app
                        .send(Req::method(method, path).json(body).auth(auth))
                        .await;
                    assert_eq!(r.status, 403, "{path} with {scopes:?}: {:?}", r.json());
                    let body = r.json();
                    // The platform body names it `name`, the trading body `errorName`.
                    let name = body.get("name").or(body.get("errorName")).cloned();
                    assert_eq!(
                        name,
                        Some(json!("OrganizationAdminCannotTransact")),
                        "{path} with {scopes:?} (child admin: {also_child_admin})"
                    );
                    assert_eq!(
                        app.snapshot(MONEY_TABLES),
                        before,
                        "{path} changed something"
                    );
                }
            }
        }
    }
    // The service user's payload is still unspent and goes through.
    let r = app
        .post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/send", acct.id),
            routes[1].1.clone(),
            Auth::Raw(service),
        )
        .await
        .ok();
    assert_eq!(r["transfer"]["state"], "confirmed");
}

#[actix_rt::test]
async fn auditors_view_only_users_and_narrow_tokens_do_not_transact() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 23).await;
    faucet(&app, &acct.id, "ofctusd", 1_000).await;
    // Dale: an auditor of the child (and not an organization admin).
    join_child(&app, DALE, EnterprisePermission::Auditor, false);
    let dale = app
        .token_as(DALE, &["wallet_spend_all", "wallet_view_all"])
        .await;
    let before = app.snapshot(MONEY_TABLES);
    let build = format!("/api/v2/ofctusd/wallet/{}/tx/build", acct.id);
    let body = json!({"recipients": [{"address": "x", "amount": "1"}]});
    assert_eq!(
        app.post(&build, body.clone(), Auth::Raw(dale.clone()))
            .await
            .expect_error(403)["name"],
        "Forbidden"
    );
    // The service user with a token lacking spend.
    let narrow = app.token_as(SERVICE, &["wallet_view_all"]).await;
    assert_eq!(
        app.post(&build, body.clone(), Auth::Raw(narrow))
            .await
            .expect_error(403)["name"],
        "InsufficientScope"
    );
    assert_eq!(app.snapshot(MONEY_TABLES), before);
    // The auditor still reads.
    app.get(&format!("/api/v2/ofc/wallet/{}", acct.id), Auth::Raw(dale))
        .await
        .ok();
}

#[actix_rt::test]
async fn wallet_users_spend_by_their_permission_and_view_only_users_are_refused() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 24).await;
    faucet(&app, &acct.id, "ofctusd", 1_000).await;
    app.add_outsider("viewer@example.test");
    app.add_outsider("spender@example.test");
    for (email, permission) in [
        ("viewer@example.test", "view"),
        ("spender@example.test", "spend"),
    ] {
        let share = app
            .post(
                &format!("/api/v2/ofc/wallet/{}/share", acct.id),
                json!({"user": email, "permission": permission}),
                Auth::V2(service.clone()),
            )
            .await
            .ok();
        assert_eq!(share["state"], "accepted");
    }
    let w = app
        .get(
            &format!("/api/v2/ofc/wallet/{}", acct.id),
            Auth::Raw(service.clone()),
        )
        .await
        .ok();
    assert_eq!(w["users"].as_array().unwrap().len(), 3);
    let build = format!("/api/v2/ofctusd/wallet/{}/tx/build", acct.id);
    let body = json!({"recipients": [{"address": "x", "amount": "1"}]});
    let viewer = app
        .token_as(
            "viewer@example.test",
            &["wallet_spend_all", "wallet_view_all"],
        )
        .await;
    let before = app.snapshot(MONEY_TABLES);
    assert_eq!(
        app.post(&build, body.clone(), Auth::Raw(viewer.clone()))
            .await
            .expect_error(403)["name"],
        "Forbidden"
    );
    assert_eq!(app.snapshot(MONEY_TABLES), before);
    // The viewer reads; the spender withdraws (signed with the wallet's key by its holder).
    app.get(
        &format!("/api/v2/ofc/wallet/{}", acct.id),
        Auth::Raw(viewer.clone()),
    )
    .await
    .ok();
    let spender = app
        .token_as("spender@example.test", &["wallet_spend_all"])
        .await;
    withdraw(&app, &spender, &acct, "ofctusd", "x", 10)
        .await
        .ok();
    // Only wallet admins share; unknown permissions are refused.
    app.post(
        &format!("/api/v2/ofc/wallet/{}/share", acct.id),
        json!({"user": BRENNAN, "permission": "admin"}),
        Auth::Raw(viewer),
    )
    .await
    .expect_error(403);
    app.post(
        &format!("/api/v2/ofc/wallet/{}/share", acct.id),
        json!({"user": BRENNAN, "permission": "root"}),
        Auth::Raw(service),
    )
    .await
    .expect_error(400);
}
