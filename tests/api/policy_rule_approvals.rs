//! Removing or loosening a wallet policy rule waits for another admin (BitGo's
//! `policyRuleRequest`), and a rule an organization admin set answers only to organization
//! admins: the wallet admin a rule constrains cannot lift it alone (issue 14 item 6).

use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::*;

const RULES_AND_MONEY: &[&str] = &[
    "wallet_policy_rules",
    "ledger_entries",
    "wallet_balances",
    "transfers",
    "pending_approvals",
    "pending_approval_resolutions",
];

fn rule_path(wallet: &str) -> String {
    format!("/api/v2/ofc/wallet/{wallet}/policy/rule")
}

fn whitelist(item: &str) -> Value {
    json!({"id": "only-b", "type": "advancedWhitelist", "action": {"type": "deny"},
           "condition": {"add": {"item": item, "type": "walletId"}}})
}

fn delete_rule(wallet: &str, token: &str) -> Req {
    Req::method("DELETE", &rule_path(wallet))
        .json(&json!({"id": "only-b", "type": "advancedWhitelist", "action": {"type": "deny"}}))
        .auth(Auth::V2(token.into()))
}

fn resolve(id: &str, state: &str, token: &str) -> Req {
    Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
        .json(&json!({"state": state, "otp": "000000"}))
        .auth(Auth::Raw(token.into()))
}

async fn initiate(app: &TestApp, token: &str, wallet: &str, to: &str) -> Resp {
    app.post(
        &format!("/api/v2/ofctusd/wallet/{wallet}/tx/initiate"),
        json!({"recipients": [{"address": to, "amount": "100"}]}),
        Auth::V2(token.into()),
    )
    .await
}

#[actix_rt::test]
async fn the_wallet_admin_a_whitelist_constrains_cannot_delete_it_alone() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 61).await;
    let b = create_go_account(&app, &service, &child(&app), 62).await;
    faucet(&app, &a.id, "ofctusd", 10_000).await;
    // Adding a rule tightens: it applies at once.
    app.post(
        &rule_path(&a.id),
        whitelist(&b.id),
        Auth::V2(service.clone()),
    )
    .await
    .ok();
    initiate(&app, &service, &a.id, "outside-address")
        .await
        .expect_error(403);
    withdraw(&app, &service, &a, "ofctusd", "outside-address", 100)
        .await
        .expect_error(403);

    // The service user deletes the rule: held, and the send is still refused.
    let before = app.snapshot(&["wallet_policy_rules", "ledger_entries", "transfers"]);
    let r = app.send(delete_rule(&a.id, &service)).await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    let held = r.json();
    assert_eq!(held["info"]["type"], "policyRuleRequest");
    assert_eq!(held["info"]["policyRuleRequest"]["action"], "remove");
    assert_eq!(held["info"]["policyRuleRequest"]["update"]["id"], "only-b");
    assert_eq!(held["state"], "pending");
    assert_eq!(held["wallet"], a.id.as_str());
    let id = held["id"].as_str().unwrap().to_string();
    withdraw(&app, &service, &a, "ofctusd", "outside-address", 100)
        .await
        .expect_error(403);
    assert_eq!(
        app.snapshot(&["wallet_policy_rules", "ledger_entries", "transfers"]),
        before
    );
    // Adding an address is loosening too: held.
    let r = app
        .send(
            Req::method("PUT", &rule_path(&a.id))
                .json(&json!({"id": "only-b", "type": "advancedWhitelist",
                              "condition": {"add": "outside-address"}}))
                .auth(Auth::V2(service.clone())),
        )
        .await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    assert_eq!(
        app.snapshot(&["wallet_policy_rules", "ledger_entries", "transfers"]),
        before
    );

    // The creator cannot approve it; an outsider cannot see it; a wallet viewer who is not
    // an admin cannot resolve it.
    let snap = app.snapshot(RULES_AND_MONEY);
    let b_ = app
        .send(resolve(&id, "approved", &service))
        .await
        .expect_error(403);
    assert!(b_["error"].as_str().unwrap().contains("own"), "{b_}");
    app.add_outsider("stranger@else.test");
    let stranger = app
        .token_as("stranger@else.test", &["pending_approval_update"])
        .await;
    app.send(resolve(&id, "approved", &stranger))
        .await
        .expect_error(404);
    assert_eq!(app.snapshot(RULES_AND_MONEY), snap);

    // Another admin of the child enterprise (its end user) approves: the rule is gone and the
    // withdrawal goes through.
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let done = app.send(resolve(&id, "approved", &chazz)).await.ok();
    assert_eq!(done["state"], "approved");
    assert_eq!(
        app.count("SELECT count(*) FROM wallet_policy_rules WHERE rule_id = 'only-b'"),
        0
    );
    withdraw(&app, &service, &a, "ofctusd", "outside-address", 100)
        .await
        .ok();
    assert_eq!(balance(&app, &a.id, "ofctusd").0, 9_900);
}

