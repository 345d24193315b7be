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
use crate::domain::kyc;
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::domain::scope::Scope;
use crate::service;
use crate::store::kyc::{self as identities, IdentityFilter};
use crate::store::organizations;

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
        .write(move |conn| service::kyc::submit(conn, submission, &caller, &delays, now))
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
    service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
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
    service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
    let identity_id = id.into_inner();
    let caller = authed.principal.user_id().to_string();
    let identity = authed
        .call
        .sandbox
        .store
        .write(move |conn| service::kyc::patch(conn, &identity_id, patch, &caller, now))
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
