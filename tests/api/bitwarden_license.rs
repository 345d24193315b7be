//! Licenses: downloaded from a cloud sandbox, applied on a self-hosted one (the same data
//! directory, so the same signing key and installation id); tampered and foreign licenses are
//! refused; both the current and the seed's upload paths.

use orgbox::config::bitwarden::Deployment;
use serde_json::{json, Value};

use crate::bitwarden_support::*;
use crate::helpers::{spawn_app_in, Auth, Req, Resp};

fn multipart(license: &Value, key: &str) -> (Vec<u8>, String) {
    let boundary = "----orgboxBoundary7MA4YWxkTrZu0gW";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"license\"; filename=\"license.json\"\r\nContent-Type: application/json\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n{key}\r\n--{boundary}--\r\n",
        serde_json::to_string_pretty(license).unwrap()
    );
    (
        body.into_bytes(),
        format!("multipart/form-data; boundary={boundary}"),
    )
}

async fn upload(bw: &BwApp, path: &str, token: &str, license: &Value) -> Resp {
    let (body, ct) = multipart(license, "4.AAAA");
    bw.app
        .send(
            Req::post(path)
                .raw(&body, &ct)
                .auth(Auth::Raw(token.into())),
        )
        .await
}

async fn installation(bw: &BwApp) -> String {
    bw.app
        .text("SELECT value FROM bw_settings WHERE name = 'installation_id'")
}

async fn download(bw: &BwApp, token: &str) -> Value {
    let id = installation(bw).await;
    bw.get(
        &format!(
            "/api/organizations/{}/license?installationId={id}",
            bw.org_id
        ),
        token,
    )
    .await
    .ok()
}

/// The same data directory (so the same signing key and installation id) started self-hosted.
async fn self_hosted(cloud: BwApp) -> BwApp {
    let BwApp { app, org_id } = cloud;
    let app = spawn_app_in(app.stop().await, |c| {
        c.bitwarden.users = orgbox::config::bitwarden::BitwardenConfig::default().users;
        c.bitwarden.deployment = Deployment::SelfHosted;
    })
    .await;
    BwApp { app, org_id }
}

