//! The organization admin transacts on no enterprise of his organization: not on the parent
//! enterprise, not on a plain (non-CaaS) enterprise that belongs to the organization, whatever
//! the token; and no route hands him spend on a wallet there (creating one, a share). Each
//! refusal changes nothing; an enterprise admin who is not an organization admin still trades.

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::fixtures::insert_enterprise;
use crate::helpers::*;
use crate::wallets::*;

/// Everything a money route could write, and who holds what on a wallet.
const ROWS: &[&str] = &[
    "ledger_entries",
    "wallet_balances",
    "transfers",
    "tx_builds",
    "pending_approvals",
    "trade_orders",
    "trade_fills",
    "wallet_users",
];

/// An enterprise of the demo organization that is neither its parent nor a child
/// (`bitgoAsAService`), with Brennan and Dale as its admins.
fn plain_enterprise_of_the_organization(app: &TestApp) -> String {
    let id = "9a1e".to_string() + &"0".repeat(28);
    insert_enterprise(
        app,
        &id,
        "Prestige Plain",
        Some(&app.demo.organization_id),
        "bitgoAsAService",
        &[
            (BRENNAN, EnterprisePermission::Admin),
            (DALE, EnterprisePermission::Admin),
        ],
    );
    id
}

/// The wallet's users and their permissions, as the wallet document lists them.
async fn wallet_users(app: &TestApp, token: &str, wallet: &str) -> Vec<(String, Value)> {
    let w = app
        .get(
            &format!("/api/v2/ofc/wallet/{wallet}"),
            Auth::Raw(token.into()),
        )
        .await
        .ok();
    w["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["user"].as_str().unwrap().to_string(),
                u["permissions"].clone(),
            )
        })
        .collect()
}

/// Every money route on `wallet`, with a body that would otherwise succeed.
fn money_routes(wallet: &str, order_id: &str) -> Vec<(&'static str, String, Value)> {
    vec![
        (
            "POST",
            format!("/api/prime/trading/v1/accounts/{wallet}/orders"),
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "1"}),
        ),
        (
            "PUT",
            format!("/api/prime/trading/v1/accounts/{wallet}/orders/{order_id}/cancel"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v2/ofctusd/wallet/{wallet}/tx/build"),
            json!({"recipients": [{"address": "tb1q-outside", "amount": "100"}]}),
        ),
        (
            "POST",
            format!("/api/v2/ofctusd/wallet/{wallet}/tx/initiate"),
            json!({"recipients": [{"address": "tb1q-outside", "amount": "100"}]}),
        ),
        (
            "POST",
            "/api/fiat/v1/sandbox/transaction/simulate".into(),
            json!({"walletId": wallet, "currency": "USD", "amount": "100"}),
        ),
    ]
}

#[actix_rt::test]
async fn the_organization_admin_never_transacts_on_the_parent_or_any_enterprise_of_his_organization(
) {
    let app = spawn_app().await;
    let plain = plain_enterprise_of_the_organization(&app);
    let brennan_id = app.user_id(BRENNAN);
    let login = app.login(BRENNAN).await;
    let all = app.token_with(&["all"]).await;
    let seed = app.token_with(SEED_SCOPES).await;
    let dale = app.token_as(DALE, SEED_SCOPES).await;
    for (n, enterprise) in [app.demo.enterprise_id.clone(), plain].iter().enumerate() {
        // He adds his key and creates a Go Account: he administers and sees it, never spends.
        let mine = create_go_account(&app, &login, enterprise, 60 + n as u8).await;
        assert_eq!(
            wallet_users(&app, &login, &mine.id).await,
            [(brennan_id.clone(), json!(["admin", "view"]))]
        );
        faucet(&app, &mine.id, "ofctusd", 100_000_000).await;
        // A resting order of Dale's on Dale's own account, which Brennan tries to cancel.
        let dales = create_go_account(&app, &dale, enterprise, 70 + n as u8).await;
        faucet(&app, &dales.id, "ofctusd", 100_000_000).await;
        let resting = app
            .post(
                &format!("/api/prime/trading/v1/accounts/{}/orders", dales.id),
                json!({"product": "BTC-USD", "type": "limit", "side": "buy", "quantity": "0.01", "limitPrice": "1000"}),
                Auth::Raw(dale.clone()),
            )
            .await
            .ok();
        let order_id = resting["id"].as_str().unwrap();
        for wallet in [&mine.id, &dales.id] {
            for token in [&login, &all, &seed] {
                for (method, path, body) in money_routes(wallet, order_id) {
                    let before = app.snapshot(ROWS);
                    let r = app
                        .send(
                            Req::method(method, &path)
                                .json(&body)
                                .auth(Auth::V2(token.clone())),
                        )
                        .await;
                    assert_eq!(r.status, 403, "{method} {path}: {:?}", r.json());
                    let b = r.json();
                    let name = b.get("name").or(b.get("errorName")).cloned();
                    assert_eq!(
                        name,
                        Some(json!("OrganizationAdminCannotTransact")),
                        "{path}: {b}"
                    );
                    assert_eq!(
                        app.snapshot(ROWS),
                        before,
                        "{method} {path} changed something"
                    );
                }
            }
        }
        // Nobody hands him spend on a wallet of his organization either.
        for (grantor, wallet) in [(&login, &mine.id), (&dale, &dales.id)] {
            for permission in ["spend", "admin", "spend,view"] {
                let before = app.snapshot(ROWS);
                let b = app
                    .post(
                        &format!("/api/v2/ofc/wallet/{wallet}/share"),
                        json!({"user": BRENNAN, "permission": permission}),
                        Auth::Raw(grantor.clone()),
                    )
                    .await
                    .expect_error(403);
                assert_eq!(b["name"], "OrganizationAdminCannotTransact", "{b}");
                assert_eq!(app.snapshot(ROWS), before);
            }
        }
        // Dale, an admin of the same enterprise but no organization admin, trades there.
        let o = app
            .post(
                &format!("/api/prime/trading/v1/accounts/{}/orders", dales.id),
                json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "1"}),
                Auth::Raw(dale.clone()),
            )
            .await
            .ok();
        assert_eq!(o["status"], "completed");
    }
}
