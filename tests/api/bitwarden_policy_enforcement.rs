//! Policies that act on members: turning the Single organization or two-step login policy on
//! revokes the members already in who do not comply (the server's policy event handlers), with
//! their own event types and a mail each; and the Single organization policy keeps its
//! members from joining or creating another organization.

use serde_json::{json, Value};

use crate::bitwarden_members::{invite_link, register};
use crate::bitwarden_public::org_token;
use crate::bitwarden_support::*;

/// `email`'s status in the demo organization, read by the owner.
async fn status_of(bw: &BwApp, owner: &str, email: &str) -> Value {
    member_by_email(bw, owner, email).await["status"].clone()
}

/// Creates a Free organization owned by the user of `token`; answers the reply.
pub async fn create_org(bw: &BwApp, token: &str, name: &str) -> crate::helpers::Resp {
    let body = json!({
        "name": name, "billingEmail": "billing@elsewhere.test", "planType": 0, "key": "4.AAAA",
        "keys": {"publicKey": "AAAA", "encryptedPrivateKey": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA"},
    });
    bw.call("POST", "/api/organizations", token, body).await
}

/// The `(recipient, subject)` of every revocation mail, and the body of the last.
fn revocation_mails(bw: &BwApp) -> (Vec<String>, String) {
    let sent = bw.app.texts(
        "SELECT recipient || ' | ' || subject FROM outbox WHERE subject LIKE 'You have been revoked%' ORDER BY rowid",
    );
    let body = if sent.is_empty() {
        String::new()
    } else {
        bw.app.text("SELECT body FROM outbox WHERE subject LIKE 'You have been revoked%' ORDER BY rowid DESC LIMIT 1")
    };
    (sent, body)
}

/// The events of `event_type` in the demo organization's log, read by the owner.
async fn events_of(bw: &BwApp, owner: &str, event_type: i64) -> Vec<Value> {
    let log = bw
        .get(&format!("/api/organizations/{}/events", bw.org_id), owner)
        .await
        .ok();
    log["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == event_type)
        .cloned()
        .collect()
}

#[actix_rt::test]
async fn turning_single_org_on_revokes_the_members_of_other_organizations_but_not_admins() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let (kramer, george) = (bw.login(KRAMER).await, bw.login(GEORGE).await);
    create_org(&bw, &kramer, "Kramerica").await.ok();
    create_org(&bw, &george, "Costanza Ltd").await.ok();
    let policy = format!("/api/organizations/{}/policies/3", bw.org_id);
    let on = bw
        .call("PUT", &policy, &owner, json!({"enabled": true}))
        .await
        .ok();
    assert_eq!(on["enabled"], true);
    // Kramer (a user who owns Kramerica) is revoked; George (an admin) and Newman (accepted,
    // in no other organization) stay.
    assert_eq!(status_of(&bw, &owner, KRAMER).await, json!(-1));
    assert_eq!(status_of(&bw, &owner, GEORGE).await, json!(2));
    assert_eq!(
        status_of(&bw, &owner, "newman@vandelay.test").await,
        json!(1)
    );
    let kramer_id = member_id(&bw, &owner, KRAMER).await;
    let revoked = events_of(&bw, &owner, 1521).await;
    assert_eq!(revoked.len(), 1, "{revoked:?}");
    assert_eq!(revoked[0]["organizationUserId"], json!(kramer_id));
    let (sent, body) = revocation_mails(&bw);
    assert_eq!(
        sent,
        vec![format!(
            "{KRAMER} | You have been revoked from Vandelay Industries"
        )]
    );
    assert!(
        body.contains("because your account is part of multiple organization vaults"),
        "{body}"
    );
    // His own organization is untouched.
    assert_eq!(
        bw.app.count(
            "SELECT count(*) FROM bw_memberships m JOIN bw_organizations o ON o.id = m.organization_id
             WHERE o.name = 'Kramerica' AND m.status = 2 AND m.type = 0"
        ),
        1
    );
    // Saving the policy again (already on) revokes nobody more and mails nobody.
    bw.call("PUT", &policy, &owner, json!({"enabled": true}))
        .await
        .ok();
    assert_eq!(events_of(&bw, &owner, 1521).await.len(), 1);
    assert_eq!(revocation_mails(&bw).0.len(), 1);
}

#[actix_rt::test]
async fn turning_two_step_login_on_through_the_public_api_revokes_members_without_it() {
    let bw = spawn_bw_with(|c| {
        for u in &mut c.bitwarden.users {
            if u.email == KRAMER {
                u.two_factor = true;
            }
        }
    })
    .await;
    let (owner, token) = (bw.login(ART).await, org_token(&bw).await);
    let on = bw
        .call(
            "PUT",
            "/public/policies/TwoFactorAuthentication",
            &token,
            json!({"enabled": true}),
        )
        .await
        .ok();
    assert_eq!(
        (
            on["object"].clone(),
            on["type"].clone(),
            on["enabled"].clone(),
            on["data"].clone()
        ),
        (json!("policy"), json!(0), json!(true), Value::Null)
    );
    // Newman (accepted, no two-step login) is revoked; Kramer (has it) and the admin stay.
    assert_eq!(
        status_of(&bw, &owner, "newman@vandelay.test").await,
        json!(-1)
    );
    assert_eq!(status_of(&bw, &owner, KRAMER).await, json!(2));
    assert_eq!(status_of(&bw, &owner, GEORGE).await, json!(2));
    let revoked = events_of(&bw, &owner, 1520).await;
    assert_eq!(revoked.len(), 1, "{revoked:?}");
    assert_eq!(
        (
            revoked[0]["systemUser"].clone(),
            revoked[0]["actingUserId"].clone()
        ),
        (json!(3), Value::Null)
    );
    let (sent, body) = revocation_mails(&bw);
    assert_eq!(
        sent,
        vec!["newman@vandelay.test | You have been revoked from Vandelay Industries".to_string()]
    );
    assert!(
        body.contains("because you do not have two-step login configured"),
        "{body}"
    );
    let policy_events = events_of(&bw, &owner, 1700).await;
    assert_eq!(policy_events[0]["policyId"], on["id"]);
    assert_eq!(policy_events[0]["systemUser"], json!(3));
}

#[actix_rt::test]
async fn single_org_keeps_its_members_from_creating_or_joining_another_organization() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let policy = format!("/api/organizations/{}/policies/SingleOrg", bw.org_id);
    bw.call("PUT", &policy, &owner, json!({"enabled": true}))
        .await
        .ok();
    // Nobody was in another organization: nobody is revoked.
    assert!(revocation_mails(&bw).0.is_empty());
    let kramer = bw.login(KRAMER).await;
    let before = bw.snapshot().await;
    expect_bw_error(
        &create_org(&bw, &kramer, "Kramerica").await,
        400,
        "You cannot create a new organization vault because your current membership doesn't allow you to join or create additional organization vaults.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
    // The owner is exempt.
    create_org(&bw, &owner, "Vandelay Imports").await.ok();

    // Puddy, invited, owns another organization: he cannot accept until he leaves it.
    let email = "puddy@vandelay.test";
    let (member, link_token) = invite_link(&bw, &owner, email).await;
    let puddy = register(&bw, email).await;
    create_org(&bw, &puddy, "Puddy Cars").await.ok();
    let accept = format!("/api/organizations/{}/users/{member}/accept", bw.org_id);
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("POST", &accept, &puddy, json!({"token": link_token}))
            .await,
        400,
        "You cannot accept this invite until you leave all other organization vaults.",
    );
    assert_eq!(before, bw.snapshot().await, "a refusal changes nothing");
}

