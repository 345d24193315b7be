//! The walk's second half: webhooks (wallet, enterprise, organization), their simulations and
//! notification histories, the webhook secret and its verify, the notifications service,
//! deposit addresses and a transfer by id, each called for its success and the errors BitGo
//! documents for it.

use serde_json::{json, Value};

use super::Checker;
use crate::helpers::*;
use crate::wallets::{faucet, GoAccount};

/// An id that names nothing.
fn nothing() -> String {
    "f".repeat(32)
}

/// Walks the webhook, address and transfer operations on `acct` (the service user's).
pub async fn walk(c: &Checker<'_>, service: &Auth, acct: &GoAccount) {
    let hook = wallet_webhooks(c, service, acct).await;
    addresses_and_transfers(c, service, acct).await;
    notifications(c, service, &hook).await;
    enterprise_webhooks(c).await;
    organization_webhooks(c).await;
    secrets(c, service, &hook).await;
}

/// Wallet webhooks: add (and its refusals), list, simulate, history; returns a transfer
/// webhook that stays, with notifications from a deposit made after it.
async fn wallet_webhooks(c: &Checker<'_>, service: &Auth, acct: &GoAccount) -> String {
    let app = c.app;
    let hooks = format!("/api/v2/ofc/wallet/{}/webhooks", acct.id);
    let body = json!({"type": "transfer", "url": "http://127.0.0.1:9/fidelity",
                      "label": "fidelity", "numConfirmations": 1, "allToken": true});
    let hook = c.send("POST", &hooks, body.clone(), service).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.send("POST", &hooks, json!({"type": "nope", "url": 5}), service)
        .await;
    let viewer = Auth::V2(app.token_as(SERVICE, &["wallet_view_all"]).await);
    c.send("POST", &hooks, body.clone(), &viewer).await;
    let elsewhere = format!("/api/v2/ofc/wallet/{}/webhooks", nothing());
    c.send("POST", &elsewhere, body, service).await;
    let other = json!({"type": "pendingapproval", "url": "http://127.0.0.1:9/gone"});
    c.send("POST", &hooks, other.clone(), service).await.ok();
    c.get(&hooks, service).await.ok();
    c.send("DELETE", &hooks, other, service).await.ok();
    c.send("DELETE", &hooks, json!({"type": 5}), service).await;
    faucet(app, &acct.id, "ofctusd", 1_000).await;
    let simulate = format!("{hooks}/{hook}/simulate");
    c.send(
        "POST",
        &simulate,
        json!({"usePlaceholderData": true}),
        service,
    )
    .await
    .ok();
    c.send("POST", &simulate, json!({}), service).await;
    let history = format!("{hooks}/notifications");
    c.get(&history, service).await.ok();
    c.get(&format!("{history}?limit=0"), service).await;
    hook
}

/// Deposit addresses (create, get) and a transfer by id.
async fn addresses_and_transfers(c: &Checker<'_>, service: &Auth, acct: &GoAccount) {
    let w = format!("/api/v2/ofc/wallet/{}", acct.id);
    let made = c
        .send(
            "POST",
            &format!("{w}/address"),
            json!({"onToken": "ofctbtc", "label": "fidelity"}),
            service,
        )
        .await
        .ok();
    c.send(
        "POST",
        &format!("{w}/address"),
        json!({"onToken": 5}),
        service,
    )
    .await;
    let id = made["id"].as_str().unwrap();
    c.get(&format!("{w}/address/{id}"), service).await.ok();
    c.get(&format!("{w}/address/{}", nothing()), service).await;
    let transfers = c.get(&format!("{w}/transfer"), service).await.ok();
    let id = transfers["transfers"][0]["id"].as_str().unwrap();
    c.get(&format!("{w}/transfer/{id}"), service).await.ok();
    c.get(&format!("{w}/transfer/{}", nothing()), service).await;
}

/// The notifications service: history and retrigger of `hook`'s notifications.
async fn notifications(c: &Checker<'_>, service: &Auth, hook: &str) {
    let base = format!("/api/notifications/v1/webhooks/{hook}/notifications");
    let listed = c.get(&base, service).await.ok();
    c.get(&format!("{base}?status=nope"), service).await;
    c.get(
        &format!("/api/notifications/v1/webhooks/{}/notifications", nothing()),
        service,
    )
    .await;
    let id = listed["notifications"][0]["id"].clone();
    let retrigger = format!("{base}/retrigger");
    c.send(
        "POST",
        &retrigger,
        json!({"webhookNotificationIds": [id]}),
        service,
    )
    .await
    .ok();
    c.send(
        "POST",
        &retrigger,
        json!({"webhookNotificationIds": 5}),
        service,
    )
    .await;
    let viewer = Auth::V2(c.app.token_as(SERVICE, &["wallet_view_all"]).await);
    c.send(
        "POST",
        &retrigger,
        json!({"webhookNotificationIds": [id]}),
        &viewer,
    )
    .await;
    let elsewhere = format!(
        "/api/notifications/v1/webhooks/{}/notifications/retrigger",
        nothing()
    );
    c.send(
        "POST",
        &elsewhere,
        json!({"webhookNotificationIds": [id]}),
        service,
    )
    .await;
}

