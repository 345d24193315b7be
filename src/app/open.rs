//! Opening a data directory the server holds the lock of: its server key, the default
//! sandbox's store (seeded with both demo worlds), the template, a `--seed` fixture, the named
//! sandboxes and the snapshots directory. Every error names the path and says what to do.

use std::path::{Path, PathBuf};

use crate::auth::seal::ServerKey;
use crate::config::Config;
use crate::domain::error::Error;
use crate::sandbox::layout::{
    DATABASE_FILE, SANDBOXES_DIR, SERVER_KEY_FILE, SNAPSHOTS_DIR, TEMPLATE_FILE,
};
use crate::sandbox::lock::explain;
use crate::sandbox::{Clock, NamedConfig, Registry};
use crate::seed::bitwarden::BitwardenDemo;
use crate::seed::{seed_demo, DemoWorld};
use crate::store::Store;

/// What a data directory holds, opened.
pub struct Opened {
    /// Seals raw tokens at rest.
    pub server_key: ServerKey,
    /// The default sandbox's store.
    pub store: Store,
    /// The sandbox clock of the default sandbox.
    pub clock: Clock,
    /// The BitGo demo world.
    pub demo: DemoWorld,
    /// The Bitwarden demo world.
    pub bitwarden: BitwardenDemo,
    /// The seeded template's path.
    pub template: PathBuf,
    /// The named sandboxes found.
    pub named: Registry,
    /// The saved snapshots' directory.
    pub snapshots: PathBuf,
}

/// A startup error about `path`: the path, the reason in words, what to do.
fn at(path: &Path) -> impl Fn(std::io::Error) -> std::io::Error + '_ {
    move |e| std::io::Error::new(e.kind(), explain(path, &e))
}

/// A store or seeding error at start: its detail (an internal error's too: this is the
/// operator's console, not a client's answer) and the path it concerns.
fn failed<'a>(path: &'a Path, doing: &str) -> impl Fn(Error) -> std::io::Error + 'a {
    let doing = doing.to_string();
    move |e| {
        std::io::Error::other(format!(
            "cannot {doing} {}: {}",
            path.display(),
            e.for_operator()
        ))
    }
}

/// Refuses, with the path, a file orgbox must write but may not (a directory seeded by
/// another user, say): SQLite would open it read-only and fail on the first write.
fn ensure_writable(paths: &[PathBuf]) -> std::io::Result<()> {
    for path in paths.iter().filter(|p| p.is_file()) {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(at(path))?;
    }
    Ok(())
}

/// Opens (creating and seeding what is missing) everything in `config`'s data directory.
pub fn open(config: &Config) -> std::io::Result<Opened> {
    let dir = &config.server.data_dir;
    let database = dir.join(DATABASE_FILE);
    let template = dir.join(TEMPLATE_FILE);
    let key_file = dir.join(SERVER_KEY_FILE);
    let files = ["", "-wal", "-shm"]
        .map(|s| PathBuf::from(format!("{}{s}", database.display())))
        .into_iter()
        .chain([template.clone(), key_file.clone()])
        .collect::<Vec<_>>();
    ensure_writable(&files)?;
    let server_key = ServerKey::load_or_create(&key_file, config.server.allow_shared_key_file)
        // Its own refusals (a key others can read, a short key) name the file already.
        .map_err(|e| match e.raw_os_error() {
            Some(_) => at(&key_file)(e),
            None => e,
        })?;
    let fresh = !database.exists();
    let store = Store::open(&database).map_err(failed(&database, "open the database"))?;
    let clock = Clock::system();
    let demo = seed_demo(
        &store,
        clock.now_ms(),
        &config.demo,
        config.auth.pbkdf2_iterations,
    )
    .map_err(failed(&database, "seed the demo world into"))?;
    let bitwarden =
        crate::seed::bitwarden::seed_bitwarden(&store, clock.now_ms(), &config.bitwarden)
            .map_err(failed(&database, "seed the Bitwarden demo into"))?;
    crate::seed::template::ensure(&template, fresh.then_some(&store), config)
        .map_err(failed(&template, "make the template"))?;
    if let Some(file) = &config.sandbox.seed_file {
        crate::seed::template::apply_seed_file(
            file,
            &store,
            &template,
            &server_key,
            config.auth.pbkdf2_iterations,
        )
        .map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("cannot apply the seed file {}: {e}", file.display()),
            )
        })?;
    }
    let named = open_named(config)?;
    let snapshots = dir.join(SNAPSHOTS_DIR);
    crate::files::create_private_dir(&snapshots).map_err(at(&snapshots))?;
    Ok(Opened {
        server_key,
        store,
        clock,
        demo,
        bitwarden,
        template,
        named,
        snapshots,
    })
}

fn open_named(config: &Config) -> std::io::Result<Registry> {
    let dir = config.server.data_dir.join(SANDBOXES_DIR);
    Registry::open(NamedConfig {
        dir: dir.clone(),
        max_count: config.sandbox.max_named,
        max_open: config.sandbox.max_open.max(1),
        idle_ms: i64::try_from(config.sandbox.idle_seconds.saturating_mul(1000))
            .unwrap_or(i64::MAX),
        limits: config.auth.throttle_limits(),
        journal_capacity: config.sandbox.journal_capacity,
    })
    .map_err(at(&dir))
}
