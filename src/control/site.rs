//! The same-site rules every control-plane and console request passes before its admin key is
//! looked at, so that no web page the developer visits can drive orgbox through their browser:
//!
//! - `Host` must be a name orgbox answers ([`AllowedHosts`]): a page on a rebound name
//!   (`rebind.evil.example` pointed at 127.0.0.1) gets a 421 and reads nothing.
//! - `Origin`, when sent, must be orgbox's own (the scheme and host the request was addressed
//!   to, the configured public URL, or a trusted proxy's forwarded host); `null` is refused.
//! - `Sec-Fetch-Site` may be `same-origin` or `none` (typed, a bookmark), never `same-site` or
//!   `cross-site`.
//! - A write (any method but GET and HEAD) carries JSON, or what its resource declares with
//!   [`Accepts`] (a fixture in TOML, a snapshot file). A browser's simple-request types
//!   (`text/plain`, forms, multipart), which a page can send without asking, are never
//!   accepted; a body without a type neither.
//!
//! Clients that are not browsers (curl, SDKs, test code) send no `Origin` or `Sec-Fetch-Site`
//! and are unaffected. The vendor dialects do not pass these rules: SDKs and `bw` reach them
//! by container names and any `Host`, and their own credentials guard them.

use actix_web::http::{header, Method, StatusCode};
use actix_web::HttpRequest;

use crate::auth::hosts::{AllowedHosts, Origin, PublicUrl};
use crate::control::ControlError;
use crate::request::state::AppState;
use crate::request::Addressed;

/// What a control-plane write may carry, declared per resource with `.app_data(Accepts::..)`;
/// JSON where a resource declares nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    /// `application/json` (or `application/*+json`).
    Json,
    /// JSON, or TOML (`application/toml`): a seeding fixture.
    JsonOrToml,
    /// JSON, or a SQLite file (`application/vnd.sqlite3`, `application/x-sqlite3`,
    /// `application/octet-stream`): a snapshot upload.
    JsonOrSnapshot,
}

const SNAPSHOT_TYPES: &[&str] = &[
    "application/vnd.sqlite3",
    "application/x-sqlite3",
    "application/octet-stream",
];

impl Accepts {
    fn allows(self, media_type: &str) -> bool {
        let json = media_type == "application/json"
            || (media_type.starts_with("application/") && media_type.ends_with("+json"));
        json || match self {
            Accepts::Json => false,
            Accepts::JsonOrToml => media_type == "application/toml" || media_type == "text/x-toml",
            Accepts::JsonOrSnapshot => SNAPSHOT_TYPES.contains(&media_type),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Accepts::Json => "application/json",
            Accepts::JsonOrToml => "application/json or application/toml",
            Accepts::JsonOrSnapshot => "application/vnd.sqlite3 (or application/octet-stream)",
        }
    }
}

/// Applies every rule to `req`.
pub(crate) fn check(req: &HttpRequest, state: &AppState) -> Result<(), ControlError> {
    let addressed = crate::request::addressed(req, &state.trusted_proxies);
    check_host(&addressed, &state.allowed_hosts)?;
    check_origin(
        header_text(req, header::ORIGIN.as_str()),
        &addressed,
        state.public_url.as_ref(),
    )?;
    check_fetch_site(header_text(req, "sec-fetch-site"))?;
    let accepts = req.app_data::<Accepts>().copied().unwrap_or(Accepts::Json);
    check_body_type(
        req.method(),
        header_text(req, header::CONTENT_TYPE.as_str()),
        has_body(req),
        accepts,
    )
}

/// A header's text; a value that is not text reads as empty, which no rule accepts.
fn header_text<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers()
        .get(name)
        .map(|v| v.to_str().unwrap_or_default())
}

fn has_body(req: &HttpRequest) -> bool {
    let length = header_text(req, header::CONTENT_LENGTH.as_str())
        .and_then(|l| l.trim().parse::<u64>().ok())
        .unwrap_or(0);
    length > 0 || req.headers().contains_key(header::TRANSFER_ENCODING)
}

fn check_host(addressed: &Addressed, allowed: &AllowedHosts) -> Result<(), ControlError> {
    let forwarded = addressed.forwarded.as_ref().map(|(_, host)| host);
    for host in addressed.host.iter().chain(forwarded) {
        if !allowed.allows(host) {
            return Err(ControlError::new(
                StatusCode::MISDIRECTED_REQUEST,
                "host_not_allowed",
                format!(
                    "the control plane does not answer the host {host:?} (a page on a name that \
                     points at this machine could otherwise use it): use localhost or an address \
                     orgbox listens on, or add the name to [sandbox] allowed_hosts in config.toml"
                ),
            ));
        }
    }
    Ok(())
}

fn check_origin(
    origin: Option<&str>,
    addressed: &Addressed,
    public_url: Option<&PublicUrl>,
) -> Result<(), ControlError> {
    let Some(sent) = origin else {
        return Ok(());
    };
    let mut own = addressed
        .host
        .iter()
        .filter_map(|host| Origin::of(addressed.scheme, host))
        .chain(
            addressed
                .forwarded
                .iter()
                .filter_map(|(scheme, host)| Origin::of(scheme, host)),
        )
        .chain(public_url.and_then(PublicUrl::origin));
    if let Some(sent_origin) = Origin::parse(sent) {
        if own.any(|o| o == sent_origin) {
            return Ok(());
        }
    }
    Err(ControlError::new(
        StatusCode::FORBIDDEN,
        "cross_origin_refused",
        format!(
            "a request from the web page at {sent:?} is refused: the control plane answers its own \
             console and clients that send no Origin (curl, SDKs, test code), never another site"
        ),
    ))
}

