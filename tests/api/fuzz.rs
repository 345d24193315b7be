//! Request data never panics the server: random header values (Authorization, HMAC,
//! Auth-Timestamp, BitGo-Auth-Version, X-Forwarded-For, Forwarded, Content-Type) and random
//! bodies, thrown at every route, never get a 5xx or a dropped connection. Seeded, so a
//! failure is reproducible: the seed is printed, and `ORGBOX_FUZZ_SEED` replays one.

use std::time::Duration;

use actix_web::http::header::HeaderValue;
use actix_web::http::Method;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::helpers::*;

/// Every BitGo route: (method, path), with `{id}` filled per request.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/client/constants"),
    ("GET", "/api/v2/ping"),
    ("POST", "/api/auth/v1/session"),
    ("POST", "/api/v2/user/login"),
    ("POST", "/api/v1/user/login"),
    ("GET", "/api/v2/user/me"),
    ("GET", "/api/v1/user/{id}"),
    ("GET", "/api/v2/user/session"),
    ("POST", "/api/v2/user/unlock"),
    ("POST", "/api/v1/user/lock"),
    ("POST", "/api/v2/user/verifypassword"),
    ("POST", "/api/auth/v1/accesstoken"),
    ("POST", "/api/v2/user/accesstoken"),
    ("GET", "/api/v2/user/accesstoken"),
    ("DELETE", "/api/v2/user/accesstoken/{id}"),
    ("GET", "/api/v2/enterprise"),
    ("GET", "/api/v2/enterprise/{id}"),
    ("GET", "/api/v2/user/logout"),
    ("PUT", "/api/v2/enterprise/{id}"),
    ("GET", "/api/v1/enterprise/{id}/user"),
    ("POST", "/api/v2/enterprise/{id}/user"),
    ("DELETE", "/api/v2/enterprise/{id}/user"),
    ("PUT", "/api/v2/enterprise/{id}/user?userId={id}&role=admin"),
    (
        "GET",
        "/api/v2/pendingapprovals?enterprise={id}&state=pending",
    ),
    ("GET", "/api/v2/ofc/pendingApprovals/{id}"),
    ("PUT", "/api/v1/pendingapprovals/{id}"),
    ("GET", "/api/v2/organization"),
    ("GET", "/api/v2/organization/{id}"),
    ("POST", "/api/v2/organization/{id}/user"),
    (
        "PUT",
        "/api/v2/organization/{id}/user?userId={id}&role=serviceUser",
    ),
    ("DELETE", "/api/v2/organization/{id}/user?userId={id}"),
    ("POST", "/api/v2/organization/{id}/enterprise"),
    (
        "GET",
        "/api/v2/organization/{id}/enterprise?limit=5&kycState=pending",
    ),
    ("POST", "/api/v2/organization/{id}/enterprise/{id}/user"),
    ("POST", "/api/evs/v1/identity"),
    (
        "GET",
        "/api/evs/v1/identity?organizationId={id}&enterpriseId={id}",
    ),
    ("PATCH", "/api/evs/v1/identity/{id}"),
    ("GET", "/sandbox/health"),
    ("GET", "/sandbox/outbox?to={id}&limit=3"),
    ("GET", "/sandbox/invitations/{id}"),
    ("POST", "/sandbox/invitations/{id}"),
    ("POST", "/sandbox/organizations/{id}/admins"),
    ("POST", "/sandbox/kyc/{id}/complete"),
    ("PATCH", "/api/v2/user/me"),
    ("POST", "/identity/connect/token"),
    ("POST", "/identity/accounts/prelogin"),
    ("GET", "/api/sync"),
    ("GET", "/organizations"),
    ("POST", "/api/organizations"),
    ("GET", "/organizations/{id}"),
    ("PUT", "/api/organizations/{id}"),
    ("POST", "/organizations/{id}/leave"),
    ("POST", "/api/organizations/{id}/delete"),
    ("POST", "/organizations/{id}/api-key"),
    ("POST", "/organizations/{id}/storage"),
    ("GET", "/organizations/{id}/license?installationId={id}"),
    ("POST", "/organizations/{id}/users/invite"),
    ("POST", "/organizations/{id}/users/{id}/confirm"),
    ("DELETE", "/accounts/sso/{id}"),
    ("GET", "/no/such/route"),
    ("POST", "/api/v2/ofc/key"),
    ("GET", "/api/v2/ofc/key/{id}"),
    ("POST", "/api/v2/ofc/wallet/add"),
    ("GET", "/api/v2/ofc/wallet"),
    ("GET", "/api/v2/wallets"),
    ("GET", "/api/v2/ofctbtc/wallet/{id}"),
    ("GET", "/api/v2/ofc/wallet/{id}/addresses"),
    ("GET", "/api/v2/ofc/wallet/{id}/transfer"),
    ("POST", "/api/v2/ofctusd/wallet/{id}/tx/build"),
    ("POST", "/api/v2/ofctusd/wallet/{id}/tx/send"),
    ("POST", "/api/v2/ofctusd/wallet/{id}/tx/initiate"),
    ("GET", "/api/v2/enterprise/{id}/transfer"),
    ("POST", "/api/fiat/v1/sandbox/transaction/simulate"),
    ("GET", "/api/prime/trading/v1/user/current"),
    ("GET", "/api/prime/trading/v1/accounts"),
    ("GET", "/api/prime/trading/v1/accounts/{id}/balances"),
    ("POST", "/api/prime/trading/v1/accounts/{id}/orders"),
    ("GET", "/api/prime/trading/v1/accounts/{id}/orders"),
    (
        "PUT",
        "/api/prime/trading/v1/accounts/{id}/orders/{id}/cancel",
    ),
    ("GET", "/api/prime/trading/v1/accounts/{id}/trades"),
    ("POST", "/api/v2/ofc/wallet/{id}/policy/rule"),
    ("PUT", "/api/v2/ofc/wallet/{id}/policy/rule"),
    ("POST", "/api/policy/v1/organizations/{id}/rules"),
    ("PUT", "/api/v2/policy/rule/bulk"),
    ("POST", "/api/v2/ofc/wallet/{id}/share"),
    ("POST", "/sandbox/sandboxes"),
    ("DELETE", "/sandbox/sandboxes/{id}"),
    ("POST", "/sandbox/clock"),
    ("POST", "/sandbox/faults"),
    ("PUT", "/sandbox/snapshot"),
    ("PUT", "/sandbox/snapshots/{id}"),
    ("GET", "/sandbox/journal"),
    ("GET", "/s/{id}/api/v2/user/me"),
    ("GET", "/sandbox/console/world"),
    ("GET", "/sandbox/console/tokens"),
    ("GET", "/sandbox/console/bitwarden"),
    ("POST", "/sandbox/console/bitwarden/token"),
    ("GET", "/console/"),
    ("GET", "/"),
];

