//! Wallet policy rule changes: who sets a wallet's rules, who changes one rule (a rule an
//! organization admin set answers only to organization admins), and who resolves a held
//! change of a rule (`policyRuleRequest`).

use crate::domain::error::{Error, Result};
use crate::domain::money::WalletPermission;

/// Who may set a wallet's policy rules: its admins, and the admins of the organization of a
/// child enterprise (who set policy but never transact).
pub fn may_edit_wallet_policy(
    wallet: Option<&[WalletPermission]>,
    org_admin_of_child: bool,
) -> Result<()> {
    if org_admin_of_child || wallet.is_some_and(|w| w.contains(&WalletPermission::Admin)) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only wallet admins and organization admins may change wallet policy rules".into(),
        ))
    }
}

/// Who may change one wallet policy rule: as [`may_edit_wallet_policy`], except that a rule an
/// organization admin set (`set_by_org_admin`) answers only to organization admins, so the
/// wallet admins it constrains (the service user) cannot change it.
pub fn may_change_wallet_rule(
    wallet: Option<&[WalletPermission]>,
    org_admin_of_child: bool,
    set_by_org_admin: bool,
) -> Result<()> {
    if set_by_org_admin && !org_admin_of_child {
        return Err(Error::Forbidden(
            "this policy rule was set by an organization admin: only an organization admin may \
             change it"
                .into(),
        ));
    }
    may_edit_wallet_policy(wallet, org_admin_of_child)
}

/// What a user is to the rule a held policy-rule change would change.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleResolver {
    /// An admin of the rule's wallet.
    pub wallet_admin: bool,
    /// An admin of the wallet's enterprise.
    pub enterprise_admin: bool,
    /// An admin of the organization whose rule it is, or of the wallet's child enterprise.
    pub org_admin: bool,
}

/// Who may resolve a held policy-rule change (`policyRuleRequest`: removing or loosening a
/// rule): another admin of the wallet or of its enterprise, or an organization admin; for a
/// rule an organization admin set, or an organization's rule (`org_guarded`), only another
/// organization admin. The creator may reject (cancel) it but never approve it.
pub fn may_resolve_rule_change(
    actor_id: &str,
    creator_id: &str,
    actor: RuleResolver,
    org_guarded: bool,
    approving: bool,
) -> Result<()> {
    if approving && actor_id == creator_id {
        return Err(Error::Forbidden(
            "you cannot approve your own policy rule change: another admin must approve it".into(),
        ));
    }
    if org_guarded {
        return if actor.org_admin {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "this policy rule was set by an organization admin: only organization admins \
                 may approve or reject changing it"
                    .into(),
            ))
        };
    }
    if actor.wallet_admin || actor.enterprise_admin || actor.org_admin {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only admins of the wallet or its enterprise, or organization admins, may approve or \
             reject a policy rule change"
                .into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_an_organization_admin_set_answers_only_to_organization_admins() {
        let admin: &[WalletPermission] = &[WalletPermission::Admin, WalletPermission::Spend];
        let view: &[WalletPermission] = &[WalletPermission::View];
        // (wallet permissions, organization admin of the child, set by an org admin, allowed)
        let table: [(Option<&[WalletPermission]>, bool, bool, bool); 7] = [
            (Some(admin), false, false, true),
            (Some(admin), false, true, false),
            (None, true, true, true),
            (None, true, false, true),
            (Some(view), false, false, false),
            (None, false, false, false),
            (Some(view), false, true, false),
        ];
        for (wallet, org_admin, guarded, allowed) in table {
            let r = may_change_wallet_rule(wallet, org_admin, guarded);
            assert_eq!(
                r.is_ok(),
                allowed,
                "{wallet:?} {org_admin} {guarded}: {r:?}"
            );
            if let Err(e) = r {
                assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
            }
        }
    }

    #[test]
    fn a_held_rule_change_is_resolved_by_another_admin_and_an_org_rule_by_an_org_admin() {
        let wallet_admin = RuleResolver {
            wallet_admin: true,
            ..Default::default()
        };
        let enterprise_admin = RuleResolver {
            enterprise_admin: true,
            ..Default::default()
        };
        let org_admin = RuleResolver {
            org_admin: true,
            ..Default::default()
        };
        let nobody = RuleResolver::default();
        // (actor, what the actor is, org guarded, approving, allowed); creator "c".
        let table = [
            ("d", wallet_admin, false, true, true),
            ("d", enterprise_admin, false, true, true),
            ("d", org_admin, false, true, true),
            ("d", nobody, false, true, false),
            ("d", nobody, false, false, false),
            ("c", wallet_admin, false, true, false),
            ("c", wallet_admin, false, false, true),
            ("d", org_admin, true, true, true),
            ("d", wallet_admin, true, true, false),
            ("d", enterprise_admin, true, false, false),
            ("c", org_admin, true, true, false),
        ];
        for (actor, who, guarded, approving, allowed) in table {
            let r = may_resolve_rule_change(actor, "c", who, guarded, approving);
            assert_eq!(
                r.is_ok(),
                allowed,
                "{actor} {who:?} {guarded} {approving}: {r:?}"
            );
        }
    }
}
