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

use std::collections::HashMap;

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

/// Each member's email (or invited address) by member id.
type Emails = HashMap<String, String>;

/// The members as drawn, and their emails (for the groups).
fn read_members(conn: &Connection, org_id: &str) -> Result<(Vec<Value>, Emails)> {
    let mut list = Vec::new();
    let mut emails = Emails::new();
    for m in members::list_for_org(conn, org_id)? {
        let user = match &m.user_id {
            Some(id) => users::find(conn, id)?,
            None => None,
        };
        let email = user.as_ref().map(|u| u.email.clone()).or(m.email.clone());
        emails.insert(m.id.clone(), email.clone().unwrap_or_default());
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

fn read_groups(conn: &Connection, org_id: &str, emails: &Emails) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for g in groups::list_for_org(conn, org_id)? {
        let names: Vec<&str> = groups::member_ids(conn, &g.id)?
            .iter()
            .filter_map(|id| emails.get(id).map(String::as_str))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::bitwarden::BitwardenConfig;
    use crate::store::bitwarden::collections::{Access, BwCollection};
    use crate::store::bitwarden::groups::BwGroup;
    use crate::store::bitwarden::members::BwMember;
    use crate::store::bitwarden::policies::BwPolicy;
    use crate::store::Store;

    /// The demo world with a group of two, a collection reached by one member and that group,
    /// and a disabled policy, written straight to the store.
    fn world() -> (tempfile::TempDir, Store, String) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("orgbox.sqlite")).unwrap();
        let demo =
            crate::seed::bitwarden::seed_bitwarden(&store, 0, &BitwardenConfig::default()).unwrap();
        let org = demo.organization_id.unwrap();
        let o = org.clone();
        store
            .write_blocking(move |c| -> Result<()> {
                let ms = members::list_for_org(c, &o)?;
                let g = BwGroup {
                    id: new_uuid(),
                    organization_id: o.clone(),
                    name: "Accounting".into(),
                    external_id: Some("acct".into()),
                    created_at: 0,
                    revision_at: 0,
                };
                groups::insert(c, &g)?;
                groups::set_members(c, &g.id, &[ms[1].id.clone(), ms[2].id.clone()])?;
                let col = BwCollection {
                    id: new_uuid(),
                    organization_id: o.clone(),
                    name: "2.aXY=|Y3Q=|bWFj".into(),
                    external_id: Some("sales".into()),
                    collection_type: 0,
                    created_at: 0,
                    revision_at: 0,
                };
                collections::insert(c, &col)?;
                let access = |id: &str| Access {
                    id: id.to_string(),
                    read_only: true,
                    hide_passwords: false,
                    manage: false,
                };
                collections::set_users(c, &col.id, &[access(&ms[2].id)])?;
                collections::set_groups(c, &col.id, &[access(&g.id)])?;
                policies::upsert(
                    c,
                    &BwPolicy {
                        id: new_uuid(),
                        organization_id: o.clone(),
                        policy_type: 1,
                        enabled: false,
                        data: None,
                        created_at: 0,
                        revision_at: 0,
                    },
                )
            })
            .unwrap();
        (dir, store, org)
    }

    #[test]
    fn the_panel_reads_collections_groups_and_policies_from_the_store() {
        let (_dir, store, org) = world();
        let view = store.write_blocking(read_bitwarden).unwrap();
        let o = &view["organizations"][0];
        assert_eq!(o["id"], org);
        assert_eq!(
            o["groups"],
            json!([{"id": o["groups"][0]["id"], "name": "Accounting", "externalId": "acct",
                "members": ["george@vandelay.test", "kramer@vandelay.test"]}])
        );
        let col = &o["collections"][0];
        assert_eq!(
            (
                col["externalId"].clone(),
                col["users"].clone(),
                col["groups"].clone()
            ),
            (json!("sales"), json!(1), json!(1))
        );
        assert_eq!(
            o["policies"],
            json!([{"type": 1, "name": "Master password requirements", "enabled": false}])
        );
        assert_eq!(o["members"][0]["typeNumber"], 0);
    }

    #[test]
    fn only_a_member_who_manages_users_is_acted_as() {
        let (_dir, store, org) = world();
        let ms = store
            .write_blocking({
                let o = org.clone();
                move |c| members::list_for_org(c, &o)
            })
            .unwrap();
        let ask = |m: &BwMember| ActAs {
            organization_id: org.clone(),
            member_id: m.id.clone(),
        };
        let (owner, user, accepted) = (ask(&ms[0]), ask(&ms[2]), ask(&ms[3]));
        let minted = store
            .write_blocking(move |c| mint_for_member(c, &owner, 100, 3600))
            .unwrap();
        assert_eq!(
            (minted["type"].clone(), minted["expiresIn"].clone()),
            (json!(0), json!(3600))
        );
        let key = store.write_blocking(jwt_key).unwrap();
        let token = minted["accessToken"].as_str().unwrap();
        let claims = crate::auth::jwt::verify(&key, token, 100).unwrap();
        assert_eq!(
            claims["orgowner"],
            json!(org),
            "the real claims: {claims:?}"
        );
        assert_eq!(claims["scope"], json!(["api"]));
        assert_eq!(claims["sub"], json!(ms[0].user_id));
        for refused in [user, accepted] {
            let e = store
                .write_blocking(move |c| mint_for_member(c, &refused, 100, 3600))
                .unwrap_err();
            assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
        }
    }
}
