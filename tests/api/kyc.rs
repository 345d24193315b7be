//! KYC for a child enterprise's user (`/api/evs/v1/identity`): validation, who may submit,
//! status moving on the sandbox clock with the enterprise's kycState following, the test
//! hooks, patching, and the control plane's "complete now".

use serde_json::{json, Value};

use crate::helpers::*;

/// Delays used here (seconds): far from what a test run takes in real time.
pub(crate) const REVIEW: i64 = 60;
pub(crate) const DECISION: i64 = 600;

pub(crate) const TOUCHED: &[&str] = &["kyc_identities", "(SELECT id, kyc_state FROM enterprises)"];

/// A fresh app with a child enterprise to verify.
pub(crate) struct Kyc {
    pub app: TestApp,
    pub enterprise: String,
    pub user: String,
    pub service: String,
}

impl Kyc {
    /// A fresh app, a new child enterprise made by Brennan, and the service user's token.
    pub async fn new() -> Kyc {
        let app = spawn_app_with(|c| {
            c.kyc.review_after_seconds = REVIEW;
            c.kyc.decision_after_seconds = DECISION;
        })
        .await;
        let brennan = app.token_with(SEED_SCOPES).await;
        let created = app
            .post(
                &format!(
                    "/api/v2/organization/{}/enterprise",
                    app.demo.organization_id
                ),
                json!({
                    "email": "end.user@example.test",
                    "idempotencyKey": "kyc-child",
                    "additionalAdmins": [app.user_id(SERVICE)]
                }),
                Auth::Raw(brennan),
            )
            .await
            .ok();
        let service = app.token_as(SERVICE, SEED_SCOPES).await;
        Kyc {
            enterprise: created["enterpriseId"].as_str().unwrap().to_string(),
            user: created["userId"].as_str().unwrap().to_string(),
            service,
            app,
        }
    }

    /// BitGo's documented US-individual submission for the child's user.
    pub fn body(&self) -> Value {
        json!({
            "enterpriseId": self.enterprise,
            "userId": self.user,
            "organizationId": self.app.demo.organization_id,
            "nameFirst": "John",
            "nameLast": "Doe",
            "nameMiddle": "F",
            "debugStatus": "passed",
            "debugFailureReason": "",
            "phoneNumber": "+442083661173",
            "birthdate": "1990-03-13T00:00:00Z",
            "occupation": "Other - Default",
            "countryOfCitizenship": "USA",
            "countryOfResidence": "USA",
            "govIdCountryOfIssuance": "USA",
            "identificationNumber": "494-14-2205",
            "politicallyExposedPerson": false,
            "addressStreet1": "Street 1",
            "addressStreet2": "Unit 100",
            "addressCity": "San Jose",
            "addressSubdivision": "CA",
            "country": "USA",
            "transactionType": "institutionalIndividual",
            "addressPostalCode": "33604"
        })
    }

    pub async fn submit(&self, body: Value, token: &str) -> Resp {
        self.app
            .post("/api/evs/v1/identity", body, Auth::V2(token.to_string()))
            .await
    }

    pub async fn poll(&self, identity: &str) -> Value {
        let list = self
            .app
            .get(
                &format!(
                    "/api/evs/v1/identity?organizationId={}&enterpriseId={}&identityId={identity}",
                    self.app.demo.organization_id, self.enterprise
                ),
                Auth::V3(self.service.clone()),
            )
            .await
            .ok();
        assert_eq!(list["identities"].as_array().unwrap().len(), 1, "{list}");
        list["identities"][0].clone()
    }

    pub async fn kyc_state(&self) -> Value {
        let brennan = self.app.token_with(&["enterprise_view_all"]).await;
        self.app
            .get(
                &format!("/api/v2/enterprise/{}", self.enterprise),
                Auth::Raw(brennan),
            )
            .await
            .ok()["kycState"]
            .clone()
    }
}

#[actix_web::test]
async fn status_moves_on_the_sandbox_clock_and_the_enterprise_follows() {
    let k = Kyc::new().await;
    assert_eq!(k.kyc_state().await, "unverified");
    let created = k.submit(k.body(), &k.service).await.ok();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(created["status"], "initiating");
    assert_eq!(k.kyc_state().await, "pending");
    let got = k.poll(&id).await;
    for (field, value) in [
        ("status", json!("initiating")),
        ("organizationId", json!(k.app.demo.organization_id)),
        ("enterpriseId", json!(k.enterprise)),
        ("userId", json!(k.user)),
        ("nameFirst", json!("John")),
    ] {
        assert_eq!(got[field], value, "{field}: {got}");
    }
    assert!(got["createdAt"].is_string() && got["updatedAt"].is_string());
    k.app.advance_clock(REVIEW);
    assert_eq!(k.poll(&id).await["status"], "in review");
    assert_eq!(k.kyc_state().await, "pending");
    k.app.advance_clock(DECISION - REVIEW);
    // The enterprise follows even before anyone polls the identity.
    assert_eq!(k.kyc_state().await, "approved");
    let done = k.poll(&id).await;
    assert_eq!(done["status"], "approved");
    assert!(done.get("errorDescription").is_none(), "{done}");
    // Filters: by user, and the whole organization.
    let by_user = k
        .app
        .get(
            &format!("/api/evs/v1/identity?userId={}", k.user),
            Auth::Raw(k.service.clone()),
        )
        .await
        .ok();
    assert_eq!(by_user["identities"][0]["id"], id.as_str());
    let all = k
        .app
        .get(
            &format!(
                "/api/evs/v1/identity?organizationId={}",
                k.app.demo.organization_id
            ),
            Auth::Raw(k.service.clone()),
        )
        .await
        .ok();
    assert_eq!(
        all["identities"].as_array().unwrap().len(),
        2,
        "the demo child's and this one"
    );
}

