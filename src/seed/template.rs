//! The seeded template: the demo world as freshly seeded, in one file per data directory.
//! Resets restore it; named sandboxes start as copies of it.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::domain::error::{Error, Result};
use crate::sandbox::snapshots::TempDb;
use crate::sandbox::Clock;
use crate::seed::seed_demo;
use crate::store::{copy, Store};

/// Makes sure `template` exists: a copy of `fresh_default` when the default sandbox was just
/// seeded (so the two start equal), else, when it is missing, a newly seeded store.
pub fn ensure(template: &Path, fresh_default: Option<&Store>, config: &Config) -> Result<()> {
    let dir = template.parent().unwrap_or(Path::new("."));
    let out = TempDb::new(dir);
    match fresh_default {
        Some(store) => store.exclusive_blocking(|conn| copy::save_to_file(conn, out.path()))?,
        None if template.exists() => return Ok(()),
        None => {
            let scratch = TempDb::new(dir);
            let store = Store::open(scratch.path())?;
            seed_demo(
                &store,
                Clock::real_now_ms(),
                &config.demo,
                config.auth.pbkdf2_iterations,
            )?;
            crate::seed::bitwarden::seed_bitwarden(
                &store,
                Clock::real_now_ms(),
                &config.bitwarden,
            )?;
            store.exclusive_blocking(|conn| copy::save_to_file(conn, out.path()))?;
        }
    }
    copy::sync_file(out.path())?;
    std::fs::rename(out.path(), template)
        .map_err(|e| Error::Internal(format!("{}: {e}", template.display())))
}

/// The template's path in `data_dir`.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(crate::sandbox::layout::TEMPLATE_FILE)
}

/// Applies the fixture in `file` to the default sandbox's `store` and to the `template`
/// (so resets and new named sandboxes keep it), each in one transaction.
pub fn apply_seed_file(
    file: &Path,
    store: &Store,
    template: &Path,
    key: &crate::auth::seal::ServerKey,
    iterations: u32,
) -> Result<()> {
    use crate::service::seeding::{apply, prepare_passwords, read_file};
    let fixture = read_file(file)?;
    let now = Clock::real_now_ms();
    // Passwords are hashed before each write transaction, never inside it.
    let passwords = store.read_blocking(|conn| prepare_passwords(conn, &fixture, iterations))?;
    store.write_blocking(|conn| apply(conn, &fixture, &passwords, now, key))?;
    let template = Store::open(template)?;
    let passwords = template.read_blocking(|conn| prepare_passwords(conn, &fixture, iterations))?;
    template.write_blocking(|conn| apply(conn, &fixture, &passwords, now, key))?;
    Ok(())
}
