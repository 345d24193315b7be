//! The money rules of `policy` from tables: the organization admin against every money
//! action, every enterprise of the organization and every token; who else transacts; the
//! unlock and the spending limit.

use super::*;
use crate::domain::error::Error;
use crate::domain::money::WalletPermission;
use crate::domain::role::{EnterprisePermission, OrgRole};
use crate::domain::scope::{Scope, ScopeSet, WalletTarget};
use crate::domain::token_rules::TokenKind;

const WALLET: &str = "0123456789abcdef0123456789abcdef";
const ENTERPRISE: &str = "e0000000000000000000000000000001";
const OTHER_ENTERPRISE: &str = "e0000000000000000000000000000002";

const ADMIN: &[EnterprisePermission] = &[EnterprisePermission::Admin];
const EVERYTHING: &[WalletPermission] = &[
    WalletPermission::Admin,
    WalletPermission::Spend,
    WalletPermission::View,
];

/// An enterprise of an organization, as `may_transact` sees it.
#[derive(Debug, Clone, Copy)]
enum EnterpriseKind {
    /// The organization's own (parent) enterprise.
    Parent,
    /// A child enterprise.
    Child,
    /// Another enterprise that belongs to the organization (`bitgoAsAService`).
    PlainOfTheOrganization,
}

impl EnterpriseKind {
    fn is_child(self) -> bool {
        matches!(self, EnterpriseKind::Child)
    }
}

/// A calling token: its kind, scopes (with its binding) and whether an unlock is in force.
struct Token {
    kind: TokenKind,
    scopes: ScopeSet,
    unlocked: bool,
}

fn bound(names: &str, enterprise: Option<&str>) -> ScopeSet {
    ScopeSet::from_stored(names).bound_to(enterprise.map(str::to_string))
}

/// Every kind of token the organization admin could hold: a login session (unlocked and
/// locked), `all`, each single scope name, the seed's scope list, per-wallet and
/// per-enterprise forms bound here and elsewhere, and no scope at all.
fn every_token() -> Vec<Token> {
    let api = |scopes: &str, enterprise: Option<&str>| Token {
        kind: TokenKind::Api,
        scopes: bound(scopes, enterprise),
        unlocked: false,
    };
    let mut out = vec![
        Token {
            kind: TokenKind::Login,
            scopes: ScopeSet::login(),
            unlocked: true,
        },
        Token {
            kind: TokenKind::Login,
            scopes: ScopeSet::login(),
            unlocked: false,
        },
        api("all", None),
        api("all", Some(ENTERPRISE)),
        api("all", Some(OTHER_ENTERPRISE)),
        api("", None),
        api(&format!("wallet_spend:{WALLET} trade_trade"), None),
        api("wallet_spend_enterprise trade_trade", Some(ENTERPRISE)),
        api(
            "pending_approval_update profile trade_trade trade_view wallet_approve_all \
             wallet_create wallet_manage_all enterprise_view_all enterprise_manage_all \
             wallet_spend_all wallet_view_all",
            None,
        ),
    ];
    for scope in Scope::ALL {
        out.push(api(scope.as_str(), None));
        out.push(Token {
            unlocked: true,
            ..api(scope.as_str(), Some(ENTERPRISE))
        });
    }
    out
}

fn actor<'a>(
    token: &'a Token,
    kind: EnterpriseKind,
    org_role: Option<OrgRole>,
    enterprise: Option<&'a [EnterprisePermission]>,
    wallet: Option<&'a [WalletPermission]>,
) -> MoneyActor<'a> {
    MoneyActor {
        scopes: &token.scopes,
        kind: token.kind,
        unlocked: token.unlocked,
        target: WalletTarget {
            wallet_id: WALLET,
            enterprise_id: ENTERPRISE,
        },
        child_enterprise: kind.is_child(),
        org_role,
        enterprise,
        wallet,
    }
}

const KINDS: [EnterpriseKind; 3] = [
    EnterpriseKind::Parent,
    EnterpriseKind::Child,
    EnterpriseKind::PlainOfTheOrganization,
];

