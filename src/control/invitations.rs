//! Invitation accept pages, the link in an invitation mail: `GET /sandbox/invitations/{token}`
//! shows a small form; `POST` with `{password}` (JSON or a form) sets the invitee's password,
//! after which they log in as any user does.

use actix_web::http::{header, StatusCode};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::auth::password;
use crate::control::{Admin, ControlError};
use crate::error::Error;
use crate::store::{invitations, users};

/// Shortest password accepted.
const MIN_PASSWORD: usize = 8;
/// Longest password accepted.
const MAX_PASSWORD: usize = 256;

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(format!(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\">{body}</body></html>\n",
            escape_html(title)
        ))
}

fn expired() -> ControlError {
    ControlError::new(
        StatusCode::GONE,
        "invitation_expired",
        "this invitation has expired; ask an admin to add you again",
    )
}

/// The open invitation for `token`: `(invitation id, user id, email)`; a 404 when unknown or
/// already used, a 410 when expired.
fn open_invitation(
    conn: &rusqlite::Connection,
    token: &str,
    now_ms: i64,
) -> Result<(String, String, String), ControlError> {
    let (invitation, user_id, expires_at) =
        invitations::find_open(conn, token)?.ok_or_else(|| {
            Error::NotFound(
                "no open invitation for this link (unknown, or already accepted)".into(),
            )
        })?;
    if expires_at <= now_ms {
        return Err(expired());
    }
    let user = users::find_by_id(conn, &user_id)?
        .ok_or_else(|| Error::Internal(format!("invitation {invitation} has no user")))?;
    Ok((invitation, user_id, user.username))
}

/// `GET /sandbox/invitations/{token}`: the accept form.
pub async fn show_invitation(
    admin: Admin,
    token: web::Path<String>,
) -> Result<HttpResponse, ControlError> {
    let token = token.into_inner();
    let now = admin.sandbox.clock.now_ms();
    let (_, _, email) = admin
        .sandbox
        .store
        .read(move |conn| Ok(open_invitation(conn, &token, now)))
        .await??;
    Ok(page(
        "Accept your invitation",
        &format!(
            "<h1>Welcome to BitGo (orgbox sandbox)</h1>\
             <p>Set a password for <strong>{}</strong> to accept the invitation.</p>\
             <form method=\"post\"><label>Password <input type=\"password\" name=\"password\" \
             minlength=\"{MIN_PASSWORD}\" required autofocus></label> \
             <button type=\"submit\">Accept</button></form>",
            escape_html(&email)
        ),
    ))
}

#[derive(Debug, Deserialize)]
struct AcceptBody {
    password: Option<String>,
}

/// `POST /sandbox/invitations/{token}` `{password}` (JSON, or a form from the page): sets the
/// password and closes the invitation. JSON gets `{accepted, userId, username}`; the form an
/// HTML page.
pub async fn accept_invitation(
    admin: Admin,
    req: HttpRequest,
    token: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let token = token.into_inner();
    let mime = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let form = mime == "application/x-www-form-urlencoded";
    let parsed: AcceptBody = if form {
        let text = std::str::from_utf8(&body)
            .map_err(|_| Error::Invalid("the form is not UTF-8".into()))?;
        web::Query::<AcceptBody>::from_query(text)
            .map_err(|e| Error::Invalid(format!("invalid form: {e}")))?
            .into_inner()
    } else if mime == "application/json" || mime.ends_with("+json") || mime.is_empty() {
        serde_json::from_slice(&body).map_err(|e| Error::MalformedJson(e.to_string()))?
    } else {
        return Err(Error::UnsupportedMediaType(mime).into());
    };
    let password_text = parsed
        .password
        .ok_or_else(|| Error::Invalid("password is required".into()))?;
    let length = password_text.chars().count();
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&length) {
        return Err(Error::Invalid(format!(
            "password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters"
        ))
        .into());
    }
    let now = admin.sandbox.clock.now_ms();
    let lookup = token.clone();
    let (_, _, email) = admin
        .sandbox
        .store
        .read(move |conn| Ok(open_invitation(conn, &lookup, now)))
        .await??;
    let iterations = admin.state.auth.pbkdf2_iterations;
    let hash_email = email.clone();
    // PBKDF2 on the password threads, never on the pool that serves store reads.
    let hash = admin
        .state
        .password_workers
        .run(move || password::hash_for_storage(&hash_email, &password_text, iterations))
        .await?;
    let user_id = admin
        .sandbox
        .store
        .write(move |conn| {
            // Checked again inside the write: of two accepts at once, one sets the password.
            Ok(match open_invitation(conn, &token, now) {
                Ok((invitation, user_id, _)) => {
                    invitations::accept(conn, &invitation, &user_id, &hash, now)?;
                    Ok(user_id)
                }
                Err(refused) => Err(refused),
            })
        })
        .await??;
    if form {
        return Ok(page(
            "Invitation accepted",
            &format!(
                "<h1>Invitation accepted</h1><p>Your password is set. Log in as <strong>{}</strong> \
                 with <code>POST /api/v2/user/login</code> or the SDK's <code>authenticate</code>.</p>",
                escape_html(&email)
            ),
        ));
    }
    Ok(HttpResponse::Ok().json(json!({"accepted": true, "userId": user_id, "username": email})))
}
