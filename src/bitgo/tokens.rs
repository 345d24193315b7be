//! Long-lived access tokens: create, list, delete.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::auth::token::RawToken;
use crate::bitgo::call::{Authed, Call};
use crate::bitgo::error::BitgoError;
use crate::bitgo::views::TokenView;
use crate::domain::error::{Error, Result};
use crate::domain::ids::{is_hex_id, new_id};
use crate::domain::ip::IpRestriction;
use crate::domain::policy;
use crate::domain::scope::ScopeSet;
use crate::domain::token_rules::{
    check_label, check_otp, check_usable, is_unlocked, token_seconds, TokenKind,
};
use crate::request::json::{integer_field, string_field, string_list_field};
use crate::service::webhooks;
use crate::store::tokens::{self, TokenRow};
use crate::store::{enterprises, profile};

/// Largest page of the token list.
const MAX_PAGE: usize = 200;
/// Page size when `limit` is not given (BitGo's documented default).
const DEFAULT_PAGE: usize = 100;

/// A new token of `kind` for `user_id`, valid until `expires_at` (ms), its raw value sealed
/// under the server key and never stored in the clear; the caller sets what else it carries
/// (label, IP restriction, unlock, ...), which starts empty.
pub(crate) fn new_token(
    call: &Call,
    user_id: &str,
    kind: TokenKind,
    scope: ScopeSet,
    now: i64,
    expires_at: i64,
) -> (RawToken, TokenRow) {
    let raw = RawToken::generate();
    let id = new_id(now);
    let row = TokenRow {
        sealed_token: call.state.server_key.seal(raw.expose().as_bytes(), &id),
        token_hash: raw.hash(),
        id,
        user_id: user_id.to_string(),
        kind,
        label: None,
        scope,
        ip_restrict: IpRestriction::default(),
        created_ip: call.client_ip.map(|ip| ip.to_string()),
        enterprise_id: None,
        is_extensible: false,
        tx_value_limit: None,
        tx_value: 0,
        tx_count: 0,
        created_at: now,
        expires_at,
        revoked_at: None,
        unlocked_at: None,
        unlock_expires_at: None,
    };
    (raw, row)
}

/// What a create-token body asks for, checked.
struct TokenRequest {
    label: String,
    scope: ScopeSet,
    seconds: i64,
    ip_restrict: IpRestriction,
    enterprise_id: Option<String>,
    tx_value_limit: Option<i64>,
}

/// Checks a create-token body; the scopes asked for must be within `caller`'s.
fn parse_token_request(body: &Map<String, Value>, caller: &ScopeSet) -> Result<TokenRequest> {
    let label = check_label(string_field(body.get("label"), "label")?).map_err(Error::Invalid)?;
    let requested = string_list_field(body.get("scope"), "scope")?
        .ok_or_else(|| Error::Invalid("invalid scope: scope is required".into()))?;
    let scope = ScopeSet::parse_requested(&requested, caller).map_err(Error::Invalid)?;
    let seconds =
        token_seconds(integer_field(body.get("duration"), "duration")?).map_err(Error::Invalid)?;
    let ip_restrict = IpRestriction::parse(
        &string_list_field(body.get("ipRestrict"), "ipRestrict")?.unwrap_or_default(),
    )
    .map_err(Error::Invalid)?;
    let enterprise_id = string_field(body.get("enterprise"), "enterprise")?.map(str::to_string);
    if let Some(e) = &enterprise_id {
        if !is_hex_id(e) {
            return Err(Error::Invalid(format!("invalid enterprise id {e:?}")));
        }
    }
    let tx_value_limit = integer_field(body.get("txValueLimit"), "txValueLimit")?;
    if tx_value_limit.is_some_and(|v| v < 0) {
        return Err(Error::Invalid("txValueLimit must not be negative".into()));
    }
    Ok(TokenRequest {
        label,
        scope,
        seconds,
        ip_restrict,
        enterprise_id,
        tx_value_limit,
    })
}

