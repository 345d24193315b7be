//! `GET /sandbox/console/tokens`: every usable or expired long-lived token and every live login
//! session of the sandbox, per user, with label, scopes, IP restriction, expiry (against the
//! sandbox clock) and last use (from the journal). Never the token itself.

use std::collections::HashMap;

use actix_web::HttpResponse;
use serde_json::json;

use crate::control::{Admin, ControlError};
use crate::sandbox::journal::JournalFilter;
use crate::store::{console, users};

/// At most this many tokens are listed.
const MAX_TOKENS: usize = 500;
/// How far back the journal is read for last use.
const JOURNAL_WINDOW: usize = 100_000;

/// `GET /sandbox/console/tokens`: `{now, tokens: [{id, user, kind, label, scopes, ipRestrict,
/// createdAt, expiresAt, expired, lastUsedAt}]}`, newest first (times in ms).
pub async fn list_tokens(admin: Admin) -> Result<HttpResponse, ControlError> {
    let now = admin.sandbox.clock.now_ms();
    let rows = admin
        .sandbox
        .store
        .read(move |conn| {
            let rows = console::tokens(conn, now, MAX_TOKENS)?;
            let mut names = HashMap::new();
            for t in &rows {
                if !names.contains_key(&t.user_id) {
                    let name = users::username_or_id(conn, &t.user_id)?;
                    names.insert(t.user_id.clone(), name);
                }
            }
            Ok((rows, names))
        })
        .await?;
    let (rows, names) = rows;
    let mut last_use: HashMap<String, i64> = HashMap::new();
    for e in admin
        .sandbox
        .journal
        .query(&JournalFilter::default(), JOURNAL_WINDOW)
        .requests
    {
        if let Some(id) = e.token_id {
            let at = last_use.entry(id).or_insert(e.at_ms);
            *at = (*at).max(e.at_ms);
        }
    }
    let tokens: Vec<_> = rows
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "userId": t.user_id,
                "user": names.get(&t.user_id),
                "kind": t.kind.as_str(),
                "label": t.label,
                "scopes": t.scope.names(),
                "ipRestrict": t.ip_restrict.entries(),
                "enterprise": t.enterprise_id,
                "createdAt": t.created_at,
                "expiresAt": t.expires_at,
                "expired": t.expires_at <= now,
                "lastUsedAt": last_use.get(&t.id),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "now": now, "tokens": tokens })))
}
