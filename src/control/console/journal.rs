//! `GET /sandbox/console/journal`: the journal as the console shows it. The parameters are
//! those of `/sandbox/journal` (filters, `before` to page back, `limit`), except that
//! `principal` may also be a login email; each entry names who made it (`principal`).

use std::collections::{BTreeSet, HashMap};

use actix_web::{HttpRequest, HttpResponse};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use crate::control::journal::{query_journal, query_of};
use crate::control::{Admin, ControlError};
use crate::domain::error::Result;
use crate::sandbox::journal::JournalEntry;
use crate::store::{bitwarden, users};

/// `GET /sandbox/console/journal`: `{requests: [{seq, ..., principal}], count, held, dropped,
/// capacity}`, newest first.
pub async fn list_journal(admin: Admin, req: HttpRequest) -> Result<HttpResponse, ControlError> {
    let (mut filter, limit) = query_of(&req)?;
    if let Some(email) = filter.principal.clone().filter(|p| p.contains('@')) {
        let id = admin
            .sandbox
            .store
            .read(move |conn| user_id_of_email(conn, &email))
            .await?;
        // An email nobody has matches nothing, as an unknown id does.
        if let Some(id) = id {
            filter.principal = Some(id);
        }
    }
    let page = query_journal(&admin.sandbox, filter, limit).await?;
    let ids: BTreeSet<String> = page
        .requests
        .iter()
        .filter_map(|e| e.user_id.clone())
        .collect();
    let names = admin
        .sandbox
        .store
        .read(move |conn| names_of(conn, ids))
        .await?;
    let requests: Vec<Named<'_>> = page
        .requests
        .iter()
        .map(|entry| Named {
            entry,
            principal: entry
                .user_id
                .as_ref()
                .and_then(|id| names.get(id))
                .map(String::as_str),
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "requests": requests,
        "count": page.count,
        "held": page.held,
        "dropped": page.dropped,
        "capacity": page.capacity,
    })))
}

/// A journal entry with the login name of its user.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(flatten)]
    entry: &'a JournalEntry,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<&'a str>,
}

/// The BitGo user, or else the Bitwarden user, logging in with `email`.
fn user_id_of_email(conn: &Connection, email: &str) -> Result<Option<String>> {
    if let Some(u) = users::find_by_username(conn, email)? {
        return Ok(Some(u.id));
    }
    Ok(bitwarden::users::find_by_email(conn, email)?.map(|u| u.id))
}

/// Login names of `ids` (BitGo users, then Bitwarden users); ids of nobody are left out.
fn names_of(conn: &Connection, ids: BTreeSet<String>) -> Result<HashMap<String, String>> {
    let mut names = HashMap::new();
    for id in ids {
        let name = match users::find_by_id(conn, &id)? {
            Some(u) => Some(u.username),
            None => bitwarden::users::find(conn, &id)?.map(|u| u.email),
        };
        if let Some(name) = name {
            names.insert(id, name);
        }
    }
    Ok(names)
}
