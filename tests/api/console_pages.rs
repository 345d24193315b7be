//! The console's views at scale and through a user's eyes: `GET /sandbox/console/world` pages
//! enterprises (grouped by organization, enterprises in none last), finds them by name, and with
//! `as` answers what that user may view, manage, trade and withdraw as the public routes would;
//! the journal filters by principal (user id, token id, or email through the console) and pages
//! back with `before`; `GET /sandbox/console/demo` offers the demo login.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::bitwarden_support::{spawn_bw, ART};
use crate::helpers::*;

/// Every enterprise of a world page, in order.
fn enterprises(w: &Value) -> Vec<Value> {
    w["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["enterprises"].as_array().unwrap().clone())
        .collect()
}

/// A fixture of `orgs` organizations (a parent and `children` children each) and `standalone`
/// enterprises in no organization.
fn scale_fixture(orgs: usize, children: usize, standalone: usize) -> Value {
    let mut organizations = Vec::new();
    let mut ents = Vec::new();
    for o in 0..orgs {
        organizations.push(json!({"key": format!("o{o}"), "name": format!("Scale Org {o:02}")}));
        ents.push(
            json!({"key": format!("o{o}p"), "name": format!("Scale Org {o:02}"),
            "organization": format!("o{o}"), "business_model": "cryptoAsAServiceParent"}),
        );
        for c in 0..children {
            ents.push(
                json!({"key": format!("o{o}c{c}"), "name": format!("child {o:02}-{c:03}"),
                "organization": format!("o{o}"), "business_model": "cryptoAsAServiceChild"}),
            );
        }
    }
    for s in 0..standalone {
        ents.push(json!({"key": format!("s{s}"), "name": format!("standalone {s:03}")}));
    }
    json!({"organizations": organizations, "enterprises": ents})
}

#[actix_web::test]
async fn the_world_pages_every_enterprise_once_grouped_by_organization() {
    let app = spawn_app().await;
    let r = app
        .post("/sandbox/seed", scale_fixture(3, 9, 12), Auth::None)
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // 2 seeded (parent and child) + 3 × (1 + 9) + 12.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let w = app
            .get(
                &format!("/sandbox/console/world?limit=7&offset={offset}"),
                Auth::None,
            )
            .await
            .ok();
        assert_eq!(w["total"], 44, "{w}");
        let page = enterprises(&w);
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 7);
        // Groups on a page are in order and never repeat an organization.
        let groups: Vec<&Value> = w["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| &o["id"])
            .collect();
        let distinct: BTreeSet<String> = groups.iter().map(|g| g.to_string()).collect();
        assert_eq!(distinct.len(), groups.len(), "{w}");
        seen.extend(page);
        offset += 7;
    }
    let ids: BTreeSet<&str> = seen.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        (seen.len(), ids.len()),
        (44, 44),
        "each enterprise exactly once"
    );
    // Each organization's parent comes before its children; enterprises in none come last.
    let first_standalone = seen
        .iter()
        .position(|e| e["organizationId"].is_null())
        .unwrap();
    assert_eq!(first_standalone, 32);
    assert!(seen[32..].iter().all(|e| e["organizationId"].is_null()));
    for org in seen[..32].chunk_by(|a, b| a["organizationId"] == b["organizationId"]) {
        assert_eq!(org[0]["parent"], true, "{}", org[0]);
        assert!(org[1..].iter().all(|e| e["parent"] == false));
    }
    // A page that starts inside an organization still names it.
    let w = app
        .get("/sandbox/console/world?limit=5&offset=4", Auth::None)
        .await
        .ok();
    assert_eq!(w["organizations"][0]["name"], "Scale Org 00", "{w}");
    assert_eq!(w["organizations"][0]["enterprises"][0]["parent"], false);
}

