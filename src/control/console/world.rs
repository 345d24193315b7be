//! `GET /sandbox/console/world?offset&limit&q&as`: the BitGo world as the console draws it, a
//! page of enterprises at a time, read straight from the store. Enterprises come grouped by
//! organization (the parent enterprise first; enterprises in no organization last), each with
//! KYC state, users (permissions, organization role, video approver), Go Accounts (balances,
//! newest transfers and orders) and the approvals still open, with who created them and who may
//! resolve them. With `as` (a user id or login email), every enterprise and Go Account also
//! says what that user may do there, asked of `domain::policy` as the public routes ask it.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::control::console::go_accounts::{go_accounts, verdict};
use crate::control::{Admin, ControlError};
use crate::domain::error::{Error, Result};
use crate::domain::organization::OrgMember;
use crate::domain::policy;
use crate::service::access;
use crate::store::child_enterprises::CHILD;
use crate::store::{console, enterprise_users, enterprises, organizations, users};

/// Enterprises per page unless asked otherwise.
const DEFAULT_PAGE: usize = 25;
/// Most enterprises per page.
const MAX_PAGE: usize = 200;
/// At most this many open approvals per enterprise.
const MAX_APPROVALS: usize = 50;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorldQuery {
    offset: Option<usize>,
    limit: Option<usize>,
    q: Option<String>,
    #[serde(rename = "as")]
    viewer: Option<String>,
}

/// `GET /sandbox/console/world`: `{total, offset, limit, viewer, organizations: [{id, name,
/// members, enterprises: [...]}]}`; the group of enterprises in no organization has `id: null`.
pub async fn show_world(admin: Admin, req: HttpRequest) -> Result<HttpResponse, ControlError> {
    let q: WorldQuery = crate::control::body::query(&req)?;
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(Error::Invalid(format!("limit must be 1 to {MAX_PAGE}")).into());
    }
    let world = admin
        .sandbox
        .store
        .read(move |conn| read_world(conn, &q, limit))
        .await?;
    Ok(HttpResponse::Ok().json(world))
}

fn read_world(conn: &Connection, q: &WorldQuery, limit: usize) -> Result<Value> {
    let viewer = match q.viewer.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => {
            let found = match users::find_by_id(conn, v)? {
                Some(u) => Some(u),
                None => users::find_by_username(conn, v)?,
            };
            Some(found.ok_or_else(|| Error::NotFound(format!("no BitGo user {v}")))?)
        }
        None => None,
    };
    let viewer_id = viewer.as_ref().map(|u| u.id.as_str());
    let search = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let offset = q.offset.unwrap_or(0);
    let (total, ids) = console::enterprise_page(conn, search, offset, limit)?;

    // Consecutive enterprises of one organization form its group.
    let mut groups: Vec<(Option<String>, Vec<Value>)> = Vec::new();
    let mut orgs: HashMap<String, OrgFacts> = HashMap::new();
    for id in ids {
        let Some(e) = enterprises::find_by_id(conn, &id)? else {
            continue;
        };
        let facts = match &e.organization_id {
            Some(org_id) => {
                if !orgs.contains_key(org_id) {
                    orgs.insert(org_id.clone(), OrgFacts::read(conn, org_id)?);
                }
                orgs.get(org_id)
            }
            None => None,
        };
        let view = enterprise_view(conn, &e, facts, viewer_id)?;
        match groups.last_mut() {
            Some((org, list)) if *org == e.organization_id => list.push(view),
            _ => groups.push((e.organization_id.clone(), vec![view])),
        }
    }
    let mut out = Vec::new();
    for (org_id, list) in groups {
        out.push(match org_id.as_ref().and_then(|id| orgs.get(id)) {
            Some(facts) => facts.view(conn, list)?,
            None => json!({ "id": null, "name": null, "members": [], "enterprises": list }),
        });
    }
    Ok(json!({
        "total": total,
        "offset": offset,
        "limit": limit,
        "viewer": viewer.map(|u| json!({ "id": u.id, "username": u.username })),
        "organizations": out,
    }))
}

