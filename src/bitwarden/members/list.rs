//! Reading members: the list (`bw list org-members`), the mini list every member may read, one
//! member, and members' public keys (what a client wraps the organization key with).

use actix_web::web::{Bytes, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::views::{self, MemberDetails};
use super::{bulk_ids, path_ids};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::organizations::{org_id, OrgAccess};
use crate::bitwarden::views as wire;
use crate::domain::bitwarden::policy::{passes, Gate, Permission};
use crate::store::bitwarden::{members, users};

/// Whether the query string sets `name` to true (any case), as ASP.NET binds a bool.
pub fn flag(req: &HttpRequest, name: &str) -> bool {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(name) && v.eq_ignore_ascii_case("true"))
}

/// `GET /organizations/{orgId}/users[?includeGroups&includeCollections]`: every member for
/// those who manage users, only the members enrolled in account recovery for those who manage
/// it, a 404 for anyone else.
pub async fn list_members(
    call: BwCall,
    path: Path<String>,
    req: HttpRequest,
) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let (with_groups, with_collections) = (
        flag(&req, "includeGroups"),
        flag(&req, "includeCollections"),
    );
    let m = call.caller.membership(&id);
    let all = passes(m.as_ref(), Gate::Permission(Permission::ManageUsers));
    let recovery = passes(
        m.as_ref(),
        Gate::Permission(Permission::ManageResetPassword),
    );
    if !all && !recovery {
        return Err(BwError::NotFound);
    }
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let mut out = Vec::new();
            for m in members::list_for_org(c, &id)? {
                if !all && m.reset_password_key.is_none() {
                    continue;
                }
                let d = MemberDetails::load(c, m)?;
                out.push(views::user_details(&d, with_collections, with_groups));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /organizations/{orgId}/users/mini-details`: any member (403 for anyone else).
pub async fn mini_details(call: BwCall, path: Path<String>) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let caller = call.caller.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| {
            if let Err(denied) = OrgAccess::load(c, &id, &caller)?.require(Gate::Member) {
                return Ok(Err(denied));
            }
            let mut out = Vec::new();
            for m in members::list_for_org(c, &id)? {
                out.push(views::mini(&MemberDetails::load(c, m)?));
            }
            Ok(Ok(out))
        })
        .await??;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /organizations/{orgId}/users/{id}[?includeGroups]`: those who manage users (403 for
/// anyone else, 404 for a member of another organization).
pub async fn get_member(
    call: BwCall,
    path: Path<(String, String)>,
    req: HttpRequest,
) -> BwResult<HttpResponse> {
    let (id, member_id) = path_ids(path.into_inner())?;
    let with_groups = flag(&req, "includeGroups");
    let gate = Gate::Permission(Permission::ManageUsers);
    if !passes(call.caller.membership(&id).as_ref(), gate) {
        return Err(BwError::ForbiddenEmpty);
    }
    let found = call
        .sandbox
        .store
        .read(move |c| match members::find(c, &id, &member_id)? {
            Some(m) => Ok(Some(MemberDetails::load(c, m)?)),
            None => Ok(None),
        })
        .await?;
    let d = found.ok_or(BwError::NotFound)?;
    Ok(HttpResponse::Ok().json(views::details(&d, with_groups)))
}

/// `POST /organizations/{orgId}/users/public-keys {ids}`: the public keys of those members
/// that have an account (those who manage users).
pub async fn public_keys(call: BwCall, path: Path<String>, body: Bytes) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let gate = Gate::Permission(Permission::ManageUsers);
    if !passes(call.caller.membership(&id).as_ref(), gate) {
        return Err(BwError::ForbiddenEmpty);
    }
    let ids = bulk_ids(&Body::parse(&body, true)?)?;
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let mut out: Vec<Value> = Vec::new();
            for m in members::find_many(c, &id, &ids)? {
                let Some(uid) = &m.user_id else { continue };
                let key = users::find(c, uid)?.and_then(|u| u.public_key);
                out.push(json!({
                    "object": "organizationUserPublicKeyResponseModel",
                    "id": m.id,
                    "userId": uid,
                    "key": key,
                }));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(wire::list(data)))
}

/// `GET /users/{id}/public-key`: any signed-in user.
pub async fn user_public_key(call: BwCall, path: Path<String>) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let user = call
        .sandbox
        .store
        .read(move |c| users::find(c, &id))
        .await?;
    let user = user.ok_or(BwError::NotFound)?;
    Ok(HttpResponse::Ok().json(json!({
        "object": "userKey",
        "userId": user.id,
        "publicKey": user.public_key,
    })))
}
