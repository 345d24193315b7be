//! The control plane's arrangement routes, which stand in for what the vendors' own staff and
//! services set: an enterprise member with exact permissions (BitGo support), and a Bitwarden
//! organization's seats, storage, SSO identifier, features and SSO links. Each writes what it
//! is asked and nothing else; a bad request is refused and changes nothing.

use serde_json::{json, Value};

use crate::bitwarden_support::*;
use crate::control::control_error;
use crate::fixtures::{lone_enterprise, mail_to, user_id, world_except};
use crate::helpers::*;

fn set_member(app: &TestApp, enterprise: &str, body: Value) -> Resp {
    app.control(Req::post(&format!("/sandbox/enterprises/{enterprise}/members")).json(&body))
}

fn digest(app: &TestApp) -> Value {
    app.control(Req::get("/sandbox/digest")).ok()["digest"].clone()
}

/// Dale's entry in the enterprise's user list, as Brennan sees it.
async fn dale_in(app: &TestApp, enterprise: &str) -> Value {
    let login = app.login(BRENNAN).await;
    let list = app
        .get(
            &format!("/api/v2/enterprise/{enterprise}/user"),
            Auth::Raw(login),
        )
        .await
        .ok();
    ["adminUsers", "nonAdminUsers"]
        .iter()
        .flat_map(|group| list[*group].as_array().unwrap().iter())
        .find(|u| u["username"] == DALE)
        .cloned()
        .unwrap_or(Value::Null)
}

#[actix_web::test]
async fn an_enterprise_member_is_set_at_once_with_exactly_its_permissions() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[]);
    let dale = user_id(&app, DALE);
    let others = world_except(&app, &["enterprise_members"]);
    let r = set_member(
        &app,
        &eid,
        json!({"email": DALE, "permissions": ["auditor"], "videoApprover": true, "joinedAt": 5}),
    )
    .ok();
    assert_eq!(
        r,
        json!({"enterpriseId": eid, "userId": dale, "permissions": ["auditor"], "videoApprover": true})
    );
    let listed = dale_in(&app, &eid).await;
    assert_eq!(listed["permissions"], json!(["auditor"]));
    assert_eq!(listed["videoIdUser"], true);
    // No approval, no mail, nothing but the membership.
    assert!(mail_to(&app, DALE).is_empty());
    assert_eq!(world_except(&app, &["enterprise_members"]), others);

    // Again by id: the permissions are replaced, the join time and the video flag kept.
    let r = set_member(
        &app,
        &eid,
        json!({"userId": dale, "permissions": ["admin"]}),
    )
    .ok();
    assert_eq!(r["permissions"], json!(["admin"]));
    assert_eq!(r["videoApprover"], true);
    assert_eq!(dale_in(&app, &eid).await["permissions"], json!(["admin"]));
    assert_eq!(
        app.count(&format!(
            "SELECT created_at FROM enterprise_members WHERE enterprise_id = '{eid}' AND user_id = '{dale}'"
        )),
        5
    );
    let r = set_member(
        &app,
        &eid,
        json!({"userId": dale, "permissions": ["admin"], "videoApprover": false}),
    )
    .ok();
    assert_eq!(r["videoApprover"], false);
    assert_eq!(dale_in(&app, &eid).await["videoIdUser"], false);
}

#[actix_web::test]
async fn a_bad_member_request_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[]);
    let before = digest(&app);
    let unknown = "0".repeat(32);
    for (enterprise, body, status, code) in [
        (
            unknown.as_str(),
            json!({"email": DALE, "permissions": ["admin"]}),
            404,
            "not_found",
        ),
        (
            &eid,
            json!({"email": "nobody@example.test", "permissions": ["admin"]}),
            404,
            "not_found",
        ),
        (
            &eid,
            json!({"userId": unknown, "permissions": ["admin"]}),
            404,
            "not_found",
        ),
        (
            &eid,
            json!({"userId": "not-an-id", "permissions": ["admin"]}),
            400,
            "invalid_request",
        ),
        (
            &eid,
            json!({"permissions": ["admin"]}),
            400,
            "invalid_request",
        ),
        (
            &eid,
            json!({"email": DALE, "permissions": []}),
            400,
            "invalid_request",
        ),
        (
            &eid,
            json!({"email": DALE, "permissions": ["owner"]}),
            400,
            "invalid_request",
        ),
        (
            &eid,
            json!({"email": DALE, "permissions": ["admin"], "role": "admin"}),
            400,
            "invalid_request",
        ),
        (
            &eid,
            json!({"email": DALE, "permissions": ["admin"], "videoApprover": "yes"}),
            400,
            "invalid_request",
        ),
    ] {
        let r = set_member(&app, enterprise, body.clone());
        assert_eq!(control_error(&r, status), code, "{body}");
    }
    assert_eq!(digest(&app), before, "no refusal changed anything");
    assert_eq!(dale_in(&app, &eid).await, Value::Null);
}

