//! Delivery as BitGo delivers: a POST of the payload, signed with `X-Signature-SHA256` under
//! the enterprise's secret, in order, once per state change, retried on the sandbox clock
//! after a 500, a timeout or a closed connection, every attempt in the notification history
//! and the journal; simulate, verify and retrigger (with the original signature).

use std::time::{Duration, Instant};

use orgbox::auth::signing::hmac_hex;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::receiver::{Behavior, Receiver};
use crate::wallets::*;
use crate::webhooks::*;

/// The notification history of a wallet, newest first.
async fn history(app: &TestApp, token: &str, wallet: &str) -> Vec<Value> {
    app.get(
        &format!("/api/v2/ofc/wallet/{wallet}/webhooks/notifications"),
        Auth::V2(token.into()),
    )
    .await
    .ok()["webhookNotifications"]
        .as_array()
        .unwrap()
        .clone()
}

/// Waits until the wallet's notifications have `n` recorded attempts in all.
async fn wait_attempts(app: &TestApp, token: &str, wallet: &str, n: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let total: usize = history(app, token, wallet)
            .await
            .iter()
            .map(|h| h["attempts"].as_array().unwrap().len())
            .sum();
        if total >= n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{total} attempts recorded, waited for {n}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

#[actix_rt::test]
async fn a_faucet_deposit_is_told_unconfirmed_then_confirmed_signed_with_the_enterprise_secret() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 41).await;
    let secret = child_secret(&app).await;
    let r = Receiver::start();
    let hook = transfer_webhook(&app, &token, &acct.id, &r.url("/bitgo"), json!({})).await;
    faucet(&app, &acct.id, "ofctbtc", 50_000).await;
    let got = r.wait_for(1, WAIT).await;
    let first = got[0].json();
    assert_eq!(first["type"], "transfer");
    assert_eq!(first["state"], "unconfirmed");
    assert_eq!(first["wallet"], acct.id.as_str());
    assert_eq!(first["coin"], "ofctbtc");
    assert_eq!(first["transferType"], "receive");
    assert_eq!(first["valueString"], "50000");
    assert_eq!(first["confirmations"], 0);
    assert_eq!(got[0].path, "/bitgo");
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let signature = got[0].header("x-signature-sha256").unwrap().to_string();
    assert_eq!(
        signature,
        hmac_hex(secret.as_bytes(), got[0].body.as_bytes())
    );
    // Nothing more until the sandbox clock reaches its first confirmation.
    r.expect_no_more(1, Duration::from_millis(300)).await;
    app.advance_clock(61);
    let got = r.wait_for(2, WAIT).await;
    let second = got[1].json();
    assert_eq!(
        (second["state"].as_str(), second["transfer"].as_str()),
        (Some("confirmed"), first["transfer"].as_str())
    );
    assert_eq!(second["confirmations"], 1);
    r.expect_no_more(2, Duration::from_millis(300)).await;
    // The transfer reads back as BitGo's getTransfer shows it, by id and by txid.
    let t = app
        .get(
            &format!(
                "/api/v2/ofc/wallet/{}/transfer/{}",
                acct.id,
                first["transfer"].as_str().unwrap()
            ),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    assert_eq!(t["state"], "confirmed");
    let by_txid = app
        .get(
            &format!(
                "/api/v2/ofc/wallet/{}/transfer/{}",
                acct.id,
                first["hash"].as_str().unwrap()
            ),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    assert_eq!(by_txid["id"], t["id"]);
    // The verify route checks a signature the way the partner would.
    let login = app.login(SERVICE).await;
    let verify = |sig: String, payload: String| {
        let (app, login, hook) = (&app, login.clone(), hook.clone());
        async move {
            app.post(
                &format!("/api/v2/webhook/{hook}/verify"),
                json!({"signature": sig, "notificationPayload": payload}),
                Auth::Raw(login),
            )
            .await
            .ok()
        }
    };
    let ok = verify(signature.clone(), got[0].body.clone()).await;
    assert_eq!(
        (ok["webhookId"].as_str(), ok["isValid"].as_bool()),
        (Some(hook.as_str()), Some(true))
    );
    let tampered = got[0].body.replace("50000", "90000");
    assert_eq!(verify(signature, tampered).await["isValid"], false);
}

#[actix_rt::test]
async fn num_confirmations_delays_the_confirmed_notice_by_whole_blocks() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 42).await;
    let r = Receiver::start();
    transfer_webhook(
        &app,
        &token,
        &acct.id,
        &r.url("/n3"),
        json!({"numConfirmations": 3}),
    )
    .await;
    faucet(&app, &acct.id, "ofctusd", 700).await;
    assert_eq!(r.wait_for(1, WAIT).await[0].json()["state"], "unconfirmed");
    app.advance_clock(61);
    r.expect_no_more(1, Duration::from_millis(300)).await;
    app.advance_clock(120);
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(
        (
            got[1].json()["state"].as_str(),
            got[1].json()["confirmations"].as_i64()
        ),
        (Some("confirmed"), Some(3))
    );
}

