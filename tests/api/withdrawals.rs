//! Withdrawals: build, sign, send; book transfers; payload checks; video approval; the
//! concurrent burst that must never overdraw, before and after a restart.

use orgbox::auth::signed_message;
use orgbox::domain::role::EnterprisePermission;
use serde_json::json;

use crate::helpers::*;
use crate::wallets::*;

#[actix_rt::test]
async fn a_book_transfer_moves_money_between_go_accounts_atomically() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let a = create_go_account(&app, &token, &child(&app), 11).await;
    let b = create_go_account(&app, &token, &child(&app), 12).await;
    faucet(&app, &a.id, "ofctusd", 10_000).await;
    let r = withdraw(&app, &token, &a, "ofctusd", &b.id, 2_500)
        .await
        .ok();
    assert_eq!(r["transfer"]["transactionType"], "BOOK_TRANSFER");
    assert_eq!(r["transfer"]["state"], "confirmed");
    assert_eq!(balance(&app, &a.id, "ofctusd"), (7_500, 0));
    assert_eq!(balance(&app, &b.id, "ofctusd"), (2_500, 0));
    // `bg-<id>` names the same Go Account.
    withdraw(&app, &token, &a, "ofctusd", &format!("bg-{}", b.id), 500)
        .await
        .ok();
    assert_eq!(balance(&app, &b.id, "ofctusd"), (3_000, 0));
    let listed = app
        .get(
            &format!("/api/v2/enterprise/{}/transfer", child(&app)),
            Auth::V3(token),
        )
        .await
        .ok();
    assert_eq!(listed["transfers"].as_array().unwrap().len(), 5);
}

#[actix_rt::test]
async fn an_outside_withdrawal_settles_on_the_sandbox_clock() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let a = create_go_account(&app, &token, &child(&app), 13).await;
    faucet(&app, &a.id, "ofctbtc", 100_000).await;
    let r = withdraw(&app, &token, &a, "ofctbtc", "tb1qexternaladdress", 40_000)
        .await
        .ok();
    assert_eq!(r["transfer"]["transactionType"], "WITHDRAWAL");
    assert_eq!(r["transfer"]["state"], "signed");
    assert_eq!(balance(&app, &a.id, "ofctbtc"), (60_000, 0));
    app.advance_clock(61);
    let listed = app
        .get(
            &format!("/api/v2/ofctbtc/wallet/{}/transfer", a.id),
            Auth::Raw(token),
        )
        .await
        .ok();
    assert_eq!(listed["transfers"][0]["state"], "confirmed");
}

#[actix_rt::test]
async fn the_payload_is_checked_against_its_build_and_spent_once() {
    let app = spawn_app_with(|c| c.money.build_expiry_seconds = 60).await;
    let token = service_token(&app).await;
    let a = create_go_account(&app, &token, &child(&app), 14).await;
    faucet(&app, &a.id, "ofctusd", 1_000).await;
    let built = app
        .post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/build", a.id),
            json!({"recipients": [{"address": "external", "amount": "100"}]}),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    let payload = built["payload"].as_str().unwrap().to_string();
    let parsed: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(parsed["fromAccount"], a.id.as_str());
    assert_eq!(parsed["recipients"][0]["amount"], "100");
    let send = |payload: String, signature: String| {
        let (app, token, id) = (&app, token.clone(), a.id.clone());
        async move {
            app.post(
                &format!("/api/v2/ofctusd/wallet/{id}/tx/send"),
                json!({"halfSigned": {"payload": payload, "signature": signature}}),
                Auth::Raw(token),
            )
            .await
        }
    };
    let before = app.snapshot(&["ledger_entries", "transfers"]);
    // Changed amount, signed correctly: not what was built.
    let tampered = payload.replace("\"100\"", "\"900\"");
    let sig = signed_message::sign(&a.xprv, &tampered).unwrap();
    send(tampered, sig).await.expect_error(400);
    // Another key's signature.
    let (other, _) = signed_message::key_pair(&[99; 32]).unwrap();
    send(
        payload.clone(),
        signed_message::sign(&other, &payload).unwrap(),
    )
    .await
    .expect_error(400);
    send(payload.clone(), "00".repeat(65))
        .await
        .expect_error(400);
    assert_eq!(app.snapshot(&["ledger_entries", "transfers"]), before);
    let good = signed_message::sign(&a.xprv, &payload).unwrap();
    send(payload.clone(), good.clone()).await.ok();
    assert_eq!(
        send(payload.clone(), good).await.expect_error(409)["name"],
        "Conflict"
    );
    assert_eq!(balance(&app, &a.id, "ofctusd"), (900, 0));
    // Expired.
    let built = app
        .post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/build", a.id),
            json!({"recipients": [{"address": "external", "amount": "100"}]}),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    let payload = built["payload"].as_str().unwrap().to_string();
    app.advance_clock(61);
    let sig = signed_message::sign(&a.xprv, &payload).unwrap();
    send(payload, sig).await.expect_error(400);
    assert_eq!(balance(&app, &a.id, "ofctusd"), (900, 0));
}

