//! Runs the official BitGo JS SDK (`@bitgo/sdk-api` 1.86.0) against the real `orgbox` binary:
//! `tests/sdk/compat.mjs` logs in, signs requests in auth v2 and v3, checks every response
//! signature, manages access tokens, reads the enterprise, adds and removes enterprise users and
//! resolves their pending approvals as a second admin, reads the organization and creates a
//! child enterprise, and creates a Go Account with `coin('ofc').wallets().generateWallet` and withdraws
//! from it with the SDK's own build, sign and send; and `tests/sdk/tour.mjs`, the tour
//! docs/bitgo-sdk.md shows verbatim (the demo Go Account withdrawn from with
//! `send({ walletPassphrase })`). Needs Node.js 18+ on PATH; the
//! npm packages are installed into `tests/sdk/node_modules` with `npm ci` when missing.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The whole SDK run normally takes a few seconds; this only guards against a hang.
const RUN_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn official_sdk_works_against_the_sandbox() {
    let server = support::Server::start();
    run_suite(&server.base_url);
    drop(server);
}

/// The same suite twice at once on one server, each with `customRootURI` pointing into its own
/// named sandbox (`/s/sdk-a`, `/s/sdk-b`): signatures cover the prefixed path, the control-plane
/// calls go to that sandbox, and neither run sees the other's writes.
#[test]
fn official_sdk_works_in_parallel_named_sandboxes() {
    let server = support::Server::start();
    let runs: Vec<_> = ["sdk-a", "sdk-b"]
        .into_iter()
        .map(|name| {
            let created = http_post(
                &server.base_url,
                "/sandbox/sandboxes",
                &format!(r#"{{"name":"{name}"}}"#),
            );
            assert!(created.starts_with("HTTP/1.1 201"), "{created}");
            let base = format!("{}/s/{name}", server.base_url);
            thread::spawn(move || run_suite(&base))
        })
        .collect();
    for run in runs {
        run.join().expect("an SDK run in a named sandbox failed");
    }
    drop(server);
}

/// A bare HTTP/1.1 POST of JSON; returns the whole reply.
fn http_post(base_url: &str, path: &str, json: &str) -> String {
    use std::io::{Read, Write};
    let host = base_url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    )
    .expect("send");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("read");
    reply
}

/// The SDK tour of docs/bitgo-sdk.md (`tests/sdk/tour.mjs`, shown there verbatim), run twice
/// in a row against one server: login, the demo Go Account found by its label, a withdrawal
/// signed with the keychain the SDK decrypts with the demo password, and a large one held for
/// video approval (then cancelled, so the tour can run again).
#[test]
fn the_docs_sdk_tour_runs_twice_against_one_server() {
    let server = support::Server::start();
    for run in 1..=2 {
        let (status, lines) = run_node("tour.mjs", &server.base_url);
        let text = lines.join("\n");
        assert!(
            status.success(),
            "run {run} of the tour failed ({status}):\n{text}"
        );
        for needle in [
            " signed",
            " pendingVideoApproval",
            "cancelled; spendable 1000000000 satoshi",
        ] {
            assert!(
                text.contains(needle),
                "run {run}: {needle:?} not in\n{text}"
            );
        }
    }
    drop(server);
}

fn run_suite(base_url: &str) {
    let (status, lines) = run_node("compat.mjs", base_url);
    let failures: Vec<&String> = lines.iter().filter(|l| l.starts_with("not ok")).collect();
    let summary = lines
        .iter()
        .rev()
        .find(|l| l.ends_with(" failed") && l.contains(" passed, "))
        .cloned()
        .unwrap_or_else(|| "no summary line (the script died early)".to_string());
    assert!(
        status.success() && failures.is_empty(),
        "the official BitGo SDK suite failed ({status}): {summary}\n{}",
        failures
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Runs `node <script>` in tests/sdk against `base_url` (installing the packages once);
/// returns its exit status and stdout lines.
fn run_node(script: &str, base_url: &str) -> (std::process::ExitStatus, Vec<String>) {
    let sdk_dir = support::repo_root().join("tests").join("sdk");
    // The tests run in parallel; one installs.
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        support::require_node("the SDK compatibility test");
        support::npm_ci_unless_installed(
            &sdk_dir,
            &sdk_dir.join("node_modules/@bitgo/sdk-core/package.json"),
        );
    });

    let mut child = Command::new("node")
        .arg(script)
        .current_dir(&sdk_dir)
        .env("ORGBOX_URL", base_url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn node");

    // Echo both streams line by line as they arrive (visible with --nocapture or on failure)
    // and keep stdout for the failure message.
    let (tx, rx) = mpsc::channel::<String>();
    let stdout = child.stdout.take().expect("node stdout");
    let stdout_reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            let _ = tx.send(line);
        }
    });
    let stderr = child.stderr.take().expect("node stderr");
    let stderr_reader = thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[node stderr] {line}");
        }
    });

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("node {script} did not finish within {RUN_TIMEOUT:?}; it was killed");
        }
        thread::sleep(Duration::from_millis(50));
    };
    let _ = stdout_reader.join();
    let _ = stderr_reader.join();
    (status, rx.try_iter().collect())
}