/// `POST /api/auth/v1/accesstoken` (the SDK) and `/api/v{1,2}/user/accesstoken`: only with a
/// login token and an OTP (or an unlocked session). The reply is the only place the raw token
/// ever appears.
pub async fn create_access_token(authed: Authed) -> Result<HttpResponse, BitgoError> {
    policy::may_create_access_token(authed.principal.token.kind)?;
    let body: Map<String, Value> = authed.call.json()?;
    let asked = parse_token_request(&body, &authed.principal.token.scope)?;
    let now = authed.now_ms();
    let unlocked = is_unlocked(authed.principal.token.unlock_expires_at, now);
    check_otp(
        string_field(body.get("otp"), "otp")?,
        &authed.call.state.auth.otps,
        unlocked,
    )
    .map_err(|f| Error::NeedsOtp(f.message()))?;

    let user_id = authed.principal.user_id();
    let expires_at = now + asked.seconds * 1000;
    let (raw, row) = new_token(
        &authed.call,
        user_id,
        TokenKind::Api,
        asked.scope,
        now,
        expires_at,
    );
    let row = TokenRow {
        label: Some(asked.label),
        ip_restrict: asked.ip_restrict,
        enterprise_id: asked.enterprise_id,
        tx_value_limit: asked.tx_value_limit,
        ..row
    };
    let max_live = authed.call.state.auth.max_live_tokens_per_user;
    let (row, orgs) = authed
        .call
        .sandbox
        .store
        .write(move |conn| -> Result<_> {
            if let Some(cap) = policy::live_token_cap(max_live) {
                let live = tokens::count_live_api_tokens(conn, &row.user_id, row.created_at, cap)?;
                policy::may_add_access_token(live, cap)?;
            }
            if let Some(e) = &row.enterprise_id {
                enterprises::permissions_of(conn, e, &row.user_id)?.ok_or_else(|| {
                    Error::Forbidden(format!("you are not a member of enterprise {e}"))
                })?;
            }
            tokens::insert(conn, &row)?;
            webhooks::report_access_token(conn, &row, "created", row.created_at)?;
            let orgs = profile::organization_ids(conn, &row.user_id)?;
            Ok((row, orgs))
        })
        .await?;
    let view = TokenView {
        token: &row,
        organization_ids: &orgs,
        origin: &authed.call.state.auth.origin,
        now_ms: now,
    };
    authed.reply(StatusCode::OK, &view.to_json(Some(&raw)))
}

/// Query of the token list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    #[serde(rename = "prevId")]
    prev_id: Option<String>,
    sort: Option<String>,
}

/// `GET /api/v{1,2}/user/accesstoken`: `{accessTokens, nextBatchPrevId?}`, the caller's usable
/// long-lived tokens, oldest first (or newest with `sort=DESC`), without the `token` field.
pub async fn list_access_tokens(
    authed: Authed,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, BitgoError> {
    policy::may_manage_credentials(&authed.principal.token.scope)?;
    let q = query.into_inner();
    let limit = match q.limit.as_deref() {
        None | Some("") => DEFAULT_PAGE,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                Error::Invalid(format!("limit must be a whole number from 1 to {MAX_PAGE}"))
            })?,
    };
    let descending = match q.sort.as_deref() {
        None | Some("ASC") | Some("asc") => false,
        Some("DESC") | Some("desc") => true,
        Some(other) => {
            return Err(Error::Invalid(format!("sort must be ASC or DESC, not {other:?}")).into())
        }
    };
    if let Some(p) = &q.prev_id {
        if !is_hex_id(p) {
            return Err(Error::Invalid(format!("invalid prevId {p:?}")).into());
        }
    }
    let (user_id, now) = (authed.principal.user_id().to_string(), authed.now_ms());
    let (mut rows, orgs) = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            let rows = tokens::list_usable_api_tokens(
                conn,
                &user_id,
                now,
                q.prev_id.as_deref(),
                limit + 1,
                descending,
            )?;
            Ok((rows, profile::organization_ids(conn, &user_id)?))
        })
        .await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let origin = &authed.call.state.auth.origin;
    let list: Vec<Value> = rows
        .iter()
        .map(|t| {
            TokenView {
                token: t,
                organization_ids: &orgs,
                origin,
                now_ms: now,
            }
            .to_json(None)
        })
        .collect();
    let mut body = json!({ "accessTokens": list });
    if more {
        if let Some(last) = rows.last() {
            body["nextBatchPrevId"] = last.id.clone().into();
        }
    }
    authed.reply(StatusCode::OK, &body)
}

/// `DELETE /api/v{1,2}/user/accesstoken/{id}`: revokes one of the caller's tokens and returns
/// its now-expired document.
pub async fn delete_access_token(
    authed: Authed,
    id: web::Path<String>,
) -> Result<HttpResponse, BitgoError> {
    let id = id.into_inner();
    if !is_hex_id(&id) {
        return Err(Error::Invalid(format!("invalid access token id {id:?}")).into());
    }
    let (user_id, now) = (authed.principal.user_id().to_string(), authed.now_ms());
    let (caller_id, scopes) = (
        authed.principal.token.id.clone(),
        authed.principal.token.scope.clone(),
    );
    let (row, orgs) = authed
        .call
        .sandbox
        .store
        .write(move |conn| -> Result<_> {
            let not_found = || Error::NotFound(format!("access token {id} not found"));
            let row = tokens::find_for_user(conn, &user_id, &id)?.ok_or_else(not_found)?;
            policy::may_revoke_token(&caller_id, &scopes, &row.id, row.kind)?;
            // An expired or already revoked token is gone, as far as its owner can tell.
            check_usable(row.expires_at, row.revoked_at, now).map_err(|_| not_found())?;
            tokens::revoke(conn, &id, now)?;
            let row = tokens::find_for_user(conn, &user_id, &id)?.ok_or_else(not_found)?;
            webhooks::report_access_token(conn, &row, "revoked", now)?;
            Ok((row, profile::organization_ids(conn, &user_id)?))
        })
        .await?;
    let view = TokenView {
        token: &row,
        organization_ids: &orgs,
        origin: &authed.call.state.auth.origin,
        now_ms: now,
    };
    authed.reply(StatusCode::OK, &view.to_json(None))
}
