//! Simulations and retriggers: a simulate call writes one notification (marked `simulation`)
//! to one webhook about a real object of its own (a transfer, a pending approval, an access
//! token) or placeholder data; a retrigger writes a copy of sent notifications that keeps their
//! original signature.

use rusqlite::Connection;

use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::service::webhooks::emit::{enqueue, Audience, Event};
use crate::service::webhooks::payload;
use crate::store::webhooks::notifications::{self, NewNotification, NotificationRow};
use crate::store::webhooks::WebhookRow;
use crate::store::{approvals, tokens, transfers, users};

/// What a simulation reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `transferId`: a transfer the webhook watches.
    Transfer(String),
    /// `pendingApprovalId`: a pending approval the webhook watches.
    PendingApproval(String),
    /// `accessTokenId`: an access token of the enterprise's users.
    AccessToken(String),
    /// Placeholder data (`usePlaceholderData`, or an id of a kind orgbox has no object for).
    Placeholder,
}

/// Whether the webhook watches what `audience` names.
fn watches(w: &WebhookRow, audience: &Audience) -> bool {
    match w.scope.as_str() {
        "wallet" => audience.wallet_id.as_deref() == Some(w.owner_id.as_str()),
        "enterprise" => audience.enterprise_ids.contains(&w.owner_id),
        _ => audience.organization_ids.contains(&w.owner_id),
    }
}

fn wrong_subject(w: &WebhookRow, needs: &str) -> Error {
    Error::Invalid(format!(
        "this is a {} webhook: simulate it with {needs}",
        w.webhook_type
    ))
}

/// The simulated event for `w` about `subject`, or a 400/404 when the subject does not fit.
fn event_for(conn: &Connection, w: &WebhookRow, subject: &Subject, now_ms: i64) -> Result<Event> {
    let kind = w.webhook_type.as_str();
    let mut event = match (kind, subject) {
        ("transfer", Subject::Transfer(id)) => {
            let t = transfers::find(conn, id)?
                .filter(|t| {
                    watches(
                        w,
                        &Audience::of_wallet(conn, &t.wallet_id).unwrap_or_default(),
                    )
                })
                .ok_or_else(|| Error::NotFound(format!("transfer {id} not found")))?;
            let state = crate::domain::transfer::shown_state(&t.state, t.settle_at, now_ms);
            let org = Audience::of_wallet(conn, &t.wallet_id)?
                .organization()
                .map(str::to_string);
            Event {
                payload: payload::transfer(&t, state, 0, org.as_deref()),
                transfer_id: Some(t.id.clone()),
                hash: Some(t.txid.clone()),
                coin: Some(t.asset.clone()),
                wallet_id: Some(t.wallet_id.clone()),
                ..Event::default()
            }
        }
        ("pendingapproval", Subject::PendingApproval(id)) => {
            let a = approvals::find_by_id(conn, id)?
                .filter(|a| {
                    let mut audience = match &a.wallet_id {
                        Some(wid) => Audience::of_wallet(conn, wid).unwrap_or_default(),
                        None => Audience::default(),
                    };
                    audience.organization_ids.extend(a.organization_id.clone());
                    watches(w, &audience)
                })
                .ok_or_else(|| Error::NotFound(format!("pending approval {id} not found")))?;
            Event {
                payload: payload::approval(&a),
                pending_approval_id: Some(a.id.clone()),
                wallet_id: a.wallet_id.clone(),
                ..Event::default()
            }
        }
        ("accessToken", Subject::AccessToken(id)) => {
            let t = tokens::find_by_id(conn, id)?
                .filter(|t| t.label.is_some())
                .ok_or_else(|| Error::NotFound(format!("access token {id} not found")))?;
            let username = users::username_or_id(conn, &t.user_id)?;
            Event {
                payload: payload::access_token(&t, &username, "created", now_ms),
                ..Event::default()
            }
        }
        (_, Subject::Placeholder) => Event {
            payload: placeholder_for(w, now_ms),
            ..Event::default()
        },
        ("transfer", _) => return Err(wrong_subject(w, "transferId")),
        ("pendingapproval", _) => return Err(wrong_subject(w, "pendingApprovalId")),
        ("accessToken", _) => return Err(wrong_subject(w, "accessTokenId")),
        _ => Event {
            payload: placeholder_for(w, now_ms),
            ..Event::default()
        },
    };
    event.payload = payload::simulated(event.payload);
    Ok(event)
}

