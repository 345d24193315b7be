//! Organization policies: who may read and set them, their dependencies, and a policy that
//! blocks what a member would otherwise do (two-step login keeps an invitee out).

use serde_json::{json, Value};

use crate::bitwarden_members::{invite_link, register};
use crate::bitwarden_support::*;

#[actix_rt::test]
async fn a_two_step_login_policy_keeps_an_invitee_without_it_out() {
    let bw = spawn_bw().await;
    let (owner, admin, user) = (
        bw.login(ART).await,
        bw.login(GEORGE).await,
        bw.login(KRAMER).await,
    );
    let base = format!("/api/organizations/{}/policies", bw.org_id);
    let before = bw.snapshot().await;
    expect_bw_error(&bw.get(&base, &user).await, 404, "Resource not found.");
    let r = bw
        .call("PUT", &format!("{base}/0"), &user, json!({"enabled": true}))
        .await;
    expect_bw_error(&r, 404, "Resource not found.");
    // Account recovery needs the Single organization policy on first.
    let r = bw
        .call(
            "PUT",
            &format!("{base}/8"),
            &admin,
            json!({"enabled": true}),
        )
        .await;
    expect_bw_error(
        &r,
        400,
        "Turn on the Single organization policy because it is required for the Account recovery administration policy.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");

    let off = bw.get(&format!("{base}/0"), &admin).await.ok();
    assert_eq!(
        (off["enabled"].clone(), off["id"].clone()),
        (json!(false), Value::Null)
    );
    let on = bw
        .call(
            "PUT",
            &format!("{base}/TwoFactorAuthentication"),
            &admin,
            json!({"enabled": true, "data": null}),
        )
        .await
        .ok();
    assert_eq!(
        (
            on["object"].clone(),
            on["type"].clone(),
            on["enabled"].clone()
        ),
        (json!("policy"), json!(0), json!(true))
    );
    let listed = bw.get(&base, &owner).await.ok();
    assert_eq!(
        listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["enabled"] == true)
            .count(),
        1
    );

    // Puddy has no two-step login: the invitation cannot be accepted.
    let email = "puddy@vandelay.test";
    let (member_id, token) = invite_link(&bw, &owner, email).await;
    let puddy = register(&bw, email).await;
    let path = format!("/api/organizations/{}/users/{member_id}/accept", bw.org_id);
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("POST", &path, &puddy, json!({"token": token})).await,
        400,
        "You cannot join this organization vault until you enable two-step login on your user account.",
    );
    assert_eq!(before, bw.snapshot().await);
    // Turned off again, the same link works.
    bw.call(
        "PUT",
        &format!("{base}/0"),
        &owner,
        json!({"enabled": false}),
    )
    .await
    .ok();
    expect_empty(
        &bw.call("POST", &path, &puddy, json!({"token": token}))
            .await,
        200,
    );
    let events = bw
        .get(&format!("/api/organizations/{}/events", bw.org_id), &owner)
        .await
        .ok();
    assert!(events["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == 1700 && e["policyId"] == on["id"]));
}
