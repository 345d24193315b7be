//! `MembersController` of the Public API: list, read, invite and remove the members of the
//! token's organization. Invitations go through the same command as the private route (the
//! link is mailed to the outbox) with the Public API as the acting system, so role checks
//! that bind members do not apply, as on the server.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use serde_json::{json, Value};

use super::{list, PublicCall, PublicError};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::jwt_key;
use crate::bitwarden::error::BwError;
use crate::bitwarden::event_log::Actor;
use crate::bitwarden::ids::parse_guid;
use crate::bitwarden::members::invite::{invite_many, InviteContext};
use crate::bitwarden::members::invite_request::{
    read_permissions, read_role, valid_email, Invitation,
};
use crate::bitwarden::members::status::remove_one;
use crate::bitwarden::members::views::{selection, MemberDetails};
use crate::bitwarden::selection as access_list;
use crate::config::bitwarden::Deployment;
use crate::domain::bitwarden::role::MemberType;
use crate::store::bitwarden::{members, orgs};

type Answer = Result<HttpResponse, PublicError>;

/// `MemberResponseModel` (`object: "member"`), with the member's collections (the list
/// includes them too, as the server's `includeSharedCollections` read does).
pub(super) fn member(d: &MemberDetails) -> Value {
    let m = &d.member;
    let collections: Vec<Value> = d.collections.iter().map(selection).collect();
    json!({
        "object": "member",
        "id": m.id,
        "userId": m.user_id,
        "name": d.user.as_ref().and_then(|u| u.name.clone()),
        "email": d.email(),
        "twoFactorEnabled": d.two_factor(),
        "status": m.status.as_i64(),
        "collections": collections,
        "type": m.member_type.as_i64(),
        "externalId": m.external_id,
        "resetPasswordEnrolled": m.reset_password_key.is_some(),
        "ssoExternalId": d.sso_external_id,
        "permissions": (m.member_type == MemberType::Custom).then(|| json!(m.permissions)),
    })
}

/// A `{id}` route value as a GUID (anything else: the empty 404).
pub(super) fn member_id(raw: &str) -> Result<String, PublicError> {
    Ok(parse_guid(raw).ok_or(BwError::NotFound)?)
}

/// `GET /public/members`.
pub async fn list_members(call: PublicCall) -> Answer {
    let org = call.org_id.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let mut out = Vec::new();
            for m in members::list_for_org(c, &org)? {
                out.push(member(&MemberDetails::load(c, m)?));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list(data)))
}

/// `GET /public/members/{id}`: 404 (empty) for a member of another organization.
pub async fn get_member(call: PublicCall, path: Path<String>) -> Answer {
    let (org, id) = (call.org_id.clone(), member_id(&path)?);
    let found = call
        .sandbox
        .store
        .read(move |c| match members::find(c, &org, &id)? {
            Some(m) => Ok(Some(member(&MemberDetails::load(c, m)?))),
            None => Ok(None),
        })
        .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(BwError::NotFound)?))
}

/// `MemberCreateRequestModel`: one address, its role, permissions, collections, groups and
/// external id.
fn read_create(body: &Body) -> Result<Invitation, BwError> {
    let email = body
        .str("email")?
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| BwError::field("Email", "The Email field is required."))?;
    if !valid_email(email.trim()) || email.len() > 256 {
        return Err(BwError::field(
            "Email",
            "The Email field is not a valid e-mail address.",
        ));
    }
    let collections = access_list::read(body, "collections", "Collections", true)?;
    let collections = access_list::dedup(collections.unwrap_or_default());
    access_list::check_manage(&collections)?;
    Ok(Invitation {
        emails: vec![email.trim().to_lowercase()],
        role: read_role(body)?,
        permissions: read_permissions(body)?.unwrap_or_default(),
        collections,
        groups: crate::bitwarden::members::guid_list(body, "groups")?.unwrap_or_default(),
        access_secrets_manager: false,
        external_id: body.external_id()?,
    })
}

/// `POST /public/members`: invites one member; the invitation mail lands in the outbox.
pub async fn create(call: PublicCall, body: Bytes) -> Answer {
    let inv = read_create(&Body::parse(&body, true)?)?;
    let key = jwt_key(&call.sandbox).await?;
    let hosted = call.state.bitwarden.deployment == Deployment::SelfHosted;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    let made = call
        .sandbox
        .store
        .write(move |c| -> Result<_, BwError> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            let ctx = InviteContext {
                org: &org,
                caller: &caller,
                public_api: true,
                key: &key,
                self_hosted: hosted,
                now,
            };
            let m = invite_many(c, &ctx, &inv)?
                .into_iter()
                .next()
                .ok_or_else(|| BwError::BadRequest("This user has already been invited.".into()))?;
            Ok(member(&MemberDetails::load(c, m)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(made))
}

/// `DELETE /public/members/{id}`: 200 with an empty body; 404 (empty) for an unknown member.
pub async fn remove(call: PublicCall, path: Path<String>) -> Answer {
    let id = member_id(&path)?;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    call.sandbox
        .store
        .write(move |c| -> Result<_, BwError> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            let m = members::find(c, &org_id, &id)?.ok_or(BwError::NotFound)?;
            remove_one(c, &org, &m, Actor::PublicApi(&caller), now)
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
