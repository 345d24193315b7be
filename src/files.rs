//! Files at rest are private: the data directory is created 0700, the SQLite file and its
//! WAL and shared-memory files are 0600, and a server key that others can read is refused.
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
