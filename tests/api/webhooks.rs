//! Registering webhooks: BitGo's shapes for wallet, enterprise and organization webhooks, the
//! refusals (a 400 in BitGo's shape that writes nothing), who may add or read them, and the
//! helpers the delivery tests share.

use std::time::Duration;

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::*;

/// How long a test waits for deliveries that should come.
pub const WAIT: Duration = Duration::from_secs(10);

/// Adds a webhook to a wallet under `coin` with `body`.
pub async fn add_wallet_webhook(
    app: &TestApp,
    token: &str,
    coin: &str,
    wallet: &str,
    body: Value,
) -> Resp {
    app.post(
        &format!("/api/v2/{coin}/wallet/{wallet}/webhooks"),
        body,
        Auth::V2(token.into()),
    )
    .await
}

/// A transfer webhook (allToken) on `wallet` to `url`; its id.
pub async fn transfer_webhook(
    app: &TestApp,
    token: &str,
    wallet: &str,
    url: &str,
    extra: Value,
) -> String {
    let mut body = json!({"type": "transfer", "url": url, "allToken": true});
    if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
    add_wallet_webhook(app, token, "ofc", wallet, body)
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The child enterprise's webhook secret, made by the service user (an admin there) on a
/// login session.
pub async fn child_secret(app: &TestApp) -> String {
    let login = app.login(SERVICE).await;
    app.post(
        "/api/v2/webhook/secret",
        json!({"enterpriseId": child(app)}),
        Auth::Raw(login),
    )
    .await
    .ok()["secret"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A Go Account of the child enterprise and the service user's token.
pub async fn go_account(app: &TestApp, seed: u8) -> (String, GoAccount) {
    let token = service_token(app).await;
    let acct = create_go_account(app, &token, &child(app), seed).await;
    (token, acct)
}

#[actix_rt::test]
async fn a_wallet_webhook_is_added_listed_and_removed_as_the_sdk_does() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 31).await;
    let url = "http://127.0.0.1:9/hooks/transfer";
    let added = add_wallet_webhook(
        &app,
        &token,
        "ofc",
        &acct.id,
        json!({"type": "transfer", "url": url, "label": "deposits", "numConfirmations": 3,
               "allToken": true, "listenToFailureStates": true,
               "customHttpHeaders": {"X-Partner": "p1"}}),
    )
    .await
    .ok();
    assert_eq!(added["type"], "transfer");
    assert_eq!(added["url"], url);
    assert_eq!(added["walletId"], acct.id.as_str());
    assert_eq!(added["coin"], "ofc");
    assert_eq!(added["label"], "deposits");
    assert_eq!(added["numConfirmations"], 3);
    assert_eq!(added["allToken"], true);
    assert_eq!(added["listenToFailureStates"], true);
    assert_eq!(added["state"], "active");
    assert_eq!(added["version"], 2);
    assert_eq!(added["scope"], "wallet");
    assert_eq!(added["customHttpHeaders"]["X-Partner"], "p1");
    assert!(added["created"].as_str().unwrap().ends_with('Z'));
    let second = add_wallet_webhook(
        &app,
        &token,
        "ofc",
        &acct.id,
        json!({"type": "pendingapproval", "url": url}),
    )
    .await
    .ok();
    let listed = app
        .get(
            &format!("/api/v2/ofc/wallet/{}/webhooks", acct.id),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    let ids: Vec<&str> = listed["webhooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            added["id"].as_str().unwrap(),
            second["id"].as_str().unwrap()
        ]
    );
    // The SDK's removeWebhook sends {url, type}; {id} works too.
    let removed = app
        .send(
            Req::delete(&format!("/api/v2/ofc/wallet/{}/webhooks", acct.id))
                .json(&json!({"type": "transfer", "url": url}))
                .auth(Auth::V2(token.clone())),
        )
        .await
        .ok();
    assert_eq!(removed["removed"], 1);
    let removed = app
        .send(
            Req::delete(&format!("/api/v2/ofc/wallet/{}/webhooks", acct.id))
                .json(&json!({"id": second["id"]}))
                .auth(Auth::V2(token.clone())),
        )
        .await
        .ok();
    assert_eq!(removed["removed"], 1);
    assert_eq!(app.count("SELECT count(*) FROM webhooks"), 0);
}

#[actix_rt::test]
async fn bad_registrations_are_400s_that_write_nothing() {
    let app = spawn_app_with(|c| c.webhooks.allow = vec!["hooks.partner.test".into()]).await;
    let (token, acct) = go_account(&app, 32).await;
    let ok = json!({"type": "transfer", "url": "http://localhost:9/h", "allToken": true});
    add_wallet_webhook(&app, &token, "ofc", &acct.id, ok.clone())
        .await
        .ok();
    let before = app.snapshot(&["webhooks"]);
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    let cases: Vec<(Value, &str)> = vec![
        (with("url", json!("ftp://localhost/h")), "http"),
        (with("url", json!("localhost:9/h")), "http"),
        (with("url", json!("")), "url is required"),
        (ok.clone(), "already exists"),
        (
            with("type", json!("tranfser")),
            "unknown wallet webhook type",
        ),
        (
            with("type", json!("accessToken")),
            "unknown wallet webhook type",
        ),
        (with("numConfirmations", json!(-1)), "numConfirmations"),
        (with("numConfirmations", json!(101)), "numConfirmations"),
        (with("numConfirmations", json!(2.5)), "numConfirmations"),
        (with("allToken", json!(false)), "allToken must be true"),
        (with("allToken", json!("yes")), "allToken"),
        (with("label", json!("x".repeat(251))), "label"),
        (
            with("customHttpHeaders", json!({"X-Signature-SHA256": "forged"})),
            "customHttpHeaders",
        ),
        (
            with("customHttpHeaders", json!({"X-A": "a\r\nB: b"})),
            "customHttpHeaders",
        ),
        // A sandbox is no scanner: only loopback and [webhooks] allow.
        (
            with("url", json!("http://169.254.169.254/latest")),
            "[webhooks] allow",
        ),
        (
            with("url", json!("http://10.0.0.7:8080/h")),
            "[webhooks] allow",
        ),
        (
            with("url", json!("https://evil.partner.test/h")),
            "[webhooks] allow",
        ),
        (json!({"url": "http://localhost:9/x"}), "type is required"),
    ];
    for (body, says) in cases {
        let e = add_wallet_webhook(&app, &token, "ofc", &acct.id, body.clone())
            .await
            .expect_error(400);
        assert!(e["error"].as_str().unwrap().contains(says), "{body}: {e}");
    }
    assert_eq!(app.snapshot(&["webhooks"]), before);
    // A listed host is allowed; under an asset's coin allToken is not needed.
    add_wallet_webhook(
        &app,
        &token,
        "ofctbtc",
        &acct.id,
        json!({"type": "transfer", "url": "https://hooks.partner.test/h"}),
    )
    .await
    .ok();
}

#[actix_rt::test]
async fn a_wallet_holds_at_most_ten_webhooks_of_a_type() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 33).await;
    for i in 0..10 {
        add_wallet_webhook(
            &app,
            &token,
            "ofc",
            &acct.id,
            json!({"type": "pendingapproval", "url": format!("http://127.0.0.1:9/{i}")}),
        )
        .await
        .ok();
    }
    let e = add_wallet_webhook(
        &app,
        &token,
        "ofc",
        &acct.id,
        json!({"type": "pendingapproval", "url": "http://127.0.0.1:9/11"}),
    )
    .await
    .expect_error(400);
    assert!(e["error"].as_str().unwrap().contains("at most 10"), "{e}");
    // Another type still fits.
    add_wallet_webhook(
        &app,
        &token,
        "ofc",
        &acct.id,
        json!({"type": "address_confirmation", "url": "http://127.0.0.1:9/11"}),
    )
    .await
    .ok();
}

