//! Races on money: an approval and a rejection of the same held withdrawal at once, and a
//! burst of market orders against a balance for half of them. Nothing is applied twice and
//! nothing is overdrawn; every balance equals the sum of its rows.

use orgbox::domain::role::EnterprisePermission;
use serde_json::json;

use crate::helpers::*;
use crate::wallets::*;

#[actix_rt::test]
async fn approving_and_rejecting_a_held_withdrawal_at_once_applies_exactly_one() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 51).await;
    faucet(&app, &acct.id, "ofctbtc", 1_000_000_000).await;
    // Two video approvers of the child: the seeded end user and Dale.
    join_child(&app, DALE, EnterprisePermission::Admin, true);
    let chazz = app.token_as(CHAZZ, &["pending_approval_update"]).await;
    let dale = app.token_as(DALE, &["pending_approval_update"]).await;
    for round in 0..5 {
        let r = withdraw(&app, &service, &acct, "ofctbtc", "tb1qrace", 500_000_000).await;
        assert_eq!(r.status, 202, "round {round}: {:?}", r.json());
        let id = r.json()["pendingApproval"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let put = |token: String, state: &'static str| {
            let (app, id) = (&app, id.clone());
            async move {
                app.send(
                    Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
                        .json(&json!({"state": state, "otp": "000000"}))
                        .auth(Auth::Raw(token)),
                )
                .await
            }
        };
        let (a, b) = futures_util::future::join(
            put(chazz.clone(), "approved"),
            put(dale.clone(), "rejected"),
        )
        .await;
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "round {round}");
        let (available, held) = balance(&app, &acct.id, "ofctbtc");
        assert_eq!(held, 0, "round {round}: nothing stays held");
        assert!(
            available == 500_000_000 || available == 1_000_000_000,
            "round {round}: {available}"
        );
        if available == 500_000_000 {
            // It went out: top up for the next round.
            faucet(&app, &acct.id, "ofctbtc", 500_000_000).await;
        }
    }
}

#[actix_rt::test]
async fn parallel_market_orders_never_overdraw() {
    let app = spawn_app().await;
    let service = service_token(&app).await;
    let acct = create_go_account(&app, &service, &child(&app), 52).await;
    // 0.001 BTC at 60,000 USD is 60.00 USD: 6,000 cents buy 100 orders, 200 are sent.
    faucet(&app, &acct.id, "ofctusd", 600_000).await;
    let path = format!("/api/prime/trading/v1/accounts/{}/orders", acct.id);
    let orders = (0..200).map(|_| {
        app.post(
            &path,
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.001"}),
            Auth::Raw(service.clone()),
        )
    });
    let results = futures_util::future::join_all(orders).await;
    let filled = results.iter().filter(|r| r.status == 200).count();
    assert!(results
        .iter()
        .all(|r| r.status == 200 || r.json()["errorName"] == "backend:trade:insufficientFunds"));
    assert_eq!(filled, 100);
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (0, 0));
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (10_000_000, 0));
}
