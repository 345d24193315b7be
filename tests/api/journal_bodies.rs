//! Bodies in the journal: both bodies and the request's headers, secrets redacted by field
//! name and by header, each body cut to `journal_body_bytes`, the whole journal held under
//! `journal_memory_bytes`; every refusal names its rule, the trading API's too.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::{child, create_go_account, service_token};

async fn journal(app: &TestApp, query: &str) -> Value {
    app.get(&format!("/sandbox/journal?{query}"), Auth::None)
        .await
        .ok()
}

#[actix_web::test]
async fn both_bodies_are_kept_with_every_secret_redacted() {
    let app = spawn_app().await;
    let login = app.login_reply(BRENNAN).await;
    let raw_token = login["access_token"].as_str().unwrap().to_string();
    app.get("/api/v2/user/me", Auth::V2(raw_token.clone()))
        .await
        .ok();

    let all = journal(&app, "limit=10").await;
    let text = all.to_string();
    for secret in [PASSWORD, raw_token.as_str()] {
        assert!(
            !text.contains(secret),
            "a secret reached the journal: {secret}"
        );
    }
    let entry = &journal(&app, "path=/api/v2/user/login").await["requests"][0];
    let sent: Value = serde_json::from_str(entry["requestBody"].as_str().unwrap()).unwrap();
    assert_eq!(sent["email"], BRENNAN);
    assert_eq!(sent["password"], "[redacted]");
    assert_eq!(sent["otp"], "[redacted]");
    let answered: Value = serde_json::from_str(entry["responseBody"].as_str().unwrap()).unwrap();
    assert_eq!(answered["access_token"], "[redacted]");
    assert_eq!(answered["user"]["username"], BRENNAN);

    let me = &journal(&app, "path=/api/v2/user/me").await["requests"][0];
    let headers: Vec<(String, String)> =
        serde_json::from_value(me["requestHeaders"].clone()).unwrap();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("authorization").as_deref(), Some("[redacted]"));
    assert_eq!(header("hmac").as_deref(), Some("[redacted]"));
    assert_eq!(header("bitgo-auth-version").as_deref(), Some("2.0"));
    assert!(me["responseBody"].as_str().unwrap().contains(BRENNAN));
}

#[actix_web::test]
async fn bodies_are_cut_to_the_cap_and_the_journal_kept_under_its_memory_cap() {
    let app = spawn_app_with(|c| {
        c.sandbox.journal_body_bytes = 64;
        c.sandbox.journal_memory_bytes = 40_000;
    })
    .await;
    let long = json!({"email": "x".repeat(500), "password": "p"});
    for _ in 0..200 {
        app.post("/api/v2/user/login", long.clone(), Auth::None)
            .await;
    }
    let page = journal(&app, "limit=1").await;
    let kept = page["requests"][0]["requestBody"].as_str().unwrap();
    assert!(kept.len() <= 64 && kept.ends_with("[truncated]"), "{kept}");
    assert!(page["bytes"].as_u64().unwrap() <= 40_000, "{page}");
    assert!(page["dropped"].as_u64().unwrap() > 0, "{page}");
    assert_eq!(page["memoryCap"], 40_000);
}

#[actix_web::test]
async fn a_trading_refusal_names_its_rule() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 33).await;
    let r = app
        .post(
            &format!("/api/prime/trading/v1/accounts/{}/orders", acct.id),
            json!({"clientOrderId": "c", "product": "BTC-USD", "type": "market", "side": "sideways",
                   "quantity": "1", "quantityCurrency": "BTC"}),
            Auth::V2(service.clone()),
        )
        .await;
    assert_eq!(r.status, 400);
    let name = r.json()["errorName"].as_str().unwrap().to_string();
    let entry = &journal(&app, "refused=true&path=/api/prime/*").await["requests"][0];
    assert_eq!(entry["refusedBy"], name.as_str());
    // No credentials at all: the trading API's own 401, its rule named too.
    app.get("/api/prime/trading/v1/accounts", Auth::None).await;
    let entry = &journal(&app, "status=401").await["requests"][0];
    assert!(
        entry["refusedBy"].as_str().is_some_and(|r| !r.is_empty()),
        "{entry}"
    );
}
