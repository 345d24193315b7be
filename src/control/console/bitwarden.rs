//! `GET /sandbox/console/bitwarden`: the Bitwarden world as the console draws it: organizations
//! with plan, seats and their members (email, name, role, status), read from the store.

use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::control::{Admin, ControlError};
use crate::domain::error::Result;
use crate::store::bitwarden::{members, users};
use crate::store::console;

/// At most this many organizations are drawn.
const MAX_ORGANIZATIONS: usize = 200;

/// `GET /sandbox/console/bitwarden`: `{organizations: [{id, name, plan, planType, seats,
/// occupiedSeats, enabled, members: [{email, name, type, status}]}]}`.
pub async fn show_bitwarden(admin: Admin) -> Result<HttpResponse, ControlError> {
    let world = admin.sandbox.store.read(read_bitwarden).await?;
    Ok(HttpResponse::Ok().json(world))
}

fn read_bitwarden(conn: &Connection) -> Result<Value> {
    let mut out = Vec::new();
    for org in console::bitwarden_organizations(conn, MAX_ORGANIZATIONS)? {
        let mut list = Vec::new();
        for m in members::list_for_org(conn, &org.id)? {
            let user = match &m.user_id {
                Some(id) => users::find(conn, id)?,
                None => None,
            };
            list.push(json!({
                "id": m.id,
                "email": user.as_ref().map(|u| u.email.clone()).or_else(|| m.email.clone()),
                "name": user.as_ref().and_then(|u| u.name.clone()),
                "type": format!("{:?}", m.member_type),
                "status": format!("{:?}", m.status),
            }));
        }
        out.push(json!({
            "id": org.id,
            "name": org.name,
            "plan": org.plan_name,
            "planType": org.plan_type,
            "seats": org.seats,
            "occupiedSeats": members::occupied_seats(conn, &org.id)?,
            "enabled": org.enabled,
            "members": list,
        }));
    }
    Ok(json!({ "organizations": out }))
}
