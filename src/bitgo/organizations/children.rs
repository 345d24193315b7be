//! Child enterprises of an organization: the list with BitGo's filters and paging, and
//! `POST /api/v2/organization/{id}/enterprise/{enterpriseId}/user` (add a user, through the
//! enterprise approval flow).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::bitgo::approvals::base_url;
use crate::bitgo::approvals::view::approval_json;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::organizations::{caller_role, organization_id};
use crate::bitgo::views::enterprise_json;
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::policy;
use crate::domain::role::EnterprisePermission;
use crate::domain::scope::Scope;
use crate::service::approvals::Submitted;
use crate::service::organizations::{self, OrgCaller};
use crate::store::child_enterprises::{self, ChildFilter};
use crate::store::enterprises;

/// Parsed list filters and page size.
fn list_filter(query: Vec<(String, String)>) -> Result<(ChildFilter, usize)> {
    let mut f = ChildFilter::default();
    let mut limit = 25usize;
    for (key, value) in query {
        match key.as_str() {
            "limit" => {
                limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .ok_or_else(|| {
                        Error::Invalid(format!("invalid limit {value:?}: expected 1 to 500"))
                    })?
            }
            "prevId" => {
                if !is_hex_id(&value) {
                    return Err(Error::Invalid(format!("invalid prevId {value:?}")));
                }
                f.prev_id = Some(value);
            }
            "search" if !value.is_empty() => f.search = Some(value),
            "kycState" | "kycState[]" => {
                if !["unverified", "approved", "rejected", "pending"].contains(&value.as_str()) {
                    return Err(Error::Invalid(format!(
                        "invalid kycState {value:?}: expected unverified, approved, rejected or pending"
                    )));
                }
                f.kyc_states.push(value);
            }
            "accountType" => {
                if value != "individual" && value != "entity" {
                    return Err(Error::Invalid(format!("invalid accountType {value:?}")));
                }
                f.account_type = Some(value);
            }
            "businessModel" => {
                if ![
                    child_enterprises::CHILD,
                    "cryptoAsAServiceParent",
                    "bitgoAsAService",
                ]
                .contains(&value.as_str())
                {
                    return Err(Error::Invalid(format!("invalid businessModel {value:?}")));
                }
                f.business_model = Some(value);
            }
            "idempotencyKey" => f.idempotency_key = Some(value),
            _ => {}
        }
    }
    if f.search.is_some() && (f.prev_id.is_some() || f.idempotency_key.is_some()) {
        return Err(Error::Invalid(
            "search cannot be combined with prevId or idempotencyKey".into(),
        ));
    }
    Ok((f, limit))
}

/// `GET /api/v2/organization/{id}/enterprise?limit&prevId&search&kycState&accountType&
/// businessModel&idempotencyKey`: `{enterprises, nextBatchPrevId?}`, for organization admins.
pub async fn list_child_enterprises(
    authed: Authed,
    id: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    let org_id = organization_id(id.into_inner())?;
    let (filter, limit) = list_filter(query.into_inner())?;
    crate::service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
    let caller = authed.principal.user_id().to_string();
    let (page, more) = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let mut rows = child_enterprises::list(conn, &org_id, &filter, limit + 1)?;
            let more = rows.len() > limit;
            rows.truncate(limit);
            let mut page = Vec::with_capacity(rows.len());
            for e in rows {
                let permissions = enterprises::permissions_of(conn, &e.id, &caller)?;
                let mut doc = enterprise_json(&e, permissions.as_deref().unwrap_or_default());
                if let (_, Some(contact)) = child_enterprises::details(conn, &e.id)? {
                    doc["primaryContact"] = contact.into();
                }
                page.push(doc);
            }
            Ok((page, more))
        })
        .await?;
    let mut reply = json!({ "enterprises": page });
    if more {
        if let Some(last) = page.last().and_then(|e| e["id"].as_str()) {
            reply["nextBatchPrevId"] = last.into();
        }
    }
    authed.reply(StatusCode::OK, &reply)
}

/// `POST /api/v2/organization/{id}/enterprise/{enterpriseId}/user {email, permissions[]}`:
/// `{userId}`. Adds an existing user to a child enterprise of the organization (as a
/// `customer` of the organization if not in it yet). Organization admins with
/// `enterprise_manage_all`. It is an enterprise user change like any other: it never
/// overwrites an existing member's permissions, and when the child has an admin other than the
/// caller it is held for one of them. BitGo's file documents this route's 200
/// `{userId}` only (extra properties allowed), so a held add answers 200 `{userId,
/// pendingApproval}`: the same pending approval `POST /api/v2/enterprise/{id}/user` answers
/// as its 202, and the user not yet added.
pub async fn add_child_enterprise_user(
    req: HttpRequest,
    authed: Authed,
    path: web::Path<(String, String)>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseManageAll)?;
    let (org_id, enterprise_id) = path.into_inner();
    let org_id = organization_id(org_id)?;
    let body: Value = authed.call.json()?;
    let email = match body.get("email") {
        Some(Value::String(e)) if !e.trim().is_empty() => e.trim().to_lowercase(),
        None | Some(Value::Null) => {
            return Err(Error::Invalid("missing required field: email".into()).into())
        }
        Some(_) => return Err(Error::Invalid("invalid email: expected a string".into()).into()),
    };
    let permissions = child_user_permissions(&body)?;
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let base = base_url(&req);
    let (user_id, submitted) = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            let who = OrgCaller {
                org_id: &org_id,
                user_id: &caller,
                now_ms: now,
                base_url: &base,
            };
            organizations::add_child_user(conn, &who, &enterprise_id, &email, permissions)
        })
        .await?;
    let mut reply = json!({ "userId": user_id });
    if let Submitted::Pending(opened) = submitted {
        let first = opened
            .first()
            .ok_or_else(|| Error::Internal("no approval opened".into()))?;
        reply["pendingApproval"] = approval_json(first, &[]);
    }
    authed.reply(StatusCode::OK, &reply)
}

/// `permissions` of an added child enterprise user: `admin` when absent, else a non-empty
/// list of admin, auditor, wallet.create.
fn child_user_permissions(body: &Value) -> Result<Vec<String>> {
    let permissions =
        match body.get("permissions") {
            None | Some(Value::Null) => vec![EnterprisePermission::Admin],
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|p| {
                    p.as_str()
                        .and_then(EnterprisePermission::parse)
                        .filter(|p| *p != EnterprisePermission::Member)
                        .ok_or_else(|| {
                            Error::Invalid(format!(
                                "invalid permissions: {p} is not admin, auditor or wallet.create"
                            ))
                        })
                })
                .collect::<Result<Vec<_>>>()?,
            Some(_) => return Err(Error::Invalid(
                "invalid permissions: expected a non-empty array of admin, auditor, wallet.create"
                    .into(),
            )),
        };
    Ok(permissions.iter().map(|p| p.as_str().to_string()).collect())
}
