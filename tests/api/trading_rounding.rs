//! Trade rounding never creates money: a buyer pays the USD value rounded up, a seller
//! receives it rounded down, on market fills, limit fills and resting orders matched later.

use serde_json::json;

use crate::helpers::*;
use crate::trading::order;
use crate::wallets::*;

#[actix_rt::test]
async fn two_hundred_dust_buys_then_one_sell_never_leave_more_usd_than_before() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 41).await;
    faucet(&app, &acct.id, "ofctusd", 10_000).await; // 100.00 USD
                                                     // 0.00000033 BTC at 60,000 USD is worth 1.98 cents: each buy costs 2 cents, not 1.
    for _ in 0..200 {
        let o = order(
            &app,
            &token,
            &acct.id,
            json!({"product": "BTC-USD", "type": "market", "side": "buy",
                "quantity": "0.00000033"}),
        )
        .await
        .ok();
        assert_eq!(o["filledQuoteQuantity"], "0.02", "{o}");
    }
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (10_000 - 400, 0));
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (6_600, 0));
    // Selling the lot (3.96 USD at the same price) gets back no more than was paid.
    let o = order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "market", "side": "sell", "quantity": "0.000066"}),
    )
    .await
    .ok();
    assert_eq!(o["filledQuoteQuantity"], "3.96", "{o}");
    let (usd, held) = balance(&app, &acct.id, "ofctusd");
    assert!(
        usd + held <= 10_000,
        "rounding made {} cents",
        usd + held - 10_000
    );
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (0, 0));
}

#[actix_rt::test]
async fn a_resting_dust_buy_pays_its_rounded_up_price_and_a_sell_gets_the_rounded_down_one() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 42).await;
    faucet(&app, &acct.id, "ofctusd", 10_000).await;
    faucet(&app, &acct.id, "ofctbtc", 1_000).await;
    // 0.00000033 BTC at a 59,999 limit is worth 1.97997 cents: the hold is 2 cents.
    order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "limit", "side": "buy",
            "quantity": "0.00000033", "limitPrice": "59999"}),
    )
    .await
    .ok();
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (9_998, 2));
    // A sell resting at 61,000: 0.00000033 BTC is worth 2.013 cents there.
    order(
        &app,
        &token,
        &acct.id,
        json!({"product": "BTC-USD", "type": "limit", "side": "sell",
            "quantity": "0.00000033", "limitPrice": "61000"}),
    )
    .await
    .ok();
    // The price falls to 30,000.01 (the buy is worth 0.99 cents): it still pays a whole cent.
    let r = app
        .send(Req::method("PUT", "/sandbox/prices/ofctbtc").json(&json!({"usd": "30000.01"})))
        .await
        .ok();
    assert_eq!(r["filledOrders"], 1);
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (9_999, 0));
    // It rises to 61,000.99 (the sell is worth 2.01 cents): the seller gets 2.
    let r = app
        .send(Req::method("PUT", "/sandbox/prices/ofctbtc").json(&json!({"usd": "61000.99"})))
        .await
        .ok();
    assert_eq!(r["filledOrders"], 1);
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (10_001, 0));
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (1_000, 0));
}
