//! The walk: each served BitGo operation called as a client would, for its success and for
//! the errors it documents (bad input 400, no credentials 401, a missing right 403, an unknown
//! id 404, a conflict 409). The checker validates every answer; the walk only drives.

use serde_json::{json, Value};

use super::Checker;
use crate::approvals::NEWBIE;
use crate::helpers::*;
use crate::wallets::{child, create_go_account, faucet, service_token, GoAccount};

const T: &str = "/api/prime/trading/v1";

/// Walks every served operation; returns a token with every scope for the generated probes.
pub async fn walk(c: &Checker<'_>) -> String {
    let app = c.app;
    session(c).await;
    let brennan = Auth::V2(app.token_with(SEED_SCOPES).await);
    let service = service_token(app).await;
    let acct = create_go_account(app, &service, &child(app), 71).await;
    faucet(app, &acct.id, "ofctusd", 10_000_000).await;
    enterprises(c, &brennan).await;
    organizations(c, &brennan).await;
    wallets(c, &Auth::V2(service.clone()), &acct).await;
    policies(c, &brennan, &Auth::V2(service.clone()), &acct).await;
    trading(c, &Auth::V2(service.clone()), &acct).await;
    kyc(c, &brennan).await;
    super::webhooks::walk(c, &Auth::V2(service.clone()), &acct).await;
    service
}

async fn session(c: &Checker<'_>) {
    for v in ["v1", "v2"] {
        let login = format!("/api/{v}/user/login");
        c.send(
            "POST",
            &login,
            json!({"email": BRENNAN, "password": PASSWORD, "otp": "000000"}),
            &Auth::None,
        )
        .await;
        c.send(
            "POST",
            &login,
            json!({"email": BRENNAN, "password": "wrong", "otp": "000000"}),
            &Auth::None,
        )
        .await;
        c.send("POST", &login, json!({"email": 5}), &Auth::None)
            .await;
    }
    let login = Auth::V2(c.app.login(BRENNAN).await);
    c.get("/api/v2/user/me", &login).await;
    c.get(&format!("/api/v2/user/{}", "f".repeat(24)), &login)
        .await;
    c.get("/api/v2/user/session", &login).await;
    c.send(
        "POST",
        "/api/v2/user/unlock",
        json!({"otp": "000000"}),
        &login,
    )
    .await;
    c.send("POST", "/api/v2/user/lock", json!({}), &login).await;
    c.send(
        "POST",
        "/api/v2/user/unlock",
        json!({"otp": "000000"}),
        &login,
    )
    .await;
    let made = c
        .send(
            "POST",
            "/api/v2/user/accesstoken",
            json!({"label": "fidelity", "scope": ["wallet_view_all"], "otp": "000000"}),
            &login,
        )
        .await
        .ok();
    c.send(
        "POST",
        "/api/v2/user/accesstoken",
        json!({"label": 5, "scope": "nope"}),
        &login,
    )
    .await;
    c.get("/api/v2/user/accesstoken", &login).await;
    let id = made["id"].as_str().unwrap();
    c.call(
        "DELETE",
        &format!("/api/v2/user/accesstoken/{id}"),
        None,
        login.clone(),
    )
    .await
    .ok();
    c.call(
        "DELETE",
        &format!("/api/v2/user/accesstoken/{}", "f".repeat(32)),
        None,
        login.clone(),
    )
    .await;
    let narrow = Auth::V2(c.app.token_with(&["profile"]).await);
    c.get("/api/v2/user/accesstoken", &narrow).await;
    c.get("/api/v2/user/logout", &login).await.ok();
    c.get("/api/v2/user/session", &login).await;
}