#[actix_web::test]
async fn the_world_finds_enterprises_and_refuses_bad_pages() {
    let app = spawn_app().await;
    app.post("/sandbox/seed", scale_fixture(2, 5, 5), Auth::None)
        .await
        .ok();
    let w = app
        .get("/sandbox/console/world?q=CHILD%2001-003", Auth::None)
        .await
        .ok();
    assert_eq!(w["total"], 1, "any case: {w}");
    assert_eq!(enterprises(&w)[0]["name"], "child 01-003");
    // By organization name: its parent and all its children.
    let w = app
        .get("/sandbox/console/world?q=scale%20org%2001", Auth::None)
        .await
        .ok();
    assert_eq!(w["total"], 6, "{w}");
    // LIKE wildcards are literal.
    let w = app
        .get("/sandbox/console/world?q=%25", Auth::None)
        .await
        .ok();
    assert_eq!(w["total"], 0, "{w}");
    let id = enterprises(
        &app.get("/sandbox/console/world?q=standalone%20002", Auth::None)
            .await
            .ok(),
    )[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let w = app
        .get(
            &format!("/sandbox/console/world?q={}", &id[..12]),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(enterprises(&w)[0]["id"], id.as_str());

    for (query, wanted) in [
        ("limit=0", "limit must be 1 to 200"),
        ("limit=201", "limit must be 1 to 200"),
        (
            "offset=-1",
            "offset: expected a whole number, 0 or more, got \"-1\" (in the query string)",
        ),
        ("limit=ten", "limit: expected a whole number, got \"ten\""),
        ("page=2", "unknown field page; the fields are "),
    ] {
        let r = app
            .get(&format!("/sandbox/console/world?{query}"), Auth::None)
            .await;
        assert_eq!(r.status, 400, "{query}");
        assert!(
            r.json()["error"].as_str().unwrap().contains(wanted),
            "{query}: {}",
            r.json()
        );
    }
    let r = app
        .get("/sandbox/console/world?as=nobody@example.test", Auth::None)
        .await;
    assert_eq!(r.status, 404);
}

#[actix_web::test]
async fn the_world_shows_go_accounts_and_what_a_user_may_do_there() {
    let app = spawn_app().await;
    let plain = app.get("/sandbox/console/world", Auth::None).await.ok();
    let child = enterprises(&plain)
        .into_iter()
        .find(|e| e["name"] == CHAZZ)
        .unwrap();
    assert!(child.get("viewAs").is_none());
    let account = &child["goAccounts"][0];
    assert_eq!(account["type"], "trading");
    let usd = account["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["currency"] == "USD")
        .unwrap();
    assert_eq!(
        (usd["available"].as_str(), usd["held"].as_str()),
        (Some("1000000"), Some("0"))
    );

    let verdicts = |w: &Value| {
        let child = enterprises(w)
            .into_iter()
            .find(|e| e["name"] == CHAZZ)
            .unwrap();
        let acct = child["goAccounts"][0]["viewAs"].clone();
        (child["viewAs"].clone(), acct)
    };
    // The organization admin sees the child and its account, and is refused money moves.
    let w = app
        .get(&format!("/sandbox/console/world?as={BRENNAN}"), Auth::None)
        .await
        .ok();
    assert_eq!(w["viewer"]["username"], BRENNAN);
    let (ent, acct) = verdicts(&w);
    assert_eq!(ent["view"]["allowed"], true);
    assert_eq!(ent["manage"]["refusedBy"], "Forbidden");
    assert_eq!(acct["view"]["allowed"], true);
    for action in ["trade", "withdraw"] {
        assert_eq!(
            acct[action]["refusedBy"], "OrganizationAdminCannotTransact",
            "{acct}"
        );
    }
    // The API agrees: Brennan's order is refused with the same name.
    let brennan = app.login(BRENNAN).await;
    let id = account["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/prime/trading/v1/accounts/{id}/orders"),
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.001"}),
            Auth::Raw(brennan),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["errorName"], "OrganizationAdminCannotTransact");

    // The service user may do both; Dale (an organization member) may not see the child at all.
    let w = app
        .get(&format!("/sandbox/console/world?as={SERVICE}"), Auth::None)
        .await
        .ok();
    let (ent, acct) = verdicts(&w);
    assert_eq!(ent["manage"]["allowed"], true);
    assert_eq!(
        (
            acct["trade"]["allowed"].as_bool(),
            acct["withdraw"]["allowed"].as_bool()
        ),
        (Some(true), Some(true))
    );
    let dale = app.user_id(DALE);
    let w = app
        .get(&format!("/sandbox/console/world?as={dale}"), Auth::None)
        .await
        .ok();
    let (ent, acct) = verdicts(&w);
    assert_eq!(ent["view"]["refusedBy"], "NotFound");
    assert_eq!(acct["view"]["refusedBy"], "NotFound");

    // An order the service user places shows among the account's recent orders.
    let service = app.login(SERVICE).await;
    let r = app
        .post(
            &format!("/api/prime/trading/v1/accounts/{id}/orders"),
            json!({"product": "BTC-USD", "type": "market", "side": "buy", "quantity": "0.5"}),
            Auth::Raw(service),
        )
        .await;
    assert!(r.status < 300, "{}", String::from_utf8_lossy(&r.body));
    let w = app.get("/sandbox/console/world", Auth::None).await.ok();
    let child = enterprises(&w)
        .into_iter()
        .find(|e| e["name"] == CHAZZ)
        .unwrap();
    let order = &child["goAccounts"][0]["orders"][0];
    assert_eq!(
        (order["side"].as_str(), order["quantity"].as_str()),
        (Some("buy"), Some("0.5"))
    );
    let btc = child["goAccounts"][0]["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["currency"] == "BTC")
        .cloned()
        .unwrap();
    assert_eq!(btc["total"], "10.5");
}

#[actix_web::test]
async fn the_journal_filters_by_principal_and_pages_back() {
    let app = spawn_app().await;
    let brennan = app.login(BRENNAN).await;
    let dale = app.login(DALE).await;
    for i in 0..5 {
        app.get(
            &format!("/api/v2/user/me?b={i}"),
            Auth::Raw(brennan.clone()),
        )
        .await
        .ok();
        app.get(&format!("/api/v2/user/me?d={i}"), Auth::Raw(dale.clone()))
            .await
            .ok();
    }
    let brennan_id = app.user_id(BRENNAN);
    let j = app
        .get(
            &format!("/sandbox/journal?principal={brennan_id}&limit=2"),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 6, "five reads and the login: {j}");
    let page: Vec<&Value> = j["requests"].as_array().unwrap().iter().collect();
    assert_eq!(page[0]["query"], "b=4");
    assert_eq!(page[1]["query"], "b=3");
    assert!(page.iter().all(|e| e["userId"] == brennan_id.as_str()));
    let token_id = page[0]["tokenId"].as_str().unwrap().to_string();
    // The next page back starts below the last one shown.
    let before = page[1]["seq"].as_u64().unwrap();
    let j = app
        .get(
            &format!("/sandbox/journal?principal={brennan_id}&limit=2&before={before}"),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 4);
    assert_eq!(j["requests"][0]["query"], "b=2");
    // The oldest is the login, named though it carried no token.
    let j = app
        .get(
            &format!("/sandbox/journal?principal={brennan_id}&method=POST"),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 1);
    assert_eq!(j["requests"][0]["path"], "/api/v2/user/login");
    assert!(j["requests"][0].get("tokenId").is_none());
    // By token id; and through the console by email, each entry named.
    let j = app
        .get(
            &format!("/sandbox/journal?principal={token_id}"),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 5);
    let j = app
        .get(
            &format!("/sandbox/console/journal?principal={DALE}&limit=50"),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 6, "{j}");
    assert!(j["requests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["principal"] == DALE));
    let j = app
        .get(
            "/sandbox/console/journal?principal=nobody@example.test",
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 0);
    let r = app.get("/sandbox/journal?before=x", Auth::None).await;
    assert_eq!(r.status, 400);
}

#[actix_web::test]
async fn bitwarden_requests_are_journalled_with_their_user() {
    let bw = spawn_bw().await;
    let token = bw.login(ART).await;
    bw.app.send(Req::delete("/sandbox/journal")).await;
    bw.get("/api/organizations", &token).await.ok();
    let j = bw
        .app
        .get(
            &format!("/sandbox/console/journal?principal={ART}&path=/api/organizations"),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 1, "{j}");
    assert_eq!(j["requests"][0]["principal"], ART);
    assert!(j["requests"][0].get("tokenId").is_none());
    // A password grant carried no token, and is still named.
    bw.login(ART).await;
    let j = bw
        .app
        .get(
            &format!("/sandbox/console/journal?principal={ART}&path=/identity/connect/token"),
            Auth::None,
        )
        .await
        .ok();
    assert_eq!(j["count"], 1, "{j}");
    assert_eq!(j["requests"][0]["principal"], ART);
}

#[actix_web::test]
async fn the_demo_login_is_offered_behind_the_guard() {
    let app = spawn_app().await;
    let d = app.get("/sandbox/console/demo", Auth::None).await.ok();
    assert_eq!(d, json!({"password": PASSWORD, "otp": "000000"}));
    let guarded = spawn_app_with(|c| c.sandbox.admin_key = "k".into()).await;
    assert_eq!(
        guarded
            .get("/sandbox/console/demo", Auth::None)
            .await
            .status,
        401
    );
}
