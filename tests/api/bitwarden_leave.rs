//! `POST /organizations/{id}/leave`: every refusal of the real server, and the race of the last
//! two owners leaving at once.

use orgbox::config::bitwarden::BitwardenUser;
use serde_json::json;

use crate::bitwarden_support::*;

fn extra(email: &str, role: &str, status: Option<&str>) -> BitwardenUser {
    BitwardenUser {
        email: email.into(),
        name: email.into(),
        master_password: MASTER.into(),
        role: Some(role.into()),
        status: status.map(String::from),
        permissions: Vec::new(),
        api_key: None,
        claimed: false,
        uses_key_connector: false,
        two_factor: false,
    }
}

#[actix_rt::test]
async fn a_member_leaves_and_loses_the_organization() {
    let bw = spawn_bw().await;
    let user = bw.login(KRAMER).await;
    let path = format!("/api/organizations/{}/leave", bw.org_id);
    let r = bw.call("POST", &path, &user, json!(null)).await;
    assert_eq!((r.status, r.body.len()), (200, 0));
    assert_eq!(
        bw.get("/api/organizations", &user).await.ok()["data"],
        json!([])
    );
    expect_bw_error(
        &bw.call("POST", &path, &user, json!(null)).await,
        404,
        "Resource not found.",
    );
}

#[actix_rt::test]
async fn the_last_confirmed_owner_cannot_leave() {
    let bw = spawn_bw_with(|c| {
        c.bitwarden
            .users
            .push(extra("jerry@vandelay.test", "owner", Some("invited")))
    })
    .await;
    let owner = bw.login(ART).await;
    let before = bw.snapshot().await;
    let r = bw
        .call(
            "POST",
            &format!("/organizations/{}/leave", bw.org_id),
            &owner,
            json!(null),
        )
        .await;
    expect_bw_error(
        &r,
        400,
        "Organization must have at least one confirmed owner.",
    );
    assert_eq!(
        before,
        bw.snapshot().await,
        "an invited owner does not count"
    );
}

#[actix_rt::test]
async fn claimed_accounts_and_key_connector_users_cannot_leave() {
    // Both seeded from config.toml's [bitwarden] keys, as a user would set them up.
    let bw = spawn_bw_with(|c| {
        c.bitwarden.key_connector = true;
        c.bitwarden.users.push(BitwardenUser {
            claimed: true,
            ..extra("claimed@vandelay.test", "user", None)
        });
        c.bitwarden.users.push(BitwardenUser {
            uses_key_connector: true,
            ..extra("kc@vandelay.test", "admin", None)
        });
        c.bitwarden.users.push(BitwardenUser {
            uses_key_connector: true,
            claimed: true,
            ..extra("both@vandelay.test", "user", None)
        });
    })
    .await;
    let path = format!("/api/organizations/{}/leave", bw.org_id);
    let before = bw.snapshot().await;
    let claimed = bw.login("claimed@vandelay.test").await;
    expect_bw_error(
        &bw.call("POST", &path, &claimed, json!(null)).await,
        400,
        "You can't leave this organization vault because your account is claimed. Contact your admin for more information.",
    );
    let sso = "Your organization single sign-on settings prevent you from leaving.";
    for who in ["kc@vandelay.test", "both@vandelay.test"] {
        let token = bw.login(who).await;
        expect_bw_error(&bw.call("POST", &path, &token, json!(null)).await, 400, sso);
    }
    assert_eq!(before, bw.snapshot().await);
    // Without Key Connector on the user, the organization's setting alone does not block.
    let user = bw.login(KRAMER).await;
    assert_eq!(bw.call("POST", &path, &user, json!(null)).await.status, 200);
}

#[actix_rt::test]
async fn members_who_are_not_confirmed_or_not_members_get_a_404() {
    let bw = spawn_bw_with(|c| {
        c.bitwarden
            .users
            .push(extra("invited@vandelay.test", "user", Some("invited")));
        c.bitwarden
            .users
            .push(extra("revoked@vandelay.test", "admin", Some("revoked")));
        c.bitwarden.users.push(BitwardenUser {
            role: None,
            ..extra("outsider@vandelay.test", "user", None)
        });
    })
    .await;
    let path = format!("/api/organizations/{}/leave", bw.org_id);
    let before = bw.snapshot().await;
    for who in [
        "invited@vandelay.test",
        "revoked@vandelay.test",
        "outsider@vandelay.test",
    ] {
        let token = bw.login(who).await;
        expect_bw_error(
            &bw.call("POST", &path, &token, json!(null)).await,
            404,
            "Resource not found.",
        );
        // Nor do they see the organization, or get owner claims for it.
        assert_eq!(
            bw.get("/api/organizations", &token).await.ok()["data"],
            json!([])
        );
    }
    assert_eq!(before, bw.snapshot().await);
}

#[actix_rt::test]
async fn the_last_two_owners_leaving_at_once_leave_one_owner() {
    for _ in 0..3 {
        let bw = spawn_bw_with(|c| {
            c.bitwarden
                .users
                .push(extra("elaine@vandelay.test", "owner", None))
        })
        .await;
        let a = bw.login(ART).await;
        let b = bw.login("elaine@vandelay.test").await;
        let path = format!("/api/organizations/{}/leave", bw.org_id);
        let (ra, rb) = futures_util::future::join(
            bw.call("POST", &path, &a, json!(null)),
            bw.call("POST", &path, &b, json!(null)),
        )
        .await;
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(statuses, [200, 400], "exactly one owner may leave");
        let owners = bw
            .app
            .count("SELECT count(*) FROM bw_memberships WHERE type = 0 AND status = 2");
        assert_eq!(owners, 1);
    }
}
