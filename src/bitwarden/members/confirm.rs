//! Confirming accepted members (`POST /organizations/{orgId}/users/{id}/confirm {key}`, and
//! `POST .../users/confirm {keys: [{id, key}]}`): the organization key wrapped for each member,
//! as `bw confirm org-member` sends it. The server's `ConfirmOrganizationUserCommand`: only an
//! accepted member with an account is confirmed; the Free-plan, two-step login and Single
//! organization rules apply.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::Value;

use super::{path_ids, views};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::crypto;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::ids::parse_guid;
use crate::bitwarden::organizations::{gate, org_id};
use crate::bitwarden::views as wire;
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::org_policies::{
    single_org_refusal, two_factor_required, SingleOrgRefusal,
};
use crate::domain::bitwarden::policy::{Gate, Permission};
use crate::domain::bitwarden::role::{MemberStatus, MemberType};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::BwOrg;
use crate::store::bitwarden::{member_writes, policies, users};

const MANAGE_USERS: Gate = Gate::Permission(Permission::ManageUsers);

/// A wrapped organization key, as a client sends it (`4.` or any EncString).
fn check_key(key: &str, field: &str) -> BwResult<()> {
    if !crypto::is_enc_string(key) {
        return Err(BwError::field(field, "Invalid encrypted string."));
    }
    Ok(())
}

/// The refusal of one accepted member's confirmation, if any (`CheckPoliciesAsync` and the
/// Free-plan rule).
fn refusal(c: &Connection, org: &BwOrg, m: &BwMember, uid: &str) -> BwResult<Option<String>> {
    let admin = matches!(m.member_type, MemberType::Owner | MemberType::Admin);
    if org.plan_type == 0 && admin && members::free_orgs_administered(c, uid)? > 0 {
        return Ok(Some(
            "User can only be an admin of 1 free organization vault.".into(),
        ));
    }
    let user = users::find(c, uid)?.ok_or(BwError::NotFound)?;
    let all = policies::affiliations(c, Some(uid), m)?;
    if !user.two_factor_enabled && two_factor_required(&org.id, &all) {
        return Ok(Some("User does not have two-step login enabled.".into()));
    }
    let email = &user.email;
    Ok(match single_org_refusal(&org.id, &all) {
        Some(SingleOrgRefusal::MemberOfAnotherOrg) => Some(format!(
            "{email} cannot be confirmed until they leave all other organization vaults."
        )),
        Some(SingleOrgRefusal::ForbiddenByOtherOrg) => Some(format!(
            "{email} cannot be confirmed because they are a member of another organization which forbids it."
        )),
        None => None,
    })
}

/// Confirms those of `keys` that are accepted members of `org`; one line each (others are
/// left out, as the server does).
pub fn confirm_many(
    c: &Connection,
    org: &BwOrg,
    keys: &[(String, String)],
    actor: Actor<'_>,
    now: i64,
) -> BwResult<Vec<(String, String)>> {
    let mut lines = Vec::new();
    for (id, key) in keys {
        let Some(m) = members::find(c, &org.id, id)? else {
            continue;
        };
        let Some(uid) = m
            .user_id
            .clone()
            .filter(|_| m.status == MemberStatus::Accepted)
        else {
            continue;
        };
        let error = match refusal(c, org, &m, &uid)? {
            Some(e) => e,
            None => {
                member_writes::confirm(c, &m.id, key, now)?;
                event_log::record(
                    c,
                    org,
                    actor,
                    Subject::Member(&m),
                    types::MEMBER_CONFIRMED,
                    now,
                )?;
                String::new()
            }
        };
        lines.push((m.id, error));
    }
    Ok(lines)
}

/// `POST /organizations/{orgId}/users/{id}/confirm {key}`: those who manage users; a member
/// who is not accepted is `User not valid.`.
pub async fn confirm(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    let (id, member_id) = path_ids(path.into_inner())?;
    let key = Body::parse(&body, true)?.required_str("key")?;
    check_key(&key, "Key")?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, MANAGE_USERS)?;
            let lines = confirm_many(c, &org, &[(member_id, key)], Actor::User(&caller), now)?;
            match lines.first() {
                None => Err(BwError::BadRequest("User not valid.".into())),
                Some((_, e)) if !e.is_empty() => Err(BwError::BadRequest(e.clone())),
                Some(_) => Ok(()),
            }
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `OrganizationUserBulkConfirmRequestModel.Keys`: `[{id, key}]`, both required.
fn read_keys(body: &Body) -> BwResult<Vec<(String, String)>> {
    let Some(Value::Array(items)) = body.get("keys") else {
        return Err(BwError::field("Keys", "The Keys field is required."));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let entry = Body::from_map(item.as_object().cloned().unwrap_or_default());
        let id = entry
            .str("id")?
            .and_then(|s| parse_guid(&s))
            .ok_or_else(|| BwError::field(&format!("Keys[{i}].Id"), "The Id field is required."))?;
        let key = entry.str("key")?.filter(|k| !k.is_empty()).ok_or_else(|| {
            BwError::field(&format!("Keys[{i}].Key"), "The Key field is required.")
        })?;
        check_key(&key, &format!("Keys[{i}].Key"))?;
        out.push((id, key));
    }
    Ok(out)
}

/// `POST /organizations/{orgId}/users/confirm {keys}`: one `{id, error}` line per accepted
/// member named.
pub async fn bulk_confirm(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let keys = read_keys(&Body::parse(&body, true)?)?;
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let lines = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = gate(c, &id, &caller, MANAGE_USERS)?;
            confirm_many(c, &org, &keys, Actor::User(&caller), now)
        })
        .await?;
    let data = lines.iter().map(|(id, e)| views::bulk(id, e)).collect();
    Ok(HttpResponse::Ok().json(wire::list(data)))
}
