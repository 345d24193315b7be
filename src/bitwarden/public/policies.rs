//! `PoliciesController` of the Public API: the token's organization's policies, one by type
//! (a 404 with an empty body for one never saved, unlike the private route), and saving one
//! through the same command as the private route (`bitwarden::policies::save`: dependencies,
//! the members a policy revokes when turned on, the event) with the Public API as the actor.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use serde_json::{json, Value};

use super::{list, PublicCall, PublicError};
use crate::bitwarden::body::Body;
use crate::bitwarden::error::BwError;
use crate::bitwarden::event_log::Actor;
use crate::bitwarden::policies::{policy_data, read_request, save};
use crate::domain::bitwarden::org_policies::{check_data, parse_policy_type, PolicyType};
use crate::store::bitwarden::policies::{self, BwPolicy};

type Answer = Result<HttpResponse, PublicError>;

/// The Public API's `PolicyResponseModel` (`object: "policy"`); `data` null when empty.
fn policy(p: &BwPolicy) -> Value {
    let data = policy_data(p);
    json!({
        "object": "policy",
        "id": p.id,
        "type": p.policy_type,
        "enabled": p.enabled,
        "data": data,
    })
}

/// A `{type}` route value: a number or an enum name (an unknown one is a 404).
fn policy_type(raw: &str) -> Result<PolicyType, PublicError> {
    Ok(parse_policy_type(raw).ok_or(BwError::NotFound)?)
}

/// `GET /public/policies`: every policy ever saved.
pub async fn list_policies(call: PublicCall) -> Answer {
    let org = call.org_id.clone();
    let rows = call
        .sandbox
        .store
        .read(move |c| policies::list_for_org(c, &org))
        .await?;
    Ok(HttpResponse::Ok().json(list(rows.iter().map(policy).collect())))
}

/// `GET /public/policies/{type}`.
pub async fn get_policy(call: PublicCall, path: Path<String>) -> Answer {
    let t = policy_type(&path)?;
    let org = call.org_id.clone();
    let found = call
        .sandbox
        .store
        .read(move |c| policies::find(c, &org, t.number))
        .await?
        .filter(|p| !p.id.is_empty())
        .ok_or(BwError::NotFound)?;
    Ok(HttpResponse::Ok().json(policy(&found)))
}

/// `PUT /public/policies/{type}` (`PolicyUpdateRequestModel`: `{enabled, data}`).
pub async fn put_policy(call: PublicCall, path: Path<String>, body: Bytes) -> Answer {
    let t = policy_type(&path)?;
    let (enabled, data) = read_request(&Body::parse(&body, true)?)?;
    if let Some(d) = &data {
        check_data(t, d).map_err(BwError::BadRequest)?;
    }
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    let saved = call
        .sandbox
        .store
        .write(move |c| {
            save(
                c,
                &org_id,
                t,
                (enabled, data),
                Actor::PublicApi(&caller),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(policy(&saved)))
}
