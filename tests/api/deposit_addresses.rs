//! Deposit addresses of a Go Account: created as the SDK's `wallet.createAddress({onToken})`
//! sends it, read back by address or id, listed after the receive address; bad input and every
//! refusal write nothing, and the organization admin, who sees the Go Account, creates none.

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::wallets::*;
use crate::webhooks::*;

async fn create(app: &TestApp, token: &str, wallet: &str, body: Value) -> Resp {
    app.post(
        &format!("/api/v2/ofc/wallet/{wallet}/address"),
        body,
        Auth::V2(token.to_string()),
    )
    .await
}

#[actix_rt::test]
async fn addresses_are_created_read_back_and_listed_in_bitgos_shape() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 81).await;
    let first = create(
        &app,
        &token,
        &acct.id,
        json!({"onToken": "ofctbtc", "label": "a"}),
    )
    .await
    .ok();
    let second = create(&app, &token, &acct.id, json!({"onToken": "ofctbtc"}))
        .await
        .ok();
    assert_eq!(
        (&first["chain"], &first["index"], &second["index"]),
        (&json!(1), &json!(1), &json!(2)),
        "{first} {second}"
    );
    assert_eq!(first["coinSpecific"]["onToken"], "ofctbtc");
    assert_eq!(first["coinSpecific"]["underlyingCoin"], "tbtc");
    assert_eq!(first["wallet"], acct.id.as_str());
    assert_eq!(first["label"], "a");
    for key in [&first["address"], &first["id"]] {
        let got = app
            .get(
                &format!(
                    "/api/v2/ofc/wallet/{}/address/{}",
                    acct.id,
                    key.as_str().unwrap()
                ),
                Auth::V2(token.clone()),
            )
            .await
            .ok();
        assert_eq!(got, first);
    }
    let list = app
        .get(
            &format!("/api/v2/ofc/wallet/{}/addresses", acct.id),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    let ids: Vec<&Value> = list["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    assert_eq!(ids, [&json!(acct.id), &first["id"], &second["id"]]);
    assert_eq!(list["totalAddressCount"], 3);
}

#[actix_rt::test]
async fn bad_addresses_and_refused_callers_write_nothing() {
    let app = spawn_app().await;
    let (token, acct) = go_account(&app, 82).await;
    let before = app.snapshot(&["wallet_addresses", "webhook_notifications"]);
    for (body, status) in [
        (json!({}), 400),
        (json!({"onToken": "ofcnosuch"}), 400),
        (json!({"onToken": "ofctbtc", "chain": 7}), 400),
        (json!({"onToken": "ofctbtc", "label": "x".repeat(300)}), 400),
        (json!({"onToken": 5}), 400),
    ] {
        let e = create(&app, &token, &acct.id, body.clone()).await;
        e.expect_error(status);
    }
    // The organization admin sees the Go Account and still creates nothing on it.
    let brennan = app.token_as(BRENNAN, SEED_SCOPES).await;
    app.get(
        &format!("/api/v2/ofc/wallet/{}", acct.id),
        Auth::V2(brennan.clone()),
    )
    .await
    .ok();
    let e = create(&app, &brennan, &acct.id, json!({"onToken": "ofctbtc"})).await;
    assert_eq!(
        e.expect_error(403)["name"],
        "OrganizationAdminCannotTransact"
    );
    // A member who may only view is refused; a stranger learns nothing; a view token is short.
    join_child(&app, DALE, EnterprisePermission::Member, false);
    app.post(
        &format!("/api/v2/ofc/wallet/{}/share", acct.id),
        json!({"user": DALE, "permission": "view"}),
        Auth::V2(token.clone()),
    )
    .await
    .ok();
    let dale = app.token_as(DALE, SEED_SCOPES).await;
    let e = create(&app, &dale, &acct.id, json!({"onToken": "ofctbtc"})).await;
    assert_eq!(e.expect_error(403)["name"], "Forbidden");
    app.add_outsider("stranger@elsewhere.test");
    let stranger = app.token_as("stranger@elsewhere.test", SEED_SCOPES).await;
    let e = create(&app, &stranger, &acct.id, json!({"onToken": "ofctbtc"})).await;
    assert_eq!(e.expect_error(404)["name"], "NotFound");
    let viewer = app.token_as(SERVICE, &["wallet_view_all"]).await;
    let e = create(&app, &viewer, &acct.id, json!({"onToken": "ofctbtc"})).await;
    assert_eq!(e.expect_error(403)["name"], "InsufficientScope");
    assert_eq!(
        app.snapshot(&["wallet_addresses", "webhook_notifications"]),
        before
    );
}
