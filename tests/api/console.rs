//! The web console's server side: the embedded assets and their headers, `/` leading to the
//! console, the admin guard on its data, its absence with the control plane off, its requests
//! kept out of the journal, and `GET /sandbox/console/world` (the organization tree with users,
//! roles, KYC state and open approvals). The page itself is tested in a browser (tests/console.rs).

use serde_json::{json, Value};

use crate::helpers::*;

#[actix_web::test]
async fn the_console_is_served_with_a_strict_policy() {
    let app = spawn_app().await;
    for (path, kind, marker) in [
        ("/console/", "text/html", "<title>orgbox console</title>"),
        ("/console/app.js", "text/javascript", "textContent"),
        ("/console/bitwarden.js", "text/javascript", "textContent"),
        ("/console/app.css", "text/css", "body"),
    ] {
        let r = app.get(path, Auth::None).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type").unwrap().starts_with(kind),
            "{path}"
        );
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert!(String::from_utf8_lossy(&r.body).contains(marker), "{path}");
    }
    // Other methods are the control plane's 405.
    for path in ["/", "/console/", "/console/app.js"] {
        let r = app.post(path, json!({}), Auth::None).await;
        assert_eq!(r.status, 405, "{path}");
        assert_eq!(r.json()["code"], "method_not_allowed", "{path}");
    }
    // The scripts never write markup from data.
    for script in [
        "/console/app.js",
        "/console/actions.js",
        "/console/bitwarden.js",
    ] {
        let js = String::from_utf8_lossy(&app.get(script, Auth::None).await.body).to_string();
        assert!(
            !js.contains("innerHTML") && !js.contains("insertAdjacentHTML"),
            "{script}"
        );
    }
}

#[actix_web::test]
async fn root_and_bare_console_lead_to_the_console_in_the_same_sandbox() {
    let app = spawn_app().await;
    for (path, to) in [("/", "/console/"), ("/console", "/console/")] {
        let r = app.get(path, Auth::None).await;
        assert_eq!(r.status, 302, "{path}");
        assert_eq!(r.header("location").as_deref(), Some(to));
    }
    app.post("/sandbox/sandboxes", json!({"name": "con-1"}), Auth::None)
        .await;
    let r = app.get("/s/con-1/", Auth::None).await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location").as_deref(), Some("/s/con-1/console/"));
    let r = app.get("/s/con-1/console/", Auth::None).await;
    assert_eq!(r.status, 200);
    let w = app
        .get("/s/con-1/sandbox/console/world", Auth::None)
        .await
        .ok();
    assert_eq!(w["organizations"][0]["name"], "Prestige Worldwide");
}

#[actix_web::test]
async fn the_world_is_behind_the_admin_key_and_the_console_is_off_with_the_control_plane() {
    let app = spawn_app_with(|c| c.sandbox.admin_key = "let-me-in".into()).await;
    let r = app.get("/sandbox/console/world", Auth::None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["code"], "admin_key_required");
    let r = app
        .get("/sandbox/console/world", Auth::Raw("let-me-in".into()))
        .await;
    assert_eq!(r.status, 200);

    let off = spawn_app_with(|c| c.sandbox.enabled = false).await;
    assert_eq!(off.get("/console/", Auth::None).await.status, 404);
    assert_eq!(off.get("/console/app.js", Auth::None).await.status, 404);
    assert_eq!(
        off.get("/sandbox/console/world", Auth::None).await.status,
        404
    );
}

