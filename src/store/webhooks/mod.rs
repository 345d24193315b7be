//! Webhooks and their signing secrets. The notifications they are sent, with every delivery
//! attempt, are in `notifications`.

pub mod notifications;

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::auth::seal::ServerKey;
use crate::domain::error::{Error, Result};
use crate::domain::webhook::secret_context;

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRow {
    /// 32-hex id.
    pub id: String,
    /// `wallet`, `enterprise` or `organization`.
    pub scope: String,
    /// The wallet, enterprise or organization it watches.
    pub owner_id: String,
    /// The enterprise whose secret signs its deliveries (none for an organization webhook).
    pub enterprise_id: Option<String>,
    /// The organization whose secret signs them when the enterprise has none.
    pub organization_id: Option<String>,
    /// The coin it was registered under, if any.
    pub coin: Option<String>,
    /// BitGo's webhook type.
    pub webhook_type: String,
    /// Where deliveries go.
    pub url: String,
    /// Its label.
    pub label: Option<String>,
    /// Confirmations before a transfer's confirmed notification.
    pub num_confirmations: i64,
    /// How long after a transfer's first confirmation it hears of it, ms.
    pub confirm_delay_ms: i64,
    /// Token transfers too (needed for Go Accounts).
    pub all_token: bool,
    /// Failed (rejected) transfers too.
    pub listen_to_failure_states: bool,
    /// `customHttpHeaders`, as a JSON object text.
    pub custom_headers: Option<String>,
    /// Who added it.
    pub created_by: String,
    /// When, ms.
    pub created_at: i64,
    /// The last delivery attempt, ms (sandbox clock).
    pub last_attempt_at: Option<i64>,
    /// Since when every attempt failed, ms.
    pub failing_since: Option<i64>,
    /// Failed attempts since the last success.
    pub successive_failed_attempts: i64,
}

const COLUMNS: &str = "id, scope, owner_id, enterprise_id, organization_id, coin, type, url, \
    label, num_confirmations, confirm_delay_ms, all_token, listen_to_failure_states, custom_headers, created_by, \
    created_at, last_attempt_at, failing_since, successive_failed_attempts";

fn webhook_from(r: &Row<'_>) -> rusqlite::Result<WebhookRow> {
    Ok(WebhookRow {
        id: r.get(0)?,
        scope: r.get(1)?,
        owner_id: r.get(2)?,
        enterprise_id: r.get(3)?,
        organization_id: r.get(4)?,
        coin: r.get(5)?,
        webhook_type: r.get(6)?,
        url: r.get(7)?,
        label: r.get(8)?,
        num_confirmations: r.get(9)?,
        confirm_delay_ms: r.get(10)?,
        all_token: r.get(11)?,
        listen_to_failure_states: r.get(12)?,
        custom_headers: r.get(13)?,
        created_by: r.get(14)?,
        created_at: r.get(15)?,
        last_attempt_at: r.get(16)?,
        failing_since: r.get(17)?,
        successive_failed_attempts: r.get(18)?,
    })
}

/// Stores a webhook (a duplicate of scope, owner, type and URL is a conflict).
pub fn insert(conn: &Connection, w: &WebhookRow) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO webhooks ({COLUMNS}) VALUES
         (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"
    ))?
    .execute(params![
        w.id,
        w.scope,
        w.owner_id,
        w.enterprise_id,
        w.organization_id,
        w.coin,
        w.webhook_type,
        w.url,
        w.label,
        w.num_confirmations,
        w.confirm_delay_ms,
        w.all_token,
        w.listen_to_failure_states,
        w.custom_headers,
        w.created_by,
        w.created_at,
        w.last_attempt_at,
        w.failing_since,
        w.successive_failed_attempts
    ])?;
    Ok(())
}

/// A webhook by id.
pub fn find(conn: &Connection, id: &str) -> Result<Option<WebhookRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM webhooks WHERE id = ?1"))?
        .query_row([id], webhook_from)
        .optional()?)
}

