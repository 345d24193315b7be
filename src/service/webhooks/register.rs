//! Adding and removing webhooks, inside the caller's write transaction: BitGo's type, a URL the
//! sandbox may deliver to, `numConfirmations` in range, no duplicate, at most ten of a type on a
//! wallet; the checks and the insert cannot interleave with another registration.

use rusqlite::Connection;

use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::webhook::target::AllowList;
use crate::domain::webhook::{self, Scope, MAX_PER_OWNER, MAX_PER_TYPE};
use crate::store::webhooks::{self, WebhookRow};

/// What a registration asks for.
#[derive(Debug, Clone)]
pub struct Registration {
    /// Wallet, enterprise or organization.
    pub scope: Scope,
    /// Its id.
    pub owner_id: String,
    /// The enterprise whose secret signs (the wallet's, or the enterprise itself).
    pub enterprise_id: Option<String>,
    /// The organization whose secret signs when the enterprise has none.
    pub organization_id: Option<String>,
    /// The coin it is registered under, if any.
    pub coin: Option<String>,
    /// Whether the wallet is a Go Account (a trading wallet).
    pub go_account: bool,
    /// BitGo's type.
    pub webhook_type: String,
    /// Where deliveries go.
    pub url: String,
    /// Its label.
    pub label: Option<String>,
    /// Confirmations before a transfer's confirmed notification.
    pub num_confirmations: i64,
    /// Token transfers too.
    pub all_token: bool,
    /// Rejected transfers too.
    pub listen_to_failure_states: bool,
    /// `customHttpHeaders`.
    pub custom_headers: Vec<(String, String)>,
    /// Who adds it.
    pub created_by: String,
    /// Now, ms.
    pub now_ms: i64,
    /// One block of the sandbox clock, ms (`[money] block_seconds`).
    pub block_ms: i64,
}

/// Checks a registration and stores the webhook. Every refusal is a 400 naming its rule, and
/// writes nothing.
pub fn add(conn: &Connection, r: &Registration, allow: &AllowList) -> Result<WebhookRow> {
    webhook::check_type(r.scope, &r.webhook_type)?;
    allow.check(&r.url)?;
    webhook::check_num_confirmations(r.num_confirmations)?;
    if let Some(label) = &r.label {
        webhook::check_label(label)?;
    }
    webhook::check_custom_headers(&r.custom_headers)?;
    if r.go_account
        && r.webhook_type == "transfer"
        && r.coin.as_deref() == Some("ofc")
        && !r.all_token
    {
        return Err(Error::Invalid(
            "allToken must be true for a transfer webhook on a Go Account under the ofc coin \
             (BitGo: \"Must be set to true to receive webhooks for Trade accounts\"); or add it \
             under one asset's coin, e.g. /api/v2/ofctbtc/wallet/{id}/webhooks"
                .into(),
        ));
    }
    let existing = webhooks::list_for_owner(conn, r.scope.as_str(), &r.owner_id, None)?;
    if existing
        .iter()
        .any(|w| w.webhook_type == r.webhook_type && w.url == r.url)
    {
        return Err(Error::Invalid(format!(
            "a {} webhook to {} already exists on this {}",
            r.webhook_type,
            r.url,
            r.scope.as_str()
        )));
    }
    let of_type = existing
        .iter()
        .filter(|w| w.webhook_type == r.webhook_type)
        .count();
    if r.scope == Scope::Wallet && of_type >= MAX_PER_TYPE {
        return Err(Error::Invalid(format!(
            "a wallet can have at most {MAX_PER_TYPE} webhooks of each type; remove one first"
        )));
    }
    if existing.len() >= MAX_PER_OWNER {
        return Err(Error::Invalid(format!(
            "at most {MAX_PER_OWNER} webhooks per {}; remove one first",
            r.scope.as_str()
        )));
    }
    let headers = (!r.custom_headers.is_empty()).then(|| {
        serde_json::Value::Object(
            r.custom_headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect(),
        )
        .to_string()
    });
    let row = WebhookRow {
        id: new_id(r.now_ms),
        scope: r.scope.as_str().into(),
        owner_id: r.owner_id.clone(),
        enterprise_id: r.enterprise_id.clone(),
        organization_id: r.organization_id.clone(),
        coin: r.coin.clone(),
        webhook_type: r.webhook_type.clone(),
        url: r.url.clone(),
        label: r.label.clone(),
        num_confirmations: r.num_confirmations,
        confirm_delay_ms: (r.num_confirmations.max(1) - 1).saturating_mul(r.block_ms.max(0)),
        all_token: r.all_token,
        listen_to_failure_states: r.listen_to_failure_states,
        custom_headers: headers,
        created_by: r.created_by.clone(),
        created_at: r.now_ms,
        last_attempt_at: None,
        failing_since: None,
        successive_failed_attempts: 0,
    };
    webhooks::insert(conn, &row)?;
    Ok(row)
}

/// How a wallet webhook to remove is named: by id, or by type and URL (what the SDK sends).
#[derive(Debug, Clone)]
pub enum Removal {
    /// `{id}`.
    Id(String),
    /// `{type, url}`.
    TypeAndUrl(String, String),
}

/// Removes a wallet's webhooks named by `removal`; how many went.
pub fn remove_from_wallet(conn: &Connection, wallet_id: &str, removal: &Removal) -> Result<usize> {
    let mut removed = 0;
    for w in webhooks::list_for_owner(conn, "wallet", wallet_id, None)? {
        let named = match removal {
            Removal::Id(id) => w.id == *id,
            Removal::TypeAndUrl(t, u) => w.webhook_type == *t && w.url == *u,
        };
        if named && webhooks::delete(conn, &w.id)? {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The webhook `id` of one owner; another owner's, or none, is a 404.
pub fn find_owned(conn: &Connection, scope: Scope, owner_id: &str, id: &str) -> Result<WebhookRow> {
    webhooks::find(conn, &id.to_ascii_lowercase())?
        .filter(|w| w.scope == scope.as_str() && w.owner_id == owner_id)
        .ok_or_else(|| Error::NotFound(format!("webhook {id} not found")))
}
