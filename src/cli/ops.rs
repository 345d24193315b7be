//! What the subcommands do, through a running server's control plane (`--url`) or directly
//! on the data directory's files. Directly only while no server holds the directory: the
//! command takes the directory's lock for as long as it works, and a held directory is
//! refused at once with who holds it and the `--url` to use instead, so nothing is ever
//! written by two processes.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::auth::seal::ServerKey;
use crate::cli::{http, webhooks, Command, SnapshotAction, Target};
use crate::config::Config;
use crate::sandbox::layout::{DATABASE_FILE, SANDBOXES_DIR, SERVER_KEY_FILE, TEMPLATE_FILE};
use crate::sandbox::lock::{DataDirLock, Holder, LockError};
use crate::sandbox::named::valid_name;
use crate::sandbox::{snapshots, Clock};
use crate::service::seeding;
use crate::store::{copy, Store};

/// Runs a subcommand; returns what to print, or the error.
pub fn run(command: Command, config: &Config) -> Result<String, String> {
    match command {
        Command::Serve(_) => Err("serve runs the server".into()),
        Command::Health { url, admin_key } => {
            crate::cli::health::run(url.as_deref(), admin_key.as_deref(), config)
        }
        Command::Reset(target) => match &target.url {
            Some(url) => remote(
                url,
                &target,
                "POST",
                "/sandbox/reset",
                "application/json",
                b"{}",
            )
            .map(|b| pretty(&b)),
            None => local_reset(config, &target),
        },
        Command::Snapshot { action } => match action {
            SnapshotAction::Save { file, target } => match &target.url {
                Some(url) => {
                    let bytes = remote(
                        url,
                        &target,
                        "GET",
                        "/sandbox/snapshot",
                        "application/json",
                        b"",
                    )?;
                    write_atomically(&file, &bytes)?;
                    Ok(format!("saved {} bytes to {}", bytes.len(), file.display()))
                }
                None => local_save(config, &target, &file),
            },
            SnapshotAction::Load { file, target } => {
                let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                match &target.url {
                    Some(url) => remote(
                        url,
                        &target,
                        "PUT",
                        "/sandbox/snapshot",
                        "application/vnd.sqlite3",
                        &bytes,
                    )
                    .map(|b| pretty(&b)),
                    None => local_load(config, &target, &file),
                }
            }
        },
        Command::Seed { file, target } => {
            let text = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let toml = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
            match &target.url {
                Some(url) => {
                    let ct = if toml {
                        "application/toml"
                    } else {
                        "application/json"
                    };
                    remote(url, &target, "POST", "/sandbox/seed", ct, &text).map(|b| pretty(&b))
                }
                None => local_seed(config, &target, &file),
            }
        }
        Command::Webhooks { action } => {
            let (target, method, path, body) = webhooks::request(action);
            let url = target.url.clone().ok_or(
                "webhooks needs a running server (--url): deliveries and inboxes live in it",
            )?;
            remote(&url, &target, method, &path, "application/json", &body).map(|b| pretty(&b))
        }
    }
}

/// An error in words, for the operator's terminal.
fn words(e: crate::domain::error::Error) -> String {
    e.for_operator()
}

/// A JSON reply pretty-printed, anything else as text.
fn pretty(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned())
}

