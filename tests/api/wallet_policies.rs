//! Wallet policy rules: per wallet and across the organization's child enterprises;
//! withdrawals obey them.

use serde_json::json;

use crate::helpers::*;
use crate::wallets::*;

#[actix_rt::test]
async fn a_whitelist_miss_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 41).await;
    let b = create_go_account(&app, &service, &child(&app), 42).await;
    faucet(&app, &a.id, "ofctusd", 10_000).await;
    let brennan = app
        .token_with(&["wallet_edit_all", "wallet_view_all"])
        .await;
    let w = app
        .post(
            &format!("/api/v2/ofc/wallet/{}/policy/rule", a.id),
            json!({"id": "only-b", "type": "advancedWhitelist", "action": {"type": "deny"},
                   "condition": {"add": {"item": b.id, "type": "walletId"}}}),
            Auth::V2(brennan.clone()),
        )
        .await
        .ok();
    assert_eq!(w["admin"]["policy"]["rules"][0]["id"], "only-b");
    let money = [
        "ledger_entries",
        "wallet_balances",
        "transfers",
        "pending_approvals",
    ];
    let before = app.snapshot(&money);
    let r = withdraw(&app, &service, &a, "ofctusd", "outside-address", 100).await;
    assert_eq!(r.expect_error(403)["name"], "Forbidden");
    // tx/build was allowed (it moves nothing); the refused send rolled back and spent nothing.
    assert_eq!(app.snapshot(&money), before);
    assert_eq!(
        app.count("SELECT count(*) FROM tx_builds WHERE sent_at IS NOT NULL"),
        0
    );
    assert_eq!(balance(&app, &a.id, "ofctusd"), (10_000, 0));
    withdraw(&app, &service, &a, "ofctusd", &b.id, 100)
        .await
        .ok();
    // Adding an address and removing the rule loosen it: both wait for another organization
    // admin (the rule is Brennan's), and the outside address stays refused meanwhile.
    let r = app
        .send(
            Req::method("PUT", &format!("/api/v2/ofc/wallet/{}/policy/rule", a.id))
                .json(&json!({"id": "only-b", "type": "advancedWhitelist", "condition": {"add": "outside-address"}}))
                .auth(Auth::Raw(brennan.clone())),
        )
        .await;
    assert_eq!(r.status, 202);
    let r = app
        .send(
            Req::method(
                "DELETE",
                &format!("/api/v2/ofc/wallet/{}/policy/rule", a.id),
            )
            .json(&json!({"id": "only-b", "type": "advancedWhitelist", "action": {"type": "deny"}}))
            .auth(Auth::Raw(brennan)),
        )
        .await;
    assert_eq!(r.status, 202);
    assert_eq!(r.json()["info"]["type"], "policyRuleRequest");
    withdraw(&app, &service, &a, "ofctusd", "outside-address", 100)
        .await
        .expect_error(403);
}