#[actix_rt::test]
async fn a_bitwarden_organization_takes_seats_storage_identifier_and_features() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let r = bw.patch_org(
        &bw.org_id,
        json!({"seats": 7, "storageBytes": 1024, "identifier": "vandelay-sso",
               "features": {"useApi": false, "useGroups": true}}),
    );
    assert_eq!(r["seats"], 7);
    assert_eq!(r["storageBytes"], 1024);
    assert_eq!(r["identifier"], "vandelay-sso");
    assert_eq!(r["features"]["useApi"], false);
    assert_eq!(r["features"]["useGroups"], true);
    let org = bw
        .get(&format!("/api/organizations/{}", bw.org_id), &owner)
        .await
        .ok();
    assert_eq!(org["seats"], 7);
    assert_eq!(org["useApi"], false);
    assert_eq!(org["useGroups"], true);
    let found = bw
        .get("/api/organizations/vandelay-sso/auto-enroll-status", &owner)
        .await
        .ok();
    assert_eq!(found["id"], json!(bw.org_id));
    // Only what a patch names changes; `null` seats are unlimited.
    let r = bw.patch_org(&bw.org_id, json!({"seats": null}));
    assert_eq!(r["seats"], Value::Null);
    assert_eq!(r["identifier"], "vandelay-sso");
    assert_eq!(r["storageBytes"], 1024);
    assert_eq!(r["features"]["useApi"], false);
}

#[actix_rt::test]
async fn a_bad_bitwarden_patch_or_link_is_refused_and_changes_nothing() {
    let bw = spawn_bw().await;
    let token = bw.login(KRAMER).await;
    let other = bw
        .call(
            "POST",
            "/api/organizations",
            &token,
            json!({"name": "Kramerica", "billingEmail": KRAMER, "planType": 0, "key": "4.AAAA",
                   "keys": {"publicKey": "AAAA", "encryptedPrivateKey": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA"}}),
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    bw.patch_org(&other, json!({"identifier": "kramerica"}));
    let before = bw.snapshot().await;
    let unknown = "00000000-0000-0000-0000-000000000000";
    for (org, body, status, code) in [
        (
            bw.org_id.as_str(),
            json!({"name": "x"}),
            400,
            "invalid_request",
        ),
        (
            &bw.org_id,
            json!({"features": {"useTeleport": true}}),
            400,
            "invalid_request",
        ),
        (
            &bw.org_id,
            json!({"features": {"useApi": "no"}}),
            400,
            "invalid_request",
        ),
        (
            &bw.org_id,
            json!({"features": true}),
            400,
            "invalid_request",
        ),
        (&bw.org_id, json!({"seats": -1}), 400, "invalid_request"),
        (&bw.org_id, json!({"seats": "5"}), 400, "invalid_request"),
        (
            &bw.org_id,
            json!({"storageBytes": 1.5}),
            400,
            "invalid_request",
        ),
        (&bw.org_id, json!({"identifier": 5}), 400, "invalid_request"),
        (
            &bw.org_id,
            json!({"identifier": "kramerica"}),
            409,
            "conflict",
        ),
        (unknown, json!({"seats": 1}), 404, "not_found"),
    ] {
        let r = bw.app.control(
            Req::method("PATCH", &format!("/sandbox/bitwarden/organizations/{org}")).json(&body),
        );
        assert_eq!(control_error(&r, status), code, "{body}");
    }
    for (org, body, status, code) in [
        (
            bw.org_id.as_str(),
            json!({"email": "nobody@vandelay.test"}),
            404,
            "not_found",
        ),
        (unknown, json!({"email": KRAMER}), 404, "not_found"),
        (
            &bw.org_id,
            json!({"externalId": "ext"}),
            400,
            "invalid_request",
        ),
    ] {
        let r = bw.app.control(
            Req::post(&format!("/sandbox/bitwarden/organizations/{org}/sso-links")).json(&body),
        );
        assert_eq!(control_error(&r, status), code, "{body}");
    }
    assert_eq!(before, bw.snapshot().await, "no refusal changed anything");
}
