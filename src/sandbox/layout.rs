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
