//! Members: invitation, acceptance and confirmation, and the organization key a confirmed
//! member receives, checked all the way down with the member's own master password.

use orgbox::bitwarden::crypto::{self, RsaKeyPair, SymmetricKey};
use serde_json::{json, Value};

use crate::bitwarden_support::*;

const NEWMAN: &str = "newman@vandelay.test";

async fn member_by_email(bw: &BwApp, token: &str, email: &str) -> Value {
    let list = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), token)
        .await
        .ok();
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .unwrap()
        .clone()
}

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
    let user = bw.login(KRAMER).await;
    expect_bw_error(
        &bw.get(
            &format!("/api/organizations/{}/users/{member_id}", bw.org_id),
            &user,
        )
        .await,
        404,
        "Resource not found.",
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
    expect_bw_error(
        &bw.call("POST", &path, &user, json!({"key": wrapped})).await,
        404,
        "Resource not found.",
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

#[actix_rt::test]
async fn an_invitation_is_accepted_with_its_token_by_the_invited_address_only() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let invite = format!("/api/organizations/{}/users/invite", bw.org_id);
    bw.call(
        "POST",
        &invite,
        &owner,
        json!({"emails": [KRAMER.replace("kramer", "puddy")], "type": 2}),
    )
    .await;
    let link = bw.app.text("SELECT link FROM outbox");
    let param = |name: &str| {
        link.split(&format!("{name}="))
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string()
    };
    let (member_id, token) = (param("organizationUserId"), param("token"));
    let path = format!("/api/organizations/{}/users/{member_id}/accept", bw.org_id);
    // Someone else cannot use the link.
    let kramer = bw.login(KRAMER).await;
    expect_bw_error(
        &bw.call("POST", &path, &kramer, json!({"token": token}))
            .await,
        400,
        "Invalid token.",
    );
    // Puddy registers, then accepts with the mailed token.
    let email = "puddy@vandelay.test";
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
    let puddy = bw.login(email).await;
    expect_bw_error(
        &bw.call("POST", &path, &puddy, json!({"token": "wrong"}))
            .await,
        400,
        "Invalid token.",
    );
    assert_eq!(
        bw.call("POST", &path, &puddy, json!({"token": token}))
            .await
            .status,
        200
    );
    let m = member_by_email(&bw, &owner, email).await;
    assert_eq!(m["status"], 1);
    expect_bw_error(
        &bw.call("POST", &path, &puddy, json!({"token": token}))
            .await,
        400,
        "Invalid token.",
    );
}

#[actix_rt::test]
async fn an_invitation_refused_for_one_address_invites_none() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let invite = format!("/api/organizations/{}/users/invite", bw.org_id);
    let outbox = || async {
        bw.app
            .state
            .sandboxes
            .default_sandbox()
            .store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))?))
            .await
            .unwrap()
    };
    let (before, mails) = (bw.snapshot().await, outbox().await);
    // The first address is new; the second is already a member, so the whole call is refused.
    let r = bw
        .call(
            "POST",
            &invite,
            &owner,
            json!({"emails": ["bania@vandelay.test", GEORGE], "type": 2}),
        )
        .await;
    expect_bw_error(&r, 400, &format!("{GEORGE} is already a member."));
    assert_eq!(bw.snapshot().await, before, "no membership is left behind");
    assert_eq!(outbox().await, mails, "no invitation mail is sent");
}
