//! Webhooks: who may read and who may add, remove, simulate and sign the webhooks of a wallet,
//! an enterprise or an organization. Watching is not transacting: an organization admin may
//! watch every enterprise of the organization and the Go Accounts of its child enterprises,
//! and still never moves money (`money.rs` decides that, unchanged).

use super::tokens::{may_use_token_in, require_any_scope, require_user_manage};
use crate::domain::error::{Error, Result};
use crate::domain::money::WalletPermission;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::{Scope, ScopeSet, WalletTarget, EDIT, VIEW};
use crate::domain::token_rules::TokenKind;

/// What the caller wants to do with webhooks (and their notifications and secrets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookAccess {
    /// List webhooks, read their notifications, verify a signature.
    Read,
    /// Add, remove, simulate, retrigger; create the signing secret.
    Manage,
}

/// Who asks about a wallet's webhooks, and how they relate to the wallet.
#[derive(Debug, Clone, Copy)]
pub struct WalletWebhookActor<'a> {
    /// The token's scopes.
    pub scopes: &'a ScopeSet,
    /// The wallet and its enterprise.
    pub target: WalletTarget<'a>,
    /// The caller's permissions on the wallet (`None`: not a wallet user).
    pub wallet: Option<&'a [WalletPermission]>,
    /// The caller's permissions on the wallet's enterprise (`None`: not a member).
    pub enterprise: Option<&'a [EnterprisePermission]>,
    /// The caller administers the organization of the wallet's (child) enterprise.
    pub org_admin_of_child: bool,
}

/// A wallet's webhooks, in this order:
/// 1. The token reaches the wallet: `wallet_edit_*` to manage; to read, that or
///    `wallet_view_*`.
/// 2. Strangers to the wallet get the 404 of a missing wallet.
/// 3. A token bound to an enterprise acts only there.
/// 4. Only the wallet's admins, its enterprise's admins and the admins of the organization of
///    a child enterprise read or manage them (a webhook's URL and headers are the partner's
///    configuration); the wallet's spenders and viewers get a 403.
pub fn may_use_wallet_webhooks(
    actor: &WalletWebhookActor<'_>,
    access: WebhookAccess,
) -> Result<()> {
    let reaches = actor.scopes.reaches_wallet(EDIT, &actor.target)
        || (access == WebhookAccess::Read && actor.scopes.reaches_wallet(VIEW, &actor.target));
    if !reaches {
        return Err(Error::MissingScope(Scope::WalletEditAll));
    }
    if actor.wallet.is_none() && actor.enterprise.is_none() && !actor.org_admin_of_child {
        return Err(Error::NotFound(format!(
            "wallet {} not found",
            actor.target.wallet_id
        )));
    }
    may_use_token_in(actor.scopes, actor.target.enterprise_id)?;
    let wallet_admin = actor
        .wallet
        .is_some_and(|p| p.contains(&WalletPermission::Admin));
    let enterprise_admin = actor
        .enterprise
        .is_some_and(|p| p.contains(&EnterprisePermission::Admin));
    if wallet_admin || enterprise_admin || actor.org_admin_of_child {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the wallet's admins, its enterprise's admins and its organization's admins \
             may read or change its webhooks"
                .into(),
        ))
    }
}

/// The scope check of enterprise and organization webhooks: managing needs `user_manage`,
/// which only a login session carries (BitGo's rule for these routes); reading needs that or
/// `enterprise_view_all`.
fn require_webhook_scope(scopes: &ScopeSet, kind: TokenKind, access: WebhookAccess) -> Result<()> {
    match access {
        WebhookAccess::Manage => require_user_manage(scopes, kind),
        WebhookAccess::Read => {
            require_any_scope(scopes, &[Scope::UserManage, Scope::EnterpriseViewAll])
        }
    }
}

