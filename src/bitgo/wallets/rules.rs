//! Wallet policy rules: `POST|PUT|DELETE /api/v2/{coin}/wallet/{walletId}/policy/rule` on one
//! Go Account, and `POST|GET /api/policy/v1/organizations/{organizationId}/rules` across every
//! wallet of the organization's child enterprises (listed as BitGo's policy service lists
//! rules: `policy_rule_view`). Set by wallet admins and organization admins (a rule an
//! organization admin set, only by organization admins); withdrawals obey them
//! (`bitgo::transfers`). Adding or tightening a rule applies at once; removing or loosening
//! one answers 202 with a `policyRuleRequest` pending approval for another admin.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use crate::bitgo::approvals::view::approval_json;
use crate::bitgo::call::Authed;
use crate::bitgo::error::BitgoError;
use crate::bitgo::wallets::policy_rule_view::policy_rule_json;
use crate::bitgo::wallets::{ofc_coin, path_param, wallet_doc};
use crate::domain::error::{Error, Result};
use crate::domain::money;
use crate::domain::policy;
use crate::domain::role::OrgRole;
use crate::domain::scope::Scope;
use crate::domain::wallet_policy::{Rule, RuleAction, RuleKind};
use crate::request::json::string_field;
use crate::service::access::{self, WalletAccess};
use crate::service::approvals::policy_rules::{self, RuleChange};
use crate::store::{organizations, wallet_policies};

const EDIT_SCOPES: &[Scope] = &[
    Scope::WalletEditAll,
    Scope::WalletEditEnterprise,
    Scope::WalletEdit,
    Scope::WalletManageAll,
    Scope::EnterpriseManageAll,
];

fn whitelist_item(v: &Value) -> Result<String> {
    let item = match v {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("item").and_then(Value::as_str).unwrap_or(""),
        _ => "",
    };
    if item.is_empty() || item.len() > 256 {
        return Err(Error::Invalid(
            "condition.add must be an address or {item, type}".into(),
        ));
    }
    Ok(item.to_ascii_lowercase())
}

fn positive(v: Option<&Value>, field: &str) -> Result<i64> {
    let raw = match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(Error::Invalid(format!("{field} is required"))),
    };
    money::parse_amount(&raw, field)
}

