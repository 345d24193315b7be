//! Who may use the control plane. Open on loopback with no key configured (as local
//! emulators are); with `[sandbox] admin_key` set, or when orgbox listens beyond loopback,
//! every `/sandbox/...` call needs `Authorization: Bearer <key>`. Routes take [`Admin`].

use std::future::{ready, Ready};
use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use rand::RngCore;

use crate::auth::token::sha256_hex;
use crate::config::SandboxConfig;
use crate::control::ControlError;
use crate::sandbox::Sandbox;
use crate::state::AppState;

/// How the control plane is guarded, decided once at start.
pub struct ControlPlane {
    /// Whether `/sandbox/...` is served at all.
    pub enabled: bool,
    /// SHA-256 of the admin key, when one is needed.
    key_hash: Option<String>,
    /// A key generated at start (listening beyond loopback with none configured), shown once
    /// in the banner.
    generated_key: Option<String>,
}

impl ControlPlane {
    /// Decides the mode from `[sandbox]` and the listen address.
    pub fn from_config(config: &SandboxConfig, listen: SocketAddr) -> ControlPlane {
        let configured = Some(config.admin_key.trim()).filter(|k| !k.is_empty());
        let generated_key = match configured {
            None if !listen.ip().is_loopback() => {
                let mut bytes = [0u8; 24];
                rand::rng().fill_bytes(&mut bytes);
                Some(hex::encode(bytes))
            }
            _ => None,
        };
        let key = configured
            .map(str::to_string)
            .or_else(|| generated_key.clone());
        ControlPlane {
            enabled: config.enabled,
            key_hash: key.map(|k| sha256_hex(k.as_bytes())),
            generated_key,
        }
    }

    /// One line for the start-up banner saying which mode applies.
    pub fn describe(&self) -> String {
        if !self.enabled {
            return "off ([sandbox] enabled = false)".into();
        }
        match (&self.key_hash, &self.generated_key) {
            (None, _) => "open (loopback only, no admin key)".into(),
            (Some(_), Some(key)) => {
                format!("needs Authorization: Bearer {key} (generated: listening beyond loopback)")
            }
            (Some(_), None) => {
                "needs Authorization: Bearer <[sandbox] admin_key from config.toml>".into()
            }
        }
    }

    fn admits(&self, authorization: Option<&str>) -> Result<(), ControlError> {
        let Some(expected) = &self.key_hash else {
            return Ok(());
        };
        let given = authorization
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                ControlError::new(
                    StatusCode::UNAUTHORIZED,
                    "admin_key_required",
                    "this control plane needs Authorization: Bearer <admin key>",
                )
            })?;
        // Digests are compared, not keys: an early exit reveals how much of an unguessable
        // hash matched, which tells nothing about the key.
        if sha256_hex(given.as_bytes()) != *expected {
            return Err(ControlError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_admin_key",
                "the admin key is not valid",
            ));
        }
        Ok(())
    }
}

/// A control-plane call that passed the guard: its sandbox and the shared state.
pub struct Admin {
    /// The sandbox the path addresses.
    pub sandbox: Arc<Sandbox>,
    /// Shared state.
    pub state: Data<AppState>,
}

impl FromRequest for Admin {
    type Error = ControlError;
    type Future = Ready<Result<Admin, ControlError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(admit(req))
    }
}

fn admit(req: &HttpRequest) -> Result<Admin, ControlError> {
    let state = req.app_data::<Data<AppState>>().cloned().ok_or_else(|| {
        ControlError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "internal error",
        )
    })?;
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    state.control.admits(authorization)?;
    Ok(Admin {
        sandbox: state.sandboxes.for_http(req),
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plane(key: &str, listen: &str) -> ControlPlane {
        ControlPlane::from_config(
            &SandboxConfig {
                enabled: true,
                admin_key: key.into(),
                ..SandboxConfig::default()
            },
            listen.parse().unwrap(),
        )
    }

    #[test]
    fn loopback_without_a_key_is_open() {
        let p = plane("", "127.0.0.1:0");
        assert!(p.admits(None).is_ok());
        assert!(p.describe().starts_with("open"));
    }

    #[test]
    fn a_configured_key_is_required_and_checked() {
        let p = plane("s3cret", "127.0.0.1:0");
        assert_eq!(p.admits(None).unwrap_err().code(), "admin_key_required");
        assert_eq!(
            p.admits(Some("Bearer nope")).unwrap_err().code(),
            "invalid_admin_key"
        );
        assert!(p.admits(Some("Bearer s3cret")).is_ok());
        assert!(!p.describe().contains("s3cret"));
    }

    #[test]
    fn beyond_loopback_a_key_is_generated_and_shown_once() {
        let p = plane("", "0.0.0.0:3080");
        let key = p.generated_key.clone().unwrap();
        assert!(p.describe().contains(&key));
        assert!(p.admits(None).is_err());
        assert!(p.admits(Some(&format!("Bearer {key}"))).is_ok());
    }
}
