//! The web console at `/console/`: one HTML page, its scripts and one stylesheet embedded in the
//! binary (no build step, no CDN), drawn from the control plane (`/sandbox/...`) and the
//! dialects' public APIs, plus the read-only `/sandbox/console/...` views no other route gives
//! and the Bitwarden token the page acts on members with (`bitwarden::act_as`).
//!
//! The page and its assets hold no data, so they load without the admin key (a browser cannot
//! send `Authorization: Bearer` on navigation) but pass the control plane's same-site rules
//! ([`ConsolePage`]); every piece of data comes from a `/sandbox/...` call that passes the
//! [`Admin`](crate::control::Admin) guard, and the page asks for the admin key when one is
//! needed. With the control plane switched off, the console is a 404 too.

pub mod bitwarden;
pub mod go_accounts;
pub mod journal;
pub mod tokens;
pub mod world;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::control::{Admin, ConsolePage, ControlError};
use crate::domain::error::Error;
use crate::request::state::AppState;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const ACTIONS_JS: &str = include_str!("assets/actions.js");
const BITWARDEN_JS: &str = include_str!("assets/bitwarden.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// The console's policy: only its own script and style, nothing inline, no frames. A name that
/// slipped into markup still could not run.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Registers `/`, `/console/...` and `/sandbox/console/...` (before the control plane's scope, so
/// they win over its catch-all).
pub fn configure(cfg: &mut web::ServiceConfig, enabled: bool) {
    if !enabled {
        return;
    }
    cfg.service(get_only("/", web::get().to(to_console)))
        .service(get_only("/console", web::get().to(to_console)))
        .service(
            web::scope("/console")
                .service(get_only("/", web::get().to(index)))
                .service(get_only("/app.js", web::get().to(script)))
                .service(get_only("/actions.js", web::get().to(actions_script)))
                .service(get_only("/bitwarden.js", web::get().to(bitwarden_script)))
                .service(get_only("/app.css", web::get().to(style))),
        )
        .service(
            web::scope("/sandbox/console")
                .service(web::resource("/world").route(web::get().to(world::show_world)))
                .service(web::resource("/tokens").route(web::get().to(tokens::list_tokens)))
                .service(web::resource("/journal").route(web::get().to(journal::list_journal)))
                .service(web::resource("/demo").route(web::get().to(demo_login)))
                .service(
                    web::resource("/bitwarden").route(web::get().to(bitwarden::show_bitwarden)),
                )
                .service(
                    web::resource("/bitwarden/token").route(web::post().to(bitwarden::act_as)),
                ),
        );
}

/// `GET /sandbox/console/demo`: `{password, otp}`, what the demo users log in with (the
/// banner prints the same), so "act as a user" works without looking it up.
async fn demo_login(admin: Admin) -> HttpResponse {
    let otp = admin.state.auth.otps.first().cloned().unwrap_or_default();
    HttpResponse::Ok().json(serde_json::json!({
        "password": admin.state.demo_password,
        "otp": otp,
    }))
}

/// A resource answering GET; any other method is the control plane's 405.
fn get_only(path: &str, route: actix_web::Route) -> actix_web::Resource {
    web::resource(path)
        .route(route)
        .default_service(web::to(not_allowed))
}

async fn not_allowed(_page: ConsolePage) -> Result<HttpResponse, ControlError> {
    Err(Error::MethodNotAllowed.into())
}

/// `GET /` and `GET /console`: 302 to `/console/` (within a named sandbox's prefix if any).
async fn to_console(_page: ConsolePage, req: HttpRequest) -> HttpResponse {
    let prefix = sandbox_prefix(&req);
    HttpResponse::Found()
        .insert_header((header::LOCATION, format!("{prefix}/console/")))
        .finish()
}

/// The `/s/{name}` the request came through, or empty.
fn sandbox_prefix(req: &HttpRequest) -> String {
    crate::sandbox::prefix_of(req.uri().path()).to_string()
}

async fn index(_page: ConsolePage, state: web::Data<AppState>) -> HttpResponse {
    asset(&state, "text/html; charset=utf-8", INDEX_HTML)
}

async fn script(_page: ConsolePage, state: web::Data<AppState>) -> HttpResponse {
    asset(&state, "text/javascript; charset=utf-8", APP_JS)
}

async fn actions_script(_page: ConsolePage, state: web::Data<AppState>) -> HttpResponse {
    asset(&state, "text/javascript; charset=utf-8", ACTIONS_JS)
}

async fn bitwarden_script(_page: ConsolePage, state: web::Data<AppState>) -> HttpResponse {
    asset(&state, "text/javascript; charset=utf-8", BITWARDEN_JS)
}

async fn style(_page: ConsolePage, state: web::Data<AppState>) -> HttpResponse {
    asset(&state, "text/css; charset=utf-8", APP_CSS)
}

fn asset(_state: &AppState, content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(body)
}
