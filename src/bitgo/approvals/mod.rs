//! Pending approvals: list, get, and approve or reject with `PUT {state, otp}`. Served at
//! `/api/v2/pendingapprovals` (any letter case), under `/api/v2/{coin}/...` (the SDK's
//! paths) and under `/api/v1/...`. Approving applies the change in the same transaction.

pub mod view;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::domain::approval::{ApprovalState, Decision, DEFAULT_LIST_STATES};
use crate::domain::error::{Error, Result};
use crate::domain::ids::is_hex_id;
use crate::domain::policy;
use crate::domain::scope::Scope;
use crate::domain::token_rules::{check_otp, is_unlocked, TokenKind};
use crate::request::json::string_field;
use crate::service::approvals::resolve;
use crate::store::approvals::{self, ListFilter};
use crate::store::{enterprises, organizations};

/// Page size when `limit` is not given (BitGo's documented default).
const DEFAULT_PAGE: usize = 25;
/// Largest page.
const MAX_PAGE: usize = 500;
/// Scopes that let a token read approvals (any one of them).
const READ_SCOPES: &[Scope] = &[
    Scope::PendingApprovalUpdate,
    Scope::EnterpriseViewAll,
    Scope::WalletViewAll,
    Scope::WalletApproveAll,
];

/// The path segment, in any letter case, with and without a coin or version prefix.
pub const SEGMENT: &str = "{pa:(?i:pendingapprovals)}";

/// The base of links written into mail (see [`crate::request::public_base`]).
pub fn base_url(req: &HttpRequest) -> String {
    crate::request::public_base(req)
}

fn approval_id(req: &HttpRequest) -> Result<String> {
    let id = req.match_info().get("id").unwrap_or_default();
    if !is_hex_id(id) {
        return Err(Error::Invalid(format!(
            "invalid pending approval id {id:?}: expected 32 lowercase hex characters"
        )));
    }
    Ok(id.to_string())
}

fn check_hex(id: &str, what: &str) -> Result<String> {
    if is_hex_id(id) {
        Ok(id.to_string())
    } else {
        Err(Error::Invalid(format!(
            "invalid {what} {id:?}: expected 32 lowercase hex characters"
        )))
    }
}

/// Reads the list query: repeated keys (`state=a&state=b`, `state[]=a`) and comma lists.
fn filter_from_query(
    pairs: &[(String, String)],
    viewer: &str,
    coin: Option<&str>,
) -> Result<ListFilter> {
    let mut f = ListFilter {
        viewer: viewer.to_string(),
        coin: coin.map(str::to_lowercase),
        limit: DEFAULT_PAGE,
        ..Default::default()
    };
    for (key, value) in pairs {
        let values = value.split(',').map(str::trim).filter(|v| !v.is_empty());
        match key.trim_end_matches("[]") {
            "enterprise" | "enterpriseId" => {
                for v in values {
                    f.enterprise_ids.push(check_hex(v, "enterprise id")?);
                }
            }
            "organizationId" | "organization" => {
                f.organization_id = Some(check_hex(value, "organization id")?)
            }
            "walletId" => f.wallet_id = Some(check_hex(value, "wallet id")?),
            "state" => {
                for v in values {
                    f.states.push(
                        ApprovalState::parse(v)
                            .ok_or_else(|| Error::Invalid(format!("invalid state {v:?}")))?,
                    );
                }
            }
            "requestType" => f.kinds.extend(values.map(str::to_string)),
            "coin" => f.coin = Some(value.to_lowercase()),
            "prevId" => f.before_id = Some(check_hex(value, "prevId")?),
            "limit" => {
                f.limit = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE).contains(n))
                    .ok_or_else(|| {
                        Error::Invalid(format!("limit must be a whole number from 1 to {MAX_PAGE}"))
                    })?
            }
            _ => {}
        }
    }
    if f.enterprise_ids.len() > 20 {
        return Err(Error::Invalid(
            "at most 20 enterprise ids may be given".into(),
        ));
    }
    if f.states.is_empty() {
        f.states = DEFAULT_LIST_STATES.to_vec();
    }
    Ok(f)
}

