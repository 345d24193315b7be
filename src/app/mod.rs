//! Building and running the server: open the store, seed the demo world, bind the listener
//! (so `port 0` works and the real address is known), and register the routes.
pub mod answers;
mod capture;
pub mod layer;
pub mod tls;

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Condition, Logger};
use actix_web::{web, App, HttpServer};

use crate::auth::client_ip::TrustedProxies;
use crate::auth::hashing::PasswordWorkers;
use crate::auth::hosts::{AllowedHosts, PublicUrl};
use crate::auth::password;
use crate::auth::seal::ServerKey;
use crate::bitgo;
use crate::config::Config;
use crate::control;
use crate::request::admin::ControlPlane;
use crate::request::state::AppState;
use crate::sandbox::journal::JournalLimits;
use crate::sandbox::layout::{
    DATABASE_FILE, SANDBOXES_DIR, SERVER_KEY_FILE, SNAPSHOTS_DIR, TEMPLATE_FILE,
};
use crate::sandbox::{Clock, Memory, NamedConfig, Registry, Sandbox, Sandboxes};
use crate::seed::{seed_demo, DemoWorld};
use crate::store::Store;

/// The log target of the per-request access log (at debug level).
pub const ACCESS_LOG_TARGET: &str = "orgbox::access";

/// Blocking-pool threads per HTTP worker (store calls and password hashing run there).
const BLOCKING_THREADS_PER_WORKER: usize = 2;

/// A built, bound, not yet running server.
pub struct Application {
    address: SocketAddr,
    server: Server,
    demo: DemoWorld,
    bitwarden: crate::seed::bitwarden::BitwardenDemo,
    tls_address: Option<SocketAddr>,
    config: Config,
    state: web::Data<AppState>,
}

fn invalid(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string())
}

