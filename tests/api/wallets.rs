//! Go Accounts: the SDK's generateWallet flow over HTTP, get and list, addresses, the
//! deposit simulator and the faucet; shared arrangements for the money tests.

use orgbox::auth::signed_message;
use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::helpers::*;

/// A Go Account made through the API, with the private key that signs for it.
pub struct GoAccount {
    /// Wallet id.
    pub id: String,
    /// The user key's xprv.
    pub xprv: String,
}

/// The demo child enterprise's id.
pub fn child(app: &TestApp) -> String {
    app.demo.children[0].enterprise_id.clone()
}

/// Makes `email` a member of the demo child enterprise with `permission`, and one of its video
/// approvers when `video_approver`, through the control plane (as BitGo support would: no
/// approval, no mail); returns the user's id.
pub fn join_child(
    app: &TestApp,
    email: &str,
    permission: EnterprisePermission,
    video_approver: bool,
) -> String {
    let mut member = json!({"email": email, "permissions": [permission.as_str()]});
    if video_approver {
        member["videoApprover"] = json!(true);
    }
    let path = format!("/sandbox/enterprises/{}/members", child(app));
    app.control(Req::post(&path).json(&member)).ok()["userId"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Creates a Go Account in `enterprise` as the holder of `token` (key, then wallet/add).
pub async fn create_go_account(
    app: &TestApp,
    token: &str,
    enterprise: &str,
    seed: u8,
) -> GoAccount {
    let (xprv, xpub) = signed_message::key_pair(&[seed; 32]).unwrap();
    let key = app
        .post(
            "/api/v2/ofc/key",
            json!({"pub": xpub, "encryptedPrv": "{\"iv\":\"x\"}", "originalPasscodeEncryptionCode": "code",
                   "keyType": "independent", "source": "user"}),
            Auth::V2(token.into()),
        )
        .await
        .ok();
    let wallet = app
        .post(
            "/api/v2/ofc/wallet/add",
            json!({"label": "Go Account", "m": 1, "n": 1, "type": "trading", "enterprise": enterprise,
                   "keys": [key["id"]]}),
            Auth::V2(token.into()),
        )
        .await
        .ok();
    GoAccount {
        id: wallet["id"].as_str().unwrap().to_string(),
        xprv,
    }
}

/// Credits `amount` base units of `asset` through the control-plane faucet.
pub async fn faucet(app: &TestApp, wallet: &str, asset: &str, amount: i64) {
    app.post(
        &format!("/sandbox/wallets/{wallet}/faucet"),
        json!({"asset": asset, "amount": amount.to_string()}),
        Auth::None,
    )
    .await
    .ok();
}

/// The service user's long-lived token with seed 000's scopes.
pub async fn service_token(app: &TestApp) -> String {
    app.token_as(SERVICE, SEED_SCOPES).await
}

/// Builds and sends a signed withdrawal; returns the send reply.
pub async fn withdraw(
    app: &TestApp,
    token: &str,
    acct: &GoAccount,
    asset: &str,
    to: &str,
    amount: i64,
) -> Resp {
    let built = app
        .post(
            &format!("/api/v2/{asset}/wallet/{}/tx/build", acct.id),
            json!({"recipients": [{"address": to, "amount": amount.to_string()}]}),
            Auth::V2(token.into()),
        )
        .await;
    if built.status != 200 {
        return built;
    }
    let payload = built.json()["payload"].as_str().unwrap().to_string();
    let signature = signed_message::sign(&acct.xprv, &payload).unwrap();
    app.post(
        &format!("/api/v2/{asset}/wallet/{}/tx/send", acct.id),
        json!({"halfSigned": {"payload": payload, "signature": signature}}),
        Auth::V2(token.into()),
    )
    .await
}

/// The ledger's available and held of one asset, and whether they equal the sum of rows (as
/// `GET /sandbox/wallets/{id}/ledger` shows them).
pub fn balance(app: &TestApp, wallet: &str, asset: &str) -> (i64, i64) {
    let ledger = app
        .control(Req::get(&format!("/sandbox/wallets/{wallet}/ledger")))
        .ok();
    let units = |v: &Value| v.as_str().unwrap().parse::<i64>().unwrap();
    let (b, sum) = ledger["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["asset"] == asset)
        .map_or(((0, 0), (0, 0)), |b| {
            let s = &b["sumOfRows"];
            (
                (units(&b["available"]), units(&b["held"])),
                (units(&s["available"]), units(&s["held"])),
            )
        });
    assert_eq!(b, sum, "the balance equals the sum of its ledger rows");
    b
}

#[actix_rt::test]
async fn the_service_user_creates_a_go_account_in_the_child_enterprise() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 3).await;
    let w = app
        .get(
            &format!("/api/v2/ofc/wallet/{}", acct.id),
            Auth::V2(token.clone()),
        )
        .await
        .ok();
    assert_eq!(w["type"], "trading");
    assert_eq!(w["coin"], "ofc");
    assert_eq!(w["enterprise"], child(&app));
    assert_eq!(
        w["users"][0]["permissions"],
        json!(["admin", "spend", "view"])
    );
    let list = app
        .get(
            &format!("/api/v2/wallets?type=trading&enterprise={}", child(&app)),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    assert!(list["wallets"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == acct.id.as_str()));
    let mine = app
        .get("/api/v2/ofc/wallet", Auth::V3(token.clone()))
        .await
        .ok();
    assert!(mine["wallets"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == acct.id.as_str()));
    let addresses = app
        .get(
            &format!("/api/v2/ofc/wallet/{}/addresses", acct.id),
            Auth::Raw(token),
        )
        .await
        .ok();
    assert_eq!(
        addresses["addresses"][0]["address"],
        format!("bg-{}", acct.id)
    );
}

#[actix_rt::test]
async fn a_bad_key_or_wallet_body_is_refused_and_outsiders_cannot_create() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let r = app
        .post(
            "/api/v2/ofc/key",
            json!({"pub": "xpubnope"}),
            Auth::Raw(token.clone()),
        )
        .await;
    assert_eq!(r.expect_error(400)["name"], "InvalidRequest");
    let (_, xpub) = signed_message::key_pair(&[9; 32]).unwrap();
    let key = app
        .post(
            "/api/v2/ofc/key",
            json!({"pub": xpub}),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    for body in [
        json!({"label": "x", "type": "hot", "enterprise": child(&app), "keys": [key["id"]]}),
        json!({"label": "x", "type": "trading", "m": 2, "enterprise": child(&app), "keys": [key["id"]]}),
        json!({"label": "x", "type": "trading", "enterprise": child(&app), "keys": []}),
        json!({"type": "trading", "enterprise": child(&app), "keys": [key["id"]]}),
    ] {
        app.post("/api/v2/ofc/wallet/add", body, Auth::Raw(token.clone()))
            .await
            .expect_error(400);
    }
    app.add_outsider("out@example.test");
    let outsider = app.token_as("out@example.test", &["wallet_create"]).await;
    let okey = app
        .post(
            "/api/v2/ofc/key",
            json!({"pub": xpub}),
            Auth::Raw(outsider.clone()),
        )
        .await
        .ok();
    let before = app.snapshot(&["wallets", "wallet_users"]);
    let r = app
        .post(
            "/api/v2/ofc/wallet/add",
            json!({"label": "x", "type": "trading", "enterprise": child(&app), "keys": [okey["id"]]}),
            Auth::Raw(outsider),
        )
        .await;
    r.expect_error(403);
    assert_eq!(app.snapshot(&["wallets", "wallet_users"]), before);
}

#[actix_rt::test]
async fn deposits_and_the_faucet_credit_the_ledger_and_the_wallet_shows_it() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 4).await;
    let r = app
        .post(
            "/api/fiat/v1/sandbox/transaction/simulate",
            json!({"walletId": acct.id, "currency": "USD", "amount": "5000", "type": "wire"}),
            Auth::Raw(token.clone()),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    faucet(&app, &acct.id, "ofctbtc", 1_000).await;
    assert_eq!(balance(&app, &acct.id, "ofctusd"), (5000, 0));
    let w = app
        .get(
            &format!("/api/v2/ofctbtc/wallet/{}", acct.id),
            Auth::Raw(token.clone()),
        )
        .await
        .ok();
    assert_eq!(w["balanceString"], "1000");
    assert_eq!(w["spendableBalanceString"], "1000");
    let transfers = app
        .get(
            &format!("/api/v2/ofc/wallet/{}/transfer", acct.id),
            Auth::Raw(token),
        )
        .await
        .ok();
    assert_eq!(transfers["transfers"].as_array().unwrap().len(), 2);
    let ledger = app
        .get(&format!("/sandbox/wallets/{}/ledger", acct.id), Auth::None)
        .await
        .ok();
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 2);
    for body in [
        json!({"asset": "ofcxyz", "amount": "1"}),
        json!({"asset": "ofctbtc", "amount": "-5"}),
    ] {
        let r = app
            .post(
                &format!("/sandbox/wallets/{}/faucet", acct.id),
                body,
                Auth::None,
            )
            .await;
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["code"], "invalid_request");
    }
    assert_eq!(balance(&app, &acct.id, "ofctbtc"), (1000, 0));
}

