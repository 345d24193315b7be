//! Seed 000's curl calls for steps 1 and 3, run by bash and curl exactly as documented, with
//! only the host changed, against the real binary.

mod support;

use std::process::Command;

use support::{repo_root, Server};

/// The JSON document in one section of the script's output (after its `== title` line).
fn json_of(section: &str) -> serde_json::Value {
    let body = section.split_once('\n').map_or("", |(_, rest)| rest).trim();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn seed_000_curl_steps_1_and_3_work_as_written() {
    assert!(
        Command::new("curl").arg("--version").output().is_ok(),
        "curl is needed for this test (apt-get install curl)"
    );
    let server = Server::start();
    let out = Command::new("bash")
        .arg(repo_root().join("tests/seed/seed000_steps_1_and_3.sh"))
        .env("ORGBOX_HOST", server.base_url.trim_start_matches("http://"))
        .env("EMAIL", "brennan@prestige-worldwide.test")
        .env("PASSWORD", "Prestige-Worldwide-2026")
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sections: Vec<&str> = stdout.split("== ").collect();
    let [_, login, created, enterprise] = sections[..] else {
        panic!("unexpected output:\n{stdout}");
    };
    assert!(login.contains("\"access_token\":\"v2x"), "{login}");
    let token = json_of(created);
    for field in [
        "id",
        "client",
        "user",
        "scope",
        "created",
        "expires",
        "ip",
        "ipRestrict",
        "origin",
        "label",
        "isExtensible",
        "organizations",
        "oauth",
        "token",
    ] {
        assert!(token.get(field).is_some(), "{field} missing: {token}");
    }
    assert_eq!(token["scope"].as_array().unwrap().len(), 15);
    let seconds = |field: &str| {
        chrono::DateTime::parse_from_rfc3339(token[field].as_str().unwrap())
            .unwrap()
            .timestamp()
    };
    assert_eq!(seconds("expires") - seconds("created"), 157_788_000);
    let organization = json_of(enterprise)["organizationId"].clone();
    assert_eq!(token["organizations"], serde_json::json!([organization]));
    for field in [
        "\"token\":\"v2x",
        "\"label\":\"Taseen-Test-CaaS-long-access-token\"",
        "\"ipRestrict\":[\"127.0.0.1\"]",
        "\"isExtensible\":false",
    ] {
        assert!(created.contains(field), "{field} not in {created}");
    }
    for field in [
        "\"name\":\"Prestige Worldwide\"",
        "\"organizationId\":\"",
        "\"type\":\"Other\"",
        "\"wallets\":[]",
    ] {
        assert!(enterprise.contains(field), "{field} not in {enterprise}");
    }
}
