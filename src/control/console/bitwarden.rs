//! The console's Bitwarden panel:
//! - `GET /sandbox/console/bitwarden`: the Bitwarden world as the console draws it:
//!   organizations with plan and seats, their members (email, name, role, status), collections
//!   (name, externalId, how many members and groups have access), groups (name, members) and
//!   policies (type, name, enabled), read from the store.
//! - `POST /sandbox/console/bitwarden/token {organizationId, memberId}`: an access token for
//!   that member's user, minted as the identity server mints one (the claims of every confirmed
//!   membership as it stands, scope `api`, no refresh token), so that the page can act on
//!   members through the real Bitwarden routes and their rules decide. Only a confirmed member
//!   who may manage users (an owner, an admin, a custom member with `manageUsers`) is acted as:
//!   anyone else is a 403 and nothing is minted.

use actix_web::web::Bytes;
use actix_web::HttpResponse;
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::control::{body, Admin, ControlError};
use crate::domain::bitwarden::org_policies::policy_type;
use crate::domain::bitwarden::policy::{can, Permission};
use crate::domain::error::{Error, Result};
use crate::domain::ids::new_uuid;
use crate::service::bitwarden_tokens::{access_token, jwt_key, Device, Issue};
use crate::store::bitwarden::{collections, groups, members, policies, users};
use crate::store::console;

/// At most this many organizations are drawn.
const MAX_ORGANIZATIONS: usize = 200;

/// The client the console's tokens are issued to: the web vault, which an admin uses.
const CONSOLE_CLIENT: &str = "web";
/// `DeviceType.ChromeBrowser`, the browser the console runs in as far as the server knows.
const CONSOLE_DEVICE_TYPE: i64 = 9;

/// `GET /sandbox/console/bitwarden`: `{organizations: [{id, name, plan, planType, seats,
/// occupiedSeats, enabled, members: [{id, userId, email, name, type, typeNumber, status}],
/// collections: [{id, name, externalId, users, groups}], groups: [{id, name, externalId,
/// members: [email]}], policies: [{type, name, enabled}]}]}`.
pub async fn show_bitwarden(admin: Admin) -> Result<HttpResponse, ControlError> {
    let world = admin.sandbox.store.read(read_bitwarden).await?;
    Ok(HttpResponse::Ok().json(world))
}

fn read_bitwarden(conn: &Connection) -> Result<Value> {
    let mut out = Vec::new();
    for org in console::bitwarden_organizations(conn, MAX_ORGANIZATIONS)? {
        let (list, emails) = read_members(conn, &org.id)?;
        out.push(json!({
            "id": org.id,
            "name": org.name,
            "plan": org.plan_name,
            "planType": org.plan_type,
            "seats": org.seats,
            "occupiedSeats": members::occupied_seats(conn, &org.id)?,
            "enabled": org.enabled,
            "members": list,
            "collections": read_collections(conn, &org.id)?,
            "groups": read_groups(conn, &org.id, &emails)?,
            "policies": read_policies(conn, &org.id)?,
        }));
    }
    Ok(json!({ "organizations": out }))
}

/// The members as drawn, and each member id's email (for the groups).
fn read_members(conn: &Connection, org_id: &str) -> Result<(Vec<Value>, Vec<(String, String)>)> {
    let mut list = Vec::new();
    let mut emails = Vec::new();
    for m in members::list_for_org(conn, org_id)? {
        let user = match &m.user_id {
            Some(id) => users::find(conn, id)?,
            None => None,
        };
        let email = user.as_ref().map(|u| u.email.clone()).or(m.email.clone());
        emails.push((m.id.clone(), email.clone().unwrap_or_default()));
        list.push(json!({
            "id": m.id,
            "userId": m.user_id,
            "email": email,
            "name": user.as_ref().and_then(|u| u.name.clone()),
            "type": format!("{:?}", m.member_type),
            "typeNumber": m.member_type.as_i64(),
            "status": format!("{:?}", m.status),
        }));
    }
    Ok((list, emails))
}

fn read_collections(conn: &Connection, org_id: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for c in collections::list_for_org(conn, org_id)? {
        out.push(json!({
            "id": c.id,
            "name": c.name,
            "externalId": c.external_id,
            "users": collections::users_of(conn, &c.id)?.len(),
            "groups": collections::groups_of(conn, &c.id)?.len(),
        }));
    }
    Ok(out)
}

fn read_groups(conn: &Connection, org_id: &str, emails: &[(String, String)]) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for g in groups::list_for_org(conn, org_id)? {
        let names: Vec<&str> = groups::member_ids(conn, &g.id)?
            .iter()
            .filter_map(|id| emails.iter().find(|(m, _)| m == id))
            .map(|(_, email)| email.as_str())
            .collect();
        out.push(json!({
            "id": g.id,
            "name": g.name,
            "externalId": g.external_id,
            "members": names,
        }));
    }
    Ok(out)
}

fn read_policies(conn: &Connection, org_id: &str) -> Result<Vec<Value>> {
    Ok(policies::list_for_org(conn, org_id)?
        .into_iter()
        .map(|p| {
            let name = policy_type(p.policy_type).map(|t| t.name);
            json!({ "type": p.policy_type, "name": name, "enabled": p.enabled })
        })
        .collect())
}

/// `POST /sandbox/console/bitwarden/token`'s body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ActAs {
    organization_id: String,
    member_id: String,
}

/// `POST /sandbox/console/bitwarden/token {organizationId, memberId}`: `{accessToken,
/// tokenType, expiresIn, userId, email, memberId, organizationId, type}`; 404 for an unknown
/// organization or member, 403 for a member who may not manage users (not confirmed, or a
/// user, or a custom member without `manageUsers`).
pub async fn act_as(admin: Admin, body: Bytes) -> Result<HttpResponse, ControlError> {
    let ask: ActAs = body::json(&body)?;
    let now_s = admin.sandbox.clock.now_ms().div_euclid(1000);
    let lifetime_s = admin.state.bitwarden.access_token_seconds;
    let answer = admin
        .sandbox
        .store
        .read(move |c| mint_for_member(c, &ask, now_s, lifetime_s))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

fn mint_for_member(c: &Connection, ask: &ActAs, now_s: i64, lifetime_s: i64) -> Result<Value> {
    let unknown = || Error::NotFound(format!("member {} not found", ask.member_id));
    let m = members::find(c, &ask.organization_id, &ask.member_id)?.ok_or_else(unknown)?;
    if !can(Some(&m.as_membership()), Permission::ManageUsers) {
        return Err(Error::Forbidden(format!(
            "the console acts only as a confirmed owner, admin or custom member who manages \
             users; member {} is a {:?} ({:?})",
            m.id, m.member_type, m.status
        )));
    }
    let user_id = m.user_id.clone().ok_or_else(unknown)?;
    let user = users::find(c, &user_id)?.ok_or_else(unknown)?;
    let device = Device {
        identifier: new_uuid(),
        device_type: CONSOLE_DEVICE_TYPE,
    };
    let issue = Issue {
        client_id: CONSOLE_CLIENT,
        device: Some(&device),
        now_s,
        lifetime_s,
        scopes: &["api"],
    };
    let token = access_token(c, &jwt_key(c)?, &user, &issue)?;
    Ok(json!({
        "accessToken": token,
        "tokenType": "Bearer",
        "expiresIn": lifetime_s,
        "userId": user.id,
        "email": user.email,
        "memberId": m.id,
        "organizationId": m.organization_id,
        "type": m.member_type.as_i64(),
    }))
}