#[actix_rt::test]
async fn a_500_is_retried_when_the_sandbox_clock_reaches_the_backoff() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 43).await;
    let r = Receiver::start();
    r.plan(&[Behavior::Status(500)]);
    transfer_webhook(&app, &token, &acct.id, &r.url("/flaky"), json!({})).await;
    faucet(&app, &acct.id, "ofctusd", 900).await;
    wait_attempts(&app, &token, &acct.id, 1).await;
    r.expect_no_more(1, Duration::from_millis(300)).await;
    let h = history(&app, &token, &acct.id).await;
    let waiting = h
        .iter()
        .find(|n| n["attempts"].as_array().unwrap().len() == 1)
        .unwrap();
    assert_eq!(waiting["state"], "pending");
    assert_eq!(waiting["attempts"][0]["status"], 500);
    assert_eq!(waiting["response"]["code"], 500);
    assert!(waiting["attempts"][0]["response"]
        .as_str()
        .unwrap()
        .contains("500"));
    // The retry is due 30 s later on the sandbox clock (not before), and goes out again.
    app.advance_clock(29);
    r.expect_no_more(1, Duration::from_millis(300)).await;
    app.advance_clock(2);
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[0].body, got[1].body);
    assert_eq!(
        got[0].header("x-signature-sha256"),
        got[1].header("x-signature-sha256")
    );
    let h = history(&app, &token, &acct.id).await;
    let done = h.iter().find(|n| n["id"] == waiting["id"]).unwrap();
    assert_eq!(done["state"], "processed");
    assert_eq!(done["retries"], 1);
    assert_eq!(done["attempts"][1]["status"], 200);
    // Every attempt is in the journal, by the webhook's URL.
    let j = app
        .control(Req::get(&format!("/sandbox/journal?path={}*", r.base)))
        .ok();
    let statuses: Vec<i64> = j["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 500]);
    assert_eq!(j["requests"][1]["webhook"]["attempt"], 1);
}

