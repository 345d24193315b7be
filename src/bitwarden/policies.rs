//! Organization policies (`PoliciesController`): the list, one policy by type, and turning
//! one on or off with its data, for owners, admins and custom members with `managePolicies`
//! (a 404 for anyone else, as the server answers). The rules (dependencies between policies,
//! what their data may hold, what they ask of joining members) are
//! `domain::bitwarden::org_policies`; accept, confirm and restore enforce them.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::ids;
use crate::bitwarden::organizations::org_id;
use crate::bitwarden::policy_effects::enforce_on_enable;
use crate::bitwarden::views;
use crate::domain::bitwarden::events::types;
use crate::domain::bitwarden::org_policies::{
    check_data, check_dependencies, parse_policy_type, PolicyType,
};
use crate::domain::bitwarden::policy::{passes, Gate, Permission};
use crate::store::bitwarden::orgs;
use crate::store::bitwarden::policies::{self, BwPolicy};

const MANAGE_POLICIES: Gate = Gate::Permission(Permission::ManagePolicies);

/// A policy's `data` as a JSON object, or null.
pub fn policy_data(p: &BwPolicy) -> Value {
    p.data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null)
}

/// `PolicyResponseModel` (`object: "policy"`); `data` as a JSON object or null.
pub fn policy(p: &BwPolicy) -> Value {
    let data = policy_data(p);
    json!({
        "object": "policy",
        "id": p.id,
        "organizationId": p.organization_id,
        "type": p.policy_type,
        "data": data,
        "enabled": p.enabled,
        "revisionDate": views::date(p.revision_at),
    })
}

fn allowed(call: &BwCall, org: &str) -> BwResult<()> {
    if !passes(call.caller.membership(org).as_ref(), MANAGE_POLICIES) {
        return Err(BwError::NotFound);
    }
    Ok(())
}

/// `GET /organizations/{orgId}/policies`.
pub async fn list(call: BwCall, path: Path<String>) -> BwResult<HttpResponse> {
    let org = org_id(&path)?;
    allowed(&call, &org)?;
    let rows = call
        .sandbox
        .store
        .read(move |c| policies::list_for_org(c, &org))
        .await?;
    let data = rows.iter().map(policy).collect();
    Ok(HttpResponse::Ok().json(views::list(data)))
}

/// `GET /organizations/{orgId}/policies/{type}`: a policy never saved reads as off.
pub async fn get(call: BwCall, path: Path<(String, String)>) -> BwResult<HttpResponse> {
    let (raw_org, raw_type) = path.into_inner();
    let org = org_id(&raw_org)?;
    let t = parse_policy_type(&raw_type).ok_or(BwError::NotFound)?;
    allowed(&call, &org)?;
    let oid = org.clone();
    let found = call
        .sandbox
        .store
        .read(move |c| policies::find(c, &oid, t.number))
        .await?;
    let p = found.unwrap_or(BwPolicy {
        id: String::new(),
        organization_id: org,
        policy_type: t.number,
        enabled: false,
        data: None,
        created_at: 0,
        revision_at: 0,
    });
    let mut v = policy(&p);
    if p.id.is_empty() {
        v["id"] = Value::Null;
        v["revisionDate"] = Value::Null;
    }
    Ok(HttpResponse::Ok().json(v))
}

/// `PolicyRequestModel`: `{enabled, data}` (also inside `{policy: {...}}`, the newer shape);
/// the Public API's `PolicyUpdateRequestModel` reads the same.
pub fn read_request(body: &Body) -> BwResult<(bool, Option<Map<String, Value>>)> {
    let inner = body.object("policy")?;
    let b = inner.as_ref().unwrap_or(body);
    let enabled = b
        .bool("enabled")?
        .ok_or_else(|| BwError::field("Enabled", "The Enabled field is required."))?;
    let data = b.object("data")?.map(|d| d.map().clone());
    Ok((enabled, data))
}

/// Saves policy `t` of `org_id` on or off with its data (checked by the caller), inside the
/// caller's transaction: the server's `SavePolicyCommand` for members and the Public API, in
/// its order (the plan, the dependencies, what turning it on does to members, the save, the
/// event).
pub fn save(
    c: &Connection,
    org_id: &str,
    t: PolicyType,
    (enabled, data): (bool, Option<Map<String, Value>>),
    actor: Actor<'_>,
    now: i64,
) -> BwResult<BwPolicy> {
    let org = orgs::find(c, org_id)?.ok_or(BwError::NotFound)?;
    if !org.features.use_policies {
        return Err(BwError::BadRequest(
            "This organization cannot use policies.".into(),
        ));
    }
    let enabled_now = policies::enabled_types(c, org_id)?;
    check_dependencies(t.number, enabled, &enabled_now).map_err(BwError::BadRequest)?;
    let was_enabled = enabled_now.contains(&t.number);
    enforce_on_enable(c, &org, t.number, (was_enabled, enabled), actor, now)?;
    let old = policies::find(c, org_id, t.number)?;
    let p = BwPolicy {
        id: old
            .as_ref()
            .map(|o| o.id.clone())
            .filter(|i| !i.is_empty())
            .unwrap_or_else(ids::new_guid),
        organization_id: org_id.to_string(),
        policy_type: t.number,
        enabled,
        data: data.map(|d| Value::Object(d).to_string()),
        created_at: old.as_ref().map_or(now, |o| o.created_at),
        revision_at: now,
    };
    policies::upsert(c, &p)?;
    event_log::record(
        c,
        &org,
        actor,
        Subject::Policy(&p.id),
        types::POLICY_UPDATED,
        now,
    )?;
    Ok(policies::find(c, org_id, t.number)?.unwrap_or(p))
}

/// `PUT /organizations/{orgId}/policies/{type}`: turns a policy on or off, with its data.
pub async fn put(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> BwResult<HttpResponse> {
    let (raw_org, raw_type) = path.into_inner();
    let org_id = org_id(&raw_org)?;
    let t = parse_policy_type(&raw_type).ok_or(BwError::NotFound)?;
    allowed(&call, &org_id)?;
    let (enabled, data) = read_request(&Body::parse(&body, true)?)?;
    if let Some(d) = &data {
        check_data(t, d).map_err(BwError::BadRequest)?;
    }
    let (caller, now) = (call.caller.clone(), call.now_ms());
    let saved = call
        .sandbox
        .store
        .write(move |c| save(c, &org_id, t, (enabled, data), Actor::User(&caller), now))
        .await?;
    Ok(HttpResponse::Ok().json(policy(&saved)))
}
