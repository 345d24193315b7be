//! Where things live inside a data directory.

/// Name of the default sandbox's SQLite file inside the data directory.
pub const DATABASE_FILE: &str = "orgbox.sqlite";
/// Name of the seeded template (what resets restore and named sandboxes start from).
pub const TEMPLATE_FILE: &str = "template.sqlite";
/// Directory of named sandboxes inside the data directory.
pub const SANDBOXES_DIR: &str = "sandboxes";
/// Directory of saved snapshots inside the data directory.
pub const SNAPSHOTS_DIR: &str = "snapshots";
/// Name of the server key file inside the data directory.
pub const SERVER_KEY_FILE: &str = "server.key";
/// The lock file that gives a data directory one owner at a time (see `sandbox::lock`).
pub const LOCK_FILE: &str = "orgbox.lock";
/// Directory of the HTTPS listener's CA and certificate inside the data directory.
pub const TLS_DIR: &str = "tls";
