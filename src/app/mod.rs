//! Building and running the server: bind every listener first (so `port 0` works, the real
//! addresses are known, and a server that cannot listen writes nothing), take the data
//! directory's lock, open and seed it, then register the routes.
pub mod answers;
pub mod banner;
pub mod layer;
pub mod listeners;
pub mod open;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{from_fn, Condition, Logger};
use actix_web::{web, App, HttpServer};

use crate::app::listeners::Listeners;
use crate::app::open::Opened;
use crate::auth::client_ip::TrustedProxies;
use crate::auth::hashing::PasswordWorkers;
use crate::auth::hosts::{AllowedHosts, PublicUrl};
use crate::auth::password;
use crate::auth::seal::ServerKey;
use crate::bitgo;
use crate::config::Config;
use crate::control;
use crate::request::admin::ControlPlane;
use crate::request::state::{AppState, Listening};
use crate::sandbox::deliveries::{Deliveries, Settings};
use crate::sandbox::layout::SERVER_KEY_FILE;
use crate::sandbox::lock::{DataDirLock, Holder};
use crate::sandbox::{Memory, Sandbox, Sandboxes};
use crate::seed::DemoWorld;

/// The log target of the per-request access log (at debug level).
pub const ACCESS_LOG_TARGET: &str = "orgbox::access";

/// Blocking-pool threads per HTTP worker (store calls and password hashing run there).
const BLOCKING_THREADS_PER_WORKER: usize = 2;

/// A built, bound, not yet running server. It holds its data directory's lock until it
/// stops (or the process ends).
pub struct Application {
    address: SocketAddr,
    server: Server,
    demo: DemoWorld,
    bitwarden: crate::seed::bitwarden::BitwardenDemo,
    tls_address: Option<SocketAddr>,
    config: Config,
    state: web::Data<AppState>,
    lock: DataDirLock,
}

fn invalid(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string())
}

/// What the configuration says that needs no file and no socket, checked first.
struct Checked {
    trusted_proxies: TrustedProxies,
    public_url: Option<PublicUrl>,
}

impl Checked {
    fn from(config: &Config) -> std::io::Result<Checked> {
        let trusted_proxies =
            TrustedProxies::parse(&config.server.trusted_proxies).map_err(invalid)?;
        let public_url = config
            .server
            .public_url
            .as_deref()
            .map(PublicUrl::parse)
            .transpose()
            .map_err(invalid)?;
        Ok(Checked {
            trusted_proxies,
            public_url,
        })
    }
}

