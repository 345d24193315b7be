//! One owner per data directory: the server (or an offline CLI command) holds an exclusive OS
//! file lock on `<data dir>/orgbox.lock` for as long as it runs. The kernel releases it when
//! the process ends, however it ends (kill -9 included), so a lock is never stale. The file
//! says who holds it (pid, what, where it serves), for the message the next comer gets.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sandbox::layout::LOCK_FILE;

/// Who holds (or asks for) a data directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Holder {
    /// Process id.
    pub pid: u32,
    /// What it is: `server`, or the CLI command (`orgbox reset`).
    pub role: String,
    /// The base URL of its plain listener, when it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// The base URL of its HTTPS listener, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub https: Option<String>,
}

impl Holder {
    /// This process, in `role`, serving at `http` / `https` if it serves.
    pub fn this_process(role: &str, http: Option<String>, https: Option<String>) -> Holder {
        Holder {
            pid: std::process::id(),
            role: role.to_string(),
            http,
            https,
        }
    }

    fn describe(&self) -> String {
        match &self.http {
            Some(url) => format!("orgbox {} (pid {}, serving {url})", self.role, self.pid),
            None => format!("{} (pid {})", self.role, self.pid),
        }
    }
}

/// Why a data directory could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it.
    #[error("data directory {} is in use by {}", dir.display(), holder.as_ref().map_or_else(|| "another orgbox process".to_string(), Holder::describe))]
    Held {
        /// The directory.
        dir: PathBuf,
        /// Who holds it, when the lock file says.
        holder: Option<Holder>,
    },
    /// The directory or its lock file could not be made or opened.
    #[error("{}", crate::sandbox::lock::explain(path, source))]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl LockError {
    /// Who holds the directory, when that is the reason.
    pub fn holder(&self) -> Option<&Holder> {
        match self {
            LockError::Held { holder, .. } => holder.as_ref(),
            LockError::Io { .. } => None,
        }
    }
}

/// An exclusive hold on a data directory, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
    dir: PathBuf,
}

impl DataDirLock {
    /// Creates `dir` (owner-only) if it is missing and takes its lock for `holder`. Another
    /// holder is a [`LockError::Held`] at once: nothing waits.
    pub fn acquire(dir: &Path, holder: &Holder) -> Result<DataDirLock, LockError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| LockError::Io { path, source }
        };
        if dir.exists() && !dir.is_dir() {
            return Err(io(dir)(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "it is a file, not a directory",
            )));
        }
        crate::files::create_private_dir(dir).map_err(io(dir))?;
        let path = dir.join(LOCK_FILE);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Held {
                    dir: dir.to_path_buf(),
                    holder: read_holder(&mut file),
                })
            }
            Err(TryLockError::Error(e)) => return Err(io(&path)(e)),
        }
        let record = serde_json::to_string(holder).unwrap_or_default();
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(format!("{record}\n").as_bytes()))
            .map_err(io(&path))?;
        Ok(DataDirLock {
            _file: file,
            dir: dir.to_path_buf(),
        })
    }

    /// The directory held.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// What the lock file of `dir` says about its last holder (it may have ended since: the file
/// stays, only the lock goes).
pub fn last_holder(dir: &Path) -> Option<Holder> {
    let mut file = File::open(dir.join(LOCK_FILE)).ok()?;
    read_holder(&mut file)
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

/// The user this process runs as, for messages about permissions (Linux: the owner of
/// `/proc/self`).
pub fn this_user() -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata("/proc/self") {
            return format!("uid {}", m.uid());
        }
    }
    "this user".to_string()
}

/// A file-system error on `path` in words: the path, the reason, and what to do.
pub fn explain(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let p = path.display();
    match e.kind() {
        ErrorKind::PermissionDenied => format!(
            "cannot write {p}: permission denied ({} may not write there); choose a directory \
             it can write with --data-dir (or ORGBOX_DATA_DIR), or give it the directory \
             (chown -R)",
            this_user()
        ),
        ErrorKind::NotADirectory | ErrorKind::AlreadyExists => format!(
            "cannot use {p} as a data directory: it (or a parent) is a file, not a directory; \
             choose another with --data-dir (or ORGBOX_DATA_DIR)"
        ),
        ErrorKind::ReadOnlyFilesystem => format!(
            "cannot write {p}: the file system is read-only; choose a data directory on a \
             writable one (in a container, mount a volume there)"
        ),
        ErrorKind::StorageFull => {
            format!("cannot write {p}: the disk is full; free some space and start again")
        }
        _ => format!("cannot use {p}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(role: &str) -> Holder {
        Holder::this_process(role, Some("http://127.0.0.1:1".into()), None)
    }

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_name_until_it_lets_go() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        let first = DataDirLock::acquire(&dir, &me("server")).unwrap();
        assert_eq!(first.dir(), dir);
        let err = DataDirLock::acquire(&dir, &me("orgbox reset")).unwrap_err();
        assert_eq!(err.holder(), Some(&me("server")));
        let text = err.to_string();
        assert!(text.contains(&dir.display().to_string()), "{text}");
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(text.contains("http://127.0.0.1:1"), "{text}");
        drop(first);
        let again = DataDirLock::acquire(&dir, &me("orgbox reset")).unwrap();
        assert_eq!(last_holder(&dir).unwrap().role, "orgbox reset");
        drop(again);
    }

    #[test]
    fn a_file_where_the_directory_should_be_is_named() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("data");
        std::fs::write(&file, b"x").unwrap();
        let text = DataDirLock::acquire(&file, &me("server"))
            .unwrap_err()
            .to_string();
        assert!(text.contains(&file.display().to_string()), "{text}");
        assert!(text.contains("is a file, not a directory"), "{text}");
        assert!(text.contains("--data-dir"), "{text}");
    }
}
