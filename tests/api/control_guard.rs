//! The control plane against the network and against web pages: the admin key whenever any
//! listener is beyond loopback or a proxy is trusted; on the keyless loopback control plane, no
//! request a foreign page can make (a cross-origin simple request, a rebound `Host`, a
//! cross-site fetch) is served, and a refusal changes nothing; the console's own origin and
//! clients that are not browsers (curl, SDKs) keep working.

use serde_json::{json, Value};

use crate::helpers::*;

const EVIL: &str = "http://evil.example";
const REBOUND: &str = "rebind.evil.example";

/// What a refused call must leave as it was: every row (the digest), the clock, the faults,
/// the saved snapshots and the named sandboxes.
async fn everything(app: &TestApp) -> Value {
    let digest = app.get("/sandbox/digest", Auth::None).await.ok();
    let clock = app.get("/sandbox/clock", Auth::None).await.ok();
    json!({
        "digest": digest["digest"],
        "clock": [clock["offsetMs"], clock["frozen"]],
        "faults": app.get("/sandbox/faults", Auth::None).await.ok(),
        "snapshots": app.get("/sandbox/snapshots", Auth::None).await.ok(),
        "sandboxes": app.get("/sandbox/sandboxes", Auth::None).await.ok()["sandboxes"],
    })
}

/// Every write a page could aim at the control plane: `(method, path, JSON body)`.
fn writes(app: &TestApp) -> Vec<(&'static str, String, Value)> {
    let org = &app.demo.organization_id;
    let wallet = &app.demo.children[0].go_account_id;
    vec![
        (
            "POST",
            "/sandbox/seed".into(),
            json!({"password": "Planted-Password-1", "users": [{"email": "planted@evil.example"}]}),
        ),
        (
            "POST",
            "/sandbox/clock".into(),
            json!({"advanceSeconds": 86400}),
        ),
        ("POST", "/sandbox/faults".into(), json!({"status": 503})),
        ("POST", "/sandbox/reset".into(), json!({})),
        (
            "POST",
            format!("/sandbox/wallets/{wallet}/faucet"),
            json!({"asset": "ofctusd", "amount": "100000000"}),
        ),
        (
            "POST",
            format!("/sandbox/organizations/{org}/admins"),
            json!({"email": DALE}),
        ),
        (
            "POST",
            format!("/sandbox/enterprises/{}/members", app.demo.enterprise_id),
            json!({"email": SERVICE, "permissions": ["admin"]}),
        ),
        (
            "PATCH",
            "/sandbox/bitwarden/organizations/00000000-0000-0000-0000-000000000000".into(),
            json!({"seats": 1}),
        ),
        (
            "POST",
            "/sandbox/bitwarden/organizations/00000000-0000-0000-0000-000000000000/sso-links"
                .into(),
            json!({"email": "planted@evil.example"}),
        ),
        (
            "POST",
            "/sandbox/console/bitwarden/token".into(),
            json!({"organizationId": "00000000-0000-0000-0000-000000000000",
                "memberId": "00000000-0000-0000-0000-000000000000"}),
        ),
        ("PUT", "/sandbox/prices/ofctbtc".into(), json!({"usd": "1"})),
        ("POST", "/sandbox/snapshots/before/load".into(), json!({})),
        ("POST", "/sandbox/snapshots/planted".into(), json!({})),
        (
            "POST",
            "/sandbox/sandboxes".into(),
            json!({"name": "planted"}),
        ),
        ("DELETE", "/sandbox/snapshots/before".into(), json!({})),
    ]
}

/// A sandbox with something a reset or a snapshot load would undo: a saved snapshot `before`,
/// then a change after it.
async fn arranged() -> TestApp {
    let app = spawn_app().await;
    let saved = app
        .send(Req::post("/sandbox/snapshots/before").json(&json!({})))
        .await;
    assert_eq!(
        saved.status,
        201,
        "{}",
        String::from_utf8_lossy(&saved.body)
    );
    app.login(BRENNAN).await;
    app
}

