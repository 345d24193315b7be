//! Bitwarden identity: prelogin, the token endpoint's grants and errors, JWT claims and expiry.

use base64::Engine;
use serde_json::{json, Value};

use crate::bitwarden_support::*;
use crate::helpers::{Auth, Req};

fn claims(token: &str) -> Value {
    let body = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[actix_rt::test]
async fn prelogin_returns_real_settings_for_known_users_and_a_stable_fake_otherwise() {
    let bw = spawn_bw().await;
    for path in [
        "/identity/accounts/prelogin",
        "/identity/accounts/prelogin/password",
    ] {
        let r = bw
            .app
            .post(path, json!({"Email": " Art@Vandelay.TEST "}), Auth::None)
            .await
            .ok();
        assert_eq!(r["kdf"], 0);
        assert_eq!(r["kdfIterations"], ITERATIONS);
        assert_eq!(r["kdfSettings"]["iterations"], ITERATIONS);
        assert_eq!(r["salt"], ART);
        assert!(r["kdfMemory"].is_null() && r.get("object").is_none());
    }
    let unknown = json!({"email": "nobody@nowhere.test"});
    let a = bw
        .app
        .post("/identity/accounts/prelogin", unknown.clone(), Auth::None)
        .await
        .ok();
    let b = bw
        .app
        .post("/identity/accounts/prelogin", unknown, Auth::None)
        .await
        .ok();
    assert_eq!(a, b, "the fake answer must not change between calls");
    let r = bw
        .app
        .post("/identity/accounts/prelogin", json!({}), Auth::None)
        .await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert!(e["validationErrors"]["Email"].is_array(), "{e}");
}

#[actix_rt::test]
async fn password_login_returns_the_real_body_with_keys_and_claims() {
    let bw = spawn_bw().await;
    let r = bw.password_login(ART).await;
    assert_eq!(r["token_type"], "Bearer");
    assert_eq!(r["expires_in"], 3600);
    assert_eq!(r["scope"], "api offline_access");
    assert!(r["refresh_token"].is_string());
    assert!(r["Key"].as_str().unwrap().starts_with("2."));
    assert!(r["PrivateKey"].as_str().unwrap().starts_with("2."));
    assert_eq!(r["Kdf"], 0);
    assert_eq!(r["KdfIterations"], ITERATIONS);
    assert_eq!(r["ForcePasswordReset"], false);
    assert_eq!(r["ResetMasterPassword"], false);
    let unlock = &r["UserDecryptionOptions"]["MasterPasswordUnlock"];
    assert_eq!(unlock["Salt"], ART);
    assert_eq!(unlock["MasterKeyEncryptedUserKey"], r["Key"]);
    assert_eq!(
        r["AccountKeys"]["publicKeyEncryptionKeyPair"]["wrappedPrivateKey"],
        r["PrivateKey"]
    );
    let c = claims(r["access_token"].as_str().unwrap());
    assert_eq!(c["email"], ART);
    assert_eq!(c["amr"], json!(["Application"]));
    assert_eq!(c["orgowner"], json!(bw.org_id));
    assert_eq!(c["device"], DEVICE[1].1);
    assert_eq!(c["devicetype"], "25");
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["nbf"].as_i64().unwrap(),
        3600
    );
    let admin = claims(&bw.login(GEORGE).await);
    assert_eq!(admin["orgadmin"], json!(bw.org_id));
    assert!(admin.get("orgowner").is_none());
}

#[actix_rt::test]
async fn wrong_password_unknown_user_and_missing_device_are_refused() {
    let bw = spawn_bw().await;
    let mut pairs = vec![
        ("grant_type", "password"),
        ("username", ART),
        ("password", "d3Jvbmc="),
        ("client_id", "cli"),
    ];
    pairs.extend_from_slice(&DEVICE);
    let r = bw.token(&pairs).await;
    assert_eq!(r.status, 400);
    let b = r.json();
    assert_eq!(b["error"], "invalid_grant");
    assert_eq!(
        b["ErrorModel"]["Message"],
        "Username or password is incorrect. Try again."
    );
    pairs[1] = ("username", "ghost@vandelay.test");
    assert_eq!(bw.token(&pairs).await.json()["error"], "invalid_grant");
    let hash = client_hash(ART, MASTER);
    let r = bw
        .token(&[
            ("grant_type", "password"),
            ("username", ART),
            ("password", &hash),
        ])
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "device_error");
    let r = bw.token(&[("grant_type", "magic")]).await;
    assert_eq!(r.json()["error"], "unsupported_grant_type");
}

