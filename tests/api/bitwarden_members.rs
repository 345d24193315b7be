//! Members: invitation, acceptance and confirmation, and the organization key a confirmed
//! member receives, checked all the way down with the member's own master password.

use orgbox::bitwarden::crypto::{self, RsaKeyPair, SymmetricKey};
use serde_json::{json, Value};

use crate::bitwarden_support::*;

const NEWMAN: &str = "newman@vandelay.test";

/// Decrypts a member's `4.` organization key with the member's master password, as a client.
fn unwrap_org_key(login: &Value, email: &str, member_key: &str) -> SymmetricKey {
    let mk = crypto::master_key(MASTER, email, ITERATIONS);
    let user_key =
        crypto::decrypt_type2(&crypto::stretch(&mk), login["Key"].as_str().unwrap()).unwrap();
    let user_key = SymmetricKey::from_bytes(&user_key).unwrap();
    let der = crypto::decrypt_type2(&user_key, login["PrivateKey"].as_str().unwrap()).unwrap();
    let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
    SymmetricKey::from_bytes(&pair.decrypt_type4(member_key).unwrap()).unwrap()
}

#[actix_rt::test]
async fn seeded_members_can_unwrap_the_organization_key_and_it_opens_the_org_private_key() {
    let bw = spawn_bw().await;
    let login = bw.password_login(GEORGE).await;
    let token = login["access_token"].as_str().unwrap();
    let org = &bw.get("/api/organizations", token).await.ok()["data"][0];
    let org_key = unwrap_org_key(&login, GEORGE, org["key"].as_str().unwrap());
    let owner = bw.login(ART).await;
    let full = bw
        .get(&format!("/api/organizations/{}", bw.org_id), &owner)
        .await
        .ok();
    assert_eq!(full["hasPublicAndPrivateKeys"], true);
    let private = bw.app.text("SELECT private_key FROM bw_organizations");
    let der = crypto::decrypt_type2(&org_key, &private).unwrap();
    let public = bw
        .get(
            &format!("/api/organizations/{}/public-key", bw.org_id),
            token,
        )
        .await
        .ok();
    assert_eq!(
        RsaKeyPair::from_pkcs8(&der)
            .unwrap()
            .public_key_b64()
            .unwrap(),
        public["publicKey"].as_str().unwrap()
    );
}

#[actix_rt::test]
async fn an_accepted_member_is_confirmed_with_a_key_only_a_manager_may_give() {
    let bw = spawn_bw().await;
    let owner_login = bw.password_login(ART).await;
    let owner = owner_login["access_token"].as_str().unwrap().to_string();
    let newman = member_by_email(&bw, &owner, NEWMAN).await;
    assert_eq!(newman["status"], 1);
    let member_id = newman["id"].as_str().unwrap();
    let detail = bw
        .get(
            &format!("/api/organizations/{}/users/{member_id}", bw.org_id),
            &owner,
        )
        .await
        .ok();
    assert_eq!(
        (detail["object"].clone(), detail["email"].clone()),
        (json!("organizationUserDetails"), json!(NEWMAN))
    );
    // A member without ManageUsers gets the server's empty 403.
    let user = bw.login(KRAMER).await;
    expect_empty(
        &bw.get(
            &format!("/api/organizations/{}/users/{member_id}", bw.org_id),
            &user,
        )
        .await,
        403,
    );
    // Wrap the org key for Newman's public key, as `bw confirm org-member` does.
    let owner_org = &bw.get("/api/organizations", &owner).await.ok()["data"][0];
    let org_key = unwrap_org_key(&owner_login, ART, owner_org["key"].as_str().unwrap());
    let user_id = newman["userId"].as_str().unwrap();
    let pk = bw
        .get(&format!("/users/{user_id}/public-key"), &owner)
        .await
        .ok();
    assert_eq!(pk["object"], "userKey");
    let wrapped =
        crypto::encrypt_type4(pk["publicKey"].as_str().unwrap(), &org_key.to_bytes()).unwrap();
    let path = format!("/api/organizations/{}/users/{member_id}/confirm", bw.org_id);
    let before = bw.snapshot().await;
    expect_empty(
        &bw.call("POST", &path, &user, json!({"key": wrapped})).await,
        403,
    );
    let r = bw
        .call("POST", &path, &owner, json!({"key": "not an enc string"}))
        .await;
    expect_bw_error(&r, 400, "The model state is invalid.");
    assert_eq!(before, bw.snapshot().await);
    let r = bw
        .call("POST", &path, &owner, json!({"key": wrapped}))
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    expect_bw_error(
        &bw.call("POST", &path, &owner, json!({"key": wrapped}))
            .await,
        400,
        "User not valid.",
    );
    // Newman now sees the organization and can open its key.
    let newman_login = bw.password_login(NEWMAN).await;
    let org = &bw
        .get(
            "/api/organizations",
            newman_login["access_token"].as_str().unwrap(),
        )
        .await
        .ok()["data"][0];
    assert_eq!(org["status"], 2);
    assert_eq!(
        unwrap_org_key(&newman_login, NEWMAN, org["key"].as_str().unwrap()),
        org_key
    );
}

