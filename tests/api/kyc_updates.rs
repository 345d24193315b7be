//! KYC, continued: patching an identity, and the control plane deciding one at once.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::kyc::{Kyc, DECISION, TOUCHED};

#[actix_web::test]
async fn patching_an_identity() {
    let k = Kyc::new().await;
    let id = k.submit(k.body(), &k.service).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/evs/v1/identity/{id}");
    let patch = |body: Value| {
        Req::method("PATCH", &path)
            .json(&body)
            .auth(Auth::V2(k.service.clone()))
    };
    let updated = k
        .app
        .send(patch(json!({"addressCity": "Oakland", "debugStatus": "failed", "debugFailureReason": "ssn mismatch"})))
        .await
        .ok();
    assert_eq!(updated["id"], id.as_str());
    assert_eq!(updated["status"], "initiating");
    assert_eq!(
        updated["organizationId"],
        k.app.demo.organization_id.as_str()
    );
    assert_eq!(k.poll(&id).await["addressCity"], "Oakland");
    let before = k.app.snapshot(TOUCHED);
    let b = k
        .app
        .send(patch(json!({"enterpriseId": k.app.demo.enterprise_id})))
        .await
        .expect_error(400);
    assert!(b["error"].as_str().unwrap().contains("enterpriseId"), "{b}");
    k.app
        .send(patch(json!({"politicallyExposedPerson": "no"})))
        .await
        .expect_error(400);
    let dale = k.app.token_as(DALE, SEED_SCOPES).await;
    k.app
        .send(
            Req::method("PATCH", &path)
                .json(&json!({}))
                .auth(Auth::Raw(dale)),
        )
        .await
        .expect_error(403);
    k.app
        .send(
            Req::method("PATCH", &format!("/api/evs/v1/identity/{}", "0".repeat(36)))
                .json(&json!({}))
                .auth(Auth::Raw(k.service.clone())),
        )
        .await
        .expect_error(404);
    assert_eq!(k.app.snapshot(TOUCHED), before);
    // The patched hook decides the outcome; a decided identity cannot be patched.
    k.app.advance_clock(DECISION);
    let got = k.poll(&id).await;
    assert_eq!(got["status"], "declined");
    assert_eq!(got["errorDescription"], "ssn mismatch");
    k.app
        .send(patch(json!({"addressCity": "Fresno"})))
        .await
        .expect_error(409);
}

#[actix_web::test]
async fn the_control_plane_completes_an_identity_at_once() {
    let k = Kyc::new().await;
    let id = k.submit(k.body(), &k.service).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let done = k
        .app
        .post(
            &format!("/sandbox/kyc/{id}/complete"),
            json!({}),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(done["status"], "approved");
    assert_eq!(k.poll(&id).await["status"], "approved");
    assert_eq!(k.kyc_state().await, "approved");
    // Completing again the same way is fine; the other way is a conflict.
    k.app
        .post(
            &format!("/sandbox/kyc/{id}/complete"),
            json!({"status": "approved"}),
            Auth::None,
        )
        .await
        .ok();
    let r = k
        .app
        .post(
            &format!("/sandbox/kyc/{id}/complete"),
            json!({"status": "declined"}),
            Auth::None,
        )
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["code"], "conflict");
    let r = k
        .app
        .post(
            &format!("/sandbox/kyc/{id}/complete"),
            json!({"status": "maybe"}),
            Auth::None,
        )
        .await;
    assert_eq!(r.status, 400);
    let r = k
        .app
        .post(
            &format!("/sandbox/kyc/{}/complete", "0".repeat(36)),
            json!({}),
            Auth::None,
        )
        .await;
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (404, json!("not_found"))
    );
}

#[actix_web::test]
async fn the_control_plane_can_decline() {
    let k = Kyc::new().await;
    let id = k.submit(k.body(), &k.service).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    k.app
        .post(
            &format!("/sandbox/kyc/{id}/complete"),
            json!({"status": "declined"}),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(k.poll(&id).await["status"], "declined");
    assert_eq!(k.kyc_state().await, "rejected");
}
