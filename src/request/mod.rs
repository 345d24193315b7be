//! What every dialect reads from a request the same way.
pub mod admin;
pub mod context;
pub mod json;
pub mod note;
pub mod principal;
pub mod state;
pub mod status;

use std::net::{IpAddr, Ipv4Addr};

use actix_web::HttpRequest;

use crate::auth::client_ip::{ForwardingHeaders, TrustedProxies};

/// The client's address: the TCP peer, or what a trusted proxy's forwarding headers say
/// (every `X-Forwarded-For` line and `Forwarded`); `None` when those cannot be believed.
pub fn client_ip(req: &HttpRequest, proxies: &TrustedProxies) -> Option<IpAddr> {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    let lines = |name: &str| -> Vec<Option<&str>> {
        req.headers()
            .get_all(name)
            .map(|v| v.to_str().ok())
            .collect()
    };
    let forwarding = ForwardingHeaders {
        x_forwarded_for: lines("x-forwarded-for"),
        forwarded: lines("forwarded"),
    };
    proxies.client_ip(peer, &forwarding)
}

/// Where a request says it was sent: the scheme of the listener it came in on, its `Host`
/// (or HTTP/2 `:authority`), and what a trusted proxy says the client used.
#[derive(Debug, Clone)]
pub struct Addressed {
    /// `https` on the TLS listener, else `http`.
    pub scheme: &'static str,
    /// The `Host` header, or the request target's authority.
    pub host: Option<String>,
    /// `(scheme, host)` from a trusted proxy's `X-Forwarded-Proto` and `X-Forwarded-Host` (the
    /// last entry of each: the one the proxy that connected wrote); never from anyone else.
    pub forwarded: Option<(String, String)>,
}

/// Reads where `req` was addressed; forwarding headers count only from `proxies`.
pub fn addressed(req: &HttpRequest, proxies: &TrustedProxies) -> Addressed {
    let scheme = if req.app_config().secure() {
        "https"
    } else {
        "http"
    };
    let host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    let trusted = req.peer_addr().is_some_and(|p| proxies.trusts(p.ip()));
    let last = |name: &str| {
        let line = req.headers().get_all(name).last()?.to_str().ok()?;
        Some(line.rsplit(',').next()?.trim().to_string()).filter(|v| !v.is_empty())
    };
    let forwarded = trusted
        .then(|| last("x-forwarded-host"))
        .flatten()
        .filter(|h| crate::auth::hosts::split_host_port(h).is_some())
        .map(|host| {
            let proto = last("x-forwarded-proto")
                .map(|p| p.to_ascii_lowercase())
                .filter(|p| p == "http" || p == "https")
                .unwrap_or_else(|| scheme.to_string());
            (proto, host)
        });
    Addressed {
        scheme,
        host,
        forwarded,
    }
}

/// `scheme://host[/s/{name}]`, the base of links orgbox writes into mail: the configured
/// `[server] public_url`; else what a trusted proxy forwarded; else the request's `Host` when
/// orgbox answers that name (loopback, a bound address, `[sandbox] allowed_hosts`); else the
/// address of the listener the request came in on. A name a client made up is never used.
pub fn public_base(req: &HttpRequest) -> String {
    // Links into the mail must reach the same sandbox: keep a `/s/{name}` prefix.
    let prefix = crate::sandbox::prefix_of(req.path());
    let state = req.app_data::<actix_web::web::Data<crate::request::state::AppState>>();
    if let Some(url) = state.and_then(|s| s.public_url.as_ref()) {
        return format!("{}{prefix}", url.base());
    }
    let default_proxies = TrustedProxies::default();
    let proxies = state.map_or(&default_proxies, |s| &s.trusted_proxies);
    let addressed = addressed(req, proxies);
    if let Some((scheme, host)) = &addressed.forwarded {
        return format!("{scheme}://{host}{prefix}");
    }
    let default_hosts = crate::auth::hosts::AllowedHosts::default();
    let allowed = state.map_or(&default_hosts, |s| &s.allowed_hosts);
    match addressed.host.filter(|h| allowed.allows(h)) {
        Some(host) => format!("{}://{host}{prefix}", addressed.scheme),
        None => format!(
            "{}://{}{prefix}",
            addressed.scheme,
            req.app_config().local_addr()
        ),
    }
}