#[actix_rt::test]
async fn the_member_who_turns_single_org_on_is_not_revoked_by_it() {
    // Kramer is a custom member who manages policies, and owns another organization.
    let bw = spawn_bw_with(|c| {
        for u in &mut c.bitwarden.users {
            if u.email == KRAMER {
                u.role = Some("custom".into());
                u.permissions = vec!["managePolicies".into()];
            }
        }
    })
    .await;
    let owner = bw.login(ART).await;
    create_org(&bw, &bw.login(KRAMER).await, "Kramerica")
        .await
        .ok();
    let kramer = bw.login(KRAMER).await;
    let policy = format!("/api/organizations/{}/policies/3", bw.org_id);
    bw.call("PUT", &policy, &kramer, json!({"enabled": true}))
        .await
        .ok();
    assert_eq!(status_of(&bw, &owner, KRAMER).await, json!(2));
    assert!(events_of(&bw, &owner, 1521).await.is_empty());
    // Turned off and on again by the owner, the policy revokes him.
    bw.call("PUT", &policy, &owner, json!({"enabled": false}))
        .await
        .ok();
    bw.call("PUT", &policy, &owner, json!({"enabled": true}))
        .await
        .ok();
    assert_eq!(status_of(&bw, &owner, KRAMER).await, json!(-1));
}

#[actix_rt::test]
async fn a_policy_turned_on_while_a_member_creates_another_organization_leaves_no_one_in_both() {
    for _ in 0..3 {
        let bw = spawn_bw().await;
        let (owner, kramer) = (bw.login(ART).await, bw.login(KRAMER).await);
        let policy = format!("/api/organizations/{}/policies/3", bw.org_id);
        let (on, created) = futures_util::future::join(
            bw.call("PUT", &policy, &owner, json!({"enabled": true})),
            create_org(&bw, &kramer, "Kramerica"),
        )
        .await;
        assert_eq!(on.status, 200);
        // Either the organization came first and Kramer was revoked, or the policy came first
        // and the organization was refused.
        let status = status_of(&bw, &owner, KRAMER).await;
        match created.status {
            200 => assert_eq!(status, json!(-1)),
            400 => assert_eq!(status, json!(2)),
            other => panic!("create answered {other}"),
        }
    }
}
