//! The control plane: health, the outbox, invitation accept pages (then logging in), the
//! admin key, switching it off, and its plain `{error, code}` body.

use orgbox::domain::role::EnterprisePermission;
use serde_json::{json, Value};

use crate::fixtures::{lone_enterprise, mail_to, world};
use crate::helpers::*;

/// Asserts a control-plane error: the status and `{error, code}`; returns the code.
pub fn control_error(r: &Resp, status: u16) -> String {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    let b = r.json();
    assert!(b["error"].is_string(), "{b}");
    assert!(
        b.get("name").is_none() && b.get("requestId").is_none(),
        "{b}"
    );
    b["code"].as_str().unwrap().to_string()
}

/// Brennan, lone admin of a new enterprise, adds `email`; returns the enterprise id.
async fn invite(app: &TestApp, email: &str) -> String {
    let eid = lone_enterprise(app, &[]);
    let login = app.login(BRENNAN).await;
    app.post(
        &format!("/api/v2/enterprise/{eid}/user"),
        json!({"username": email, "permission": "admin"}),
        Auth::Raw(login),
    )
    .await
    .ok();
    eid
}

fn outbox(list: &Value) -> Vec<Value> {
    list["messages"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn health_is_open_on_loopback_without_a_key() {
    let app = spawn_app().await;
    let h = app.get("/sandbox/health", Auth::None).await.ok();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["sandbox"], "default");
    let code = control_error(&app.get("/sandbox/nope", Auth::None).await, 404);
    assert_eq!(code, "not_found");
}

#[actix_web::test]
async fn the_outbox_is_newest_first_filtered_and_limited() {
    let app = spawn_app().await;
    let eid = lone_enterprise(&app, &[]);
    let login = app.login(BRENNAN).await;
    for who in ["first@example.test", DALE] {
        app.post(
            &format!("/api/v2/enterprise/{eid}/user"),
            json!({"username": who}),
            Auth::Raw(login.clone()),
        )
        .await
        .ok();
        app.advance_clock(1);
    }
    let all = outbox(&app.get("/sandbox/outbox", Auth::None).await.ok());
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["to"], DALE);
    assert_eq!(all[0]["kind"], "notification");
    assert_eq!(all[0]["source"], "bitgo");
    assert_eq!(all[1]["kind"], "invitation");
    for field in ["id", "subject", "body", "link", "createdAt"] {
        assert!(all[1].get(field).is_some(), "{field}");
    }
    let one = outbox(
        &app.get("/sandbox/outbox?to=FIRST@example.test", Auth::None)
            .await
            .ok(),
    );
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["to"], "first@example.test");
    let limited = outbox(&app.get("/sandbox/outbox?limit=1", Auth::None).await.ok());
    assert_eq!(limited, all[..1].to_vec());
    for bad in ["limit=0", "limit=x", "limit=1001"] {
        let code = control_error(
            &app.get(&format!("/sandbox/outbox?{bad}"), Auth::None).await,
            400,
        );
        assert_eq!(code, "invalid_request");
    }
}

