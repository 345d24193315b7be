//! What a token may spend: a login session only while unlocked (BitGo's `needsUnlock`), a
//! long-lived token up to its `txValueLimit` over its whole life (USD cents at the sandbox
//! price, counted in `unlock.txValue`). Every refusal changes nothing.

use futures_util::future::join_all;
use orgbox::auth::signed_message;
use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::*;

/// Every row a money route writes, and the tokens' spending counters.
pub const ROWS: &[&str] = &[
    "tx_builds",
    "ledger_entries",
    "wallet_balances",
    "transfers",
    "pending_approvals",
    "trade_orders",
    "trade_fills",
    "access_tokens",
];

/// [`ROWS`] but the builds: what a refused send (after its build) must leave alone.
const SENT_ROWS: &[&str] = ROWS.split_at(1).1;

/// Builds a withdrawal of `amount` (as the caller, who must be allowed to build) and sends
/// it signed, with `extra` merged into the send body.
async fn build_and_send(
    app: &TestApp,
    token: &str,
    acct: &GoAccount,
    asset: &str,
    amount: i64,
    extra: Value,
) -> Resp {
    let built = app
        .post(
            &format!("/api/v2/{asset}/wallet/{}/tx/build", acct.id),
            json!({"recipients": [{"address": "tb1q-outside", "amount": amount.to_string()}]}),
            Auth::V2(token.into()),
        )
        .await
        .ok();
    let payload = built["payload"].as_str().unwrap().to_string();
    let signature = signed_message::sign(&acct.xprv, &payload).unwrap();
    let mut body = json!({"halfSigned": {"payload": payload, "signature": signature}});
    if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
    app.post(
        &format!("/api/v2/{asset}/wallet/{}/tx/send", acct.id),
        body,
        Auth::V2(token.into()),
    )
    .await
}

fn initiate(token: &str, acct: &GoAccount, amount: i64) -> Req {
    Req::post(&format!("/api/v2/ofctusd/wallet/{}/tx/initiate", acct.id))
        .json(&json!({"recipients": [{"address": "tb1q-outside", "amount": amount.to_string()}]}))
        .auth(Auth::V2(token.into()))
}

