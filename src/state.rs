//! What every request can reach, built once at start and shared as `web::Data`.

use crate::auth::client_ip::TrustedProxies;
use crate::auth::seal::ServerKey;
use crate::config::AuthConfig;
use crate::sandbox::Sandboxes;

/// Shared application state.
pub struct AppState {
    /// The sandboxes (each a store and a clock).
    pub sandboxes: Sandboxes,
    /// Seals raw tokens at rest.
    pub server_key: ServerKey,
    /// Token lifetimes, OTPs, signing window, password hashing.
    pub auth: AuthConfig,
    /// Proxies whose forwarded header is believed.
    pub trusted_proxies: TrustedProxies,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The Bitwarden dialect's settings.
    pub bitwarden: crate::bitwarden::config::BitwardenConfig,
}
