//! `orgbox health`: asks a running orgbox whether it answers, as a container's HEALTHCHECK
//! does (no curl needed in the image). The server is `--url`, else the one the data
//! directory's lock file names, else the configured listen address (a wildcard address is
//! reached on loopback). `GET /sandbox/health` with the admin key when one is given; a server
//! whose control plane refuses for want of a key, or is switched off, still answers.

use crate::app::banner::dialable;
use crate::cli::http;
use crate::config::Config;
use crate::sandbox::lock::last_holder;

/// Where to ask: `--url`, the data directory's holder, or the configured listen address.
pub fn target(url: Option<&str>, config: &Config) -> String {
    if let Some(url) = url {
        return url.trim_end_matches('/').to_string();
    }
    if let Some(http) = last_holder(&config.server.data_dir).and_then(|h| h.http) {
        return http;
    }
    format!("http://{}", dialable(config.server.listen))
}

/// Asks; `Ok` with what to print when the server answers, `Err` when it does not.
pub fn run(url: Option<&str>, admin_key: Option<&str>, config: &Config) -> Result<String, String> {
    let base = target(url, config);
    let key = admin_key
        .filter(|k| !k.is_empty())
        .or(Some(config.sandbox.admin_key.as_str()).filter(|k| !k.is_empty()));
    let reply = http::send(
        &base,
        "GET",
        "/sandbox/health",
        "application/json",
        b"",
        key,
    )
    .map_err(|e| format!("{base} does not answer: {e}"))?;
    let body = String::from_utf8_lossy(&reply.body).into_owned();
    let code = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_string));
    match (reply.status, code.as_deref()) {
        (200, _) => Ok(body),
        (401, Some("admin_key_required" | "invalid_admin_key")) => Ok(format!(
            "{base} answers (its control plane needs the admin key: --admin-key or ORGBOX_ADMIN_KEY)"
        )),
        (404, Some("control_plane_disabled")) => Ok(format!(
            "{base} answers (its control plane is switched off)"
        )),
        (status, _) => Err(format!("{base} answered {status}: {body}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_listen_address_is_asked_on_loopback() {
        let mut config = Config::default();
        config.server.data_dir = "/nonexistent/orgbox-data".into();
        config.server.listen = "0.0.0.0:3080".parse().unwrap();
        assert_eq!(target(None, &config), "http://127.0.0.1:3080");
        config.server.listen = "[::]:3080".parse().unwrap();
        assert_eq!(target(None, &config), "http://[::1]:3080");
        assert_eq!(target(Some("http://h:1/"), &config), "http://h:1");
    }

    #[test]
    fn nobody_listening_is_unhealthy_and_says_where_it_asked() {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", free.local_addr().unwrap());
        drop(free);
        let err = run(Some(&url), None, &Config::default()).unwrap_err();
        assert!(err.contains(&url), "{err}");
    }
}