async fn enterprises(c: &Checker<'_>, brennan: &Auth) {
    let app = c.app;
    let eid = app.demo.enterprise_id.clone();
    c.get("/api/v2/enterprise", brennan).await.ok();
    c.get(&format!("/api/v2/enterprise/{eid}"), brennan)
        .await
        .ok();
    c.get(&format!("/api/v2/enterprise/{}", "f".repeat(32)), brennan)
        .await;
    c.send(
        "PUT",
        &format!("/api/v2/enterprise/{eid}"),
        json!({"approvalsRequired": 1}),
        brennan,
    )
    .await;
    c.send(
        "PUT",
        &format!("/api/v2/enterprise/{eid}"),
        json!({"approvalsRequired": 9}),
        brennan,
    )
    .await;
    c.get(&format!("/api/v1/enterprise/{eid}/user"), brennan)
        .await
        .ok();
    let users = format!("/api/v2/enterprise/{eid}/user");
    let login = Auth::V2(app.login(BRENNAN).await);
    app.add_outsider(NEWBIE);
    let pending = c
        .send(
            "POST",
            &users,
            json!({"username": NEWBIE, "permission": "admin"}),
            &login,
        )
        .await;
    c.send("POST", &users, json!({"username": 5}), &login).await;
    approvals(c, &pending.json()).await;
    let dale = app.user_id(DALE);
    c.call(
        "PUT",
        &format!("{users}?userId={dale}&role=auditor"),
        None,
        login.clone(),
    )
    .await;
    c.send("DELETE", &users, json!({"username": DALE}), &login)
        .await;
}

async fn approvals(c: &Checker<'_>, pending: &Value) {
    let dale = Auth::V2(c.app.login(DALE).await);
    c.get("/api/v2/pendingapprovals", &dale).await.ok();
    c.get("/api/v2/pendingApprovals", &dale).await.ok();
    let id = pending["id"].as_str().unwrap_or("none");
    c.get(&format!("/api/v2/pendingapprovals/{id}"), &dale)
        .await;
    c.send(
        "PUT",
        &format!("/api/v2/pendingapprovals/{id}"),
        json!({"state": "approved", "otp": "000000"}),
        &dale,
    )
    .await;
    c.send(
        "PUT",
        &format!("/api/v2/pendingapprovals/{id}"),
        json!({"state": "approved", "otp": "000000"}),
        &dale,
    )
    .await;
}

async fn organizations(c: &Checker<'_>, brennan: &Auth) {
    let app = c.app;
    let org = app.demo.organization_id.clone();
    c.get("/api/v2/organization", brennan).await.ok();
    c.get(&format!("/api/v2/organization/{org}"), brennan)
        .await
        .ok();
    let users = format!("/api/v2/organization/{org}/user");
    let login = Auth::V2(app.login(BRENNAN).await);
    let outsider = app.add_outsider("fidelity@example.test");
    c.send(
        "POST",
        &users,
        json!({"username": "fidelity@example.test", "role": "member"}),
        &login,
    )
    .await
    .ok();
    c.send(
        "POST",
        &users,
        json!({"username": "fidelity@example.test", "role": "member"}),
        &login,
    )
    .await;
    c.call(
        "PUT",
        &format!("{users}?userId={outsider}&role=customer"),
        None,
        login.clone(),
    )
    .await
    .ok();
    c.call(
        "DELETE",
        &format!("{users}?userId={outsider}"),
        None,
        login.clone(),
    )
    .await
    .ok();
    let children = format!("/api/v2/organization/{org}/enterprise");
    let made = c
        .send(
            "POST",
            &children,
            json!({"email": "child@example.test", "idempotencyKey": "fid", "additionalAdmins": [app.user_id(BRENNAN)]}),
            brennan,
        )
        .await
        .ok();
    c.send("POST", &children, json!({"email": 5}), brennan)
        .await;
    c.get(&children, brennan).await.ok();
    let child = made["enterpriseId"].as_str().unwrap();
    c.send(
        "POST",
        &format!("{children}/{child}/user"),
        json!({"email": DALE, "permissions": ["auditor"]}),
        &login,
    )
    .await;
}

