//! `POST /sandbox/console/bitwarden/token`: the console's acting admin gets a Bitwarden access
//! token minted as the identity server mints one, so the real routes' rules decide what it may
//! do; a member who does not manage users, another site's page and a simple request get none.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::{json, Value};

use crate::bitwarden_support::*;
use crate::helpers::*;

const TOKEN_ROUTE: &str = "/sandbox/console/bitwarden/token";

/// The console's acting token for `email`'s membership in the demo organization.
fn act_as(bw: &BwApp, member: &str) -> Resp {
    bw.app.control(
        Req::post(TOKEN_ROUTE).json(&json!({"organizationId": bw.org_id, "memberId": member})),
    )
}

/// A JWT's claims, read as a client reads them (no signature check).
fn claims(token: &str) -> Value {
    let body = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&B64URL.decode(body).unwrap()).unwrap()
}

/// The claims that say what a token may do, without the per-token ones (times, ids, device).
fn deciding(c: &Value) -> Value {
    let mut c = c.clone();
    for per_token in [
        "nbf",
        "exp",
        "auth_time",
        "jti",
        "device",
        "devicetype",
        "client_id",
        "scope",
    ] {
        c.as_object_mut().unwrap().remove(per_token);
    }
    c
}

#[actix_rt::test]
async fn an_admins_console_token_carries_the_real_claims_and_the_rules_decide() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let (george, kramer, art) = (
        member_id(&bw, &owner, GEORGE).await,
        member_id(&bw, &owner, KRAMER).await,
        member_id(&bw, &owner, ART).await,
    );
    let minted = act_as(&bw, &george).ok();
    assert_eq!(minted["email"], GEORGE);
    assert_eq!(minted["type"], 1);
    assert_eq!(minted["tokenType"], "Bearer");
    let token = minted["accessToken"].as_str().unwrap().to_string();
    let by_login = claims(&bw.login(GEORGE).await);
    let by_console = claims(&token);
    assert_eq!(
        deciding(&by_console),
        deciding(&by_login),
        "the same claims as a login's"
    );
    assert_eq!(by_console["orgadmin"], json!(bw.org_id));
    assert_eq!(
        by_console["scope"],
        json!(["api"]),
        "no offline_access, no refresh token"
    );
    assert!(minted.get("refresh_token").is_none() && minted.get("refreshToken").is_none());

    // The real routes take it as George's and apply their rules.
    let users = format!("/api/organizations/{}/users", bw.org_id);
    let revoked = bw
        .call(
            "PUT",
            &format!("{users}/{kramer}/revoke"),
            &token,
            json!({}),
        )
        .await;
    assert_eq!(
        revoked.status,
        200,
        "{}",
        String::from_utf8_lossy(&revoked.body)
    );
    let read = bw.get(&format!("{users}/{kramer}"), &owner).await.ok();
    assert_eq!(read["status"], -1);
    let before = bw.snapshot().await;
    let refused = bw
        .call("DELETE", &format!("{users}/{art}"), &token, json!({}))
        .await;
    expect_bw_error(&refused, 400, "Only owners can remove other owners.");
    assert_eq!(bw.snapshot().await, before, "the refusal changed nothing");
    let journal = bw
        .app
        .control(Req::get("/sandbox/journal?method=DELETE"))
        .ok();
    let entry = &journal["requests"][0];
    assert_eq!(entry["path"], format!("{users}/{art}"));
    assert_eq!(entry["status"], 400);
    assert_eq!(
        entry["userId"], by_console["sub"],
        "journalled as George's own request"
    );
}

#[actix_rt::test]
async fn no_token_for_a_member_who_does_not_manage_users_nor_for_another_site() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let (george, kramer) = (
        member_id(&bw, &owner, GEORGE).await,
        member_id(&bw, &owner, KRAMER).await,
    );
    let before = bw.snapshot().await;

    let user = act_as(&bw, &kramer);
    assert_eq!(user.status, 403, "{}", String::from_utf8_lossy(&user.body));
    assert_eq!(user.json()["code"], "forbidden");
    assert!(user.json().get("accessToken").is_none());
    let unknown = act_as(&bw, "00000000-0000-0000-0000-000000000000");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["code"], "not_found");

    let body = json!({"organizationId": bw.org_id, "memberId": george});
    let page = |r: Req| bw.app.control(r);
    let other_origin = page(
        Req::post(TOKEN_ROUTE)
            .json(&body)
            .header("Origin", "http://evil.example"),
    );
    assert_eq!(
        (other_origin.status, other_origin.json()["code"].clone()),
        (403, json!("cross_origin_refused"))
    );
    let cross_site = page(
        Req::post(TOKEN_ROUTE)
            .json(&body)
            .header("Sec-Fetch-Site", "cross-site"),
    );
    assert_eq!(
        (cross_site.status, cross_site.json()["code"].clone()),
        (403, json!("cross_site_refused"))
    );
    let simple = page(Req::post(TOKEN_ROUTE).raw(body.to_string().as_bytes(), "text/plain"));
    assert_eq!(
        (simple.status, simple.json()["code"].clone()),
        (415, json!("unsupported_media_type"))
    );
    for r in [&other_origin, &cross_site, &simple] {
        assert!(!String::from_utf8_lossy(&r.body).contains("accessToken"));
    }
    let get = page(Req::get(TOKEN_ROUTE));
    assert_eq!(get.status, 405);
    assert_eq!(bw.snapshot().await, before, "the refusals changed nothing");

    // An admin revoked by the owner is no longer acted as.
    let users = format!("/api/organizations/{}/users", bw.org_id);
    assert_eq!(
        bw.call(
            "PUT",
            &format!("{users}/{george}/revoke"),
            &owner,
            json!({})
        )
        .await
        .status,
        200
    );
    let revoked = act_as(&bw, &george);
    assert_eq!(
        (revoked.status, revoked.json()["code"].clone()),
        (403, json!("forbidden"))
    );
}
