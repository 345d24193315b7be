//! Refresh tokens rotate on every use; presenting a used one again revokes every token
//! descended from the same login (and only those), answered as Duende answers any refresh
//! token it will not take: 400 `{"error":"invalid_grant"}`.

use serde_json::json;

use crate::bitwarden_support::*;

async fn refresh(bw: &BwApp, token: &str) -> crate::helpers::Resp {
    bw.token(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", "cli"),
    ])
    .await
}

fn next_of(r: &crate::helpers::Resp) -> String {
    r.ok()["refresh_token"].as_str().unwrap().to_string()
}

#[actix_rt::test]
async fn each_refresh_rotates_and_a_reused_token_revokes_its_family() {
    let bw = spawn_bw().await;
    let first = bw.password_login(KRAMER).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let other_login = bw.password_login(KRAMER).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let second = next_of(&refresh(&bw, &first).await);
    assert_ne!(second, first, "a refresh issues a new refresh token");
    let r = refresh(&bw, &second).await;
    let access = r.ok()["access_token"].as_str().unwrap().to_string();
    bw.get("/api/sync", &access).await.ok();
    let third = next_of(&r);

    // The first token again: refused, and the family's live token with it.
    for reused in [&first, &third] {
        let r = refresh(&bw, reused).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.json(), json!({"error": "invalid_grant"}));
    }
    // Another login's family is left alone.
    let r = refresh(&bw, &other_login).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        bw.app.count(
            "SELECT count(*) FROM bw_refresh_tokens WHERE consumed_at IS NULL AND user_id =
             (SELECT id FROM bw_users WHERE email = 'kramer@vandelay.test')"
        ),
        1,
        "only the other login's successor is live"
    );
}

#[actix_rt::test]
async fn one_refresh_token_refreshes_once() {
    let bw = spawn_bw().await;
    let token = bw.password_login(ART).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(refresh(&bw, &token).await.status, 200);
    for _ in 0..2 {
        let r = refresh(&bw, &token).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.json()["error"], "invalid_grant");
    }
}