/// How many requests one run sends.
const REQUESTS: usize = 1_500;

fn pick<'a>(rng: &mut StdRng, options: &[&'a str]) -> &'a str {
    options[rng.random_range(0..options.len())]
}

fn random_bytes(rng: &mut StdRng, max: usize) -> Vec<u8> {
    let n = rng.random_range(0..=max);
    (0..n).map(|_| rng.random()).collect()
}

/// Bytes allowed in a header value: visible ASCII, space, tab and obs-text (0x80-0xff).
fn header_bytes(rng: &mut StdRng, max: usize) -> Vec<u8> {
    random_bytes(rng, max)
        .into_iter()
        .filter(|b| *b == b'\t' || (0x20..0x7f).contains(b) || *b >= 0x80)
        .collect()
}

fn maybe_header(rng: &mut StdRng, interesting: &[&str]) -> Option<Vec<u8>> {
    match rng.random_range(0..6) {
        0 => None,
        1 => Some(header_bytes(rng, 80)),
        _ => Some(pick(rng, interesting).as_bytes().to_vec()),
    }
}

fn random_body(rng: &mut StdRng) -> Vec<u8> {
    let bodies = [
        r#"{"email":"brennan@prestige-worldwide.test","password":"x","otp":"000000"}"#,
        r#"{"label":"f","scope":["all"],"otp":"000000","duration":1e400}"#,
        r#"{"scope":"profile","ipRestrict":"1.2.3.4","duration":-9223372036854775808}"#,
        r#"{"duration":"18446744073709551616","otp":123,"password":null}"#,
        r#"{"label":"\u0000\ud800","scope":[["nested"]],"enterprise":{"id":1}}"#,
        "[1,2,3]",
        "\"just a string\"",
        "{\"a\": # a comment\n 1}",
        "{",
        "",
    ];
    match rng.random_range(0..4) {
        0 => random_bytes(rng, 300),
        1 => "[".repeat(rng.random_range(1..400)).into_bytes(),
        _ => pick(rng, &bodies).as_bytes().to_vec(),
    }
}

