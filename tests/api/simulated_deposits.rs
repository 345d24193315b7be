//! BitGo's test-only deposit simulator credits only for someone who could spend from the Go
//! Account, at most a bounded amount, with BitGo's `V1ErrorResponse` for its refusals; and no
//! credit anywhere can make what a wallet owns overflow into a negative balance.

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::*;

const SIMULATE: &str = "/api/fiat/v1/sandbox/transaction/simulate";

const ROWS: &[&str] = &[
    "ledger_entries",
    "wallet_balances",
    "transfers",
    "pending_approvals",
];

/// A refusal in BitGo's `V1ErrorResponse` shape: exactly `{errorName, error}`.
fn v1_error(r: &Resp, status: u16) -> String {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    let b = r.json();
    let mut keys: Vec<&String> = b.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["error", "errorName"], "{b}");
    assert!(b["error"].is_string(), "{b}");
    b["errorName"].as_str().unwrap().to_string()
}

fn deposit(wallet: &str, amount: &str) -> Value {
    json!({"walletId": wallet, "currency": "USD", "amount": amount, "type": "wire"})
}

#[actix_rt::test]
async fn only_a_spender_simulates_a_deposit() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 90).await;
    app.add_outsider("viewer@example.test");
    app.post(
        &format!("/api/v2/ofc/wallet/{}/share", acct.id),
        json!({"user": "viewer@example.test", "permission": "view"}),
        Auth::Raw(service.clone()),
    )
    .await
    .ok();
    join_child(&app, DALE, EnterprisePermission::Auditor, false);
    let view_only_token = app.token_as(SERVICE, &["wallet_view_all"]).await;
    let viewer = app
        .token_as(
            "viewer@example.test",
            &["wallet_spend_all", "wallet_view_all"],
        )
        .await;
    let auditor = app.token_as(DALE, &["all"]).await;
    let before = app.snapshot(ROWS);
    let r = app
        .post(
            SIMULATE,
            deposit(&acct.id, "9000000000000000000"),
            Auth::Raw(view_only_token),
        )
        .await;
    assert_eq!(v1_error(&r, 403), "InsufficientScope");
    for token in [viewer, auditor] {
        let r = app
            .post(SIMULATE, deposit(&acct.id, "100"), Auth::Raw(token))
            .await;
        assert_eq!(v1_error(&r, 403), "Forbidden");
    }
    app.add_outsider("nosy@example.test");
    let nosy = app.token_as("nosy@example.test", &["all"]).await;
    let r = app
        .post(SIMULATE, deposit(&acct.id, "100"), Auth::Raw(nosy))
        .await;
    assert_eq!(v1_error(&r, 404), "NotFound");
    assert_eq!(app.snapshot(ROWS), before);
    // The spender deposits.
    let r = app
        .post(SIMULATE, deposit(&acct.id, "5000"), Auth::Raw(service))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (5_000, 0));
}

#[actix_rt::test]
async fn a_simulated_deposit_is_capped_and_bad_bodies_get_the_v1_error() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 91).await;
    let before = app.snapshot(ROWS);
    // 9e18 cents (the reported repro), one cent over the cap, and BTC worth more than it.
    for body in [
        deposit(&acct.id, "9000000000000000000"),
        deposit(&acct.id, "100000000001"),
        json!({"walletId": acct.id, "currency": "ofctbtc", "amount": "2000000000000"}),
    ] {
        let r = app
            .post(SIMULATE, body.clone(), Auth::Raw(service.clone()))
            .await;
        assert_eq!(v1_error(&r, 400), "InvalidRequest", "{body}");
    }
    for body in [
        json!({"currency": "USD"}),
        json!({"walletId": acct.id, "currency": "XYZ"}),
        json!({"walletId": acct.id, "amount": "-5"}),
        json!({"walletId": acct.id, "type": "swift"}),
    ] {
        let r = app
            .post(SIMULATE, body.clone(), Auth::Raw(service.clone()))
            .await;
        assert_eq!(v1_error(&r, 400), "InvalidRequest", "{body}");
    }
    assert_eq!(app.snapshot(ROWS), before);
    // At the cap, it credits: 1,000,000,000 USD.
    let r = app
        .post(
            SIMULATE,
            deposit(&acct.id, "100000000000"),
            Auth::Raw(service),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (100_000_000_000, 0));
}

#[actix_rt::test]
async fn no_credit_makes_a_balance_overflow_into_a_negative_one() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let chazz = join_child(&app, CHAZZ, EnterprisePermission::Admin, true);
    let acct = create_go_account(&app, &service, &child(&app), 92).await;
    // 775,807 cents short of i64::MAX, half of it held behind a pending approval.
    let owned: i64 = 9_223_372_036_854_000_000;
    faucet(&app, &acct.id, "ofctusd", owned).await;
    let r = app
        .post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/initiate", acct.id),
            json!({"recipients": [{"address": "out", "amount": (owned / 2).to_string()}], "videoApprovers": [chazz]}),
            Auth::Raw(service.clone()),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let other = create_go_account(&app, &service, &child(&app), 93).await;
    faucet(&app, &other.id, "ofctusd", 1_000_000).await;
    let before = app.snapshot(ROWS);
    // Another 1,000,000 cents would make available + held pass i64: refused on the faucet and
    // on a book transfer from another Go Account.
    let r = app
        .post(
            &format!("/sandbox/wallets/{}/faucet", acct.id),
            json!({"asset": "ofctusd", "amount": "1000000"}),
            Auth::None,
        )
        .await;
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["error"].as_str().unwrap().contains("too large"));
    let r = withdraw(&app, &service, &other, "ofctusd", &acct.id, 1_000_000).await;
    assert_eq!(r.expect_error(400)["name"], "InvalidRequest");
    assert_eq!(app.snapshot(ROWS), before);
    let w = app
        .get(
            &format!("/api/v2/ofctusd/wallet/{}", acct.id),
            Auth::Raw(service),
        )
        .await
        .ok();
    assert_eq!(w["balanceString"], owned.to_string());
    assert_eq!(w["spendableBalanceString"], (owned / 2).to_string());
    // The control plane's ledger view sums the rows without overflowing.
    let ledger = app
        .get(&format!("/sandbox/wallets/{}/ledger", acct.id), Auth::None)
        .await
        .ok();
    assert_eq!(
        ledger["balances"][0]["sumOfRows"]["held"],
        (owned / 2).to_string()
    );
}