#[test]
fn the_organization_admin_is_refused_every_money_action_on_every_enterprise_with_every_token() {
    let tokens = every_token();
    let mut asked = 0;
    for action in MoneyAction::ALL {
        for kind in KINDS {
            for token in &tokens {
                // Whatever else he is there: an admin and full wallet user, or nothing.
                for (enterprise, wallet) in [
                    (Some(ADMIN), Some(EVERYTHING)),
                    (Some(ADMIN), None),
                    (None, None),
                ] {
                    let a = actor(token, kind, Some(OrgRole::Admin), enterprise, wallet);
                    let answer = may_transact(&a, action);
                    assert!(
                        matches!(answer, Err(Error::OrganizationAdminCannotTransact(_))),
                        "{action:?} on {kind:?} with {:?} {:?}: {answer:?}",
                        token.kind,
                        token.scopes
                    );
                    asked += 1;
                }
            }
        }
    }
    assert_eq!(asked, 6 * 3 * tokens.len() * 3);
    // No route hands him spend there either: creating a wallet, or a share.
    assert!(!wallet_creator_permissions(Some(OrgRole::Admin)).contains(&WalletPermission::Spend));
    for grant in [
        &[WalletPermission::Spend][..],
        EVERYTHING,
        &[WalletPermission::Spend, WalletPermission::View],
    ] {
        assert!(matches!(
            may_grant_wallet_permissions(Some(OrgRole::Admin), grant),
            Err(Error::OrganizationAdminCannotTransact(_))
        ));
    }
    assert!(may_grant_wallet_permissions(Some(OrgRole::Admin), &[WalletPermission::View]).is_ok());
}

#[test]
fn the_service_user_and_spenders_transact_and_others_do_not() {
    use EnterpriseKind::{Child, Parent};
    use OrgRole::{Customer, Member, ServiceUser};
    let token = Token {
        kind: TokenKind::Api,
        scopes: ScopeSet::from_stored("trade_trade wallet_spend_all"),
        unlocked: false,
    };
    let at = |kind, org_role, enterprise, wallet| actor(&token, kind, org_role, enterprise, wallet);
    let spend: &[WalletPermission] = &[WalletPermission::Spend];
    let view: &[WalletPermission] = &[WalletPermission::View];
    let member: &[EnterprisePermission] = &[EnterprisePermission::Member];
    let auditor: &[EnterprisePermission] = &[EnterprisePermission::Auditor];
    for action in MoneyAction::ALL {
        let service = at(Child, Some(ServiceUser), Some(ADMIN), None);
        assert!(may_transact(&service, action).is_ok(), "{action:?}");
        for kind in KINDS {
            let spender = at(kind, Some(Customer), Some(member), Some(spend));
            assert!(
                may_transact(&spender, action).is_ok(),
                "{action:?} {kind:?}"
            );
            // An admin of the enterprise who is no organization admin, with spend.
            let dale = at(kind, Some(Member), Some(ADMIN), Some(EVERYTHING));
            assert!(may_transact(&dale, action).is_ok(), "{action:?} {kind:?}");
        }
        let refused = [
            // The service user on the parent, without spend on the wallet.
            at(Parent, Some(ServiceUser), Some(ADMIN), None),
            // The service user on a child they are not an admin of.
            at(Child, Some(ServiceUser), Some(member), None),
            // The child's end user: an admin there, but not the service user nor a spender.
            at(Child, Some(Customer), Some(ADMIN), None),
            at(Child, Some(Member), Some(auditor), None),
            at(Child, Some(Customer), None, Some(view)),
        ];
        for a in refused {
            assert!(
                matches!(may_transact(&a, action), Err(Error::Forbidden(_))),
                "{action:?} {a:?}"
            );
        }
        let stranger = at(Child, None, None, None);
        assert!(matches!(
            may_transact(&stranger, action),
            Err(Error::NotFound(_))
        ));
    }
}

