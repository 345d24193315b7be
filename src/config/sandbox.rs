//! `[sandbox]`: the control plane, the journal and named sandboxes.

use serde::Deserialize;

/// Entries a sandbox's journal holds unless configured.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 1000;

/// Bytes of each request or response body a journal entry keeps unless configured.
pub const DEFAULT_JOURNAL_BODY_BYTES: usize = 16 * 1024;

/// Bytes a sandbox's journal holds in all unless configured.
pub const DEFAULT_JOURNAL_MEMORY_BYTES: usize = 64 * 1024 * 1024;

/// `[sandbox]`: the control plane. Open with no key only while every listener is on loopback
/// and no proxy is trusted; otherwise (or with `admin_key` set) every `/sandbox/...` call needs
/// `Authorization: Bearer <key>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxConfig {
    /// `false` switches the control plane off (every `/sandbox/...` path is a 404).
    pub enabled: bool,
    /// The key `/sandbox/...` calls must present; empty means none (a key is generated at
    /// start when a listener is beyond loopback or a proxy is trusted).
    pub admin_key: String,
    /// Requests each sandbox's journal holds (oldest dropped); 0 records nothing.
    pub journal_capacity: usize,
    /// Bytes of each request and response body a journal entry keeps (secrets redacted,
    /// longer bodies cut); 0 keeps no bodies.
    pub journal_body_bytes: usize,
    /// Bytes each sandbox's journal holds in all, bodies included (oldest dropped past it).
    pub journal_memory_bytes: usize,
    /// Most named sandboxes at once.
    pub max_named: usize,
    /// Most named sandboxes with an open database at once (least recently used are closed).
    pub max_open: usize,
    /// A named sandbox unused this long has its database closed (reopened on the next
    /// request); 0 never.
    pub idle_seconds: u64,
    /// A seeding fixture (TOML or JSON) applied at start to the default sandbox and the
    /// template (`--seed FILE`).
    pub seed_file: Option<std::path::PathBuf>,
    /// Host names (or `*.domain`) the control plane and console answer besides loopback names,
    /// the addresses orgbox listens on and `[server] public_url`'s host; any other `Host` gets a
    /// 421 (a page on a rebound name cannot reach them).
    pub allowed_hosts: Vec<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            enabled: true,
            admin_key: String::new(),
            journal_capacity: DEFAULT_JOURNAL_CAPACITY,
            journal_body_bytes: DEFAULT_JOURNAL_BODY_BYTES,
            journal_memory_bytes: DEFAULT_JOURNAL_MEMORY_BYTES,
            max_named: 10_000,
            max_open: 64,
            idle_seconds: 60,
            seed_file: None,
            allowed_hosts: Vec::new(),
        }
    }
}
