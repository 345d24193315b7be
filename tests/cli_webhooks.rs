//! `orgbox webhooks trigger|inbox|inboxes` against a running server, as a script would: an
//! enterprise webhook pointed at a capture inbox, an event fired from the CLI, the delivery
//! read back from the CLI, the inbox cleared.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::{repo_root, request, Server};

fn orgbox(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orgbox"))
        .args(args)
        .arg("--config")
        .arg(repo_root().join("config.toml"))
        .env("RUST_LOG", "warn")
        .output()
        .expect("run orgbox");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Logs the organization admin in; registers a `policyBalanceChange` webhook on the first
/// enterprise they see, delivering to capture inbox `name`. Returns the enterprise's id.
fn enterprise_webhook_to_inbox(base: &str, name: &str) -> String {
    let json = [("Content-Type", "application/json")];
    let body = r#"{"email":"brennan@prestige-worldwide.test","password":"Prestige-Worldwide-2026","otp":"000000"}"#;
    let login = request(base, "POST", "/api/v2/user/login", &json, body);
    assert_eq!(login.status, 200, "{}", login.body);
    let bearer = format!("Bearer {}", login.json()["access_token"].as_str().unwrap());
    let auth = [
        ("Content-Type", "application/json"),
        ("Authorization", bearer.as_str()),
    ];
    let list = request(base, "GET", "/api/v2/enterprise", &auth, "");
    assert_eq!(list.status, 200, "{}", list.body);
    let enterprise = list.json()["enterprises"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let hook =
        format!(r#"{{"type":"policyBalanceChange","url":"{base}/sandbox/webhooks/inbox/{name}"}}"#);
    let added = request(
        base,
        "POST",
        &format!("/api/v2/enterprise/{enterprise}/webhooks"),
        &auth,
        &hook,
    );
    assert_eq!(added.status, 200, "{}", added.body);
    enterprise
}

#[test]
fn trigger_and_inbox_from_the_command_line() {
    let server = Server::start();
    let base = server.base_url.as_str();
    let enterprise = enterprise_webhook_to_inbox(base, "cli");

    let (ok, out) = orgbox(&[
        "webhooks",
        "trigger",
        "--type",
        "policyBalanceChange",
        "--enterprise",
        &enterprise,
        "--url",
        base,
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("\"notifications\": 1"), "{out}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let delivered = loop {
        let (ok, out) = orgbox(&["webhooks", "inbox", "cli", "--url", base]);
        assert!(ok, "{out}");
        if out.contains("policyBalanceChange") {
            break out;
        }
        assert!(Instant::now() < deadline, "nothing delivered: {out}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(delivered.contains(&enterprise), "{delivered}");
    let (ok, out) = orgbox(&["webhooks", "inboxes", "--url", base]);
    assert!(ok && out.contains("\"cli\""), "{out}");

    let (ok, out) = orgbox(&["webhooks", "inbox", "cli", "--clear", "--url", base]);
    assert!(ok, "{out}");
    let (ok, out) = orgbox(&["webhooks", "inbox", "cli", "--url", base]);
    assert!(ok && !out.contains("policyBalanceChange"), "{out}");

    // Bad input is the server's 400, reported; without a server there is nothing to ask.
    let (ok, out) = orgbox(&["webhooks", "trigger", "--type", "nonsense", "--url", base]);
    assert!(!ok && out.contains("400"), "{out}");
    let (ok, out) = orgbox(&["webhooks", "inboxes"]);
    assert!(!ok && out.contains("--url"), "{out}");
}