#[actix_rt::test]
async fn overdrafts_and_bad_recipients_are_refused() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let a = create_go_account(&app, &token, &child(&app), 15).await;
    faucet(&app, &a.id, "ofctusd", 100).await;
    let r = withdraw(&app, &token, &a, "ofctusd", "x", 101).await;
    assert_eq!(r.expect_error(400)["name"], "InsufficientBalance");
    for body in [
        json!({"recipients": []}),
        json!({"recipients": [{"address": "x", "amount": "0"}]}),
        json!({"recipients": [{"address": "x", "amount": "1.5"}]}),
        json!({"recipients": [{"address": "", "amount": "1"}]}),
        json!({}),
    ] {
        app.post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/build", a.id),
            body,
            Auth::Raw(token.clone()),
        )
        .await
        .expect_error(400);
    }
    app.post(
        &format!("/api/v2/ofc/wallet/{}/tx/build", a.id),
        json!({"recipients": [{"address": "x", "amount": "1"}]}),
        Auth::Raw(token),
    )
    .await
    .expect_error(400);
}

/// The demo child enterprise gets a video approver other than the service user.
fn make_video_approver(app: &TestApp, email: &str) -> String {
    join_child(app, email, EnterprisePermission::Admin, true)
}

#[actix_rt::test]
async fn a_large_withdrawal_waits_for_a_video_approver_and_is_held() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    make_video_approver(&app, CHAZZ);
    let a = create_go_account(&app, &token, &child(&app), 16).await;
    // 10 BTC at 60,000 USD is 600,000 USD, above the 250,000 USD threshold.
    faucet(&app, &a.id, "ofctbtc", 2_000_000_000).await;
    let r = withdraw(&app, &token, &a, "ofctbtc", "tb1qbig", 1_000_000_000).await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    let approval = r.json()["pendingApproval"].clone();
    assert_eq!(approval["state"], "pendingVideoApproval");
    assert_eq!(
        balance(&app, &a.id, "ofctbtc"),
        (1_000_000_000, 1_000_000_000)
    );
    let id = approval["id"].as_str().unwrap().to_string();
    let put = |token: String, state: &'static str| {
        let (app, id) = (&app, id.clone());
        async move {
            app.send(
                Req::method("PUT", &format!("/api/v2/ofctbtc/pendingapprovals/{id}"))
                    .json(&json!({"state": state, "otp": "000000"}))
                    .auth(Auth::Raw(token)),
            )
            .await
        }
    };
    // The initiator cannot approve; nor can an admin of the child (who sees the approval)
    // who is not one of its video approvers. Neither changes anything.
    let money = [
        "ledger_entries",
        "wallet_balances",
        "transfers",
        "pending_approvals",
    ];
    let before = app.snapshot(&money);
    let b = put(token.clone(), "approved").await.expect_error(403);
    assert!(
        b["error"].as_str().unwrap().contains("your own withdrawal"),
        "{b}"
    );
    join_child(&app, DALE, EnterprisePermission::Admin, false);
    let dale = app.token_as(DALE, &["pending_approval_update"]).await;
    app.get(
        &format!("/api/v2/pendingapprovals/{id}"),
        Auth::Raw(dale.clone()),
    )
    .await
    .ok();
    let b = put(dale, "approved").await.expect_error(403);
    assert_eq!(b["name"], "Forbidden");
    assert!(
        b["error"]
            .as_str()
            .unwrap()
            .contains("only the enterprise's video approvers"),
        "{b}"
    );
    assert_eq!(app.snapshot(&money), before);
    // Two concurrent approvals by the video approver: applied exactly once.
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let (x, y) = futures_util::future::join(
        put(chazz.clone(), "approved"),
        put(chazz.clone(), "approved"),
    )
    .await;
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let applied = if x.status == 200 { x.json() } else { y.json() };
    let resolver = &applied["resolvers"][0];
    assert_eq!(
        (&resolver["resolutionType"], &resolver["resolutionAction"]),
        (&json!("pendingVideoApproval"), &json!("approve")),
        "BitGo names the open state resolved, and the action: {applied}"
    );
    assert_eq!(balance(&app, &a.id, "ofctbtc"), (1_000_000_000, 0));
    // A second large one, rejected: released.
    let r = withdraw(&app, &token, &a, "ofctbtc", "tb1qbig", 600_000_000).await;
    assert_eq!(r.status, 202);
    let id2 = r.json()["pendingApproval"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(balance(&app, &a.id, "ofctbtc"), (400_000_000, 600_000_000));
    app.send(
        Req::method("PUT", &format!("/api/v2/pendingapprovals/{id2}"))
            .json(&json!({"state": "rejected", "otp": "000000"}))
            .auth(Auth::Raw(chazz)),
    )
    .await
    .ok();
    assert_eq!(balance(&app, &a.id, "ofctbtc"), (1_000_000_000, 0));
}

