//! How the control plane is guarded, decided once at start. Open with no key only while every
//! listener (plain and TLS) is on loopback and no proxy is trusted (as local emulators are);
//! with `[sandbox] admin_key` set, a listener beyond loopback or a trusted proxy (through
//! which any host may come), every `/sandbox/...` call needs `Authorization: Bearer <key>`.

use std::net::SocketAddr;

use crate::auth::token::sha256_hex;
use crate::config::SandboxConfig;
use crate::domain::ids::random_hex;

/// Why a call does not carry the admin key (both answered with 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefusal {
    /// No `Authorization: Bearer` key.
    Missing,
    /// A key that is not this control plane's.
    Invalid,
}

impl KeyRefusal {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            KeyRefusal::Missing => "admin_key_required",
            KeyRefusal::Invalid => "invalid_admin_key",
        }
    }

    /// What the caller is told.
    pub fn message(self) -> &'static str {
        match self {
            KeyRefusal::Missing => "this control plane needs Authorization: Bearer <admin key>",
            KeyRefusal::Invalid => "the admin key is not valid",
        }
    }
}

/// How the control plane is guarded, decided once at start.
pub struct ControlPlane {
    /// Whether `/sandbox/...` is served at all.
    pub enabled: bool,
    /// SHA-256 of the admin key, when one is needed.
    key_hash: Option<String>,
    /// A key generated at start (reachable beyond loopback with none configured), shown once
    /// in the banner.
    generated_key: Option<String>,
    /// Why the control plane is reachable beyond loopback, if it is.
    exposure: Option<String>,
}

/// Why a control plane with these listeners and proxies is reachable from beyond loopback:
/// the first listener on a non-loopback address, or the trusted proxies; `None` when neither.
fn exposure(listeners: &[(SocketAddr, &str)], proxies_trusted: bool) -> Option<String> {
    listeners
        .iter()
        .find(|(addr, _)| !addr.ip().is_loopback())
        .map(|(addr, what)| format!("the {what} listener {addr} is beyond loopback"))
        .or_else(|| {
            proxies_trusted.then(|| {
                "[server] trusted_proxies is set: requests may come through a proxy".to_string()
            })
        })
}

impl ControlPlane {
    /// Decides the mode from `[sandbox]`, every listener (`(address, "HTTP" | "HTTPS")`) and
    /// whether any proxy is trusted.
    pub fn from_config(
        config: &SandboxConfig,
        listeners: &[(SocketAddr, &str)],
        proxies_trusted: bool,
    ) -> ControlPlane {
        let configured = Some(config.admin_key.trim()).filter(|k| !k.is_empty());
        let exposure = exposure(listeners, proxies_trusted);
        let generated_key = match configured {
            None if exposure.is_some() => Some(random_hex(24)),
            _ => None,
        };
        let key = configured
            .map(str::to_string)
            .or_else(|| generated_key.clone());
        ControlPlane {
            enabled: config.enabled,
            key_hash: key.map(|k| sha256_hex(k.as_bytes())),
            generated_key,
            exposure,
        }
    }

    /// One line for the start-up banner saying which mode applies.
    pub fn describe(&self) -> String {
        if !self.enabled {
            return "off ([sandbox] enabled = false)".into();
        }
        match (&self.key_hash, &self.generated_key) {
            (None, _) => "open (every listener on loopback, no proxy trusted, no admin key)".into(),
            (Some(_), Some(key)) => format!(
                "needs Authorization: Bearer {key} (generated: {})",
                self.exposure.as_deref().unwrap_or("beyond loopback")
            ),
            (Some(_), None) => {
                "needs Authorization: Bearer <the admin key: [sandbox] admin_key, --admin-key or ORGBOX_ADMIN_KEY>".into()
            }
        }
    }

