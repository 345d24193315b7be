//! Wallet policy rules on withdrawals (`velocityLimit`, `advancedWhitelist`), set per wallet
//! or across an organization's child enterprises, what they decide for one withdrawal, and
//! which changes of a rule loosen it (those wait for another admin's approval, BitGo's
//! `policyRuleRequest`; in `loosening.rs`). Pure: the caller loads the rules and the amount
//! already sent in each rule's window.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::error::{Error, Result};

mod loosening;

pub use loosening::loosens;

/// The `info.type` of a held policy-rule change.
pub const POLICY_RULE_REQUEST: &str = "policyRuleRequest";

/// A rule's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum RuleKind {
    /// At most `limit` base units leave in any `window_seconds`.
    #[serde(rename_all = "camelCase")]
    VelocityLimit {
        /// Base units.
        limit: i64,
        /// Seconds.
        window_seconds: i64,
    },
    /// Only these recipients (addresses, wallet ids, enterprise ids, organization ids).
    AdvancedWhitelist {
        /// The allowed items.
        items: Vec<String>,
    },
}

/// What happens when a rule triggers (BitGo's `action.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RuleAction {
    /// Refuse the withdrawal.
    Deny,
    /// Hold it for an approval.
    GetApproval,
}

impl RuleAction {
    /// Parses `action.type`.
    pub fn parse(s: &str) -> Result<RuleAction> {
        match s {
            "deny" => Ok(RuleAction::Deny),
            "getApproval" | "getFinalApproval" => Ok(RuleAction::GetApproval),
            other => Err(Error::Invalid(format!(
                "action.type {other:?} is not supported here: deny or getApproval"
            ))),
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Deny => "deny",
            RuleAction::GetApproval => "getApproval",
        }
    }
}

/// A policy rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The client's rule id.
    pub id: String,
    /// Applies only to this asset, when set.
    pub coin: Option<String>,
    /// What it checks.
    pub kind: RuleKind,
    /// What it does when triggered.
    pub action: RuleAction,
}

impl Rule {
    /// BitGo's `type`.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            RuleKind::VelocityLimit { .. } => "velocityLimit",
            RuleKind::AdvancedWhitelist { .. } => "advancedWhitelist",
        }
    }

    /// The rule as BitGo shows it in `admin.policy.rules`.
    pub fn to_json(&self) -> Value {
        let condition = match &self.kind {
            RuleKind::VelocityLimit {
                limit,
                window_seconds,
            } => {
                json!({"amountString": limit.to_string(), "timeWindow": window_seconds, "excludeTags": []})
            }
            RuleKind::AdvancedWhitelist { items } => json!({
                "entries": items.iter().map(|i| json!({"item": i})).collect::<Vec<_>>()
            }),
        };
        let mut v = json!({"id": self.id, "type": self.type_name(), "action": {"type": self.action.as_str()}, "condition": condition});
        if let Some(c) = &self.coin {
            v["coin"] = c.as_str().into();
        }
        v
    }

    /// Whether the rule looks at withdrawals of `asset`.
    pub fn applies_to(&self, asset: &str) -> bool {
        self.coin
            .as_deref()
            .is_none_or(|c| c == asset || c == "ofc")
    }

    /// The assets the rule looks at: `None` for every asset (no coin, or `ofc`).
    fn asset(&self) -> Option<&str> {
        self.coin.as_deref().filter(|c| *c != "ofc")
    }
}

/// What the rules decide for one withdrawal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead.
    Allow,
    /// Refused by the rule with this id.
    Deny(String),
    /// Hold for an approval, because of the rule with this id.
    NeedsApproval(String),
}

/// Evaluates `rules` for a withdrawal of `amount` of `asset` to a recipient known by
/// `recipient_ids` (its address, and for a Go Account its wallet, enterprise and
/// organization ids). `sent_in_window(seconds)` is what the wallet already sent of the
/// asset in that many seconds. A deny wins over an approval.
pub fn evaluate(
    rules: &[Rule],
    asset: &str,
    amount: i64,
    recipient_ids: &[String],
    sent_in_window: &mut dyn FnMut(i64) -> Result<i64>,
) -> Result<Verdict> {
    let mut verdict = Verdict::Allow;
    for rule in rules.iter().filter(|r| r.applies_to(asset)) {
        let triggered = match &rule.kind {
            RuleKind::AdvancedWhitelist { items } => !recipient_ids
                .iter()
                .any(|r| items.iter().any(|i| i.eq_ignore_ascii_case(r))),
            RuleKind::VelocityLimit {
                limit,
                window_seconds,
            } => sent_in_window(*window_seconds)?.saturating_add(amount) > *limit,
        };
        if !triggered {
            continue;
        }
        match rule.action {
            RuleAction::Deny => return Ok(Verdict::Deny(rule.id.clone())),
            RuleAction::GetApproval if verdict == Verdict::Allow => {
                verdict = Verdict::NeedsApproval(rule.id.clone())
            }
            RuleAction::GetApproval => {}
        }
    }
    Ok(verdict)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<Rule> {
        vec![
            Rule {
                id: "wl".into(),
                coin: None,
                kind: RuleKind::AdvancedWhitelist {
                    items: vec!["good".into()],
                },
                action: RuleAction::Deny,
            },
            Rule {
                id: "vel".into(),
                coin: Some("ofctusd".into()),
                kind: RuleKind::VelocityLimit {
                    limit: 100,
                    window_seconds: 60,
                },
                action: RuleAction::GetApproval,
            },
        ]
    }

    #[test]
    fn a_whitelist_miss_is_denied_and_a_velocity_breach_needs_approval() {
        let mut sent = |_| Ok(50);
        let ids = |s: &str| vec![s.to_string()];
        assert_eq!(
            evaluate(&rules(), "ofctusd", 10, &ids("bad"), &mut sent).unwrap(),
            Verdict::Deny("wl".into())
        );
        assert_eq!(
            evaluate(&rules(), "ofctusd", 50, &ids("good"), &mut sent).unwrap(),
            Verdict::Allow
        );
        assert_eq!(
            evaluate(&rules(), "ofctusd", 51, &ids("GOOD"), &mut sent).unwrap(),
            Verdict::NeedsApproval("vel".into())
        );
        // The velocity rule is for ofctusd only.
        assert_eq!(
            evaluate(&rules(), "ofctbtc", 500, &ids("good"), &mut sent).unwrap(),
            Verdict::Allow
        );
    }

    /// A deny whitelist of `items` on every asset (also used by `loosening`'s tests).
    pub(super) fn whitelist(items: &[&str]) -> Rule {
        Rule {
            id: "wl".into(),
            coin: None,
            kind: RuleKind::AdvancedWhitelist {
                items: items.iter().map(|i| i.to_string()).collect(),
            },
            action: RuleAction::Deny,
        }
    }

    /// A deny velocity limit on `ofctusd` (also used by `loosening`'s tests).
    pub(super) fn velocity(limit: i64, window_seconds: i64) -> Rule {
        Rule {
            id: "vel".into(),
            coin: Some("ofctusd".into()),
            kind: RuleKind::VelocityLimit {
                limit,
                window_seconds,
            },
            action: RuleAction::Deny,
        }
    }

    #[test]
    fn rules_round_trip_through_json() {
        for rule in [whitelist(&["a"]), velocity(5, 10)] {
            let v = serde_json::to_value(&rule).unwrap();
            assert_eq!(serde_json::from_value::<Rule>(v).unwrap(), rule);
        }
    }
}
