//! Members of an organization: the list (`bw list org-members`) and invitations, which land in
//! the outbox.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use rusqlite::Connection;
use serde_json::{json, Value};

use super::{access, authorize, org_id, OrgAccess};
use crate::auth::token::{sha256_hex, RawToken};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::crypto;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids;
use crate::bitwarden::views;
use crate::domain::bitwarden::policy::Action;
use crate::domain::bitwarden::role::{MemberStatus, MemberType, Permissions};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::BwOrg;
use crate::store::bitwarden::{keys, users};
use crate::store::outbox::{self, OutboxRow};

/// `GET /organizations/{id}/users`: any confirmed member may list.
pub async fn list_members(call: BwCall, path: Path<String>) -> Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    access(&call, &id).await?.allow(Action::ListMembers)?;
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let mut out: Vec<Value> = Vec::new();
            for m in members::list_for_org(c, &id)? {
                let user = match &m.user_id {
                    Some(u) => users::find(c, u)?,
                    None => None,
                };
                let sso = match &m.user_id {
                    Some(u) => keys::sso_linked(c, u, &id)?,
                    None => false,
                };
                out.push(json!({
                    "object": "organizationUserUserDetails",
                    "id": m.id,
                    "userId": m.user_id,
                    "type": m.member_type.as_i64(),
                    "status": m.status.as_i64(),
                    "externalId": null,
                    "accessSecretsManager": false,
                    "permissions": m.permissions,
                    "resetPasswordEnrolled": false,
                    "usesKeyConnector": user.as_ref().is_some_and(|u| u.uses_key_connector),
                    "hasMasterPassword": user.as_ref().is_some_and(|u| u.master_password_hash.is_some()),
                    "name": user.as_ref().and_then(|u| u.name.clone()),
                    "email": user.as_ref().map(|u| u.email.clone()).or(m.email.clone()),
                    "avatarColor": null,
                    "twoFactorEnabled": false,
                    "ssoBound": sso,
                    "collections": [],
                    "groups": [],
                    "claimedByOrganization": m.claimed,
                    "managedByOrganization": m.claimed,
                }));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::list(data)))
}

/// What an invitation asks for.
struct Invitation {
    emails: Vec<String>,
    role: MemberType,
    permissions: Permissions,
}

/// Reads `{emails, type, permissions}` (1 to 20 addresses; permission names in any case).
fn read_invitation(body: &Body) -> BwResult<Invitation> {
    let emails: Vec<String> = match body.get("emails") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(crypto::normalize_email))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| BwError::field("Emails", "Invalid email address."))?,
        _ => return Err(BwError::field("Emails", "The Emails field is required.")),
    };
    if emails.is_empty()
        || emails.len() > 20
        || emails.iter().any(|e| super::check_email(e).is_err())
    {
        return Err(BwError::field("Emails", "Invalid email address."));
    }
    let role = body
        .i64("type")?
        .and_then(MemberType::from_i64)
        .ok_or_else(|| BwError::field("Type", "The Type field is required."))?;
    let permissions: Permissions = match body.object("permissions")? {
        Some(p) => {
            let lowered: serde_json::Map<String, Value> = p.map().clone();
            let canonical = canonical_permissions(&lowered);
            serde_json::from_value(Value::Object(canonical)).unwrap_or_default()
        }
        None => Permissions::default(),
    };
    Ok(Invitation {
        emails,
        role,
        permissions,
    })
}

