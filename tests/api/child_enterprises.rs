//! Child enterprises: creation (idempotent, with the end user invited), reading, listing and
//! adding users, and every refusal leaving the store as it was.

use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::helpers::*;

/// Everything a child-enterprise creation could touch.
pub(crate) const TOUCHED: &[&str] = &[
    "enterprises",
    "enterprise_members",
    "organization_members",
    // Not last_login_at: logging in is not what is compared.
    "(SELECT id, username, first_name, password_hash FROM users)",
    "invitations",
    "outbox",
    "idempotency_keys",
];

/// Brennan's view of the demo organization's child enterprises.
pub(crate) struct Org<'a> {
    pub app: &'a TestApp,
    pub path: String,
    pub token: String,
}

impl Org<'_> {
    /// Brennan (organization admin) with the seed's scopes.
    pub async fn new(app: &TestApp) -> Org<'_> {
        Org {
            path: format!(
                "/api/v2/organization/{}/enterprise",
                app.demo.organization_id
            ),
            token: app.token_with(SEED_SCOPES).await,
            app,
        }
    }

    pub fn body(&self, email: &str, key: &str) -> Value {
        json!({
            "email": email,
            "idempotencyKey": key,
            "additionalAdmins": [self.app.user_id(SERVICE)],
        })
    }

    pub async fn create(&self, body: Value) -> Resp {
        self.app
            .post(&self.path, body, Auth::V2(self.token.clone()))
            .await
    }
}

#[actix_web::test]
async fn creating_a_child_enterprise_invites_the_end_user() {
    let app = spawn_app().await;
    let org = Org::new(&app).await;
    let reply = org
        .create(json!({
            "email": "Donny@Example.test",
            "idempotencyKey": "2f1c6b8e-3c55-4f7a-9d2e-000000000001",
            "additionalAdmins": [app.user_id(SERVICE)],
            "accountType": "individual",
            "isCaaS": true,
            "thirdPartyIdentifier": [{"id": "cust-42", "label": "crm"}]
        }))
        .await
        .ok();
    let enterprise = reply["enterpriseId"].as_str().unwrap().to_string();
    let user = reply["userId"].as_str().unwrap().to_string();
    assert_eq!(enterprise.len(), 32);
    assert_ne!(enterprise, app.demo.enterprise_id);
    // Brennan is an organization admin but not a member of the child: he may still read it.
    let e = app
        .get(
            &format!("/api/v2/enterprise/{enterprise}"),
            Auth::Raw(org.token.clone()),
        )
        .await
        .ok();
    assert_eq!(e["name"], "donny@example.test");
    assert_eq!(e["organizationId"], app.demo.organization_id.as_str());
    assert_eq!(e["businessModel"], "cryptoAsAServiceChild");
    assert_eq!(e["accountType"], "individual");
    assert_eq!(e["kycState"], "unverified");
    assert_eq!(e["permissions"], json!([]));
    assert_eq!(e["primaryContact"], user.as_str());
    // The service user is an admin of it.
    let service = app.token_as(SERVICE, &["enterprise_view_all"]).await;
    let e = app
        .get(
            &format!("/api/v1/enterprise/{enterprise}"),
            Auth::V3(service),
        )
        .await
        .ok();
    assert_eq!(e["permissions"], json!(["admin"]));
    // The end user: new, invited, an organization customer and the child's admin.
    let link = app.count(&format!(
        "SELECT count(*) FROM outbox WHERE recipient = 'donny@example.test'
               AND kind = 'invitation' AND source = 'bitgo'
               AND link LIKE '{}/sandbox/invitations/%'",
        app.base
    ));
    assert_eq!(link, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM organization_members WHERE user_id = '{user}' AND role = 'customer'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM enterprise_members WHERE user_id = '{user}'
               AND enterprise_id = '{enterprise}' AND permissions = '[\"admin\"]'"
        )),
        1
    );
    // It shows in the organization.
    let o = app
        .get(
            &format!("/api/v2/organization/{}", app.demo.organization_id),
            Auth::Raw(org.token.clone()),
        )
        .await
        .ok();
    assert!(o["organization"]["enterprises"]
        .as_array()
        .unwrap()
        .contains(&json!(enterprise)));
}

#[actix_web::test]
async fn an_existing_user_gets_a_notification_not_an_invitation() {
    let app = spawn_app().await;
    let org = Org::new(&app).await;
    let reply = org.create(org.body(DALE, "k-dale")).await.ok();
    assert_eq!(reply["userId"], app.user_id(DALE).as_str());
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM outbox WHERE recipient = '{DALE}' AND kind = 'notification'"
        )),
        1
    );
    // Dale keeps his organization role (member), he is not made a customer.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM organization_members WHERE user_id = '{}' AND role = 'member'",
            app.user_id(DALE)
        )),
        1
    );
}

#[actix_web::test]
async fn a_repeated_idempotency_key_creates_nothing_new() {
    let app = spawn_app().await;
    let org = Org::new(&app).await;
    let first = org.create(org.body("e1@x.test", "key-1")).await.ok();
    let before = app.snapshot(TOUCHED);
    // The same request, keys reordered and defaults spelled out: the same ids.
    let again = org
        .create(json!({
            "isCaaS": true,
            "accountType": "individual",
            "additionalAdmins": [app.user_id(SERVICE), app.user_id(SERVICE)],
            "idempotencyKey": "key-1",
            "email": "E1@x.test"
        }))
        .await
        .ok();
    assert_eq!(again, first);
    assert_eq!(app.snapshot(TOUCHED), before);
    // The same key with another body: 409, nothing written.
    let b = org
        .create(org.body("e2@x.test", "key-1"))
        .await
        .expect_error(409);
    assert!(
        b["error"].as_str().unwrap().contains("idempotencyKey"),
        "{b}"
    );
    let mut entity = org.body("e1@x.test", "key-1");
    entity["accountType"] = json!("entity");
    org.create(entity).await.expect_error(409);
    assert_eq!(app.snapshot(TOUCHED), before);
    // A new key creates a new enterprise for the same email.
    let other = org.create(org.body("e1@x.test", "key-2")).await.ok();
    assert_ne!(other["enterpriseId"], first["enterpriseId"]);
    assert_eq!(other["userId"], first["userId"]);
}

