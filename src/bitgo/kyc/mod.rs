//! KYC for a child enterprise's user, under `/api/evs/v1/identity`: create, poll, patch. The
//! organization's service user submits it (BitGo's guide uses its token); orgbox also lets
//! organization admins. Statuses move on the sandbox clock (`[kyc]` delays), and the
//! enterprise's `kycState` follows.

pub mod view;

pub use view::identity_json;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::domain::error::Error;
use crate::domain::ids::new_uuid;
use crate::domain::kyc::{self, Outcome, Schedule};
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::domain::scope::Scope;
use crate::store::child_enterprises::CHILD;
use crate::store::kyc::{self as identities, IdentityFilter, IdentityRow};
use crate::store::{enterprises, organizations};

/// `POST /api/evs/v1/identity`: `{id, status}` (status `initiating`).
pub async fn create_identity(authed: Authed) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseManageAll)?;
    let now = authed.now_ms();
    let body: Value = authed.call.json()?;
    let submission = kyc::validate_submission(&body, now)?;
    let caller = authed.principal.user_id().to_string();
    let delays = authed.call.state.kyc.clone();
    let identity = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            let s = submission;
            let role = match organizations::find_by_id(conn, &s.organization_id)? {
                Some(_) => organizations::role_of(conn, &s.organization_id, &caller)?,
                None => None,
            };
            policy::may_submit_kyc(role, &s.organization_id)?;
            let enterprise = enterprises::find_by_id(conn, &s.enterprise_id)?
                .filter(|e| {
                    e.organization_id.as_deref() == Some(s.organization_id.as_str())
                        && e.business_model == CHILD
                })
                .ok_or_else(|| {
                    Error::NotFound(format!(
                        "enterpriseId: {} is not a child enterprise of organization {}",
                        s.enterprise_id, s.organization_id
                    ))
                })?;
            if enterprises::permissions_of(conn, &enterprise.id, &s.user_id)?.is_none() {
                return Err(Error::Invalid(format!(
                    "invalid userId: {} is not a user of enterprise {}",
                    s.user_id, enterprise.id
                )));
            }
            let existing = identities::list(
                conn,
                std::slice::from_ref(&s.organization_id),
                &IdentityFilter {
                    enterprise_id: Some(s.enterprise_id.clone()),
                    user_id: Some(s.user_id.clone()),
                    ..IdentityFilter::default()
                },
            )?;
            if let Some(open) = existing
                .iter()
                .find(|i| i.schedule.status_at(now) != kyc::DECLINED)
            {
                return Err(Error::Conflict(format!(
                    "user {} already has identity {} ({}); update it with PATCH \
                     /api/evs/v1/identity/{}",
                    s.user_id,
                    open.id,
                    open.schedule.status_at(now),
                    open.id
                )));
            }
            let schedule = Schedule::starting(
                now,
                delays.review_after_seconds.saturating_mul(1000),
                delays.decision_after_seconds.saturating_mul(1000),
                s.outcome,
            );
            let identity = IdentityRow {
                id: new_uuid(),
                organization_id: s.organization_id,
                enterprise_id: s.enterprise_id,
                user_id: s.user_id,
                transaction_type: s.transaction_type,
                fields: s.fields,
                status: schedule.status_at(now).to_string(),
                error_description: None,
                schedule,
                created_by: Some(caller),
                created_at: now,
                updated_at: now,
            };
            identities::insert(conn, &identity)?;
            identities::write_status(conn, &identity, now)?;
            Ok(identity)
        })
        .await?;
    authed.reply(
        StatusCode::OK,
        &json!({"id": identity.id, "status": identity.schedule.status_at(now)}),
    )
}

/// The filters of `GET /api/evs/v1/identity`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityQuery {
    organization_id: Option<String>,
    enterprise_id: Option<String>,
    user_id: Option<String>,
    identity_id: Option<String>,
    #[serde(rename = "allData")]
    _all_data: Option<String>,
}

/// `GET /api/evs/v1/identity?organizationId&enterpriseId&userId&identityId`:
/// `{identities}` in the organizations where the caller is the service user or an admin.
pub async fn list_identities(
    authed: Authed,
    query: web::Query<IdentityQuery>,
) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    crate::service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
    let q = query.into_inner();
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let found = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            let mine = organizations::list_for_user(conn, &caller)?;
            if let Some(org) = &q.organization_id {
                let role = mine.iter().find(|(o, _)| &o.id == org).map(|(_, r)| *r);
                policy::may_submit_kyc(role, org)?;
            }
            let orgs: Vec<String> = mine
                .into_iter()
                .filter(|(_, r)| matches!(r, OrgRole::Admin | OrgRole::ServiceUser))
                .map(|(o, _)| o.id)
                .collect();
            let found = identities::list(
                conn,
                &orgs,
                &IdentityFilter {
                    organization_id: q.organization_id,
                    enterprise_id: q.enterprise_id,
                    user_id: q.user_id,
                    identity_id: q.identity_id.clone(),
                },
            )?;
            if let (Some(id), true) = (&q.identity_id, found.is_empty()) {
                return Err(Error::NotFound(format!("identity {id} not found")));
            }
            Ok(found)
        })
        .await?;
    let list: Vec<Value> = found.iter().map(|i| identity_json(i, now)).collect();
    authed.reply(StatusCode::OK, &json!({ "identities": list }))
}

/// `PATCH /api/evs/v1/identity/{id}`: merges the fields sent into an undecided identity
/// (`debugStatus` changes how it will end); the identity's update document.
pub async fn patch_identity(
    authed: Authed,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseManageAll)?;
    let now = authed.now_ms();
    let body: Value = authed.call.json()?;
    let patch = kyc::validate_patch(&body, now)?;
    crate::service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
    let identity_id = id.into_inner();
    let caller = authed.principal.user_id().to_string();
    let identity = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            let not_found = || Error::NotFound(format!("identity {identity_id} not found"));
            let mut identity = identities::find_by_id(conn, &identity_id)?.ok_or_else(not_found)?;
            let role = organizations::role_of(conn, &identity.organization_id, &caller)?;
            policy::may_submit_kyc(role, &identity.organization_id).map_err(|e| match e {
                Error::NotFound(_) => not_found(),
                other => other,
            })?;
            let status = identity.schedule.status_at(now);
            if kyc::is_decided(status) {
                return Err(Error::Conflict(format!(
                    "identity {identity_id} is already {status} and can no longer be updated"
                )));
            }
            for (field, current) in [
                ("organizationId", &identity.organization_id),
                ("enterpriseId", &identity.enterprise_id),
                ("userId", &identity.user_id),
            ] {
                if let Some(sent) = patch.get(field) {
                    if sent.as_str() != Some(current.as_str()) {
                        return Err(Error::Invalid(format!(
                            "invalid {field}: it cannot be changed on an identity"
                        )));
                    }
                }
            }
            if let Some(debug) = patch.get("debugStatus") {
                identity.schedule.outcome = Outcome::from_debug_status(debug.as_str())?;
            }
            identity.fields.extend(patch);
            identity.updated_at = now;
            identities::update(conn, &identity)?;
            Ok(identity)
        })
        .await?;
    let mut doc = identity_json(&identity, now);
    if let Value::Object(map) = &mut doc {
        map.retain(|k, _| {
            matches!(
                k.as_str(),
                "id" | "status"
                    | "organizationId"
                    | "enterpriseId"
                    | "userId"
                    | "createdAt"
                    | "updatedAt"
                    | "errorDescription"
                    | "signaturesSubmitted"
                    | "signaturesRequired"
            )
        });
    }
    authed.reply(StatusCode::OK, &doc)
}
