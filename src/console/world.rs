//! `GET /sandbox/console/world`: the BitGo world as the console draws it, read straight from
//! the store: organizations with their members and roles, each organization's parent and child
//! enterprises with KYC state, users (permissions, organization role, video approver) and the
//! approvals still open, with who created them and who may resolve them.

use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::{json, Value};
use std::collections::HashMap;

use crate::control::{Admin, ControlError};
use crate::error::Result;
use crate::store::{console, enterprise_users, enterprises, organizations, users};

/// At most this many organizations are drawn.
const MAX_ORGANIZATIONS: usize = 200;
/// At most this many open approvals per enterprise.
const MAX_APPROVALS: usize = 50;

/// `GET /sandbox/console/world`: `{organizations: [{id, name, members, enterprises: [{id, name,
/// parent, kycState, users, pendingApprovals}]}]}`, the parent enterprise first.
pub async fn show_world(admin: Admin) -> Result<HttpResponse, ControlError> {
    let world = admin.sandbox.store.read(read_world).await?;
    Ok(HttpResponse::Ok().json(world))
}

fn read_world(conn: &Connection) -> Result<Value> {
    let mut out = Vec::new();
    for org in console::organizations(conn, MAX_ORGANIZATIONS)? {
        let members = organizations::members(conn, &org.id)?;
        let roles: HashMap<String, &'static str> = members
            .iter()
            .map(|m| (m.user_id.clone(), m.role.as_str()))
            .collect();
        let parent = organizations::parent_enterprise_id(conn, &org.id)?;
        let mut ids = organizations::enterprise_ids(conn, &org.id)?;
        // The parent first, then the children in id order.
        ids.sort_by_key(|id| Some(id) != parent.as_ref());
        let mut list = Vec::new();
        for id in ids {
            if let Some(e) = enterprises::find_by_id(conn, &id)? {
                list.push(enterprise_view(conn, &e, parent.as_deref(), &roles)?);
            }
        }
        let mut member_views = Vec::new();
        for m in &members {
            member_views.push(json!({
                "userId": m.user_id,
                "username": username(conn, &m.user_id)?,
                "role": m.role.as_str(),
            }));
        }
        out.push(json!({
            "id": org.id,
            "name": org.name,
            "members": member_views,
            "enterprises": list,
        }));
    }
    Ok(json!({ "organizations": out }))
}

fn enterprise_view(
    conn: &Connection,
    e: &enterprises::EnterpriseRow,
    parent: Option<&str>,
    roles: &HashMap<String, &'static str>,
) -> Result<Value> {
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
        let resolvers: Vec<&str> = if a.user_ids.is_empty() {
            admins
                .iter()
                .copied()
                .filter(|id| *id != a.creator_id)
                .collect()
        } else {
            a.user_ids
                .iter()
                .map(String::as_str)
                .filter(|id| *id != a.creator_id)
                .collect()
        };
        let mut resolver_names = Vec::new();
        for id in resolvers {
            resolver_names.push(username(conn, id)?);
        }
        approvals.push(json!({
            "id": a.id,
            "kind": a.kind,
            "state": a.state.as_str(),
            "creatorId": a.creator_id,
            "creator": username(conn, &a.creator_id)?,
            "approvalsRequired": a.approvals_required,
            "mayResolve": resolver_names,
            "info": a.info,
            "createdAt": a.created_at,
        }));
    }
    Ok(json!({
        "id": e.id,
        "name": e.name,
        "parent": Some(e.id.as_str()) == parent,
        "businessModel": e.business_model,
        "accountType": e.account_type,
        "kycState": e.kyc_state,
        "users": user_views,
        "pendingApprovals": approvals,
    }))
}

/// The user's login name, or their id when the user is gone.
fn username(conn: &Connection, user_id: &str) -> Result<String> {
    Ok(users::find_by_id(conn, user_id)?.map_or_else(|| user_id.to_string(), |u| u.username))
}
