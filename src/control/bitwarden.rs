//! The Bitwarden organization state that Bitwarden's own services set and orgbox does not
//! imitate (billing, attachment storage, SSO), set directly:
//! - `PATCH /sandbox/bitwarden/organizations/{id} {seats?, maxAutoscaleSeats?, storageBytes?,
//!   identifier?, features?}` changes what is given: seats (`null`: unlimited) and the
//!   autoscaling ceiling (`null`: none) as billing would, the
//!   storage in use as uploaded attachments would, the SSO identifier as the SSO configuration
//!   would, and `use*` feature flags (`{"useApi": false}`) as a plan change would.
//! - `POST /sandbox/bitwarden/organizations/{id}/sso-links {email, externalId?}` links a user
//!   to the organization's SSO, as a first SSO login would.

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::control::{Admin, ControlError};
use crate::domain::bitwarden::plan::Features;
use crate::domain::error::{Error, Result};
use crate::request::json::parse_body;
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::{keys, users};

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/bitwarden/organizations/{id}")
            .route(web::patch().to(patch_bitwarden_organization)),
    )
    .service(
        web::resource("/bitwarden/organizations/{id}/sso-links")
            .route(web::post().to(link_bitwarden_sso)),
    );
}

fn find_org(conn: &rusqlite::Connection, id: &str) -> Result<BwOrg> {
    orgs::find(conn, id)?.ok_or_else(|| Error::NotFound(format!("organization {id} not found")))
}

fn count(value: &Value, field: &str) -> Result<i64> {
    value
        .as_i64()
        .filter(|n| *n >= 0)
        .ok_or_else(|| Error::Invalid(format!("{field} must be a whole number, 0 or more")))
}

/// Sets the given `use*` flags of `features`; any other name is refused.
fn merge_features(features: &Features, given: &Value) -> Result<Features> {
    let Some(given) = given.as_object() else {
        return Err(Error::Invalid(
            "features must be an object of flags, e.g. {\"useApi\": false}".into(),
        ));
    };
    let mut all = serde_json::to_value(features).map_err(|e| Error::Internal(e.to_string()))?;
    for (name, flag) in given {
        let (Some(slot), Some(flag)) = (all.get_mut(name), flag.as_bool()) else {
            return Err(Error::Invalid(format!(
                "features.{name}: not a feature flag, or not true or false"
            )));
        };
        *slot = Value::Bool(flag);
    }
    serde_json::from_value(all).map_err(|e| Error::Internal(e.to_string()))
}

/// Applies a patch (already known to name only these fields) to `org`.
fn apply_patch(
    conn: &rusqlite::Connection,
    org: &mut BwOrg,
    patch: &Map<String, Value>,
) -> Result<()> {
    if let Some(seats) = patch.get("seats") {
        org.seats = match seats {
            Value::Null => None,
            n => Some(count(n, "seats")?),
        };
    }
    if let Some(max) = patch.get("maxAutoscaleSeats") {
        let max = match max {
            Value::Null => None,
            n => Some(count(n, "maxAutoscaleSeats")?),
        };
        orgs::set_max_autoscale_seats(conn, &org.id, max)?;
    }
    if let Some(bytes) = patch.get("storageBytes") {
        org.storage_bytes = count(bytes, "storageBytes")?;
    }
    if let Some(identifier) = patch.get("identifier") {
        org.identifier = match identifier {
            Value::Null => None,
            Value::String(s) if !s.trim().is_empty() => {
                if orgs::find_by_identifier(conn, s)?.is_some_and(|o| o.id != org.id) {
                    return Err(Error::Conflict(format!(
                        "another organization has the identifier {s:?}"
                    )));
                }
                Some(s.clone())
            }
            _ => return Err(Error::Invalid("identifier must be a string or null".into())),
        };
    }
    if let Some(features) = patch.get("features") {
        org.features = merge_features(&org.features, features)?;
    }
    Ok(())
}

/// The fields a patch may name.
const FIELDS: [&str; 5] = [
    "seats",
    "maxAutoscaleSeats",
    "storageBytes",
    "identifier",
    "features",
];

/// `PATCH /sandbox/bitwarden/organizations/{id}`: `{id, seats, maxAutoscaleSeats,
/// storageBytes, identifier, features}` as they are now.
pub async fn patch_bitwarden_organization(
    access: Admin,
    id: web::Path<String>,
    body: Bytes,
) -> std::result::Result<HttpResponse, ControlError> {
    let org_id = id.into_inner().to_ascii_lowercase();
    let patch: Map<String, Value> = parse_body(&body)?;
    if let Some(other) = patch.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Error::Invalid(format!(
            "unknown field {other:?}: seats, maxAutoscaleSeats, storageBytes, identifier or features"
        ))
        .into());
    }
    let org = access
        .sandbox
        .store
        .write(move |conn| -> Result<_> {
            let mut org = find_org(conn, &org_id)?;
            apply_patch(conn, &mut org, &patch)?;
            orgs::update(conn, &org)?;
            let (max, _) = orgs::autoscale(conn, &org.id)?;
            Ok((org, max))
        })
        .await?;
    let (org, max_autoscale_seats) = org;
    Ok(HttpResponse::Ok().json(json!({
        "id": org.id,
        "seats": org.seats,
        "maxAutoscaleSeats": max_autoscale_seats,
        "storageBytes": org.storage_bytes,
        "identifier": org.identifier,
        "features": org.features,
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SsoLink {
    email: String,
    external_id: Option<String>,
}

/// `POST /sandbox/bitwarden/organizations/{id}/sso-links {email, externalId?}`:
/// `{organizationId, userId, externalId}` (the external id defaults to the email).
pub async fn link_bitwarden_sso(
    access: Admin,
    id: web::Path<String>,
    body: Bytes,
) -> std::result::Result<HttpResponse, ControlError> {
    let org_id = id.into_inner().to_ascii_lowercase();
    let request: SsoLink = parse_body(&body)?;
    let external_id = request
        .external_id
        .unwrap_or_else(|| request.email.trim().to_lowercase());
    let reply = access
        .sandbox
        .store
        .write(move |conn| -> Result<_> {
            find_org(conn, &org_id)?;
            let user = users::find_by_email(conn, &request.email)?
                .ok_or_else(|| Error::NotFound("no such user".into()))?;
            keys::link_sso(conn, &user.id, &org_id, &external_id)?;
            Ok(json!({"organizationId": org_id, "userId": user.id, "externalId": external_id}))
        })
        .await?;
    Ok(HttpResponse::Ok().json(reply))
}