#[actix_rt::test]
async fn tightening_applies_at_once_and_a_stale_loosening_is_refused() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 63).await;
    app.post(&rule_path(&a.id), whitelist("x"), Auth::V2(service.clone()))
        .await
        .ok();
    let put = |condition: Value| {
        Req::method("PUT", &rule_path(&a.id))
            .json(&json!({"id": "only-b", "type": "advancedWhitelist", "condition": condition}))
            .auth(Auth::V2(service.clone()))
    };
    let held = app.send(put(json!({"add": "y"}))).await;
    assert_eq!(held.status, 202);
    // Removing an entry tightens: at once.
    let w = app.send(put(json!({"remove": "x"}))).await.ok();
    assert_eq!(
        w["admin"]["policy"]["rules"][0]["condition"]["entries"],
        json!([])
    );
    // The held change was asked of the rule as it was; approving it now would bring back "x".
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let snap = app.snapshot(RULES_AND_MONEY);
    let id = held.json()["id"].as_str().unwrap().to_string();
    let b = app
        .send(resolve(&id, "approved", &chazz))
        .await
        .expect_error(409);
    assert!(b["error"].as_str().unwrap().contains("changed"), "{b}");
    assert_eq!(app.snapshot(RULES_AND_MONEY), snap);
    app.send(resolve(&id, "rejected", &chazz)).await.ok();
}

#[actix_rt::test]
async fn a_rule_an_organization_admin_set_answers_only_to_organization_admins() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 64).await;
    let b = create_go_account(&app, &service, &child(&app), 65).await;
    let brennan = app.login(BRENNAN).await;
    app.post(
        &rule_path(&a.id),
        whitelist(&b.id),
        Auth::V2(brennan.clone()),
    )
    .await
    .ok();
    // The service user (the wallet's admin) can neither delete nor loosen nor tighten it.
    let snap = app.snapshot(RULES_AND_MONEY);
    let r = app
        .send(delete_rule(&a.id, &service))
        .await
        .expect_error(403);
    assert!(
        r["error"].as_str().unwrap().contains("organization admin"),
        "{r}"
    );
    for condition in [json!({"add": "elsewhere"}), json!({"remove": b.id})] {
        app.send(
            Req::method("PUT", &rule_path(&a.id))
                .json(&json!({"id": "only-b", "type": "advancedWhitelist", "condition": condition}))
                .auth(Auth::V2(service.clone())),
        )
        .await
        .expect_error(403);
    }
    let bulk = app
        .send(
            Req::method("PUT", "/api/v2/policy/rule/bulk")
                .json(
                    &json!({"updates": [{"walletId": a.id, "coin": "ofctusd", "id": "only-b",
                    "type": "advancedWhitelist", "action": {"type": "deny"},
                    "condition": {"add": {"item": "elsewhere", "type": "address"}}}]}),
                )
                .auth(Auth::V2(service.clone())),
        )
        .await
        .ok();
    assert_eq!(bulk["successes"], json!([]));
    assert!(bulk.get("pendingAdminApproval").is_none(), "{bulk}");
    assert_eq!(app.snapshot(RULES_AND_MONEY), snap);

    // Brennan deletes it: held for another organization admin. The child's end user (an
    // enterprise admin) may not approve it; Dale, once an organization admin, may.
    let r = app.send(delete_rule(&a.id, &brennan)).await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let snap = app.snapshot(RULES_AND_MONEY);
    app.send(resolve(&id, "approved", &chazz))
        .await
        .expect_error(403);
    assert_eq!(app.snapshot(RULES_AND_MONEY), snap);
    let org = app.demo.organization_id.clone();
    app.send(
        Req::method(
            "PUT",
            &format!(
                "/api/v2/organization/{org}/user?userId={}&role=admin",
                app.user_id(DALE)
            ),
        )
        .auth(Auth::Raw(brennan)),
    )
    .await
    .ok();
    let dale = app.login(DALE).await;
    app.send(resolve(&id, "approved", &dale)).await.ok();
    assert_eq!(
        app.count("SELECT count(*) FROM wallet_policy_rules WHERE rule_id = 'only-b'"),
        0
    );
}