#[actix_rt::test]
async fn custodial_initiate_always_makes_a_pending_approval() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let chazz = make_video_approver(&app, CHAZZ);
    let a = create_go_account(&app, &token, &child(&app), 17).await;
    faucet(&app, &a.id, "ofctusd", 1_000).await;
    let r = app
        .post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/initiate", a.id),
            json!({"recipients": [{"address": "x", "amount": "10"}], "videoApprovers": [chazz]}),
            Auth::Raw(token.clone()),
        )
        .await;
    assert_eq!(r.status, 202);
    // The body is BitGo's `PendingApproval` itself (its file's 202 of tx/initiate), no wrapper.
    let held = r.json();
    assert_eq!(held["state"], "pendingVideoApproval", "{held}");
    assert_eq!(held["wallet"], a.id.as_str());
    assert_eq!(held["scope"], "wallet");
    assert!(held.get("pendingApproval").is_none(), "{held}");
    let id = held["id"].as_str().unwrap();
    let read = app
        .get(
            &format!("/api/v2/pendingapprovals/{id}"),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    assert_eq!(read["state"], "pendingVideoApproval");
    assert_eq!(balance(&app, &a.id, "ofctusd"), (990, 10));
}

async fn burst(app: &TestApp, token: &str, acct: &GoAccount) -> usize {
    let sends = (0..200).map(|_| withdraw(app, token, acct, "ofctusd", "external", 10));
    let results = futures_util::future::join_all(sends).await;
    for r in &results {
        assert!(
            r.status == 200 || r.status == 400,
            "{} {:?}",
            r.status,
            r.body
        );
    }
    results.iter().filter(|r| r.status == 200).count()
}

