//! Trading under `/api/prime/trading/v1`: market and limit orders against the configured
//! price, holds, cancels, trades, the trading error body, KYC and the organization admin.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::*;

const T: &str = "/api/prime/trading/v1";

/// Places an order on `account` with a v2-signed request.
pub async fn order(app: &TestApp, token: &str, account: &str, body: Value) -> Resp {
    app.post(
        &format!("{T}/accounts/{account}/orders"),
        body,
        Auth::V2(token.into()),
    )
    .await
}

#[actix_rt::test]
async fn a_market_buy_fills_at_the_configured_price_and_moves_the_ledger() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 31).await;
    faucet(&app, &acct.id, "ofctusd", 10_000_000).await; // 100,000.00 USD
    let me = app
        .get(&format!("{T}/user/current"), Auth::V2(token.clone()))
        .await
        .ok();
    assert_eq!(me["email"], SERVICE);
    let accounts = app
        .get(&format!("{T}/accounts"), Auth::V2(token.clone()))
        .await
        .ok();
    assert!(accounts["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == acct.id.as_str()));
    let o = order(
        &app,
        &token,
        &acct.id,
        json!({"clientOrderId": "c1", "product": "BTC-USD", "type": "market",
        "side": "buy", "quantity": "0.5", "quantityCurrency": "BTC"}),
    )
    .await
    .ok();
    assert_eq!(o["status"], "completed");
    assert_eq!(o["filledQuantity"], "0.5");
    assert_eq!(o["filledQuoteQuantity"], "30000");
    assert_eq!(o["averagePrice"], "60000");
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (7_000_000, 0));
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (50_000_000, 0));
    let b = app
        .get(
            &format!("{T}/accounts/{}/balances", acct.id),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    let btc = b["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["currency"] == "BTC")
        .unwrap()
        .clone();
    assert_eq!(btc["balance"], "0.5");
    let trades = app
        .get(
            &format!("{T}/accounts/{}/trades", acct.id),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    assert_eq!(trades["data"][0]["price"], "60000");
    // The same clientOrderId again: 409 backend:common:inUse.
    let r = order(
        &app,
        &token,
        &acct.id,
        json!({"clientOrderId": "c1", "product": "BTC-USD", "type": "market",
        "side": "sell", "quantity": "0.1"}),
    )
    .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["errorName"], "backend:common:inUse");
    // Selling more than held: backend:trade:insufficientFunds, nothing written.
    let before = app.snapshot(&["ledger_entries", "trade_orders"]);
    let r = order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "market", "side": "sell", "quantity": "1"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errorName"], "backend:trade:insufficientFunds");
    assert!(r.json()["reqId"].as_str().unwrap().starts_with("unk-"));
    assert_eq!(app.snapshot(&["ledger_entries", "trade_orders"]), before);
    let products = app
        .get(
            &format!("{T}/accounts/{}/products", acct.id),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    assert!(products["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "BTC-USD"));
    app.get(
        &format!("{T}/accounts/{}/currencies", acct.id),
        Auth::V2(token),
    )
    .await
    .ok();
}

#[actix_rt::test]
async fn a_limit_order_rests_holding_funds_and_fills_when_the_price_crosses() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 32).await;
    faucet(&app, &acct.id, "ofctusd", 10_000_000).await;
    let o = order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "limit", "side": "buy",
        "quantity": "1", "limitPrice": "50000"}),
    )
    .await
    .ok();
    assert_eq!(o["status"], "open");
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (5_000_000, 5_000_000));
    // A second one, cancelled: its hold comes back.
    let o2 = order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "limit", "side": "buy",
        "quantity": "0.1", "limitPrice": "40000"}),
    )
    .await
    .ok();
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (4_600_000, 5_400_000));
    let id2 = o2["id"].as_str().unwrap();
    let c = app
        .send(
            Req::method(
                "PUT",
                &format!("{T}/accounts/{}/orders/{id2}/cancel", acct.id),
            )
            .auth(Auth::V3(token.clone())),
        )
        .await
        .ok();
    assert_eq!(c["status"], "canceled");
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (5_000_000, 5_000_000));
    let again = app
        .send(
            Req::method(
                "PUT",
                &format!("{T}/accounts/{}/orders/{id2}/cancel", acct.id),
            )
            .auth(Auth::V3(token.clone())),
        )
        .await;
    assert_eq!(again.status, 400);
    // The price falls to 45,000: the first fills at 45,000 and the rest of its hold returns.
    let r = app
        .send(Req::method("PUT", "/sandbox/prices/ofctbtc").json(&json!({"usd": "45000"})))
        .await
        .ok();
    assert_eq!(r["filledOrders"], 1);
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (5_500_000, 0));
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (100_000_000, 0));
    let id = o["id"].as_str().unwrap();
    let got = app
        .get(
            &format!("{T}/accounts/{}/orders/{id}", acct.id),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    assert_eq!(got["status"], "completed");
    let open = app
        .get(
            &format!("{T}/accounts/{}/orders?status=open", acct.id),
            Auth::V2(token),
        )
        .await
        .ok();
    assert_eq!(open["data"].as_array().unwrap().len(), 0);
}