fn refused(r: &Resp, status: u16, code: &str, what: &str) {
    assert_eq!(
        r.status,
        status,
        "{what}: {}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["code"], code, "{what}");
}

#[actix_web::test]
async fn a_page_of_another_origin_cannot_write_with_a_simple_request() {
    let app = arranged().await;
    let before = everything(&app).await;
    for (method, path, body) in writes(&app) {
        for content_type in [
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            let body = body.to_string();
            // As a page sends it (Origin), and as an old browser or a stripped proxy does
            // (no Origin): the type alone is refused.
            let page = Req::method(method, &path)
                .raw(body.as_bytes(), content_type)
                .header("Origin", EVIL);
            refused(
                &app.send(page).await,
                403,
                "cross_origin_refused",
                &format!("{method} {path}"),
            );
            let bare = Req::method(method, &path).raw(body.as_bytes(), content_type);
            refused(
                &app.send(bare).await,
                415,
                "unsupported_media_type",
                &format!("{method} {path} {content_type}"),
            );
        }
        // A body with no type at all (a Blob from fetch) is refused too.
        let r = app.send(Req::method(method, &path).untyped(b"{}")).await;
        refused(
            &r,
            415,
            "unsupported_media_type",
            &format!("{method} {path}"),
        );
    }
    assert_eq!(everything(&app).await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM users WHERE username LIKE '%evil%'"),
        0
    );
}

#[actix_web::test]
async fn a_foreign_origin_or_a_cross_site_fetch_is_refused_even_with_json() {
    let app = arranged().await;
    let before = everything(&app).await;
    for (method, path, body) in writes(&app) {
        let what = format!("{method} {path}");
        let r = app
            .send(
                Req::method(method, &path)
                    .json(&body)
                    .header("Origin", EVIL),
            )
            .await;
        refused(&r, 403, "cross_origin_refused", &what);
        let r = app
            .send(
                Req::method(method, &path)
                    .json(&body)
                    .header("Origin", "null"),
            )
            .await;
        refused(&r, 403, "cross_origin_refused", &what);
        for site in ["cross-site", "same-site"] {
            let r = app
                .send(
                    Req::method(method, &path)
                        .json(&body)
                        .header("Sec-Fetch-Site", site),
                )
                .await;
            refused(&r, 403, "cross_site_refused", &what);
        }
    }
    // Reads too: a page cannot fetch the demo password or the outbox's links.
    for path in [
        "/sandbox/console/demo",
        "/sandbox/outbox",
        "/sandbox/snapshot",
    ] {
        let r = app
            .send(Req::get(path).header("Sec-Fetch-Site", "cross-site"))
            .await;
        refused(&r, 403, "cross_site_refused", path);
    }
    assert_eq!(everything(&app).await, before);
}

#[actix_web::test]
async fn a_rebound_host_is_answered_421_on_every_control_and_console_route() {
    let app = arranged().await;
    let before = everything(&app).await;
    for path in [
        "/sandbox/snapshot",
        "/sandbox/snapshots/before",
        "/sandbox/outbox",
        "/sandbox/console/demo",
        "/sandbox/health",
        "/console/",
        "/console/app.js",
        "/",
    ] {
        for host in [REBOUND.to_string(), format!("{REBOUND}:8080")] {
            let r = app.send(Req::get(path).header("Host", &host)).await;
            refused(&r, 421, "host_not_allowed", path);
            let message = r.json()["error"].as_str().unwrap().to_string();
            assert!(message.contains("[sandbox] allowed_hosts"), "{message}");
            assert!(!String::from_utf8_lossy(&r.body).contains(PASSWORD));
        }
    }
    for (method, path, body) in writes(&app) {
        let r = app
            .send(
                Req::method(method, &path)
                    .json(&body)
                    .header("Host", REBOUND),
            )
            .await;
        refused(&r, 421, "host_not_allowed", &path);
    }
    assert_eq!(everything(&app).await, before);
    // Loopback names are answered; a vendor route answers any host (SDKs and `bw` use
    // container names).
    for host in ["localhost", "app.localhost:1234", "127.0.0.1", "[::1]:80"] {
        let r = app
            .send(Req::get("/sandbox/health").header("Host", host))
            .await;
        assert_eq!(r.status, 200, "{host}");
    }
    let r = app
        .send(Req::get("/api/v2/user/me").header("Host", "orgbox:3080"))
        .await;
    assert_eq!(r.status, 401);
}

#[actix_web::test]
async fn a_configured_host_is_answered() {
    let app =
        spawn_app_with(|c| c.sandbox.allowed_hosts = vec!["orgbox".into(), "*.ci.test".into()])
            .await;
    for host in ["orgbox:3080", "runner-7.ci.test"] {
        let r = app
            .send(Req::get("/sandbox/health").header("Host", host))
            .await;
        assert_eq!(r.status, 200, "{host}");
    }
    let r = app
        .send(Req::get("/sandbox/health").header("Host", "ci.test"))
        .await;
    refused(&r, 421, "host_not_allowed", "ci.test");
}

#[actix_web::test]
async fn a_name_the_https_certificate_carries_is_answered_too() {
    let app = spawn_app_with(|c| c.server.tls_names = vec!["orgbox".into()]).await;
    let r = app
        .send(Req::get("/sandbox/health").header("Host", "orgbox:3080"))
        .await;
    assert_eq!(r.status, 200);
    let r = app
        .send(Req::get("/sandbox/health").header("Host", "other:3080"))
        .await;
    refused(&r, 421, "host_not_allowed", "other");
}

#[actix_web::test]
async fn the_console_origin_and_plain_clients_keep_working() {
    let app = spawn_app().await;
    // What the console's own page sends.
    let own = |r: Req| {
        r.header("Origin", &app.base)
            .header("Sec-Fetch-Site", "same-origin")
    };
    let clock = app
        .send(own(
            Req::post("/sandbox/clock").json(&json!({"advanceSeconds": 60}))
        ))
        .await
        .ok();
    assert!(clock["offsetMs"].as_i64().unwrap() >= 60_000);
    let reset = app.send(own(Req::post("/sandbox/reset"))).await;
    assert_eq!(reset.status, 200);
    let page = app
        .send(Req::get("/console/").header("Sec-Fetch-Site", "none"))
        .await;
    assert_eq!(page.status, 200);
    // curl and the CLI: no Origin, JSON (or nothing) on writes, a file on snapshot uploads.
    let snapshot = app.get("/sandbox/snapshot", Auth::None).await;
    assert_eq!(snapshot.status, 200);
    let load = app
        .send(
            Req::method("PUT", "/sandbox/snapshot").raw(&snapshot.body, "application/octet-stream"),
        )
        .await;
    assert_eq!(load.status, 200, "{}", String::from_utf8_lossy(&load.body));
    let seeded = app
        .send(Req::post("/sandbox/seed").raw(
            include_bytes!("../fixtures/example.toml"),
            "application/toml",
        ))
        .await;
    assert_eq!(
        seeded.status,
        200,
        "{}",
        String::from_utf8_lossy(&seeded.body)
    );
    // A snapshot file is not JSON: it goes only where a file is expected.
    let r = app
        .send(Req::post("/sandbox/clock").raw(&snapshot.body, "application/vnd.sqlite3"))
        .await;
    refused(&r, 415, "unsupported_media_type", "a file to the clock");
}

/// The key the banner line shows, from `needs Authorization: Bearer KEY (generated: ...)`.
fn generated_key(app: &TestApp) -> String {
    let line = app.state.control.describe();
    line.split("Bearer ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .filter(|key| !key.starts_with('<'))
        .unwrap_or_else(|| panic!("no generated key in {line:?}"))
        .to_string()
}

/// Every listed control-plane call needs the key, and a refused one changes nothing.
async fn needs_the_key(app: &TestApp, reason: &str) {
    let line = app.state.control.describe();
    assert!(line.contains(reason), "{line}");
    let key = generated_key(app);
    let with_key = || Auth::Raw(key.clone());
    let before = app.get("/sandbox/digest", with_key()).await.ok();
    let clock = app.get("/sandbox/clock", with_key()).await.ok();
    for path in [
        "/sandbox/console/demo",
        "/sandbox/outbox",
        "/sandbox/snapshot",
        "/sandbox/snapshots",
    ] {
        let r = app.get(path, Auth::None).await;
        refused(&r, 401, "admin_key_required", path);
        assert!(!String::from_utf8_lossy(&r.body).contains(PASSWORD));
    }
    for (method, path, body) in writes(app) {
        let r = app.send(Req::method(method, &path).json(&body)).await;
        refused(&r, 401, "admin_key_required", &path);
    }
    assert_eq!(app.get("/sandbox/digest", with_key()).await.ok(), before);
    let after = app.get("/sandbox/clock", with_key()).await.ok();
    assert_eq!(after["offsetMs"], clock["offsetMs"]);
    let demo = app.get("/sandbox/console/demo", with_key()).await.ok();
    assert_eq!(demo["password"], PASSWORD);
}

#[actix_web::test]
async fn an_https_listener_beyond_loopback_puts_the_control_plane_behind_a_key() {
    let app = spawn_app_with(|c| {
        c.server.tls_listen = orgbox::config::listen::TlsListen::At("0.0.0.0:0".parse().unwrap())
    })
    .await;
    needs_the_key(&app, "HTTPS listener 0.0.0.0:").await;
    // Through the HTTPS listener itself.
    let tls = app.tls.expect("an HTTPS listener");
    let ca = app.dir.path().join("tls/ca.pem");
    let url = format!("https://127.0.0.1:{}/sandbox/console/demo", tls.port());
    let out = actix_web::rt::task::spawn_blocking(move || {
        std::process::Command::new("curl")
            .args(["-sS", "--cacert"])
            .arg(&ca)
            .arg(&url)
            .output()
            .expect("curl runs")
    })
    .await
    .unwrap();
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(
        body.contains("admin_key_required"),
        "{body} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[actix_web::test]
async fn a_trusted_proxy_puts_the_control_plane_behind_a_key() {
    let app = spawn_app_with(|c| c.server.trusted_proxies = vec!["127.0.0.1".into()]).await;
    needs_the_key(&app, "trusted_proxies").await;
}

#[actix_web::test]
async fn loopback_listeners_and_no_proxy_leave_it_open() {
    let app = spawn_app_with(|c| {
        c.server.tls_listen = orgbox::config::listen::TlsListen::At("127.0.0.1:0".parse().unwrap())
    })
    .await;
    assert!(app.state.control.describe().starts_with("open"));
    app.get("/sandbox/console/demo", Auth::None).await.ok();
}