#[actix_rt::test]
async fn only_admins_manage_a_wallets_webhooks_and_an_organization_admin_watches_without_transacting(
) {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 34).await;
    let hook = json!({"type": "pendingapproval", "url": "http://127.0.0.1:9/h"});
    // The organization admin of the child enterprise may watch its Go Account...
    let brennan = app.token_as(BRENNAN, SEED_SCOPES).await;
    add_wallet_webhook(&app, &brennan, "ofc", &acct.id, hook.clone())
        .await
        .ok();
    // ... and still never transacts there.
    faucet(&app, &acct.id, "ofctusd", 1_000).await;
    let refused = withdraw(&app, &brennan, &acct, "ofctusd", "tb1qexternal", 10).await;
    assert_eq!(
        refused.expect_error(403)["name"],
        "OrganizationAdminCannotTransact"
    );
    // A spender who is no admin is refused; a stranger learns nothing.
    join_child(&app, DALE, EnterprisePermission::Member, false);
    app.post(
        &format!("/api/v2/ofc/wallet/{}/share", acct.id),
        json!({"user": DALE, "permission": "spend,view"}),
        Auth::V2(token.clone()),
    )
    .await
    .ok();
    let before = app.snapshot(&["webhooks"]);
    let dale = app.token_as(DALE, SEED_SCOPES).await;
    let spender = add_wallet_webhook(&app, &dale, "ofc", &acct.id, hook.clone()).await;
    assert_eq!(spender.expect_error(403)["name"], "Forbidden");
    app.add_outsider("stranger@elsewhere.test");
    let stranger = app.token_as("stranger@elsewhere.test", SEED_SCOPES).await;
    let e = add_wallet_webhook(&app, &stranger, "ofc", &acct.id, hook.clone()).await;
    assert_eq!(e.expect_error(404)["name"], "NotFound");
    // A token that only views reads the list but cannot add.
    let viewer = app.token_as(SERVICE, &["wallet_view_all"]).await;
    let e = add_wallet_webhook(&app, &viewer, "ofc", &acct.id, hook.clone()).await;
    assert_eq!(e.expect_error(403)["name"], "InsufficientScope");
    app.get(
        &format!("/api/v2/ofc/wallet/{}/webhooks", acct.id),
        Auth::V2(viewer),
    )
    .await
    .ok();
    assert_eq!(app.snapshot(&["webhooks"]), before);
}

