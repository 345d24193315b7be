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