impl Application {
    /// Opens the data directory, seeds the demo world and binds the listener.
    pub async fn build(config: Config) -> std::io::Result<Application> {
        let data_dir = &config.server.data_dir;
        crate::files::create_private_dir(data_dir)?;
        let server_key = ServerKey::load_or_create(
            &data_dir.join(SERVER_KEY_FILE),
            config.server.allow_shared_key_file,
        )?;
        let database = data_dir.join(DATABASE_FILE);
        let fresh = !database.exists();
        let store = Store::open(&database).map_err(invalid)?;
        let clock = Clock::system();
        let demo = seed_demo(
            &store,
            clock.now_ms(),
            &config.demo,
            config.auth.pbkdf2_iterations,
        )
        .map_err(invalid)?;
        let bitwarden =
            crate::seed::bitwarden::seed_bitwarden(&store, clock.now_ms(), &config.bitwarden)
                .map_err(invalid)?;
        let template = data_dir.join(TEMPLATE_FILE);
        crate::seed::template::ensure(&template, fresh.then_some(&store), &config)
            .map_err(invalid)?;
        if let Some(file) = &config.sandbox.seed_file {
            crate::seed::template::apply_seed_file(
                file,
                &store,
                &template,
                &server_key,
                config.auth.pbkdf2_iterations,
            )
            .map_err(invalid)?;
        }
        let named = Registry::open(NamedConfig {
            dir: data_dir.join(SANDBOXES_DIR),
            max_count: config.sandbox.max_named,
            max_open: config.sandbox.max_open.max(1),
            idle_ms: i64::try_from(config.sandbox.idle_seconds.saturating_mul(1000))
                .unwrap_or(i64::MAX),
            limits: config.auth.throttle_limits(),
            journal: JournalLimits::of(&config.sandbox),
        })?;
        let snapshots = data_dir.join(SNAPSHOTS_DIR);
        crate::files::create_private_dir(&snapshots)?;
        let memory = Memory::new(
            clock,
            config.auth.throttle_limits(),
            JournalLimits::of(&config.sandbox),
        );
        let trusted_proxies =
            TrustedProxies::parse(&config.server.trusted_proxies).map_err(invalid)?;
        let public_url = config
            .server
            .public_url
            .as_deref()
            .map(PublicUrl::parse)
            .transpose()
            .map_err(invalid)?;
        let listeners: Vec<(SocketAddr, &str)> = std::iter::once((config.server.listen, "HTTP"))
            .chain(config.server.tls_listen.map(|a| (a, "HTTPS")))
            .collect();
        let addresses: Vec<SocketAddr> = listeners.iter().map(|(a, _)| *a).collect();
        let allowed_hosts = AllowedHosts::new(
            &config.sandbox.allowed_hosts,
            &addresses,
            public_url.as_ref(),
        )
        .map_err(invalid)?;
        let control =
            ControlPlane::from_config(&config.sandbox, &listeners, !trusted_proxies.is_empty());

        let password_workers =
            PasswordWorkers::start(config.auth.password_threads, config.auth.password_queue)?;
        let state = web::Data::new(AppState {
            sandboxes: Sandboxes::new(
                Sandbox::with_memory("default", store, &memory),
                named,
                template,
                snapshots,
            ),
            server_key,
            auth: config.auth.clone(),
            trusted_proxies,
            allowed_hosts,
            public_url,
            max_body_bytes: config.server.max_body_bytes,
            password_workers,
            decoy_password: password::decoy_record(config.auth.pbkdf2_iterations),
            control,
            kyc: config.kyc.clone(),
            bitwarden: config.bitwarden.clone(),
            money: config.money.clone(),
            demo_password: config.demo.password.clone(),
        });
        let listener = TcpListener::bind(config.server.listen)?;
        let address = listener.local_addr()?;
        let shared = state.clone();
        // One line per request only when asked for (RUST_LOG=orgbox::access=debug): the
        // journal (GET /sandbox/journal) records every request without a write to stderr.
        let access_log = log::log_enabled!(target: ACCESS_LOG_TARGET, log::Level::Debug);
        let mut http = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(crate::app::layer::sandbox_layer))
                .wrap(Condition::new(
                    access_log,
                    Logger::new("%a \"%{request}xi\" %s %b %Dms")
                        .log_target(ACCESS_LOG_TARGET)
                        .log_level(log::Level::Debug)
                        .custom_request_replace("request", control::redacted_request_line),
                ))
                .configure(|cfg| app_config(cfg, shared.clone()))
        })
        // SQLite work runs on the blocking pool; a few threads per worker (the store's pool
        // has 8 connections) keep them warm instead of spawning hundreds under load.
        .worker_max_blocking_threads(BLOCKING_THREADS_PER_WORKER)
        .listen(listener)?;
        let mut tls_address = None;
        if let Some(tls_listen) = config.server.tls_listen {
            let tls =
                crate::app::tls::server_config(data_dir, config.server.allow_shared_key_file)?;
            let tls_listener = TcpListener::bind(tls_listen)?;
            tls_address = Some(tls_listener.local_addr()?);
            http = http.listen_rustls_0_23(tls_listener, tls)?;
        }
        let server = http.run();
        Ok(Application {
            address,
            server,
            demo,
            bitwarden,
            tls_address,
            config,
            state,
        })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The shared state (sandboxes and their clocks), for tests that move time.
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// The demo world that was seeded (or found).
    pub fn demo(&self) -> &DemoWorld {
        &self.demo
    }

    /// Prints where the server listens and how to log in; the last line is
    /// `listening on http://HOST:PORT`.
    pub fn print_banner(&self) {
        let base = format!("http://{}", self.address);
        let otp = self.config.auth.otps.join(" or ");
        println!("orgbox {} — BitGo sandbox", env!("CARGO_PKG_VERSION"));
        println!("  base URL       {base}   (SDK: new BitGoAPI({{ env: 'custom', customRootURI: '{base}' }}))");
        println!("  data directory {}", self.config.server.data_dir.display());
        println!(
            "  control plane  {base}/sandbox/ {}",
            self.state.control.describe()
        );
        println!(
            "  organization   {} ({})",
            self.demo.name, self.demo.organization_id
        );
        println!(
            "  enterprise     {} ({})",
            self.demo.name, self.demo.enterprise_id
        );
        println!(
            "  demo users (password {:?}, OTP {otp}):",
            self.config.demo.password
        );
        for u in &self.demo.users {
            println!("    {:<36} {} ({})", u.email, u.roles, u.id);
        }
        for c in &self.demo.children {
            println!(
                "  child enterprise {} ({}), KYC approved (identity {})",
                c.name, c.enterprise_id, c.identity_id
            );
            println!(
                "    {:<36} end user: organization customer, child enterprise admin ({})",
                c.email, c.user_id
            );
            println!(
                "    Go Account {} (funded: 1,000,000 USD, 10 BTC; the service user trades and withdraws, the organization admin is refused)",
                c.go_account_id
            );
            println!(
                "      its sandbox user key (signs tx/send payloads): {}",
                c.go_account_xprv
            );
        }
        if let Some(first) = self.demo.users.first() {
            println!("  log in:");
            println!(
                "    curl -s -X POST {base}/api/v2/user/login -H 'Content-Type: application/json' \\\n      -d '{{\"email\":\"{}\",\"password\":\"{}\",\"otp\":\"{}\"}}'",
                first.email,
                self.config.demo.password,
                self.config.auth.otps.first().map_or("000000", String::as_str)
            );
        }
        self.print_bitwarden_banner();
        if self.state.control.enabled {
            println!("console          {base}/console/");
        }
        println!("listening on {base}");
    }

    /// The Bitwarden demo world that was seeded (or found).
    pub fn bitwarden(&self) -> &crate::seed::bitwarden::BitwardenDemo {
        &self.bitwarden
    }

    /// The HTTPS listener's address, if one is configured.
    pub fn tls_address(&self) -> Option<SocketAddr> {
        self.tls_address
    }

    fn print_bitwarden_banner(&self) {
        let bw = &self.bitwarden;
        let deployment = match self.config.bitwarden.deployment {
            crate::config::bitwarden::Deployment::Cloud => "cloud",
            crate::config::bitwarden::Deployment::SelfHosted => "self-hosted",
        };
        println!("Bitwarden sandbox ({deployment})");
        if let Some(id) = &bw.organization_id {
            println!("  organization   {} ({id})", bw.organization);
        }
        println!("  installation   {}", bw.installation_id);
        for (u, cfg) in bw.users.iter().zip(&self.config.bitwarden.users) {
            println!(
                "    {:<28} {:<7} master password {:?}  API key user.{} / {}",
                u.email,
                u.role.as_deref().unwrap_or("-"),
                cfg.master_password,
                u.id,
                u.api_key
            );
        }
        if let (Some(tls), Some(first)) = (self.tls_address, self.config.bitwarden.users.first()) {
            let ca = crate::app::tls::ca_path(&self.config.server.data_dir);
            println!("  bw CLI (HTTPS only; trust the sandbox CA):");
            println!(
                "    export NODE_EXTRA_CA_CERTS={} && bw config server https://{tls} && bw login {} '{}'",
                ca.display(),
                first.email,
                first.master_password
            );
        }
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Registers the shared state, the extractor error handlers and every dialect's routes.
pub fn app_config(cfg: &mut web::ServiceConfig, state: web::Data<AppState>) {
    let limit = state.max_body_bytes;
    let control_enabled = state.control.enabled;
    cfg.app_data(state)
        .app_data(web::PayloadConfig::new(limit))
        .app_data(web::QueryConfig::default().error_handler(bitgo::query_error))
        .app_data(web::PathConfig::default().error_handler(bitgo::path_error))
        .configure(|c| crate::control::console::configure(c, control_enabled))
        .configure(|c| control::configure(c, control_enabled))
        .configure(bitgo::configure)
        .configure(crate::bitwarden::configure)
        .default_service(web::to(not_found));
}

/// An unmatched path gets the 404 body of the dialect whose paths it looks like; a route
/// BitGo documents (and orgbox does not serve yet) gets BitGo's 501 naming it.
async fn not_found(req: actix_web::HttpRequest, body: web::Bytes) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    if !bitgo::documents(&req) && crate::bitwarden::owns_path(bitgo::routed_path(&req)) {
        crate::bitwarden::error::BwError::NotFound.error_response()
    } else {
        match bitgo::not_found(req, body).await {
            Ok(r) => r,
            Err(e) => e.error_response(),
        }
    }
}
