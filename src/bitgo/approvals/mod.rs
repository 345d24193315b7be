//! Pending approvals: list, get, and approve or reject with `PUT {state, otp}`. Served at
//! `/api/v2/pendingapprovals` (any letter case), under `/api/v2/{coin}/...` (the SDK's
//! paths) and under `/api/v1/...`. Approving applies the change in the same transaction.

pub mod changes;
pub mod organization;
pub mod policy_rules;
pub mod view;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::approvals::changes::Context;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::json::string_field;
use crate::bitgo::transfers::movement;
use crate::domain::approval::{self, ApprovalState, Decision, Outcome, DEFAULT_LIST_STATES};
use crate::domain::enterprise_change::EnterpriseChange;
use crate::domain::ids::is_hex_id;
use crate::domain::organization::UPDATE_ORGANIZATION_REQUEST;
use crate::domain::policy;
use crate::domain::scope::Scope;
use crate::domain::token_rules::{check_otp, is_unlocked, TokenKind};
use crate::domain::wallet_policy::POLICY_RULE_REQUEST;
use crate::error::{Error, Result};
use crate::store::approvals::{self, ApprovalRow, ListFilter};
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

/// Loads an approval the caller may see (outsiders get the same 404 as for a missing one).
fn load_visible(
    conn: &rusqlite::Connection,
    id: &str,
    viewer: &str,
) -> Result<(
    ApprovalRow,
    Option<Vec<crate::domain::role::EnterprisePermission>>,
)> {
    let a = approvals::find_by_id(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("pending approval {id} not found")))?;
    let membership = match &a.enterprise_id {
        Some(e) => enterprises::permissions_of(conn, e, viewer)?,
        None => None,
    };
    // An organization's held role and rule changes are also visible to whoever administers
    // it now.
    let org_admin = match (&a.organization_id, a.kind.as_str()) {
        (Some(o), UPDATE_ORGANIZATION_REQUEST | POLICY_RULE_REQUEST) => {
            organizations::role_of(conn, o, viewer)? == Some(crate::domain::role::OrgRole::Admin)
        }
        _ => false,
    };
    let listed = org_admin || a.user_ids.iter().any(|u| u == viewer);
    policy::may_view_approval(listed, membership.as_deref())
        .map_err(|_| Error::NotFound(format!("pending approval {id} not found")))?;
    Ok((a, membership))
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
            let (a, _) = load_visible(conn, &id, &viewer)?;
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
        .write(move |conn| {
            let (a, membership) = load_visible(conn, &id, &actor)?;
            let resolutions = approvals::resolutions(conn, &id)?;
            let approving = decision == Decision::Approve;
            let outcome = if a.kind == movement::TRANSACTION_REQUEST {
                let approvers = movement::approvers_of(&a)?;
                policy::may_resolve_video_approval(&actor, &a.creator_id, &approvers, approving)?;
                approval::resolve_transaction(a.state, &resolutions, &actor, decision)?
            } else {
                check_resolver(conn, &a, &actor, membership.as_deref(), approving)?;
                approval::resolve(
                    a.state,
                    a.approvals_required,
                    &resolutions,
                    &actor,
                    decision,
                )?
            };
            approvals::add_resolution(conn, &id, &actor, decision, now)?;
            if a.kind == movement::TRANSACTION_REQUEST && outcome != Outcome::StillPending {
                movement::apply_decision(
                    conn,
                    &a,
                    outcome == Outcome::Approved,
                    now,
                    settle_after,
                )?;
            } else if outcome == Outcome::Approved {
                apply_approved(conn, &a, now, &base)?;
            }
            approvals::set_state(conn, &id, outcome.state(a.state), now)?;
            let a = approvals::find_by_id(conn, &id)?
                .ok_or_else(|| Error::Internal(format!("approval {id} vanished")))?;
            Ok(view::approval_json(&a, &approvals::resolutions(conn, &id)?))
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}

/// Whether `actor` may resolve `a` (any kind but a withdrawal), as `policy.rs` says for its
/// kind; `membership` is the actor's permissions on the approval's enterprise.
fn check_resolver(
    conn: &rusqlite::Connection,
    a: &ApprovalRow,
    actor: &str,
    membership: Option<&[crate::domain::role::EnterprisePermission]>,
    approving: bool,
) -> Result<()> {
    match a.kind.as_str() {
        UPDATE_ORGANIZATION_REQUEST => organization::check_resolver(conn, a, actor, approving),
        POLICY_RULE_REQUEST => policy_rules::check_resolver(conn, a, actor, approving),
        _ => policy::may_resolve_approval(actor, &a.creator_id, membership, approving),
    }
}

/// Carries out an approved change.
fn apply_approved(
    conn: &rusqlite::Connection,
    a: &ApprovalRow,
    now_ms: i64,
    base_url: &str,
) -> Result<()> {
    match a.kind.as_str() {
        UPDATE_ORGANIZATION_REQUEST => organization::apply_approved(conn, a, now_ms),
        POLICY_RULE_REQUEST => policy_rules::apply_approved(conn, a, now_ms),
        _ => apply_enterprise_change(conn, a, now_ms, base_url),
    }
}

/// Carries out an approved enterprise change (`updateEnterpriseRequest` and the like).
fn apply_enterprise_change(
    conn: &rusqlite::Connection,
    a: &ApprovalRow,
    now_ms: i64,
    base_url: &str,
) -> Result<()> {
    let change: EnterpriseChange = serde_json::from_value(a.change.clone())
        .map_err(|e| Error::Internal(format!("approval {} change: {e}", a.id)))?;
    let enterprise_id = a
        .enterprise_id
        .as_deref()
        .ok_or_else(|| Error::Internal(format!("approval {} has no enterprise", a.id)))?;
    let enterprise = enterprises::find_by_id(conn, enterprise_id)?
        .ok_or_else(|| Error::NotFound(format!("enterprise {enterprise_id} not found")))?;
    let ctx = Context {
        enterprise: &enterprise,
        actor_id: &a.creator_id,
        now_ms,
        base_url,
    };
    changes::apply(conn, &ctx, &change)
}