/// An enterprise's webhooks (and its webhook secret): its admins, and the admins of the
/// organization it belongs to. Strangers get a 404, other members a 403; a token bound to
/// another enterprise is refused.
pub fn may_use_enterprise_webhooks(
    scopes: &ScopeSet,
    kind: TokenKind,
    enterprise_id: &str,
    membership: Option<&[EnterprisePermission]>,
    org_role: Option<OrgRole>,
    access: WebhookAccess,
) -> Result<()> {
    require_webhook_scope(scopes, kind, access)?;
    if membership.is_none() && org_role != Some(OrgRole::Admin) {
        return Err(Error::NotFound(format!(
            "enterprise {enterprise_id} not found"
        )));
    }
    may_use_token_in(scopes, enterprise_id)?;
    let admin = membership.is_some_and(|p| p.contains(&EnterprisePermission::Admin));
    if admin || org_role == Some(OrgRole::Admin) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the enterprise's admins and its organization's admins may read or change its \
             webhooks"
                .into(),
        ))
    }
}

/// An organization's webhooks (and its webhook secret): its admins only. Non-members get a
/// 404, other members a 403.
pub fn may_use_organization_webhooks(
    scopes: &ScopeSet,
    kind: TokenKind,
    organization_id: &str,
    role: Option<OrgRole>,
    access: WebhookAccess,
) -> Result<()> {
    require_webhook_scope(scopes, kind, access)?;
    match role {
        None => Err(Error::NotFound(format!(
            "organization {organization_id} not found"
        ))),
        Some(OrgRole::Admin) => Ok(()),
        Some(other) => Err(Error::Forbidden(format!(
            "only organization admins may read or change the organization's webhooks; your \
             role in organization {organization_id} is {}",
            other.as_str()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use WebhookAccess::{Manage, Read};

    const W: &str = "w0000000000000000000000000000000";
    const E: &str = "e0000000000000000000000000000000";

    fn scopes(names: &[&str]) -> ScopeSet {
        ScopeSet::from_stored(&names.join(" "))
    }

    /// (wallet perms, enterprise perms, org admin of child, scopes, access, expected code)
    type Row = (
        Option<&'static [WalletPermission]>,
        Option<&'static [EnterprisePermission]>,
        bool,
        &'static [&'static str],
        WebhookAccess,
        Option<&'static str>,
    );

    #[test]
    fn wallet_webhooks_table() {
        use EnterprisePermission as E_;
        use WalletPermission as W_;
        const EDIT_ALL: &[&str] = &["wallet_edit_all"];
        const VIEW_ALL: &[&str] = &["wallet_view_all"];
        let rows: &[Row] = &[
            (
                Some(&[W_::Admin, W_::View]),
                None,
                false,
                EDIT_ALL,
                Manage,
                None,
            ),
            (None, Some(&[E_::Admin]), false, EDIT_ALL, Manage, None),
            (None, None, true, EDIT_ALL, Manage, None),
            (None, None, true, VIEW_ALL, Read, None),
            // A spender or viewer is no admin.
            (
                Some(&[W_::Spend, W_::View]),
                None,
                false,
                EDIT_ALL,
                Manage,
                Some("Forbidden"),
            ),
            (
                Some(&[W_::View]),
                None,
                false,
                VIEW_ALL,
                Read,
                Some("Forbidden"),
            ),
            (
                None,
                Some(&[E_::Auditor]),
                false,
                EDIT_ALL,
                Read,
                Some("Forbidden"),
            ),
            // Strangers learn nothing.
            (None, None, false, EDIT_ALL, Manage, Some("NotFound")),
            // A view scope reads but never changes.
            (
                Some(&[W_::Admin]),
                None,
                false,
                VIEW_ALL,
                Manage,
                Some("InsufficientScope"),
            ),
            (
                Some(&[W_::Admin]),
                None,
                false,
                &["trade_trade"],
                Read,
                Some("InsufficientScope"),
            ),
            (
                Some(&[W_::Admin]),
                None,
                false,
                &[],
                Read,
                Some("InsufficientScope"),
            ),
        ];
        for (i, (wallet, enterprise, org_admin, names, access, expected)) in rows.iter().enumerate()
        {
            let s = scopes(names);
            let actor = WalletWebhookActor {
                scopes: &s,
                target: WalletTarget {
                    wallet_id: W,
                    enterprise_id: E,
                },
                wallet: *wallet,
                enterprise: *enterprise,
                org_admin_of_child: *org_admin,
            };
            let got = may_use_wallet_webhooks(&actor, *access)
                .err()
                .map(|e| e.code());
            assert_eq!(got, *expected, "row {i}");
        }
    }

    #[test]
    fn a_per_wallet_edit_scope_reaches_only_its_wallet() {
        let admin: &[WalletPermission] = &[WalletPermission::Admin];
        let own = scopes(&[&format!("wallet_edit:{W}")]);
        let other = scopes(&["wallet_edit:ffffffffffffffffffffffffffffffff"]);
        for (s, ok) in [(&own, true), (&other, false)] {
            let actor = WalletWebhookActor {
                scopes: s,
                target: WalletTarget {
                    wallet_id: W,
                    enterprise_id: E,
                },
                wallet: Some(admin),
                enterprise: None,
                org_admin_of_child: false,
            };
            assert_eq!(may_use_wallet_webhooks(&actor, Manage).is_ok(), ok);
        }
    }

    #[test]
    fn enterprise_webhooks_are_for_its_admins_and_its_organizations_admins() {
        use EnterprisePermission as P;
        let login = ScopeSet::login();
        let api = scopes(&["all"]);
        let viewer = scopes(&["enterprise_view_all"]);
        let ok = |s: &ScopeSet, k, m: Option<&[P]>, r, a| {
            may_use_enterprise_webhooks(s, k, E, m, r, a)
                .err()
                .map(|e| e.code())
        };
        assert_eq!(
            ok(&login, TokenKind::Login, Some(&[P::Admin]), None, Manage),
            None
        );
        assert_eq!(
            ok(&login, TokenKind::Login, None, Some(OrgRole::Admin), Manage),
            None
        );
        assert_eq!(
            ok(&login, TokenKind::Login, Some(&[P::Auditor]), None, Manage),
            Some("Forbidden")
        );
        assert_eq!(
            ok(
                &login,
                TokenKind::Login,
                None,
                Some(OrgRole::ServiceUser),
                Read
            ),
            Some("NotFound")
        );
        // Managing needs a login session's user_manage; a long-lived token may only read.
        assert_eq!(
            ok(&api, TokenKind::Api, Some(&[P::Admin]), None, Manage),
            Some("InsufficientScope")
        );
        assert_eq!(
            ok(&viewer, TokenKind::Api, Some(&[P::Admin]), None, Read),
            None
        );
        let bound = scopes(&["enterprise_view_all"]).bound_to(Some("f".repeat(32)));
        assert_eq!(
            ok(&bound, TokenKind::Api, Some(&[P::Admin]), None, Read),
            Some("Forbidden")
        );
    }

    #[test]
    fn organization_webhooks_are_for_its_admins_only() {
        let login = ScopeSet::login();
        let o = "o".repeat(32);
        let check = |role, access| {
            may_use_organization_webhooks(&login, TokenKind::Login, &o, role, access)
                .err()
                .map(|e| e.code())
        };
        assert_eq!(check(Some(OrgRole::Admin), Manage), None);
        assert_eq!(check(Some(OrgRole::ServiceUser), Read), Some("Forbidden"));
        assert_eq!(check(Some(OrgRole::Member), Manage), Some("Forbidden"));
        assert_eq!(check(None, Read), Some("NotFound"));
        let api = scopes(&["all"]);
        assert!(may_use_organization_webhooks(
            &api,
            TokenKind::Api,
            &o,
            Some(OrgRole::Admin),
            Manage
        )
        .is_err());
    }
}
