//! What every dialect reads from a request the same way.

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