#[actix_rt::test]
async fn a_downloaded_license_applies_on_the_self_hosted_sandbox_and_tampering_is_refused() {
    let cloud = spawn_bw().await;
    let owner = cloud.login(ART).await;
    let license = download(&cloud, &owner).await;
    assert!(license.get("object").is_none());
    assert_eq!(license["id"], json!(cloud.org_id));
    assert_eq!(license["selfHost"], true);
    assert_eq!(license["licenseType"], 1);
    assert!(license["signature"].is_string() && license["hash"].is_string());
    let bad = cloud
        .get(
            &format!(
                "/api/organizations/{}/license?installationId=nope",
                cloud.org_id
            ),
            &owner,
        )
        .await;
    expect_bw_error(&bad, 400, "Invalid installation id");
    // Upload is self-hosted only.
    let r = upload(
        &cloud,
        "/api/organizations/licenses/self-hosted",
        &owner,
        &license,
    )
    .await;
    expect_bw_error(&r, 400, "Only allowed when self hosted.");
    // Free the license's organization id, then start the same data directory self-hosted.
    let deleted = cloud
        .call(
            "DELETE",
            &format!("/api/organizations/{}", cloud.org_id),
            &owner,
            json!({"otp": "000000"}),
        )
        .await;
    assert_eq!(deleted.status, 200);
    let org_id = cloud.org_id.clone();
    let hosted = self_hosted(cloud).await;
    let token = hosted.login(KRAMER).await;

    let before = hosted.snapshot().await;
    // The token is trusted when present: a tampered token is refused...
    let mut bad_token = license.clone();
    let t = license["token"].as_str().unwrap();
    let (head, rest) = t.split_once('.').unwrap();
    let (body, sig) = rest.split_once('.').unwrap();
    let mut flipped = body.to_string();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    bad_token["token"] = json!(format!("{head}.{flipped}.{sig}"));
    let r = upload(
        &hosted,
        "/api/organizations/licenses/self-hosted",
        &token,
        &bad_token,
    )
    .await;
    expect_bw_error(&r, 400, "Invalid license. The license token is not valid.");
    // ...and without a token, the legacy signature covers the fields.
    let mut legacy_tampered = license.clone();
    legacy_tampered.as_object_mut().unwrap().remove("token");
    legacy_tampered["seats"] = json!(1000);
    let r = upload(
        &hosted,
        "/api/organizations/licenses/self-hosted",
        &token,
        &legacy_tampered,
    )
    .await;
    expect_bw_error(
        &r,
        400,
        "Invalid license. The license signature is not valid.",
    );
    let (body, ct) = multipart(&json!("not an object"), "4.AAAA");
    let r = hosted
        .app
        .send(
            Req::post("/organizations/licenses/self-hosted")
                .raw(&body, &ct)
                .auth(Auth::Raw(token.clone())),
        )
        .await;
    expect_bw_error(&r, 400, "Invalid license");
    assert_eq!(before, hosted.snapshot().await);

    // Plain fields edited beside a valid token are overwritten by its claims (the server trusts
    // the token), on the seed's old path.
    let mut edited = license.clone();
    edited["seats"] = json!(1000);
    let created = upload(&hosted, "/organizations/license", &token, &edited)
        .await
        .ok();
    assert_eq!(created["id"], json!(org_id));
    assert_eq!(created["seats"], license["seats"]);
    assert_eq!(
        created["plan"]["passwordManager"],
        Value::Null,
        "self-hosted plans come from the org"
    );
    let mine = hosted.get("/api/organizations", &token).await.ok();
    let me = mine["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == json!(org_id))
        .unwrap()
        .clone();
    assert_eq!(
        (me["type"].clone(), me["key"].clone()),
        (json!(0), json!("4.AAAA"))
    );
    let again = upload(
        &hosted,
        "/api/organizations/licenses/self-hosted",
        &token,
        &license,
    )
    .await;
    expect_bw_error(
        &again,
        400,
        "License is already in use by another organization.",
    );
    // Updating with the same license needs the owner claim of the new organization: the token
    // issued before it existed gets a 404 (as on the server), a refreshed one is accepted; a
    // non-owner gets a 404.
    let path = format!("/api/organizations/licenses/self-hosted/{org_id}");
    let stale = upload(&hosted, &path, &token, &license).await;
    expect_bw_error(&stale, 404, "Resource not found.");
    let token = hosted.login(KRAMER).await;
    let r = upload(
        &hosted,
        &format!("/api/organizations/licenses/self-hosted/{org_id}"),
        &token,
        &license,
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let other = hosted.login(GEORGE).await;
    let r = upload(
        &hosted,
        &format!("/api/organizations/licenses/self-hosted/{org_id}"),
        &other,
        &license,
    )
    .await;
    expect_bw_error(&r, 404, "Resource not found.");
}

#[actix_rt::test]
async fn a_license_from_another_sandbox_is_refused() {
    let other = spawn_bw().await;
    let foreign = download(&other, &other.login(ART).await).await;
    let hosted = spawn_bw_with(|c| c.bitwarden.deployment = Deployment::SelfHosted).await;
    let token = hosted.login(ART).await;
    let before = hosted.snapshot().await;
    let r = upload(
        &hosted,
        "/api/organizations/licenses/self-hosted",
        &token,
        &foreign,
    )
    .await;
    let e = expect_bw_error(
        &r,
        400,
        &format!(
            "Invalid license. {} {}",
            "The license token is not valid.",
            "The installation ID does not match the current installation."
        ),
    );
    assert!(e["validationErrors"].is_null());
    assert_eq!(before, hosted.snapshot().await);
}

#[actix_rt::test]
async fn an_update_must_fit_the_seats_in_use() {
    // A license this sandbox signed for its own organization with fewer seats than members:
    // downloaded on the cloud sandbox while billing had set 2 seats (then set back), and
    // applied after the same data directory starts self-hosted.
    let cloud = spawn_bw().await;
    let owner = cloud.login(ART).await;
    let org = cloud
        .get(&format!("/api/organizations/{}", cloud.org_id), &owner)
        .await
        .ok();
    cloud.patch_org(&cloud.org_id, json!({"seats": 2}));
    let license = download(&cloud, &owner).await;
    assert_eq!(license["seats"], 2);
    cloud.patch_org(&cloud.org_id, json!({"seats": org["seats"]}));
    let hosted = self_hosted(cloud).await;
    let token = hosted.login(ART).await;
    let before = hosted.snapshot().await;
    let r = upload(
        &hosted,
        &format!("/api/organizations/licenses/self-hosted/{}", hosted.org_id),
        &token,
        &license,
    )
    .await;
    expect_bw_error(&r, 400, "Your organization currently has 4 seats filled. Your new license only has (2) seats. Remove some users.");
    assert_eq!(before, hosted.snapshot().await);
}