/// The rule a body asks for, starting from `existing` (PUT) or nothing (POST).
fn parse_rule(body: &Map<String, Value>, existing: Option<Rule>) -> Result<Rule> {
    let id = string_field(body.get("id"), "id")?
        .filter(|i| !i.is_empty() && i.len() <= 128)
        .ok_or_else(|| Error::Invalid("id is required (1 to 128 characters)".into()))?
        .to_string();
    let kind_name = string_field(body.get("type"), "type")?
        .ok_or_else(|| Error::Invalid("type is required".into()))?;
    let action = match body
        .get("action")
        .and_then(|a| a.get("type"))
        .and_then(Value::as_str)
    {
        Some(a) => RuleAction::parse(a)?,
        None => existing
            .as_ref()
            .map(|r| r.action)
            .ok_or_else(|| Error::Invalid("action.type is required".into()))?,
    };
    let coin = match string_field(body.get("coin"), "coin")? {
        Some(c) => Some(money::asset(c)?.id.to_string()),
        None => existing.as_ref().and_then(|r| r.coin.clone()),
    };
    let empty = Map::new();
    let condition = body
        .get("condition")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let kind = match kind_name {
        "velocityLimit" => RuleKind::VelocityLimit {
            limit: positive(
                condition.get("amountString").or(condition.get("amount")),
                "condition.amountString",
            )?,
            window_seconds: positive(condition.get("timeWindow"), "condition.timeWindow")?,
        },
        "advancedWhitelist" => {
            let mut items = match existing.map(|r| r.kind) {
                Some(RuleKind::AdvancedWhitelist { items }) => items,
                _ => Vec::new(),
            };
            if let Some(add) = condition.get("add") {
                let item = whitelist_item(add)?;
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            if let Some(remove) = condition.get("remove") {
                let item = whitelist_item(remove)?;
                items.retain(|i| *i != item);
            }
            if items.len() > 1000 {
                return Err(Error::Invalid(
                    "a whitelist holds at most 1000 entries".into(),
                ));
            }
            RuleKind::AdvancedWhitelist { items }
        }
        other => {
            return Err(Error::Invalid(format!(
                "type {other:?} is not supported here: velocityLimit or advancedWhitelist"
            )))
        }
    };
    Ok(Rule {
        id,
        coin,
        kind,
        action,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Change {
    Add,
    Update,
    Remove,
    /// Add, or change an existing rule (the bulk route).
    Upsert,
}

/// What a rule change led to.
enum Outcome {
    /// Applied: the reply document.
    Applied(Value),
    /// Held for another admin: the pending approval document.
    Held(Value),
}

impl Outcome {
    fn reply(self, authed: &Authed) -> Result<HttpResponse, BitgoError> {
        match self {
            Outcome::Applied(doc) => authed.reply(StatusCode::OK, &doc),
            Outcome::Held(doc) => authed.reply(StatusCode::ACCEPTED, &doc),
        }
    }
}

/// The change `body` asks of the rule it names on the wallet `a` loads, after the policy
/// allows `user` (an organization admin of its child enterprise when `org_admin`) to change it.
fn wallet_rule_change(
    c: &rusqlite::Connection,
    a: &WalletAccess,
    body: &Map<String, Value>,
    change: Change,
    org_admin: bool,
) -> Result<RuleChange> {
    let scope = wallet_policies::wallet_scope(&a.wallet.id);
    let id = string_field(body.get("id"), "id")?
        .unwrap_or_default()
        .to_string();
    let existing = wallet_policies::find(c, &scope, &id)?;
    policy::may_change_wallet_rule(
        a.wallet_perms.as_deref(),
        org_admin,
        existing.as_ref().is_some_and(|r| r.set_by_org_admin),
    )?;
    let after = match (change, &existing) {
        (Change::Add, Some(_)) => {
            return Err(Error::Conflict(format!(
                "policy rule {id} already exists: change it with PUT"
            )))
        }
        (Change::Update | Change::Remove, None) => {
            return Err(Error::NotFound(format!("policy rule {id} not found")))
        }
        (Change::Remove, Some(_)) => None,
        (_, existing) => Some(parse_rule(body, existing.as_ref().map(|r| r.rule.clone()))?),
    };
    Ok(RuleChange::for_wallet(a, &id, existing, after, org_admin))
}

async fn change_wallet_rule(
    authed: Authed,
    req: HttpRequest,
    change: Change,
) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(&authed.principal.token.scope, EDIT_SCOPES)?;
    let coin = ofc_coin(&req)?;
    let wallet_id = path_param(&req, "walletId")?;
    let body: Map<String, Value> = authed.call.json()?;
    let (user, scopes, now) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.scope.clone(),
        authed.now_ms(),
    );
    let outcome = authed
        .call
        .sandbox
        .store
        .write(move |c| -> Result<_> {
            let a = access::load_visible(c, &wallet_id, &user, &scopes)?;
            let org_admin = a.is_child() && a.org_role == Some(OrgRole::Admin);
            let rule_change = wallet_rule_change(c, &a, &body, change, org_admin)?;
            match policy_rules::submit(c, rule_change, &user, now)? {
                Some(held) => Ok(Outcome::Held(approval_json(&held, &[]))),
                None => Ok(Outcome::Applied(wallet_doc(
                    c,
                    &a.wallet,
                    &coin,
                    a.enterprise.organization_id.as_deref(),
                )?)),
            }
        })
        .await?;
    outcome.reply(&authed)
}

/// `POST /api/v2/{coin}/wallet/{walletId}/policy/rule`.
pub async fn add_wallet_rule(authed: Authed, req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    change_wallet_rule(authed, req, Change::Add).await
}

/// `PUT /api/v2/{coin}/wallet/{walletId}/policy/rule` (`condition.add` / `condition.remove`
/// edit a whitelist).
pub async fn update_wallet_rule(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    change_wallet_rule(authed, req, Change::Update).await
}

/// `DELETE /api/v2/{coin}/wallet/{walletId}/policy/rule` with a JSON body `{id, type, action}`.
pub async fn delete_wallet_rule(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    change_wallet_rule(authed, req, Change::Remove).await
}

fn organization_of(req: &HttpRequest) -> Result<String> {
    Ok(path_param(req, "organizationId")?.to_ascii_lowercase())
}

/// `POST /api/policy/v1/organizations/{organizationId}/rules` `{id, type, condition, action,
/// coin?}`: a rule on every Go Account of the organization's child enterprises (organization
/// admins only). Posting an existing id changes it; loosening it answers 202 with a pending
/// approval for another organization admin.
pub async fn add_organization_rule(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(&authed.principal.token.scope, EDIT_SCOPES)?;
    let org = organization_of(&req)?;
    let body: Map<String, Value> = authed.call.json()?;
    let (user, now) = (authed.principal.user_id().to_string(), authed.now_ms());
    let outcome = authed
        .call
        .sandbox
        .store
        .write(move |c| -> Result<_> {
            policy::may_manage_organization(organizations::role_of(c, &org, &user)?, &org)?;
            let scope = wallet_policies::organization_scope(&org);
            let id = string_field(body.get("id"), "id")?
                .unwrap_or_default()
                .to_string();
            let existing = wallet_policies::find(c, &scope, &id)?;
            let rule = parse_rule(&body, existing.as_ref().map(|r| r.rule.clone()))?;
            let doc = rule.to_json();
            let rule_change = RuleChange::for_organization(&org, &id, existing, Some(rule));
            match policy_rules::submit(c, rule_change, &user, now)? {
                Some(held) => Ok(Outcome::Held(approval_json(&held, &[]))),
                None => Ok(Outcome::Applied(doc)),
            }
        })
        .await?;
    outcome.reply(&authed)
}

/// `GET /api/policy/v1/organizations/{organizationId}/rules`: `{rules, nextBatchPrevId}`, each
/// rule as BitGo's policy service shows one (`PolicyRule1`, `policy_rule_view`), every rule on
/// one page (BitGo's `PaginatedResultsWithNextBatchPrevId` requires the cursor; an empty one
/// says there is no further page).
pub async fn list_organization_rules(
    authed: Authed,
    req: HttpRequest,
) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(
        &authed.principal.token.scope,
        &[Scope::EnterpriseViewAll, Scope::WalletViewAll],
    )?;
    let org = organization_of(&req)?;
    let user = authed.principal.user_id().to_string();
    let (org, rules) = authed
        .call
        .sandbox
        .store
        .read(move |c| {
            policy::may_manage_organization(organizations::role_of(c, &org, &user)?, &org)?;
            let rules = wallet_policies::records(c, &wallet_policies::organization_scope(&org))?;
            Ok((org, rules))
        })
        .await?;
    let shown: Vec<Value> = rules.iter().map(|r| policy_rule_json(r, &org)).collect();
    authed.reply(
        StatusCode::OK,
        &json!({"rules": shown, "nextBatchPrevId": ""}),
    )
}

/// `PUT /api/v2/policy/rule/bulk` `{updates: [{walletId, coin, id, type: advancedWhitelist,
/// action, condition}]}`: whitelist changes across many wallets (an organization admin's
/// tool across child enterprises). Each update succeeds or fails on its own:
/// `{successes, failures: [{walletId, error}]}`; the updates that add entries to an existing
/// whitelist wait together in one `pendingAdminApproval` for another admin.
pub async fn bulk_update_rules(authed: Authed) -> Result<HttpResponse, BitgoError> {
    policy::require_any_scope(&authed.principal.token.scope, EDIT_SCOPES)?;
    let body: Map<String, Value> = authed.call.json()?;
    let updates = body
        .get("updates")
        .and_then(Value::as_array)
        .filter(|u| !u.is_empty() && u.len() <= 500)
        .ok_or_else(|| Error::Invalid("updates is required: 1 to 500 rule updates".into()))?
        .clone();
    let (user, scopes, now) = (
        authed.principal.user_id().to_string(),
        authed.principal.token.scope.clone(),
        authed.now_ms(),
    );
    let doc = authed
        .call
        .sandbox
        .store
        .write(move |c| {
            let (mut successes, mut failures, mut held) = (Vec::new(), Vec::new(), Vec::new());
            // One update per wallet rule: a second would be checked against the rule as it was
            // before the first, and a held change applies only to the rule it was asked of.
            let mut seen = std::collections::HashSet::new();
            for update in &updates {
                let wallet_id = update
                    .get("walletId")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let applied = (|| -> Result<Option<Value>> {
                    let u = update
                        .as_object()
                        .ok_or_else(|| Error::Invalid("an update must be an object".into()))?;
                    if u.get("type").and_then(Value::as_str) != Some("advancedWhitelist") {
                        return Err(Error::Invalid(
                            "only advancedWhitelist rules are updated in bulk".into(),
                        ));
                    }
                    let a = access::load_visible(c, &wallet_id, &user, &scopes)?;
                    let org_admin = a.is_child() && a.org_role == Some(OrgRole::Admin);
                    let rule_change = wallet_rule_change(c, &a, u, Change::Upsert, org_admin)?;
                    if !seen.insert(rule_change.scope.clone() + "/" + &rule_change.rule_id) {
                        return Err(Error::Invalid(format!(
                            "policy rule {} of wallet {} is updated twice in this request",
                            rule_change.rule_id, a.wallet.id
                        )));
                    }
                    if rule_change.loosens() {
                        held.push(rule_change);
                        return Ok(None);
                    }
                    policy_rules::apply(c, &rule_change, &user, now)?;
                    let rule = rule_change.after.as_ref().map(Rule::to_json);
                    Ok(Some(json!({"walletId": a.wallet.id, "rule": rule})))
                })();
                match applied {
                    Ok(Some(v)) => successes.push(v),
                    Ok(None) => {}
                    Err(Error::Internal(e)) => return Err(Error::Internal(e)),
                    Err(e) => failures.push(json!({"walletId": wallet_id, "error": e.to_string()})),
                }
            }
            let mut doc = json!({"successes": successes, "failures": failures});
            if !held.is_empty() {
                let pending = policy_rules::hold(c, &held, &user, now)?;
                doc["pendingAdminApproval"] = approval_json(&pending, &[]);
            }
            Ok(doc)
        })
        .await?;
    authed.reply(StatusCode::OK, &doc)
}