#[actix_rt::test]
async fn loosening_an_organization_rule_or_whitelists_in_bulk_waits_for_another_admin() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 66).await;
    let brennan = app.login(BRENNAN).await;
    let org = app.demo.organization_id.clone();
    let rules = format!("/api/policy/v1/organizations/{org}/rules");
    let limit = |amount: &str| {
        json!({"id": "daily", "type": "velocityLimit", "coin": "ofctusd",
               "action": {"type": "deny"}, "condition": {"amountString": amount, "timeWindow": 86400}})
    };
    app.post(&rules, limit("1000"), Auth::V2(brennan.clone()))
        .await
        .ok();
    let first = app.get(&rules, Auth::V2(brennan.clone())).await.ok();
    // Lowering the limit applies; raising it waits.
    app.post(&rules, limit("500"), Auth::V2(brennan.clone()))
        .await
        .ok();
    let r = app
        .post(&rules, limit("5000"), Auth::V2(brennan.clone()))
        .await;
    assert_eq!(r.status, 202, "{:?}", r.json());
    assert_eq!(r.json()["scope"], "organization");
    let listed = app.get(&rules, Auth::V2(brennan.clone())).await.ok();
    let condition = &listed["rules"][0]["clauses"][0]["conditions"][0];
    assert_eq!(condition["parameters"]["amount"], "500");
    // The same rule (its id), another version of it (BitGo's uniqueId).
    let (was, is) = (&first["rules"][0], &listed["rules"][0]);
    assert_eq!(was["id"], is["id"]);
    assert_ne!(was["uniqueId"], is["uniqueId"]);

    // In bulk: a new whitelist applies, adding to it waits in one pendingAdminApproval.
    let update = |item: &str| {
        json!({"walletId": a.id, "coin": "ofctusd", "id": "bulk-wl", "type": "advancedWhitelist",
               "action": {"type": "deny"}, "condition": {"add": {"item": item, "type": "address"}}})
    };
    let bulk = |body: Value| {
        Req::method("PUT", "/api/v2/policy/rule/bulk")
            .json(&body)
            .auth(Auth::V2(service.clone()))
    };
    let first = app
        .send(bulk(json!({"updates": [update("first")]})))
        .await
        .ok();
    assert_eq!(first["successes"].as_array().unwrap().len(), 1);
    let snap = app.snapshot(&["wallet_policy_rules"]);
    let second = app
        .send(bulk(json!({"updates": [update("second")]})))
        .await
        .ok();
    assert_eq!(second["successes"], json!([]));
    let pending = &second["pendingAdminApproval"];
    assert_eq!(pending["info"]["type"], "policyRuleRequest");
    assert_eq!(pending["state"], "pending");
    assert_eq!(app.snapshot(&["wallet_policy_rules"]), snap);
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    app.send(resolve(pending["id"].as_str().unwrap(), "approved", &chazz))
        .await
        .ok();
    faucet(&app, &a.id, "ofctusd", 1_000).await;
    withdraw(&app, &service, &a, "ofctusd", "second", 100)
        .await
        .ok();
    // One update per wallet rule per request: the second is a failure, the first waits.
    let twice = app
        .send(bulk(
            json!({"updates": [update("third"), update("fourth")]}),
        ))
        .await
        .ok();
    assert_eq!(twice["failures"].as_array().unwrap().len(), 1, "{twice}");
    let updates = &twice["pendingAdminApproval"]["info"]["policyRuleRequest"];
    assert_eq!(updates["update"]["walletId"], a.id.as_str(), "{updates}");
}

#[actix_rt::test]
async fn two_held_loosenings_of_one_rule_approved_at_once_apply_one() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let a = create_go_account(&app, &service, &child(&app), 67).await;
    app.post(&rule_path(&a.id), whitelist("x"), Auth::V2(service.clone()))
        .await
        .ok();
    let mut ids = Vec::new();
    for item in ["y", "z"] {
        let r = app
            .send(
                Req::method("PUT", &rule_path(&a.id))
                    .json(&json!({"id": "only-b", "type": "advancedWhitelist",
                                  "condition": {"add": item}}))
                    .auth(Auth::V2(service.clone())),
            )
            .await;
        assert_eq!(r.status, 202);
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let (first, second) = futures_util::future::join(
        app.send(resolve(&ids[0], "approved", &chazz)),
        app.send(resolve(&ids[1], "approved", &chazz)),
    )
    .await;
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [200, 409],
        "{:?} {:?}",
        first.json(),
        second.json()
    );
    // Exactly one of the two entries was added; the other approval is still pending.
    let entries = app.count(
        "SELECT json_array_length(json_extract(condition, '$.items')) FROM wallet_policy_rules
         WHERE rule_id = 'only-b'",
    );
    assert_eq!(entries, 2);
    assert_eq!(
        app.count("SELECT count(*) FROM pending_approvals WHERE state = 'pending'"),
        1
    );
}