#[actix_web::test]
async fn debug_status_failed_declines_with_the_given_reason() {
    let k = Kyc::new().await;
    let mut body = k.body();
    body["debugStatus"] = json!("failed");
    body["debugFailureReason"] = json!("expired");
    let id = k.submit(body, &k.service).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    k.app.advance_clock(DECISION);
    let got = k.poll(&id).await;
    assert_eq!(got["status"], "declined");
    assert_eq!(got["errorDescription"], "expired");
    assert_eq!(k.kyc_state().await, "rejected");
    // A declined identity may be submitted again.
    k.submit(k.body(), &k.service).await.ok();
    assert_eq!(k.kyc_state().await, "pending");
}

#[actix_web::test]
async fn an_organization_admin_may_submit_too() {
    let k = Kyc::new().await;
    let brennan = k.app.token_with(SEED_SCOPES).await;
    k.submit(k.body(), &brennan).await.ok();
}

#[actix_web::test]
async fn refused_submissions_change_nothing() {
    let k = Kyc::new().await;
    let dale = k.app.token_as(DALE, SEED_SCOPES).await;
    k.app.add_outsider("out@else.test");
    let outsider = k.app.token_as("out@else.test", SEED_SCOPES).await;
    let view_only = k.app.token_as(SERVICE, &["enterprise_view_all"]).await;
    let before = k.app.snapshot(TOUCHED);
    // Each missing required field is named.
    for field in [
        "nameFirst",
        "birthdate",
        "occupation",
        "politicallyExposedPerson",
        "userId",
    ] {
        let mut body = k.body();
        body.as_object_mut().unwrap().remove(field);
        let b = k.submit(body, &k.service).await.expect_error(400);
        assert!(b["error"].as_str().unwrap().contains(field), "{field}: {b}");
    }
    // The EU variant has its own.
    let mut eu = k.body();
    eu["transactionType"] = json!("euIndividual");
    let b = k.submit(eu, &k.service).await.expect_error(400);
    assert!(b["error"].as_str().unwrap().contains("dateOfBirth"), "{b}");
    // Bad values are named.
    for (field, value) in [
        ("occupation", json!("Astronaut")),
        ("debugStatus", json!("maybe")),
        ("identificationNumber", json!("12")),
    ] {
        let mut body = k.body();
        body[field] = value;
        let b = k.submit(body, &k.service).await.expect_error(400);
        assert!(b["error"].as_str().unwrap().contains(field), "{field}: {b}");
    }
    // A user who is not in the enterprise.
    let mut body = k.body();
    body["userId"] = json!(k.app.user_id(DALE));
    let b = k.submit(body, &k.service).await.expect_error(400);
    assert!(b["error"].as_str().unwrap().contains("userId"), "{b}");
    // The parent enterprise is not a child; an unknown one neither.
    for enterprise in [k.app.demo.enterprise_id.clone(), "0".repeat(32)] {
        let mut body = k.body();
        body["enterpriseId"] = json!(enterprise);
        k.submit(body, &k.service).await.expect_error(404);
    }
    // Unknown organization, outsider: 404; organization member: 403; scope: 403.
    let mut body = k.body();
    body["organizationId"] = json!("0".repeat(32));
    k.submit(body, &k.service).await.expect_error(404);
    k.submit(k.body(), &outsider).await.expect_error(404);
    let b = k.submit(k.body(), &dale).await.expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("service user"), "{b}");
    let b = k.submit(k.body(), &view_only).await.expect_error(403);
    assert_eq!(b["context"]["requiredScope"], "enterprise_manage_all");
    assert_eq!(k.app.snapshot(TOUCHED), before);
    // One open identity per user.
    k.submit(k.body(), &k.service).await.ok();
    let after_first = k.app.snapshot(TOUCHED);
    k.submit(k.body(), &k.service).await.expect_error(409);
    assert_eq!(k.app.snapshot(TOUCHED), after_first);
    // Reading: outsiders get a 404 for the organization, members a 403.
    let q = format!(
        "/api/evs/v1/identity?organizationId={}",
        k.app.demo.organization_id
    );
    k.app.get(&q, Auth::Raw(outsider)).await.expect_error(404);
    k.app.get(&q, Auth::Raw(dale)).await.expect_error(403);
    k.app
        .get(
            &format!("/api/evs/v1/identity?identityId={}", "0".repeat(36)),
            Auth::Raw(k.service.clone()),
        )
        .await
        .expect_error(404);
}

#[actix_web::test]
async fn concurrent_submissions_for_one_user_make_one_identity() {
    let k = Kyc::new().await;
    let replies =
        futures_util::future::join_all((0..6).map(|_| k.submit(k.body(), &k.service))).await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let conflicts = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!((ok, conflicts), (1, 5));
    assert_eq!(
        k.app.count(&format!(
            "SELECT count(*) FROM kyc_identities WHERE enterprise_id = '{}'",
            k.enterprise
        )),
        1
    );
}
