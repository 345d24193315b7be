//! Webhook secrets: `POST /api/v2/webhook/secret` makes (or rotates) the secret of an
//! enterprise or organization, kept sealed under the server key; every delivery to their
//! webhooks carries `X-Signature-SHA256`, the HMAC-SHA256 of its body under it, and
//! `POST /api/v2/webhook/{id}/verify` checks one.

use rusqlite::Connection;

use crate::auth::seal::ServerKey;
use crate::auth::signing::verify_hex;
use crate::domain::error::{Error, Result};
use crate::domain::ids::random_hex;
use crate::domain::webhook::{may_rotate_secret, secret_context, Scope};
use crate::store::webhooks::{self, WebhookRow};

/// Makes a new secret for an enterprise or organization (`scope`, `owner_id`), replacing the
/// old one unless it is younger than five minutes; returns it, the only time it is shown.
pub fn create(
    conn: &Connection,
    key: &ServerKey,
    scope: Scope,
    owner_id: &str,
    created_by: &str,
    now_ms: i64,
) -> Result<String> {
    let current = webhooks::signing_secret(conn, Some(owner_id), None)?;
    may_rotate_secret(current.map(|s| s.created_at), now_ms)?;
    let secret = random_hex(32);
    let sealed = key.seal(secret.as_bytes(), &secret_context(owner_id));
    webhooks::put_secret(conn, owner_id, scope.as_str(), &sealed, created_by, now_ms)?;
    Ok(secret)
}

/// Whether `signature` (hex) is the HMAC-SHA256 of `payload` under the secret that signs
/// `w`'s deliveries. With no secret there is nothing to check against: a 400 saying how to
/// make one.
pub fn verify(
    conn: &Connection,
    key: &ServerKey,
    w: &WebhookRow,
    signature: &str,
    payload: &str,
) -> Result<bool> {
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Invalid(
            "signature must be the 64 hex characters of X-Signature-SHA256".into(),
        ));
    }
    let secret = webhooks::open_signing_secret(
        conn,
        key,
        w.enterprise_id.as_deref(),
        w.organization_id.as_deref(),
    )?
    .ok_or_else(|| {
        Error::Invalid(
            "this webhook's enterprise (or organization) has no webhook secret: create one with \
             POST /api/v2/webhook/secret"
                .into(),
        )
    })?;
    Ok(verify_hex(
        &secret,
        payload.as_bytes(),
        &signature.to_ascii_lowercase(),
    ))
}
