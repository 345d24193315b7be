//! Reporting state changes to the webhooks that listen: each `report_*` runs inside the
//! caller's write transaction, right after the change, and writes one notification per
//! listening webhook and state (a webhook is told of a state once: the notification's event
//! key is unique per webhook). The worker pool delivers them after commit; a change that
//! rolls back takes its notifications with it.

use rusqlite::Connection;
use serde_json::Value;

use crate::domain::error::Result;
use crate::domain::ids::new_id;
use crate::service::webhooks::payload;
use crate::store::addresses::AddressRow;
use crate::store::approvals::ApprovalRow;
use crate::store::orders::OrderRow;
use crate::store::tokens::TokenRow;
use crate::store::transfers::{self, TransferRow};
use crate::store::webhooks::notifications::{self, NewNotification};
use crate::store::webhooks::{self, WebhookRow};
use crate::store::{enterprises, organizations, users, wallets};

/// Whose webhooks hear of an event: a wallet's, some enterprises', some organizations'.
#[derive(Debug, Clone, Default)]
pub struct Audience {
    /// The wallet it happened on.
    pub wallet_id: Option<String>,
    /// The enterprises it concerns.
    pub enterprise_ids: Vec<String>,
    /// The organizations it concerns.
    pub organization_ids: Vec<String>,
}

impl Audience {
    /// A wallet, its enterprise and that enterprise's organization.
    pub fn of_wallet(conn: &Connection, wallet_id: &str) -> Result<Audience> {
        let mut a = Audience {
            wallet_id: Some(wallet_id.to_string()),
            ..Audience::default()
        };
        if let Some(w) = wallets::find(conn, wallet_id)? {
            a.add_enterprise(conn, &w.enterprise_id)?;
        }
        Ok(a)
    }

    /// Adds an enterprise and its organization.
    pub fn add_enterprise(&mut self, conn: &Connection, enterprise_id: &str) -> Result<()> {
        if !self.enterprise_ids.iter().any(|e| e == enterprise_id) {
            self.enterprise_ids.push(enterprise_id.to_string());
        }
        if let Some(o) =
            enterprises::find_by_id(conn, enterprise_id)?.and_then(|e| e.organization_id)
        {
            self.add_organization(&o);
        }
        Ok(())
    }

    /// Adds an organization.
    pub fn add_organization(&mut self, organization_id: &str) {
        if !self.organization_ids.iter().any(|o| o == organization_id) {
            self.organization_ids.push(organization_id.to_string());
        }
    }

    /// The organization to name in a payload (the first).
    pub fn organization(&self) -> Option<&str> {
        self.organization_ids.first().map(String::as_str)
    }

    /// Every webhook of `webhook_type` the audience has, wallet ones first.
    pub fn listeners(&self, conn: &Connection, webhook_type: &str) -> Result<Vec<WebhookRow>> {
        let mut out = Vec::new();
        if let Some(w) = &self.wallet_id {
            out.extend(webhooks::listening(conn, "wallet", w, webhook_type)?);
        }
        for e in &self.enterprise_ids {
            out.extend(webhooks::listening(conn, "enterprise", e, webhook_type)?);
        }
        for o in &self.organization_ids {
            out.extend(webhooks::listening(conn, "organization", o, webhook_type)?);
        }
        Ok(out)
    }
}

/// What a notification says, before it is addressed to a webhook.
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// The state change (`transfer:<id>:confirmed`).
    pub key: String,
    /// The body.
    pub payload: Value,
    /// When it happens (sandbox clock, ms).
    pub at: i64,
    /// The wallet it concerns.
    pub wallet_id: Option<String>,
    /// The enterprise it concerns.
    pub enterprise_id: Option<String>,
    /// The organization it concerns.
    pub organization_id: Option<String>,
    /// Its coin.
    pub coin: Option<String>,
    /// The transfer it reports.
    pub transfer_id: Option<String>,
    /// The pending approval it reports.
    pub pending_approval_id: Option<String>,
    /// A transaction hash.
    pub hash: Option<String>,
    /// Made by a simulate call (never deduplicated).
    pub simulation: bool,
}

