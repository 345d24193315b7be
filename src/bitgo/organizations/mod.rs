//! Organizations (Crypto-as-a-Service): `GET /api/v2/organization` (the caller's) and
//! `GET /api/v2/organization/{id}`; organization users in [`users`], child enterprises in
//! [`children`]. An organization carries its parent enterprise's name and has its own id.

pub mod children;
pub mod create_child;
pub mod users;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::domain::error::Error;
use crate::domain::ids::is_hex_id;
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::domain::scope::Scope;
use crate::store::enterprise_users;
use crate::store::organizations::{self, OrganizationRow};

/// The legal entity every sandbox enterprise is held by (as on enterprises).
const BITGO_ORG: &str = "BitGo Trust";

/// A path's organization id: 32 lowercase hex, or a 400 (BitGo's `InvalidOrganizationId`).
pub(crate) fn organization_id(raw: String) -> Result<String, BitgoError> {
    if is_hex_id(&raw) {
        Ok(raw)
    } else {
        Err(Error::Invalid(format!(
            "invalid organization id {raw:?}: expected 32 lowercase hex characters"
        ))
        .into())
    }
}

/// The base of links in captured mail (see [`crate::request::public_base`]).
pub(crate) fn base_url(req: &HttpRequest) -> String {
    crate::request::public_base(req)
}

pub(crate) use crate::service::organizations::caller_role;

/// Everything the organization document shows.
struct OrganizationView {
    org: OrganizationRow,
    enterprises: Vec<String>,
    video_id_users: Vec<String>,
}

impl OrganizationView {
    /// BitGo's `Organization` (`OrganizationGetResponse.organization`).
    fn to_json(&self) -> Value {
        json!({
            "id": self.org.id,
            "name": self.org.name,
            "enterprises": self.enterprises,
            "pricingPlan": null,
            "enterpriseNameSuffix": null,
            "defaultEnterpriseValues": {
                "bitgoOrg": BITGO_ORG,
                "licenses": [],
                "accountType": "individual",
                "businessModel": "cryptoAsAServiceChild"
            },
            "approvedVideoIdUsers": self.video_id_users,
            "orgFeatureFlags": [],
            "licenses": [],
            "businessModel": "cryptoAsAService"
        })
    }
}

/// `GET /api/v2/organization?role=`: `{organizations: [{id, name, enterpriseCount, role,
/// businessModel}]}` the caller belongs to, optionally only those where they hold `role`
/// (repeatable).
pub async fn list_organizations(
    authed: Authed,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    let mut roles = Vec::new();
    for (key, value) in query.into_inner() {
        if key == "role" || key == "role[]" {
            roles.push(OrgRole::parse(&value).ok_or_else(|| {
                Error::Invalid(format!(
                    "invalid role {value:?}: expected serviceUser, admin, member or customer"
                ))
            })?);
        }
    }
    let caller = authed.principal.user_id().to_string();
    let list = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            let mut out = Vec::new();
            for (org, role) in organizations::list_for_user(conn, &caller)? {
                if roles.is_empty() || roles.contains(&role) {
                    let count = organizations::enterprise_ids(conn, &org.id)?.len();
                    out.push(json!({
                        "id": org.id,
                        "name": org.name,
                        "enterpriseCount": count,
                        "role": role.as_str(),
                        "businessModel": "cryptoAsAService"
                    }));
                }
            }
            Ok(out)
        })
        .await?;
    authed.reply(StatusCode::OK, &json!({ "organizations": list }))
}

/// `GET /api/v2/organization/{id}`: `{organization}`, for its members; a 404 for anyone else.
pub async fn get_organization(
    authed: Authed,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    let org_id = organization_id(id.into_inner())?;
    let caller = authed.principal.user_id().to_string();
    let view = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            policy::may_view_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let org = organizations::find_by_id(conn, &org_id)?
                .ok_or_else(|| Error::NotFound(format!("organization {org_id} not found")))?;
            let video_id_users = match organizations::parent_enterprise_id(conn, &org_id)? {
                Some(parent) => enterprise_users::video_approver_ids(conn, &parent)?,
                None => Vec::new(),
            };
            Ok(OrganizationView {
                enterprises: organizations::enterprise_ids(conn, &org_id)?,
                video_id_users,
                org,
            })
        })
        .await?;
    authed.reply(StatusCode::OK, &json!({ "organization": view.to_json() }))
}
