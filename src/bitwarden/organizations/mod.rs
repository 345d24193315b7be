//! The Organizations API (spec §2): get, create, update, auto-enroll status, leave, delete,
//! API keys, storage, the public key, and the SSO unlink of `/accounts/sso/{organizationId}`.
//! Every handler asks `domain::bitwarden::policy` first, and every check-then-write runs in one
//! store transaction.

pub mod auto_enroll;
pub mod create;
pub mod secrets;

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::json;

use crate::bitwarden::body::Body;
use crate::bitwarden::call::{BwCall, Caller};
use crate::bitwarden::crypto;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::ids::parse_guid;
use crate::bitwarden::views;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::plan::plan;
use crate::domain::bitwarden::policy::{self, Action, Denied, Gate, Membership, OrgFacts};
use crate::domain::bitwarden::rules::{self, LeaveFacts};
use crate::domain::error::Result;
use crate::store::bitwarden::members::{self as member_rows, BwMember};
use crate::store::bitwarden::orgs::BwOrg;
use crate::store::bitwarden::{keys, member_writes, orgs, users};

pub use auto_enroll::auto_enroll_status;
pub use create::{create, insert_org, insert_with_owner};
pub use secrets::{
    api_key_information, api_key_information_of_type, delete, get_api_key, rotate_api_key,
};

/// A path id as a GUID; anything else is hidden as a 404.
pub fn org_id(raw: &str) -> std::result::Result<String, BwError> {
    parse_guid(raw).ok_or(BwError::NotFound)
}

/// An organization, the caller's membership row in it, and the membership its token's claims
/// state, read to ask the policy one question.
pub struct OrgAccess {
    org: Option<BwOrg>,
    member: Option<BwMember>,
    claimed: Option<Membership>,
}

impl OrgAccess {
    /// Reads the organization and, if it exists, the caller's membership row.
    pub fn load(conn: &Connection, org_id: &str, caller: &Caller) -> Result<OrgAccess> {
        let org = orgs::find(conn, org_id)?;
        let member = match (&org, &caller.user_id) {
            (Some(_), Some(uid)) => member_rows::find_for_user(conn, org_id, uid)?,
            _ => None,
        };
        Ok(OrgAccess {
            org,
            member,
            claimed: caller.membership(org_id),
        })
    }

    /// Asks the policy whether the caller may do `action`. A missing organization is refused
    /// as the policy refuses that action (an update: 401; the rest: 404).
    pub fn allow(self, action: Action) -> std::result::Result<(BwOrg, Option<BwMember>), Denied> {
        let Some(org) = self.org else {
            return Err(match action {
                Action::Update { .. } => Denied::Unauthorized,
                _ => Denied::NotFound,
            });
        };
        let facts = OrgFacts {
            provider_managed: org.provider_managed,
        };
        policy::allows(self.claimed.as_ref(), facts, action)?;
        Ok((org, self.member))
    }

    /// Asks the route's gate (a refusal is the empty 403; a gate passed for an organization
    /// that no longer exists is a 404).
    pub fn require(self, gate: Gate) -> std::result::Result<(BwOrg, Option<Membership>), Denied> {
        policy::require(self.claimed.as_ref(), gate)?;
        let org = self.org.ok_or(Denied::NotFound)?;
        Ok((org, self.claimed))
    }
}

/// Reads the caller's access to an organization (outside a transaction: for a read-only route).
pub async fn access(call: &BwCall, org_id: &str) -> std::result::Result<OrgAccess, BwError> {
    let (id, caller) = (org_id.to_string(), call.caller.clone());
    Ok(call
        .sandbox
        .store
        .read(move |c| OrgAccess::load(c, &id, &caller))
        .await?)
}

/// Loads an organization and the caller's membership, and asks the policy (inside the
/// transaction of a write).
pub fn authorize(
    conn: &Connection,
    org_id: &str,
    caller: &Caller,
    action: Action,
) -> std::result::Result<(BwOrg, Option<BwMember>), BwError> {
    Ok(OrgAccess::load(conn, org_id, caller)?.allow(action)?)
}

/// Loads an organization and asks the route's gate (inside the transaction of a write).
pub fn gate(
    conn: &Connection,
    org_id: &str,
    caller: &Caller,
    gate: Gate,
) -> std::result::Result<(BwOrg, Option<Membership>), BwError> {
    Ok(OrgAccess::load(conn, org_id, caller)?.require(gate)?)
}

fn self_hosted(call: &BwCall) -> bool {
    call.state.bitwarden.deployment == Deployment::SelfHosted
}

/// `GET /organizations/{id}`: owners only; everyone else gets a 404.
pub async fn get(call: BwCall, path: Path<String>) -> std::result::Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    let (org, _) = access(&call, &id).await?.allow(Action::View)?;
    Ok(HttpResponse::Ok().json(views::organization(&org, self_hosted(&call))))
}

/// HTML-encodes as the server's converter does before checking lengths.
pub(crate) fn html_encoded_len(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '&' => 5,
            '<' | '>' => 4,
            '"' => 6,
            '\'' => 5,
            c => c.len_utf8(),
        })
        .sum()
}

/// Validates an organization name (`The field Name must be a string with a maximum length of 50.`).
pub fn check_name(name: &str) -> std::result::Result<(), BwError> {
    if html_encoded_len(name) > 50 {
        return Err(BwError::field(
            "Name",
            "The field Name must be a string with a maximum length of 50.",
        ));
    }
    Ok(())
}

/// Validates a billing email.
pub fn check_email(email: &str) -> std::result::Result<(), BwError> {
    let ok = email.len() <= 256
        && email
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.contains('@'));
    if !ok {
        return Err(BwError::field(
            "BillingEmail",
            "The BillingEmail field is not a valid e-mail address.",
        ));
    }
    Ok(())
}

