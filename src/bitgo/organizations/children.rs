//! Child enterprises: `POST /api/v2/organization/{id}/enterprise` (create, idempotent by
//! `idempotencyKey`), `GET` the list with BitGo's filters, and
//! `POST /api/v2/organization/{id}/enterprise/{enterpriseId}/user` (add a user).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use rand::RngCore;
use serde_json::{json, Value};

use crate::auth::token::sha256_hex;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::kyc::settle;
use crate::bitgo::organizations::{caller_role, organization_id};
use crate::bitgo::views::enterprise_json;
use crate::domain::ids::{is_hex_id, new_id};
use crate::domain::organization::check_additional_admin;
use crate::domain::policy;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::Scope;
use crate::error::{Error, Result};
use crate::store::child_enterprises::{self, ChildFilter, NewChild};
use crate::store::idempotency::{self, IdempotencyRow};
use crate::store::invitations::{self, InvitationTarget};
use crate::store::outbox::{self, OutboxRow};
use crate::store::{enterprises, organizations, users};

/// A create request that passed validation, in canonical form.
#[derive(Debug, Clone)]
struct CreateChild {
    email: String,
    idempotency_key: String,
    additional_admins: Vec<String>,
    account_type: String,
    is_caas: bool,
    third_party_identifier: Option<Value>,
}

impl CreateChild {
    /// Checks the body; errors name the field.
    fn parse(body: &Value) -> Result<CreateChild> {
        let text = |field: &str| -> Result<String> {
            match body.get(field) {
                None | Some(Value::Null) => {
                    Err(Error::Invalid(format!("missing required field: {field}")))
                }
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                Some(_) => Err(Error::Invalid(format!(
                    "invalid {field}: expected a non-empty string"
                ))),
            }
        };
        let email = text("email")?.to_lowercase();
        if !looks_like_email(&email) {
            return Err(Error::Invalid(format!("invalid email {email:?}")));
        }
        let idempotency_key = text("idempotencyKey")?;
        let mut additional_admins = match body.get("additionalAdmins") {
            None | Some(Value::Null) => {
                return Err(Error::Invalid(
                    "missing required field: additionalAdmins".into(),
                ))
            }
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|v| match v.as_str() {
                    Some(id) if is_hex_id(id) => Ok(id.to_string()),
                    _ => Err(Error::Invalid(format!(
                        "invalid additionalAdmins: {v} is not a user id (32 lowercase hex)"
                    ))),
                })
                .collect::<Result<Vec<_>>>()?,
            Some(_) => {
                return Err(Error::Invalid(
                    "invalid additionalAdmins: expected an array of user ids".into(),
                ))
            }
        };
        additional_admins.sort();
        additional_admins.dedup();
        let account_type = match body.get("accountType") {
            None | Some(Value::Null) => "individual".to_string(),
            Some(Value::String(t)) if t == "individual" || t == "entity" => t.clone(),
            Some(v) => {
                return Err(Error::Invalid(format!(
                    "invalid accountType {v}: expected \"individual\" or \"entity\""
                )))
            }
        };
        let is_caas = match body.get("isCaaS") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(Error::Invalid(
                    "invalid isCaaS: expected true or false".into(),
                ))
            }
        };
        let third_party_identifier = match body.get("thirdPartyIdentifier") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                for item in items {
                    for key in ["id", "label"] {
                        if item
                            .get(key)
                            .and_then(Value::as_str)
                            .is_none_or(str::is_empty)
                        {
                            return Err(Error::Invalid(format!(
                                "invalid thirdPartyIdentifier: every entry needs a non-empty {key}"
                            )));
                        }
                    }
                }
                Some(Value::Array(items.clone()))
            }
            Some(_) => {
                return Err(Error::Invalid(
                    "invalid thirdPartyIdentifier: expected an array of {id, label}".into(),
                ))
            }
        };
        Ok(CreateChild {
            email,
            idempotency_key,
            additional_admins,
            account_type,
            is_caas,
            third_party_identifier,
        })
    }

    /// SHA-256 of the canonical body (defaults applied, admins sorted): a repeat of the same
    /// request has the same digest whatever its key order or spelling of defaults.
    fn digest(&self) -> String {
        let canonical = json!({
            "email": self.email,
            "idempotencyKey": self.idempotency_key,
            "additionalAdmins": self.additional_admins,
            "accountType": self.account_type,
            "isCaaS": self.is_caas,
            "thirdPartyIdentifier": self.third_party_identifier,
        });
        sha256_hex(canonical.to_string().as_bytes())
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !s.contains(' '),
        None => false,
    }
}

/// The request's `scheme://host`, for links in captured mail.
fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

