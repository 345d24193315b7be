//! Starting the real binary as a newcomer or an operator does: the listeners (bound before
//! anything is written, errors naming the address), one owner per data directory (a second
//! server is refused at once, kill -9 leaves no stale lock), the defaults without a
//! config.toml, the admin key from the environment, `orgbox health`, and startup errors that
//! name the path and say what to do.

mod support;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{repo_root, request, Server};

fn orgbox() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orgbox"));
    cmd.env("RUST_LOG", "warn");
    cmd
}

/// The stock config, with `args`, on `data_dir`.
fn stock(args: &[&str]) -> Command {
    let mut cmd = orgbox();
    cmd.arg("--config")
        .arg(repo_root().join("config.toml"))
        .args(args);
    cmd
}

/// Runs `cmd`, which must exit within 30 s (a start that should fail); returns whether it
/// succeeded and everything it printed.
fn exits(mut cmd: Command) -> (bool, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn orgbox");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("orgbox did not exit within 30 s (it started when it should not have)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn health(base: &str, key: Option<&str>) -> support::Reply {
    let auth = key.map(|k| format!("Bearer {k}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    request(base, "GET", "/sandbox/health", &headers, "")
}

#[test]
fn a_second_server_on_a_data_directory_is_refused_and_kill_9_leaves_no_stale_lock() {
    let first = Server::start();
    let dir = first.data_dir.path().to_path_buf();
    let created = request(
        &first.base_url,
        "POST",
        "/sandbox/sandboxes",
        &[("Content-Type", "application/json")],
        r#"{"name":"mine"}"#,
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let before: Vec<_> = std::fs::read_dir(dir.join("sandboxes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();

    let mut second = stock(&["--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0"]);
    second.arg("--data-dir").arg(&dir);
    let started = Instant::now();
    let (ok, out) = exits(second);
    assert!(!ok, "a second server started on a held directory: {out}");
    assert!(started.elapsed() < Duration::from_secs(10), "it waited");
    for needle in [
        format!("data directory {} is in use", dir.display()),
        format!("pid {}", first.pid()),
        first.base_url.clone(),
    ] {
        assert!(out.contains(&needle), "{needle:?} not in: {out}");
    }
    // The first server is untouched: its sandbox is there, once, and answers.
    let after: Vec<_> = std::fs::read_dir(dir.join("sandboxes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before, after);
    let again = request(
        &first.base_url,
        "POST",
        "/sandbox/sandboxes",
        &[("Content-Type", "application/json")],
        r#"{"name":"mine"}"#,
    );
    assert_eq!(again.status, 409, "{}", again.body);

    // kill -9: the kernel lets go of the lock, and the next server starts at once.
    let data = first.stop();
    let next = Server::start_in(data, &[]);
    assert_eq!(health(&next.base_url, None).status, 200);
    let list = request(&next.base_url, "GET", "/sandbox/sandboxes/mine", &[], "");
    assert_eq!(list.status, 200, "{}", list.body);
}

#[test]
fn a_taken_port_is_named_and_nothing_is_written() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().to_string();
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("never-made");
    for (args, label) in [
        (
            vec!["--listen", busy.as_str(), "--tls-listen", "off"],
            "(HTTP)",
        ),
        (
            vec!["--listen", "127.0.0.1:0", "--tls-listen", busy.as_str()],
            "(HTTPS, for the bw CLI)",
        ),
    ] {
        let mut cmd = stock(&args);
        cmd.arg("--data-dir").arg(&data);
        let (ok, out) = exits(cmd);
        assert!(!ok, "{out}");
        assert!(
            out.contains(&format!("cannot listen on {busy} {label}")),
            "{out}"
        );
        assert!(out.contains("already in use"), "{out}");
        assert!(!data.exists(), "a failed bind made the data directory");
    }
}

#[test]
fn https_is_off_on_request_and_beside_any_port_but_the_stock_one_it_takes_a_free_port() {
    // `--tls-listen off`, and the empty environment value, open no HTTPS listener.
    for (args, env) in [
        (vec!["--tls-listen", "off"], vec![]),
        (vec![], vec![("ORGBOX_TLS_LISTEN", "")]),
    ] {
        let mut cmd = stock(&["--listen", "127.0.0.1:0"]);
        cmd.args(&args);
        let server = Server::launch(cmd, tempfile::tempdir().unwrap(), &env);
        assert!(
            server.banner.contains("HTTPS          off"),
            "{}",
            server.banner
        );
        assert!(health(&server.base_url, None).json()["https"].is_null());
    }
    // The stock config with only --listen and --data-dir changed: HTTPS beside it on a free
    // port, even with 3443 taken (held here when it is free).
    let _held = TcpListener::bind("127.0.0.1:3443");
    let port = free_port();
    let cmd = stock(&["--listen", &format!("127.0.0.1:{port}")]);
    let server = Server::launch(cmd, tempfile::tempdir().unwrap(), &[]);
    let https = health(&server.base_url, None).json()["https"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(https.starts_with("https://127.0.0.1:"), "{https}");
    assert!(!https.ends_with(":3443"), "{https}");
    assert!(server.banner.contains(&format!("HTTPS          {https}")));
    // `serve` takes the same flags.
    let cmd = stock(&["serve", "--listen", "127.0.0.1:0", "--tls-listen", "off"]);
    let served = Server::launch(cmd, tempfile::tempdir().unwrap(), &[]);
    assert_eq!(health(&served.base_url, None).status, 200);
}

#[test]
fn without_a_config_file_the_defaults_are_the_stock_files_with_https_and_the_bw_line() {
    let cwd = tempfile::tempdir().unwrap();
    let mut cmd = orgbox();
    cmd.current_dir(cwd.path())
        .args(["--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0"]);
    let server = Server::launch(cmd, tempfile::tempdir().unwrap(), &[]);
    for needle in [
        "HTTPS          https://127.0.0.1:",
        "bw config server https://127.0.0.1:",
        "art@vandelay.test",
        "brennan@prestige-worldwide.test",
    ] {
        assert!(
            server.banner.contains(needle),
            "{needle:?}:\n{}",
            server.banner
        );
    }
    let reply = health(&server.base_url, None).json();
    assert!(reply["tlsCaPem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
}

#[test]
fn the_server_honours_orgbox_admin_key_and_orgbox_health_answers() {
    let key = "ci-admin-key-0123456789";
    let server = Server::start_with(&[("ORGBOX_ADMIN_KEY", key)]);
    assert_eq!(health(&server.base_url, None).status, 401);
    assert_eq!(health(&server.base_url, Some("wrong")).status, 401);
    assert_eq!(health(&server.base_url, Some(key)).status, 200);
    assert!(!server.banner.contains(key), "the banner shows the key");
    let dir = server.data_dir.path().to_str().unwrap().to_string();
    // Found through the data directory's lock file, with and without the key.
    let mut with_key = stock(&["health", "--data-dir", &dir]);
    with_key.env("ORGBOX_ADMIN_KEY", key);
    let (ok, out) = exits(with_key);
    assert!(ok && out.contains("\"status\":\"ok\""), "{out}");
    let mut without = stock(&["health", "--data-dir", &dir]);
    without.env_remove("ORGBOX_ADMIN_KEY");
    let (ok, out) = exits(without);
    assert!(ok && out.contains("needs the admin key"), "{out}");
    // Nobody there: unhealthy, saying where it asked.
    let url = format!("http://127.0.0.1:{}", free_port());
    let (ok, out) = exits(stock(&["health", "--url", &url]));
    assert!(!ok && out.contains(&url), "{out}");
}

#[test]
fn startup_errors_name_the_path_and_say_what_to_do() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    for dir in [file.clone(), file.join("below")] {
        let mut cmd = stock(&["--listen", "127.0.0.1:0", "--tls-listen", "off"]);
        cmd.arg("--data-dir").arg(&dir);
        let (ok, out) = exits(cmd);
        assert!(!ok, "{out}");
        assert!(out.contains(&dir.display().to_string()), "{out}");
        assert!(out.contains("is a file, not a directory"), "{out}");
        assert!(out.contains("--data-dir"), "{out}");
    }
    let mut missing = orgbox();
    missing
        .arg("--config")
        .arg(root.path().join("missing.toml"));
    let (ok, out) = exits(missing);
    assert!(!ok && out.contains("missing.toml"), "{out}");
    let bad = root.path().join("bad.toml");
    std::fs::write(&bad, "[server]\nlisten = 3080\n").unwrap();
    let (ok, out) = exits({
        let mut c = orgbox();
        c.arg("--config").arg(&bad);
        c
    });
    assert!(
        !ok && out.contains("bad.toml") && out.contains("listen"),
        "{out}"
    );
}

/// Runs `cmd` as an unprivileged user when this test runs as root (root may write anywhere),
/// with `setpriv`; `None` when that is not possible here.
fn unprivileged(cmd: &Command) -> Option<Command> {
    let uid = std::fs::metadata("/proc/self").ok().map(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid()
    })?;
    let mut out = if uid == 0 {
        Command::new("setpriv")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())?;
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        c.arg(cmd.get_program());
        c
    } else {
        Command::new(cmd.get_program())
    };
    out.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            out.env(k, v);
        }
    }
    Some(out)
}

/// Makes `path` and its parents traversable by others (the unprivileged user must reach the
/// binary and the directories).
fn open_up(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for p in path.ancestors() {
        if let Ok(m) = std::fs::metadata(p) {
            let mode = m.permissions().mode();
            if mode & 0o005 != 0o005 && p.starts_with(std::env::temp_dir()) {
                let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode | 0o005));
            }
        }
    }
}

#[test]
fn a_data_directory_this_user_cannot_write_is_named_with_what_to_do() {
    // A seeded directory of another user (read-only to this one), and a new one under it.
    let server = Server::start();
    let data = server.stop();
    let dir = data.path().to_path_buf();
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![dir.clone()];
    while let Some(p) = stack.pop() {
        let is_dir = p.is_dir();
        let mode = if is_dir { 0o555 } else { 0o444 };
        if is_dir {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        }
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    open_up(&dir);
    for target in [dir.clone(), dir.join("new")] {
        let mut cmd = stock(&["--listen", "127.0.0.1:0", "--tls-listen", "off"]);
        cmd.arg("--data-dir").arg(&target);
        let Some(cmd) = unprivileged(&cmd) else {
            println!("skipped: running as root without setpriv, permissions cannot be tested");
            return;
        };
        let (ok, out) = exits(cmd);
        assert!(!ok, "{out}");
        assert!(out.contains(&target.display().to_string()), "{out}");
        assert!(out.contains("permission denied"), "{out}");
        assert!(out.contains("--data-dir"), "{out}");
        assert!(!out.contains("internal error"), "{out}");
    }
    let mut stack = vec![dir];
    while let Some(p) = stack.pop() {
        let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700));
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        }
    }
}
