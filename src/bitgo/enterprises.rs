//! Enterprises: `GET /api/v{1,2}/enterprise/{id}` and the list.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::views::enterprise_json;
use crate::domain::ids::is_hex_id;
use crate::domain::policy;
use crate::domain::scope::Scope;
use crate::error::Error;
use crate::store::{child_enterprises, enterprises, organizations};

/// `GET /api/v{1,2}/enterprise/{id}`: for members, with `enterprise_view_all`; a child
/// enterprise also for its organization's admins (anyone else gets a 404 for it).
pub async fn get_enterprise(
    authed: Authed,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    let id = id.into_inner();
    if !is_hex_id(&id) {
        return Err(Error::Invalid(format!(
            "invalid enterprise id {id:?}: expected 32 lowercase hex characters"
        ))
        .into());
    }
    crate::bitgo::kyc::settle(&authed.call).await?;
    let user_id = authed.principal.user_id().to_string();
    let (enterprise, permissions, primary_contact) = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            let enterprise = enterprises::find_by_id(conn, &id)?
                .ok_or_else(|| Error::NotFound(format!("enterprise {id} not found")))?;
            let permissions = enterprises::permissions_of(conn, &id, &user_id)?;
            // A child enterprise is also visible to its organization's admins, and does not
            // exist for anyone else.
            if enterprise.business_model == child_enterprises::CHILD {
                let org_role = match &enterprise.organization_id {
                    Some(org) => organizations::role_of(conn, org, &user_id)?,
                    None => None,
                };
                policy::may_view_child_enterprise(permissions.as_deref(), org_role, &id)?;
            } else {
                policy::may_view_enterprise(permissions.as_deref())?;
            }
            let (_, primary_contact) = child_enterprises::details(conn, &id)?;
            Ok((enterprise, permissions, primary_contact))
        })
        .await?;
    let mut doc = enterprise_json(&enterprise, permissions.as_deref().unwrap_or_default());
    if let Some(contact) = primary_contact {
        doc["primaryContact"] = contact.into();
    }
    authed.reply(StatusCode::OK, &doc)
}

/// `GET /api/v{1,2}/enterprise`: `{enterprises}` the caller belongs to.
pub async fn list_enterprises(authed: Authed) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    crate::bitgo::kyc::settle(&authed.call).await?;
    let user_id = authed.principal.user_id().to_string();
    let memberships = authed
        .call
        .sandbox
        .store
        .read(move |conn| enterprises::list_for_user(conn, &user_id))
        .await?;
    let list: Vec<_> = memberships
        .iter()
        .map(|m| enterprise_json(&m.enterprise, &m.permissions))
        .collect();
    authed.reply(StatusCode::OK, &json!({ "enterprises": list }))
}
