//! The Organizations API: a role x endpoint table, then each endpoint's rules and refusals.

use orgbox::config::bitwarden::Deployment;
use serde_json::{json, Value};

use crate::bitwarden_support::*;
use crate::helpers::{Auth, Req};

const KEY: &str = "4.AAAA";
const PRIVATE: &str = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA";

#[actix_rt::test]
async fn role_by_endpoint_table() {
    let bw = spawn_bw().await;
    let org = bw.org_id.clone();
    let tokens = [
        ("owner", bw.login(ART).await, ART),
        ("admin", bw.login(GEORGE).await, GEORGE),
        ("user", bw.login(KRAMER).await, KRAMER),
    ];
    // (method, path, body, expected status for owner, admin, user)
    let rows: Vec<(&str, String, Value, [u16; 3])> = vec![
        ("GET", format!("/api/organizations/{org}"), json!(null), [200, 404, 404]),
        ("GET", format!("/organizations/{org}"), json!(null), [200, 404, 404]),
        ("GET", "/api/organizations".into(), json!(null), [200, 200, 200]),
        ("PUT", format!("/api/organizations/{org}"), json!({"name": "Vandelay Industries"}), [200, 401, 401]),
        ("POST", format!("/api/organizations/{org}/api-key"), json!("SECRET"), [200, 404, 404]),
        ("POST", format!("/api/organizations/{org}/api-key"), json!({"type": 2, "secret": "SECRET"}), [200, 200, 404]),
        ("GET", format!("/api/organizations/{org}/api-key-information"), json!(null), [200, 404, 404]),
        ("POST", format!("/api/organizations/{org}/storage"), json!({"storageGbAdjustment": 1}), [200, 404, 404]),
        ("GET", format!("/api/organizations/{org}/license?installationId=00000000-0000-0000-0000-000000000000"), json!(null), [400, 404, 404]),
        ("GET", format!("/api/organizations/{org}/users"), json!(null), [200, 200, 404]),
        ("GET", format!("/api/organizations/{org}/public-key"), json!(null), [200, 200, 200]),
        ("DELETE", format!("/api/accounts/sso/{org}"), json!(null), [200, 200, 200]),
    ];
    for (method, path, body, want) in rows {
        for (i, (role, token, email)) in tokens.iter().enumerate() {
            let body = match &body {
                Value::String(s) if s == "SECRET" => BwApp::secret(email),
                Value::Object(m) if m.get("secret").is_some() => {
                    let mut m = m.clone();
                    m.insert(
                        "masterPasswordHash".into(),
                        BwApp::secret(email)["masterPasswordHash"].clone(),
                    );
                    m.remove("secret");
                    Value::Object(m)
                }
                other => other.clone(),
            };
            let r = bw.call(method, &path, token, body).await;
            assert_eq!(
                r.status,
                want[i],
                "{role} {method} {path}: {}",
                String::from_utf8_lossy(&r.body)
            );
            if r.status == 404 {
                expect_bw_error(&r, 404, "Resource not found.");
            }
            if r.status == 401 {
                expect_empty(&r, 401);
            }
        }
    }
}

#[actix_rt::test]
async fn get_returns_the_organization_model_and_malformed_ids_are_clean_404s() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let o = bw
        .get(&format!("/api/organizations/{}", bw.org_id), &owner)
        .await
        .ok();
    assert_eq!(o["object"], "organization");
    assert_eq!(o["planType"], 5);
    assert_eq!(o["plan"]["object"], "plan");
    assert_eq!(o["plan"]["productTier"], 3);
    assert_eq!(o["useSso"], true);
    assert_eq!(o["hasPublicAndPrivateKeys"], true);
    assert!(o["businessAddress1"].is_null() && o.get("identifier").is_none());
    let upper = bw
        .get(
            &format!("/api/organizations/{}", bw.org_id.to_uppercase()),
            &owner,
        )
        .await;
    assert_eq!(upper.status, 200);
    for bad in ["not-a-guid", "1234", "%20"] {
        let r = bw.get(&format!("/api/organizations/{bad}"), &owner).await;
        expect_bw_error(&r, 404, "Resource not found.");
        let r = bw
            .call(
                "POST",
                &format!("/api/organizations/{bad}/leave"),
                &owner,
                json!(null),
            )
            .await;
        expect_bw_error(&r, 404, "Resource not found.");
    }
}