async fn wallets(c: &Checker<'_>, service: &Auth, acct: &GoAccount) {
    let (_, xpub) = orgbox::auth::signed_message::key_pair(&[72; 32]).unwrap();
    let key = c
        .send("POST", "/api/v2/ofc/key", json!({"pub": xpub, "encryptedPrv": "{\"iv\":\"x\"}",
              "originalPasscodeEncryptionCode": "code", "keyType": "independent", "source": "user"}), service)
        .await
        .ok();
    c.get(
        &format!("/api/v2/ofc/key/{}", key["id"].as_str().unwrap()),
        service,
    )
    .await
    .ok();
    c.send(
        "POST",
        "/api/v2/ofc/wallet/add",
        json!({"label": "Fidelity", "m": 1, "n": 1, "type": "trading",
           "enterprise": child(c.app), "keys": [key["id"]]}),
        service,
    )
    .await
    .ok();
    let w = format!("/api/v2/ofc/wallet/{}", acct.id);
    c.send("POST", "/api/v2/ofc/key", json!({"pub": 5}), service)
        .await;
    c.get(&format!("/api/v2/ofc/key/{}", "f".repeat(24)), service)
        .await;
    c.get("/api/v2/ofc/wallet", service).await.ok();
    c.get("/api/v2/wallets", service).await.ok();
    c.get(&w, service).await.ok();
    c.get(&format!("/api/v2/ofc/wallet/{}", "f".repeat(32)), service)
        .await;
    c.get(&format!("{w}/addresses"), service).await.ok();
    c.get(&format!("{w}/transfer"), service).await.ok();
    c.get(
        &format!("/api/v2/enterprise/{}/transfer", child(c.app)),
        service,
    )
    .await
    .ok();
    c.send(
        "POST",
        &format!("{w}/share"),
        json!({"user": SERVICE, "permission": "view"}),
        service,
    )
    .await;
    let usd = format!("/api/v2/ofctusd/wallet/{}", acct.id);
    let built = c
        .send(
            "POST",
            &format!("{usd}/tx/build"),
            json!({"recipients": [{"address": "outside", "amount": "100"}]}),
            service,
        )
        .await
        .ok();
    c.send(
        "POST",
        &format!("{usd}/tx/build"),
        json!({"recipients": 5}),
        service,
    )
    .await;
    let payload = built["payload"].as_str().unwrap().to_string();
    let signature = orgbox::auth::signed_message::sign(&acct.xprv, &payload).unwrap();
    c.send(
        "POST",
        &format!("{usd}/tx/send"),
        json!({"halfSigned": {"payload": payload, "signature": signature}}),
        service,
    )
    .await;
    c.send(
        "POST",
        &format!("{usd}/tx/send"),
        json!({"halfSigned": {"payload": "x", "signature": "y"}}),
        service,
    )
    .await;
    c.send(
        "POST",
        &format!("{usd}/tx/initiate"),
        json!({"recipients": [{"address": "x", "amount": "10"}]}),
        service,
    )
    .await;
    c.send(
        "POST",
        &format!("{usd}/tx/initiate"),
        json!({"recipients": 5}),
        service,
    )
    .await;
    let simulate = "/api/fiat/v1/sandbox/transaction/simulate";
    c.send(
        "POST",
        simulate,
        json!({"walletId": acct.id, "currency": "USD", "amount": "100", "type": "wire"}),
        service,
    )
    .await;
    c.send(
        "POST",
        simulate,
        json!({"walletId": acct.id, "currency": "USD", "amount": "x"}),
        service,
    )
    .await;
}

async fn policies(c: &Checker<'_>, brennan: &Auth, service: &Auth, acct: &GoAccount) {
    let rule = format!("/api/v2/ofc/wallet/{}/policy/rule", acct.id);
    let body = json!({"id": "fid", "type": "advancedWhitelist", "action": {"type": "deny"},
                      "condition": {"add": {"item": "elsewhere", "type": "address"}}});
    c.send("POST", &rule, body.clone(), brennan).await;
    c.send("POST", &rule, json!({"type": 5}), brennan).await;
    c.send("PUT", &rule, body.clone(), brennan).await;
    c.send(
        "DELETE",
        &rule,
        json!({"id": "fid", "type": "advancedWhitelist", "action": {"type": "deny"}}),
        brennan,
    )
    .await;
    let mut bulk = body;
    bulk["walletId"] = acct.id.clone().into();
    bulk["coin"] = "ofctusd".into();
    c.send(
        "PUT",
        "/api/v2/policy/rule/bulk",
        json!({"updates": [bulk]}),
        service,
    )
    .await;
    c.send(
        "PUT",
        "/api/v2/policy/rule/bulk",
        json!({"updates": 5}),
        service,
    )
    .await;
    let org = format!(
        "/api/policy/v1/organizations/{}/rules",
        c.app.demo.organization_id
    );
    c.send("POST", &org, json!({"id": "daily", "type": "velocityLimit", "coin": "ofctusd", "action": {"type": "getApproval"},
                                "condition": {"amountString": "1000", "timeWindow": 86400}}), brennan).await;
    c.get(&org, brennan).await.ok();
    c.get(
        &format!("/api/policy/v1/organizations/{}/rules", "f".repeat(32)),
        brennan,
    )
    .await;
}

