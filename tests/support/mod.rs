//! Starts the real `orgbox` binary for black-box tests: port 0, a fresh data directory,
//! the repository's own config.toml, and the `listening on` line read from stdout.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running orgbox process; killed when dropped.
pub struct Server {
    /// e.g. `http://127.0.0.1:41234`
    pub base_url: String,
    /// Everything the server printed on stdout before `listening on` (the banner).
    pub banner: String,
    /// The data directory the server uses; removed with the server.
    pub data_dir: tempfile::TempDir,
    log_dir: tempfile::TempDir,
    child: Child,
}

impl Server {
    /// Starts `orgbox --config <repo>/config.toml --listen 127.0.0.1:0 --data-dir <temp>`.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Like [`Server::start`], with extra `KEY=VALUE` environment variables.
    pub fn start_with(env: &[(&str, &str)]) -> Server {
        let data_dir = tempfile::tempdir().expect("temp data dir");
        Server::start_in(data_dir, env)
    }

    /// Starts the server on an existing data directory (for restart tests).
    pub fn start_in(data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> Server {
        Server::start_configured(&repo_root().join("config.toml"), data_dir, env)
    }

    /// Starts the server with another config file (e.g. the repository's with one line changed).
    pub fn start_configured(
        config: &std::path::Path,
        data_dir: tempfile::TempDir,
        env: &[(&str, &str)],
    ) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_orgbox"));
        cmd.arg("--config")
            .arg(config)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--tls-listen")
            .arg("127.0.0.1:0");
        Server::launch(cmd, data_dir, env)
    }

    /// Starts `cmd` (the orgbox binary with its flags, but no `--data-dir`) on `data_dir` with
    /// `env`, and waits for its `listening on` line.
    pub fn launch(mut cmd: Command, data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> Server {
        let log_dir = tempfile::tempdir().expect("temp log dir");
        let log = std::fs::File::create(log_dir.path().join("stderr.log")).expect("log file");
        cmd.arg("--data-dir")
            .arg(data_dir.path())
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn orgbox");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut banner = String::new();
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = tx.send((url.trim().to_string(), banner.clone()));
                    break;
                }
                banner.push_str(&line);
                banner.push('\n');
            }
            // Keep draining so the child never blocks on a full pipe.
            for _ in lines {}
        });
        let Ok((base_url, banner)) = rx.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            panic!(
                "orgbox printed no `listening on` line within 60 s; stderr:\n{}",
                std::fs::read_to_string(log_dir.path().join("stderr.log")).unwrap_or_default()
            );
        };
        Server {
            base_url,
            banner,
            data_dir,
            log_dir,
            child,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the server has logged on stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_dir.path().join("stderr.log")).unwrap_or_default()
    }

    /// Stops the process and hands back its data directory (to restart on it).
    pub fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().expect("placeholder dir");
        std::mem::replace(&mut self.data_dir, dir)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository root (where Cargo.toml and config.toml live).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A reply from [`request`].
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Header lines, lowercased names.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A minimal blocking HTTP/1.1 request (`Connection: close`), enough for smoke tests that
/// drive the real binary without an async runtime.
pub fn request(
    base_url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    use std::io::{Read, Write};
    let host = base_url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a full HTTP reply");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Fails the test (does not skip it) when Node.js is missing or older than 18; `suite` names
/// the test in the message.
pub fn require_node(suite: &str) {
    let output = match Command::new("node").arg("--version").output() {
        Ok(output) if output.status.success() => output,
        Ok(output) => panic!(
            "`node --version` failed ({}); {suite} needs Node.js 18+ on PATH",
            output.status
        ),
        Err(err) => panic!(
            "`node` is not on PATH ({err}); {suite} needs Node.js 18+ \
             (install it, e.g. `apt-get install nodejs npm`, then rerun)"
        ),
    };
    let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    assert!(
        major >= 18,
        "Node.js {version} is too old; {suite} needs 18+"
    );
}

/// Installs the locked npm packages of `dir` with `npm ci` unless `marker` (a file the
/// install creates) is already there.
pub fn npm_ci_unless_installed(dir: &std::path::Path, marker: &std::path::Path) {
    if marker.exists() {
        return;
    }
    let name = dir.display();
    eprintln!("{name}/node_modules is missing; running `npm ci --no-audit --no-fund`");
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("`npm` could not be started ({e}); run `npm ci` in {name}"));
    assert!(
        output.status.success() && marker.exists(),
        "`npm ci` in {name} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
