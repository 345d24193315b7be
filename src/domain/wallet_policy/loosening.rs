//! Which changes of a wallet policy rule loosen it: removing it, widening what it lets
//! through, softening its action or narrowing the assets it looks at. Such a change waits for
//! another admin's approval (BitGo's `policyRuleRequest`); anything else applies at once.

use super::{Rule, RuleAction, RuleKind};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wallet_policy::tests::{velocity, whitelist};

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
    fn a_whitelist_that_gains_an_entry_or_a_velocity_limit_that_rises_or_shortens_loosens() {
        let wl = whitelist(&["a", "b"]);
        let vel = velocity(100, 60);
        let table: Vec<(&str, Option<Rule>, Option<Rule>, bool)> = vec![
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
        ];
        for (case, before, after, loosened) in table {
            assert_eq!(loosens(before.as_ref(), after.as_ref()), loosened, "{case}");
        }
    }
}