/// `GET /api/v{1,2}[/{coin}]/pendingapprovals`: `{pendingApprovals, nextBatchPrevId?}`, the
/// approvals the caller may see, newest first.
pub async fn list_approvals(
    authed: Authed,
    req: HttpRequest,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(&authed.principal.token.scope, READ_SCOPES)?;
    let coin = req.match_info().get("coin");
    let mut filter = filter_from_query(&query, authed.principal.user_id(), coin)?;
    let page = filter.limit;
    filter.limit = page + 1;
    let rows = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            for e in &filter.enterprise_ids {
                enterprises::find_by_id(conn, e)?
                    .ok_or_else(|| Error::NotFound(format!("enterprise {e} not found")))?;
                policy::may_view_enterprise(
                    enterprises::permissions_of(conn, e, &filter.viewer)?.as_deref(),
                )?;
            }
            if let Some(o) = &filter.organization_id {
                organizations::find_by_id(conn, o)?
                    .ok_or_else(|| Error::NotFound(format!("organization {o} not found")))?;
            }
            let rows = approvals::list(conn, &filter)?;
            rows.into_iter()
                .map(|a| {
                    let r = approvals::resolutions(conn, &a.id)?;
                    Ok((a, r))
                })
                .collect::<Result<Vec<_>>>()
        })
        .await?;
    let more = rows.len() > page;
    let shown: Vec<Value> = rows
        .iter()
        .take(page)
        .map(|(a, r)| view::approval_json(a, r))
        .collect();
    let mut body = json!({ "pendingApprovals": shown });
    if more {
        if let Some((last, _)) = rows.get(page - 1) {
            body["nextBatchPrevId"] = last.id.clone().into();
        }
    }
    authed.reply(StatusCode::OK, &body)
}

/// `GET /api/v{1,2}[/{coin}]/pendingapprovals/{id}`.
pub async fn get_approval(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(&authed.principal.token.scope, READ_SCOPES)?;
    let id = approval_id(&req)?;
    let viewer = authed.principal.user_id().to_string();
    let doc = authed
        .call
        .sandbox
        .store
        .read(move |conn| {
            let (a, _) = resolve::load_visible(conn, &id, &viewer)?;
            Ok(view::approval_json(&a, &approvals::resolutions(conn, &id)?))
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}

/// `PUT /api/v{1,2}[/{coin}]/pendingapprovals/{id}` `{state: approved|rejected, otp}`: an
/// admin of the enterprise resolves it; the last needed approval applies the change in the
/// same transaction, so two admins approving at once apply it exactly once.
pub async fn update_approval(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    authed.require(Scope::PendingApprovalUpdate)?;
    let id = approval_id(&req)?;
    let body: Map<String, Value> = authed.call.json()?;
    let decision =
        Decision::parse(string_field(body.get("state"), "state")?.ok_or_else(|| {
            Error::Invalid("state is required: \"approved\" or \"rejected\"".into())
        })?)?;
    let otp = string_field(body.get("otp"), "otp")?;
    let token = &authed.principal.token;
    let now = authed.now_ms();
    // A session token needs an OTP or an unlocked session; any OTP given must be valid.
    let unlocked = token.kind == TokenKind::Api || is_unlocked(token.unlock_expires_at, now);
    check_otp(otp, &authed.call.state.auth.otps, unlocked)
        .map_err(|f| Error::NeedsOtp(f.message()))?;
    let actor = authed.principal.user_id().to_string();
    let base = base_url(&req);
    let settle_after = authed.call.state.money.settle_after_seconds;
    let doc = authed
        .call
        .sandbox
        .store
        .write(move |conn| -> Result<_> {
            let (a, resolutions) =
                resolve::resolve(conn, &id, &actor, decision, now, settle_after, &base)?;
            Ok(view::approval_json(&a, &resolutions))
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}