/// Enterprise webhooks on the demo enterprise, by Dale (an admin there) on a login session.
async fn enterprise_webhooks(c: &Checker<'_>) {
    let app = c.app;
    let dale = Auth::V2(app.login(DALE).await);
    let e = format!("/api/v2/enterprise/{}", app.demo.enterprise_id);
    let body = json!({"type": "accessToken", "url": "http://127.0.0.1:9/tokens"});
    let made = c
        .send("POST", &format!("{e}/webhooks"), body.clone(), &dale)
        .await
        .ok();
    c.send(
        "POST",
        &format!("{e}/webhooks"),
        json!({"type": "transfer", "url": "http://127.0.0.1:9/t"}),
        &dale,
    )
    .await;
    let api = Auth::V2(app.token_as(DALE, SEED_SCOPES).await);
    c.send("POST", &format!("{e}/webhooks"), body.clone(), &api)
        .await;
    c.send(
        "POST",
        &format!("/api/v2/enterprise/{}/webhooks", nothing()),
        body,
        &dale,
    )
    .await;
    c.get(&format!("{e}/webhooks"), &dale).await.ok();
    c.get(&format!("{e}/webhooks?type=nope"), &dale).await;
    c.get(&format!("/api/v2/enterprise/{}/webhooks", nothing()), &dale)
        .await;
    let hook = format!("{e}/webhook/{}", made["id"].as_str().unwrap());
    c.get(&format!("{hook}/simulate"), &dale).await.ok();
    c.get(&format!("{hook}/simulate"), &api).await;
    let bad = json!({"transferId": 5});
    c.call("GET", &format!("{hook}/simulate"), Some(bad), dale.clone())
        .await;
    let bank = format!("{hook}/bankaccount/{}/simulate", nothing());
    c.get(&bank, &dale).await.ok();
    c.get(&bank, &api).await;
    c.call("DELETE", &hook, None, api.clone()).await;
    let gone = c.call("DELETE", &hook, None, dale.clone()).await;
    assert_eq!(gone.status, 204, "{}", String::from_utf8_lossy(&gone.body));
}

/// Organization webhooks on the demo organization, by Brennan (its admin) on a login session.
async fn organization_webhooks(c: &Checker<'_>) {
    let app = c.app;
    let brennan = Auth::V2(app.login(BRENNAN).await);
    let o = format!("/api/v2/organization/{}/webhook", app.demo.organization_id);
    let body = json!({"type": "transfer", "url": "http://127.0.0.1:9/org", "coin": "ofc"});
    let made = c.send("POST", &o, body.clone(), &brennan).await.ok();
    c.send("POST", &o, json!({"type": "nope", "url": "x"}), &brennan)
        .await;
    let dale = Auth::V2(app.login(DALE).await);
    c.send("POST", &o, body, &dale).await;
    c.get(&o, &brennan).await.ok();
    c.get(&o, &dale).await;
    let hook = format!("{o}/{}", made["id"].as_str().unwrap());
    c.get(&hook, &brennan).await.ok();
    c.get(&hook, &dale).await;
    c.send(
        "POST",
        &format!("{hook}/simulate"),
        json!({"usePlaceholderData": true}),
        &brennan,
    )
    .await
    .ok();
    c.send("POST", &format!("{hook}/simulate"), json!({}), &brennan)
        .await;
    c.send(
        "POST",
        &format!("{hook}/simulate"),
        json!({"usePlaceholderData": true}),
        &dale,
    )
    .await;
    c.get(&format!("{hook}/notification"), &brennan).await.ok();
    c.get(&format!("{hook}/notification"), &dale).await;
    c.call("DELETE", &hook, None, dale.clone()).await;
    let gone = c.call("DELETE", &hook, None, brennan.clone()).await;
    assert_eq!(gone.status, 204, "{}", String::from_utf8_lossy(&gone.body));
}

/// The child enterprise's webhook secret (the service user is an admin there), and a
/// signature checked against the wallet webhook `hook`.
async fn secrets(c: &Checker<'_>, service: &Auth, hook: &str) {
    let app = c.app;
    let login = Auth::V2(app.login(SERVICE).await);
    let child = crate::wallets::child(app);
    let secret = "/api/v2/webhook/secret";
    c.send("POST", secret, json!({"enterpriseId": child}), &login)
        .await
        .ok();
    c.send("POST", secret, json!({}), &login).await;
    let dale = Auth::V2(app.login(DALE).await);
    c.send("POST", secret, json!({"enterpriseId": child}), &dale)
        .await;
    c.send("POST", secret, json!({"enterpriseId": nothing()}), &login)
        .await;
    c.send("POST", secret, json!({"enterpriseId": child}), service)
        .await;
    let verify = format!("/api/v2/webhook/{hook}/verify");
    let body: Value = json!({"signature": "0".repeat(64), "notificationPayload": "{}"});
    c.send("POST", &verify, body.clone(), &login).await.ok();
    c.send("POST", &verify, json!({"signature": 5}), &login)
        .await;
    c.send("POST", &verify, body.clone(), &dale).await;
    let narrow = Auth::V2(app.token_as(SERVICE, &["profile"]).await);
    c.send("POST", &verify, body.clone(), &narrow).await;
    c.send(
        "POST",
        &format!("/api/v2/webhook/{}/verify", nothing()),
        body,
        &login,
    )
    .await;
}