#[actix_web::test]
async fn an_invitee_follows_the_link_sets_a_password_and_logs_in() {
    let app = spawn_app().await;
    let email = "new.admin@example.test";
    invite(&app, email).await;
    let mail = outbox(
        &app.get(&format!("/sandbox/outbox?to={email}"), Auth::None)
            .await
            .ok(),
    );
    let link = mail[0]["link"].as_str().unwrap().to_string();
    let path = link.strip_prefix(&app.base).expect("link on this server");
    // Not yet: the invited account has no password.
    app.post(
        "/api/v2/user/login",
        json!({"email": email, "password": "Welcome-2026", "otp": "000000"}),
        Auth::None,
    )
    .await
    .expect_error(401);
    let page = app.get(path, Auth::None).await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let html = String::from_utf8(page.body.to_vec()).unwrap();
    assert!(
        html.contains(email) && html.contains("<form id=\"accept\" method=\"post\""),
        "{html}"
    );
    // A too-short password changes nothing.
    let before = world(&app);
    let short = app
        .send(Req::post(path).json(&json!({"password": "short"})))
        .await;
    assert_eq!(control_error(&short, 400), "invalid_request");
    assert_eq!(world(&app), before);
    let done = app
        .send(Req::post(path).json(&json!({"password": "Welcome-2026"})))
        .await
        .ok();
    assert_eq!(done["accepted"], true);
    assert_eq!(done["username"], email);
    let login = app
        .post(
            "/api/v2/user/login",
            json!({"email": email, "password": "Welcome-2026", "otp": "000000"}),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(login["user"]["username"], email);
    // The link is used up.
    assert_eq!(
        control_error(&app.get(path, Auth::None).await, 404),
        "not_found"
    );
    let again = app
        .send(Req::post(path).json(&json!({"password": "Another-2026"})))
        .await;
    assert_eq!(control_error(&again, 404), "not_found");
}

#[actix_web::test]
async fn the_accept_page_escapes_what_it_shows_and_its_script_posts_json() {
    let app = spawn_app().await;
    let email = "o'neil&<b>@example.test";
    invite(&app, email).await;
    let mail = outbox(&app.get("/sandbox/outbox?limit=1", Auth::None).await.ok());
    let link = mail[0]["link"].as_str().unwrap().to_string();
    let path = link.strip_prefix(&app.base).unwrap();
    let page = app.get(path, Auth::None).await;
    let html = String::from_utf8(page.body.to_vec()).unwrap();
    assert!(
        html.contains("o&#39;neil&amp;&lt;b&gt;@example.test"),
        "{html}"
    );
    assert!(!html.contains("<b>"), "{html}");
    // Only its own script runs, and it sends JSON (a form post is a request any page can send).
    let policy = page.header("content-security-policy").unwrap();
    assert!(
        policy.contains("script-src 'sha256-") && policy.contains("form-action 'none'"),
        "{policy}"
    );
    assert!(
        html.contains("'Content-Type': 'application/json'"),
        "{html}"
    );
    let login = json!({"email": email, "password": "Form-Password-1!", "otp": "000000"});
    let form = app
        .send(Req::post(path).raw(
            b"password=Form-Password-1%21",
            "application/x-www-form-urlencoded",
        ))
        .await;
    assert_eq!(control_error(&form, 415), "unsupported_media_type");
    app.post("/api/v2/user/login", login.clone(), Auth::None)
        .await
        .expect_error(401);
    let done = app
        .send(Req::post(path).json(&json!({"password": "Form-Password-1!"})))
        .await
        .ok();
    assert_eq!(done["accepted"], true);
    app.post("/api/v2/user/login", login, Auth::None).await.ok();
}

#[actix_web::test]
async fn an_expired_invitation_is_a_410() {
    let app = spawn_app().await;
    invite(&app, "late@example.test").await;
    let mail = outbox(&app.get("/sandbox/outbox", Auth::None).await.ok());
    let link = mail[0]["link"].as_str().unwrap().to_string();
    let path = link.strip_prefix(&app.base).unwrap();
    app.advance_clock(31 * 24 * 3600);
    assert_eq!(
        control_error(&app.get(path, Auth::None).await, 410),
        "invitation_expired"
    );
    let r = app
        .send(Req::post(path).json(&json!({"password": "Too-Late-2026"})))
        .await;
    assert_eq!(control_error(&r, 410), "invitation_expired");
}

#[actix_web::test]
async fn a_configured_admin_key_guards_every_control_route() {
    let app = spawn_app_with(|c| c.sandbox.admin_key = "let-me-in".into()).await;
    for path in [
        "/sandbox/health",
        "/sandbox/outbox",
        "/sandbox/invitations/abc",
        "/sandbox/nope",
    ] {
        let code = control_error(&app.get(path, Auth::None).await, 401);
        assert_eq!(code, "admin_key_required", "{path}");
        let code = control_error(&app.get(path, Auth::Raw("wrong".into())).await, 401);
        assert_eq!(code, "invalid_admin_key", "{path}");
    }
    let h = app
        .get("/sandbox/health", Auth::Raw("let-me-in".into()))
        .await
        .ok();
    assert_eq!(h["status"], "ok");
    // The BitGo API is not behind the admin key.
    app.login(BRENNAN).await;
}

#[actix_web::test]
async fn switched_off_every_control_path_is_a_404() {
    // Arranged with the control plane on, then the same data directory with it off.
    let on = spawn_app().await;
    let eid = lone_enterprise(&on, &[(DALE, EnterprisePermission::Auditor)]);
    let app = spawn_app_in(on.stop().await, |c| c.sandbox.enabled = false).await;
    for path in [
        "/sandbox/health",
        "/sandbox/outbox",
        "/sandbox/invitations/abc",
    ] {
        let code = control_error(&app.get(path, Auth::None).await, 404);
        assert_eq!(code, "control_plane_disabled");
    }
    // Mail is still captured, only not served: the same data directory with the control plane
    // on shows it.
    let login = app.login(BRENNAN).await;
    app.post(
        &format!("/api/v2/enterprise/{eid}/user"),
        json!({"username": SERVICE}),
        Auth::Raw(login),
    )
    .await
    .ok();
    let app = spawn_app_in(app.stop().await, |_| {}).await;
    assert_eq!(mail_to(&app, SERVICE).len(), 1);
}

#[actix_web::test]
async fn two_accepts_at_once_set_the_password_once() {
    let app = spawn_app().await;
    invite(&app, "racer@example.test").await;
    let mail = outbox(&app.get("/sandbox/outbox", Auth::None).await.ok());
    let link = mail[0]["link"].as_str().unwrap().to_string();
    let path = link.strip_prefix(&app.base).unwrap().to_string();
    let (a, b) = futures_util::future::join(
        app.send(Req::post(&path).json(&json!({"password": "First-Password-1"}))),
        app.send(Req::post(&path).json(&json!({"password": "Second-Password-2"}))),
    )
    .await;
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 404]);
    let winner = if a.status == 200 {
        "First-Password-1"
    } else {
        "Second-Password-2"
    };
    app.post(
        "/api/v2/user/login",
        json!({"email": "racer@example.test", "password": winner, "otp": "000000"}),
        Auth::None,
    )
    .await
    .ok();
}