#[actix_web::test]
async fn concurrent_identical_creates_make_one_enterprise() {
    let app = spawn_app().await;
    let org = Org::new(&app).await;
    let children =
        "SELECT count(*) FROM enterprises WHERE business_model = 'cryptoAsAServiceChild'";
    let before = app.count(children);
    let replies = join_all((0..8).map(|_| org.create(org.body("race@x.test", "race-key")))).await;
    let ids: Vec<Value> = replies.iter().map(Resp::ok).collect();
    assert!(ids.iter().all(|r| *r == ids[0]), "{ids:?}");
    assert_eq!(app.count(children), before + 1);
    assert_eq!(
        app.count("SELECT count(*) FROM users WHERE username = 'race@x.test'"),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) FROM outbox WHERE recipient = 'race@x.test'"),
        1
    );
}

#[actix_web::test]
async fn refused_creations_change_nothing() {
    let app = spawn_app().await;
    let org = Org::new(&app).await;
    let view_only = app.token_with(&["enterprise_view_all"]).await;
    let dale = app.token_as(DALE, SEED_SCOPES).await;
    let service = app.token_as(SERVICE, SEED_SCOPES).await;
    app.add_outsider("out@else.test");
    let outsider = app.token_as("out@else.test", SEED_SCOPES).await;
    let before = app.snapshot(TOUCHED);
    // Wrong scope.
    let b = app
        .post(&org.path, org.body("a@x.test", "k"), Auth::Raw(view_only))
        .await
        .expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "enterprise_manage_all");
    // Not an organization admin (Dale is a member; the service user is not an admin either).
    for token in [dale, service] {
        let b = app
            .post(&org.path, org.body("a@x.test", "k"), Auth::Raw(token))
            .await
            .expect_error(403);
        assert!(
            b["error"].as_str().unwrap().contains("organization admins"),
            "{b}"
        );
    }
    // Outside the organization, or an unknown one: 404.
    app.post(&org.path, org.body("a@x.test", "k"), Auth::Raw(outsider))
        .await
        .expect_error(404);
    app.post(
        &format!("/api/v2/organization/{}/enterprise", "0".repeat(32)),
        org.body("a@x.test", "k"),
        Auth::Raw(org.token.clone()),
    )
    .await
    .expect_error(404);
    // Bad bodies name the field.
    for (field, body) in [
        (
            "email",
            json!({"idempotencyKey": "k", "additionalAdmins": []}),
        ),
        (
            "email",
            json!({"email": "not-an-email", "idempotencyKey": "k", "additionalAdmins": []}),
        ),
        (
            "idempotencyKey",
            json!({"email": "a@x.test", "additionalAdmins": []}),
        ),
        (
            "additionalAdmins",
            json!({"email": "a@x.test", "idempotencyKey": "k"}),
        ),
        (
            "additionalAdmins",
            json!({"email": "a@x.test", "idempotencyKey": "k", "additionalAdmins": ["me"]}),
        ),
        (
            "additionalAdmins",
            json!({"email": "a@x.test", "idempotencyKey": "k", "additionalAdmins": [app.user_id(DALE)]}),
        ),
        (
            "accountType",
            json!({"email": "a@x.test", "idempotencyKey": "k", "additionalAdmins": [], "accountType": "company"}),
        ),
        (
            "isCaaS",
            json!({"email": "a@x.test", "idempotencyKey": "k", "additionalAdmins": [], "isCaaS": "yes"}),
        ),
        (
            "thirdPartyIdentifier",
            json!({"email": "a@x.test", "idempotencyKey": "k", "additionalAdmins": [], "thirdPartyIdentifier": [{"id": "x"}]}),
        ),
    ] {
        let b = org.create(body).await.expect_error(400);
        assert!(b["error"].as_str().unwrap().contains(field), "{field}: {b}");
    }
    assert_eq!(app.snapshot(TOUCHED), before);
}

#[actix_web::test]
async fn outsiders_and_plain_members_get_a_404_for_a_child_enterprise() {
    let app = spawn_app().await;
    let child = app.demo.children[0].enterprise_id.clone();
    let path = format!("/api/v2/enterprise/{child}");
    // Dale: a parent-enterprise admin, but only a member of the organization.
    let dale = app.token_as(DALE, &["enterprise_view_all"]).await;
    let b = app.get(&path, Auth::Raw(dale)).await.expect_error(404);
    assert_eq!(b["name"], "NotFound");
    app.add_outsider("out@else.test");
    let outsider = app
        .token_as("out@else.test", &["enterprise_view_all"])
        .await;
    app.get(&path, Auth::Raw(outsider)).await.expect_error(404);
    // Its end user and the organization admin see it.
    let chazz = app.token_as(CHAZZ, &["enterprise_view_all"]).await;
    let e = app.get(&path, Auth::Raw(chazz)).await.ok();
    assert_eq!(e["kycState"], "approved");
    let brennan = app.token_with(&["enterprise_view_all"]).await;
    app.get(&path, Auth::Raw(brennan)).await.ok();
    // A wrong scope is still a 403 first.
    let profile = app.token_with(&["profile"]).await;
    app.get(&path, Auth::Raw(profile)).await.expect_error(403);
}
