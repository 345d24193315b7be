//! Invitation accept pages, the link in an invitation mail: `GET /sandbox/invitations/{token}`
//! shows a small form whose script posts `{password}` as JSON; that `POST` sets the invitee's
//! password, after which they log in as any user does.

use actix_web::http::{header, StatusCode};
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::json;

use crate::auth::password;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
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

/// The accept form's script: it posts `{password}` as JSON to the page's own address (a plain
/// form post is a request any web page can send, which the control plane refuses) and says
/// what came back.
const ACCEPT_SCRIPT: &str = r#"
document.getElementById('accept').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const out = document.getElementById('result');
  const res = await fetch(location.pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: form.elements.password.value }),
  });
  const reply = await res.json().catch(() => ({}));
  if (res.ok) {
    form.remove();
    out.textContent = 'Invitation accepted: log in as ' + reply.username +
      ' with POST /api/v2/user/login or the SDK\'s authenticate.';
  } else {
    out.textContent = reply.error || (res.status + ' ' + res.statusText);
  }
});
"#;

fn page(title: &str, body: &str) -> HttpResponse {
    use base64::Engine;
    let script_hash = base64::engine::general_purpose::STANDARD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        ACCEPT_SCRIPT.as_bytes(),
    ));
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            format!(
                "default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; \
                 connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            ),
        ))
        .body(format!(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\">{body}\
             <p id=\"result\" role=\"status\"></p><script>{ACCEPT_SCRIPT}</script></body></html>\n",
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
             <form id=\"accept\" method=\"post\"><label>Password <input type=\"password\" name=\"password\" \
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

/// `POST /sandbox/invitations/{token}` `{password}` (JSON, also from the page's script): sets
/// the password and closes the invitation: `{accepted, userId, username}`.
pub async fn accept_invitation(
    admin: Admin,
    token: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ControlError> {
    let token = token.into_inner();
    // The same-site rules let only JSON through to here (see `control::site`).
    let parsed: AcceptBody = crate::control::body::json(&body)?;
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
        .write(move |conn| -> crate::domain::error::Result<_> {
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
    Ok(HttpResponse::Ok().json(json!({"accepted": true, "userId": user_id, "username": email})))
}
