//! Files at rest are private: the data directory is created 0700, the SQLite file and its
//! WAL and shared-memory files are 0600, a server key that others can read is refused, and
//! the TLS key and its directory are kept 0600 and 0700 (repaired when found open).
//! (Unix only: elsewhere these are no-ops.)

use std::path::Path;

/// Creates `dir` (and its parents) owner-only, or leaves an existing one as it is.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates `dir` owner-only, or makes an existing one owner-only: for directories orgbox alone
/// fills (`tls/`); the data directory itself stays as its owner made it.
pub fn make_dir_private(dir: &Path) -> std::io::Result<()> {
    create_private_dir(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            log::warn!("{} was mode {mode:o}; made it 0700", dir.display());
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Writes a new secret file, owner-only from its creation (it must not exist yet).
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes a secret file orgbox wrote (an older version without these rules, say) owner-only
/// when its group or others can reach it, saying so; then checks it as [`check_private`] does.
pub fn repair_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            log::warn!(
                "{} was readable by others (mode {mode:o}); made it 0600",
                path.display()
            );
            set_owner_only(path)?;
        }
    }
    check_private(path)
}

/// Creates `file` empty and owner-only if missing, and makes it (and the `-wal` and `-shm`
/// files SQLite keeps beside it) owner-only if present. SQLite gives its WAL and
/// shared-memory files the mode of the database file, so creating that one 0600 first
/// covers the others too.
pub fn make_database_private(file: &Path) -> std::io::Result<()> {
    if !file.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(file)?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        let path = Path::new(&name);
        if path.exists() {
            set_owner_only(path)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_owner_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_owner_only(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Refuses a secret file that its group or others can read or write, with a message that
/// says how to fix it.
pub fn check_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "{} is readable by others (mode {mode:o}); run `chmod 600 {}`, or set \
                     [server] allow_shared_key_file = true in config.toml",
                    path.display(),
                    path.display()
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_data_dir_is_owner_only() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
    }

    #[test]
    fn the_database_and_its_companions_become_owner_only() {
        let root = tempfile::tempdir().unwrap();
        let db = root.path().join("x.sqlite");
        make_database_private(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        let wal = root.path().join("x.sqlite-wal");
        std::fs::write(&wal, b"").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o644)).unwrap();
        make_database_private(&db).unwrap();
        assert_eq!(mode(&wal), 0o600);
    }

    #[test]
    fn an_open_directory_and_secret_file_are_repaired() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("tls");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        make_dir_private(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let key = dir.join("k");
        write_private(&key, b"x").unwrap();
        assert_eq!(mode(&key), 0o600);
        assert!(write_private(&key, b"y").is_err(), "never overwritten");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        repair_private(&key).unwrap();
        assert_eq!(mode(&key), 0o600);
    }

    #[test]
    fn a_shared_secret_file_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let key = root.path().join("k");
        std::fs::write(&key, b"x").unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
        let err = check_private(&key).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        check_private(&key).unwrap();
    }
}