/// Every Go Account read stays open to the organization admin.
#[actix_rt::test]
async fn the_organization_admin_sees_the_child_go_account() {
    let app = spawn_app().await;
    let token = service_token(&app).await;
    let acct = create_go_account(&app, &token, &child(&app), 5).await;
    faucet(&app, &acct.id, "ofctusd", 100).await;
    let brennan = app
        .token_with(&["wallet_view_all", "enterprise_view_all"])
        .await;
    let w: Value = app
        .get(
            &format!("/api/v2/ofctusd/wallet/{}", acct.id),
            Auth::V2(brennan.clone()),
        )
        .await
        .ok();
    assert_eq!(w["balanceString"], "100");
    app.get(
        &format!("/api/v2/ofc/wallet/{}/transfer", acct.id),
        Auth::Raw(brennan.clone()),
    )
    .await
    .ok();
    app.get(
        &format!("/api/v2/enterprise/{}/transfer", child(&app)),
        Auth::Raw(brennan.clone()),
    )
    .await
    .ok();
    app.get(
        &format!("/api/v2/ofc/wallet/{}/addresses", acct.id),
        Auth::Raw(brennan),
    )
    .await
    .ok();
    app.add_outsider("nosy@example.test");
    let nosy = app
        .token_as("nosy@example.test", &["wallet_view_all"])
        .await;
    app.get(&format!("/api/v2/ofc/wallet/{}", acct.id), Auth::Raw(nosy))
        .await
        .expect_error(404);
}