fn new_invitation_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// `POST /api/v2/organization/{id}/enterprise`: `{enterpriseId, userId}`. Organization admins
/// with `enterprise_manage_all`. A repeated `idempotencyKey` returns the first call's ids; the
/// same key with another body is a 409.
pub async fn create_child_enterprise(
    req: HttpRequest,
    authed: Authed,
    id: web::Path<String>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseManageAll)?;
    let org_id = organization_id(id.into_inner())?;
    let body: Value = authed.call.json()?;
    let request = CreateChild::parse(&body)?;
    let digest = request.digest();
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let base = base_url(&req);
    let token = new_invitation_token();
    let (enterprise_id, user_id) = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            if let Some(seen) = idempotency::find(conn, &org_id, &request.idempotency_key)? {
                if seen.body_digest == digest {
                    return Ok((seen.enterprise_id, seen.user_id));
                }
                return Err(Error::Conflict(format!(
                    "idempotencyKey {:?} was already used with a different request in this \
                     organization",
                    request.idempotency_key
                )));
            }
            for admin in &request.additional_admins {
                check_additional_admin(organizations::role_of(conn, &org_id, admin)?, admin)?;
            }
            let org = organizations::find_by_id(conn, &org_id)?
                .ok_or_else(|| Error::NotFound(format!("organization {org_id} not found")))?;
            let target = InvitationTarget {
                enterprise_id: None,
                organization_id: Some(org_id.clone()),
                invited_by: Some(caller.clone()),
            };
            let invited = invitations::invite(conn, &request.email, &target, &token, now)?;
            let enterprise_id = new_id(now);
            child_enterprises::insert(
                conn,
                &NewChild {
                    organization_id: org_id.clone(),
                    enterprise_id: enterprise_id.clone(),
                    name: request.email.clone(),
                    account_type: request.account_type.clone(),
                    third_party_identifiers: request.third_party_identifier.clone(),
                    end_user_id: invited.user_id.clone(),
                    additional_admins: request
                        .additional_admins
                        .iter()
                        .filter(|a| **a != invited.user_id)
                        .cloned()
                        .collect(),
                    now_ms: now,
                },
            )?;
            outbox::insert(
                conn,
                &welcome_mail(
                    &org.name,
                    &request.email,
                    invited.token.as_deref(),
                    &base,
                    now,
                ),
            )?;
            idempotency::insert(
                conn,
                &IdempotencyRow {
                    organization_id: org_id.clone(),
                    key: request.idempotency_key.clone(),
                    body_digest: digest,
                    enterprise_id: enterprise_id.clone(),
                    user_id: invited.user_id.clone(),
                    created_by: Some(caller),
                    created_at: now,
                },
            )?;
            Ok((enterprise_id, invited.user_id))
        })
        .await?;
    authed.reply(
        StatusCode::OK,
        &json!({"enterpriseId": enterprise_id, "userId": user_id}),
    )
}

/// The mail the end user gets: an invitation with an accept link when the account is new, a
/// notification when it already existed.
fn welcome_mail(
    org_name: &str,
    email: &str,
    token: Option<&str>,
    base: &str,
    now: i64,
) -> OutboxRow {
    let (kind, subject, body, link) = match token {
        Some(token) => {
            let link = format!("{base}/sandbox/invitations/{token}");
            (
                "invitation",
                format!("{org_name} invited you to BitGo"),
                format!(
                    "{org_name} created a BitGo account for you. Set your password to accept the \
                     invitation: {link}"
                ),
                Some(link),
            )
        }
        None => (
            "notification",
            format!("{org_name} added you to a new enterprise"),
            format!("{org_name} created an enterprise for you on BitGo; log in to see it."),
            None,
        ),
    };
    OutboxRow {
        id: new_id(now),
        source: "bitgo".into(),
        kind: kind.into(),
        recipient: email.to_string(),
        subject,
        body,
        link,
        created_at: now,
    }
}

/// Parsed list filters and page size.
fn list_filter(query: Vec<(String, String)>) -> Result<(ChildFilter, usize)> {
    let mut f = ChildFilter::default();
    let mut limit = 25usize;
    for (key, value) in query {
        match key.as_str() {
            "limit" => {
                limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .ok_or_else(|| {
                        Error::Invalid(format!("invalid limit {value:?}: expected 1 to 500"))
                    })?
            }
            "prevId" => {
                if !is_hex_id(&value) {
                    return Err(Error::Invalid(format!("invalid prevId {value:?}")));
                }
                f.prev_id = Some(value);
            }
            "search" if !value.is_empty() => f.search = Some(value),
            "kycState" | "kycState[]" => {
                if !["unverified", "approved", "rejected", "pending"].contains(&value.as_str()) {
                    return Err(Error::Invalid(format!(
                        "invalid kycState {value:?}: expected unverified, approved, rejected or pending"
                    )));
                }
                f.kyc_states.push(value);
            }
            "accountType" => {
                if value != "individual" && value != "entity" {
                    return Err(Error::Invalid(format!("invalid accountType {value:?}")));
                }
                f.account_type = Some(value);
            }
            "businessModel" => {
                if ![
                    child_enterprises::CHILD,
                    "cryptoAsAServiceParent",
                    "bitgoAsAService",
                ]
                .contains(&value.as_str())
                {
                    return Err(Error::Invalid(format!("invalid businessModel {value:?}")));
                }
                f.business_model = Some(value);
            }
            "idempotencyKey" => f.idempotency_key = Some(value),
            _ => {}
        }
    }
    if f.search.is_some() && (f.prev_id.is_some() || f.idempotency_key.is_some()) {
        return Err(Error::Invalid(
            "search cannot be combined with prevId or idempotencyKey".into(),
        ));
    }
    Ok((f, limit))
}

