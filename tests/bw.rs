//! Runs the official Bitwarden CLI (`@bitwarden/cli` 2026.9.0, `bw`) against the real `orgbox`
//! binary over its HTTPS listener (bw refuses plain HTTP): `bw config server`, `bw login` with a
//! seeded user's master password, `bw sync`, `bw list organizations`, `bw list org-members`,
//! `bw logout`, then `bw login --apikey` with a personal API key. Needs Node.js 18+ on PATH; the
//! CLI is installed into `tests/bw/node_modules` with `npm ci` when missing.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// One bw command normally takes about a second; this only guards against a hang.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// The seeded owner, admin and user (config.toml).
const OWNER: &str = "art@vandelay.test";
const MASTER_PASSWORD: &str = "Vandelay-Industries-2026";

struct Bw {
    script: PathBuf,
    app_data: tempfile::TempDir,
    ca: PathBuf,
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Bw {
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Out {
        let mut cmd = Command::new("node");
        cmd.arg(&self.script)
            .args(args)
            .env("BITWARDENCLI_APPDATA_DIR", self.app_data.path())
            .env("NODE_EXTRA_CA_CERTS", &self.ca)
            .env("BW_NOINTERACTION", "true")
            .env_remove("BW_SESSION")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn node bw.js");
        let started = Instant::now();
        loop {
            if child.try_wait().expect("wait for bw").is_some() {
                break;
            }
            if started.elapsed() > COMMAND_TIMEOUT {
                let _ = child.kill();
                panic!(
                    "`bw {}` did not finish within {COMMAND_TIMEOUT:?}",
                    args.join(" ")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().expect("bw output");
        let out = Out {
            ok: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).trim().to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        };
        println!("$ bw {}\n{}\n{}", args.join(" "), out.stdout, out.stderr);
        out
    }

    fn ok(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run(args, env);
        assert!(
            out.ok,
            "`bw {}` failed:\n{}\n{}",
            args.join(" "),
            out.stdout,
            out.stderr
        );
        out.stdout
    }
}

/// The text after `prefix` on the banner line that holds it, up to the next space.
/// `bw create/list/get/edit/delete org-collection` against the owner's session.
fn org_collections(bw: &Bw, org_id: &str, session: &[(&str, &str)]) {
    use base64::Engine;
    let encode = |v: Value| base64::engine::general_purpose::STANDARD.encode(v.to_string());
    let body = |name: &str| {
        encode(serde_json::json!({
            "organizationId": org_id, "name": name, "externalId": null, "groups": [], "users": []
        }))
    };
    let org = ["--organizationid", org_id];
    let created: Value = serde_json::from_str(&bw.ok(
        &[&["create", "org-collection", &body("Sales")][..], &org[..]].concat(),
        session,
    ))
    .expect("JSON");
    assert_eq!(created["name"], "Sales", "{created}");
    let id = created["id"].as_str().expect("collection id").to_string();
    let listed = |bw: &Bw| -> Vec<String> {
        let v: Value = serde_json::from_str(&bw.ok(
            &[&["list", "org-collections"][..], &org[..]].concat(),
            session,
        ))
        .expect("JSON");
        v.as_array()
            .expect("array")
            .iter()
            .map(|c| c["name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(listed(bw), ["Sales"]);
    bw.ok(
        &[
            &["edit", "org-collection", &id, &body("Sales EMEA")][..],
            &org[..],
        ]
        .concat(),
        session,
    );
    let got: Value = serde_json::from_str(&bw.ok(
        &[&["get", "org-collection", &id][..], &org[..]].concat(),
        session,
    ))
    .expect("JSON");
    assert_eq!(got["name"], "Sales EMEA", "{got}");
    bw.ok(
        &[&["delete", "org-collection", &id][..], &org[..]].concat(),
        session,
    );
    assert!(listed(bw).is_empty());
}

fn after<'a>(banner: &'a str, prefix: &str) -> &'a str {
    let start = banner
        .find(prefix)
        .unwrap_or_else(|| panic!("banner lacks {prefix:?}:\n{banner}"))
        + prefix.len();
    banner[start..]
        .split(|c: char| c.is_whitespace() || c == ')')
        .next()
        .unwrap_or_default()
}

#[test]
fn official_bw_cli_logs_in_syncs_and_lists_organizations() {
    let dir = support::repo_root().join("tests").join("bw");
    support::require_node("the bw CLI test");
    support::npm_ci_unless_installed(&dir, &dir.join("node_modules/@bitwarden/cli/build/bw.js"));
    let server = support::Server::start();
    let banner = server.banner.clone();
    let https = after(&banner, "bw config server ").to_string();
    assert!(https.starts_with("https://127.0.0.1:"), "{https}");
    let org_id = after(&banner, "Vandelay Industries (").to_string();
    let kramer = banner
        .lines()
        .find(|l| l.contains("kramer@vandelay.test"))
        .expect("kramer in banner");
    let client_id = after(kramer, "API key ").to_string();
    let client_secret = kramer
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_string();

    let bw = Bw {
        script: dir.join("node_modules/@bitwarden/cli/build/bw.js"),
        app_data: tempfile::tempdir().expect("bw data dir"),
        ca: server.data_dir.path().join("tls").join("ca.pem"),
    };
    bw.ok(&["config", "server", &https], &[]);

    // A wrong master password is refused (bw words the server's invalid_grant its own way).
    let wrong = bw.run(&["login", OWNER, "not-the-password", "--raw"], &[]);
    assert!(!wrong.ok, "a wrong password logged in");
    assert!(
        format!("{}{}", wrong.stdout, wrong.stderr).contains("Invalid master password"),
        "{}{}",
        wrong.stdout,
        wrong.stderr
    );

    let session = bw.ok(
        &["login", OWNER, "--passwordenv", "BW_PASSWORD", "--raw"],
        &[("BW_PASSWORD", MASTER_PASSWORD)],
    );
    assert!(!session.is_empty(), "no session key");
    let with_session = [("BW_SESSION", session.as_str())];
    assert!(bw.ok(&["sync"], &with_session).contains("Syncing complete"));

    let orgs: Value =
        serde_json::from_str(&bw.ok(&["list", "organizations"], &with_session)).expect("JSON");
    let orgs = orgs.as_array().expect("array");
    assert_eq!(orgs.len(), 1, "{orgs:?}");
    assert_eq!(orgs[0]["id"], org_id.as_str());
    assert_eq!(orgs[0]["name"], "Vandelay Industries");
    assert_eq!(orgs[0]["type"], 0, "the owner sees itself as owner");
    assert_eq!(orgs[0]["status"], 2);

    let list_members = |bw: &Bw| -> Vec<(String, i64, i64, String)> {
        let members: Value = serde_json::from_str(&bw.ok(
            &["list", "org-members", "--organizationid", &org_id],
            &with_session,
        ))
        .expect("JSON");
        let mut seen: Vec<(String, i64, i64, String)> = members
            .as_array()
            .expect("array")
            .iter()
            .map(|m| {
                (
                    m["email"].as_str().unwrap_or_default().to_string(),
                    m["type"].as_i64().unwrap_or(-1),
                    m["status"].as_i64().unwrap_or(-9),
                    m["id"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        seen.sort();
        seen
    };
    let seen = list_members(&bw);
    let summary: Vec<(&str, i64, i64)> = seen
        .iter()
        .map(|(e, t, s, _)| (e.as_str(), *t, *s))
        .collect();
    assert_eq!(
        summary,
        [
            ("art@vandelay.test", 0, 2),
            ("george@vandelay.test", 1, 2),
            ("kramer@vandelay.test", 2, 2),
            ("newman@vandelay.test", 2, 1)
        ]
    );

    // The owner's client wraps the organization key for Newman (who accepted) and confirms him.
    let newman_id = seen[3].3.clone();
    bw.ok(
        &[
            "confirm",
            "org-member",
            &newman_id,
            "--organizationid",
            &org_id,
        ],
        &with_session,
    );
    assert_eq!(list_members(&bw)[3].2, 2, "Newman is confirmed");

    // Collections, as an admin manages them from the CLI: the name is encrypted with the
    // organization key client-side, stored as sent, and decrypted again on the way back.
    org_collections(&bw, &org_id, &with_session);

    // The session key really unlocks the vault: the organization key decrypted client-side.
    let status: Value = serde_json::from_str(&bw.ok(&["status"], &with_session)).expect("JSON");
    assert_eq!(status["status"], "unlocked", "{status}");
    assert_eq!(status["userEmail"], OWNER);

    assert!(bw.ok(&["logout"], &[]).contains("logged out"));

    // Personal API key login (client_credentials user.<id>), then a sync with it.
    bw.ok(
        &["login", "--apikey"],
        &[
            ("BW_CLIENTID", client_id.as_str()),
            ("BW_CLIENTSECRET", client_secret.as_str()),
        ],
    );
    let status: Value = serde_json::from_str(&bw.ok(&["status"], &[])).expect("JSON");
    assert_eq!(status["userEmail"], "kramer@vandelay.test");
    assert_eq!(
        status["status"], "locked",
        "API key logins stay locked until unlock"
    );
    let unlocked = bw.ok(
        &["unlock", "--passwordenv", "BW_PASSWORD", "--raw"],
        &[("BW_PASSWORD", MASTER_PASSWORD)],
    );
    let orgs: Value = serde_json::from_str(&bw.ok(
        &["list", "organizations"],
        &[("BW_SESSION", unlocked.as_str())],
    ))
    .expect("JSON");
    assert_eq!(orgs[0]["type"], 2, "kramer is a plain user: {orgs}");
    assert!(bw.ok(&["logout"], &[]).contains("logged out"));

    // Newman, confirmed by the owner's client, logs in and sees the organization.
    let newman = bw.ok(
        &[
            "login",
            "newman@vandelay.test",
            "--passwordenv",
            "BW_PASSWORD",
            "--raw",
        ],
        &[("BW_PASSWORD", MASTER_PASSWORD)],
    );
    let orgs: Value = serde_json::from_str(&bw.ok(
        &["list", "organizations"],
        &[("BW_SESSION", newman.as_str())],
    ))
    .expect("JSON");
    assert_eq!(
        (orgs[0]["id"].as_str(), orgs[0]["status"].as_i64()),
        (Some(org_id.as_str()), Some(2))
    );
    assert!(bw.ok(&["logout"], &[]).contains("logged out"));
    drop(server);
}

/// An access token for a seeded user, got over raw HTTP as a web client gets one (prelogin
/// for the KDF, then the password grant), for what the CLI cannot do (groups, role changes).
fn web_token(base_url: &str, email: &str) -> String {
    use orgbox::bitwarden::crypto;
    let json = [("Content-Type", "application/json")];
    let pre = support::request(
        base_url,
        "POST",
        "/identity/accounts/prelogin",
        &json,
        &serde_json::json!({"email": email}).to_string(),
    )
    .json();
    let iterations = pre["kdfIterations"].as_u64().expect("kdfIterations") as u32;
    let mk = crypto::master_key(MASTER_PASSWORD, email, iterations);
    let hash = crypto::master_password_hash(&mk, MASTER_PASSWORD);
    let form = [
        ("grant_type", "password"),
        ("username", email),
        ("password", hash.as_str()),
        ("scope", "api offline_access"),
        ("client_id", "web"),
        ("deviceType", "9"),
        ("deviceIdentifier", "5e0f2b7c-1d3a-4c6e-8f9a-0b1c2d3e4f5a"),
        ("deviceName", "chrome"),
    ]
    .iter()
    .map(|(k, v)| {
        format!(
            "{k}={}",
            v.replace('+', "%2B")
                .replace('=', "%3D")
                .replace('/', "%2F")
                .replace('@', "%40")
        )
    })
    .collect::<Vec<_>>()
    .join("&");
    let r = support::request(
        base_url,
        "POST",
        "/identity/connect/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["access_token"]
        .as_str()
        .expect("token")
        .to_string()
}

/// A JSON call with a bearer token to the server over plain HTTP.
fn web_call(base_url: &str, method: &str, path: &str, token: &str, body: Value) -> Value {
    let auth = format!("Bearer {token}");
    let r = support::request(
        base_url,
        method,
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &body.to_string(),
    );
    assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
    if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    }
}

#[test]
fn official_bw_cli_sees_a_role_change_and_a_collection_given_through_a_group() {
    let dir = support::repo_root().join("tests").join("bw");
    support::require_node("the bw CLI test");
    support::npm_ci_unless_installed(&dir, &dir.join("node_modules/@bitwarden/cli/build/bw.js"));
    let server = support::Server::start();
    let banner = server.banner.clone();
    let https = after(&banner, "bw config server ").to_string();
    let org_id = after(&banner, "Vandelay Industries (").to_string();
    let bw = Bw {
        script: dir.join("node_modules/@bitwarden/cli/build/bw.js"),
        app_data: tempfile::tempdir().expect("bw data dir"),
        ca: server.data_dir.path().join("tls").join("ca.pem"),
    };
    bw.ok(&["config", "server", &https], &[]);
    let password = [("BW_PASSWORD", MASTER_PASSWORD)];
    let session = bw.ok(
        &["login", OWNER, "--passwordenv", "BW_PASSWORD", "--raw"],
        &password,
    );
    let owner_session = [("BW_SESSION", session.as_str())];
    let org = ["--organizationid", org_id.as_str()];
    let members = |bw: &Bw, session: &[(&str, &str)]| -> Vec<Value> {
        let v: Value = serde_json::from_str(
            &bw.ok(&[&["list", "org-members"][..], &org[..]].concat(), session),
        )
        .expect("JSON");
        v.as_array().expect("array").clone()
    };
    let id_of = |list: &[Value], email: &str| -> String {
        list.iter()
            .find(|m| m["email"] == email)
            .and_then(|m| m["id"].as_str())
            .expect("listed")
            .to_string()
    };
    let before = members(&bw, &owner_session);
    let (george, kramer) = (
        id_of(&before, "george@vandelay.test"),
        id_of(&before, "kramer@vandelay.test"),
    );
    // The owner's web client makes George (an admin) a plain user.
    let token = web_token(&server.base_url, OWNER);
    let users = format!("/api/organizations/{org_id}/users");
    web_call(
        &server.base_url,
        "PUT",
        &format!("{users}/{george}"),
        &token,
        serde_json::json!({"type": 2, "collections": [], "groups": []}),
    );
    let after_change = members(&bw, &owner_session);
    let george_row = after_change
        .iter()
        .find(|m| m["id"] == george.as_str())
        .unwrap();
    assert_eq!(george_row["type"], 2, "the role change shows: {george_row}");

    // The owner's CLI makes a collection (its name encrypted client-side); the web client
    // gives Kramer read-only access to it through a group.
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(
        serde_json::json!({"organizationId": org_id, "name": "Walkers' vault", "externalId": null,
            "groups": [], "users": []})
        .to_string(),
    );
    let created: Value = serde_json::from_str(&bw.ok(
        &[&["create", "org-collection", &body][..], &org[..]].concat(),
        &owner_session,
    ))
    .expect("JSON");
    let collection = created["id"].as_str().expect("collection id").to_string();
    web_call(
        &server.base_url,
        "POST",
        &format!("/api/organizations/{org_id}/groups"),
        &token,
        serde_json::json!({"name": "Walkers", "users": [kramer],
            "collections": [{"id": collection, "readOnly": true, "hidePasswords": false, "manage": false}]}),
    );
    assert!(bw.ok(&["logout"], &[]).contains("logged out"));

    // Kramer's CLI lists the organization's collections: a plain member's client reads its own
    // (`GET /collections`) and decrypts the name with the organization key.
    let kramer_session = bw.ok(
        &[
            "login",
            "kramer@vandelay.test",
            "--passwordenv",
            "BW_PASSWORD",
            "--raw",
        ],
        &password,
    );
    let listed: Value = serde_json::from_str(&bw.ok(
        &[&["list", "org-collections"][..], &org[..]].concat(),
        &[("BW_SESSION", kramer_session.as_str())],
    ))
    .expect("JSON");
    let names: Vec<&str> = listed
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Walkers' vault"], "{listed}");
    assert!(bw.ok(&["logout"], &[]).contains("logged out"));
    drop(server);
}
