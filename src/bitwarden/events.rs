//! The organization event log (`EventsController.GetOrganization`):
//! `GET /organizations/{id}/events?start&end&continuationToken`, for owners, admins and
//! custom members with `accessEventLogs` (a 404 for anyone else, as the server answers),
//! newest first, 100 a page, dated on the sandbox clock.

use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use chrono::DateTime;
use serde_json::{json, Value};

use crate::bitwarden::call::BwCall;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::organizations::org_id;
use crate::bitwarden::views;
use crate::domain::bitwarden::events::date_range;
use crate::domain::bitwarden::policy::{passes, Gate, Permission};
use crate::store::bitwarden::events::{self, BwEvent, EventQuery};

/// The server's page size.
const PAGE: usize = 100;

/// `EventResponseModel`.
pub fn event(e: &BwEvent) -> Value {
    json!({
        "object": "event",
        "type": e.event_type,
        "userId": e.user_id,
        "organizationId": e.organization_id,
        "providerId": null,
        "cipherId": null,
        "collectionId": e.collection_id,
        "groupId": e.group_id,
        "policyId": e.policy_id,
        "organizationUserId": e.organization_user_id,
        "providerUserId": null,
        "providerOrganizationId": null,
        "actingUserId": e.acting_user_id,
        "installationId": null,
        "date": views::date(e.date),
        "deviceType": e.device_type,
        "ipAddress": e.ip_address,
        "systemUser": e.system_user,
        "domainName": null,
        "secretId": null,
        "serviceAccountId": null,
        "projectId": null,
        "grantedServiceAccountId": null,
        "sendId": null,
    })
}

/// The log query's parameters: `start`/`end` as ASP.NET binds a `DateTime?` (an unparsable
/// one is a model-state 400) and the continuation token (a sequence number; anything else
/// starts from the newest).
pub fn read_query(
    req: &HttpRequest,
    now_ms: i64,
    too_large: &'static str,
) -> BwResult<(i64, i64, Option<i64>)> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let date = |name: &str| -> BwResult<Option<i64>> {
        let Some(v) = get(name).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let parsed = DateTime::parse_from_rfc3339(&v)
            .map(|d| d.timestamp_millis())
            .or_else(|_| {
                chrono::NaiveDateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M:%S%.f")
                    .map(|d| d.and_utc().timestamp_millis())
            })
            .or_else(|_| {
                chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").map(|d| {
                    d.and_hms_opt(0, 0, 0)
                        .unwrap_or_default()
                        .and_utc()
                        .timestamp_millis()
                })
            });
        match parsed {
            Ok(ms) => Ok(Some(ms)),
            Err(_) => Err(BwError::field(
                name,
                &format!("The value '{v}' is not valid."),
            )),
        }
    };
    let (start, end) = (date("start")?, date("end")?);
    let (start, end) =
        date_range(start, end, now_ms, too_large).map_err(|m| BwError::BadRequest(m.into()))?;
    let token = get("continuationToken").and_then(|t| t.parse::<i64>().ok());
    Ok((start, end, token))
}

/// `ListResponseModel` of events with its continuation token.
pub fn page_json(rows: &[BwEvent], next: Option<i64>) -> Value {
    let data: Vec<Value> = rows.iter().map(event).collect();
    json!({"object": "list", "data": data, "continuationToken": next.map(|n| n.to_string())})
}

/// `GET /organizations/{id}/events`.
pub async fn organization_events(
    call: BwCall,
    path: Path<String>,
    req: HttpRequest,
) -> BwResult<HttpResponse> {
    let id = org_id(&path)?;
    let m = call.caller.membership(&id);
    if !passes(m.as_ref(), Gate::Permission(Permission::AccessEventLogs)) {
        return Err(BwError::NotFound);
    }
    let (start, end, before_seq) = read_query(&req, call.now_ms(), "Range too large.")?;
    let q = EventQuery {
        organization_id: id,
        start,
        end,
        acting_user_id: None,
        before_seq,
        limit: PAGE,
    };
    let (rows, next) = call
        .sandbox
        .store
        .read(move |c| events::page(c, &q))
        .await?;
    Ok(HttpResponse::Ok().json(page_json(&rows, next)))
}
