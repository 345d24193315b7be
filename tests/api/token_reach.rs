//! Where a token reaches: one bound to an enterprise (`enterprise` at creation) acts only
//! there, whatever its scopes; `*_enterprise` scopes reach only the bound enterprise, and
//! per-wallet scopes only their wallet. Every refusal changes nothing.

use serde_json::json;

use crate::helpers::*;
use crate::spending::{buy, ROWS};
use crate::wallets::*;

#[actix_rt::test]
async fn enterprise_bound_tokens_and_narrow_spend_scopes_act_only_where_they_reach() {
    let app = spawn_app().await;
    let child = child(&app);
    let service = service_token(&app).await;
    let here = create_go_account(&app, &service, &child, 83).await;
    let there = create_go_account(&app, &service, &child, 84).await;
    let parent = create_go_account(&app, &service, &app.demo.enterprise_id, 85).await;
    for a in [&here, &there, &parent] {
        faucet(&app, &a.id, "ofctusd", 10_000).await;
    }
    let login = app.login(SERVICE).await;
    let make = |scopes: Vec<String>, enterprise: Option<&str>| {
        let (app, login) = (&app, login.clone());
        let extra = match enterprise {
            Some(e) => json!({"enterprise": e}),
            None => json!({}),
        };
        async move {
            let names: Vec<&str> = scopes.iter().map(String::as_str).collect();
            app.create_token(&login, &names, extra).await["token"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let bound = make(strings(SEED_SCOPES), Some(&child)).await;
    let spend_enterprise_bound = make(strings(&["wallet_spend_enterprise"]), Some(&child)).await;
    let spend_enterprise_unbound = make(strings(&["wallet_spend_enterprise"]), None).await;
    let spend_here = make(vec![format!("wallet_spend:{}", here.id)], None).await;
    let spend_bare = make(strings(&["wallet_spend"]), None).await;
    let view_enterprise_bound = make(strings(&["wallet_view_enterprise"]), Some(&child)).await;
    let build = |token: &str, acct: &GoAccount| {
        Req::post(&format!("/api/v2/ofctusd/wallet/{}/tx/build", acct.id))
            .json(&json!({"recipients": [{"address": "tb1q-outside", "amount": "1"}]}))
            .auth(Auth::Raw(token.into()))
    };
    // Where they reach, they spend.
    for (token, acct) in [
        (&bound, &here),
        (&spend_enterprise_bound, &here),
        (&spend_enterprise_bound, &there),
        (&spend_here, &here),
    ] {
        app.send(build(token, acct)).await.ok();
    }
    let before = app.snapshot(ROWS);
    // A bound token elsewhere: refused on every route, whatever its scopes.
    let r = app.send(build(&bound, &parent)).await.expect_error(403);
    assert!(r["error"].as_str().unwrap().contains(&child), "{r}");
    app.get(
        &format!("/api/v2/ofc/wallet/{}", parent.id),
        Auth::Raw(bound.clone()),
    )
    .await
    .expect_error(403);
    let r = app.send(buy(&bound, &parent, "0.001")).await;
    assert_eq!(
        (r.status, r.json()["errorName"].clone()),
        (403, json!("backend:common:forbidden"))
    );
    let r = app
        .post(
            "/api/fiat/v1/sandbox/transaction/simulate",
            json!({"walletId": parent.id, "currency": "USD", "amount": "100"}),
            Auth::Raw(bound.clone()),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["errorName"].clone()),
        (403, json!("Forbidden"))
    );
    app.send(build(&spend_enterprise_bound, &parent))
        .await
        .expect_error(403);
    let enterprise_transfers = |e: &str| format!("/api/v2/enterprise/{e}/transfer");
    app.get(
        &enterprise_transfers(&app.demo.enterprise_id),
        Auth::Raw(bound.clone()),
    )
    .await
    .expect_error(403);
    app.get(&enterprise_transfers(&child), Auth::Raw(bound.clone()))
        .await
        .ok();
    app.get(
        &format!("/api/v2/ofc/wallet/{}", parent.id),
        Auth::Raw(view_enterprise_bound.clone()),
    )
    .await
    .expect_error(403);
    let r = app
        .post(
            "/api/v2/ofc/wallet/add",
            json!({"label": "x", "type": "trading", "enterprise": app.demo.enterprise_id, "keys": ["0".repeat(32)]}),
            Auth::Raw(bound.clone()),
        )
        .await
        .expect_error(403);
    assert!(
        r["error"]
            .as_str()
            .unwrap()
            .contains("created for enterprise"),
        "{r}"
    );
    // Scopes that reach no wallet here: an unbound `_enterprise` scope, another wallet's,
    // the bare per-wallet name.
    for (token, acct) in [
        (&spend_enterprise_unbound, &here),
        (&spend_here, &there),
        (&spend_bare, &here),
    ] {
        let b = app.send(build(token, acct)).await.expect_error(403);
        assert_eq!(b["context"]["requiredScope"], "wallet_spend_all", "{b}");
    }
    assert_eq!(app.snapshot(ROWS), before);
    // The bound view token reads its own enterprise's wallets.
    app.get(
        &format!("/api/v2/ofc/wallet/{}", here.id),
        Auth::Raw(view_enterprise_bound),
    )
    .await
    .ok();
}