#[actix_rt::test]
async fn list_shows_profile_organizations_with_role_permissions_and_the_wrapped_key() {
    let bw = spawn_bw().await;
    let r = bw
        .get("/api/organizations", &bw.login(GEORGE).await)
        .await
        .ok();
    assert_eq!(r["object"], "list");
    assert!(r["continuationToken"].is_null());
    let o = &r["data"][0];
    assert_eq!(o["object"], "profileOrganization");
    assert_eq!(o["type"], 1);
    assert_eq!(o["status"], 2);
    assert_eq!(o["productTierType"], 3);
    assert!(o["key"].as_str().unwrap().starts_with("4."));
    assert_eq!(o["permissions"]["manageAccessRules"], false);
    assert!(o["permissions"].get("editAssignedCollections").is_none());
}

fn create_body(plan: i64) -> Value {
    let mut b = json!({
        "name": "Kramerica", "billingEmail": "Kramer@Kramerica.test", "planType": plan,
        "key": KEY, "keys": {"publicKey": "AAAA", "encryptedPrivateKey": PRIVATE},
    });
    if plan != 0 {
        let m = b.as_object_mut().unwrap();
        m.insert("paymentToken".into(), json!("tok"));
        m.insert("paymentMethodType".into(), json!(1));
        m.insert("billingAddressCountry".into(), json!("US"));
    }
    b
}

