//! Enterprises: get and list, for members with `enterprise_view_all`.

use serde_json::json;

use crate::helpers::*;

/// The fields BitGo's `GetEnterpriseResponse` marks required, plus `organizationId`.
const REQUIRED: &[&str] = &[
    "id",
    "name",
    "organizationId",
    "bitgoOrg",
    "kycState",
    "legalIdentifiers",
    "type",
    "latestSAVersionSigned",
    "travelRule",
    "productLicenses",
    "canAccessBorrowing",
    "canAccessLending",
    "canAccessSettlement",
    "canAccessTrading",
    "canCreateColdWallet",
    "canCreateHotWallet",
    "canCreateCustodialWallet",
    "canCreateOffchainWallet",
    "oneTimeFees",
    "upfrontPaymentStatus",
    "ethAlwaysUseHop",
    "usersViewAllWallets",
    "videoIdWaived",
    "wallets",
    "tags",
    "hasScimClient",
];

#[actix_web::test]
async fn get_enterprise_on_v1_and_v2_with_every_required_field() {
    let app = spawn_app().await;
    let token = app.token_with(&["enterprise_view_all"]).await;
    for v in ["v1", "v2"] {
        for auth in [
            Auth::Raw(token.clone()),
            Auth::V2(token.clone()),
            Auth::V3(token.clone()),
        ] {
            let e = app
                .get(
                    &format!("/api/{v}/enterprise/{}", app.demo.enterprise_id),
                    auth,
                )
                .await
                .ok();
            for field in REQUIRED {
                assert!(e.get(field).is_some(), "{field} missing on {v}: {e}");
            }
            assert_eq!(e["id"], app.demo.enterprise_id.as_str());
            assert_eq!(e["name"], "Prestige Worldwide");
            assert_eq!(e["organizationId"], app.demo.organization_id.as_str());
            assert_ne!(e["organizationId"], e["id"]);
            assert_eq!(
                e["legalIdentifiers"]["legalPersonNameIdentifierType"],
                "LEGL"
            );
            assert_eq!(e["permissions"], json!(["admin"]));
        }
    }
}

#[actix_web::test]
async fn list_shows_the_callers_enterprises() {
    let app = spawn_app().await;
    let token = app.token_with(&["enterprise_view_all"]).await;
    for v in ["v1", "v2"] {
        let list = app
            .get(&format!("/api/{v}/enterprise"), Auth::V2(token.clone()))
            .await
            .ok();
        let items = list["enterprises"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["id"], app.demo.enterprise_id.as_str());
    }
}

#[actix_web::test]
async fn without_enterprise_view_all_it_is_a_403_naming_the_scope() {
    let app = spawn_app().await;
    let token = app.token_with(&["profile", "enterprise_manage_all"]).await;
    for path in [
        format!("/api/v2/enterprise/{}", app.demo.enterprise_id),
        "/api/v2/enterprise".to_string(),
    ] {
        let b = app
            .get(&path, Auth::Raw(token.clone()))
            .await
            .expect_error(403);
        assert!(
            b["error"].as_str().unwrap().contains("enterprise_view_all"),
            "{b}"
        );
        assert_eq!(b["context"]["requiredScope"], "enterprise_view_all");
    }
}

#[actix_web::test]
async fn all_scope_grants_the_read() {
    let app = spawn_app().await;
    let token = app.token_with(&["all"]).await;
    app.get(
        &format!("/api/v2/enterprise/{}", app.demo.enterprise_id),
        Auth::Raw(token),
    )
    .await
    .ok();
}

#[actix_web::test]
async fn only_members_see_an_enterprise() {
    let app = spawn_app().await;
    let other = "e".repeat(32);
    app.seed(json!({
        "now": 0,
        "enterprises": [{"key": "else", "id": other, "name": "Someone Else",
                         "businessModel": "bitgoAsAService", "accountType": "entity",
                         "kycState": "approved"}],
    }));
    let token = app.token_with(&["enterprise_view_all"]).await;
    let b = app
        .get(
            &format!("/api/v2/enterprise/{other}"),
            Auth::Raw(token.clone()),
        )
        .await
        .expect_error(403);
    assert!(b["error"].as_str().unwrap().contains("member"));
    let list = app.get("/api/v2/enterprise", Auth::Raw(token)).await.ok();
    assert_eq!(list["enterprises"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn unknown_and_malformed_ids() {
    let app = spawn_app().await;
    let token = app.token_with(&["enterprise_view_all"]).await;
    app.get(
        &format!("/api/v2/enterprise/{}", "0".repeat(32)),
        Auth::Raw(token.clone()),
    )
    .await
    .expect_error(404);
    app.get("/api/v2/enterprise/not-an-id", Auth::Raw(token))
        .await
        .expect_error(400);
}