impl Application {
    /// Binds the listeners, takes the data directory, opens and seeds it, and builds the
    /// server (not yet running).
    pub async fn build(config: Config) -> std::io::Result<Application> {
        let checked = Checked::from(&config)?;
        let listeners = Listeners::bind(&config.server)?;
        let data_dir = &config.server.data_dir;
        let holder = Holder::this_process(
            "server",
            Some(format!(
                "http://{}",
                banner::dialable(listeners.http_address)
            )),
            listeners
                .https_address()
                .map(|a| format!("https://{}", banner::dialable(a))),
        );
        let lock = DataDirLock::acquire(data_dir, &holder).map_err(|e| {
            let advice = match e.holder() {
                Some(_) => "; stop it first, or give this one another --data-dir",
                None => "",
            };
            std::io::Error::other(format!("{e}{advice}"))
        })?;
        let opened = open::open(&config)?;
        let tls = match listeners.https_address() {
            Some(_) => Some(tls::server_config(
                data_dir,
                config.server.allow_shared_key_file,
                &config.server.tls_names,
            )?),
            None => None,
        };
        let (demo, bitwarden) = (opened.demo.clone(), opened.bitwarden.clone());
        let state = web::Data::new(app_state(&config, opened, checked, &listeners)?);
        start_deliveries(&state, &config)?;
        let (address, tls_address) = (listeners.http_address, listeners.https_address());
        let server = serve(state.clone(), listeners, tls)?;
        Ok(Application {
            address,
            server,
            demo,
            bitwarden,
            tls_address,
            config,
            state,
            lock,
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

    /// The Bitwarden demo world that was seeded (or found).
    pub fn bitwarden(&self) -> &crate::seed::bitwarden::BitwardenDemo {
        &self.bitwarden
    }

    /// The HTTPS listener's address, if one is configured.
    pub fn tls_address(&self) -> Option<SocketAddr> {
        self.tls_address
    }

    /// A handle that stops the server (and so frees its data directory).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the process is stopped (or [`Application::handle`] stops it); the data
    /// directory's lock is let go when it returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let lock = self.lock;
        let result = self.server.await;
        log::debug!("{} is free again", lock.dir().display());
        drop(lock);
        result
    }
}

/// The shared state every request reaches.
fn app_state(
    config: &Config,
    opened: Opened,
    checked: Checked,
    listeners: &Listeners,
) -> std::io::Result<AppState> {
    let described = listeners.described();
    let addresses: Vec<SocketAddr> = described.iter().map(|(a, _)| *a).collect();
    // The names the HTTPS certificate claims are this server's names too.
    let names: Vec<String> = (config.sandbox.allowed_hosts.iter())
        .chain(&config.server.tls_names)
        .cloned()
        .collect();
    let allowed_hosts =
        AllowedHosts::new(&names, &addresses, checked.public_url.as_ref()).map_err(invalid)?;
    let control = ControlPlane::from_config(
        &config.sandbox,
        &described,
        !checked.trusted_proxies.is_empty(),
    );
    let memory = Memory::new(
        opened.clock,
        config.auth.throttle_limits(),
        config.sandbox.journal_capacity,
    );
    let tls_ca_pem = listeners
        .https_address()
        .and_then(|_| std::fs::read_to_string(tls::ca_path(&config.server.data_dir)).ok());
    Ok(AppState {
        sandboxes: Sandboxes::new(
            Sandbox::with_memory("default", opened.store, &memory),
            opened.named,
            opened.template,
            opened.snapshots,
        ),
        server_key: opened.server_key,
        auth: config.auth.clone(),
        trusted_proxies: checked.trusted_proxies,
        allowed_hosts,
        public_url: checked.public_url,
        max_body_bytes: config.server.max_body_bytes,
        password_workers: PasswordWorkers::start(
            config.auth.password_threads,
            config.auth.password_queue,
        )?,
        decoy_password: password::decoy_record(config.auth.pbkdf2_iterations),
        control,
        kyc: config.kyc.clone(),
        bitwarden: config.bitwarden.clone(),
        money: config.money.clone(),
        demo_password: config.demo.password.clone(),
        deliveries: Deliveries::new(Settings::from_config(&config.webhooks).map_err(invalid)?),
        listening: Listening {
            http: listeners.http_address,
            https: listeners.https_address(),
            tls_ca_pem,
        },
    })
}

/// Starts the webhook delivery pool on this thread's runtime, with its own copy of the server
/// key (to open webhook secrets) and what the default sandbox still owes.
fn start_deliveries(state: &AppState, config: &Config) -> std::io::Result<()> {
    let key = ServerKey::load_or_create(
        &config.server.data_dir.join(SERVER_KEY_FILE),
        config.server.allow_shared_key_file,
    )?;
    state
        .deliveries
        .start(key, &[Arc::clone(state.sandboxes.default_sandbox())]);
    Ok(())
}

/// The HTTP server on the bound listeners.
fn serve(
    state: web::Data<AppState>,
    listeners: Listeners,
    tls: Option<rustls::ServerConfig>,
) -> std::io::Result<Server> {
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
            .configure(|cfg| app_config(cfg, state.clone()))
    })
    // SQLite work runs on the blocking pool; a few threads per worker (the store's pool
    // has 8 connections) keep them warm instead of spawning hundreds under load.
    .worker_max_blocking_threads(BLOCKING_THREADS_PER_WORKER)
    .listen(listeners.http)?;
    if let (Some((listener, _)), Some(tls)) = (listeners.https, tls) {
        http = http.listen_rustls_0_23(listener, tls)?;
    }
    Ok(http.run())
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
async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    if !bitgo::documents(&req) && crate::bitwarden::owns_path(bitgo::routed_path(&req)) {
        crate::bitwarden::error::BwError::NotFound.error_response()
    } else {
        match bitgo::not_found(req).await {
            Ok(r) => r,
            Err(e) => e.error_response(),
        }
    }
}
