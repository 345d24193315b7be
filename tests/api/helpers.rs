//! The in-process test harness: an orgbox on port 0 with a temp data dir, an HTTP client, and
//! request signing as the SDK does it (v2/v3), so each test drives the server over HTTP.

use std::time::Duration;

use actix_web::http::header::HeaderMap;
use actix_web::http::Method;
use actix_web::web::{Bytes, Data};
use orgbox::app::Application;
use orgbox::auth::signing::{hmac_hex, request_subject, response_subject, AuthVersion};
use orgbox::auth::token::sha256_hex;
use orgbox::config::Config;
use orgbox::request::state::AppState;
use orgbox::sandbox::Clock;
use orgbox::seed::DemoWorld;
use serde_json::{json, Value};

/// Demo password (config.toml's default).
pub const PASSWORD: &str = "Prestige-Worldwide-2026";
/// Enterprise admin and organization admin.
pub const BRENNAN: &str = "brennan@prestige-worldwide.test";
/// Enterprise admin, organization member.
pub const DALE: &str = "dale@prestige-worldwide.test";
/// The organization's service user.
pub const SERVICE: &str = "service@prestige-worldwide.test";
/// The demo child enterprise's end user (an organization customer, KYC approved).
pub const CHAZZ: &str = "chazz@prestige-worldwide.test";
/// The long-lived token scopes of seed 000 step 1.
pub const SEED_SCOPES: &[&str] = &[
    "pending_approval_update",
    "profile",
    "settlement_network_read",
    "settlement_network_write",
    "trade_trade",
    "trade_view",
    "wallet_approve_all",
    "wallet_create",
    "wallet_edit_all",
    "wallet_freeze_all",
    "wallet_manage_all",
    "enterprise_view_all",
    "enterprise_manage_all",
    "wallet_spend_all",
    "wallet_view_all",
];

/// A running in-process orgbox.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Shared state (clock, store).
    pub state: Data<AppState>,
    /// Seeded ids.
    pub demo: DemoWorld,
    /// The data directory.
    pub dir: tempfile::TempDir,
    /// The HTTPS listener's address, when one is configured.
    pub tls: Option<std::net::SocketAddr>,
    /// The control plane's admin key, when one is configured (sent by the control-plane
    /// helpers).
    admin_key: Option<String>,
    client: awc::Client,
    server: actix_web::dev::ServerHandle,
    running: actix_web::rt::task::JoinHandle<std::io::Result<()>>,
}

/// How a request authenticates.
#[derive(Clone)]
pub enum Auth {
    /// No Authorization header.
    None,
    /// `Authorization: Bearer <raw token>` (curl).
    Raw(String),
    /// SDK-style v2 signing with this raw token.
    V2(String),
    /// SDK-style v3 signing with this raw token.
    V3(String),
}

/// A request to send.
pub struct Req {
    method: Method,
    path: String,
    body: Option<Vec<u8>>,
    content_type: Option<String>,
    auth: Auth,
    headers: Vec<(String, String)>,
    appended: Vec<(String, Vec<u8>)>,
    timestamp: Option<i64>,
    signed_body: Option<Vec<u8>>,
}

impl Req {
    fn new(method: Method, path: &str) -> Req {
        Req {
            method,
            path: path.to_string(),
            body: None,
            content_type: None,
            auth: Auth::None,
            headers: Vec::new(),
            appended: Vec::new(),
            timestamp: None,
            signed_body: None,
        }
    }
    /// GET `path`.
    pub fn get(path: &str) -> Req {
        Req::new(Method::GET, path)
    }
    /// POST `path`.
    pub fn post(path: &str) -> Req {
        Req::new(Method::POST, path)
    }
    /// DELETE `path`.
    pub fn delete(path: &str) -> Req {
        Req::new(Method::DELETE, path)
    }
    /// Any method.
    pub fn method(method: &str, path: &str) -> Req {
        Req::new(Method::from_bytes(method.as_bytes()).unwrap(), path)
    }
    /// A JSON body.
    pub fn json(self, v: &Value) -> Req {
        self.raw(v.to_string().as_bytes(), "application/json")
    }
    /// A body with a content type.
    pub fn raw(mut self, body: &[u8], content_type: &str) -> Req {
        self.body = Some(body.to_vec());
        self.content_type = Some(content_type.to_string());
        self
    }
    /// A body with no content type.
    pub fn untyped(mut self, body: &[u8]) -> Req {
        self.body = Some(body.to_vec());
        self.content_type = None;
        self
    }
    /// Authentication.
    pub fn auth(mut self, auth: Auth) -> Req {
        self.auth = auth;
        self
    }
    /// Adds one more header line (repeatable, any bytes), after the others.
    pub fn append_header(mut self, k: &str, v: &[u8]) -> Req {
        self.appended.push((k.to_string(), v.to_vec()));
        self
    }
    /// Sets a header, replacing one the request would send.
    pub fn header(mut self, k: &str, v: &str) -> Req {
        self.headers.push((k.into(), v.into()));
        self
    }
    /// Sign with this Auth-Timestamp instead of now.
    pub fn timestamp(mut self, ms: i64) -> Req {
        self.timestamp = Some(ms);
        self
    }
    /// Sign this body, but send the real one (tampering).
    pub fn sign_body(mut self, body: &[u8]) -> Req {
        self.signed_body = Some(body.to_vec());
        self
    }
}

