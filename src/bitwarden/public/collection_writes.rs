//! `CollectionsController` of the Public API, one collection: read it with its group access,
//! change its external id and group access (`CollectionUpdateRequestModel`, the server's
//! `UpdateCollectionCommand`), delete it. A collection of another organization is the empty
//! 404; a member's own "My items" collection (`DefaultUserCollection`) is hidden, and refused
//! in the server's words when changed or deleted.

use actix_web::web::{Bytes, Path};
use actix_web::HttpResponse;
use serde_json::{json, Value};

use super::{PublicCall, PublicError};
use crate::bitwarden::body::Body;
use crate::bitwarden::collections::crud::of_org;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::event_log::{self, Actor, Subject};
use crate::bitwarden::ids::parse_guid;
use crate::bitwarden::members::views::selection;
use crate::bitwarden::selection as access_list;
use crate::domain::bitwarden::collections::DEFAULT_USER_COLLECTION;
use crate::domain::bitwarden::events::types;
use crate::store::bitwarden::collections::{self, Access, BwCollection};
use crate::store::bitwarden::orgs;

type Answer = Result<HttpResponse, PublicError>;

/// The Public API's `CollectionResponseModel`; `groups` null when not given.
pub fn collection(col: &BwCollection, groups: Option<&[Access]>) -> Value {
    json!({
        "object": "collection",
        "id": col.id,
        "externalId": col.external_id,
        "groups": groups.map(|g| g.iter().map(selection).collect::<Vec<_>>()),
    })
}

fn collection_id(raw: &str) -> Result<String, PublicError> {
    Ok(parse_guid(raw).ok_or(BwError::NotFound)?)
}

/// `GET /public/collections/{id}`.
pub async fn get_collection(call: PublicCall, path: Path<String>) -> Answer {
    let (org, id) = (call.org_id.clone(), collection_id(&path)?);
    let found = call
        .sandbox
        .store
        .read(move |c| {
            let Some(col) = collections::find(c, &org, &id)?
                .filter(|col| col.collection_type != DEFAULT_USER_COLLECTION)
            else {
                return Ok(None);
            };
            let groups = collections::groups_of(c, &col.id)?;
            Ok(Some(collection(&col, Some(&groups))))
        })
        .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(BwError::NotFound)?))
}

/// `CollectionUpdateRequestModel`: `{externalId, groups}`.
fn read_update(body: &Body) -> BwResult<(Option<String>, Option<Vec<Access>>)> {
    let external_id = body.external_id()?;
    let groups = access_list::read(body, "groups", "Groups", true)?.map(access_list::dedup);
    Ok((external_id, groups))
}

/// `PUT /public/collections/{id}`: the external id is replaced (cleared when absent); the
/// group access is replaced when given (and the organization uses groups), kept when absent.
pub async fn update_collection(call: PublicCall, path: Path<String>, body: Bytes) -> Answer {
    let id = collection_id(&path)?;
    let (external_id, groups) = read_update(&Body::parse(&body, true)?)?;
    let (org_id, caller, now) = (call.org_id.clone(), call.caller.clone(), call.now_ms());
    let answer = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let org = orgs::find(c, &org_id)?.ok_or(BwError::NotFound)?;
            let mut col = collections::find(c, &org_id, &id)?.ok_or(BwError::NotFound)?;
            if col.collection_type == DEFAULT_USER_COLLECTION {
                return Err(BwError::BadRequest(
                    "You cannot edit a collection with the type as DefaultUserCollection.".into(),
                ));
            }
            if let Some(g) = &groups {
                access_list::check_manage(g)?;
            }
            if let Some(g) = groups.clone().filter(|_| org.features.use_groups) {
                collections::set_groups(c, &id, &of_org(c, &org_id, g, true)?)?;
            }
            col.external_id = external_id;
            col.revision_at = now;
            collections::update(c, &col)?;
            let actor = Actor::PublicApi(&caller);
            let subject = Subject::Collection(&id);
            event_log::record(c, &org, actor, subject, types::COLLECTION_UPDATED, now)?;
            Ok(collection(&col, groups.as_deref()))
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// `DELETE /public/collections/{id}`: as on the server, the repository deletes it directly
/// (no event is recorded).
pub async fn delete_collection(call: PublicCall, path: Path<String>) -> Answer {
    let (org_id, id) = (call.org_id.clone(), collection_id(&path)?);
    call.sandbox
        .store
        .write(move |c| -> BwResult<_> {
            let col = collections::find(c, &org_id, &id)?.ok_or(BwError::NotFound)?;
            if col.collection_type == DEFAULT_USER_COLLECTION {
                return Err(BwError::BadRequest(
                    "You cannot delete a collection with the type as DefaultUserCollection.".into(),
                ));
            }
            collections::delete(c, &id)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().finish())
}