#[actix_rt::test]
async fn create_copies_the_plan_makes_an_owner_and_allows_one_free_org() {
    let bw = spawn_bw().await;
    let token = bw.login(KRAMER).await;
    let free = bw
        .call("POST", "/api/organizations", &token, create_body(0))
        .await
        .ok();
    assert_eq!(
        (free["seats"].clone(), free["maxCollections"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(free["useApi"], false);
    assert_eq!(free["billingEmail"], "kramer@kramerica.test");
    let before = bw.snapshot().await;
    let second = bw
        .call("POST", "/organizations", &token, create_body(0))
        .await;
    expect_bw_error(
        &second,
        400,
        "You can only be an admin of 1 free organization vault.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    let teams = bw
        .call("POST", "/organizations", &token, create_body(3))
        .await
        .ok();
    assert_eq!(teams["planType"], 3);
    assert_eq!(teams["useApi"], true);
    assert_eq!(teams["seats"], 5);
    assert!(teams["maxCollections"].is_null());
    // The new orgs are listed at once (roles come from the store, not stale claims).
    let list = bw.get("/api/organizations", &token).await.ok();
    assert_eq!(list["data"].as_array().unwrap().len(), 3);
    let owner_of_free = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == free["id"])
        .unwrap()
        .clone();
    assert_eq!(
        (owner_of_free["type"].clone(), owner_of_free["key"].clone()),
        (json!(0), json!(KEY))
    );
    // Owner-only calls follow the token's claims, as on the server: the token issued before
    // the organization existed gets a 404 until the client refreshes it.
    let api_key = format!(
        "/api/organizations/{}/api-key",
        teams["id"].as_str().unwrap()
    );
    let stale = bw
        .call("POST", &api_key, &token, BwApp::secret(KRAMER))
        .await;
    expect_bw_error(&stale, 404, "Resource not found.");
    let token = bw.login(KRAMER).await;
    // And the Default API key exists.
    let key = bw
        .call("POST", &api_key, &token, BwApp::secret(KRAMER))
        .await
        .ok();
    assert_eq!(key["apiKey"].as_str().unwrap().len(), 30);
}

#[actix_rt::test]
async fn create_validates_its_model_and_plan() {
    let bw = spawn_bw().await;
    let token = bw.login(KRAMER).await;
    let before = bw.snapshot().await;
    let r = bw
        .call("POST", "/api/organizations", &token, json!({"planType": 0}))
        .await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert_eq!(
        e["validationErrors"]["Name"][0],
        "The Name field is required."
    );
    let mut long = create_body(0);
    long["name"] = json!("&".repeat(11));
    let r = bw.call("POST", "/api/organizations", &token, long).await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert!(
        e["validationErrors"]["Name"].is_array(),
        "50 chars are counted HTML-encoded: {e}"
    );
    let mut paid = create_body(3);
    paid.as_object_mut().unwrap().remove("paymentToken");
    let r = bw.call("POST", "/api/organizations", &token, paid).await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert_eq!(
        e["validationErrors"]["PaymentToken"][0],
        "Payment required."
    );
    let r = bw
        .call("POST", "/api/organizations", &token, create_body(99))
        .await;
    expect_bw_error(&r, 404, "Resource not found.");
    let mut bad_type = create_body(0);
    bad_type["planType"] = json!("free");
    let r = bw
        .call("POST", "/api/organizations", &token, bad_type)
        .await;
    expect_bw_error(&r, 400, "The model state is invalid.");
    let r = bw
        .app
        .send(
            crate::helpers::Req::post("/api/organizations")
                .auth(crate::helpers::Auth::Raw(token.clone())),
        )
        .await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert_eq!(e["validationErrors"][""][0], "Body is empty.");
    assert_eq!(before, bw.snapshot().await);
}

#[actix_rt::test]
async fn self_hosted_refuses_cloud_only_routes() {
    let bw = spawn_bw_with(|c| c.bitwarden.deployment = Deployment::SelfHosted).await;
    let token = bw.login(ART).await;
    let r = bw
        .call("POST", "/api/organizations", &token, create_body(0))
        .await;
    expect_bw_error(&r, 400, "Only allowed when not self hosted.");
    let r = bw
        .call(
            "POST",
            &format!("/api/organizations/{}/storage", bw.org_id),
            &token,
            json!({"storageGbAdjustment": 1}),
        )
        .await;
    expect_bw_error(&r, 400, "Only allowed when not self hosted.");
    let r = bw
        .get(
            &format!("/api/organizations/{}/license?installationId=x", bw.org_id),
            &token,
        )
        .await;
    expect_bw_error(&r, 400, "Only allowed when not self hosted.");
    // Name and billing email come from the license on self-hosted: PUT ignores them.
    let o = bw
        .call(
            "PUT",
            &format!("/api/organizations/{}", bw.org_id),
            &token,
            json!({"name": "Renamed"}),
        )
        .await
        .ok();
    assert_eq!(o["name"], "Vandelay Industries");
    assert_eq!(o["plan"]["passwordManager"], Value::Null);
}

#[actix_rt::test]
async fn update_sets_name_and_billing_email_and_refuses_non_owners_with_an_empty_401() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let path = format!("/api/organizations/{}", bw.org_id);
    let o = bw
        .call("PUT", &path, &owner, json!({"Name": "Vandelay & Co", "BillingEmail": " Billing@Vandelay.TEST ", "businessName": "ignored", "identifier": "ignored"}))
        .await
        .ok();
    assert_eq!(o["name"], "Vandelay & Co");
    assert_eq!(o["billingEmail"], "billing@vandelay.test");
    let o = bw
        .call(
            "POST",
            &path,
            &owner,
            json!({"name": "Vandelay Industries"}),
        )
        .await
        .ok();
    assert_eq!(
        o["billingEmail"], "billing@vandelay.test",
        "absent fields are kept"
    );
    let before = bw.snapshot().await;
    let admin = bw.login(GEORGE).await;
    expect_empty(
        &bw.call("PUT", &path, &admin, json!({"billingEmail": "x@y.test"}))
            .await,
        401,
    );
    let r = bw
        .call(
            "PUT",
            &path,
            &owner,
            json!({"billingEmail": "not-an-email"}),
        )
        .await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert!(e["validationErrors"]["BillingEmail"].is_array());
    assert_eq!(before, bw.snapshot().await);
}

#[actix_rt::test]
async fn delete_needs_the_right_secret_and_the_owner() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let path = format!("/api/organizations/{}", bw.org_id);
    let before = bw.snapshot().await;
    let r = bw
        .call(
            "DELETE",
            &path,
            &owner,
            json!({"masterPasswordHash": "d3Jvbmc="}),
        )
        .await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert_eq!(e["validationErrors"][""][0], "User verification failed.");
    let r = bw.call("DELETE", &path, &owner, json!({})).await;
    let e = expect_bw_error(&r, 400, "The model state is invalid.");
    assert_eq!(
        e["validationErrors"][""][0],
        "MasterPasswordHash, OTP, or AccessCode must be supplied."
    );
    let admin = bw.login(GEORGE).await;
    expect_bw_error(
        &bw.call("DELETE", &path, &admin, BwApp::secret(GEORGE))
            .await,
        404,
        "Resource not found.",
    );
    assert_eq!(before, bw.snapshot().await);
    // An OTP works too, and on the obsolete POST path.
    let r = bw
        .call(
            "POST",
            &format!("{path}/delete"),
            &owner,
            json!({"otp": "000000"}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    expect_bw_error(&bw.get(&path, &owner).await, 404, "Resource not found.");
    assert_eq!(
        bw.get("/api/organizations", &admin).await.ok()["data"],
        json!([])
    );
}

#[actix_rt::test]
async fn a_wrong_secret_waits_before_answering() {
    let bw = spawn_bw_with(|c| c.bitwarden.failed_secret_delay_ms = 300).await;
    let owner = bw.login(ART).await;
    let started = std::time::Instant::now();
    let r = bw
        .call(
            "DELETE",
            &format!("/api/organizations/{}", bw.org_id),
            &owner,
            json!({"otp": "999999"}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
}

#[actix_rt::test]
async fn api_keys_follow_their_type_rules_and_rotate() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let base = format!("/api/organizations/{}", bw.org_id);
    let mut body = BwApp::secret(ART);
    let k0 = bw
        .call("POST", &format!("{base}/api-key"), &owner, body.clone())
        .await
        .ok();
    assert_eq!(k0["object"], "apiKey");
    let again = bw
        .call("POST", &format!("{base}/api-key"), &owner, body.clone())
        .await
        .ok();
    assert_eq!(k0["apiKey"], again["apiKey"]);
    let rotated = bw
        .call(
            "POST",
            &format!("{base}/rotate-api-key"),
            &owner,
            body.clone(),
        )
        .await
        .ok();
    assert_ne!(rotated["apiKey"], k0["apiKey"]);
    let after = bw
        .call("POST", &format!("{base}/api-key"), &owner, body.clone())
        .await
        .ok();
    assert_eq!(after["apiKey"], rotated["apiKey"]);
    body["type"] = json!(1);
    bw.call("POST", &format!("{base}/api-key"), &owner, body.clone())
        .await
        .ok();
    let info = bw
        .get(&format!("{base}/api-key-information"), &owner)
        .await
        .ok();
    assert_eq!(info["data"].as_array().unwrap().len(), 2);
    assert_eq!(info["data"][0]["object"], "keyInformation");
    let wrong = bw
        .call(
            "POST",
            &format!("{base}/api-key"),
            &owner,
            json!({"type": 0, "masterPasswordHash": "bad"}),
        )
        .await;
    let e = expect_bw_error(&wrong, 400, "The model state is invalid.");
    assert_eq!(
        e["validationErrors"]["MasterPasswordHash"][0],
        "Invalid password."
    );
    body["type"] = json!(7);
    let r = bw
        .call("POST", &format!("{base}/api-key"), &owner, body)
        .await;
    assert_eq!(r.status, 400);
    // A Families org has no SCIM/billing-sync keys on api-key (rotate does not check).
    let token = bw.login(KRAMER).await;
    let mut families = create_body(1);
    families["name"] = json!("Kramer Family");
    let fam = bw
        .call("POST", "/api/organizations", &token, families)
        .await
        .ok();
    let fam_base = format!("/api/organizations/{}", fam["id"].as_str().unwrap());
    let token = bw.login(KRAMER).await; // the new organization's owner claim
    let mut scim = BwApp::secret(KRAMER);
    scim["type"] = json!(2);
    expect_bw_error(
        &bw.call("POST", &format!("{fam_base}/api-key"), &token, scim.clone())
            .await,
        404,
        "Resource not found.",
    );
    bw.call("POST", &format!("{fam_base}/rotate-api-key"), &token, scim)
        .await
        .ok();
}

#[actix_rt::test]
async fn storage_adjusts_within_the_rules() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let path = format!("/organizations/{}/storage", bw.org_id);
    let r = bw
        .call("POST", &path, &owner, json!({"storageGbAdjustment": 4}))
        .await
        .ok();
    assert_eq!(
        r,
        json!({"object": "payment", "userProfile": null, "paymentIntentClientSecret": null, "success": true})
    );
    let o = bw
        .get(&format!("/organizations/{}", bw.org_id), &owner)
        .await
        .ok();
    assert_eq!(o["maxStorageGb"], 5);
    let before = bw.snapshot().await;
    let e = expect_bw_error(
        &bw.call("POST", &path, &owner, json!({"storageGbAdjustment": 0}))
            .await,
        400,
        "The model state is invalid.",
    );
    assert_eq!(
        e["validationErrors"]["StorageGbAdjustment"][0],
        "Storage adjustment cannot be 0."
    );
    expect_bw_error(
        &bw.call("POST", &path, &owner, json!({"storageGbAdjustment": 96}))
            .await,
        400,
        "Maximum storage is 100 GB.",
    );
    bw.patch_org(&bw.org_id, json!({"storageBytes": 4_i64 * 1_073_741_824}));
    let before_used = bw.snapshot().await;
    let r = bw
        .call("POST", &path, &owner, json!({"storageGbAdjustment": -3}))
        .await;
    expect_bw_error(
        &r,
        400,
        "You are currently using 4 GB of storage. Delete some stored data first.",
    );
    assert_eq!(before_used, bw.snapshot().await);
    assert_ne!(before, before_used);
    let r = bw
        .call("POST", &path, &owner, json!({"storageGbAdjustment": -100}))
        .await;
    assert_eq!(r.status, 400);
    let token = bw.login(KRAMER).await;
    let free = bw
        .call("POST", "/api/organizations", &token, create_body(0))
        .await
        .ok();
    let token = bw.login(KRAMER).await; // the new organization's owner claim
    let r = bw
        .call(
            "POST",
            &format!("/organizations/{}/storage", free["id"].as_str().unwrap()),
            &token,
            json!({"storageGbAdjustment": 1}),
        )
        .await;
    expect_bw_error(&r, 400, "Plan does not allow additional storage.");
}

#[actix_rt::test]
async fn auto_enroll_status_reads_the_reset_password_policy_by_sso_identifier() {
    let bw = spawn_bw().await;
    let user = bw.login(KRAMER).await;
    let path = "/api/organizations/vandelay-industries/auto-enroll-status";
    let r = bw.get(path, &user).await.ok();
    assert_eq!(
        r,
        json!({"object": "organizationAutoEnrollStatus", "id": bw.org_id, "resetPasswordEnabled": false})
    );
    // Seeded with the policy (config `auto_enroll = true`, identifier "acme"):
    let seeded = spawn_bw_with(|c| {
        c.bitwarden.auto_enroll = Some(true);
        c.bitwarden.identifier = "acme".into();
    })
    .await;
    let kramer = seeded.login(KRAMER).await;
    let r = seeded
        .get("/api/organizations/ACME/auto-enroll-status", &kramer)
        .await
        .ok();
    assert_eq!(r["resetPasswordEnabled"], true);
    assert_eq!(r["id"], json!(seeded.org_id));
    expect_bw_error(
        &bw.get("/api/organizations/nope/auto-enroll-status", &user)
            .await,
        404,
        "Resource not found.",
    );
    let token = bw.login(KRAMER).await;
    let free = bw
        .call("POST", "/api/organizations", &token, create_body(0))
        .await
        .ok();
    bw.patch_org(
        free["id"].as_str().unwrap(),
        json!({"identifier": "kramerica"}),
    );
    let outsider = bw.login(GEORGE).await;
    expect_bw_error(
        &bw.get("/api/organizations/kramerica/auto-enroll-status", &outsider)
            .await,
        404,
        "Resource not found.",
    );
}

#[actix_rt::test]
async fn deleting_an_sso_link_removes_only_the_callers_link() {
    let bw = spawn_bw().await;
    let token = bw.login(KRAMER).await;
    bw.app
        .control(
            Req::post(&format!(
                "/sandbox/bitwarden/organizations/{}/sso-links",
                bw.org_id
            ))
            .json(&json!({"email": KRAMER, "externalId": "ext"})),
        )
        .ok();
    let org = &bw.get("/api/organizations", &token).await.ok()["data"][0];
    assert_eq!(org["ssoBound"], true);
    let r = bw
        .call(
            "DELETE",
            &format!("/accounts/sso/{}", bw.org_id),
            &token,
            json!(null),
        )
        .await;
    assert_eq!((r.status, r.body.len()), (200, 0));
    assert_eq!(
        bw.get("/api/organizations", &token).await.ok()["data"][0]["ssoBound"],
        false
    );
    expect_bw_error(
        &bw.call("DELETE", "/accounts/sso/xyz", &token, json!(null))
            .await,
        404,
        "Resource not found.",
    );
}

#[actix_rt::test]
async fn invitations_need_manage_users_fill_seats_and_land_in_the_outbox() {
    let bw = spawn_bw().await;
    let admin = bw.login(GEORGE).await;
    let path = format!("/api/organizations/{}/users/invite", bw.org_id);
    let r = bw
        .call(
            "POST",
            &path,
            &admin,
            json!({"emails": ["Puddy@Vandelay.test"], "type": 2}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let members = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), &admin)
        .await
        .ok();
    let puddy = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "puddy@vandelay.test")
        .unwrap()
        .clone();
    assert_eq!(
        (puddy["status"].clone(), puddy["type"].clone()),
        (json!(0), json!(2))
    );
    let outbox = bw.app.get("/sandbox/outbox", Auth::None).await.ok();
    let invitation = outbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|m| m["kind"] == "invitation")
        .unwrap()
        .clone();
    let text = |k: &str| invitation[k].as_str().unwrap().to_string();
    let mail = (text("source"), text("to"));
    assert_eq!(
        mail,
        ("bitwarden".to_string(), "puddy@vandelay.test".to_string())
    );
    let before = bw.snapshot().await;
    let r = bw
        .call(
            "POST",
            &path,
            &admin,
            json!({"emails": ["boss@vandelay.test"], "type": 0}),
        )
        .await;
    expect_bw_error(
        &r,
        400,
        "Only an Owner can configure another Owner's account.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    let user = bw.login(KRAMER).await;
    let r = bw
        .call(
            "POST",
            &path,
            &user,
            json!({"emails": ["x@vandelay.test"], "type": 2}),
        )
        .await;
    expect_empty(&r, 403);
    // The legacy Manager role (3) is accepted and stored as Custom (4).
    let owner = bw.login(ART).await;
    bw.call("POST", &path, &owner, json!({"emails": ["manager@vandelay.test"], "type": 3, "permissions": {"EditAssignedCollections": true, "manageScim": true}})).await;
    let members = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), &owner)
        .await
        .ok();
    let manager = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "manager@vandelay.test")
        .unwrap()
        .clone();
    assert_eq!(manager["type"], 4);
    assert_eq!(manager["permissions"]["manageScim"], true);
    assert_ne!(before, bw.snapshot().await);
}

