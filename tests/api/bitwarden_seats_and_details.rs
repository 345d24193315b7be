//! Behaviour the member routes already had, each pinned by a test that fails if it breaks:
//! cloud seat autoscaling on invitation up to `maxAutoscaleSeats` (`Seat limit has been
//! reached.`), the self-hosted refusal, account recovery auto-enrollment on acceptance, the
//! mini-details list every member may read, and `creationDate` and `accessPam` in the member
//! models.

use serde_json::{json, Value};

use crate::bitwarden_members::{invite_link, register};
use crate::bitwarden_support::*;

/// Invites `emails` as users; answers the reply.
async fn invite(bw: &BwApp, owner: &str, emails: &[&str]) -> crate::helpers::Resp {
    let path = format!("/api/organizations/{}/users/invite", bw.org_id);
    bw.call("POST", &path, owner, json!({"emails": emails, "type": 2}))
        .await
}

/// The demo organization's seats, as its owner reads them.
async fn seats(bw: &BwApp, owner: &str) -> Value {
    bw.get(&format!("/api/organizations/{}", bw.org_id), owner)
        .await
        .ok()["seats"]
        .clone()
}

fn seat_mails(bw: &BwApp) -> Vec<String> {
    bw.app.texts(
        "SELECT recipient || ' | ' || subject FROM outbox WHERE subject LIKE '%Seat Count Has Increased' ORDER BY rowid",
    )
}

#[actix_rt::test]
async fn a_cloud_invitation_past_the_seats_autoscales_up_to_the_ceiling() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    // Four seats are taken by the demo members; one is left.
    let set = bw.patch_org(&bw.org_id, json!({"seats": 5, "maxAutoscaleSeats": 7}));
    assert_eq!(set["maxAutoscaleSeats"], 7);
    let r = invite(&bw, &owner, &["a@x.test", "b@x.test", "c@x.test"]).await;
    expect_empty(&r, 200);
    assert_eq!(seats(&bw, &owner).await, json!(7));
    assert_eq!(
        seat_mails(&bw),
        vec![format!(
            "{ART} | Vandelay Industries Seat Count Has Increased"
        )]
    );
    let before = bw.snapshot().await;
    let outbox = bw.app.count("SELECT count(*) FROM outbox");
    expect_bw_error(
        &invite(&bw, &owner, &["d@x.test"]).await,
        400,
        "Seat limit has been reached.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    assert_eq!(outbox, bw.app.count("SELECT count(*) FROM outbox"));
    // A higher ceiling scales again; the owners are told only the first time.
    bw.patch_org(&bw.org_id, json!({"maxAutoscaleSeats": null}));
    expect_empty(&invite(&bw, &owner, &["d@x.test"]).await, 200);
    assert_eq!(seats(&bw, &owner).await, json!(8));
    assert_eq!(seat_mails(&bw).len(), 1);
}

#[actix_rt::test]
async fn a_self_hosted_invitation_past_the_seats_is_refused() {
    let bw = spawn_bw_with(|c| {
        c.bitwarden.deployment = orgbox::config::bitwarden::Deployment::SelfHosted;
    })
    .await;
    let owner = bw.login(ART).await;
    bw.patch_org(&bw.org_id, json!({"seats": 5}));
    expect_empty(&invite(&bw, &owner, &["a@x.test"]).await, 200);
    let before = bw.snapshot().await;
    expect_bw_error(
        &invite(&bw, &owner, &["b@x.test"]).await,
        400,
        "Cannot autoscale on self-hosted instance.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    assert_eq!(seats(&bw, &owner).await, json!(5));
}

#[actix_rt::test]
async fn auto_enrollment_needs_the_reset_password_key_on_acceptance() {
    let bw = spawn_bw_with(|c| c.bitwarden.auto_enroll = Some(true)).await;
    let owner = bw.login(ART).await;
    let email = "puddy@vandelay.test";
    let (member, token) = invite_link(&bw, &owner, email).await;
    let puddy = register(&bw, email).await;
    let accept = format!("/api/organizations/{}/users/{member}/accept", bw.org_id);
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("POST", &accept, &puddy, json!({"token": token}))
            .await,
        400,
        "Master Password reset is required, but not provided.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    let with_key = json!({"token": token, "resetPasswordKey": "4.AAAA"});
    expect_empty(&bw.call("POST", &accept, &puddy, with_key).await, 200);
    let details = bw
        .get(
            &format!("/api/organizations/{}/users/{member}", bw.org_id),
            &owner,
        )
        .await
        .ok();
    assert_eq!(
        (
            details["status"].clone(),
            details["resetPasswordEnrolled"].clone()
        ),
        (json!(1), json!(true))
    );
}

#[actix_rt::test]
async fn every_member_reads_the_mini_details_and_nobody_else() {
    let bw = spawn_bw().await;
    let (owner, kramer) = (bw.login(ART).await, bw.login(KRAMER).await);
    invite(&bw, &owner, &["bania@vandelay.test"]).await;
    let path = format!("/api/organizations/{}/users/mini-details", bw.org_id);
    let list = bw.get(&path, &kramer).await.ok();
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    let find = |email: &str| data.iter().find(|m| m["email"] == email).unwrap().clone();
    let kramer_id = member_id(&bw, &owner, KRAMER).await;
    let user_id = find(KRAMER)["userId"].clone();
    assert!(user_id.is_string());
    assert_eq!(
        find(KRAMER),
        json!({"object": "organizationUserUserMiniDetails", "id": kramer_id, "userId": user_id,
            "type": 2, "status": 2, "name": "Cosmo Kramer", "email": KRAMER})
    );
    let invited = find("bania@vandelay.test");
    assert_eq!(
        (
            invited["userId"].clone(),
            invited["name"].clone(),
            invited["status"].clone()
        ),
        (Value::Null, Value::Null, json!(0))
    );
    let outsider = register(&bw, "puddy@vandelay.test").await;
    expect_empty(&bw.get(&path, &outsider).await, 403);
}

#[actix_rt::test]
async fn member_models_carry_their_creation_date_and_pam_access() {
    let bw = spawn_bw().await;
    bw.app.advance_clock(3 * 86_400);
    let owner = bw.login(ART).await;
    invite(&bw, &owner, &["bania@vandelay.test"]).await;
    let id = member_id(&bw, &owner, "bania@vandelay.test").await;
    let log = bw
        .get(&format!("/api/organizations/{}/events", bw.org_id), &owner)
        .await
        .ok();
    let invited_at = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == 1500 && e["organizationUserId"] == json!(id))
        .unwrap()["date"]
        .clone();
    let one = bw
        .get(
            &format!("/api/organizations/{}/users/{id}", bw.org_id),
            &owner,
        )
        .await
        .ok();
    assert_eq!(
        (one["creationDate"].clone(), one["accessPam"].clone()),
        (invited_at.clone(), json!(false))
    );
    let list = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), &owner)
        .await
        .ok();
    let listed = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == json!(id))
        .unwrap()
        .clone();
    assert_eq!(
        (listed["creationDate"].clone(), listed["accessPam"].clone()),
        (invited_at, json!(false))
    );
    let art = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == ART)
        .unwrap()
        .clone();
    assert_ne!(
        art["creationDate"], listed["creationDate"],
        "each member its own date"
    );
}
