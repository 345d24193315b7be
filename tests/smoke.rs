//! Smoke: the real binary with the repository's config.toml, as a newcomer runs it.

mod support;

use serde_json::json;
use support::{request, Server};

#[test]
fn banner_shows_where_it_listens_and_how_to_log_in() {
    let server = Server::start();
    assert!(server.base_url.starts_with("http://127.0.0.1:"));
    for needle in [
        server.base_url.as_str(),
        "brennan@prestige-worldwide.test",
        "dale@prestige-worldwide.test",
        "service@prestige-worldwide.test",
        "Prestige-Worldwide-2026",
        "000000",
        "organization admin",
        "organization service user",
    ] {
        assert!(
            server.banner.contains(needle),
            "banner lacks {needle:?}:\n{}",
            server.banner
        );
    }
}

#[test]
fn login_and_an_authenticated_read_are_logged_once_each_without_secrets() {
    // The per-request access log is at debug level on its own target.
    let server = Server::start_with(&[("RUST_LOG", "info,orgbox::access=debug")]);
    let login = request(
        &server.base_url,
        "POST",
        "/api/v2/user/login",
        &[("Content-Type", "application/json")],
        &json!({"email": "brennan@prestige-worldwide.test", "password": "Prestige-Worldwide-2026", "otp": "000000"})
            .to_string(),
    );
    assert_eq!(login.status, 200, "{}", login.body);
    let token = login.json()["access_token"].as_str().unwrap().to_string();
    let auth = format!("Bearer {token}");
    let me = request(
        &server.base_url,
        "GET",
        "/api/v2/user/me",
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(me.status, 200, "{}", me.body);
    assert!(me.headers.iter().any(|(k, _)| k == "hmac"));

    // The logger writes after the reply; give it a moment.
    let mut log = String::new();
    for _ in 0..50 {
        log = server.log();
        if log.contains("/api/v2/user/me") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(log.matches("\"POST /api/v2/user/login").count(), 1, "{log}");
    assert_eq!(log.matches("\"GET /api/v2/user/me").count(), 1, "{log}");
    for secret in [
        token.as_str(),
        &token[3..],
        "Prestige-Worldwide-2026",
        "Authorization",
    ] {
        assert!(!log.contains(secret), "the log contains a secret: {log}");
    }
}

#[test]
fn a_restart_on_the_same_data_keeps_the_world() {
    let server = Server::start();
    let first_banner = server.banner.clone();
    let dir = server.stop();
    let again = Server::start_in(dir, &[]);
    let ids = |banner: &str| -> Vec<String> {
        banner
            .lines()
            .filter(|l| l.contains("organization ") || l.contains("enterprise "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(ids(&first_banner)[..2], ids(&again.banner)[..2]);
}
