//! Policy-rule changes: a change that removes or loosens a rule waits for another admin as
//! BitGo's `policyRuleRequest` pending approval; any other change applies at once. Everything
//! here runs inside the caller's one write transaction.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::error::{Error, Result};
use crate::domain::money::WalletPermission;
use crate::domain::policy::{self, RuleResolver};
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::wallet_policy::{loosens, Rule, POLICY_RULE_REQUEST};
use crate::service::access::{self, WalletAccess};
use crate::service::webhooks;
use crate::store::approvals::{self, ApprovalRow};
use crate::store::wallet_policies::{self, StoredRule};
use crate::store::{enterprise_users, organizations, wallets};

/// One rule change, kept as JSON with its pending approval when it waits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleChange {
    /// The store's scope key (`wallet:<id>` or `organization:<id>`).
    pub scope: String,
    /// The rule's wallet (a wallet rule).
    pub wallet_id: Option<String>,
    /// The wallet's enterprise (a wallet rule).
    pub enterprise_id: Option<String>,
    /// The organization: the wallet's enterprise's, or the one whose rule it is.
    pub organization_id: Option<String>,
    /// The rule id.
    pub rule_id: String,
    /// The rule as it was when the change was asked for (`None`: no such rule yet).
    pub before: Option<Rule>,
    /// The rule asked for (`None`: remove it).
    pub after: Option<Rule>,
    /// The rule answered only to organization admins when the change was asked for.
    pub org_guarded: bool,
    /// The requester is an organization admin (the rule becomes theirs once written).
    pub by_org_admin: bool,
}

impl RuleChange {
    /// A change of rule `rule_id` of the wallet `a` loads, from `existing` to `after`.
    pub fn for_wallet(
        a: &WalletAccess,
        rule_id: &str,
        existing: Option<StoredRule>,
        after: Option<Rule>,
        by_org_admin: bool,
    ) -> RuleChange {
        RuleChange {
            scope: wallet_policies::wallet_scope(&a.wallet.id),
            wallet_id: Some(a.wallet.id.clone()),
            enterprise_id: Some(a.enterprise.id.clone()),
            organization_id: a.enterprise.organization_id.clone(),
            rule_id: rule_id.to_string(),
            org_guarded: existing.as_ref().is_some_and(|s| s.set_by_org_admin),
            before: existing.map(|s| s.rule),
            after,
            by_org_admin,
        }
    }

    /// A change of organization `org_id`'s rule `rule_id` (only its admins ask or resolve).
    pub fn for_organization(
        org_id: &str,
        rule_id: &str,
        existing: Option<StoredRule>,
        after: Option<Rule>,
    ) -> RuleChange {
        RuleChange {
            scope: wallet_policies::organization_scope(org_id),
            wallet_id: None,
            enterprise_id: None,
            organization_id: Some(org_id.to_string()),
            rule_id: rule_id.to_string(),
            before: existing.map(|s| s.rule),
            after,
            org_guarded: true,
            by_org_admin: true,
        }
    }

    /// Whether it removes or loosens the rule (`domain::wallet_policy::loosens`): then it waits.
    pub fn loosens(&self) -> bool {
        loosens(self.before.as_ref(), self.after.as_ref())
    }

    /// The `update` object BitGo shows in `info.policyRuleRequest`.
    fn update_json(&self) -> Value {
        let mut update = match (&self.after, &self.before) {
            (Some(rule), _) | (None, Some(rule)) => rule.to_json(),
            (None, None) => json!({"id": self.rule_id}),
        };
        if let Some(w) = &self.wallet_id {
            update["walletId"] = w.as_str().into();
        }
        update
    }
}

/// Applies `change` now, as `creator_id`, if the rule is still as it was when asked for.
pub fn apply(conn: &Connection, change: &RuleChange, creator_id: &str, now_ms: i64) -> Result<()> {
    let current = wallet_policies::find(conn, &change.scope, &change.rule_id)?.map(|s| s.rule);
    if current != change.before {
        return Err(Error::Conflict(format!(
            "policy rule {} has changed since this change was asked for: ask again",
            change.rule_id
        )));
    }
    match &change.after {
        Some(rule) => wallet_policies::save(
            conn,
            &change.scope,
            rule,
            creator_id,
            change.by_org_admin,
            now_ms,
        ),
        None => wallet_policies::remove(conn, &change.scope, &change.rule_id).map(|_| ()),
    }
}

/// Applies `change` at once, or holds it for another admin when it removes or loosens the
/// rule; the pending approval when held.
pub fn submit(
    conn: &Connection,
    change: RuleChange,
    creator_id: &str,
    now_ms: i64,
) -> Result<Option<ApprovalRow>> {
    if change.loosens() {
        return hold(conn, &[change], creator_id, now_ms).map(Some);
    }
    apply(conn, &change, creator_id, now_ms)?;
    Ok(None)
}

