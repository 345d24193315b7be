//! Wallet policy rules on withdrawals (`velocityLimit`, `advancedWhitelist`), set per wallet
//! or across an organization's child enterprises, what they decide for one withdrawal, and
//! which changes of a rule loosen it (those wait for another admin's approval, BitGo's
//! `policyRuleRequest`). Pure: the caller loads the rules and the amount already sent in each
//! rule's window.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::error::{Error, Result};

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

/// Whether replacing `before` by `after` (`None`: no rule) can let through a withdrawal that
/// `before` stopped, or turn a refusal into a hold. Such a change waits for another admin;
/// anything else (adding a rule, the same rule, only tighter) may apply at once:
/// - removing a rule loosens; adding one does not;
/// - a change of kind (whitelist to velocity limit or back) loosens;
/// - `deny` to `getApproval` loosens, `getApproval` to `deny` tightens;
/// - a rule that stops looking at an asset loosens: from every asset to one, or from one
///   asset to another; from one asset to every asset tightens;
/// - a whitelist that gains any entry loosens (losing entries tightens);
/// - a velocity limit that rises, or whose window shortens, loosens.
pub fn loosens(before: Option<&Rule>, after: Option<&Rule>) -> bool {
    let (before, after) = match (before, after) {
        (None, _) => return false,
        (Some(_), None) => return true,
        (Some(b), Some(a)) => (b, a),
    };
    let asset_dropped = match (before.asset(), after.asset()) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(b), Some(a)) => b != a,
    };
    let action_softened =
        before.action == RuleAction::Deny && after.action == RuleAction::GetApproval;
    let condition_loosened = match (&before.kind, &after.kind) {
        (
            RuleKind::AdvancedWhitelist { items: old },
            RuleKind::AdvancedWhitelist { items: new },
        ) => new
            .iter()
            .any(|n| !old.iter().any(|o| o.eq_ignore_ascii_case(n))),
        (
            RuleKind::VelocityLimit {
                limit: old_limit,
                window_seconds: old_window,
            },
            RuleKind::VelocityLimit {
                limit: new_limit,
                window_seconds: new_window,
            },
        ) => new_limit > old_limit || new_window < old_window,
        _ => true,
    };
    asset_dropped || action_softened || condition_loosened
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

    fn whitelist(items: &[&str]) -> Rule {
        Rule {
            id: "wl".into(),
            coin: None,
            kind: RuleKind::AdvancedWhitelist {
                items: items.iter().map(|i| i.to_string()).collect(),
            },
            action: RuleAction::Deny,
        }
    }

    fn velocity(limit: i64, window_seconds: i64) -> Rule {
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

    fn with(rule: &Rule, f: impl FnOnce(&mut Rule)) -> Rule {
        let mut r = rule.clone();
        f(&mut r);
        r
    }

    #[test]
    fn removing_widening_or_softening_a_rule_loosens_it_and_the_rest_does_not() {
        let wl = whitelist(&["a", "b"]);
        let vel = velocity(100, 60);
        let table: Vec<(&str, Option<Rule>, Option<Rule>, bool)> = vec![
            ("add a rule", None, Some(wl.clone()), false),
            ("remove a whitelist", Some(wl.clone()), None, true),
            ("remove a velocity limit", Some(vel.clone()), None, true),
            ("the same rule", Some(wl.clone()), Some(wl.clone()), false),
            (
                "whitelist gains an entry",
                Some(wl.clone()),
                Some(whitelist(&["a", "b", "c"])),
                true,
            ),
            (
                "whitelist swaps an entry",
                Some(wl.clone()),
                Some(whitelist(&["a", "c"])),
                true,
            ),
            (
                "whitelist loses an entry",
                Some(wl.clone()),
                Some(whitelist(&["a"])),
                false,
            ),
            (
                "whitelist emptied",
                Some(wl.clone()),
                Some(whitelist(&[])),
                false,
            ),
            (
                "entries differ only in case",
                Some(wl.clone()),
                Some(whitelist(&["A", "b"])),
                false,
            ),
            (
                "limit rises",
                Some(vel.clone()),
                Some(velocity(101, 60)),
                true,
            ),
            (
                "limit falls",
                Some(vel.clone()),
                Some(velocity(99, 60)),
                false,
            ),
            (
                "window shortens",
                Some(vel.clone()),
                Some(velocity(100, 59)),
                true,
            ),
            (
                "window lengthens",
                Some(vel.clone()),
                Some(velocity(100, 61)),
                false,
            ),
            (
                "limit falls but window shortens",
                Some(vel.clone()),
                Some(velocity(50, 30)),
                true,
            ),
            (
                "deny becomes getApproval",
                Some(wl.clone()),
                Some(with(&wl, |r| r.action = RuleAction::GetApproval)),
                true,
            ),
            (
                "getApproval becomes deny",
                Some(with(&wl, |r| r.action = RuleAction::GetApproval)),
                Some(wl.clone()),
                false,
            ),
            (
                "every asset narrowed to one",
                Some(wl.clone()),
                Some(with(&wl, |r| r.coin = Some("ofctbtc".into()))),
                true,
            ),
            (
                "one asset moved to another",
                Some(vel.clone()),
                Some(with(&vel, |r| r.coin = Some("ofctbtc".into()))),
                true,
            ),
            (
                "one asset widened to every asset",
                Some(vel.clone()),
                Some(with(&vel, |r| r.coin = None)),
                false,
            ),
            (
                "ofc is every asset",
                Some(wl.clone()),
                Some(with(&wl, |r| r.coin = Some("ofc".into()))),
                false,
            ),
            (
                "a whitelist becomes a velocity limit",
                Some(wl.clone()),
                Some(with(&vel, |r| r.id = "wl".into())),
                true,
            ),
        ];
        for (case, before, after, loosened) in table {
            assert_eq!(loosens(before.as_ref(), after.as_ref()), loosened, "{case}");
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