    /// Whether the call's bearer token (`None`: no `Bearer` credential) is the admin key
    /// (always, when none is needed).
    pub fn admits(&self, bearer: Option<&str>) -> Result<(), KeyRefusal> {
        let Some(expected) = &self.key_hash else {
            return Ok(());
        };
        let given = bearer.ok_or(KeyRefusal::Missing)?;
        // Digests are compared, not keys: an early exit reveals how much of an unguessable
        // hash matched, which tells nothing about the key.
        if sha256_hex(given.as_bytes()) != *expected {
            return Err(KeyRefusal::Invalid);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plane_with(key: &str, listen: &str, tls: Option<&str>, proxies: bool) -> ControlPlane {
        let mut listeners = vec![(listen.parse().unwrap(), "HTTP")];
        if let Some(tls) = tls {
            listeners.push((tls.parse().unwrap(), "HTTPS"));
        }
        ControlPlane::from_config(
            &SandboxConfig {
                enabled: true,
                admin_key: key.into(),
                ..SandboxConfig::default()
            },
            &listeners,
            proxies,
        )
    }

    fn plane(key: &str, listen: &str) -> ControlPlane {
        plane_with(key, listen, None, false)
    }

    /// The key a plane generated, after checking it is required and shown with its reason.
    fn generated(p: &ControlPlane, reason: &str) -> String {
        let key = p.generated_key.clone().expect("a key is generated");
        let line = p.describe();
        assert!(line.contains(&key) && line.contains(reason), "{line}");
        assert_eq!(p.admits(None).unwrap_err().code(), "admin_key_required");
        assert!(p.admits(Some(&key)).is_ok());
        key
    }

    #[test]
    fn loopback_without_a_key_is_open() {
        for p in [
            plane("", "127.0.0.1:0"),
            plane("", "[::1]:3080"),
            plane_with("", "127.0.0.1:0", Some("127.0.0.1:0"), false),
            plane_with("", "127.0.0.1:3080", Some("[::1]:3443"), false),
        ] {
            assert!(p.admits(None).is_ok());
            assert!(p.generated_key.is_none());
            assert!(p.describe().starts_with("open"), "{}", p.describe());
        }
    }

    #[test]
    fn a_configured_key_is_required_and_checked() {
        for p in [
            plane("s3cret", "127.0.0.1:0"),
            plane_with("s3cret", "0.0.0.0:0", Some("0.0.0.0:0"), true),
        ] {
            assert_eq!(p.admits(None).unwrap_err().code(), "admin_key_required");
            assert_eq!(
                p.admits(Some("nope")).unwrap_err().code(),
                "invalid_admin_key"
            );
            assert!(p.admits(Some("s3cret")).is_ok());
            assert!(p.generated_key.is_none());
            assert!(!p.describe().contains("s3cret"));
        }
    }

    #[test]
    fn a_plain_listener_beyond_loopback_generates_a_key() {
        generated(&plane("", "0.0.0.0:3080"), "HTTP listener 0.0.0.0:3080");
    }

    #[test]
    fn an_https_listener_beyond_loopback_generates_a_key_though_the_plain_one_is_loopback() {
        let p = plane_with("", "127.0.0.1:3080", Some("0.0.0.0:3443"), false);
        generated(&p, "HTTPS listener 0.0.0.0:3443");
        let p = plane_with("", "127.0.0.1:3080", Some("192.0.2.7:3443"), false);
        generated(&p, "HTTPS listener 192.0.2.7:3443");
    }

    #[test]
    fn a_trusted_proxy_generates_a_key_though_every_listener_is_loopback() {
        generated(
            &plane_with("", "127.0.0.1:3080", None, true),
            "trusted_proxies",
        );
        generated(
            &plane_with("", "127.0.0.1:3080", Some("127.0.0.1:3443"), true),
            "trusted_proxies",
        );
    }

    #[test]
    fn each_start_generates_a_different_key() {
        let a = plane("", "0.0.0.0:3080").generated_key;
        let b = plane("", "0.0.0.0:3080").generated_key;
        assert_ne!(a, b);
    }
}
