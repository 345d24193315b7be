//! Deposit addresses: who may create one on a Go Account. Reading them is reading the wallet
//! (`money::may_view_wallet`).

use super::money::organization_admin_cannot_transact;
use super::tokens::may_use_token_in;
use crate::domain::error::{Error, Result};
use crate::domain::money::WalletPermission;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::{Scope, ScopeSet, WalletTarget, EDIT, SPEND};

/// A deposit address is created, in this order:
/// 0. never by an admin of the wallet's organization: an address is where money is received,
///    and the organization admin watches but never transacts (`OrganizationAdminCannotTransact`,
///    as for a withdrawal), though they see the wallet;
/// 1. with a token that reaches the wallet to spend or to edit it (`wallet_spend_*`,
///    `wallet_edit_*`);
/// 2. by someone who knows the wallet (strangers get the 404 of a missing wallet);
/// 3. with a token not bound to another enterprise;
/// 4. by the wallet's admins and spenders or its enterprise's admins (on a child enterprise,
///    the service user); viewers and auditors get a 403.
pub fn may_create_address(
    scopes: &ScopeSet,
    target: &WalletTarget<'_>,
    wallet: Option<&[WalletPermission]>,
    enterprise: Option<&[EnterprisePermission]>,
    org_role: Option<OrgRole>,
) -> Result<()> {
    if org_role == Some(OrgRole::Admin) {
        return Err(organization_admin_cannot_transact());
    }
    if !scopes.reaches_wallet(SPEND, target) && !scopes.reaches_wallet(EDIT, target) {
        return Err(Error::MissingScope(Scope::WalletSpendAll));
    }
    if wallet.is_none() && enterprise.is_none() {
        return Err(Error::NotFound(format!(
            "wallet {} not found",
            target.wallet_id
        )));
    }
    may_use_token_in(scopes, target.enterprise_id)?;
    let holder = wallet.is_some_and(|p| {
        p.contains(&WalletPermission::Admin) || p.contains(&WalletPermission::Spend)
    });
    let admin = enterprise.is_some_and(|p| p.contains(&EnterprisePermission::Admin));
    if holder || admin {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the wallet's admins and spenders and its enterprise's admins may create \
             addresses on it"
                .into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spenders_admins_and_enterprise_admins_create_addresses() {
        use EnterprisePermission as E;
        use WalletPermission as W;
        let all = ScopeSet::from_stored("wallet_spend_all");
        let view = ScopeSet::from_stored("wallet_view_all");
        let t = WalletTarget {
            wallet_id: "w",
            enterprise_id: "e",
        };
        let code = |s: &ScopeSet, w: Option<&[W]>, e: Option<&[E]>| {
            may_create_address(s, &t, w, e, None)
                .err()
                .map(|e| e.code())
        };
        assert_eq!(code(&all, Some(&[W::Spend, W::View]), None), None);
        assert_eq!(code(&all, None, Some(&[E::Admin])), None);
        assert_eq!(code(&all, Some(&[W::View]), None), Some("Forbidden"));
        assert_eq!(code(&all, None, Some(&[E::Auditor])), Some("Forbidden"));
        assert_eq!(code(&all, None, None), Some("NotFound"));
        assert_eq!(
            code(&view, Some(&[W::Admin]), None),
            Some("InsufficientScope")
        );
        let bound = ScopeSet::from_stored("wallet_spend_all").bound_to(Some("other".into()));
        assert_eq!(code(&bound, Some(&[W::Spend]), None), Some("Forbidden"));
    }

    #[test]
    fn the_organization_admin_never_creates_one_even_as_an_admin_there() {
        let all = ScopeSet::from_stored("wallet_spend_all");
        let t = WalletTarget {
            wallet_id: "w",
            enterprise_id: "e",
        };
        let admin: &[EnterprisePermission] = &[EnterprisePermission::Admin];
        for (enterprise, role, refused) in [
            (None, Some(OrgRole::Admin), true),
            (Some(admin), Some(OrgRole::Admin), true),
            (Some(admin), Some(OrgRole::ServiceUser), false),
            (Some(admin), None, false),
        ] {
            let got = may_create_address(&all, &t, None, enterprise, role);
            assert_eq!(
                got.err().map(|e| e.code()),
                refused.then_some("OrganizationAdminCannotTransact"),
                "{enterprise:?} {role:?}"
            );
        }
    }
}