async fn trading(c: &Checker<'_>, service: &Auth, acct: &GoAccount) {
    let a = format!("{T}/accounts/{}", acct.id);
    c.get(&format!("{T}/user/current"), service).await.ok();
    c.get(&format!("{T}/accounts"), service).await.ok();
    c.get(&format!("{a}/balances"), service).await.ok();
    c.get(&format!("{a}/currencies"), service).await.ok();
    c.get(&format!("{a}/products"), service).await.ok();
    let order = |kind: &str, id: &str| {
        json!({"clientOrderId": id, "product": "BTC-USD", "type": kind, "side": "buy",
               "quantity": "0.01", "quantityCurrency": "BTC"})
    };
    let mut limit = order("limit", "f2");
    limit["limitPrice"] = "1".into();
    let filled = c
        .send(
            "POST",
            &format!("{a}/orders"),
            order("market", "f1"),
            service,
        )
        .await
        .ok();
    let resting = c
        .send("POST", &format!("{a}/orders"), limit, service)
        .await
        .ok();
    c.send(
        "POST",
        &format!("{a}/orders"),
        order("market", "f1"),
        service,
    )
    .await;
    c.send("POST", &format!("{a}/orders"), json!({"side": 5}), service)
        .await;
    c.get(&format!("{a}/orders"), service).await.ok();
    c.get(
        &format!("{a}/orders/{}", filled["id"].as_str().unwrap()),
        service,
    )
    .await
    .ok();
    c.get(&format!("{a}/orders/{}", "f".repeat(32)), service)
        .await;
    c.call(
        "PUT",
        &format!("{a}/orders/{}/cancel", resting["id"].as_str().unwrap()),
        None,
        service.clone(),
    )
    .await;
    c.call(
        "PUT",
        &format!("{a}/orders/{}/cancel", filled["id"].as_str().unwrap()),
        None,
        service.clone(),
    )
    .await;
    let trades = c.get(&format!("{a}/trades"), service).await.ok();
    if let Some(t) = trades["data"][0]["id"].as_str() {
        c.get(&format!("{a}/trades/{t}"), service).await.ok();
    }
    c.get(&format!("{a}/trades/{}", "f".repeat(32)), service)
        .await;
}

async fn kyc(c: &Checker<'_>, brennan: &Auth) {
    let app = c.app;
    let org = app.demo.organization_id.clone();
    let made = c
        .send("POST", &format!("/api/v2/organization/{org}/enterprise"),
              json!({"email": "kyc@example.test", "idempotencyKey": "fid-kyc", "additionalAdmins": [app.user_id(SERVICE)]}), brennan)
        .await
        .ok();
    let service = Auth::V2(service_token(app).await);
    let body = json!({
        "enterpriseId": made["enterpriseId"], "userId": made["userId"], "organizationId": org,
        "nameFirst": "John", "nameLast": "Doe", "phoneNumber": "+442083661173",
        "birthdate": "1990-03-13T00:00:00Z", "occupation": "Other - Default",
        "countryOfCitizenship": "USA", "countryOfResidence": "USA", "govIdCountryOfIssuance": "USA",
        "identificationNumber": "494-14-2205", "politicallyExposedPerson": false,
        "addressStreet1": "Street 1", "addressCity": "San Jose", "addressSubdivision": "CA",
        "country": "USA", "transactionType": "institutionalIndividual", "addressPostalCode": "33604"
    });
    let id = c
        .send("POST", "/api/evs/v1/identity", body, &service)
        .await
        .ok()["id"]
        .clone();
    c.send(
        "POST",
        "/api/evs/v1/identity",
        json!({"nameFirst": 5}),
        &service,
    )
    .await;
    let id = id.as_str().unwrap();
    c.get(
        &format!(
            "/api/evs/v1/identity?organizationId={org}&enterpriseId={}",
            made["enterpriseId"].as_str().unwrap()
        ),
        &service,
    )
    .await
    .ok();
    c.get("/api/evs/v1/identity", &service).await;
    c.send(
        "PATCH",
        &format!("/api/evs/v1/identity/{id}"),
        json!({"addressCity": "Oakland"}),
        &service,
    )
    .await
    .ok();
    c.send(
        "PATCH",
        &format!("/api/evs/v1/identity/{}", "f".repeat(32)),
        json!({"addressCity": "Oakland"}),
        &service,
    )
    .await;
}