#[actix_rt::test]
async fn two_hundred_parallel_withdrawals_against_a_balance_for_one_hundred() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let a = create_go_account(&app, &token, &child(&app), 18).await;
    faucet(&app, &a.id, "ofctusd", 1_000).await;
    assert_eq!(burst(&app, &token, &a).await, 100);
    assert_eq!(balance(&app, &a.id, "ofctusd"), (0, 0));
    assert_eq!(app.count("SELECT min(available) FROM wallet_balances"), 0);
    // The same after a restart on the same data directory.
    let id = a.id.clone();
    let app = spawn_app_in(app.stop().await, |_| {}).await;
    assert_eq!(balance(&app, &id, "ofctusd"), (0, 0));
    let token = service_token(&app).await;
    faucet(&app, &id, "ofctusd", 1_000).await;
    let acct = GoAccount {
        id: id.clone(),
        xprv: a.xprv,
    };
    assert_eq!(burst(&app, &token, &acct).await, 100);
    assert_eq!(balance(&app, &id, "ofctusd"), (0, 0));
    assert_eq!(
        app.count("SELECT count(*) FROM ledger_entries WHERE kind = 'debit'"),
        200
    );
}

#[actix_rt::test]
async fn the_demo_go_account_is_funded_for_the_service_user_and_refused_to_brennan() {
    let app = spawn_app().await;
    let child = &app.demo.children[0];
    let acct = GoAccount {
        id: child.go_account_id.clone(),
        xprv: child.go_account_xprv.clone(),
    };
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (100_000_000, 0));
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (1_000_000_000, 0));
    let service = service_token(&app).await;
    let r = withdraw(&app, &service, &acct, "ofctusd", "external-bank", 10_000)
        .await
        .ok();
    assert_eq!(r["transfer"]["state"], "signed");
    // 5 BTC is 300,000 USD: the end user (the child's video approver) must approve.
    let r = withdraw(&app, &service, &acct, "ofctbtc", "tb1qdemo", 500_000_000).await;
    assert_eq!(r.status, 202);
    let brennan = app.token_with(&["all"]).await;
    let r = withdraw(&app, &brennan, &acct, "ofctusd", "external-bank", 1).await;
    assert_eq!(
        r.expect_error(403)["name"],
        "OrganizationAdminCannotTransact"
    );
    // Seeding again adds nothing.
    let app = spawn_app_in(app.stop().await, |_| {}).await;
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (99_990_000, 0));
    assert_eq!(app.count("SELECT count(*) FROM wallets"), 1);
}

/// The demo Go Account's user keychain as the service user reads it back.
async fn demo_keychain(app: &TestApp) -> serde_json::Value {
    let token = service_token(app).await;
    let wallet_id = &app.demo.children[0].go_account_id;
    let wallet = app
        .get(
            &format!("/api/v2/ofc/wallet/{wallet_id}"),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    let key_id = wallet["keys"][0].as_str().unwrap().to_string();
    app.get(&format!("/api/v2/ofc/key/{key_id}"), Auth::Raw(token))
        .await
        .ok()
}

#[actix_rt::test]
async fn the_demo_keychain_carries_its_key_encrypted_with_the_demo_password_as_the_sdk_does() {
    let app = spawn_app().await;
    let xprv = app.demo.children[0].go_account_xprv.clone();
    let key = demo_keychain(&app).await;
    let envelope = key["encryptedPrv"]
        .as_str()
        .expect("encryptedPrv")
        .to_string();
    assert_eq!(
        orgbox::auth::sjcl::decrypt(PASSWORD, &envelope).as_deref(),
        Some(xprv.as_str())
    );
    assert_eq!(orgbox::auth::sjcl::decrypt("wrong", &envelope), None);
    // A directory seeded before the key was kept encrypted gains it at the next start, the
    // same bytes a fresh seed writes.
    app.state
        .sandboxes
        .default_sandbox()
        .store
        .write_blocking(|c| -> orgbox::domain::error::Result<_> {
            Ok(c.execute("UPDATE wallet_keys SET encrypted_prv = NULL", [])?)
        })
        .unwrap();
    assert!(demo_keychain(&app).await.get("encryptedPrv").is_none());
    let app = spawn_app_in(app.stop().await, |_| {}).await;
    assert_eq!(demo_keychain(&app).await["encryptedPrv"], envelope.as_str());
}
