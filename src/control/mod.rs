//! The control plane, `/sandbox/...`: what no vendor offers and every tester wants (health,
//! the outbox of captured mail, invitation accept pages, later reset, snapshots, the clock).
//! A dialect like `bitgo/`, with its own plain error body `{error, code}`. Every route takes
//! the [`Admin`] extractor, which applies the same-site rules ([`site`]) and the admin key
//! when one applies.

pub mod bitwarden;
pub mod body;
pub mod clock;
pub mod console;
pub mod enterprises;
pub mod faults;
pub mod guard;
pub mod invitations;
pub mod journal;
pub mod kyc;
pub mod openapi;
pub mod organizations;
pub mod outbox;
pub mod sandboxes;
pub mod seeding;
pub mod site;
pub mod snapshots;
pub mod wallets;
pub mod webhooks;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

use crate::domain::error::Error;
use crate::request::status::status_of;

pub use guard::{Admin, ConsolePage};
pub use site::Accepts;

/// A control-plane error: `{error, code}` with a stable snake_case `code`.
#[derive(Debug)]
pub struct ControlError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ControlError {
    /// An error with an explicit status and code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ControlError {
            status,
            code,
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl std::fmt::Display for ControlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for ControlError {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::Invalid(_) | Error::MalformedJson(_) => "invalid_request",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::PayloadTooLarge(_) => "payload_too_large",
            Error::Unauthenticated(_) | Error::NeedsOtp(_) | Error::NeedsUnlock(_) => {
                "unauthorized"
            }
            Error::MissingScope(_) | Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::Conflict(_) => "conflict",
            Error::OrganizationAdminCannotTransact(_) => "organization_admin_cannot_transact",
            Error::InsufficientFunds(_) => "insufficient_funds",
            Error::RateLimited { .. } => "too_many_requests",
            Error::Internal(detail) => {
                log::error!("internal error: {detail}");
                "internal_error"
            }
        };
        ControlError::new(status_of(&e), code, e.to_string())
    }
}

impl ControlError {
    /// The response, with `Retry-After` when given (a fault's answer).
    pub fn answer(&self, retry_after: Option<u64>) -> HttpResponse {
        let mut r = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            r.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let Some(secs) = retry_after {
            r.insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()));
        }
        r.json(json!({"error": self.message, "code": self.code}))
    }
}

impl ResponseError for ControlError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        self.answer(None)
    }
}

/// The request line for the access log, with secrets in paths (invitation tokens) masked.
pub fn redacted_request_line(req: &actix_web::dev::ServiceRequest) -> String {
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let target = match target.find(INVITATION_PATH) {
        Some(at) => format!("{}{INVITATION_PATH}<redacted>", &target[..at]),
        None => target.to_string(),
    };
    format!("{} {target} {:?}", req.method(), req.version())
}

/// Where invitation accept links live; what follows is a secret.
const INVITATION_PATH: &str = "/sandbox/invitations/";

/// Registers `/sandbox/...`; when switched off, every such path is a 404.
pub fn configure(cfg: &mut web::ServiceConfig, enabled: bool) {
    if !enabled {
        cfg.service(web::scope("/sandbox").default_service(web::to(switched_off)));
        return;
    }
    cfg.service(
        web::scope("/sandbox")
            .service(web::resource("/health").route(web::get().to(health)))
            .service(web::resource("/outbox").route(web::get().to(outbox::list_outbox)))
            .service(
                web::resource("/invitations/{token}")
                    .route(web::get().to(invitations::show_invitation))
                    .route(web::post().to(invitations::accept_invitation)),
            )
            .service(
                web::resource("/organizations/{id}/admins")
                    .route(web::post().to(organizations::make_organization_admin)),
            )
            .service(
                web::resource("/kyc/{id}/complete").route(web::post().to(kyc::complete_identity)),
            )
            .service(web::resource("/wallets/{id}/faucet").route(web::post().to(wallets::faucet)))
            .service(
                web::resource("/wallets/{id}/ledger").route(web::get().to(wallets::show_ledger)),
            )
            .service(web::resource("/prices/{asset}").route(web::put().to(wallets::set_price)))
            .configure(configure_sandbox_control)
            .configure(webhooks::configure)
            .configure(enterprises::configure)
            .configure(bitwarden::configure)
            .default_service(web::to(not_found)),
    );
}