/// A response.
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Raw body.
    pub body: Bytes,
}

impl Resp {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    /// A header as a string.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }
    /// Asserts the status and that the body is BitGo's error shape; returns the body.
    pub fn expect_error(&self, status: u16) -> Value {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        let b = self.json();
        assert!(b["error"].is_string(), "error: {b}");
        assert!(b["name"].is_string(), "name: {b}");
        assert!(b["requestId"].is_string(), "requestId: {b}");
        assert!(b["context"].is_object(), "context: {b}");
        b
    }
    /// Asserts a 200 and returns the JSON body.
    pub fn ok(&self) -> Value {
        assert_eq!(
            self.status,
            200,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self.json()
    }
    /// Whether the response carries a valid BitGo response signature for this request.
    pub fn signature_is_valid(
        &self,
        token: &str,
        version: AuthVersion,
        method: &str,
        target: &str,
    ) -> bool {
        let (Some(ts), Some(hmac)) = (self.header("timestamp"), self.header("hmac")) else {
            return false;
        };
        let subject = response_subject(version, method, &ts, target, self.status, &self.body);
        hmac_hex(token.as_bytes(), &subject) == hmac
    }
}

/// A config for tests: port 0, a temp data dir, cheap password hashing.
pub fn test_config(dir: &std::path::Path) -> Config {
    let mut config = Config::default();
    config.server.listen = "127.0.0.1:0".parse().unwrap();
    config.server.data_dir = dir.to_path_buf();
    config.auth.pbkdf2_iterations = 1_000;
    // The Bitwarden demo users cost RSA key generation; only the Bitwarden tests seed them.
    config.bitwarden.users.clear();
    config.bitwarden.kdf_iterations = 5_000;
    config.bitwarden.server_hash_iterations = 10;
    config.bitwarden.failed_secret_delay_ms = 0;
    config
}

/// Starts an app with the test config.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts an app with a tweaked test config.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_in(tempfile::tempdir().unwrap(), tweak).await
}

/// Starts an app on an existing data directory.
pub async fn spawn_app_in(dir: tempfile::TempDir, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = test_config(dir.path());
    tweak(&mut config);
    let admin_key = Some(config.sandbox.admin_key.clone()).filter(|k| !k.is_empty());
    let app = Application::build(config).await.expect("app builds");
    let base = format!("http://{}", app.address());
    let state = app.state();
    let demo = app.demo().clone();
    let tls = app.tls_address();
    let server = app.handle();
    let running = actix_web::rt::spawn(app.run_until_stopped());
    // The server starts when its future is first polled: let it, so that a synchronous
    // helper (which blocks this thread) never waits on a server that has not started.
    actix_web::rt::task::yield_now().await;
    TestApp {
        base,
        state,
        demo,
        dir,
        tls,
        admin_key,
        client: client(),
        server,
        running,
    }
}

fn client() -> awc::Client {
    awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .disable_redirects()
        .finish()
}

/// Sends `req` to the server at `base` with `client`, signing it as asked.
async fn send_with(client: &awc::Client, base: &str, req: Req) -> Resp {
    let url = format!("{base}{}", req.path);
    let mut r = client.request(req.method.clone(), url);
    if let Some(ct) = &req.content_type {
        r = r.insert_header(("Content-Type", ct.as_str()));
    }
    let body = req.body.clone().unwrap_or_default();
    match &req.auth {
        Auth::None => {}
        Auth::Raw(t) => r = r.insert_header(("Authorization", format!("Bearer {t}"))),
        Auth::V2(t) | Auth::V3(t) => {
            let version = if matches!(req.auth, Auth::V3(_)) {
                AuthVersion::V3
            } else {
                AuthVersion::V2
            };
            let ts = req.timestamp.unwrap_or_else(Clock::real_now_ms).to_string();
            let signed = req.signed_body.as_deref().unwrap_or(&body);
            let subject = request_subject(version, req.method.as_str(), &ts, &req.path, signed);
            r = r
                .insert_header((
                    "Authorization",
                    format!("Bearer {}", sha256_hex(t.as_bytes())),
                ))
                .insert_header(("Auth-Timestamp", ts.clone()))
                .insert_header(("HMAC", hmac_hex(t.as_bytes(), &subject)))
                .insert_header((
                    "BitGo-Auth-Version",
                    if version == AuthVersion::V3 {
                        "3.0"
                    } else {
                        "2.0"
                    },
                ));
        }
    }
    for (k, v) in &req.headers {
        r = r.insert_header((k.as_str(), v.as_str()));
    }
    for (k, v) in &req.appended {
        let value = actix_web::http::header::HeaderValue::from_bytes(v).expect("header bytes");
        r = r.append_header((k.as_str(), value));
    }
    let mut resp = if req.body.is_some() {
        r.send_body(body).await
    } else {
        r.send().await
    }
    .expect("request sent");
    let body = resp
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("body read");
    Resp {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body,
    }
}