/// Placeholder data naming the webhook's owner.
pub fn placeholder_for(w: &WebhookRow, now_ms: i64) -> serde_json::Value {
    let (wallet, enterprise, organization) = match w.scope.as_str() {
        "wallet" => (Some(w.owner_id.as_str()), w.enterprise_id.as_deref(), None),
        "enterprise" => (
            None,
            Some(w.owner_id.as_str()),
            w.organization_id.as_deref(),
        ),
        _ => (None, None, Some(w.owner_id.as_str())),
    };
    payload::placeholder(
        &w.webhook_type,
        &[
            ("walletId", wallet),
            ("enterpriseId", enterprise),
            ("organizationId", organization),
            ("coin", w.coin.as_deref()),
        ],
        &new_id(now_ms),
    )
}

/// Writes a simulated notification of `subject` to `w`, due now; returns it.
pub fn simulate(
    conn: &Connection,
    w: &WebhookRow,
    subject: &Subject,
    now_ms: i64,
) -> Result<NotificationRow> {
    let mut event = event_for(conn, w, subject, now_ms)?;
    event.key = format!("simulation:{}", new_id(now_ms));
    event.at = now_ms;
    event.simulation = true;
    match w.scope.as_str() {
        "wallet" => event.wallet_id = Some(w.owner_id.clone()),
        "enterprise" => event.enterprise_id = Some(w.owner_id.clone()),
        _ => event.organization_id = Some(w.owner_id.clone()),
    }
    let id = enqueue(conn, w, &event, now_ms)?
        .ok_or_else(|| Error::Internal("a simulation was not written".into()))?;
    notifications::find(conn, &id)?
        .ok_or_else(|| Error::Internal("the simulated notification vanished".into()))
}

/// Most notifications one retrigger call resends.
pub const MAX_RETRIGGER: usize = 25;

/// Resends notifications of `w` (by id, in their 32-hex or UUID form): each becomes a new
/// notification with the same body and the original signature, due now. Per id: the new
/// notification's id, or why it could not be resent.
pub fn retrigger(
    conn: &Connection,
    w: &WebhookRow,
    ids: &[String],
    now_ms: i64,
) -> Result<Vec<(String, std::result::Result<String, String>)>> {
    if ids.is_empty() || ids.len() > MAX_RETRIGGER {
        return Err(Error::Invalid(format!(
            "webhookNotificationIds must list 1 to {MAX_RETRIGGER} notification ids"
        )));
    }
    let mut out = Vec::with_capacity(ids.len());
    for given in ids {
        let id = given.replace('-', "").to_ascii_lowercase();
        let Some(n) = notifications::find(conn, &id)?.filter(|n| n.webhook_id == w.id) else {
            out.push((
                given.clone(),
                Err("notification not found for this webhook".into()),
            ));
            continue;
        };
        let copy = NewNotification {
            id: new_id(now_ms),
            webhook_id: w.id.clone(),
            webhook_type: n.webhook_type.clone(),
            wallet_id: n.wallet_id.clone(),
            enterprise_id: n.enterprise_id.clone(),
            organization_id: n.organization_id.clone(),
            coin: n.coin.clone(),
            transfer_id: n.transfer_id.clone(),
            pending_approval_id: n.pending_approval_id.clone(),
            hash: n.hash.clone(),
            payload: n.payload.clone(),
            signature: n.signature.clone(),
            simulation: n.simulation,
            retrigger_of: Some(n.id.clone()),
            event_at: now_ms,
            created_at: now_ms,
            event_key: String::new(),
        };
        let copy = NewNotification {
            event_key: format!("retrigger:{}", copy.id),
            ..copy
        };
        notifications::insert(conn, &copy)?;
        out.push((given.clone(), Ok(copy.id)));
    }
    Ok(out)
}