/// Named sandboxes, reset, clock, journal, faults and snapshots.
fn configure_sandbox_control(cfg: &mut web::ServiceConfig) {
    let big = || web::PayloadConfig::new(snapshots::MAX_SNAPSHOT_BYTES);
    // What each write may carry (JSON unless a resource says more): see `site`.
    cfg.service(
        web::resource("/sandboxes")
            .route(web::get().to(sandboxes::list_sandboxes))
            .route(web::post().to(sandboxes::create_sandbox)),
    )
    .service(
        web::resource("/sandboxes/{name}")
            .route(web::get().to(sandboxes::get_sandbox))
            .route(web::delete().to(sandboxes::delete_sandbox)),
    )
    .service(web::resource("/sandboxes/{name}/reset").route(web::post().to(sandboxes::reset_named)))
    .service(web::resource("/reset").route(web::post().to(sandboxes::reset)))
    .service(
        web::resource("/clock")
            .route(web::get().to(clock::get_clock))
            .route(web::post().to(clock::move_clock)),
    )
    .service(
        web::resource("/journal")
            .route(web::get().to(journal::list_journal))
            .route(web::delete().to(journal::clear_journal)),
    )
    .service(web::resource("/journal/count").route(web::get().to(journal::count_journal)))
    .service(
        web::resource("/faults")
            .route(web::get().to(faults::list_faults))
            .route(web::post().to(faults::add_fault))
            .route(web::delete().to(faults::clear_faults)),
    )
    .service(web::resource("/faults/{id}").route(web::delete().to(faults::delete_fault)))
    .service(
        web::resource("/snapshot")
            .app_data(big())
            .app_data(Accepts::JsonOrSnapshot)
            .route(web::get().to(snapshots::download_current))
            .route(web::put().to(snapshots::upload_current)),
    )
    .service(web::resource("/snapshots").route(web::get().to(snapshots::list_saved)))
    .service(
        web::resource("/snapshots/{name}")
            .app_data(big())
            .app_data(Accepts::JsonOrSnapshot)
            .route(web::post().to(snapshots::save_named))
            .route(web::get().to(snapshots::download_named))
            .route(web::put().to(snapshots::upload_named))
            .route(web::delete().to(snapshots::delete_named)),
    )
    .service(web::resource("/snapshots/{name}/load").route(web::post().to(snapshots::load_named)))
    .service(web::resource("/digest").route(web::get().to(snapshots::digest)))
    .service(
        web::resource("/seed")
            .app_data(Accepts::JsonOrToml)
            .route(web::post().to(seeding::apply_fixture)),
    )
    .service(web::resource("/openapi.json").route(web::get().to(openapi::openapi)));
}

/// `GET /sandbox/health`: `{status, version, sandbox, https, tlsCaPem}`: `https` is the
/// HTTPS listener's base URL on the host this request came to (what `bw config server`
/// takes), `tlsCaPem` the CA that signs its certificate (for `NODE_EXTRA_CA_CERTS`); both
/// null when HTTPS is off.
async fn health(
    admin: Admin,
    req: HttpRequest,
    state: web::Data<crate::request::state::AppState>,
) -> HttpResponse {
    let listening = &state.listening;
    let https = listening.https.map(|tls| {
        let info = req.connection_info();
        let host = host_without_port(info.host());
        let host = if host.is_empty() {
            tls.ip().to_string()
        } else {
            host.to_string()
        };
        format!("https://{host}:{}", tls.port())
    });
    HttpResponse::Ok().json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "sandbox": admin.sandbox.name,
        "https": https,
        "tlsCaPem": listening.tls_ca_pem,
    }))
}

/// `example.test:3080` -> `example.test`, `[::1]:3080` -> `[::1]`.
fn host_without_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(at) if !host[at..].contains(']') => &host[..at],
        _ => host,
    }
}

async fn not_found(_admin: Admin, req: HttpRequest) -> Result<HttpResponse, ControlError> {
    Err(ControlError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no control-plane route for {} {}", req.method(), req.path()),
    ))
}

async fn switched_off() -> Result<HttpResponse, ControlError> {
    Err(ControlError::new(
        StatusCode::NOT_FOUND,
        "control_plane_disabled",
        "the control plane is switched off ([sandbox] enabled = false in config.toml)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn hosts_lose_their_port() {
        assert_eq!(host_without_port("example.test:3080"), "example.test");
        assert_eq!(host_without_port("[::1]:3080"), "[::1]");
        assert_eq!(host_without_port("[::1]"), "[::1]");
        assert_eq!(host_without_port("orgbox"), "orgbox");
    }

    #[test]
    fn invitation_tokens_never_reach_the_access_log() {
        let req = TestRequest::with_uri("/sandbox/invitations/deadbeef?x=1").to_srv_request();
        let line = redacted_request_line(&req);
        assert_eq!(line, "GET /sandbox/invitations/<redacted> HTTP/1.1");
        let req = TestRequest::with_uri("/api/v2/user/me?a=1").to_srv_request();
        assert_eq!(
            redacted_request_line(&req),
            "GET /api/v2/user/me?a=1 HTTP/1.1"
        );
    }
}