#[actix_rt::test]
async fn enterprise_and_organization_webhooks_are_for_their_admins_on_a_login_session() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let dale = app.login(DALE).await;
    let (ent, org) = (
        app.demo.enterprise_id.clone(),
        app.demo.organization_id.clone(),
    );
    let added = app
        .post(
            &format!("/api/v2/enterprise/{ent}/webhooks"),
            json!({"type": "accessToken", "url": "http://127.0.0.1:9/t", "label": "tokens"}),
            Auth::Raw(dale.clone()),
        )
        .await
        .ok();
    assert_eq!(
        (added["enterpriseId"].as_str(), added["type"].as_str()),
        (Some(ent.as_str()), Some("accessToken"))
    );
    let e = app
        .post(
            &format!("/api/v2/enterprise/{ent}/webhooks"),
            json!({"type": "transfer", "url": "http://127.0.0.1:9/t"}),
            Auth::Raw(dale.clone()),
        )
        .await
        .expect_error(400);
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("bankAccount, accessToken"),
        "{e}"
    );
    // A long-lived token, even with every scope, cannot manage them (user_manage).
    let api = app.token_as(DALE, SEED_SCOPES).await;
    app.post(
        &format!("/api/v2/enterprise/{ent}/webhooks"),
        json!({"type": "bankAccount", "url": "http://127.0.0.1:9/b"}),
        Auth::Raw(api.clone()),
    )
    .await
    .expect_error(403);
    let listed = app
        .get(
            &format!("/api/v2/enterprise/{ent}/webhooks?type=accessToken"),
            Auth::Raw(api),
        )
        .await
        .ok();
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 1);
    // Organization webhooks: Brennan (organization admin) yes, Dale (member) no.
    let org_hook = app
        .post(
            &format!("/api/v2/organization/{org}/webhook"),
            json!({"type": "transfer", "url": "http://127.0.0.1:9/o", "coin": "ofc"}),
            Auth::Raw(brennan.clone()),
        )
        .await
        .ok();
    assert_eq!(org_hook["organizationId"], org.as_str());
    let got = app
        .get(
            &format!(
                "/api/v2/organization/{org}/webhook/{}",
                org_hook["id"].as_str().unwrap()
            ),
            Auth::Raw(brennan.clone()),
        )
        .await
        .ok();
    assert_eq!(got["id"], org_hook["id"]);
    app.post(
        &format!("/api/v2/organization/{org}/webhook"),
        json!({"type": "transfer", "url": "http://127.0.0.1:9/o2"}),
        Auth::Raw(dale),
    )
    .await
    .expect_error(403);
    let deleted = app
        .send(
            Req::delete(&format!(
                "/api/v2/organization/{org}/webhook/{}",
                org_hook["id"].as_str().unwrap()
            ))
            .auth(Auth::Raw(brennan.clone())),
        )
        .await;
    assert_eq!(deleted.status, 204);
    let gone = app
        .send(
            Req::delete(&format!(
                "/api/v2/enterprise/{ent}/webhook/{}",
                "f".repeat(32)
            ))
            .auth(Auth::Raw(brennan)),
        )
        .await;
    assert_eq!(gone.expect_error(404)["name"], "NotFound");
}