fn check_fetch_site(site: Option<&str>) -> Result<(), ControlError> {
    match site.map(str::trim) {
        None | Some("same-origin") | Some("none") => Ok(()),
        Some(other) => Err(ControlError::new(
            StatusCode::FORBIDDEN,
            "cross_site_refused",
            format!(
                "a request another site's page started (Sec-Fetch-Site: {other}) is refused: \
                 open the console at its own address, or call from curl, an SDK or test code"
            ),
        )),
    }
}

fn check_body_type(
    method: &Method,
    content_type: Option<&str>,
    has_body: bool,
    accepts: Accepts,
) -> Result<(), ControlError> {
    if method == Method::GET || method == Method::HEAD {
        return Ok(());
    }
    let media_type = content_type.map(|ct| {
        ct.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    match media_type {
        None if !has_body => Ok(()),
        Some(m) if accepts.allows(&m) => Ok(()),
        sent => Err(ControlError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "a control-plane write needs Content-Type: {} (sent: {}); text/plain, forms and \
                 multipart, which any web page can send, are never accepted",
                accepts.expected(),
                sent.as_deref().unwrap_or("none")
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(host: &str) -> Addressed {
        Addressed {
            scheme: "http",
            host: Some(host.into()),
            forwarded: None,
        }
    }

    fn loopback() -> AllowedHosts {
        AllowedHosts::new(&[], &["127.0.0.1:3080".parse().unwrap()], None).unwrap()
    }

    #[test]
    fn a_rebound_host_is_misdirected_and_the_message_names_the_setting() {
        let err = check_host(&at("rebind.evil.example:3080"), &loopback()).unwrap_err();
        assert_eq!(err.code(), "host_not_allowed");
        assert!(err.to_string().contains("[sandbox] allowed_hosts"), "{err}");
        assert!(check_host(&at("localhost:3080"), &loopback()).is_ok());
        let no_host = Addressed {
            host: None,
            ..at("x")
        };
        assert!(check_host(&no_host, &loopback()).is_ok());
    }

    #[test]
    fn a_trusted_proxy_forwarding_a_foreign_host_is_refused_too() {
        let through = Addressed {
            forwarded: Some(("https".into(), "rebind.evil.example".into())),
            ..at("127.0.0.1:3080")
        };
        assert!(check_host(&through, &loopback()).is_err());
    }

    #[test]
    fn only_the_own_origin_passes() {
        let here = at("127.0.0.1:3080");
        assert!(check_origin(None, &here, None).is_ok());
        assert!(check_origin(Some("http://127.0.0.1:3080"), &here, None).is_ok());
        for foreign in [
            "http://evil.example",
            "http://localhost:3080",
            "https://127.0.0.1:3080",
            "http://127.0.0.1:3081",
            "null",
            "",
        ] {
            let err = check_origin(Some(foreign), &here, None).unwrap_err();
            assert_eq!(err.code(), "cross_origin_refused", "{foreign}");
        }
        let public = PublicUrl::parse("https://orgbox.example.test").unwrap();
        assert!(check_origin(Some("https://orgbox.example.test"), &here, Some(&public)).is_ok());
        let proxied = Addressed {
            forwarded: Some(("https".into(), "box.example.test".into())),
            ..here
        };
        assert!(check_origin(Some("https://box.example.test"), &proxied, None).is_ok());
    }

    #[test]
    fn same_site_and_cross_site_fetches_are_refused() {
        for ok in [None, Some("same-origin"), Some("none")] {
            assert!(check_fetch_site(ok).is_ok(), "{ok:?}");
        }
        for bad in ["cross-site", "same-site", "", "whatever"] {
            let err = check_fetch_site(Some(bad)).unwrap_err();
            assert_eq!(err.code(), "cross_site_refused");
        }
    }

    #[test]
    fn writes_need_json_and_simple_request_types_never_pass() {
        let post = Method::POST;
        let json = Accepts::Json;
        assert!(check_body_type(&post, Some("application/json"), true, json).is_ok());
        assert!(
            check_body_type(&post, Some("Application/JSON; charset=utf-8"), true, json).is_ok()
        );
        assert!(check_body_type(&post, Some("application/merge-patch+json"), true, json).is_ok());
        assert!(check_body_type(&post, None, false, json).is_ok());
        assert!(check_body_type(&Method::GET, Some("text/plain"), true, json).is_ok());
        for accepts in [Accepts::Json, Accepts::JsonOrToml, Accepts::JsonOrSnapshot] {
            for simple in [
                "text/plain",
                "text/plain;charset=UTF-8",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
            ] {
                for body in [true, false] {
                    let err = check_body_type(&post, Some(simple), body, accepts).unwrap_err();
                    assert_eq!(err.code(), "unsupported_media_type", "{simple}");
                }
            }
            assert!(check_body_type(&Method::PUT, None, true, accepts).is_err());
        }
        assert!(check_body_type(&post, Some("application/octet-stream"), true, json).is_err());
    }

    #[test]
    fn a_resource_may_accept_toml_or_a_snapshot_file() {
        let put = Method::PUT;
        assert!(check_body_type(&put, Some("application/toml"), true, Accepts::JsonOrToml).is_ok());
        for file in SNAPSHOT_TYPES {
            assert!(check_body_type(&put, Some(file), true, Accepts::JsonOrSnapshot).is_ok());
            assert!(check_body_type(&put, Some(file), true, Accepts::JsonOrToml).is_err());
        }
    }
}
