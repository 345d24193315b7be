//! The sandbox's trigger (`POST /sandbox/webhooks/trigger`), Stripe's `trigger` for BitGo:
//! a `transfer` is a real deposit to the wallet (it can be read back, and it confirms on the
//! sandbox clock), an `address_confirmation` a real new address; any other type is an event
//! with placeholder data, sent to every webhook of that type the wallet, enterprise or
//! organization has. Either way it goes through the same notifications and the same pool.

use rusqlite::Connection;
use serde_json::{json, Value};

use crate::domain::error::{Error, Result};
use crate::domain::ids::new_id;
use crate::domain::money::Asset;
use crate::domain::webhook::{ENTERPRISE_TYPES, ORGANIZATION_TYPES, WALLET_TYPES};
use crate::service::addresses;
use crate::service::deposits::{self, Incoming};
use crate::service::webhooks::emit::{enqueue, Audience, Event};
use crate::service::webhooks::payload;
use crate::store::webhooks::notifications;
use crate::store::{enterprises, organizations, wallets};

/// What to trigger.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// A webhook type.
    pub webhook_type: String,
    /// The wallet it happens on.
    pub wallet_id: Option<String>,
    /// The enterprise it concerns.
    pub enterprise_id: Option<String>,
    /// The organization it concerns.
    pub organization_id: Option<String>,
    /// The asset of a transfer or address.
    pub asset: Asset,
    /// The amount of a transfer, base units.
    pub amount: i64,
    /// When a triggered deposit is first confirmed, ms after now.
    pub confirm_after_ms: i64,
    /// Now, ms.
    pub now_ms: i64,
}

fn audience(conn: &Connection, t: &Trigger) -> Result<Audience> {
    let mut a = Audience::default();
    if let Some(w) = &t.wallet_id {
        wallets::find(conn, w)?.ok_or_else(|| Error::NotFound(format!("wallet {w} not found")))?;
        a = Audience::of_wallet(conn, w)?;
    }
    if let Some(e) = &t.enterprise_id {
        enterprises::find_by_id(conn, e)?
            .ok_or_else(|| Error::NotFound(format!("enterprise {e} not found")))?;
        a.add_enterprise(conn, e)?;
    }
    if let Some(o) = &t.organization_id {
        organizations::find_by_id(conn, o)?
            .ok_or_else(|| Error::NotFound(format!("organization {o} not found")))?;
        a.add_organization(o);
    }
    if a.wallet_id.is_none() && a.enterprise_ids.is_empty() && a.organization_ids.is_empty() {
        return Err(Error::Invalid(
            "name what it happens to: walletId, enterpriseId or organizationId".into(),
        ));
    }
    Ok(a)
}

/// Fires `t`; what happened (`transferId`, `address`, …) and how many notifications went out.
pub fn fire(conn: &Connection, t: &Trigger) -> Result<Value> {
    let known = [WALLET_TYPES, ENTERPRISE_TYPES, ORGANIZATION_TYPES]
        .iter()
        .any(|types| types.contains(&t.webhook_type.as_str()));
    if !known {
        return Err(Error::Invalid(format!(
            "unknown webhook type {:?}",
            t.webhook_type
        )));
    }
    let a = audience(conn, t)?;
    let before = notifications::count_all(conn)?;
    let mut out = json!({"type": t.webhook_type});
    match (t.webhook_type.as_str(), &a.wallet_id) {
        ("transfer", Some(w)) => {
            let wallet = wallets::find(conn, w)?
                .ok_or_else(|| Error::NotFound(format!("wallet {w} not found")))?;
            let tr = deposits::receive(
                conn,
                &Incoming {
                    wallet_id: &wallet.id,
                    enterprise_id: &wallet.enterprise_id,
                    asset: t.asset.id,
                    amount: t.amount,
                    address: "trigger",
                    confirmed_at: Some(t.now_ms.saturating_add(t.confirm_after_ms.max(0))),
                    now_ms: t.now_ms,
                },
            )?;
            out["transferId"] = tr.id.into();
            out["txid"] = tr.txid.into();
        }
        ("address_confirmation", Some(w)) => {
            let wallet = wallets::find(conn, w)?
                .ok_or_else(|| Error::NotFound(format!("wallet {w} not found")))?;
            let row = addresses::create(conn, &wallet, t.asset, None, None, None, t.now_ms)?;
            out["address"] = row.address.into();
            out["addressId"] = row.id.into();
        }
        ("transfer" | "address_confirmation", None) => {
            return Err(Error::Invalid(format!(
                "a {} happens on a wallet: give walletId",
                t.webhook_type
            )))
        }
        (kind, _) => placeholder(conn, &a, kind, t.now_ms)?,
    }
    out["notifications"] = (notifications::count_all(conn)? - before).into();
    Ok(out)
}

/// An event of `kind` with placeholder data, to every webhook of that kind `a` has.
fn placeholder(conn: &Connection, a: &Audience, kind: &str, now_ms: i64) -> Result<()> {
    let subject = new_id(now_ms);
    let event = Event {
        key: format!("trigger:{subject}"),
        payload: payload::placeholder(
            kind,
            &[
                ("walletId", a.wallet_id.as_deref()),
                ("enterpriseId", a.enterprise_ids.first().map(String::as_str)),
                ("organizationId", a.organization()),
            ],
            &subject,
        ),
        at: now_ms,
        wallet_id: a.wallet_id.clone(),
        enterprise_id: a.enterprise_ids.first().cloned(),
        organization_id: a.organization().map(str::to_string),
        ..Event::default()
    };
    for w in a.listeners(conn, kind)? {
        enqueue(conn, &w, &event, now_ms)?;
    }
    Ok(())
}