/// `GET /api/v2/organization/{id}/enterprise?limit&prevId&search&kycState&accountType&
/// businessModel&idempotencyKey`: `{enterprises, nextBatchPrevId?}`, for organization admins.
pub async fn list_child_enterprises(
    authed: Authed,
    id: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseViewAll)?;
    let org_id = organization_id(id.into_inner())?;
    let (filter, limit) = list_filter(query.into_inner())?;
    settle(&authed.call).await?;
    let caller = authed.principal.user_id().to_string();
    let (page, more) = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let mut rows = child_enterprises::list(conn, &org_id, &filter, limit + 1)?;
            let more = rows.len() > limit;
            rows.truncate(limit);
            let mut page = Vec::with_capacity(rows.len());
            for e in rows {
                let permissions = enterprises::permissions_of(conn, &e.id, &caller)?;
                page.push(enterprise_json(
                    &e,
                    permissions.as_deref().unwrap_or_default(),
                ));
            }
            Ok((page, more))
        })
        .await?;
    let mut reply = json!({ "enterprises": page });
    if more {
        if let Some(last) = page.last().and_then(|e| e["id"].as_str()) {
            reply["nextBatchPrevId"] = last.into();
        }
    }
    authed.reply(StatusCode::OK, &reply)
}

/// `POST /api/v2/organization/{id}/enterprise/{enterpriseId}/user {email, permissions[]}`:
/// `{userId}`. Adds an existing user to a child enterprise of the organization (as a
/// `customer` of the organization if not in it yet). Organization admins with
/// `enterprise_manage_all`.
pub async fn add_child_enterprise_user(
    req: HttpRequest,
    authed: Authed,
    path: web::Path<(String, String)>,
) -> std::result::Result<HttpResponse, BitgoError> {
    authed.require(Scope::EnterpriseManageAll)?;
    let (org_id, enterprise_id) = path.into_inner();
    let org_id = organization_id(org_id)?;
    let body: Value = authed.call.json()?;
    let email = match body.get("email") {
        Some(Value::String(e)) if !e.trim().is_empty() => e.trim().to_lowercase(),
        None | Some(Value::Null) => {
            return Err(Error::Invalid("missing required field: email".into()).into())
        }
        Some(_) => return Err(Error::Invalid("invalid email: expected a string".into()).into()),
    };
    let permissions =
        match body.get("permissions") {
            None | Some(Value::Null) => vec![EnterprisePermission::Admin],
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|p| {
                    p.as_str()
                        .and_then(EnterprisePermission::parse)
                        .filter(|p| *p != EnterprisePermission::Member)
                        .ok_or_else(|| {
                            Error::Invalid(format!(
                                "invalid permissions: {p} is not admin, auditor or wallet.create"
                            ))
                        })
                })
                .collect::<Result<Vec<_>>>()?,
            Some(_) => return Err(Error::Invalid(
                "invalid permissions: expected a non-empty array of admin, auditor, wallet.create"
                    .into(),
            )
            .into()),
        };
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let base = base_url(&req);
    let user_id = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            policy::may_manage_organization(caller_role(conn, &org_id, &caller)?, &org_id)?;
            let enterprise = enterprises::find_by_id(conn, &enterprise_id)?
                .filter(|e| e.organization_id.as_deref() == Some(org_id.as_str()))
                .ok_or_else(|| {
                    Error::NotFound(format!(
                        "enterprise {enterprise_id} not found in organization {org_id}"
                    ))
                })?;
            let user = users::find_by_username(conn, &email)?.ok_or_else(|| {
                Error::NotFound(format!("no user with email {email}: the user must exist"))
            })?;
            enterprises::upsert_member(conn, &enterprise.id, &user.id, &permissions, now)?;
            organizations::add_member_if_absent(conn, &org_id, &user.id, OrgRole::Customer, now)?;
            outbox::insert(
                conn,
                &OutboxRow {
                    id: new_id(now),
                    source: "bitgo".into(),
                    kind: "notification".into(),
                    recipient: user.username.clone(),
                    subject: format!("You were added to the enterprise {}", enterprise.name),
                    body: format!(
                        "You were added to the BitGo enterprise {} ({}). Log in at {base} to see it.",
                        enterprise.name, enterprise.id
                    ),
                    link: None,
                    created_at: now,
                },
            )?;
            Ok(user.id)
        })
        .await?;
    authed.reply(StatusCode::OK, &json!({ "userId": user_id }))
}