#[actix_rt::test]
async fn bad_orders_get_the_trading_error_body() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 33).await;
    for (body, name) in [
        (
            json!({"product": "DOGE-USD", "type": "market", "side": "buy", "quantity": "1"}),
            "backend:trade:unsupportedProduct",
        ),
        (
            json!({"product": "BTC-USD", "type": "market", "side": "buy"}),
            "backend:common:required",
        ),
        (
            json!({"product": "BTC-USD", "type": "twap", "side": "buy", "quantity": "1"}),
            "backend:common:invalidArgument",
        ),
        (
            json!({"product": "BTC-USD", "type": "limit", "side": "buy", "quantity": "1"}),
            "backend:common:required",
        ),
        (
            json!({"product": "BTC-USD", "type": "market", "side": "sell", "quantity": "1", "quantityCurrency": "USD"}),
            "backend:trade:invalidUserIntent",
        ),
        (
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "1", "fundingType": "margin"}),
            "backend:trade:productMarginTradingDisabled",
        ),
        (
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "1"}),
            "backend:trade:insufficientFunds",
        ),
    ] {
        let r = order(&app, &token, &acct.id, body.clone()).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.json()["errorName"], name, "{body}");
    }
    let view_only = app.token_as(SERVICE, &["trade_view"]).await;
    let r = order(
        &app,
        &view_only,
        &acct.id,
        json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "1"}),
    )
    .await;
    assert_eq!(r.status, 403);
}

#[actix_rt::test]
async fn a_child_enterprise_trades_only_after_its_kyc_is_approved() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 34).await;
    faucet(&app, &acct.id, "ofctusd", 10_000_000).await;
    // The child's KYC back to pending: its enterprise document as a seeding fixture, but for
    // `kycState`.
    let e = app
        .get(
            &format!("/api/v2/enterprise/{}", child(&app)),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    app.seed(json!({"enterprises": [{
        "key": "child", "id": e["id"], "name": e["name"], "organization": e["organizationId"],
        "businessModel": e["businessModel"], "accountType": e["accountType"],
        "kycState": "pending",
    }]}));
    let r = order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.01"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errorName"], "backend:trade:KYCNotApproved");
}

#[actix_rt::test]
async fn the_organization_admin_reads_but_never_trades() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 35).await;
    faucet(&app, &acct.id, "ofctusd", 10_000_000).await;
    let open = order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "limit", "side": "buy",
        "quantity": "0.1", "limitPrice": "1000"}),
    )
    .await
    .ok();
    let id = open["id"].as_str().unwrap().to_string();
    for scopes in [&["all"][..], SEED_SCOPES, &["trade_trade", "trade_view"]] {
        let brennan = app.token_with(scopes).await;
        let before = app.snapshot(&[
            "ledger_entries",
            "wallet_balances",
            "trade_orders",
            "trade_fills",
        ]);
        let r = order(
            &app,
            &brennan,
            &acct.id,
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.01"}),
        )
        .await;
        assert_eq!(r.status, 403);
        assert_eq!(r.json()["errorName"], "OrganizationAdminCannotTransact");
        let r = app
            .send(
                Req::method(
                    "PUT",
                    &format!("{T}/accounts/{}/orders/{id}/cancel", acct.id),
                )
                .auth(Auth::V2(brennan.clone())),
            )
            .await;
        assert_eq!(r.status, 403);
        assert_eq!(r.json()["errorName"], "OrganizationAdminCannotTransact");
        assert_eq!(
            app.snapshot(&[
                "ledger_entries",
                "wallet_balances",
                "trade_orders",
                "trade_fills"
            ]),
            before
        );
        if scopes.contains(&"trade_view") || scopes.contains(&"all") {
            app.get(
                &format!("{T}/accounts/{}/balances", acct.id),
                Auth::V2(brennan.clone()),
            )
            .await
            .ok();
            app.get(
                &format!("{T}/accounts/{}/orders", acct.id),
                Auth::V2(brennan),
            )
            .await
            .ok();
        }
    }
}

#[actix_rt::test]
async fn a_new_child_enterprise_trades_once_its_kyc_decision_comes_on_the_clock() {
    let k = crate::kyc::Kyc::new().await;
    let app = &k.app;
    let acct = create_go_account(app, &k.service, &k.enterprise, 36).await;
    faucet(app, &acct.id, "ofctusd", 1_000_000).await;
    let buy = json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.001"});
    let r = order(app, &k.service, &acct.id, buy.clone()).await;
    assert_eq!(r.json()["errorName"], "backend:trade:KYCNotApproved");
    k.submit(k.body(), &k.service).await.ok();
    app.advance_clock(crate::kyc::DECISION + 1);
    let o = order(app, &k.service, &acct.id, buy).await.ok();
    assert_eq!(o["status"], "completed");
}
