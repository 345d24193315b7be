//! Check-then-write rules under concurrency, and bad input on every Bitwarden route (never a 500).

use futures_util::future::join_all;
use serde_json::json;

use crate::bitwarden_support::*;
use crate::helpers::{Auth, Req};

#[actix_rt::test]
async fn concurrent_free_org_signups_create_exactly_one() {
    let bw = spawn_bw().await;
    let token = bw.login(KRAMER).await;
    let body = json!({
        "name": "Kramerica", "billingEmail": "k@kramerica.test", "planType": 0, "key": "4.AAAA",
        "keys": {"publicKey": "AAAA", "encryptedPrivateKey": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA"},
    });
    let replies =
        join_all((0..6).map(|_| bw.call("POST", "/api/organizations", &token, body.clone()))).await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(replies.iter().all(|r| r.status == 200 || r.status == 400));
}

#[actix_rt::test]
async fn concurrent_invitations_never_exceed_the_seats() {
    // The seeded organization has 10 seats; four are taken by the demo users. A self-hosted
    // server cannot autoscale, so the seats are a hard limit there.
    let bw = spawn_bw_with(|c| {
        c.bitwarden.deployment = orgbox::config::bitwarden::Deployment::SelfHosted;
    })
    .await;
    let owner = bw.login(ART).await;
    let path = format!("/api/organizations/{}/users/invite", bw.org_id);
    let replies = join_all((0..10).map(|i| {
        bw.call(
            "POST",
            &path,
            &owner,
            json!({"emails": [format!("guest{i}@vandelay.test")], "type": 2}),
        )
    }))
    .await;
    assert_eq!(replies.iter().filter(|r| r.status == 200).count(), 6);
    let members = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), &owner)
        .await
        .ok();
    assert_eq!(members["data"].as_array().unwrap().len(), 10);
    let refused = replies.iter().find(|r| r.status == 400).unwrap();
    expect_bw_error(refused, 400, "Cannot autoscale on self-hosted instance.");
}

#[actix_rt::test]
async fn bad_input_never_gets_a_500() {
    let bw = spawn_bw().await;
    let token = bw.login(ART).await;
    let org = bw.org_id.clone();
    let bodies: [&[u8]; 6] = [
        b"",
        b"not json",
        b"[]",
        b"{\"name\": 5}",
        b"{\"keys\": \"x\", \"type\": \"y\"}",
        b"\xff\xfe",
    ];
    let routes = [
        ("POST", "/identity/connect/token".to_string()),
        ("POST", "/identity/accounts/prelogin".into()),
        ("POST", "/identity/accounts/register/finish".into()),
        ("POST", "/api/organizations".into()),
        ("PUT", format!("/api/organizations/{org}")),
        ("DELETE", format!("/api/organizations/{org}")),
        ("POST", format!("/api/organizations/{org}/api-key")),
        ("POST", format!("/api/organizations/{org}/rotate-api-key")),
        ("POST", format!("/api/organizations/{org}/storage")),
        ("POST", format!("/api/organizations/{org}/users/invite")),
        ("POST", "/api/organizations/licenses/self-hosted".into()),
        (
            "POST",
            format!("/api/organizations/licenses/self-hosted/{org}"),
        ),
        ("POST", "/api/accounts/key-management/user-key-id".into()),
        (
            "GET",
            format!("/api/organizations/{org}/api-key-information/9"),
        ),
        (
            "GET",
            format!("/api/organizations/{org}/license?installationId=%zz"),
        ),
    ];
    for (method, path) in &routes {
        for body in bodies {
            for ct in [
                "application/json",
                "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded",
            ] {
                let r = bw
                    .app
                    .send(
                        Req::method(method, path)
                            .raw(body, ct)
                            .auth(Auth::Raw(token.clone())),
                    )
                    .await;
                assert!(
                    r.status < 500,
                    "{method} {path} {ct} {body:?}: {} {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                );
            }
        }
    }
}