/// Writes `event` as a notification to webhook `w`, at `now_ms`: its id, or `None` when the
/// webhook already had it.
pub fn enqueue(
    conn: &Connection,
    w: &WebhookRow,
    event: &Event,
    now_ms: i64,
) -> Result<Option<String>> {
    let id = new_id(now_ms);
    let written = notifications::insert(
        conn,
        &NewNotification {
            id: id.clone(),
            webhook_id: w.id.clone(),
            webhook_type: w.webhook_type.clone(),
            event_key: event.key.clone(),
            wallet_id: event.wallet_id.clone(),
            enterprise_id: event.enterprise_id.clone(),
            organization_id: event.organization_id.clone(),
            coin: event.coin.clone(),
            transfer_id: event.transfer_id.clone(),
            pending_approval_id: event.pending_approval_id.clone(),
            hash: event.hash.clone(),
            payload: event.payload.to_string(),
            signature: None,
            simulation: event.simulation,
            retrigger_of: None,
            event_at: event.at,
            created_at: now_ms,
        },
    )?;
    Ok(written.then_some(id))
}

/// Whether a webhook registered under `coin` hears of `asset`: every asset with no coin or
/// `ofc` (a Go Account's own coin, with `allToken`), else that asset only.
fn hears_coin(w: &WebhookRow, asset: &str) -> bool {
    match w.coin.as_deref() {
        None | Some("ofc") => true,
        Some(c) => c == asset || w.all_token,
    }
}

/// The event of a transfer in `state` at `at`, for webhook `w`.
fn transfer_event(
    t: &TransferRow,
    state: &str,
    at: i64,
    w: &WebhookRow,
    org: Option<&str>,
) -> Event {
    let confirmations = if state == "confirmed" {
        w.num_confirmations.max(1)
    } else {
        0
    };
    Event {
        key: format!("transfer:{}:{state}", t.id),
        payload: payload::transfer(t, state, confirmations, org),
        at,
        wallet_id: Some(t.wallet_id.clone()),
        enterprise_id: Some(t.enterprise_id.clone()),
        organization_id: org.map(str::to_string),
        coin: Some(t.asset.clone()),
        transfer_id: Some(t.id.clone()),
        hash: Some(t.txid.clone()),
        ..Event::default()
    }
}

/// Reports a transfer as it now stands: first seen (`unconfirmed` or `signed`) now and
/// `confirmed` at its settle time (plus each webhook's extra confirmations); `confirmed` now
/// when it is final at once (a book transfer, a wire); `rejected` now, to the webhooks that
/// listen to failures. A transfer waiting for approval is not reported (its approval is).
pub fn report_transfer(conn: &Connection, t: &TransferRow, now_ms: i64) -> Result<()> {
    let audience = Audience::of_wallet(conn, &t.wallet_id)?;
    let org = audience.organization().map(str::to_string);
    for w in audience.listeners(conn, "transfer")? {
        if !hears_coin(&w, &t.asset) {
            continue;
        }
        let states: Vec<(&str, i64)> = match (t.state.as_str(), t.settle_at) {
            ("signed" | "unconfirmed", Some(at)) => vec![
                (t.state.as_str(), now_ms),
                (
                    "confirmed",
                    at.saturating_add(w.confirm_delay_ms).max(now_ms),
                ),
            ],
            ("signed" | "unconfirmed" | "confirmed", _) => vec![(t.state.as_str(), now_ms)],
            ("rejected" | "failed", _) if w.listen_to_failure_states => {
                vec![(t.state.as_str(), now_ms)]
            }
            _ => Vec::new(),
        };
        for (state, at) in states {
            enqueue(
                conn,
                &w,
                &transfer_event(t, state, at, &w, org.as_deref()),
                now_ms,
            )?;
        }
    }
    Ok(())
}

/// [`report_transfer`] of transfer `id` as it now stands.
pub fn report_transfer_id(conn: &Connection, id: &str, now_ms: i64) -> Result<()> {
    match transfers::find(conn, id)? {
        Some(t) => report_transfer(conn, &t, now_ms),
        None => Ok(()),
    }
}

