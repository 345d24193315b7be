//! Behind a trusted proxy the client address comes from the forwarding headers, read right to
//! left; a header that cannot be believed fails every IP restriction instead of falling back
//! to the proxy's own address. Each token here is restricted to the proxy's subnet, which the
//! proxy's own address (127.0.0.1) would pass.

use serde_json::json;

use crate::helpers::*;

async fn app_with_restricted_token() -> (TestApp, String) {
    let app = spawn_app_with(|c| c.server.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let login = app.login(BRENNAN).await;
    let t = app
        .create_token(
            &login,
            &["profile"],
            json!({"ipRestrict": ["127.0.0.0/24"]}),
        )
        .await;
    let token = t["token"].as_str().unwrap().to_string();
    (app, token)
}

async fn me_with(app: &TestApp, token: &str, headers: &[(&str, &[u8])]) -> Resp {
    let mut req = Req::get("/api/v2/user/me").auth(Auth::Raw(token.into()));
    for (k, v) in headers {
        req = req.append_header(k, v);
    }
    app.send(req).await
}

#[actix_web::test]
async fn a_client_inside_the_restriction_passes_through_the_proxy() {
    let (app, token) = app_with_restricted_token().await;
    me_with(&app, &token, &[]).await.ok();
    me_with(&app, &token, &[("X-Forwarded-For", b"127.0.0.9")])
        .await
        .ok();
    me_with(&app, &token, &[("Forwarded", b"for=\"127.0.0.9:4711\"")])
        .await
        .ok();
}

#[actix_web::test]
async fn a_forged_entry_left_of_the_real_client_does_not_win() {
    let (app, token) = app_with_restricted_token().await;
    let b = me_with(
        &app,
        &token,
        &[("X-Forwarded-For", b"127.0.0.9, 203.0.113.9")],
    )
    .await
    .expect_error(401);
    assert_eq!(b["context"]["reason"], "ip_restricted");
}

#[actix_web::test]
async fn every_forwarded_for_line_is_read() {
    let (app, token) = app_with_restricted_token().await;
    // The client's own forged line, then the line the proxy appended with the real client.
    me_with(
        &app,
        &token,
        &[
            ("X-Forwarded-For", b"127.0.0.9"),
            ("X-Forwarded-For", b"203.0.113.9"),
        ],
    )
    .await
    .expect_error(401);
}

#[actix_web::test]
async fn unreadable_forwarding_headers_fail_the_restriction() {
    let (app, token) = app_with_restricted_token().await;
    let cases: [&[(&str, &[u8])]; 6] = [
        &[("X-Forwarded-For", b"not-an-address")],
        &[("X-Forwarded-For", b"127.0.0.9, ")],
        &[("X-Forwarded-For", b"127.0.0.\xff")],
        &[("Forwarded", b"for=_hidden")],
        &[("Forwarded", b"proto=https")],
        &[
            ("X-Forwarded-For", b"127.0.0.9"),
            ("Forwarded", b"for=127.0.0.10"),
        ],
    ];
    for headers in cases {
        let b = me_with(&app, &token, headers).await.expect_error(401);
        assert_eq!(b["context"]["reason"], "ip_restricted", "{headers:?}");
    }
}

#[actix_web::test]
async fn the_standard_forwarded_header_names_the_client() {
    let (app, token) = app_with_restricted_token().await;
    me_with(
        &app,
        &token,
        &[("Forwarded", b"for=203.0.113.9;proto=https")],
    )
    .await
    .expect_error(401);
    me_with(
        &app,
        &token,
        &[("Forwarded", b"for=203.0.113.9, for=127.0.0.9")],
    )
    .await
    .ok();
}
