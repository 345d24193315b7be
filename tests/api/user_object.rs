//! The user object of `GET /user/me`, pinned byte for byte: the demo users and a seeded user
//! with several enterprises and organizations (their order, names that need escaping, every
//! permission and role), so that a change in how the profile is loaded cannot change a byte.
//!
//! The expected bodies live in `tests/fixtures/user_me.golden`, one `case body` line each.
//! Times that differ from run to run (the demo world's creation, a login) are replaced by
//! `<created>` and `<lastLogin>` before comparing. `UPDATE_GOLDEN=1` rewrites the file from
//! what the server answers (then read the diff before committing it).

use crate::helpers::*;

const GOLDEN_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/user_me.golden");

/// Users of every shape: several enterprises and organizations listed in an order that is not
/// their id order, names with quotes and non-ASCII letters, none at all, only one kind.
const FIXTURE: &str = r#"
seed = 15

[[organizations]]
key = "zeta"
name = "Zeta \"Quoted\" Holdings"

[[organizations]]
key = "alpha"
name = "Älpha Øre"

[[organizations]]
key = "mid"
name = "Mid Org"

[[enterprises]]
key = "e-one"
name = "One \\ Backslash"
organization = "zeta"
kyc_state = "pending"

[[enterprises]]
key = "e-two"
name = "Two ✓"

[[enterprises]]
key = "e-three"
name = "Three"
business_model = "bitgoAsAService"
kyc_state = "rejected"

[[users]]
email = "many@multi.test"
first_name = "Ma\"ny"
last_name = "Ünicode"
enterprises = { e-one = ["auditor", "admin", "wallet.create"], e-two = ["member"], e-three = ["admin"] }
organizations = { zeta = "admin", alpha = "serviceUser", mid = "customer" }

[[users]]
email = "none@multi.test"
first_name = "No"
last_name = "Body"

[[users]]
email = "orgonly@multi.test"
organizations = { mid = "member" }

[[users]]
email = "entonly@multi.test"
enterprises = { e-two = ["auditor"] }

[[tokens]]
user = "many@multi.test"
token = "user-me-golden-many-0123456789"
scope = ["profile"]

[[tokens]]
user = "none@multi.test"
token = "user-me-golden-none-0123456789"
scope = ["profile"]

[[tokens]]
user = "orgonly@multi.test"
token = "user-me-golden-orgonly-0123456789"
scope = ["profile"]

[[tokens]]
user = "entonly@multi.test"
token = "user-me-golden-entonly-0123456789"
scope = ["profile"]
"#;

/// `body` with the run's creation and last-login times replaced by placeholders.
fn normalized(body: &[u8]) -> String {
    let text = String::from_utf8(body.to_vec()).expect("UTF-8 body");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON body");
    let mut text = text;
    if let Some(last) = value["user"]["lastLogin"].as_str() {
        text = text.replace(
            &format!("\"lastLogin\":\"{last}\""),
            "\"lastLogin\":\"<lastLogin>\"",
        );
    }
    let created = value["user"]["agreements"]["termsOfUseAcceptanceDate"]
        .as_str()
        .expect("a creation date");
    text.replace(&format!("\"{created}\""), "\"<created>\"")
}

/// Every case's body as served over `/api/v2/user/me`, after checking that the v1 route, the
/// signed request and `/user/{id}` serve the same bytes.
async fn served(app: &TestApp) -> Vec<(String, String)> {
    app.send(Req::post("/sandbox/seed").raw(FIXTURE.as_bytes(), "application/toml"))
        .await
        .ok();
    let mut callers: Vec<(String, String)> = Vec::new();
    for email in [BRENNAN, DALE, SERVICE, CHAZZ] {
        callers.push((email.to_string(), app.login(email).await));
    }
    for name in ["many", "none", "orgonly", "entonly"] {
        callers.push((
            format!("{name}@multi.test"),
            format!("user-me-golden-{name}-0123456789"),
        ));
    }
    let mut out = Vec::new();
    for (email, token) in callers {
        let me = app.get("/api/v2/user/me", Auth::Raw(token.clone())).await;
        assert_eq!(me.status, 200, "{email}");
        let id = me.json()["user"]["id"].as_str().unwrap().to_string();
        for other in [
            app.get("/api/v1/user/me", Auth::Raw(token.clone())).await,
            app.get("/api/v2/user/me", Auth::V2(token.clone())).await,
            app.get(&format!("/api/v2/user/{id}"), Auth::Raw(token.clone()))
                .await,
        ] {
            assert_eq!(other.status, 200, "{email}");
            assert_eq!(other.body, me.body, "{email}: the routes disagree");
        }
        out.push((email, normalized(&me.body)));
    }
    out
}

#[actix_web::test]
async fn the_user_object_is_byte_for_byte_what_it_was() {
    let app = spawn_app().await;
    let cases = served(&app).await;
    let lines: String = cases
        .iter()
        .map(|(case, body)| format!("{case} {body}\n"))
        .collect();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN_PATH, &lines).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN_PATH).expect("the golden file");
    for (want, got) in golden.lines().zip(lines.lines()) {
        let case = want.split(' ').next().unwrap_or("");
        assert_eq!(got, want, "{case}: /user/me changed");
    }
    assert_eq!(lines.lines().count(), golden.lines().count());
}
