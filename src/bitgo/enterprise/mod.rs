//! Enterprises: `GET /api/v{1,2}/enterprise/{id}`, the list, and `PUT` of its settings
//! (`approvalsRequired`). Its users are in [`users`].

pub mod users;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::approvals::{base_url, view};
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::views::enterprise_json;
use crate::domain::approval::check_approvals_required;
use crate::domain::enterprise_change::EnterpriseChange;
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::policy;
use crate::domain::role::EnterprisePermission;
use crate::domain::scope::Scope;
use crate::request::json::integer_field;
use crate::service::access;
use crate::service::approvals::{self, Context, Submitted};
use crate::store::enterprises::{self, EnterpriseRow};
use crate::store::{child_enterprises, enterprise_users};

/// A well-formed enterprise id, or a 400 naming it.
pub fn check_enterprise_id(id: String) -> Result<String> {
    if is_hex_id(&id) {
        Ok(id)
    } else {
        Err(Error::Invalid(format!(
            "invalid enterprise id {id:?}: expected 32 lowercase hex characters"
        )))
    }
}

/// The enterprise, or a 404.
pub fn load_enterprise(conn: &rusqlite::Connection, id: &str) -> Result<EnterpriseRow> {
    enterprises::find_by_id(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("enterprise {id} not found")))
}

/// The enterprise document with its stored `approvalsRequired` (use this rather than
/// `views::enterprise_json` alone, which cannot know the setting).
pub fn document(
    conn: &rusqlite::Connection,
    e: &EnterpriseRow,
    permissions: &[EnterprisePermission],
) -> Result<Value> {
    let mut doc = enterprise_json(e, permissions);
    doc["approvalsRequired"] = enterprise_users::approvals_required(conn, &e.id)?
        .unwrap_or(1)
        .into();
    Ok(doc)
}

/// `GET /api/v{1,2}/enterprise/{id}`: for members, with `enterprise_view_all`; a child
/// enterprise also for its organization's admins (anyone else gets a 404 for it).
pub async fn get_enterprise(
    authed: Authed,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    let id = check_enterprise_id(id.into_inner())?;
    crate::service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
    let user_id = authed.principal.user_id().to_string();
    let doc = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            let enterprise = load_enterprise(conn, &id)?;
            let permissions = enterprises::permissions_of(conn, &id, &user_id)?;
            // A child enterprise is also visible to its organization's admins, and does not
            // exist for anyone else.
            let org_role = access::org_role_for(conn, &enterprise, &user_id)?;
            policy::may_view_enterprise_of_kind(
                enterprise.business_model == child_enterprises::CHILD,
                permissions.as_deref(),
                org_role,
                &id,
            )?;
            let mut doc = document(
                conn,
                &enterprise,
                permissions.as_deref().unwrap_or_default(),
            )?;
            let (_, primary_contact) = child_enterprises::details(conn, &id)?;
            if let Some(contact) = primary_contact {
                doc["primaryContact"] = contact.into();
            }
            Ok(doc)
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}

/// `GET /api/v{1,2}/enterprise`: `{enterprises}` the caller belongs to.
pub async fn list_enterprises(authed: Authed) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    crate::service::kyc::settle(&authed.call.sandbox.store, authed.now_ms()).await?;
    let user_id = authed.principal.user_id().to_string();
    let list = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            enterprises::list_for_user(conn, &user_id)?
                .iter()
                .map(|m| document(conn, &m.enterprise, &m.permissions))
                .collect::<Result<Vec<_>>>()
        })
        .await?;
    authed.reply(StatusCode::OK, &json!({ "enterprises": list }))
}

/// `PUT /api/v2/enterprise/{id}` `{approvalsRequired}`: by an enterprise admin with
/// `enterprise_manage_all`. 200 with the enterprise, or 202 with a pending approval
/// (`updateApprovalsRequiredRequest`) when another admin could approve.
pub async fn update_enterprise(
    authed: Authed,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseManageAll)?;
    let id = check_enterprise_id(id.into_inner())?;
    let body: Map<String, Value> = authed.call.json()?;
    if let Some(other) = body.keys().find(|k| k.as_str() != "approvalsRequired") {
        return Err(Error::Invalid(format!(
            "unsupported enterprise setting {other:?}: orgbox can change approvalsRequired"
        ))
        .into());
    }
    let requested = integer_field(body.get("approvalsRequired"), "approvalsRequired")?
        .ok_or_else(|| Error::Invalid("approvalsRequired is required".into()))?;
    let actor = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let base = base_url(&req);
    let (submitted, doc) = authed
        .call
        .sandbox
        .store
        .write(move |conn| -> Result<_> {
            let enterprise = load_enterprise(conn, &id)?;
            let permissions = enterprises::permissions_of(conn, &id, &actor)?;
            policy::may_manage_enterprise(permissions.as_deref())?;
            let admins = enterprise_users::admin_ids(conn, &id)?.len();
            let requested = check_approvals_required(requested, admins)?;
            let current = enterprise_users::approvals_required(conn, &id)?.unwrap_or(1);
            let submitted = if requested == current {
                Submitted::Applied
            } else {
                let ctx = Context {
                    enterprise: &enterprise,
                    actor_id: &actor,
                    now_ms: now,
                    base_url: &base,
                };
                approvals::submit(
                    conn,
                    &ctx,
                    vec![EnterpriseChange::SetApprovalsRequired { requested }],
                )?
            };
            let doc = document(
                conn,
                &enterprise,
                permissions.as_deref().unwrap_or_default(),
            )?;
            Ok((submitted, doc))
        })
        .await?;
    match submitted {
        Submitted::Applied => authed.reply(StatusCode::OK, &doc),
        Submitted::Pending(opened) => {
            let first = opened
                .first()
                .ok_or_else(|| Error::Internal("no approval opened".into()))?;
            authed.reply(StatusCode::ACCEPTED, &view::approval_json(first, &[]))
        }
    }
}