/// Reports a pending approval in its current state (created, or resolved) to its wallet's
/// and its organization's `pendingapproval` webhooks.
pub fn report_approval(conn: &Connection, a: &ApprovalRow, now_ms: i64) -> Result<()> {
    let mut audience = match &a.wallet_id {
        Some(w) => Audience::of_wallet(conn, w)?,
        None => Audience::default(),
    };
    if let Some(e) = &a.enterprise_id {
        audience.add_enterprise(conn, e)?;
    }
    if let Some(o) = &a.organization_id {
        audience.add_organization(o);
    }
    let event = Event {
        key: format!("pendingapproval:{}:{}", a.id, a.state.as_str()),
        payload: payload::approval(a),
        at: now_ms,
        wallet_id: a.wallet_id.clone(),
        enterprise_id: a.enterprise_id.clone(),
        organization_id: a.organization_id.clone(),
        coin: a.coin.clone(),
        pending_approval_id: Some(a.id.clone()),
        ..Event::default()
    };
    for w in audience.listeners(conn, "pendingapproval")? {
        enqueue(conn, &w, &event, now_ms)?;
    }
    Ok(())
}

/// Reports a long-lived access token `created` or `revoked` (`action`) to the `accessToken`
/// webhooks of the enterprise it is bound to (or, unbound, of every enterprise its user
/// belongs to) and of their organizations and the user's.
pub fn report_access_token(
    conn: &Connection,
    t: &TokenRow,
    action: &str,
    now_ms: i64,
) -> Result<()> {
    let mut audience = Audience::default();
    match &t.enterprise_id {
        Some(e) => audience.add_enterprise(conn, e)?,
        None => {
            for m in enterprises::list_for_user(conn, &t.user_id)? {
                audience.add_enterprise(conn, &m.enterprise.id)?;
            }
            for (o, _) in organizations::list_for_user(conn, &t.user_id)? {
                audience.add_organization(&o.id);
            }
        }
    }
    let listeners = audience.listeners(conn, "accessToken")?;
    if listeners.is_empty() {
        return Ok(());
    }
    let username = users::username_or_id(conn, &t.user_id)?;
    let event = Event {
        key: format!("accessToken:{}:{action}", t.id),
        payload: payload::access_token(t, &username, action, now_ms),
        at: now_ms,
        enterprise_id: t.enterprise_id.clone(),
        ..Event::default()
    };
    for w in listeners {
        enqueue(conn, &w, &event, now_ms)?;
    }
    Ok(())
}

/// Reports a new deposit address to its wallet's `address_confirmation` webhooks.
pub fn report_address(conn: &Connection, a: &AddressRow, now_ms: i64) -> Result<()> {
    let audience = Audience::of_wallet(conn, &a.wallet_id)?;
    let enterprise = audience.enterprise_ids.first().cloned().unwrap_or_default();
    let event = Event {
        key: format!("address_confirmation:{}", a.id),
        payload: payload::address(a, &enterprise),
        at: now_ms,
        wallet_id: Some(a.wallet_id.clone()),
        enterprise_id: Some(enterprise),
        coin: Some(a.asset.clone()),
        ..Event::default()
    };
    for w in audience.listeners(conn, "address_confirmation")? {
        enqueue(conn, &w, &event, now_ms)?;
    }
    Ok(())
}

/// Reports a trading order that settled (or was cancelled) to the `tradeOrder` webhooks of
/// its account's organization.
pub fn report_trade(conn: &Connection, o: &OrderRow, now_ms: i64) -> Result<()> {
    let audience = Audience::of_wallet(conn, &o.account_id)?;
    let Some(org) = audience.organization().map(str::to_string) else {
        return Ok(());
    };
    let event = Event {
        key: format!("tradeOrder:{}:{}", o.id, o.status),
        payload: payload::trade_order(o, &org),
        at: now_ms,
        wallet_id: Some(o.account_id.clone()),
        enterprise_id: Some(o.enterprise_id.clone()),
        organization_id: Some(org.clone()),
        ..Event::default()
    };
    for w in audience.listeners(conn, "tradeOrder")? {
        if w.scope == "organization" {
            enqueue(conn, &w, &event, now_ms)?;
        }
    }
    Ok(())
}