#[actix_web::test]
async fn random_headers_and_bodies_never_get_a_5xx_or_a_dropped_connection() {
    let app = spawn_app_with(|c| {
        c.server.trusted_proxies = vec!["127.0.0.1".into()];
        c.auth.throttle_attempts_per_account = 0;
        c.auth.throttle_attempts_per_address = 0;
    })
    .await;
    let login = app.login(BRENNAN).await;
    let api = app.token_with(&["profile", "enterprise_view_all"]).await;
    let seed: u64 = std::env::var("ORGBOX_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("fuzz seed {seed} (ORGBOX_FUZZ_SEED={seed} replays this run)");
    let mut rng = StdRng::seed_from_u64(seed);
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    let signed_bearer = format!("Bearer {}", orgbox::auth::token::sha256_hex(api.as_bytes()));
    let bearers = [
        format!("Bearer {login}"),
        format!("Bearer {api}"),
        signed_bearer.clone(),
        signed_bearer,
        "Bearer ".into(),
        "Basic Zm9vOmJhcg==".into(),
        "Bearer v2x".into(),
        format!("Bearer {}", "f".repeat(5000)),
    ];
    let bearers: Vec<&str> = bearers.iter().map(String::as_str).collect();
    // Real ids, so requests get past "not found" into the rules.
    let known_ids = [
        app.demo.organization_id.clone(),
        app.demo.enterprise_id.clone(),
        app.demo.users[0].id.clone(),
        app.demo.users[1].id.clone(),
        app.demo.children[0].enterprise_id.clone(),
    ];
    let known_ids: Vec<&str> = known_ids.iter().map(String::as_str).collect();
    let min = i64::MIN.to_string();
    let max = i64::MAX.to_string();
    let now = orgbox::sandbox::Clock::real_now_ms().to_string();
    let timestamps = [
        min.as_str(),
        max.as_str(),
        now.as_str(),
        "-0",
        "1e309",
        "",
        "99999999999999999999999",
        "NaN",
    ];
    let hmacs = [
        "",
        "zz",
        &"a".repeat(64),
        &"A".repeat(64),
        &"0".repeat(4096),
    ];
    let versions = ["2.0", "3.0", "4.0", "", "3", "\u{00e9}"];
    let forwarded_for = [
        "203.0.113.9",
        "127.0.0.1, 127.0.0.2",
        "::1",
        "[::1]:80",
        "1.2.3.4:99999",
        ",,,",
        "unknown",
    ];
    let forwarded = [
        "for=1.2.3.4",
        "for=\"[::1]:80\";by=x",
        "for=",
        ";;;",
        "for=_x",
    ];
    let content_types = [
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/vnd+json",
        "multipart/form-data; boundary=x",
        ";",
    ];

    for i in 0..REQUESTS {
        let (method, path) = ROUTES[rng.random_range(0..ROUTES.len())];
        let id = match rng.random_range(0..4) {
            0 => "me".to_string(),
            1 => "f".repeat(32),
            2 => pick(&mut rng, &known_ids).to_string(),
            _ => String::from_utf8_lossy(&header_bytes(&mut rng, 40))
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '%')
                .collect(),
        };
        let path = path.replace("{id}", if id.is_empty() { "x" } else { &id });
        let method: Method = method.parse().unwrap();
        let mut req = client.request(method.clone(), format!("{}{}", app.base, path));
        let headers: [(&str, Option<Vec<u8>>); 7] = [
            ("Authorization", maybe_header(&mut rng, &bearers)),
            ("HMAC", maybe_header(&mut rng, &hmacs)),
            ("Auth-Timestamp", maybe_header(&mut rng, &timestamps)),
            ("BitGo-Auth-Version", maybe_header(&mut rng, &versions)),
            ("X-Forwarded-For", maybe_header(&mut rng, &forwarded_for)),
            ("Forwarded", maybe_header(&mut rng, &forwarded)),
            ("Content-Type", maybe_header(&mut rng, &content_types)),
        ];
        for (name, value) in headers {
            if let Some(value) = value.and_then(|v| HeaderValue::from_bytes(&v).ok()) {
                req = req.insert_header((name, value));
            }
        }
        let body = random_body(&mut rng);
        let reply = req.send_body(body.clone()).await;
        let mut reply = reply.unwrap_or_else(|e| {
            panic!("request {i} ({method} {path}) got no answer: {e} (seed {seed})")
        });
        let status = reply.status();
        let text = reply.body().limit(1 << 20).await.unwrap_or_default();
        assert!(
            !status.is_server_error(),
            "request {i} ({method} {path}) got {status}: {} (seed {seed}, body {:?})",
            String::from_utf8_lossy(&text),
            String::from_utf8_lossy(&body)
        );
    }
    // The server is still well.
    app.get("/api/v2/ping", Auth::None).await.ok();
}
