//! Webhooks and the sandbox: the capture inbox a webhook may point at, the trigger, deposits
//! to an address, the console's webhook view, and reset, snapshots and named sandboxes
//! carrying or clearing webhooks, secrets and pending deliveries consistently.

use std::time::{Duration, Instant};

use orgbox::auth::signing::hmac_hex;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::receiver::Receiver;
use crate::sandboxes::create_sandbox;
use crate::wallets::*;
use crate::webhooks::*;

/// Waits until inbox `name` (under `base`: `""` or `/s/x`) holds `n` deliveries.
async fn inbox(app: &TestApp, base: &str, name: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = app
            .get(&format!("{base}/sandbox/webhooks/inbox/{name}"), Auth::None)
            .await
            .ok();
        let list = got["deliveries"].as_array().unwrap().clone();
        if list.len() >= n {
            return list;
        }
        assert!(
            Instant::now() < deadline,
            "inbox {name} holds {}: {got}",
            list.len()
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the default sandbox's webhooks hold `n` recorded attempts: a retry's backoff
/// runs from the failed attempt as recorded, after its answer came back.
async fn attempts_recorded(app: &TestApp, n: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let view = app.get("/sandbox/webhooks", Auth::None).await.ok();
        let total: usize = view["webhooks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|w| w["notifications"].as_array().unwrap())
            .map(|n| n["attempts"].as_array().unwrap().len())
            .sum();
        if total >= n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{total} attempts, waited for {n}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

#[actix_rt::test]
async fn the_trigger_fires_a_real_deposit_into_a_capture_inbox_that_can_fail_first() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 71).await;
    let secret = child_secret(&app).await;
    let url = format!("{}/sandbox/webhooks/inbox/ci?fail=1", app.base);
    transfer_webhook(&app, &token, &acct.id, &url, json!({})).await;
    let fired = app
        .post(
            "/sandbox/webhooks/trigger",
            json!({"type": "transfer", "walletId": acct.id, "asset": "ofctusd", "amount": "2500"}),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(
        fired["notifications"], 2,
        "unconfirmed now, confirmed later"
    );
    let got = inbox(&app, "", "ci", 1).await;
    assert_eq!(got[0]["answered"], 500);
    attempts_recorded(&app, 1).await;
    app.advance_clock(61);
    let got = inbox(&app, "", "ci", 3).await;
    let answered: Vec<i64> = got
        .iter()
        .map(|d| d["answered"].as_i64().unwrap())
        .collect();
    assert_eq!(answered, [500, 200, 200]);
    assert_eq!(got[1]["body"], got[0]["body"]);
    assert_eq!(got[1]["json"]["transfer"], fired["transferId"]);
    assert_eq!(got[2]["json"]["state"], "confirmed");
    let body = got[0]["body"].as_str().unwrap();
    assert_eq!(
        got[0]["signature"],
        hmac_hex(secret.as_bytes(), body.as_bytes()).as_str()
    );
    // The triggered deposit is real: it reads back.
    app.get(
        &format!(
            "/api/v2/ofc/wallet/{}/transfer/{}",
            acct.id,
            fired["transferId"].as_str().unwrap()
        ),
        Auth::V2(token),
    )
    .await
    .ok();
    let listed = app.get("/sandbox/webhooks/inbox", Auth::None).await.ok();
    assert_eq!(listed["inboxes"][0]["name"], "ci");
    let cleared = app.send(Req::delete("/sandbox/webhooks/inbox/ci")).await;
    assert_eq!(cleared.status, 204);
    assert!(
        app.get("/sandbox/webhooks/inbox/ci", Auth::None).await.ok()["deliveries"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A type with no object of its own fires placeholder data; an unknown one is a 400.
    let e = app
        .post(
            "/sandbox/webhooks/trigger",
            json!({"type": "nonsense", "walletId": acct.id}),
            Auth::None,
        )
        .await;
    assert_eq!(e.status, 400);
    let e = app
        .post(
            "/sandbox/webhooks/trigger",
            json!({"type": "transfer", "walletId": "f".repeat(32)}),
            Auth::None,
        )
        .await;
    assert_eq!(e.status, 404);
}

#[actix_rt::test]
async fn placeholder_events_reach_enterprise_webhooks_through_the_same_pool() {
    let app = spawn_app().await;
    let dale = app.login(DALE).await;
    let ent = app.demo.enterprise_id.clone();
    let r = Receiver::start();
    app.post(
        &format!("/api/v2/enterprise/{ent}/webhooks"),
        json!({"type": "policyBalanceChange", "url": r.url("/p")}),
        Auth::Raw(dale),
    )
    .await
    .ok();
    let fired = app
        .post(
            "/sandbox/webhooks/trigger",
            json!({"type": "policyBalanceChange", "enterpriseId": ent}),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(fired["notifications"], 1);
    let got = r.wait_for(1, WAIT).await;
    assert_eq!(got[0].json()["type"], "policyBalanceChange");
    assert_eq!(got[0].json()["enterpriseId"], ent.as_str());
    assert_eq!(got[0].json()["placeholder"], true);
}

#[actix_rt::test]
async fn money_arrives_at_a_deposit_address_unconfirmed_and_confirms_on_the_clock() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 72).await;
    let r = Receiver::start();
    transfer_webhook(&app, &token, &acct.id, &r.url("/d"), json!({})).await;
    let address = app
        .post(
            &format!("/api/v2/ofc/wallet/{}/address", acct.id),
            json!({"onToken": "ofctbtc"}),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    let addr = address["address"].as_str().unwrap();
    let deposit = |body: Value| {
        let (app, id) = (&app, acct.id.clone());
        async move {
            app.post(&format!("/sandbox/wallets/{id}/deposit"), body, Auth::None)
                .await
        }
    };
    let before = app.snapshot(&["transfers", "ledger_entries"]);
    assert_eq!(
        deposit(json!({"address": addr, "amount": "5", "asset": "ofctsol"}))
            .await
            .status,
        400
    );
    assert_eq!(
        deposit(json!({"address": "tb1qnotours", "amount": "5"}))
            .await
            .status,
        404
    );
    assert_eq!(
        deposit(json!({"address": addr, "amount": "-5"}))
            .await
            .status,
        400
    );
    assert_eq!(app.snapshot(&["transfers", "ledger_entries"]), before);
    let d = deposit(json!({"address": addr, "amount": 12345}))
        .await
        .ok();
    assert_eq!(
        (
            d["state"].as_str(),
            d["asset"].as_str(),
            d["address"].as_str()
        ),
        (Some("unconfirmed"), Some("ofctbtc"), Some(addr))
    );
    let got = r.wait_for(1, WAIT).await;
    assert_eq!(got[0].json()["address"], addr);
    let path = format!(
        "/api/v2/ofctbtc/wallet/{}/transfer/{}",
        acct.id,
        d["transferId"].as_str().unwrap()
    );
    assert_eq!(
        app.get(&path, Auth::V2(token.clone())).await.ok()["state"],
        "unconfirmed"
    );
    app.advance_clock(61);
    assert_eq!(
        app.get(&path, Auth::V2(token.clone())).await.ok()["state"],
        "confirmed"
    );
    assert_eq!(r.wait_for(2, WAIT).await[1].json()["state"], "confirmed");
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (12_345, 0));
    // The console's view: the webhook with its deliveries (newest first) and their attempts.
    // The oldest one's attempt is recorded before the next is sent (one in flight per webhook).
    let view = app.get("/sandbox/webhooks", Auth::None).await.ok();
    let hook = &view["webhooks"][0];
    assert_eq!(hook["url"], r.url("/d").as_str());
    let notifications = hook["notifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 2);
    assert_eq!(notifications[1]["state"], "processed", "{hook}");
    assert_eq!(notifications[1]["attempts"][0]["status"], 200);
}

#[actix_rt::test]
async fn reset_clears_webhooks_secrets_and_pending_deliveries_and_a_snapshot_carries_them() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 73).await;
    let secret = child_secret(&app).await;
    let r = Receiver::start();
    transfer_webhook(&app, &token, &acct.id, &r.url("/s"), json!({})).await;
    faucet(&app, &acct.id, "ofctusd", 10).await;
    r.wait_for(1, WAIT).await;
    // The pool records the attempt after the receiver answered: saved before that, the
    // snapshot would still owe the first notice and tell it again after loading.
    let deadline = Instant::now() + WAIT;
    while app.count("SELECT count(*) FROM webhook_attempts") < 1 {
        assert!(
            Instant::now() < deadline,
            "the first attempt was never recorded"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    // Saved with the confirmed notice still ahead on the clock.
    app.post("/sandbox/snapshots/pending", json!({}), Auth::None)
        .await;
    app.post("/sandbox/reset", json!({}), Auth::None).await.ok();
    for table in [
        "webhooks",
        "webhook_secrets",
        "webhook_notifications",
        "webhook_attempts",
    ] {
        assert_eq!(
            app.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    app.advance_clock(120);
    r.expect_no_more(1, Duration::from_millis(400)).await;
    // Loading the snapshot brings back the webhook, its secret and what it still owes.
    app.post("/sandbox/snapshots/pending/load", json!({}), Auth::None)
        .await
        .ok();
    app.advance_clock(1);
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].json()["state"], "confirmed");
    assert_eq!(
        got[1].header("x-signature-sha256").unwrap(),
        hmac_hex(secret.as_bytes(), got[1].body.as_bytes())
    );
    r.expect_no_more(2, Duration::from_millis(300)).await;
}

#[actix_rt::test]
async fn a_named_sandbox_delivers_its_own_webhooks_to_its_own_inbox() {
    let app = spawn_app().await;
    create_sandbox(&app, "hooks", None).await;
    let wallet = app.demo.children[0].go_account_id.clone();
    let login = crate::sandboxes::login_in(&app, "/s/hooks", SERVICE).await;
    let url = format!("{}/s/hooks/sandbox/webhooks/inbox/mine", app.base);
    app.post(
        &format!("/s/hooks/api/v2/ofc/wallet/{wallet}/webhooks"),
        json!({"type": "transfer", "url": url, "allToken": true}),
        Auth::Raw(login),
    )
    .await
    .ok();
    app.post(
        "/s/hooks/sandbox/webhooks/trigger",
        json!({"type": "transfer", "walletId": wallet}),
        Auth::None,
    )
    .await
    .ok();
    let got = inbox(&app, "/s/hooks", "mine", 1).await;
    assert_eq!(got[0]["json"]["wallet"], wallet.as_str());
    // The default sandbox has neither the webhook nor the delivery.
    assert_eq!(app.count("SELECT count(*) FROM webhooks"), 0);
    assert!(app
        .get("/sandbox/webhooks/inbox/mine", Auth::None)
        .await
        .ok()["deliveries"]
        .as_array()
        .unwrap()
        .is_empty());
}