/// Invites `email` as a user and returns (memberId, token) from the mailed link.
pub async fn invite_link(bw: &BwApp, owner: &str, email: &str) -> (String, String) {
    let invite = format!("/api/organizations/{}/users/invite", bw.org_id);
    let r = bw
        .call(
            "POST",
            &invite,
            owner,
            json!({"emails": [email], "type": 2}),
        )
        .await;
    expect_empty(&r, 200);
    let link = bw.app.text(&format!(
        "SELECT link FROM outbox WHERE recipient = '{email}' ORDER BY rowid DESC LIMIT 1"
    ));
    let param = |name: &str| {
        link.split(&format!("{name}="))
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string()
    };
    (param("organizationUserId"), param("token"))
}

pub async fn register(bw: &BwApp, email: &str) -> String {
    let body = json!({"email": email, "masterPasswordHash": client_hash(email, MASTER),
        "key": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA", "kdfIterations": ITERATIONS});
    bw.app
        .post(
            "/identity/accounts/register",
            body,
            crate::helpers::Auth::None,
        )
        .await
        .ok();
    bw.login(email).await
}

#[actix_rt::test]
async fn an_invitation_is_accepted_with_its_token_by_the_invited_address_only() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let email = "puddy@vandelay.test";
    let (member_id, token) = invite_link(&bw, &owner, email).await;
    let (bania_id, bania_token) = invite_link(&bw, &owner, "bania@vandelay.test").await;
    let path = format!("/api/organizations/{}/users/{member_id}/accept", bw.org_id);
    let before = bw.snapshot().await;
    // A member of the organization cannot use someone else's link.
    let kramer = bw.login(KRAMER).await;
    expect_bw_error(
        &bw.call("POST", &path, &kramer, json!({"token": token}))
            .await,
        400,
        "You are already part of this organization.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    // Puddy registers; a wrong token, then another address's link, are refused.
    let puddy = register(&bw, email).await;
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("POST", &path, &puddy, json!({"token": "wrong"}))
            .await,
        400,
        "Invalid token.",
    );
    let bania_path = format!("/api/organizations/{}/users/{bania_id}/accept", bw.org_id);
    expect_bw_error(
        &bw.call("POST", &bania_path, &puddy, json!({"token": bania_token}))
            .await,
        400,
        "User email does not match invite.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    assert_eq!(
        bw.call("POST", &path, &puddy, json!({"token": token}))
            .await
            .status,
        200
    );
    let m = member_by_email(&bw, &owner, email).await;
    assert_eq!(m["status"], 1);
    // The spent link no longer matches the row (its invited address is cleared).
    expect_bw_error(
        &bw.call("POST", &path, &puddy, json!({"token": token}))
            .await,
        400,
        "Invalid token.",
    );
}

#[actix_rt::test]
async fn an_invitation_link_expires_after_five_days_on_the_sandbox_clock() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let email = "puddy@vandelay.test";
    let (member_id, token) = invite_link(&bw, &owner, email).await;
    bw.app.advance_clock_ms(5 * 24 * 3600 * 1000 + 1000);
    let puddy = register(&bw, email).await;
    let path = format!("/api/organizations/{}/users/{member_id}/accept", bw.org_id);
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("POST", &path, &puddy, json!({"token": token}))
            .await,
        400,
        "Expired token.",
    );
    assert_eq!(before, bw.snapshot().await);
}

#[actix_rt::test]
async fn an_invitation_skips_addresses_already_in_the_organization() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let invite = format!("/api/organizations/{}/users/invite", bw.org_id);
    // George is a member already: he is skipped without error, Bania is invited.
    let r = bw
        .call(
            "POST",
            &invite,
            &owner,
            json!({"emails": ["bania@vandelay.test", GEORGE], "type": 2}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let bania = member_by_email(&bw, &owner, "bania@vandelay.test").await;
    assert_eq!(bania["status"], 0);
    // Inviting Bania again is no error and adds no second row (and no raw storage words).
    let before = bw.snapshot().await;
    let r = bw
        .call(
            "POST",
            &invite,
            &owner,
            json!({"emails": ["Bania@Vandelay.test"], "type": 2}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(before, bw.snapshot().await);
    // Emails are validated one by one, and 1-20 of them.
    let r = bw
        .call(
            "POST",
            &invite,
            &owner,
            json!({"emails": ["ok@vandelay.test", "nope"], "type": 2}),
        )
        .await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert_eq!(e["validationErrors"]["Emails"][0], "Email #2 is not valid.");
    let many: Vec<String> = (0..21).map(|i| format!("g{i}@vandelay.test")).collect();
    let r = bw
        .call("POST", &invite, &owner, json!({"emails": many, "type": 2}))
        .await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert!(e["validationErrors"]["Emails"][0].is_string(), "{e}");
    assert_eq!(before, bw.snapshot().await);
}
