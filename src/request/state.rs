//! What every request can reach, built once at start and shared as `web::Data`.

use crate::auth::client_ip::TrustedProxies;
use crate::auth::hashing::PasswordWorkers;
use crate::auth::hosts::{AllowedHosts, PublicUrl};
use crate::auth::seal::ServerKey;
use crate::config::{AuthConfig, KycConfig, MoneyConfig};
use crate::request::admin::ControlPlane;
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
    /// The `Host` names the control plane and console answer, and mail links may carry.
    pub allowed_hosts: AllowedHosts,
    /// `[server] public_url`: the base of links, when configured.
    pub public_url: Option<PublicUrl>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The threads that run PBKDF2.
    pub password_workers: PasswordWorkers,
    /// A stored-password record no password matches, checked for unknown emails so that
    /// they cost the same PBKDF2 work as a wrong password.
    pub decoy_password: String,
    /// How the `/sandbox/...` control plane is guarded.
    pub control: ControlPlane,
    /// KYC review and decision delays.
    pub kyc: KycConfig,
    /// The Bitwarden dialect's settings.
    pub bitwarden: crate::config::bitwarden::BitwardenConfig,
    /// Go Account prices, thresholds and timings.
    pub money: MoneyConfig,
    /// The webhook delivery pool (and its settings: allowed targets, inbox size).
    pub deliveries: std::sync::Arc<crate::sandbox::deliveries::Deliveries>,
    /// The demo users' password (config.toml `[demo]`), which the console offers behind the
    /// control plane's guard so a newcomer can act as a demo user; the banner prints it too.
    pub demo_password: String,
    /// Where this server listens, as `GET /sandbox/health` tells it.
    pub listening: Listening,
}

/// The listeners as bound, for clients that need to find the HTTPS one (`bw`).
#[derive(Debug, Clone)]
pub struct Listening {
    /// The plain HTTP listener's address.
    pub http: std::net::SocketAddr,
    /// The HTTPS listener's address, when there is one.
    pub https: Option<std::net::SocketAddr>,
    /// The PEM of the local CA that signs the HTTPS certificate, when there is one.
    pub tls_ca_pem: Option<String>,
}
