//! Read-only Public API routes: the organization's collections (`CollectionsController`,
//! with their group access) and its event log (`EventsController`, `start`/`end`/
//! `actingUserId`/`continuationToken`, "Date range must be 367 days or less.").

use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::{list, PublicCall, PublicError};
use crate::bitwarden::events::read_query;
use crate::bitwarden::ids::parse_guid;
use crate::bitwarden::members::views::selection;
use crate::bitwarden::views;
use crate::store::bitwarden::collections;
use crate::store::bitwarden::events::{self, BwEvent, EventQuery};

type Answer = Result<HttpResponse, PublicError>;

/// `GET /public/collections`: `CollectionResponseModel`s of the Public API.
pub async fn list_collections(call: PublicCall) -> Answer {
    let org = call.org_id.clone();
    let data = call
        .sandbox
        .store
        .read(move |c| {
            let mut out = Vec::new();
            for col in collections::list_for_org(c, &org)? {
                let groups: Vec<Value> = collections::groups_of(c, &col.id)?
                    .iter()
                    .map(selection)
                    .collect();
                out.push(json!({
                    "object": "collection",
                    "id": col.id,
                    "externalId": col.external_id,
                    "groups": groups,
                }));
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list(data)))
}

/// The Public API's `EventResponseModel`.
fn event(e: &BwEvent) -> Value {
    json!({
        "object": "event",
        "type": e.event_type,
        "itemId": null,
        "collectionId": e.collection_id,
        "groupId": e.group_id,
        "policyId": e.policy_id,
        "memberId": e.organization_user_id,
        "actingUserId": e.acting_user_id,
        "installationId": null,
        "date": views::date(e.date),
        "device": e.device_type,
        "ipAddress": e.ip_address,
        // Secrets Manager is not served: no event names a secret, project or service account.
        "secretId": null,
        "projectId": null,
        "serviceAccountId": null,
    })
}

/// `GET /public/events`.
pub async fn list_events(call: PublicCall, req: HttpRequest) -> Answer {
    let (start, end, before_seq) =
        read_query(&req, call.now_ms(), "Date range must be 367 days or less.")?;
    let acting = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("actingUserId"))
        .and_then(|(_, v)| parse_guid(&v));
    let q = EventQuery {
        organization_id: call.org_id.clone(),
        start,
        end,
        acting_user_id: acting,
        before_seq,
        limit: 100,
    };
    let (rows, next) = call
        .sandbox
        .store
        .read(move |c| events::page(c, &q))
        .await?;
    let data: Vec<Value> = rows.iter().map(event).collect();
    Ok(HttpResponse::Ok().json(
        json!({"object": "list", "data": data, "continuationToken": next.map(|n| n.to_string())}),
    ))
}