/// Reads `keys: {publicKey, encryptedPrivateKey}`.
pub fn read_keys(body: &Body) -> std::result::Result<Option<(String, String)>, BwError> {
    let Some(k) = body.object("keys")? else {
        return Ok(None);
    };
    let public = k.required_str("publicKey")?;
    let private = k.required_str("encryptedPrivateKey")?;
    if !crypto::is_enc_string(&private) {
        return Err(BwError::field(
            "EncryptedPrivateKey",
            "Invalid encrypted string.",
        ));
    }
    Ok(Some((public, private)))
}

/// `PUT /organizations/{id}` (and the obsolete `POST`): name, billing email and missing keys.
/// The seed's `businessName` and `identifier` are accepted and ignored, as today's server does.
pub async fn update(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
) -> std::result::Result<HttpResponse, BwError> {
    // The real route only matches GUIDs: anything else is a 404.
    let id = org_id(&path)?;
    let body = Body::parse(&body, true)?;
    let name = body.str("name")?;
    let billing_email = body.str("billingEmail")?;
    if let Some(n) = &name {
        check_name(n)?;
    }
    if let Some(e) = &billing_email {
        check_email(e)?;
    }
    let keys_pair = read_keys(&body)?;
    let caller = call.caller.clone();
    let hosted = self_hosted(&call);
    let now = call.now_ms();
    let action = Action::Update {
        billing_email: billing_email.is_some(),
    };
    let org = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (mut org, _) = authorize(c, &id, &caller, action)?;
            if !hosted {
                if let Some(n) = name {
                    org.name = n;
                }
                if let Some(e) = billing_email {
                    org.billing_email = e.trim().to_lowercase();
                }
            }
            if let (Some((public, private)), None) = (keys_pair, &org.public_key) {
                org.public_key = Some(public);
                org.private_key = Some(private);
            }
            org.revision_at = now;
            orgs::update(c, &org)?;
            let actor = Actor::User(&caller);
            event_log::record(
                c,
                &org,
                actor,
                Subject::Organization,
                types::ORGANIZATION_UPDATED,
                now,
            )?;
            Ok(org)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::organization(&org, hosted)))
}

/// `POST /organizations/{id}/leave`: every refusal of spec §2.6, checked and written in one
/// transaction (so two last owners leaving at once cannot both succeed).
pub async fn leave(call: BwCall, path: Path<String>) -> std::result::Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    let (uid, caller, now) = (call.user_id.clone(), call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, member) = authorize(c, &id, &caller, Action::Leave)?;
            let member = member.ok_or(BwError::NotFound)?;
            let user = users::find(c, &uid)?;
            let facts = LeaveFacts {
                org_uses_key_connector_sso: org.key_connector_sso,
                user_uses_key_connector: user.is_some_and(|u| u.uses_key_connector),
                claimed: member.claimed,
                member_type: member.member_type,
                other_confirmed_owners: member_rows::other_confirmed_owners(c, &id, &member.id)?,
            };
            rules::check_leave(facts).map_err(|m| BwError::BadRequest(m.into()))?;
            member_writes::delete(c, &member.id)?;
            let actor = Actor::User(&caller);
            event_log::record(
                c,
                &org,
                actor,
                Subject::Member(&member),
                types::MEMBER_LEFT,
                now,
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `POST /organizations/{id}/storage` (cloud only): `storageGbAdjustment`, up to 100 GB.
pub async fn storage(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
) -> std::result::Result<HttpResponse, BwError> {
    if self_hosted(&call) {
        return Err(BwError::BadRequest(
            "Only allowed when not self hosted.".into(),
        ));
    }
    let id = org_id(&path)?;
    let body = Body::parse(&body, true)?;
    let adjustment = body.i64("storageGbAdjustment")?.ok_or_else(|| {
        BwError::field(
            "StorageGbAdjustment",
            "The StorageGbAdjustment field is required.",
        )
    })?;
    if !(i64::from(i16::MIN)..=i64::from(i16::MAX)).contains(&adjustment) {
        return Err(BwError::field(
            "$.storageGbAdjustment",
            "The JSON value could not be converted to System.Int16.",
        ));
    }
    let caller = call.caller.clone();
    let now = call.now_ms();
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (mut org, _) = authorize(c, &id, &caller, Action::Storage)?;
            let new = rules::adjust_storage(
                plan(org.plan_type).as_ref(),
                org.has_subscription,
                org.max_storage_gb,
                adjustment,
                org.storage_bytes,
            )?;
            org.max_storage_gb = Some(new);
            org.revision_at = now;
            orgs::update(c, &org)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "object": "payment",
        "userProfile": null,
        "paymentIntentClientSecret": null,
        "success": true,
    })))
}

/// `GET /organizations/{id}/public-key`: any signed-in user.
pub async fn public_key(
    call: BwCall,
    path: Path<String>,
) -> std::result::Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    let org = call.sandbox.store.read(move |c| orgs::find(c, &id)).await?;
    let org = org.ok_or(BwError::NotFound)?;
    Ok(HttpResponse::Ok().json(json!({
        "object": "organizationPublicKey",
        "publicKey": org.public_key,
    })))
}

/// `DELETE /accounts/sso/{organizationId}`: removes the caller's SSO link (none is fine).
pub async fn delete_sso_link(
    call: BwCall,
    path: Path<String>,
) -> std::result::Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    let uid = call.user_id.clone();
    call.sandbox
        .store
        .write(move |c| keys::unlink_sso(c, &uid, &id))
        .await?;
    Ok(HttpResponse::Ok().finish())
}