#[test]
fn spend_scopes_reach_their_wallet_or_enterprise_and_bound_tokens_stay_home() {
    let spend: &[WalletPermission] = &[WalletPermission::Spend];
    let case = |scopes: &str, enterprise: Option<&str>| Token {
        kind: TokenKind::Api,
        scopes: bound(scopes, enterprise),
        unlocked: false,
    };
    let ok = [
        case("wallet_spend_all", None),
        case("wallet_spend_enterprise", Some(ENTERPRISE)),
        case(&format!("wallet_spend:{WALLET}"), None),
        case("all", Some(ENTERPRISE)),
    ];
    let missing = [
        case("wallet_spend_enterprise", None),
        case("wallet_spend_enterprise", Some(OTHER_ENTERPRISE)),
        case("wallet_spend", None),
        case(&format!("wallet_spend:{}", "f".repeat(32)), None),
        case("wallet_view_all trade_trade", None),
    ];
    let elsewhere = [
        case("all", Some(OTHER_ENTERPRISE)),
        case("wallet_spend_all", Some(OTHER_ENTERPRISE)),
    ];
    for action in MoneyAction::ALL
        .into_iter()
        .filter(|a| !matches!(a, MoneyAction::PlaceOrder | MoneyAction::CancelOrder))
    {
        let answer = |t: &Token| {
            may_transact(
                &actor(t, EnterpriseKind::Parent, None, None, Some(spend)),
                action,
            )
        };
        for t in &ok {
            assert!(answer(t).is_ok(), "{action:?} {:?}", t.scopes);
        }
        for t in &missing {
            assert!(
                matches!(answer(t), Err(Error::MissingScope(Scope::WalletSpendAll))),
                "{action:?} {:?}",
                t.scopes
            );
        }
        for t in &elsewhere {
            assert!(
                matches!(answer(t), Err(Error::Forbidden(_))),
                "{action:?} {:?}",
                t.scopes
            );
        }
    }
}

#[test]
fn a_locked_login_session_commits_nothing_and_a_long_lived_token_carries_its_unlock() {
    let spend: &[WalletPermission] = &[WalletPermission::Spend];
    let login = |unlocked| Token {
        kind: TokenKind::Login,
        scopes: ScopeSet::login(),
        unlocked,
    };
    let api = Token {
        kind: TokenKind::Api,
        scopes: ScopeSet::from_stored("all"),
        unlocked: false,
    };
    for action in MoneyAction::ALL {
        let ask = |t: &Token| {
            may_transact(
                &actor(t, EnterpriseKind::Parent, None, None, Some(spend)),
                action,
            )
        };
        assert!(ask(&login(true)).is_ok());
        assert!(ask(&api).is_ok());
        match ask(&login(false)) {
            Err(Error::NeedsUnlock(_)) => assert!(action.commits_value(), "{action:?}"),
            Ok(()) => assert!(!action.commits_value(), "{action:?}"),
            other => panic!("{action:?}: {other:?}"),
        }
    }
}

#[test]
fn the_spending_limit_counts_over_the_tokens_life_and_an_unlock_lifts_it() {
    assert_eq!(may_spend_value(Some(100), 0, false, 60).unwrap(), 60);
    assert_eq!(may_spend_value(Some(100), 60, false, 40).unwrap(), 100);
    assert!(matches!(
        may_spend_value(Some(100), 60, false, 41),
        Err(Error::NeedsUnlock(_))
    ));
    assert!(matches!(
        may_spend_value(Some(100), 0, false, 5_000_000),
        Err(Error::NeedsUnlock(_))
    ));
    assert!(matches!(
        may_spend_value(Some(0), 0, false, 1),
        Err(Error::NeedsUnlock(_))
    ));
    assert_eq!(
        may_spend_value(Some(100), 60, true, 5_000_000).unwrap(),
        5_000_060
    );
    assert_eq!(may_spend_value(None, 7, false, 5).unwrap(), 12);
    // Enormous values saturate instead of wrapping.
    assert_eq!(
        may_spend_value(None, i64::MAX, false, i128::MAX).unwrap(),
        i64::MAX
    );
    assert!(may_spend_value(Some(i64::MAX), i64::MAX, false, 1).is_err());
}
