//! Helpers for the Bitwarden tests: an app seeded with the demo owner, admin and user (fast KDF
//! settings), logins as a client performs them, and row snapshots to prove refusals change
//! nothing.

use orgbox::bitwarden::crypto;
use orgbox::config::bitwarden::BitwardenConfig;
use orgbox::config::Config;
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, Auth, Req, Resp, TestApp};

/// The demo users' master password.
pub const MASTER: &str = "Vandelay-Industries-2026";
/// Owner.
pub const ART: &str = "art@vandelay.test";
/// Admin.
pub const GEORGE: &str = "george@vandelay.test";
/// User.
pub const KRAMER: &str = "kramer@vandelay.test";
/// KDF iterations in tests.
pub const ITERATIONS: u32 = 5_000;

/// An app with the Bitwarden demo world.
pub struct BwApp {
    /// The app.
    pub app: TestApp,
    /// The demo organization's id.
    pub org_id: String,
}

/// Starts an app with the default Bitwarden demo users (and any tweak on top).
pub async fn spawn_bw_with(tweak: impl FnOnce(&mut Config)) -> BwApp {
    let app = spawn_app_with(|c| {
        c.bitwarden.users = BitwardenConfig::default().users;
        tweak(c);
    })
    .await;
    let mut bw = BwApp {
        app,
        org_id: String::new(),
    };
    let token = bw.login(ART).await;
    let orgs = bw.get("/api/organizations", &token).await.ok();
    bw.org_id = orgs["data"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    bw
}

/// Starts an app with the default Bitwarden demo world.
pub async fn spawn_bw() -> BwApp {
    spawn_bw_with(|_| {}).await
}

/// The master password hash a client sends for `email`.
pub fn client_hash(email: &str, password: &str) -> String {
    let mk = crypto::master_key(password, email, ITERATIONS);
    crypto::master_password_hash(&mk, password)
}

/// A token-endpoint form body.
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    serde_urlencoded::to_string(pairs).unwrap().into_bytes()
}

/// The device fields the CLI sends.
pub const DEVICE: [(&str, &str); 3] = [
    ("deviceType", "25"),
    ("deviceIdentifier", "3b2c1f5e-2a0d-4a7e-9d8e-1f2a3b4c5d6e"),
    ("deviceName", "linux"),
];

impl BwApp {
    /// POSTs a form to the token endpoint.
    pub async fn token(&self, pairs: &[(&str, &str)]) -> Resp {
        self.token_at("", pairs).await
    }

    /// POSTs a form to the token endpoint of the sandbox at `base` (`""` or `/s/name`).
    pub async fn token_at(&self, base: &str, pairs: &[(&str, &str)]) -> Resp {
        self.app
            .send(Req::post(&format!("{base}/identity/connect/token")).raw(
                &form(pairs),
                "application/x-www-form-urlencoded; charset=utf-8",
            ))
            .await
    }

    /// The full password-grant reply for `email`.
    pub async fn password_login(&self, email: &str) -> Value {
        self.password_login_at("", email).await
    }

    /// The full password-grant reply for `email` from the sandbox at `base`.
    pub async fn password_login_at(&self, base: &str, email: &str) -> Value {
        let hash = client_hash(email, MASTER);
        let mut pairs = vec![
            ("grant_type", "password"),
            ("username", email),
            ("password", hash.as_str()),
            ("scope", "api offline_access"),
            ("client_id", "cli"),
        ];
        pairs.extend_from_slice(&DEVICE);
        self.token_at(base, &pairs).await.ok()
    }

    /// An access token for `email`.
    pub async fn login(&self, email: &str) -> String {
        self.password_login(email).await["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// GET with a bearer token.
    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.app.get(path, Auth::Raw(token.into())).await
    }

    /// A request with JSON body and a bearer token.
    pub async fn call(&self, method: &str, path: &str, token: &str, body: Value) -> Resp {
        self.app
            .send(
                Req::method(method, path)
                    .json(&body)
                    .auth(Auth::Raw(token.into())),
            )
            .await
    }

    /// `{masterPasswordHash}` for `email`.
    pub fn secret(email: &str) -> Value {
        json!({"masterPasswordHash": client_hash(email, MASTER)})
    }

    /// Sets what Bitwarden's own services set on the organization `id` (seats, storage used,
    /// SSO identifier, feature flags): `PATCH /sandbox/bitwarden/organizations/{id}`.
    pub fn patch_org(&self, id: &str, patch: Value) -> Value {
        let path = format!("/sandbox/bitwarden/organizations/{id}");
        self.app
            .control(Req::method("PATCH", &path).json(&patch))
            .ok()
    }

    /// Every Bitwarden row, as text, to compare before and after a refusal.
    pub async fn snapshot(&self) -> Vec<String> {
        self.app
            .snapshot(&[
                "bw_users",
                "bw_organizations",
                "bw_memberships",
                "bw_org_api_keys",
                "bw_policies",
                "bw_sso_users",
                "bw_collections",
                "bw_collection_users",
                "bw_collection_groups",
                "bw_groups",
                "bw_group_users",
                "bw_events",
            ])
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// Asserts Bitwarden's `ErrorResponseModel` with this status and message.
pub fn expect_bw_error(r: &Resp, status: u16, message: &str) -> Value {
    assert_eq!(
        r.status,
        status,
        "body: {}",
        String::from_utf8_lossy(&r.body)
    );
    let b = r.json();
    assert_eq!(b["object"], "error", "{b}");
    assert_eq!(b["message"], message, "{b}");
    assert!(b.get("exceptionMessage").is_some(), "{b}");
    b
}

/// Asserts an empty-bodied status.
pub fn expect_empty(r: &Resp, status: u16) {
    assert_eq!(
        r.status,
        status,
        "body: {}",
        String::from_utf8_lossy(&r.body)
    );
    assert!(
        r.body.is_empty(),
        "expected an empty body: {}",
        String::from_utf8_lossy(&r.body)
    );
}

/// The member `email` of the demo organization, as `token` lists it.
pub async fn member_by_email(bw: &BwApp, token: &str, email: &str) -> Value {
    let list = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), token)
        .await
        .ok();
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .unwrap()
        .clone()
}

/// The membership id of `email` in the demo organization, read through the member list.
pub async fn member_id(bw: &BwApp, token: &str, email: &str) -> String {
    member_by_email(bw, token, email).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}