/// A market buy of `btc` on `acct`.
pub fn buy(token: &str, acct: &GoAccount, btc: &str) -> Req {
    Req::post(&format!(
        "/api/prime/trading/v1/accounts/{}/orders",
        acct.id
    ))
    .json(&json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": btc}))
    .auth(Auth::V2(token.into()))
}

/// The calling token's `unlock` as its session document shows it.
async fn unlock_of(app: &TestApp, token: &str) -> Value {
    app.get("/api/v2/user/session", Auth::Raw(token.into()))
        .await
        .ok()["session"]["unlock"]
        .clone()
}

fn assert_needs_unlock(r: &Resp, what: &str) {
    assert_eq!(
        r.status,
        401,
        "{what}: {}",
        String::from_utf8_lossy(&r.body)
    );
    let b = r.json();
    assert_eq!(b["needsUnlock"], true, "{what}: {b}");
    assert!(
        b["error"].as_str().unwrap().starts_with("needs unlock"),
        "{what}: {b}"
    );
    assert!(
        r.header("x-auth-required").is_none(),
        "{what}: the token itself is fine"
    );
}

#[actix_rt::test]
async fn a_locked_login_session_spends_nothing_until_unlocked_with_an_otp() {
    let app = spawn_app().await;
    make_video_approver(&app);
    let session = app.login(SERVICE).await;
    let acct = create_go_account(&app, &session, &child(&app), 80).await;
    faucet(&app, &acct.id, "ofctusd", 100_000_000).await;
    // Unlocked by the login's OTP: it sends.
    let r = build_and_send(&app, &session, &acct, "ofctusd", 100, json!({})).await;
    assert_eq!(r.ok()["transfer"]["state"], "signed");
    app.post("/api/v2/user/lock", json!({}), Auth::Raw(session.clone()))
        .await
        .ok();
    // Locked: building commits nothing and still works; sending, initiating and trading
    // need an unlock, and a wrong OTP with the request is no unlock.
    let built = app
        .post(
            &format!("/api/v2/ofctusd/wallet/{}/tx/build", acct.id),
            json!({"recipients": [{"address": "tb1q-outside", "amount": "100"}]}),
            Auth::V2(session.clone()),
        )
        .await
        .ok();
    let payload = built["payload"].as_str().unwrap().to_string();
    let signature = signed_message::sign(&acct.xprv, &payload).unwrap();
    let send = |extra: Value| {
        let mut body = json!({"halfSigned": {"payload": payload, "signature": signature}});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        Req::post(&format!("/api/v2/ofctusd/wallet/{}/tx/send", acct.id))
            .json(&body)
            .auth(Auth::V2(session.clone()))
    };
    let before = app.snapshot(ROWS);
    assert_needs_unlock(&app.send(send(json!({}))).await, "tx/send");
    let b = app
        .send(send(json!({"otp": "123456"})))
        .await
        .expect_error(401);
    assert_eq!(b["needsOTP"], true);
    assert_needs_unlock(
        &app.send(initiate(&session, &acct, 100)).await,
        "tx/initiate",
    );
    let r = app.send(buy(&session, &acct, "0.01")).await;
    assert_needs_unlock(&r, "an order");
    assert_eq!(r.json()["errorName"], "backend:common:unauthorized");
    assert_eq!(
        app.snapshot(ROWS),
        before,
        "a locked session changed something"
    );
    // An OTP with the request unlocks that request alone (BitGo's sendmany `otp`).
    let r = app.send(send(json!({"otp": "000000"}))).await;
    assert_eq!(r.ok()["transfer"]["state"], "signed");
    assert_needs_unlock(
        &app.send(initiate(&session, &acct, 100)).await,
        "tx/initiate",
    );
    // Unlocked with the OTP: it spends again, until the unlock runs out.
    app.post(
        "/api/v2/user/unlock",
        json!({"otp": "000000", "duration": 60}),
        Auth::Raw(session.clone()),
    )
    .await
    .ok();
    assert_eq!(app.send(initiate(&session, &acct, 100)).await.status, 202);
    assert_eq!(
        app.send(buy(&session, &acct, "0.01")).await.ok()["status"],
        "completed"
    );
    app.advance_clock(61);
    let before = app.snapshot(SENT_ROWS);
    let r = build_and_send(&app, &session, &acct, "ofctusd", 100, json!({})).await;
    assert_needs_unlock(&r, "after the unlock ran out");
    assert_eq!(app.snapshot(SENT_ROWS), before);
    // A long-lived token carries its own unlock: it spends without one, at any time.
    let service = service_token(&app).await;
    let r = build_and_send(&app, &service, &acct, "ofctusd", 100, json!({})).await;
    assert_eq!(r.ok()["transfer"]["state"], "signed");
}

fn make_video_approver(app: &TestApp) {
    join_child(app, CHAZZ, EnterprisePermission::Admin, true);
}

#[actix_rt::test]
async fn a_tokens_tx_value_limit_is_usd_cents_over_its_whole_life() {
    let app = spawn_app().await;
    make_video_approver(&app);
    let login = app.login(SERVICE).await;
    let token = |limit: i64| {
        let (app, login) = (&app, login.clone());
        async move {
            let t = app
                .create_token(&login, SEED_SCOPES, json!({"txValueLimit": limit}))
                .await;
            t["token"].as_str().unwrap().to_string()
        }
    };
    let one_dollar = token(100).await;
    let acct = create_go_account(&app, &service_token(&app).await, &child(&app), 81).await;
    faucet(&app, &acct.id, "ofctusd", 100_000_000).await;
    faucet(&app, &acct.id, "ofctbtc", 1_000_000_000).await;
    // The reported repro: a limit of 100 and a send of 5,000,000 cents.
    let before = app.snapshot(SENT_ROWS);
    let r = build_and_send(&app, &one_dollar, &acct, "ofctusd", 5_000_000, json!({})).await;
    assert_needs_unlock(&r, "5,000,000 cents against 100");
    assert_eq!(app.snapshot(SENT_ROWS), before);
    assert_eq!(unlock_of(&app, &one_dollar).await["txValue"], 0);
    // Within the limit it spends, and what it spent is counted, over several requests.
    build_and_send(&app, &one_dollar, &acct, "ofctusd", 60, json!({}))
        .await
        .ok();
    let unlock = unlock_of(&app, &one_dollar).await;
    assert_eq!(
        (
            &unlock["txValueLimit"],
            &unlock["txValue"],
            &unlock["txCount"]
        ),
        (&json!(100), &json!(60), &json!(1))
    );
    let before = app.snapshot(SENT_ROWS);
    let r = build_and_send(&app, &one_dollar, &acct, "ofctusd", 41, json!({})).await;
    assert_needs_unlock(&r, "60 + 41 against 100");
    assert_needs_unlock(
        &app.send(initiate(&one_dollar, &acct, 41)).await,
        "initiate",
    );
    let r = app.send(buy(&one_dollar, &acct, "0.00001")).await;
    assert_needs_unlock(&r, "an order worth 60 cents");
    assert_eq!(app.snapshot(SENT_ROWS), before);
    assert_eq!(unlock_of(&app, &one_dollar).await["txValue"], 60);
    build_and_send(&app, &one_dollar, &acct, "ofctusd", 40, json!({}))
        .await
        .ok();
    assert_eq!(unlock_of(&app, &one_dollar).await["txValue"], 100);
    // Other assets count at the sandbox price (60,000 USD per BTC): 0.5 BTC is 30,000 USD.
    let sixty_k = token(6_000_000).await;
    build_and_send(&app, &sixty_k, &acct, "ofctbtc", 50_000_000, json!({}))
        .await
        .ok();
    assert_eq!(unlock_of(&app, &sixty_k).await["txValue"], 3_000_000);
    let r = build_and_send(&app, &sixty_k, &acct, "ofctbtc", 60_000_000, json!({})).await;
    assert_needs_unlock(&r, "0.5 + 0.6 BTC against 60,000 USD");
    let r = app.send(buy(&sixty_k, &acct, "0.51")).await;
    assert_needs_unlock(&r, "a 0.51 BTC buy");
    assert_eq!(r.json()["needsUnlock"], true);
    assert_eq!(
        app.send(buy(&sixty_k, &acct, "0.5")).await.ok()["status"],
        "completed"
    );
    assert_eq!(unlock_of(&app, &sixty_k).await["txValue"], 6_000_000);
    // Unlocking the token with an OTP lifts its limit (BitGo's documented rule).
    app.post(
        "/api/v2/user/unlock",
        json!({"otp": "000000"}),
        Auth::Raw(one_dollar.clone()),
    )
    .await
    .ok();
    build_and_send(&app, &one_dollar, &acct, "ofctusd", 5_000_000, json!({}))
        .await
        .ok();
}

#[actix_rt::test]
async fn parallel_sends_never_spend_past_the_limit() {
    let app = spawn_app().await;
    let login = app.login(SERVICE).await;
    let t = app
        .create_token(&login, SEED_SCOPES, json!({"txValueLimit": 100}))
        .await;
    let (token, id) = (t["token"].as_str().unwrap(), t["id"].as_str().unwrap());
    let acct = create_go_account(&app, token, &child(&app), 82).await;
    faucet(&app, &acct.id, "ofctusd", 10_000).await;
    let replies =
        join_all((0..12).map(|_| withdraw(&app, token, &acct, "ofctusd", "out", 20))).await;
    for r in &replies {
        if r.status != 200 {
            assert_needs_unlock(r, "a send past the limit");
        }
    }
    assert_eq!(replies.iter().filter(|r| r.status == 200).count(), 5);
    assert_eq!(
        app.count(&format!(
            "SELECT tx_value FROM access_tokens WHERE id = '{id}'"
        )),
        100
    );
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (9_900, 0));
}
