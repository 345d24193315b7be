//! `POST /api/v2/organization/{id}/enterprise`: a child enterprise for an end user, idempotent
//! by `idempotencyKey` (checked and recorded in the creating transaction), with the end user
//! invited (or notified) through the outbox.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::auth::token::sha256_hex;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::organizations::{base_url, caller_role, organization_id};
use crate::domain::error::{Error, Result};
use crate::domain::ids::{is_hex_id, new_id, random_hex};
use crate::domain::organization::check_additional_admin;
use crate::domain::policy;
use crate::domain::scope::Scope;
use crate::store::child_enterprises::{self, NewChild};
use crate::store::idempotency::{self, IdempotencyRow};
use crate::store::invitations::{self, InvitationTarget};
use crate::store::organizations;
use crate::store::outbox::{self, OutboxRow};

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
    let token = random_hex(32);
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