fn remote(
    url: &str,
    target: &Target,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Result<Vec<u8>, String> {
    let prefix = match &target.sandbox {
        Some(name) => format!("/s/{name}"),
        None => String::new(),
    };
    let reply = http::send(
        url,
        method,
        &format!("{prefix}{path}"),
        content_type,
        body,
        target.admin_key.as_deref(),
    )?;
    if !(200..300).contains(&reply.status) {
        return Err(format!(
            "{method} {path}: {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        ));
    }
    Ok(reply.body)
}

/// Takes the data directory for `command`, or says who holds it and how to reach them.
fn take(config: &Config, command: &str) -> Result<DataDirLock, String> {
    let dir = &config.server.data_dir;
    if !dir.is_dir() {
        return Err(format!(
            "{} is not a data directory (start orgbox once with --data-dir {}, or pass --url \
             to reach a running server)",
            dir.display(),
            dir.display()
        ));
    }
    DataDirLock::acquire(dir, &Holder::this_process(command, None, None)).map_err(|e| match &e {
        LockError::Held {
            holder: Some(Holder {
                http: Some(url), ..
            }),
            ..
        } => format!(
            "{e}; reach it through its control plane instead: add --url {url} (and \
             --admin-key when it needs one)"
        ),
        LockError::Held { .. } => format!("{e}; stop it, or use --url to reach it"),
        LockError::Io { .. } => e.to_string(),
    })
}

fn database_of(config: &Config, target: &Target) -> Result<PathBuf, String> {
    let dir = &config.server.data_dir;
    let path = match &target.sandbox {
        Some(name) if valid_name(name) => dir.join(SANDBOXES_DIR).join(format!("{name}.sqlite")),
        Some(name) => return Err(format!("invalid sandbox name {name:?}")),
        None => dir.join(DATABASE_FILE),
    };
    if !path.exists() {
        return Err(format!(
            "{} does not exist (start orgbox once with --data-dir {}, or create the sandbox)",
            path.display(),
            dir.display()
        ));
    }
    Ok(path)
}

fn open_store(config: &Config, target: &Target) -> Result<Store, String> {
    let path = database_of(config, target)?;
    Store::open(&path).map_err(|e| format!("{}: {}", path.display(), words(e)))
}

fn local_reset(config: &Config, target: &Target) -> Result<String, String> {
    let _lock = take(config, "orgbox reset")?;
    let template = config.server.data_dir.join(TEMPLATE_FILE);
    let source = Connection::open_with_flags(&template, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{}: {e} (start orgbox once to make it)", template.display()))?;
    let store = open_store(config, target)?;
    store
        .exclusive_blocking(|conn| copy::restore_into(&source, conn))
        .map_err(words)?;
    Ok(format!(
        "reset {} to the template",
        target.sandbox.as_deref().unwrap_or("the default sandbox")
    ))
}

fn write_atomically(file: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = file.with_extension("orgbox-tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, file))
        .map_err(|e| format!("{}: {e}", file.display()))
}

fn local_save(config: &Config, target: &Target, file: &Path) -> Result<String, String> {
    let _lock = take(config, "orgbox snapshot save")?;
    let store = open_store(config, target)?;
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = snapshots::TempDb::new(dir);
    store
        .exclusive_blocking(|conn| copy::save_to_file(conn, tmp.path()))
        .map_err(words)?;
    std::fs::rename(tmp.path(), file).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(format!("saved to {}", file.display()))
}

fn local_load(config: &Config, target: &Target, file: &Path) -> Result<String, String> {
    let _lock = take(config, "orgbox snapshot load")?;
    let store = open_store(config, target)?;
    let version = snapshots::load_into(&store, file, &config.server.data_dir).map_err(words)?;
    Ok(format!(
        "loaded {} (schema version {version})",
        file.display()
    ))
}

fn local_seed(config: &Config, target: &Target, file: &Path) -> Result<String, String> {
    let _lock = take(config, "orgbox seed")?;
    let fixture = seeding::read_file(file).map_err(words)?;
    let key_file = config.server.data_dir.join(SERVER_KEY_FILE);
    let key = ServerKey::load_or_create(&key_file, config.server.allow_shared_key_file)
        .map_err(|e| format!("{}: {e}", key_file.display()))?;
    let store = open_store(config, target)?;
    let passwords = store
        .read_blocking(|c| seeding::prepare_passwords(c, &fixture, config.auth.pbkdf2_iterations))
        .map_err(words)?;
    let report = store
        .write_blocking(|conn| {
            seeding::apply(conn, &fixture, &passwords, Clock::real_now_ms(), &key)
        })
        .map_err(words)?;
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}