#[actix_web::test]
async fn console_requests_are_not_journalled() {
    let app = spawn_app().await;
    for path in ["/console/", "/console/app.js", "/console/app.css"] {
        app.get(path, Auth::None).await;
    }
    app.get("/sandbox/console/world", Auth::None).await;
    let j = app.get("/sandbox/journal", Auth::None).await.ok();
    assert_eq!(j["requests"].as_array().unwrap().len(), 0, "{j}");
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

#[actix_web::test]
async fn the_world_shows_the_tree_roles_kyc_and_open_approvals() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let w = app.get("/sandbox/console/world", Auth::None).await.ok();
    let org = &w["organizations"][0];
    assert_eq!(org["name"], "Prestige Worldwide");
    let ents = &org["enterprises"];
    assert_eq!(ents[0]["parent"], true, "the parent comes first: {ents}");
    let parent_id = ents[0]["id"].as_str().unwrap().to_string();
    let child = find(ents, "name", "chazz@prestige-worldwide.test");
    assert_eq!(child["parent"], false);
    assert_eq!(child["kycState"], "approved");
    let users = &ents[0]["users"];
    assert_eq!(
        find(users, "username", BRENNAN)["organizationRole"],
        "admin"
    );
    assert_eq!(find(users, "username", DALE)["videoApprover"], true);
    assert_eq!(
        find(users, "username", "service@prestige-worldwide.test")["organizationRole"],
        "serviceUser"
    );
    assert_eq!(find(&org["members"], "username", BRENNAN)["role"], "admin");
    assert_eq!(ents[0]["pendingApprovals"], json!([]));

    // An approval Brennan creates is open, with Brennan as creator and not among its resolvers.
    let created = app
        .post(
            &format!("/api/v2/enterprise/{parent_id}/user"),
            json!({"permission": "admin", "usernames": ["world.admin@example.test"]}),
            Auth::Raw(brennan.clone()),
        )
        .await;
    assert!(
        created.status < 300,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let id = created.json()["id"].as_str().unwrap().to_string();
    let w = app.get("/sandbox/console/world", Auth::None).await.ok();
    let open = &w["organizations"][0]["enterprises"][0]["pendingApprovals"];
    let a = find(open, "id", &id);
    assert_eq!(a["creator"], BRENNAN);
    assert_eq!(a["state"], "pending");
    let resolvers: Vec<&str> = a["mayResolve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        resolvers.contains(&DALE) && !resolvers.contains(&BRENNAN),
        "{a}"
    );

    // Once approved it leaves the list, and the new admin is among the users.
    let dale = app.login(DALE).await;
    let r = app
        .send(
            Req::method("PUT", &format!("/api/v2/pendingapprovals/{id}"))
                .json(&json!({"state": "approved", "otp": "000000"}))
                .auth(Auth::Raw(dale)),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let w = app.get("/sandbox/console/world", Auth::None).await.ok();
    let parent = &w["organizations"][0]["enterprises"][0];
    assert_eq!(parent["pendingApprovals"], json!([]));
    find(&parent["users"], "username", "world.admin@example.test");
}

#[actix_web::test]
async fn tokens_show_scopes_expiry_and_last_use_but_never_their_value() {
    let app = spawn_app().await;
    let session = app.login(BRENNAN).await;
    let created = app
        .post(
            "/api/v2/user/accesstoken",
            json!({"label": "console-ci", "scope": ["profile"], "duration": 3600, "otp": "000000"}),
            Auth::Raw(session.clone()),
        )
        .await
        .ok();
    let raw = created["token"].as_str().unwrap().to_string();
    let id = created["id"].as_str().unwrap().to_string();
    app.get("/api/v2/user/me", Auth::Raw(raw.clone()))
        .await
        .ok();

    let r = app.get("/sandbox/console/tokens", Auth::None).await;
    let body = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        !body.contains(&raw) && !body.contains(&session),
        "no token value"
    );
    let listed = r.ok();
    let t = find(&listed["tokens"], "id", &id);
    assert_eq!(t["user"], BRENNAN);
    assert_eq!(t["kind"], "api");
    assert_eq!(t["label"], "console-ci");
    assert_eq!(t["scopes"], json!(["profile"]));
    assert_eq!(t["expired"], false);
    assert!(t["lastUsedAt"].is_i64(), "{t}");

    app.advance_clock(3601);
    let listed = app.get("/sandbox/console/tokens", Auth::None).await.ok();
    assert_eq!(find(&listed["tokens"], "id", &id)["expired"], true);
    assert!(listed["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["kind"] == "login" && t["user"] == BRENNAN));
    // A year on, the login session has expired and is no longer listed; the expired long-lived
    // token still is.
    app.advance_clock(366 * 86_400);
    let listed = app.get("/sandbox/console/tokens", Auth::None).await.ok();
    assert_eq!(find(&listed["tokens"], "id", &id)["expired"], true);
    assert!(listed["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["kind"] == "api"));
}

#[actix_web::test]
async fn the_bitwarden_world_shows_plan_seats_and_members() {
    let app = spawn_app_with(|c| {
        c.bitwarden.users = orgbox::config::bitwarden::BitwardenConfig::default().users;
    })
    .await;
    let w = app.get("/sandbox/console/bitwarden", Auth::None).await.ok();
    let org = find(&w["organizations"], "name", "Vandelay Industries");
    assert!(org["plan"].is_string(), "{org}");
    assert!(org["occupiedSeats"].as_i64().unwrap() >= 4, "{org}");
    let art = find(&org["members"], "email", "art@vandelay.test");
    assert_eq!(art["type"], "Owner");
    assert_eq!(art["name"], "Art Vandelay");
    assert_eq!(
        find(&org["members"], "email", "george@vandelay.test")["type"],
        "Admin"
    );
}