impl TestApp {
    /// Stops the server, which lets go of its data directory (one server per directory), and
    /// hands the directory back to start another on it.
    pub async fn stop(self) -> tempfile::TempDir {
        self.server.stop(false).await;
        let _ = self.running.await;
        self.dir
    }

    /// Sends a request, signing it as asked.
    pub async fn send(&self, req: Req) -> Resp {
        send_with(&self.client, &self.base, req).await
    }

    /// Sends a request from a thread of its own and waits for the answer: for the synchronous
    /// helpers (rows, counts, balances, set-up through the control plane), which tests call
    /// without `.await`.
    pub fn send_blocking(&self, req: Req) -> Resp {
        let base = self.base.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new()
                .block_on(async move { send_with(&client(), &base, req).await })
        })
        .join()
        .expect("the request thread")
    }

    /// A control-plane request (with the admin key when one is configured), answered
    /// synchronously.
    pub fn control(&self, req: Req) -> Resp {
        match &self.admin_key {
            Some(key) => self.send_blocking(req.auth(Auth::Raw(key.clone()))),
            None => self.send_blocking(req),
        }
    }

    /// Applies a seeding fixture through `POST /sandbox/seed`; returns its report.
    pub fn seed(&self, fixture: Value) -> Value {
        self.control(Req::post("/sandbox/seed").json(&fixture)).ok()
    }

    /// GET with auth.
    pub async fn get(&self, path: &str, auth: Auth) -> Resp {
        self.send(Req::get(path).auth(auth)).await
    }

    /// POST JSON with auth.
    pub async fn post(&self, path: &str, body: Value, auth: Auth) -> Resp {
        self.send(Req::post(path).json(&body).auth(auth)).await
    }

    /// Logs in as `email` with the demo password (plain) and OTP; returns the reply.
    pub async fn login_reply(&self, email: &str) -> Value {
        self.post(
            "/api/v2/user/login",
            json!({"email": email, "password": PASSWORD, "otp": "000000"}),
            Auth::None,
        )
        .await
        .ok()
    }

    /// Logs in as `email`; returns the login token.
    pub async fn login(&self, email: &str) -> String {
        self.login_reply(email).await["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Creates a long-lived token with `scope` using a login token; returns the token document.
    pub async fn create_token(&self, login_token: &str, scope: &[&str], extra: Value) -> Value {
        let mut body =
            json!({"label": "test token", "scope": scope, "duration": 3600, "otp": "000000"});
        if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
            b.extend(e);
        }
        self.post(
            "/api/v2/user/accesstoken",
            body,
            Auth::Raw(login_token.into()),
        )
        .await
        .ok()
    }

    /// A long-lived raw token for Brennan with `scope`.
    pub async fn token_with(&self, scope: &[&str]) -> String {
        let login = self.login(BRENNAN).await;
        self.create_token(&login, scope, json!({})).await["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A long-lived raw token for `email` with `scope`.
    pub async fn token_as(&self, email: &str, scope: &[&str]) -> String {
        let login = self.login(email).await;
        self.create_token(&login, scope, json!({})).await["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The id of the demo user (or seeded end user) with `email`.
    pub fn user_id(&self, email: &str) -> String {
        self.demo
            .users
            .iter()
            .find(|u| u.email == email)
            .map(|u| u.id.clone())
            .or_else(|| {
                self.demo
                    .children
                    .iter()
                    .find(|c| c.email == email)
                    .map(|c| c.user_id.clone())
            })
            .unwrap_or_else(|| panic!("no demo user {email}"))
    }

    /// Creates a user with the demo password who belongs to nothing (through a seeding
    /// fixture); returns their id.
    pub fn add_outsider(&self, email: &str) -> String {
        let report = self.seed(json!({
            "now": 0,
            "users": [{"email": email, "firstName": "Out", "lastName": "Sider", "password": PASSWORD}],
        }));
        report["ids"][email.to_lowercase()]
            .as_str()
            .expect("the outsider's id")
            .to_string()
    }

    /// The caller's listed access tokens (first page).
    pub async fn listed_tokens(&self, token: &str) -> Vec<Value> {
        let list = self
            .get("/api/v2/user/accesstoken", Auth::Raw(token.into()))
            .await
            .ok();
        list["accessTokens"]
            .as_array()
            .expect("accessTokens")
            .clone()
    }

    /// Moves the default sandbox's clock (`POST /sandbox/clock`).
    pub fn advance_clock(&self, seconds: i64) {
        self.advance_clock_ms(seconds * 1000);
    }

    /// Moves the default sandbox's clock by `ms` milliseconds.
    pub fn advance_clock_ms(&self, ms: i64) {
        self.control(Req::post("/sandbox/clock").json(&json!({"advanceMs": ms})))
            .ok();
    }
}