#[actix_rt::test]
async fn refresh_tokens_issue_new_access_tokens() {
    let bw = spawn_bw().await;
    let first = bw.password_login(KRAMER).await;
    let refresh = first["refresh_token"].as_str().unwrap();
    let r = bw
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", "cli"),
        ])
        .await
        .ok();
    let token = r["access_token"].as_str().unwrap();
    bw.get("/api/sync", token).await.ok();
    let bad = bw
        .token(&[("grant_type", "refresh_token"), ("refresh_token", "nope")])
        .await;
    assert_eq!(bad.json()["error"], "invalid_grant");
}

#[actix_rt::test]
async fn personal_api_keys_log_in_and_may_call_organizations() {
    let bw = spawn_bw().await;
    let token = bw.login(ART).await;
    let user_id = claims(&token)["sub"].as_str().unwrap().to_string();
    let key = bw.app.text(&format!(
        "SELECT api_key FROM bw_users WHERE id = '{user_id}'"
    ));
    let client_id = format!("user.{}", claims(&token)["sub"].as_str().unwrap());
    let mut pairs = vec![
        ("grant_type", "client_credentials"),
        ("client_id", client_id.as_str()),
        ("client_secret", key.as_str()),
        ("scope", "api"),
    ];
    pairs.extend_from_slice(&DEVICE);
    let r = bw.token(&pairs).await.ok();
    assert!(r.get("refresh_token").is_none());
    assert!(r["Key"].is_string());
    let api = r["access_token"].as_str().unwrap();
    bw.get(&format!("/organizations/{}", bw.org_id), api)
        .await
        .ok();
    pairs[2] = ("client_secret", "wrong");
    let bad = bw.token(&pairs).await;
    assert_eq!(
        (bad.status, bad.json()["error"].clone()),
        (400, json!("invalid_client"))
    );
}

#[actix_rt::test]
async fn organization_api_keys_get_api_organization_tokens_that_cannot_call_the_internal_api() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let key = bw
        .call(
            "POST",
            &format!("/api/organizations/{}/api-key", bw.org_id),
            &owner,
            BwApp::secret(ART),
        )
        .await
        .ok();
    let secret = key["apiKey"].as_str().unwrap();
    let client_id = format!("organization.{}", bw.org_id);
    let r = bw
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", secret),
            ("scope", "api.organization"),
        ])
        .await
        .ok();
    assert_eq!(r["scope"], "api.organization");
    let token = r["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["client_sub"], json!(bw.org_id));
    let refused = bw
        .get(&format!("/api/organizations/{}", bw.org_id), token)
        .await;
    expect_empty(&refused, 403);
    // A Free organization has no API: its key does not log in.
    bw.patch_org(&bw.org_id, json!({"features": {"useApi": false}}));
    let r = bw
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", secret),
            ("scope", "api.organization"),
        ])
        .await;
    assert_eq!(r.json()["error"], "invalid_client");
}

#[actix_rt::test]
async fn tokens_expire_on_the_sandbox_clock_and_bad_tokens_get_an_empty_401() {
    let bw = spawn_bw().await;
    let token = bw.login(KRAMER).await;
    bw.get("/api/organizations", &token).await.ok();
    expect_empty(&bw.get("/api/organizations", "junk").await, 401);
    expect_empty(&bw.app.get("/api/sync", Auth::None).await, 401);
    let forged = format!("{}x", &token[..token.len() - 1]);
    expect_empty(&bw.get("/api/sync", &forged).await, 401);
    bw.app.advance_clock_ms(3_601_000);
    expect_empty(&bw.get("/api/organizations", &token).await, 401);
}