#[actix_rt::test]
async fn a_timeout_and_a_closed_connection_are_recorded_and_retried() {
    let app = spawn_app_with(|c| c.webhooks.timeout_ms = 300).await;
    let (token, acct) = go_account(&app, 44).await;
    let r = Receiver::start();
    r.plan(&[Behavior::Slow(Duration::from_secs(2)), Behavior::Close]);
    transfer_webhook(&app, &token, &acct.id, &r.url("/slow"), json!({})).await;
    faucet(&app, &acct.id, "ofctusd", 100).await;
    wait_attempts(&app, &token, &acct.id, 1).await;
    app.advance_clock(31);
    wait_attempts(&app, &token, &acct.id, 2).await;
    app.advance_clock(61);
    let got = r.wait_for(3, WAIT).await;
    // The same notification three times (its confirmed one may follow).
    assert!(got[..3].iter().all(|g| g.body == got[0].body));
    assert_eq!(got[0].json()["state"], "unconfirmed");
    let h = history(&app, &token, &acct.id).await;
    let n = h
        .iter()
        .find(|n| n["attempts"].as_array().unwrap().len() == 3)
        .unwrap();
    assert_eq!(n["state"], "processed");
    let errors: Vec<&str> = n["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["error"].as_str().unwrap_or("-"))
        .collect();
    assert!(errors[0].contains("timeout"), "{errors:?}");
    assert!(!errors[1].is_empty() && errors[1] != "-", "{errors:?}");
    assert_eq!(errors[2], "-");
    assert_eq!(n["attempts"][0]["status"], Value::Null);
}

#[actix_rt::test]
async fn one_worker_serves_every_webhook_in_turn_and_each_in_order() {
    let app = spawn_app_with(|c| c.webhooks.workers = 1).await;
    let (token, acct) = go_account(&app, 46).await;
    let r = Receiver::start();
    for path in ["/a", "/b", "/c"] {
        transfer_webhook(&app, &token, &acct.id, &r.url(path), json!({})).await;
    }
    for amount in [201, 202] {
        faucet(&app, &acct.id, "ofctusd", amount).await;
    }
    let got = r.wait_for(6, WAIT).await;
    r.expect_no_more(6, Duration::from_millis(300)).await;
    for path in ["/a", "/b", "/c"] {
        let values: Vec<String> = got
            .iter()
            .filter(|g| g.path == path)
            .map(|g| g.json()["valueString"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(values, ["201", "202"], "{path}");
    }
}

#[actix_rt::test]
async fn deposits_are_told_once_each_in_the_order_they_happened() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 45).await;
    let r = Receiver::start();
    transfer_webhook(&app, &token, &acct.id, &r.url("/order"), json!({})).await;
    for amount in [101, 102, 103] {
        faucet(&app, &acct.id, "ofctusd", amount).await;
        app.advance_clock_ms(10);
    }
    app.advance_clock(61);
    let got = r.wait_for(6, WAIT).await;
    r.expect_no_more(6, Duration::from_millis(300)).await;
    let seen: Vec<(String, String)> = got
        .iter()
        .map(|g| {
            let b = g.json();
            (
                b["valueString"].as_str().unwrap().to_string(),
                b["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("101", "unconfirmed"),
        ("102", "unconfirmed"),
        ("103", "unconfirmed"),
        ("101", "confirmed"),
        ("102", "confirmed"),
        ("103", "confirmed"),
    ]
    .iter()
    .map(|(a, s)| (a.to_string(), s.to_string()))
    .collect();
    assert_eq!(seen, expected);
}

#[actix_rt::test]
async fn simulate_delivers_a_marked_copy_and_retrigger_keeps_the_original_signature() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 46).await;
    child_secret(&app).await;
    let r = Receiver::start();
    let hook = transfer_webhook(&app, &token, &acct.id, &r.url("/sim"), json!({})).await;
    faucet(&app, &acct.id, "ofctusd", 5).await;
    let original = r.wait_for(1, WAIT).await.remove(0);
    let transfer = original.json()["transfer"].as_str().unwrap().to_string();
    let sim = app
        .post(
            &format!("/api/v2/ofc/wallet/{}/webhooks/{hook}/simulate", acct.id),
            json!({"transferId": transfer}),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    let n = &sim["webhookNotifications"][0];
    assert_eq!(
        (
            n["type"].as_str(),
            n["simulation"].as_bool(),
            n["transfer"].as_str()
        ),
        (Some("transfer"), Some(true), Some(transfer.as_str()))
    );
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].json()["simulation"], true);
    // A transfer of another wallet is not this webhook's to simulate.
    app.post(
        &format!("/api/v2/ofc/wallet/{}/webhooks/{hook}/simulate", acct.id),
        json!({"transferId": "f".repeat(32)}),
        Auth::V2(token.clone()),
    )
    .await
    .expect_error(404);
    // Rotate the secret (allowed after five minutes), then resend the first notification.
    app.advance_clock(301);
    assert_eq!(r.wait_for(3, WAIT).await[2].json()["state"], "confirmed");
    child_secret(&app).await;
    let listed = app
        .get(
            &format!("/api/notifications/v1/webhooks/{hook}/notifications?status=sent"),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    let first = listed["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["payload"] == original.body.as_str())
        .unwrap()
        .clone();
    let again = app
        .post(
            &format!("/api/notifications/v1/webhooks/{hook}/notifications/retrigger"),
            json!({"webhookNotificationIds": [first["id"], "0".repeat(32)]}),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    assert_eq!(
        (
            again["totalSuccess"].as_i64(),
            again["totalFailed"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let got = r.wait_for(4, WAIT).await;
    assert_eq!(got[3].body, original.body);
    assert_eq!(
        got[3].header("x-signature-sha256"),
        original.header("x-signature-sha256")
    );
    let bad = app
        .post(
            &format!("/api/notifications/v1/webhooks/{hook}/notifications/retrigger"),
            json!({"webhookNotificationIds": []}),
            Auth::V2(token.clone()),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["name"], "BadRequest");
    assert_eq!(bad.json()["status"], 400);
}

#[actix_rt::test]
async fn a_slow_receiver_never_slows_a_request() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 47).await;
    let r = Receiver::start();
    r.plan(&[Behavior::Slow(Duration::from_secs(3)); 4]);
    transfer_webhook(&app, &token, &acct.id, &r.url("/slow"), json!({})).await;
    faucet(&app, &acct.id, "ofctusd", 1).await;
    r.wait_for(1, WAIT).await;
    // While a delivery hangs on the receiver, requests answer at once.
    let started = Instant::now();
    faucet(&app, &acct.id, "ofctusd", 2).await;
    app.get(&format!("/api/v2/ofc/wallet/{}", acct.id), Auth::V2(token))
        .await
        .ok();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}