/// Who could resolve `change`: the organization's admins, and for a rule no organization
/// admin set also the wallet's admins and its enterprise's admins.
fn resolvers(conn: &Connection, change: &RuleChange) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    if let Some(org) = &change.organization_id {
        ids.extend(
            organizations::members(conn, org)?
                .into_iter()
                .filter(|m| m.role == OrgRole::Admin)
                .map(|m| m.user_id),
        );
    }
    if !change.org_guarded {
        if let Some(w) = &change.wallet_id {
            ids.extend(
                wallets::users(conn, w)?
                    .into_iter()
                    .filter(|(_, p)| p.contains(&WalletPermission::Admin))
                    .map(|(u, _)| u),
            );
        }
        if let Some(e) = &change.enterprise_id {
            ids.extend(enterprise_users::admin_ids(conn, e)?);
        }
    }
    Ok(ids)
}

/// The one value all `changes` share, if they do.
fn shared(
    changes: &[RuleChange],
    field: impl Fn(&RuleChange) -> Option<&String>,
) -> Option<String> {
    let first = changes.first().and_then(&field)?;
    changes
        .iter()
        .all(|c| field(c) == Some(first))
        .then(|| first.clone())
}

/// Opens one pending approval holding `changes` (each removes or loosens a rule), listing
/// everyone who could resolve them and the creator.
pub fn hold(
    conn: &Connection,
    changes: &[RuleChange],
    creator_id: &str,
    now_ms: i64,
) -> Result<ApprovalRow> {
    let mut user_ids = vec![creator_id.to_string()];
    for change in changes {
        user_ids.extend(resolvers(conn, change)?);
    }
    user_ids.sort();
    user_ids.dedup();
    let request = match changes {
        [one] => json!({
            "action": if one.after.is_some() { "update" } else { "remove" },
            "update": one.update_json(),
        }),
        many => json!({
            "action": "update",
            "updates": many.iter().map(RuleChange::update_json).collect::<Vec<_>>(),
        }),
    };
    let wallet_id = shared(changes, |c| c.wallet_id.as_ref());
    let scope = if changes.iter().any(|c| c.wallet_id.is_some()) {
        "wallet"
    } else {
        "organization"
    };
    let row = ApprovalRow {
        enterprise_id: shared(changes, |c| c.enterprise_id.as_ref()),
        organization_id: shared(changes, |c| c.organization_id.as_ref()),
        coin: wallet_id.as_ref().map(|_| "ofc".to_string()),
        wallet_id,
        ..ApprovalRow::pending(
            POLICY_RULE_REQUEST,
            scope,
            creator_id,
            json!({"type": POLICY_RULE_REQUEST, POLICY_RULE_REQUEST: request}),
            serde_json::to_value(changes).map_err(|e| Error::Internal(e.to_string()))?,
            user_ids,
            now_ms,
        )
    };
    approvals::insert(conn, &row)?;
    webhooks::report_approval(conn, &row, row.created_at)?;
    Ok(row)
}

fn stored(a: &ApprovalRow) -> Result<Vec<RuleChange>> {
    serde_json::from_value(a.change.clone())
        .map_err(|e| Error::Internal(format!("approval {} change: {e}", a.id)))
}

/// What `user_id` is to the rule `change` changes.
fn resolver(conn: &Connection, change: &RuleChange, user_id: &str) -> Result<RuleResolver> {
    match &change.wallet_id {
        Some(w) => {
            let a = access::load(conn, w, user_id)?;
            Ok(RuleResolver {
                wallet_admin: a
                    .wallet_perms
                    .as_deref()
                    .is_some_and(|p| p.contains(&WalletPermission::Admin)),
                enterprise_admin: a
                    .enterprise_perms
                    .as_deref()
                    .is_some_and(|p| p.contains(&EnterprisePermission::Admin)),
                org_admin: a.is_child() && a.org_role == Some(OrgRole::Admin),
            })
        }
        None => {
            let org = change.organization_id.as_deref().unwrap_or_default();
            Ok(RuleResolver {
                org_admin: organizations::role_of(conn, org, user_id)? == Some(OrgRole::Admin),
                ..RuleResolver::default()
            })
        }
    }
}

/// Whether `actor` may resolve the held rule changes `a`: for every change it holds.
pub fn check_resolver(
    conn: &Connection,
    a: &ApprovalRow,
    actor_id: &str,
    approving: bool,
) -> Result<()> {
    for change in stored(a)? {
        policy::may_resolve_rule_change(
            actor_id,
            &a.creator_id,
            resolver(conn, &change, actor_id)?,
            change.org_guarded,
            approving,
        )?;
    }
    Ok(())
}

/// Applies the approved rule changes `a`, as their creator.
pub fn apply_approved(conn: &Connection, a: &ApprovalRow, now_ms: i64) -> Result<()> {
    for change in stored(a)? {
        apply(conn, &change, &a.creator_id, now_ms)?;
    }
    Ok(())
}
