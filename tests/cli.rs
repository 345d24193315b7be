//! The CLI mirrors of the control plane, run as a script or CI would: `orgbox reset`,
//! `orgbox snapshot save|load FILE` and `orgbox seed FILE`, against a running server (`--url`,
//! also into a named sandbox) and against a data directory with no server.

mod support;

use std::path::Path;
use std::process::Command;

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

fn digest(base: &str, prefix: &str) -> String {
    let r = request(base, "GET", &format!("{prefix}/sandbox/digest"), &[], "");
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["digest"].as_str().unwrap().to_string()
}

fn login(base: &str, prefix: &str, email: &str, password: &str) -> u16 {
    let body = format!(r#"{{"email":"{email}","password":"{password}","otp":"000000"}}"#);
    request(
        base,
        "POST",
        &format!("{prefix}/api/v2/user/login"),
        &[("Content-Type", "application/json")],
        &body,
    )
    .status
}

#[test]
fn against_a_running_server() {
    let server = Server::start();
    let base = server.base_url.as_str();
    let dir = tempfile::tempdir().unwrap();
    let fresh = digest(base, "");
    let fixture = repo_root().join("tests/fixtures/example.toml");

    let (ok, out) = orgbox(&["seed", fixture.to_str().unwrap(), "--url", base]);
    assert!(ok, "{out}");
    assert!(out.contains("\"created\": 7"), "{out}");
    assert_eq!(login(base, "", "ada@acme.test", "Acme-Password-2026"), 200);
    let seeded = digest(base, "");

    let file = dir.path().join("seeded.sqlite");
    let (ok, out) = orgbox(&["snapshot", "save", file.to_str().unwrap(), "--url", base]);
    assert!(ok, "{out}");
    assert!(std::fs::read(&file)
        .unwrap()
        .starts_with(b"SQLite format 3\0"));

    let (ok, out) = orgbox(&["reset", "--url", base]);
    assert!(ok, "{out}");
    assert_eq!(digest(base, ""), fresh);
    assert_eq!(login(base, "", "ada@acme.test", "Acme-Password-2026"), 401);

    let (ok, out) = orgbox(&["snapshot", "load", file.to_str().unwrap(), "--url", base]);
    assert!(ok, "{out}");
    assert_eq!(digest(base, ""), seeded);

    // Into a named sandbox.
    let r = request(
        base,
        "POST",
        "/sandbox/sandboxes",
        &[("Content-Type", "application/json")],
        r#"{"name":"cli"}"#,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let (ok, out) = orgbox(&[
        "snapshot",
        "load",
        file.to_str().unwrap(),
        "--url",
        base,
        "--sandbox",
        "cli",
    ]);
    assert!(ok, "{out}");
    assert_eq!(digest(base, "/s/cli"), seeded);
    let (ok, out) = orgbox(&["reset", "--url", base, "--sandbox", "cli"]);
    assert!(ok, "{out}");
    assert_eq!(digest(base, "/s/cli"), fresh);

    // Errors come back as a failing exit with the server's message.
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, b"nope").unwrap();
    let (ok, out) = orgbox(&["snapshot", "load", garbage.to_str().unwrap(), "--url", base]);
    assert!(!ok);
    assert!(out.contains("not a usable orgbox snapshot"), "{out}");
    assert!(out.contains("file is not a database"), "{out}");
    assert!(!out.contains("internal error"), "{out}");
    let (ok, out) = orgbox(&["reset", "--url", base, "--sandbox", "nope"]);
    assert!(!ok);
    assert!(out.contains("404"), "{out}");
}

#[test]
fn against_a_data_directory() {
    let server = Server::start();
    let base = server.base_url.clone();
    let fresh = digest(&base, "");
    let data = server.stop();
    let data_dir = data.path().to_str().unwrap();
    let fixture = repo_root().join("tests/fixtures/example.toml");
    let (ok, out) = orgbox(&["seed", fixture.to_str().unwrap(), "--data-dir", data_dir]);
    assert!(ok, "{out}");
    let file = data.path().join("out.sqlite");
    let (ok, out) = orgbox(&[
        "snapshot",
        "save",
        file.to_str().unwrap(),
        "--data-dir",
        data_dir,
    ]);
    assert!(ok, "{out}");
    let (ok, out) = orgbox(&["reset", "--data-dir", data_dir]);
    assert!(ok, "{out}");

    // The reset state is what a fresh server had; the saved file holds the seeded one.
    let server = Server::start_in(data, &[]);
    let base = server.base_url.clone();
    assert_eq!(digest(&base, ""), fresh);
    assert_eq!(login(&base, "", "ada@acme.test", "Acme-Password-2026"), 401);
    let data = server.stop();
    let data_dir = data.path().to_str().unwrap();
    let (ok, out) = orgbox(&[
        "snapshot",
        "load",
        file.to_str().unwrap(),
        "--data-dir",
        data_dir,
    ]);
    assert!(ok, "{out}");
    // A file with a planted trigger is refused, and the data directory keeps its state.
    let planted = data.path().join("planted.sqlite");
    std::fs::copy(&file, &planted).unwrap();
    rusqlite::Connection::open(&planted)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER widen AFTER INSERT ON access_tokens BEGIN
             UPDATE access_tokens SET scope = 'all' WHERE id = NEW.id; END;",
        )
        .unwrap();
    let (ok, out) = orgbox(&[
        "snapshot",
        "load",
        planted.to_str().unwrap(),
        "--data-dir",
        data_dir,
    ]);
    assert!(!ok && out.contains("trigger \"widen\""), "{out}");
    let text = data.path().join("notes.sqlite");
    std::fs::write(&text, "these are notes, not a database\n".repeat(40)).unwrap();
    let (ok, out) = orgbox(&[
        "snapshot",
        "load",
        text.to_str().unwrap(),
        "--data-dir",
        data_dir,
    ]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("not a usable orgbox snapshot: file is not a database"),
        "{out}"
    );
    let server = Server::start_in(data, &[]);
    assert_eq!(
        login(&server.base_url, "", "ada@acme.test", "Acme-Password-2026"),
        200
    );
    // While a server holds the directory, every offline command is refused at once, naming
    // the directory, the server's pid and address, and the --url to use instead; nothing
    // changes.
    let before = digest(&server.base_url, "");
    let dir = server.data_dir.path().to_str().unwrap().to_string();
    let snapshot = file.to_str().unwrap();
    for args in [
        &["reset", "--data-dir", &dir][..],
        &["snapshot", "load", snapshot, "--data-dir", &dir][..],
        &[
            "snapshot",
            "save",
            "/tmp/never-written.sqlite",
            "--data-dir",
            &dir,
        ][..],
        &["seed", fixture.to_str().unwrap(), "--data-dir", &dir][..],
    ] {
        let (ok, out) = orgbox(args);
        assert!(!ok, "{args:?} ran on a held directory: {out}");
        for needle in [
            format!("data directory {dir} is in use"),
            format!("pid {}", server.pid()),
            format!("--url {}", server.base_url),
        ] {
            assert!(out.contains(&needle), "{args:?}: {needle:?} not in {out}");
        }
    }
    assert_eq!(digest(&server.base_url, ""), before);
    assert!(!Path::new("/tmp/never-written.sqlite").exists());

    let (ok, out) = orgbox(&["reset", "--data-dir", "/nonexistent/orgbox"]);
    assert!(!ok);
    assert!(
        out.contains("/nonexistent/orgbox is not a data directory"),
        "{out}"
    );
}
