//! The README and docs/ as a newcomer uses them. Every `sh` block of a page runs, in order, in
//! one shell (as pasted into one terminal), twice in a row against one running server at
//! whatever port it has, and prints every `# => text` line the blocks promise; then once more
//! against a server whose control plane needs `ORGBOX_ADMIN_KEY` (as a container's does),
//! with that variable exported as docs/container.md says. The README is a
//! front door: under 15 KB, its first lines the two commands, every link to a file that
//! exists in the repository (none outside it), every docs page linked. The SDK code
//! docs/bitgo-sdk.md shows is the tour the SDK suite runs.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{repo_root, Server};

/// The README, then every page of docs/ by name.
fn pages() -> Vec<PathBuf> {
    let root = repo_root();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    std::iter::once(root.join("README.md"))
        .chain(docs)
        .collect()
}

/// The fenced blocks of `text` whose info string is `lang`.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start().starts_with("```") => {
                let info = line.trim_start().trim_start_matches('`').trim();
                current = (info == lang).then(String::new).or(Some("\0".into()));
            }
            Some(block) if line.trim_start().starts_with("```") => {
                if !block.starts_with('\0') {
                    out.push(std::mem::take(block));
                }
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// What the blocks promise: the text after each `# => `.
fn promises(blocks: &[String]) -> Vec<String> {
    blocks
        .iter()
        .flat_map(|b| b.lines())
        .filter_map(|l| l.trim_start().strip_prefix("# => "))
        .map(str::to_string)
        .collect()
}

/// Runs `script` with bash in the repository root, with `env`; returns success and output.
fn bash(script: &str, env: &[(String, String)]) -> (bool, String, String) {
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .current_dir(repo_root())
        .env_remove("BW_SESSION")
        .env_remove("ORGBOX_ADMIN_KEY")
        .env_remove("ORGBOX_HOST")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("spawn bash");
    let started = Instant::now();
    let id = child.id();
    let watchdog = std::thread::spawn(move || {
        while started.elapsed() < Duration::from_secs(300) {
            std::thread::sleep(Duration::from_millis(200));
            if !Path::new(&format!("/proc/{id}")).exists() {
                return;
            }
        }
        let _ = Command::new("kill").arg(id.to_string()).status();
    });
    let out = child.wait_with_output().expect("bash output");
    let _ = watchdog.join();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// PATH with the orgbox binary this run built and the `bw` CLI of tests/bw first.
fn path_with_tools() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_orgbox")).parent().unwrap();
    let bw = repo_root().join("tests/bw/node_modules/.bin");
    format!(
        "{}:{}:{}",
        bin.display(),
        bw.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn every_shell_block_runs_twice_against_one_server() {
    for tool in ["curl", "jq"] {
        assert!(
            Command::new(tool).arg("--version").output().is_ok(),
            "{tool} is needed for the docs' blocks (apt-get install {tool})"
        );
    }
    support::require_node("the docs' blocks (the SDK tour, bw)");
    let bw_dir = repo_root().join("tests/bw");
    support::npm_ci_unless_installed(&bw_dir, &bw_dir.join("node_modules/.bin/bw"));
    let server = Server::start();
    run_every_page(&server.base_url, 2, None);
    // As pasted against a container or CI service: the control plane needs its key, which
    // the blocks send from ORGBOX_ADMIN_KEY.
    let key = "docs-admin-key-0123456789abcdef";
    let guarded = Server::start_with(&[("ORGBOX_ADMIN_KEY", key)]);
    run_every_page(&guarded.base_url, 1, Some(key));
}

/// Runs every page's blocks `runs` times against the server at `base`, a thread per page.
fn run_every_page(base: &str, runs: u32, admin_key: Option<&'static str>) {
    let threads: Vec<_> = pages()
        .into_iter()
        .map(|page| {
            let base = base.to_string();
            std::thread::spawn(move || run_page(&page, &base, runs, admin_key))
        })
        .collect();
    let failures: Vec<String> = threads
        .into_iter()
        .filter_map(|t| t.join().expect("a page's thread").err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs one page's `sh` blocks `runs` times (with `ORGBOX_ADMIN_KEY` set to `admin_key` when
/// given); the error says which run failed and how.
fn run_page(page: &Path, base: &str, runs: u32, admin_key: Option<&str>) -> Result<(), String> {
    let text = std::fs::read_to_string(page).expect("read page");
    let sh = blocks(&text, "sh");
    if sh.is_empty() {
        return Ok(());
    }
    let scratch = tempfile::tempdir().expect("scratch dir");
    let env = [
        ("ORGBOX_URL", base.to_string()),
        ("PATH", path_with_tools()),
        ("TMPDIR", scratch.path().display().to_string()),
        (
            "BITWARDENCLI_APPDATA_DIR",
            scratch.path().join("bw").display().to_string(),
        ),
        ("BW_NOINTERACTION", "true".to_string()),
    ]
    .map(|(k, v)| (k.to_string(), v));
    let env: Vec<(String, String)> = env
        .into_iter()
        .chain(admin_key.map(|k| ("ORGBOX_ADMIN_KEY".to_string(), k.to_string())))
        .collect();
    let script = format!("set -euo pipefail\n{}", sh.join("\n"));
    let name = page.strip_prefix(repo_root()).unwrap_or(page).display();
    for run in 1..=runs {
        let (ok, stdout, stderr) = bash(&script, &env);
        let missing: Vec<String> = promises(&sh)
            .into_iter()
            .filter(|p| !stdout.contains(p.as_str()))
            .collect();
        if !ok || !missing.is_empty() {
            return Err(format!(
                "{name}, run {run}{}: {} {missing:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                if admin_key.is_some() {
                    " (with ORGBOX_ADMIN_KEY)"
                } else {
                    ""
                },
                if ok {
                    "ran, but did not print"
                } else {
                    "failed"
                }
            ));
        }
    }
    Ok(())
}

/// The relative links of a markdown page, without their `#anchor`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = &rest[..end];
        if !target.contains("://") && !target.starts_with('#') && !target.starts_with("mailto:") {
            out.push(target.split('#').next().unwrap_or("").to_string());
        }
    }
    out
}

#[test]
fn the_readme_is_a_front_door_and_every_link_stays_in_the_repository() {
    let root = repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.len() < 15_000, "README.md is {} bytes", readme.len());
    let head: String = readme.lines().take(12).collect::<Vec<_>>().join("\n");
    assert!(head.contains("    cargo run --release"), "{head}");
    assert!(head.contains("    cargo test --locked"), "{head}");
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let dir = page.parent().unwrap();
        for target in links(&text) {
            let resolved = dir.join(&target);
            assert!(resolved.exists(), "{}: link to {target}", page.display());
            let canonical = resolved.canonicalize().unwrap();
            assert!(
                canonical.starts_with(root.canonicalize().unwrap()),
                "{}: {target} is outside the repository",
                page.display()
            );
        }
        assert!(!text.contains("../shared"), "{}", page.display());
        if page.parent().unwrap().ends_with("docs") {
            let name = format!("docs/{}", page.file_name().unwrap().to_string_lossy());
            assert!(
                readme.contains(&format!("]({name})")),
                "the README does not link {name}"
            );
        }
    }
}

#[test]
fn the_sdk_code_the_docs_show_is_the_tour_the_sdk_suite_runs() {
    let root = repo_root();
    let doc = std::fs::read_to_string(root.join("docs/bitgo-sdk.md")).unwrap();
    let tour = std::fs::read_to_string(root.join("tests/sdk/tour.mjs")).unwrap();
    assert_eq!(blocks(&doc, "js"), vec![tour]);
}
