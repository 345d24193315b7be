//! Links in captured mail: built from the configured public URL, a trusted proxy's forwarded
//! host, or a host orgbox answers; never from a `Host` or forwarding header anyone can send.

use serde_json::json;

use crate::fixtures::{lone_enterprise, mail_to};
use crate::helpers::*;

/// The admin key of the apps behind a proxy.
const ADMIN_KEY: &str = "proxied-admin-key";

/// Brennan adds `email` to his lone enterprise (made on first use) with `headers` on the
/// request; returns the link of the invitation mail (the mail's text carries the same link).
async fn invitation_link(app: &TestApp, email: &str, headers: &[(&str, &str)]) -> String {
    let eid = "5e1f".to_string() + &"0".repeat(28);
    if app.count(&format!(
        "SELECT count(*) FROM enterprises WHERE id = '{eid}'"
    )) == 0
    {
        lone_enterprise(app, &[]);
    }
    let login = app.login(BRENNAN).await;
    let mut req = Req::post(&format!("/api/v2/enterprise/{eid}/user"))
        .json(&json!({"username": email, "permission": "auditor"}))
        .auth(Auth::Raw(login));
    for (k, v) in headers {
        req = req.header(k, v);
    }
    app.send(req).await.ok();
    let mail = mail_to(app, email);
    let link = mail[0].link.clone().expect("an invitation link");
    assert!(mail[0].body.contains(&link), "{}", mail[0].body);
    link
}

#[actix_web::test]
async fn a_forwarded_or_made_up_host_from_anyone_never_reaches_a_link() {
    let app = spawn_app().await;
    let own = format!("{}/sandbox/invitations/", app.base);
    for (i, headers) in [
        vec![
            ("X-Forwarded-Host", "attacker.example"),
            ("X-Forwarded-Proto", "https"),
        ],
        vec![("Forwarded", "host=attacker.example;proto=https")],
        vec![("Host", "attacker.example")],
        vec![
            ("Host", "attacker.example"),
            ("X-Forwarded-Host", "attacker.example"),
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let link = invitation_link(&app, &format!("invitee{i}@example.test"), &headers).await;
        assert!(link.starts_with(&own), "{headers:?}: {link}");
    }
    // A host orgbox answers is kept (a port mapping in front of it, for instance).
    let link = invitation_link(&app, "local@example.test", &[("Host", "localhost:8080")]).await;
    assert!(
        link.starts_with("http://localhost:8080/sandbox/invitations/"),
        "{link}"
    );
}

#[actix_web::test]
async fn a_trusted_proxy_names_the_host_and_a_public_url_wins_over_it() {
    let forwarded = [
        ("X-Forwarded-Host", "box.example.test"),
        ("X-Forwarded-Proto", "https"),
    ];
    // Behind a trusted proxy the control plane needs its admin key (the helpers that arrange
    // the enterprise and read the mail send it).
    let app = spawn_app_with(|c| {
        c.server.trusted_proxies = vec!["127.0.0.1".into()];
        c.sandbox.admin_key = ADMIN_KEY.into();
    })
    .await;
    let link = invitation_link(&app, "proxied@example.test", &forwarded).await;
    assert!(
        link.starts_with("https://box.example.test/sandbox/invitations/"),
        "{link}"
    );
    let app = spawn_app_with(|c| {
        c.server.trusted_proxies = vec!["127.0.0.1".into()];
        c.server.public_url = Some("https://orgbox.example.test/base/".into());
        c.sandbox.admin_key = ADMIN_KEY.into();
    })
    .await;
    let link = invitation_link(&app, "public@example.test", &forwarded).await;
    assert!(
        link.starts_with("https://orgbox.example.test/base/sandbox/invitations/"),
        "{link}"
    );
    // The public URL's host is one the control plane answers.
    let r = app
        .send(Req::get("/sandbox/health").header("Host", "orgbox.example.test"))
        .await;
    assert_eq!(
        r.status, 401,
        "behind a proxy the key applies, but the host is answered"
    );
}