/// `POST /organizations/{id}/users/invite`: `{emails, type, permissions}`; each address gets an
/// invited membership and a mail in the outbox. Seats are checked in the same transaction, and
/// a refused address leaves no invitation behind.
pub async fn invite(
    call: BwCall,
    path: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, BwError> {
    let id = org_id(&path)?;
    let invitation = read_invitation(&Body::parse(&body, true)?)?;
    let role = invitation.role;
    let uid = call.user_id.clone();
    let now = call.now_ms();
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let (org, _) = authorize(c, &id, &uid, Action::Invite { role })?;
            let used = members::occupied_seats(c, &id)?;
            let wanted = used + invitation.emails.len() as i64;
            if let Some(seats) = org.seats.filter(|seats| wanted > *seats) {
                return Err(BwError::BadRequest(format!(
                    "You have reached the maximum number of users ({seats}) for this plan."
                )));
            }
            for email in &invitation.emails {
                invite_one(c, &org, email, &invitation, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// Invites one address, inside the invitation's transaction: an invited membership (linked
/// to the user if the address has an account) and the mail with its accept link.
fn invite_one(
    c: &Connection,
    org: &BwOrg,
    email: &str,
    invitation: &Invitation,
    now: i64,
) -> BwResult<()> {
    let existing = users::find_by_email(c, email)?;
    if let Some(u) = &existing {
        if members::find_for_user(c, &org.id, &u.id)?.is_some() {
            return Err(BwError::BadRequest(format!("{email} is already a member.")));
        }
    }
    let token = RawToken::generate();
    let member = BwMember {
        id: ids::new_guid(),
        organization_id: org.id.clone(),
        user_id: existing.map(|u| u.id),
        email: Some(email.to_string()),
        member_type: invitation.role,
        status: MemberStatus::Invited,
        permissions: invitation.permissions.clone(),
        key: None,
        claimed: false,
        invite_token: Some(sha256_hex(token.expose().as_bytes())),
        created_at: now,
    };
    members::insert(c, &member)?;
    let base = "https://orgbox.localhost";
    outbox::insert(
        c,
        &OutboxRow {
            id: ids::new_guid().replace('-', ""),
            source: "bitwarden".into(),
            kind: "invitation".into(),
            recipient: email.to_string(),
            subject: format!("Join {}", org.name),
            body: format!(
                "You have been invited to join the {} organization on Bitwarden.",
                org.name
            ),
            link: Some(format!(
                "{base}/#/accept-organization?organizationId={}&organizationUserId={}&email={}&token={}",
                org.id,
                member.id,
                email,
                token.expose()
            )),
            created_at: now,
        },
    )?;
    Ok(())
}

/// Maps permission names in any case to the camelCase names of [`Permissions`].
fn canonical_permissions(m: &serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {
    const NAMES: &[&str] = &[
        "accessEventLogs",
        "accessImportExport",
        "accessReports",
        "createNewCollections",
        "editAnyCollection",
        "deleteAnyCollection",
        "manageGroups",
        "managePolicies",
        "manageSso",
        "manageUsers",
        "manageResetPassword",
        "manageScim",
        "manageAccessRules",
        "editAssignedCollections",
        "deleteAssignedCollections",
    ];
    m.iter()
        .filter_map(|(k, v)| {
            NAMES
                .iter()
                .find(|n| n.eq_ignore_ascii_case(k))
                .map(|n| (n.to_string(), Value::Bool(v.as_bool().unwrap_or(false))))
        })
        .collect()
}

fn member_details(m: &BwMember, user: Option<&crate::store::bitwarden::users::BwUser>) -> Value {
    json!({
        "object": "organizationUserDetails",
        "id": m.id,
        "userId": m.user_id,
        "type": m.member_type.as_i64(),
        "status": m.status.as_i64(),
        "externalId": null,
        "accessSecretsManager": false,
        "permissions": m.permissions,
        "resetPasswordEnrolled": false,
        "usesKeyConnector": user.is_some_and(|u| u.uses_key_connector),
        "hasMasterPassword": user.is_some_and(|u| u.master_password_hash.is_some()),
        "name": user.and_then(|u| u.name.clone()),
        "email": user.map(|u| u.email.clone()).or(m.email.clone()),
        "collections": [],
        "groups": [],
        "claimedByOrganization": m.claimed,
    })
}

/// `GET /organizations/{orgId}/users/{id}`: owners, admins and user managers.
pub async fn get_member(
    call: BwCall,
    path: Path<(String, String)>,
) -> Result<HttpResponse, BwError> {
    let (raw_org, raw_member) = path.into_inner();
    let id = org_id(&raw_org)?;
    let member_id = org_id(&raw_member)?;
    let uid = call.user_id.clone();
    let found = call
        .sandbox
        .store
        .read(move |c| {
            let Some(m) = members::find(c, &id, &member_id)? else {
                return Ok(None);
            };
            let access = OrgAccess::load(c, &id, &uid)?;
            let user = match &m.user_id {
                Some(u) => users::find(c, u)?,
                None => None,
            };
            Ok(Some((m, access, user)))
        })
        .await?;
    let (m, access, user) = found.ok_or(BwError::NotFound)?;
    access.allow(Action::ManageMember {
        role: m.member_type,
    })?;
    Ok(HttpResponse::Ok().json(member_details(&m, user.as_ref())))
}

/// `POST /organizations/{orgId}/users/{id}/accept`: `{token}` from the invitation mail; only the
/// invited address may accept.
pub async fn accept(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, BwError> {
    let (raw_org, raw_member) = path.into_inner();
    let id = org_id(&raw_org)?;
    let member_id = org_id(&raw_member)?;
    let token = Body::parse(&body, true)?.required_str("token")?;
    let uid = call.user_id.clone();
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let user = users::find(c, &uid)?;
            let m = members::find(c, &id, &member_id)?.ok_or(BwError::NotFound)?;
            let invited_here = m.status == MemberStatus::Invited
                && user
                    .as_ref()
                    .is_some_and(|u| Some(&u.email) == m.email.as_ref());
            let token_ok = m.invite_token.as_deref() == Some(sha256_hex(token.as_bytes()).as_str());
            if !invited_here || !token_ok {
                return Err(BwError::BadRequest("Invalid token.".into()));
            }
            members::accept(c, &m.id, &uid)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `POST /organizations/{orgId}/users/{id}/confirm`: `{key}`, the organization key wrapped for
/// the member's public key (`4.`), as `bw confirm org-member` sends it.
pub async fn confirm(
    call: BwCall,
    path: Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, BwError> {
    let (raw_org, raw_member) = path.into_inner();
    let id = org_id(&raw_org)?;
    let member_id = org_id(&raw_member)?;
    let key = Body::parse(&body, true)?.required_str("key")?;
    if !crypto::is_enc_string(&key) {
        return Err(BwError::field("Key", "Invalid encrypted string."));
    }
    let uid = call.user_id.clone();
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let m = members::find(c, &id, &member_id)?.ok_or(BwError::NotFound)?;
            let role = m.member_type;
            authorize(c, &id, &uid, Action::ManageMember { role })?;
            if m.status != MemberStatus::Accepted || m.user_id.is_none() {
                return Err(BwError::BadRequest("User not valid.".into()));
            }
            members::confirm(c, &m.id, &key)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}

/// `GET /users/{id}/public-key`: any signed-in user.
pub async fn user_public_key(call: BwCall, path: Path<String>) -> Result<HttpResponse, BwError> {
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
