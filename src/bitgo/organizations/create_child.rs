//! `POST /api/v2/organization/{id}/enterprise`: a child enterprise for an end user, idempotent
//! by `idempotencyKey` (checked and recorded in the creating transaction), with the end user
//! invited (or notified) through the outbox.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::auth::token::sha256_hex;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::organizations::{base_url, organization_id};
use crate::domain::error::{Error, Result};
use crate::domain::ids::{is_hex_id, random_hex};
use crate::domain::scope::Scope;
use crate::service::organizations::{self, ChildRequest, OrgCaller};

/// A field that must be a non-empty string (trimmed).
fn required_text(body: &Value, field: &str) -> Result<String> {
    match body.get(field) {
        None | Some(Value::Null) => Err(Error::Invalid(format!("missing required field: {field}"))),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(_) => Err(Error::Invalid(format!(
            "invalid {field}: expected a non-empty string"
        ))),
    }
}

/// Checks the body; errors name the field.
fn parse(body: &Value) -> Result<ChildRequest> {
    let email = required_text(body, "email")?.to_lowercase();
    if !looks_like_email(&email) {
        return Err(Error::Invalid(format!("invalid email {email:?}")));
    }
    let idempotency_key = required_text(body, "idempotencyKey")?;
    let additional_admins = additional_admins(body)?;
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
    Ok(ChildRequest {
        email,
        idempotency_key,
        additional_admins,
        account_type,
        is_caas,
        third_party_identifier: third_party_identifier(body)?,
    })
}

/// `additionalAdmins`: required, user ids, sorted and without repeats.
fn additional_admins(body: &Value) -> Result<Vec<String>> {
    let mut admins = match body.get("additionalAdmins") {
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
    admins.sort();
    admins.dedup();
    Ok(admins)
}

/// `thirdPartyIdentifier`: absent, or `[{id, label}]` with both non-empty.
fn third_party_identifier(body: &Value) -> Result<Option<Value>> {
    match body.get("thirdPartyIdentifier") {
        None | Some(Value::Null) => Ok(None),
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
            Ok(Some(Value::Array(items.clone())))
        }
        Some(_) => Err(Error::Invalid(
            "invalid thirdPartyIdentifier: expected an array of {id, label}".into(),
        )),
    }
}

/// SHA-256 of the canonical body (defaults applied, admins sorted): a repeat of the same
/// request has the same digest whatever its key order or spelling of defaults.
fn digest(r: &ChildRequest) -> String {
    let canonical = json!({
        "email": r.email,
        "idempotencyKey": r.idempotency_key,
        "additionalAdmins": r.additional_admins,
        "accountType": r.account_type,
        "isCaaS": r.is_caas,
        "thirdPartyIdentifier": r.third_party_identifier,
    });
    sha256_hex(canonical.to_string().as_bytes())
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
    let request = parse(&body)?;
    let digest = digest(&request);
    let caller = authed.principal.user_id().to_string();
    let now = authed.now_ms();
    let base = base_url(&req);
    let token = random_hex(32);
    let created = authed
        .call
        .sandbox
        .store
        .write(move |conn| {
            let who = OrgCaller {
                org_id: &org_id,
                user_id: &caller,
                now_ms: now,
                base_url: &base,
            };
            organizations::create_child(conn, &who, &request, &digest, &token)
        })
        .await?;
    authed.reply(
        StatusCode::OK,
        &json!({"enterpriseId": created.enterprise_id, "userId": created.user_id}),
    )
}