#[actix_rt::test]
async fn the_demo_world_is_seeded_once_per_data_directory() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let path = format!("/api/organizations/{}", bw.org_id);
    bw.call("PUT", &path, &owner, json!({"name": "Vandelay Imports"}))
        .await
        .ok();
    let before = bw.snapshot().await;
    let BwApp { app, org_id } = bw;
    let again = crate::helpers::spawn_app_in(app.stop().await, |c| {
        c.bitwarden.users = orgbox::config::bitwarden::BitwardenConfig::default().users;
    })
    .await;
    let bw = BwApp { app: again, org_id };
    assert_eq!(before, bw.snapshot().await, "a restart seeds nothing new");
    let orgs = bw
        .get("/api/organizations", &bw.login(ART).await)
        .await
        .ok();
    assert_eq!(orgs["data"].as_array().unwrap().len(), 1);
    assert_eq!(orgs["data"][0]["name"], "Vandelay Imports");
}

#[actix_rt::test]
async fn the_demo_world_has_the_same_ids_and_api_keys_on_every_machine() {
    let rows = "SELECT group_concat(x, ' ') FROM (
        SELECT id || ':' || api_key || ':' || security_stamp AS x FROM bw_users
        UNION ALL SELECT id || ':' || license_key FROM bw_organizations
        UNION ALL SELECT id FROM bw_memberships
        UNION ALL SELECT organization_id || ':' || type || ':' || api_key FROM bw_org_api_keys
        ORDER BY 1)";
    let (one, two) = (spawn_bw().await, spawn_bw().await);
    assert_eq!(one.org_id, two.org_id);
    assert_eq!(one.app.text(rows), two.app.text(rows));
    // The derived ids are GUIDs the routes accept, and the derived key opens the org token.
    let owner = one.login(ART).await;
    one.get(&format!("/api/organizations/{}", one.org_id), &owner)
        .await
        .ok();
    let key = one
        .app
        .text("SELECT api_key FROM bw_org_api_keys WHERE type = 0");
    let client_id = format!("organization.{}", one.org_id);
    let r = one
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &key),
            ("scope", "api.organization"),
        ])
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}
