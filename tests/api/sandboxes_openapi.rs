//! The OpenAPI document and the 501 answer: documented-but-unserved BitGo routes answer 501
//! in BitGo's shape naming the route; the document lists exactly the BitGo routes served.

use orgbox::control::openapi::VENDOR_ROUTES;
use serde_json::json;

use crate::helpers::*;
use crate::sandboxes::create_sandbox;

fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|s| match s {
            "{coin}" => "tbtc".to_string(),
            s if s.starts_with('{') => "f".repeat(32),
            s => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn normal(template: &str) -> String {
    template
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                "{}".to_string()
            } else {
                s.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn probe(app: &TestApp, method: &str, path: &str) -> Resp {
    let req = Req::method(method, path);
    let req = if method == "GET" {
        req
    } else {
        req.json(&json!({}))
    };
    app.send(req).await
}

#[actix_web::test]
async fn documented_but_unserved_bitgo_routes_answer_501_naming_the_route() {
    let app = spawn_app().await;
    let r = app
        .get("/api/v2/tbtc/wallet/abc/address/xyz/proof", Auth::None)
        .await;
    let b = r.expect_error(501);
    assert_eq!(b["name"], "NotImplemented");
    assert!(
        b["error"]
            .as_str()
            .unwrap()
            .contains("GET /api/v2/{coin}/wallet/{walletId}/address/{addressOrId}/proof"),
        "{b}"
    );
    create_sandbox(&app, "o", None).await;
    app.get("/s/o/api/v2/tbtc/wallet/abc/address/xyz/proof", Auth::None)
        .await
        .expect_error(501);
    // Not documented at all: a plain 404.
    app.get("/api/v2/not/a/bitgo/route/anywhere", Auth::None)
        .await
        .expect_error(404);
    let j = app
        .get("/sandbox/journal?status=501", Auth::None)
        .await
        .ok();
    assert_eq!(j["count"], 1);
    assert_eq!(j["requests"][0]["refusedBy"], "NotImplemented");
}

#[actix_web::test]
async fn the_document_lists_exactly_the_bitgo_routes_served() {
    let app = spawn_app().await;
    let doc = app.get("/sandbox/openapi.json", Auth::None).await.ok();
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc["paths"]["/sandbox/reset"]["post"].is_object());
    assert!(doc["paths"]["/api/v2/user/me"]["get"]["tags"][0].is_string());

    // Every listed route is served.
    for (method, path, _) in VENDOR_ROUTES {
        let r = probe(&app, method, &concrete(path)).await;
        let body = String::from_utf8_lossy(&r.body).to_string();
        assert!(
            r.status != 501 && r.status != 405 && !body.contains("no route for"),
            "{method} {path} is listed but answered {}: {body}",
            r.status
        );
    }
    // Every route of BitGo's file that is served is listed.
    let listed: std::collections::HashSet<(String, String)> = VENDOR_ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), normal(p)))
        .collect();
    let mut unlisted = Vec::new();
    let table = include_str!("../../src/bitgo/openapi_routes.tsv");
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (method, path) = (cols.next().unwrap(), cols.next().unwrap());
        let r = probe(&app, method, &concrete(path)).await;
        if r.status == 501 || r.status == 405 {
            continue;
        }
        if !listed.contains(&(method.to_string(), normal(path))) {
            unlisted.push(format!("{method} {path} ({})", r.status));
        }
    }
    assert!(
        unlisted.is_empty(),
        "served but not in control::openapi::VENDOR_ROUTES: {unlisted:#?}"
    );
}