#[actix_rt::test]
async fn an_organization_velocity_limit_turns_a_breach_into_a_pending_approval() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 43).await;
    faucet(&app, &a.id, "ofctusd", 10_000).await;
    let brennan = app
        .token_with(&["wallet_edit_all", "enterprise_view_all"])
        .await;
    let org = app.demo.organization_id.clone();
    app.post(
        &format!("/api/policy/v1/organizations/{org}/rules"),
        json!({"id": "daily", "type": "velocityLimit", "coin": "ofctusd", "action": {"type": "getApproval"},
               "condition": {"amountString": "1000", "timeWindow": 86400}}),
        Auth::V2(brennan.clone()),
    )
    .await
    .ok();
    let listed = app
        .get(
            &format!("/api/policy/v1/organizations/{org}/rules"),
            Auth::Raw(brennan),
        )
        .await
        .ok();
    // Listed as BitGo's policy service lists a rule (PolicyRule1).
    let rule = &listed["rules"][0];
    assert_eq!(rule["name"], "daily");
    assert_eq!(rule["status"], "ACTIVE");
    assert_eq!(rule["touchpointLabel"], "Transfer from a Wallet");
    assert_eq!(rule["createdBy"], app.user_id(BRENNAN).as_str());
    let condition = &rule["clauses"][0]["conditions"][0];
    assert_eq!(condition["name"], "transfer.velocity.limit");
    assert_eq!(condition["parameters"]["amount"], "1000");
    assert_eq!(condition["parameters"]["coin"], "ofctusd");
    assert_eq!(
        rule["clauses"][0]["actions"][0]["name"],
        "approvals.customer.enterpriseAdmin"
    );
    assert_eq!(rule["walletPolicyRule"]["type"], "velocityLimit");
    assert_eq!(listed["nextBatchPrevId"], "");
    withdraw(&app, &service, &a, "ofctusd", "x", 800).await.ok();
    let r = withdraw(&app, &service, &a, "ofctusd", "x", 300).await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    assert_eq!(r.json()["pendingApproval"]["state"], "pending");
    assert_eq!(balance(&app, &a.id, "ofctusd"), (8_900, 300));
    // Another admin of the child (its end user) approves; the held amount leaves once.
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let id = r.json()["pendingApproval"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.send(
        Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
            .json(&json!({"state": "approved", "otp": "000000"}))
            .auth(Auth::Raw(chazz)),
    )
    .await
    .ok();
    assert_eq!(balance(&app, &a.id, "ofctusd"), (8_900, 0));
    // Outsiders and plain members cannot set organization rules.
    let dale = app.token_as(DALE, &["wallet_edit_all"]).await;
    let r = app
        .post(
            &format!("/api/policy/v1/organizations/{org}/rules"),
            json!({"id": "x", "type": "velocityLimit", "action": {"type": "deny"}, "condition": {"amountString": "1", "timeWindow": 1}}),
            Auth::Raw(dale),
        )
        .await;
    r.expect_error(403);
}

#[actix_rt::test]
async fn bad_rules_are_refused() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 44).await;
    for body in [
        json!({"type": "velocityLimit", "action": {"type": "deny"}, "condition": {"amountString": "1", "timeWindow": 1}}),
        json!({"id": "v", "type": "velocityLimit", "action": {"type": "deny"}, "condition": {"amountString": "-1", "timeWindow": 1}}),
        json!({"id": "v", "type": "allTx", "action": {"type": "deny"}}),
        json!({"id": "v", "type": "velocityLimit", "action": {"type": "explode"}, "condition": {"amountString": "1", "timeWindow": 1}}),
    ] {
        app.post(
            &format!("/api/v2/ofc/wallet/{}/policy/rule", a.id),
            body,
            Auth::Raw(service.clone()),
        )
        .await
        .expect_error(400);
    }
    let view = app
        .token_as(CHAZZ, &["wallet_edit_all", "wallet_view_all"])
        .await;
    let r = app
        .post(
            &format!("/api/v2/ofc/wallet/{}/policy/rule", a.id),
            json!({"id": "v", "type": "velocityLimit", "action": {"type": "deny"}, "condition": {"amountString": "1", "timeWindow": 1}}),
            Auth::Raw(view),
        )
        .await;
    r.expect_error(403);
}

#[actix_rt::test]
async fn the_organization_admin_updates_whitelists_in_bulk_with_per_wallet_failures() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 45).await;
    let b = create_go_account(&app, &service, &child(&app), 46).await;
    let brennan = app
        .token_with(&["wallet_edit_all", "wallet_view_all"])
        .await;
    let rule = |wallet: &str| {
        json!({"walletId": wallet, "coin": "ofctusd", "id": "bulk-wl", "type": "advancedWhitelist",
               "action": {"type": "deny"}, "condition": {"add": {"item": "safe-address", "type": "address"}}})
    };
    let r = app
        .send(
            Req::method("PUT", "/api/v2/policy/rule/bulk")
                .json(&json!({"updates": [rule(&a.id), rule(&b.id), rule(&"f".repeat(32))]}))
                .auth(Auth::V2(brennan)),
        )
        .await
        .ok();
    assert_eq!(r["successes"].as_array().unwrap().len(), 2);
    assert_eq!(r["failures"][0]["walletId"], "f".repeat(32));
    faucet(&app, &a.id, "ofctusd", 100).await;
    withdraw(&app, &service, &a, "ofctusd", "elsewhere", 1)
        .await
        .expect_error(403);
    withdraw(&app, &service, &a, "ofctusd", "safe-address", 1)
        .await
        .ok();
}