/// The webhooks of one owner (of `webhook_type` when given), oldest first.
pub fn list_for_owner(
    conn: &Connection,
    scope: &str,
    owner_id: &str,
    webhook_type: Option<&str>,
) -> Result<Vec<WebhookRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM webhooks WHERE scope = ?1 AND owner_id = ?2
           AND (?3 IS NULL OR type = ?3) ORDER BY created_at, id"
    ))?;
    let rows = stmt
        .query_map(params![scope, owner_id, webhook_type], webhook_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every webhook of `scope` on one of `owner_ids` that listens to `webhook_type`: who hears
/// of an event.
pub fn listening(
    conn: &Connection,
    scope: &str,
    owner_id: &str,
    webhook_type: &str,
) -> Result<Vec<WebhookRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM webhooks WHERE owner_id = ?2 AND type = ?3 AND scope = ?1
         ORDER BY created_at, id"
    ))?;
    let rows = stmt
        .query_map(params![scope, owner_id, webhook_type], webhook_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Deletes a webhook (its notifications go with it); whether it existed.
pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM webhooks WHERE id = ?1", [id])? == 1)
}

/// Every webhook (for the console), newest first, at most `limit`.
pub fn list_all(conn: &Connection, limit: usize) -> Result<Vec<WebhookRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM webhooks ORDER BY created_at DESC, id DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit as i64], webhook_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Notes an attempt on its webhook: when, and whether it failed (the failure streak).
pub fn note_attempt(conn: &Connection, id: &str, at: i64, failed: bool) -> Result<()> {
    conn.prepare_cached(
        "UPDATE webhooks SET last_attempt_at = ?2,
           failing_since = CASE WHEN ?3 THEN COALESCE(failing_since, ?2) ELSE NULL END,
           successive_failed_attempts = CASE WHEN ?3 THEN successive_failed_attempts + 1 ELSE 0 END
         WHERE id = ?1",
    )?
    .execute(params![id, at, failed])?;
    Ok(())
}

/// An enterprise's or organization's webhook secret, sealed, with when it was made.
#[derive(Debug, Clone)]
pub struct SecretRow {
    /// The enterprise or organization.
    pub owner_id: String,
    /// The secret, sealed with the server key.
    pub sealed: Vec<u8>,
    /// When it was made, ms.
    pub created_at: i64,
}

/// Stores (or rotates) the webhook secret of an enterprise or organization.
pub fn put_secret(
    conn: &Connection,
    owner_id: &str,
    scope: &str,
    sealed: &[u8],
    created_by: &str,
    now_ms: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO webhook_secrets (owner_id, scope, sealed_secret, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (owner_id) DO UPDATE SET sealed_secret = ?3, created_by = ?4, created_at = ?5",
    )?
    .execute(params![owner_id, scope, sealed, created_by, now_ms])?;
    Ok(())
}

/// The secret that signs for a webhook: its enterprise's, else its organization's.
pub fn signing_secret(
    conn: &Connection,
    enterprise_id: Option<&str>,
    organization_id: Option<&str>,
) -> Result<Option<SecretRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT owner_id, sealed_secret, created_at FROM webhook_secrets
             WHERE owner_id IN (?1, ?2) ORDER BY owner_id = ?1 DESC LIMIT 1",
        )?
        .query_row(params![enterprise_id, organization_id], |r| {
            Ok(SecretRow {
                owner_id: r.get(0)?,
                sealed: r.get(1)?,
                created_at: r.get(2)?,
            })
        })
        .optional()?)
}

/// The raw secret that signs for a webhook of `enterprise_id` / `organization_id` (see
/// [`signing_secret`]), opened with the server key; `None` when neither has one.
pub fn open_signing_secret(
    conn: &Connection,
    key: &ServerKey,
    enterprise_id: Option<&str>,
    organization_id: Option<&str>,
) -> Result<Option<Vec<u8>>> {
    let Some(s) = signing_secret(conn, enterprise_id, organization_id)? else {
        return Ok(None);
    };
    key.open(&s.sealed, &secret_context(&s.owner_id))
        .map(Some)
        .ok_or_else(|| {
            Error::Internal(format!(
                "the webhook secret of {} does not open under this server key",
                s.owner_id
            ))
        })
}
