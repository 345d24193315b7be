//! The state changes that fire webhooks, each told exactly once and in order: a withdrawal
//! signed then confirmed, both sides of a book transfer, a pending approval created and
//! resolved (and the withdrawal it held), a trade settled, an access token created and
//! revoked, a new deposit address; and the races where two requests could tell one twice.

use std::time::Duration;

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::receiver::Receiver;
use crate::wallets::*;
use crate::webhooks::*;

/// (type, state or action) of each delivery.
fn told(got: &[crate::receiver::Received]) -> Vec<(String, String)> {
    told_at(got, None)
}

/// [`told`] of the deliveries to one path only (order holds per webhook, not across them).
fn told_at(got: &[crate::receiver::Received], path: Option<&str>) -> Vec<(String, String)> {
    got.iter()
        .filter(|g| path.is_none_or(|p| g.path == p))
        .map(|g| {
            let b: Value = g.json();
            let what = ["state", "action", "status"]
                .iter()
                .find_map(|k| b[*k].as_str())
                .unwrap_or("-");
            (b["type"].as_str().unwrap().to_string(), what.to_string())
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[actix_rt::test]
async fn a_withdrawal_is_told_signed_then_confirmed_and_a_book_transfer_on_both_sides() {
    let app = spawn_app().await;
    let (token, a) = go_account(&app, 61).await;
    let b = create_go_account(&app, &token, &child(&app), 62).await;
    faucet(&app, &a.id, "ofctbtc", 100_000).await;
    let (ra, rb) = (Receiver::start(), Receiver::start());
    transfer_webhook(&app, &token, &a.id, &ra.url("/a"), json!({})).await;
    transfer_webhook(&app, &token, &b.id, &rb.url("/b"), json!({})).await;
    withdraw(&app, &token, &a, "ofctbtc", "tb1qoutside", 40_000)
        .await
        .ok();
    let got = ra.wait_for(1, WAIT).await;
    assert_eq!(told(&got), pairs(&[("transfer", "signed")]));
    assert_eq!(got[0].json()["transferType"], "send");
    assert_eq!(got[0].json()["valueString"], "-40000");
    withdraw(&app, &token, &a, "ofctbtc", &b.id, 10_000)
        .await
        .ok();
    app.advance_clock(61);
    let got = ra.wait_for(3, WAIT).await;
    assert_eq!(
        told(&got),
        pairs(&[
            ("transfer", "signed"),
            ("transfer", "confirmed"),
            ("transfer", "confirmed")
        ])
    );
    assert_eq!(got[1].json()["transactionType"], "BOOK_TRANSFER");
    assert_eq!(got[2].json()["transactionType"], "WITHDRAWAL");
    let received = rb.wait_for(1, WAIT).await;
    assert_eq!(received[0].json()["transferType"], "receive");
    assert_eq!(received[0].json()["state"], "confirmed");
    ra.expect_no_more(3, Duration::from_millis(300)).await;
    rb.expect_no_more(1, Duration::from_millis(0)).await;
}

#[actix_rt::test]
async fn a_pending_approval_is_told_when_created_and_when_resolved_and_its_withdrawal_follows() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 63).await;
    faucet(&app, &acct.id, "ofctbtc", 1_000_000_000).await;
    let r = Receiver::start();
    add_wallet_webhook(
        &app,
        &token,
        "ofc",
        &acct.id,
        json!({"type": "pendingapproval", "url": r.url("/pa")}),
    )
    .await
    .ok();
    transfer_webhook(
        &app,
        &token,
        &acct.id,
        &r.url("/t"),
        json!({"listenToFailureStates": true}),
    )
    .await;
    // 5 BTC is worth more than the video-approval threshold: held for the child's approver.
    let held = withdraw(&app, &token, &acct, "ofctbtc", "tb1qlarge", 500_000_000).await;
    assert_eq!(held.status, 202);
    let id = held.json()["pendingApproval"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let got = r.wait_for(1, WAIT).await;
    assert_eq!(got[0].json()["pendingApprovalId"], id.as_str());
    assert_eq!(got[0].json()["walletId"], acct.id.as_str());
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    app.send(
        Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
            .json(&json!({"state": "approved", "otp": "000000"}))
            .auth(Auth::Raw(chazz.clone())),
    )
    .await
    .ok();
    app.advance_clock(61);
    let got = r.wait_for(4, WAIT).await;
    let first_state = got[0].json()["state"].as_str().unwrap().to_string();
    assert_eq!(
        told_at(&got, Some("/pa")),
        pairs(&[
            ("pendingapproval", first_state.as_str()),
            ("pendingapproval", "approved")
        ])
    );
    assert_eq!(
        told_at(&got, Some("/t")),
        pairs(&[("transfer", "signed"), ("transfer", "confirmed")])
    );
    // A rejected withdrawal is told as a failure to webhooks that listen to failures.
    let held = withdraw(&app, &token, &acct, "ofctbtc", "tb1qlarge", 450_000_000).await;
    assert_eq!(held.status, 202);
    let id = held.json()["pendingApproval"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.send(
        Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
            .json(&json!({"state": "rejected", "otp": "000000"}))
            .auth(Auth::Raw(chazz)),
    )
    .await
    .ok();
    let got = r.wait_for(7, WAIT).await;
    assert_eq!(
        told_at(&got[4..], Some("/pa")),
        pairs(&[
            ("pendingapproval", first_state.as_str()),
            ("pendingapproval", "rejected")
        ])
    );
    assert_eq!(
        told_at(&got[4..], Some("/t")),
        pairs(&[("transfer", "rejected")])
    );
    r.expect_no_more(7, Duration::from_millis(300)).await;
}

#[actix_rt::test]
async fn two_approvals_at_once_tell_the_resolution_once() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 64).await;
    faucet(&app, &acct.id, "ofctbtc", 1_000_000_000).await;
    join_child(&app, DALE, EnterprisePermission::Admin, true);
    let r = Receiver::start();
    add_wallet_webhook(
        &app,
        &token,
        "ofc",
        &acct.id,
        json!({"type": "pendingapproval", "url": r.url("/race")}),
    )
    .await
    .ok();
    let held = withdraw(&app, &token, &acct, "ofctbtc", "tb1qrace", 500_000_000).await;
    let id = held.json()["pendingApproval"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let dale = app.token_as(DALE, &["pending_approval_update"]).await;
    let put = |token: String| {
        let (app, id) = (&app, id.clone());
        async move {
            app.send(
                Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
                    .json(&json!({"state": "approved", "otp": "000000"}))
                    .auth(Auth::Raw(token)),
            )
            .await
        }
    };
    let (x, y) = futures_util::future::join(put(chazz), put(dale)).await;
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let got = r.wait_for(2, WAIT).await;
    r.expect_no_more(2, Duration::from_millis(400)).await;
    assert_eq!(
        told(&got)[1],
        ("pendingapproval".to_string(), "approved".to_string())
    );
    assert_eq!(app.count("SELECT count(*) FROM webhook_notifications"), 2);
}

#[actix_rt::test]
async fn access_tokens_created_and_revoked_are_told_to_their_enterprises_and_organization() {
    let app = spawn_app().await;
    let (ent, org) = (
        app.demo.enterprise_id.clone(),
        app.demo.organization_id.clone(),
    );
    let brennan = app.login(BRENNAN).await;
    let r = Receiver::start();
    app.post(
        &format!("/api/v2/enterprise/{ent}/webhooks"),
        json!({"type": "accessToken", "url": r.url("/ent")}),
        Auth::Raw(brennan.clone()),
    )
    .await
    .ok();
    app.post(
        &format!("/api/v2/organization/{org}/webhook"),
        json!({"type": "accessToken", "url": r.url("/org")}),
        Auth::Raw(brennan),
    )
    .await
    .ok();
    let dale = app.login(DALE).await;
    let created = app
        .create_token(&dale, &["wallet_view_all"], json!({}))
        .await;
    let token_id = created["id"].as_str().unwrap().to_string();
    let got = r.wait_for(2, WAIT).await;
    let mut paths: Vec<&str> = got.iter().map(|g| g.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["/ent", "/org"]);
    let body = got[0].json();
    assert_eq!(
        (body["action"].as_str(), body["accessTokenId"].as_str()),
        (Some("created"), Some(token_id.as_str()))
    );
    assert_eq!(body["username"], DALE);
    assert!(body["tokenCreateTime"].is_string());
    assert!(
        body.get("token").is_none(),
        "the token itself is never sent"
    );
    // Revoked twice at once: told once.
    let delete = || {
        let (app, dale, id) = (&app, dale.clone(), token_id.clone());
        async move {
            app.send(Req::delete(&format!("/api/v2/user/accesstoken/{id}")).auth(Auth::Raw(dale)))
                .await
        }
    };
    let (x, y) = futures_util::future::join(delete(), delete()).await;
    assert!(x.status == 200 || y.status == 200);
    let got = r.wait_for(4, WAIT).await;
    r.expect_no_more(4, Duration::from_millis(400)).await;
    assert!(told(&got[2..])
        .iter()
        .all(|(t, a)| t == "accessToken" && a == "revoked"));
}

#[actix_rt::test]
async fn a_settled_trade_is_told_to_the_organizations_trade_order_webhooks() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 65).await;
    faucet(&app, &acct.id, "ofctusd", 10_000_000).await;
    let brennan = app.login(BRENNAN).await;
    let r = Receiver::start();
    app.post(
        &format!("/api/v2/organization/{}/webhook", app.demo.organization_id),
        json!({"type": "tradeOrder", "url": r.url("/trades")}),
        Auth::Raw(brennan),
    )
    .await
    .ok();
    let order = app
        .post(
            &format!("/api/prime/trading/v1/accounts/{}/orders", acct.id),
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.01"}),
            Auth::Raw(token),
        )
        .await
        .ok();
    let got = r.wait_for(1, WAIT).await;
    let b = got[0].json();
    assert_eq!(
        (b["type"].as_str(), b["status"].as_str()),
        (Some("tradeOrder"), Some("completed"))
    );
    assert_eq!(b["orderId"], order["id"]);
    assert_eq!(b["accountId"], acct.id.as_str());
    r.expect_no_more(1, Duration::from_millis(300)).await;
}

#[actix_rt::test]
async fn a_new_deposit_address_is_told_to_address_confirmation_webhooks() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 66).await;
    let r = Receiver::start();
    add_wallet_webhook(
        &app,
        &token,
        "ofc",
        &acct.id,
        json!({"type": "address_confirmation", "url": r.url("/addr")}),
    )
    .await
    .ok();
    let address = app
        .post(
            &format!("/api/v2/ofc/wallet/{}/address", acct.id),
            json!({"onToken": "ofctsol", "label": "sol"}),
            Auth::V2(token),
        )
        .await
        .ok();
    let got = r.wait_for(1, WAIT).await;
    let b = got[0].json();
    assert_eq!(b["type"], "address_confirmation");
    assert_eq!(b["address"], address["address"]);
    assert_eq!(b["coin"], "ofctsol");
    assert_eq!(b["walletId"], acct.id.as_str());
}