#[actix_rt::test]
async fn registration_accepts_what_a_client_sends_and_the_user_can_log_in() {
    let bw = spawn_bw().await;
    let email = "babu@vandelay.test";
    let hash = client_hash(email, MASTER);
    let body = json!({
        "email": email, "name": "Babu", "masterPasswordHash": hash,
        "userSymmetricKey": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA",
        "userAsymmetricKeys": {"publicKey": "AAAA", "encryptedPrivateKey": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA"},
        "kdf": 0, "kdfIterations": ITERATIONS,
    });
    bw.app
        .post(
            "/identity/accounts/register/finish",
            body.clone(),
            Auth::None,
        )
        .await
        .ok();
    let again = bw
        .app
        .post("/identity/accounts/register/finish", body, Auth::None)
        .await;
    expect_bw_error(&again, 400, "Email 'babu@vandelay.test' is already taken.");
    let token = bw.login(email).await;
    let orgs = bw.get("/organizations", &token).await.ok();
    assert_eq!(
        orgs,
        json!({"object": "list", "data": [], "continuationToken": null})
    );
    let r = bw
        .app
        .send(Req::post("/identity/accounts/register").json(&json!({"email": "x@y.test"})))
        .await;
    expect_bw_error(&r, 400, "The model state is invalid.");
}

#[actix_rt::test]
async fn unknown_clients_and_unknown_bitwarden_paths_answer_in_bitwarden_shape() {
    let bw = spawn_bw().await;
    let hash = client_hash(ART, MASTER);
    let mut pairs = vec![
        ("grant_type", "password"),
        ("username", ART),
        ("password", hash.as_str()),
        ("client_id", "evil"),
    ];
    pairs.extend_from_slice(&DEVICE);
    assert_eq!(
        bw.token(&pairs).await.json(),
        json!({"error": "invalid_client"})
    );
    let token = bw.login(ART).await;
    for path in ["/api/ciphers", "/identity/nope", "/api/organizations/x/y/z"] {
        expect_bw_error(&bw.get(path, &token).await, 404, "Resource not found.");
    }
    // Wrong methods on Bitwarden routes too; BitGo's paths keep BitGo's body.
    let r = bw.call("PATCH", "/api/sync", &token, json!({})).await;
    expect_bw_error(&r, 404, "Resource not found.");
    let r = bw.get("/api/v2/nope", &token).await;
    assert!(r.json()["requestId"].is_string());
}

#[actix_rt::test]
async fn sync_carries_the_profile_and_unlock_data_and_keeps_the_recorded_key_id() {
    let bw = spawn_bw().await;
    let config = bw.app.get("/api/config", Auth::None).await.ok();
    assert_eq!(config["object"], "config");
    assert!(config["environment"]["identity"]
        .as_str()
        .unwrap()
        .ends_with("/identity"));
    let token = bw.login(KRAMER).await;
    let sync = bw.get("/api/sync?excludeDomains=true", &token).await.ok();
    assert_eq!(sync["object"], "sync");
    assert_eq!(sync["profile"]["email"], KRAMER);
    assert_eq!(
        sync["profile"]["organizations"][0]["object"],
        "profileOrganization"
    );
    let unlock = &sync["userDecryption"]["masterPasswordUnlock"];
    assert_eq!(unlock["salt"], KRAMER);
    assert_eq!(unlock["masterKeyEncryptedUserKey"], sync["profile"]["key"]);
    assert!(sync["userDecryption"]["userKeyId"].is_null());
    let r = bw
        .call(
            "POST",
            "/api/accounts/key-management/user-key-id",
            &token,
            json!({"UserKeyId": "a2V5LWlk"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let sync = bw.get("/sync", &token).await.ok();
    assert_eq!(sync["userDecryption"]["userKeyId"], "a2V5LWlk");
    let profile = bw.get("/accounts/profile", &token).await.ok();
    assert_eq!(profile["object"], "profile");
    assert_eq!(profile, sync["profile"]);
}
