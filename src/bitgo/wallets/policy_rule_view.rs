//! An organization's wallet-policy rules as BitGo's policy service lists them
//! (`GET /api/policy/v1/organizations/{organizationId}/rules`: `PolicyRule1`): each rule a
//! Policy Rule on the "Transfer from a Wallet" touchpoint, scoped to wallets and filtered to
//! trading wallets (the Go Accounts of the organization's child enterprises), with one clause
//! whose condition and action are the rule's in BitGo's vocabulary. orgbox keeps no history of
//! a rule: it is always `ACTIVE`, shows no `version`, and its `modifiedBy` / `modifiedDate`
//! are its first setting's. It is never locked (`locked: false`; BitGo requires a `lockType`
//! even so, and `LOCK_AFTER_DATE` with no `lockDate` is the one that locks nothing yet). The
//! rule as it was posted rides along as `walletPolicyRule` (its whitelist entries have no
//! place in BitGo's clause).

use serde_json::{json, Value};

use crate::auth::token::sha256_hex;
use crate::bitgo::views::iso;
use crate::domain::ids::uuid_of;
use crate::domain::wallet_policy::{Rule, RuleAction, RuleKind};
use crate::store::wallet_policies::RuleRecord;

/// The label of the touchpoint every wallet-policy rule sits on (BitGo's own example label of
/// `PolicyRule1.touchpointLabel`; a Go Account is no segregated wallet).
const TOUCHPOINT_LABEL: &str = "Transfer from a Wallet";
/// The label of the scope of every wallet-policy rule (BitGo's examples' `scopeLabel`).
const SCOPE_LABEL: &str = "Wallet";

/// A UUID that `name` always gives (SHA-256 of it, version nibble 5, RFC 4122 variant).
fn stable_uuid(name: &str) -> String {
    let h = sha256_hex(name.as_bytes());
    uuid_of(&format!("{}5{}a{}", &h[..12], &h[13..16], &h[17..32]))
}

/// The clause condition of `rule`: a velocity limit over the wallet's sends, or a transfer to
/// a destination off the whitelist.
fn condition(rule: &Rule) -> Value {
    let coin = rule.coin.as_deref().unwrap_or("ofc");
    match &rule.kind {
        RuleKind::VelocityLimit {
            limit,
            window_seconds,
        } => json!({"name": "transfer.velocity.limit", "parameters": {
            "scope": "wallet", "timeWindow": window_seconds.to_string(),
            "amount": limit.to_string(), "coin": coin}}),
        RuleKind::AdvancedWhitelist { .. } => json!({"name": "transfer.destination.type",
            "parameters": {"type": "nonWhitelistedAddress", "coin": coin}}),
    }
}

/// The clause action of `rule`: refuse, or wait for another admin of the enterprise.
fn action(rule: &Rule) -> Value {
    match rule.action {
        RuleAction::Deny => json!({"name": "approvals.always.deny"}),
        RuleAction::GetApproval => json!({"name": "approvals.customer.enterpriseAdmin"}),
    }
}

/// `record`, a rule of `organization_id`, as BitGo's `PolicyRule1`. Its `id` is stable for
/// the rule; its `uniqueId` (BitGo's id of one version) changes whenever the rule does.
pub fn policy_rule_json(record: &RuleRecord, organization_id: &str) -> Value {
    let rule = &record.rule;
    let posted = rule.to_json();
    let key = format!(
        "orgbox:policy-rule:organization:{organization_id}/{}",
        rule.id
    );
    let set = iso(record.created_at_ms);
    json!({
        "id": stable_uuid(&key),
        "uniqueId": stable_uuid(&format!("{key}@{posted}")),
        "name": rule.id,
        "status": "ACTIVE",
        "adminOnly": false,
        "touchpointId": stable_uuid("orgbox:policy-touchpoint:wallet.transfer"),
        "touchpointLabel": TOUCHPOINT_LABEL,
        "scopeId": stable_uuid("orgbox:policy-scope:wallet"),
        "scopeLabel": SCOPE_LABEL,
        "clauses": [{"conditions": [condition(rule)], "actions": [action(rule)]}],
        "filteringConditions": [{"name": "wallet.type", "parameters": {"walletType": ["trading"]}}],
        "locked": false,
        "lockType": "LOCK_AFTER_DATE",
        "organizationId": organization_id,
        "createdBy": record.created_by,
        "modifiedBy": record.created_by,
        "createdDate": set,
        "modifiedDate": set,
        "walletPolicyRule": posted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bitgo::unserved::schemas;

    fn record(kind: RuleKind, action: RuleAction, coin: Option<&str>) -> RuleRecord {
        RuleRecord {
            rule: Rule {
                id: "daily".into(),
                coin: coin.map(str::to_string),
                kind,
                action,
            },
            created_by: "a".repeat(32),
            created_at_ms: 1_761_324_279_108,
        }
    }

    const LIST: &str = "/api/policy/v1/organizations/{organizationId}/rules";

    #[test]
    fn each_rule_kind_is_a_policy_rule_of_bitgos_schema() {
        let org = "b".repeat(32);
        let velocity = RuleKind::VelocityLimit {
            limit: 1000,
            window_seconds: 86_400,
        };
        let whitelist = RuleKind::AdvancedWhitelist {
            items: vec!["tb1q".into()],
        };
        let rules = [
            record(velocity, RuleAction::GetApproval, Some("ofctusd")),
            record(whitelist, RuleAction::Deny, None),
        ];
        let shown: Vec<Value> = rules.iter().map(|r| policy_rule_json(r, &org)).collect();
        let doc = json!({"rules": shown, "nextBatchPrevId": ""});
        assert!(schemas::check("GET", LIST, 200, &doc).is_ok(), "{doc}");
        let v = &shown[0]["clauses"][0];
        assert_eq!(v["conditions"][0]["name"], "transfer.velocity.limit");
        assert_eq!(v["conditions"][0]["parameters"]["amount"], "1000");
        assert_eq!(v["conditions"][0]["parameters"]["timeWindow"], "86400");
        assert_eq!(
            v["actions"][0]["name"],
            "approvals.customer.enterpriseAdmin"
        );
        let w = &shown[1]["clauses"][0];
        assert_eq!(w["conditions"][0]["parameters"]["coin"], "ofc");
        assert_eq!(w["actions"][0]["name"], "approvals.always.deny");
        assert_eq!(
            shown[1]["walletPolicyRule"]["condition"]["entries"][0]["item"],
            "tb1q"
        );
        assert_eq!(shown[0]["createdDate"], "2025-10-24T16:44:39.108Z");
    }

    #[test]
    fn the_id_stays_with_the_rule_and_the_unique_id_with_its_version() {
        let org = "b".repeat(32);
        let at = |limit| {
            let kind = RuleKind::VelocityLimit {
                limit,
                window_seconds: 60,
            };
            policy_rule_json(&record(kind, RuleAction::Deny, None), &org)
        };
        let (first, again, changed) = (at(5), at(5), at(6));
        assert_eq!(first["id"], changed["id"]);
        assert_eq!(first["uniqueId"], again["uniqueId"]);
        assert_ne!(first["uniqueId"], changed["uniqueId"]);
        let other = policy_rule_json(
            &record(
                RuleKind::VelocityLimit {
                    limit: 5,
                    window_seconds: 60,
                },
                RuleAction::Deny,
                None,
            ),
            &"c".repeat(32),
        );
        assert_ne!(first["id"], other["id"]);
        let id = first["id"].as_str().unwrap();
        assert_eq!((id.len(), &id[14..15], &id[19..20]), (36, "5", "a"));
    }
}