#[actix_web::test]
async fn bad_bodies_and_queries_name_the_field_and_the_type_in_words_and_change_nothing() {
    let app = spawn_app().await;
    let clock = app.get("/sandbox/clock", Auth::None).await.ok()["offsetMs"].clone();
    let digest = crate::sandboxes::digest(&app, "").await;
    for (method, path, body, wanted) in [
        (
            "POST",
            "/sandbox/clock",
            r#"{"advanceMs":"soon"}"#,
            r#"advanceMs: expected a whole number, got the string "soon""#,
        ),
        (
            "POST",
            "/sandbox/clock",
            r#"{"freeze":1}"#,
            "freeze: expected true or false, got 1",
        ),
        (
            "POST",
            "/sandbox/sandboxes",
            r#"{"name":5}"#,
            "name: expected a string, got 5",
        ),
        ("POST", "/sandbox/sandboxes", "{}", "name is required"),
        (
            "POST",
            "/sandbox/faults",
            r#"{"status":"teapot"}"#,
            r#"status: expected a whole number, 0 or more, got the string "teapot""#,
        ),
        (
            "POST",
            "/sandbox/clock",
            r#"{"advance":1}"#,
            "unknown field advance; the fields are reset, set, advanceMs",
        ),
    ] {
        let r = app
            .send(Req::method(method, path).raw(body.as_bytes(), "application/json"))
            .await;
        assert_eq!(control_error(&r, 400), "invalid_request");
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(error.starts_with(wanted), "{path} {body}: {error}");
        assert!(
            !error.contains("i64") && !error.contains("invalid type"),
            "{error}"
        );
    }
    let r = app.get("/sandbox/journal?limit=many", Auth::None).await;
    control_error(&r, 400);
    assert_eq!(
        r.json()["error"],
        "limit: expected a whole number, got \"many\" (in the query string)"
    );
    assert_eq!(
        app.get("/sandbox/clock", Auth::None).await.ok()["offsetMs"],
        clock
    );
    let sandboxes = app.get("/sandbox/sandboxes", Auth::None).await.ok();
    assert_eq!(sandboxes["count"], 0);
    assert!(app.get("/sandbox/faults", Auth::None).await.ok()["faults"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(crate::sandboxes::digest(&app, "").await, digest);
}