/// What every enterprise of one organization needs to know about it.
struct OrgFacts {
    row: organizations::OrganizationRow,
    members: Vec<OrgMember>,
    roles: HashMap<String, &'static str>,
    parent: Option<String>,
}

impl OrgFacts {
    fn read(conn: &Connection, org_id: &str) -> Result<OrgFacts> {
        let row = organizations::find_by_id(conn, org_id)?
            .ok_or_else(|| Error::NotFound(format!("organization {org_id} not found")))?;
        let members = organizations::members(conn, org_id)?;
        let roles = members
            .iter()
            .map(|m| (m.user_id.clone(), m.role.as_str()))
            .collect();
        let parent = organizations::parent_enterprise_id(conn, org_id)?;
        Ok(OrgFacts {
            row,
            members,
            roles,
            parent,
        })
    }

    fn view(&self, conn: &Connection, enterprises: Vec<Value>) -> Result<Value> {
        let mut members = Vec::new();
        for m in &self.members {
            members.push(json!({
                "userId": m.user_id,
                "username": users::username_or_id(conn, &m.user_id)?,
                "role": m.role.as_str(),
            }));
        }
        Ok(json!({
            "id": self.row.id,
            "name": self.row.name,
            "members": members,
            "enterprises": enterprises,
        }))
    }
}

fn enterprise_view(
    conn: &Connection,
    e: &enterprises::EnterpriseRow,
    org: Option<&OrgFacts>,
    viewer: Option<&str>,
) -> Result<Value> {
    let no_roles = HashMap::new();
    let roles = org.map_or(&no_roles, |o| &o.roles);
    let members = enterprise_users::list(conn, &e.id)?;
    let user_views: Vec<Value> = members
        .iter()
        .map(|m| {
            json!({
                "id": m.user.id,
                "username": m.user.username,
                "name": format!("{} {}", m.user.first_name, m.user.last_name).trim().to_string(),
                "permissions": m.permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "organizationRole": roles.get(&m.user.id),
                "videoApprover": m.video_id_user,
                "active": m.user.is_active,
            })
        })
        .collect();
    let admins: Vec<&str> = members
        .iter()
        .filter(|m| m.is_admin())
        .map(|m| m.user.id.as_str())
        .collect();
    let mut approvals = Vec::new();
    for a in console::open_approvals(conn, &e.id, MAX_APPROVALS)? {
        // Named resolvers, or else every enterprise admin but the creator.
        let named: Vec<&str> = a.user_ids.iter().map(String::as_str).collect();
        let candidates = if named.is_empty() { &admins } else { &named };
        let mut resolver_names = Vec::new();
        for id in candidates.iter().filter(|id| **id != a.creator_id) {
            resolver_names.push(users::username_or_id(conn, id)?);
        }
        approvals.push(json!({
            "id": a.id,
            "kind": a.kind,
            "state": a.state.as_str(),
            "creatorId": a.creator_id,
            "creator": users::username_or_id(conn, &a.creator_id)?,
            "approvalsRequired": a.approvals_required,
            "mayResolve": resolver_names,
            "info": a.info,
            "createdAt": a.created_at,
        }));
    }
    let mut view = json!({
        "id": e.id,
        "name": e.name,
        "organizationId": e.organization_id,
        "parent": org.is_some_and(|o| o.parent.as_deref() == Some(e.id.as_str())),
        "businessModel": e.business_model,
        "accountType": e.account_type,
        "kycState": e.kyc_state,
        "users": user_views,
        "goAccounts": go_accounts(conn, &e.id, viewer)?,
        "pendingApprovals": approvals,
    });
    if let Some(user_id) = viewer {
        let membership = enterprises::permissions_of(conn, &e.id, user_id)?;
        let org_role = access::org_role_for(conn, e, user_id)?;
        view["viewAs"] = json!({
            "view": verdict(policy::may_view_enterprise_of_kind(
                e.business_model == CHILD,
                membership.as_deref(),
                org_role,
                &e.id,
            )),
            "manage": verdict(policy::may_manage_enterprise(membership.as_deref())),
        });
    }
    Ok(view)
}
