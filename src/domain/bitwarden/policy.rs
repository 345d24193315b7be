//! Who may do what on the Organizations API (spec §8): the one permission file of the Bitwarden
//! dialect. Handlers ask [`allows`] (organization routes) or [`passes`] (the server's
//! `[Authorize<...Requirement>]` gates) before they read or write; the member, collection and
//! policy commands ask `members`, `collections` and `org_policies` with the facts they load.
//! As on the real server, the caller's role is the one its access token's claims state
//! (`claims::org_membership`), which only ever lists **confirmed** memberships.

use super::role::{MemberStatus, MemberType, Permissions};

/// The caller's membership in the organization a request is about, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// Role.
    pub member_type: MemberType,
    /// Status.
    pub status: MemberStatus,
    /// Custom permissions.
    pub permissions: Permissions,
}

/// The target organization facts a rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OrgFacts {
    /// Billed through a provider (then EditSubscription belongs to the provider).
    pub provider_managed: bool,
}

/// An action on one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `GET /organizations/{id}`
    View,
    /// `PUT /organizations/{id}`; `billing_email` when the body sets it.
    Update {
        /// The body carries a non-null `billingEmail`.
        billing_email: bool,
    },
    /// `DELETE /organizations/{id}`
    Delete,
    /// `api-key`, `rotate-api-key`, `api-key-information` for a key type (0, 1, 2).
    ApiKey {
        /// 0 Default, 1 BillingSync, 2 Scim.
        key_type: i64,
    },
    /// `POST /organizations/{id}/storage`
    Storage,
    /// License download and license update.
    License,
    /// `POST /organizations/{id}/leave`
    Leave,
}

/// How a refusal looks on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// 404 `Resource not found.`: the organization is hidden from the caller.
    NotFound,
    /// 401 with an empty body (`PUT` without the right to update).
    Unauthorized,
    /// 403 with an empty body: a route's `[Authorize<...Requirement>]` gate refused.
    Forbidden,
}

fn confirmed(m: Option<&Membership>) -> Option<&Membership> {
    m.filter(|m| m.status == MemberStatus::Confirmed)
}

/// Whether the caller (with membership `m`, or none) may do `action` on an organization.
pub fn allows(m: Option<&Membership>, org: OrgFacts, action: Action) -> Result<(), Denied> {
    let ok = match action {
        Action::View | Action::Delete | Action::License => is_owner(m),
        Action::Update {
            billing_email: true,
        } => is_owner(m) && !org.provider_managed,
        Action::Update {
            billing_email: false,
        } => is_owner(m),
        Action::Storage => is_owner(m) && !org.provider_managed,
        Action::ApiKey { key_type: 2 } => confirmed(m).is_some_and(|m| match m.member_type {
            MemberType::Owner | MemberType::Admin => true,
            MemberType::Custom => m.permissions.manage_scim,
            MemberType::User => false,
        }),
        Action::ApiKey { .. } => is_owner(m),
        Action::Leave => confirmed(m).is_some(),
    };
    if ok {
        Ok(())
    } else if matches!(action, Action::Update { .. }) {
        Err(Denied::Unauthorized)
    } else {
        Err(Denied::NotFound)
    }
}

/// A custom permission, as `CurrentContext` asks for it: owners and admins have them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// `accessEventLogs`
    AccessEventLogs,
    /// `accessImportExport`
    AccessImportExport,
    /// `accessReports`
    AccessReports,
    /// `createNewCollections`
    CreateNewCollections,
    /// `editAnyCollection`
    EditAnyCollection,
    /// `deleteAnyCollection`
    DeleteAnyCollection,
    /// `manageGroups`
    ManageGroups,
    /// `managePolicies`
    ManagePolicies,
    /// `manageSso`
    ManageSso,
    /// `manageUsers`
    ManageUsers,
    /// `manageResetPassword`
    ManageResetPassword,
    /// `manageScim`
    ManageScim,
    /// `manageAccessRules`
    ManageAccessRules,
}

impl Permission {
    /// Every permission, in the server's order.
    pub const ALL: [Permission; 13] = [
        Permission::AccessEventLogs,
        Permission::AccessImportExport,
        Permission::AccessReports,
        Permission::CreateNewCollections,
        Permission::EditAnyCollection,
        Permission::DeleteAnyCollection,
        Permission::ManageGroups,
        Permission::ManagePolicies,
        Permission::ManageSso,
        Permission::ManageUsers,
        Permission::ManageResetPassword,
        Permission::ManageScim,
        Permission::ManageAccessRules,
    ];

    /// Whether `p` has this permission set.
    pub fn of(self, p: &Permissions) -> bool {
        match self {
            Permission::AccessEventLogs => p.access_event_logs,
            Permission::AccessImportExport => p.access_import_export,
            Permission::AccessReports => p.access_reports,
            Permission::CreateNewCollections => p.create_new_collections,
            Permission::EditAnyCollection => p.edit_any_collection,
            Permission::DeleteAnyCollection => p.delete_any_collection,
            Permission::ManageGroups => p.manage_groups,
            Permission::ManagePolicies => p.manage_policies,
            Permission::ManageSso => p.manage_sso,
            Permission::ManageUsers => p.manage_users,
            Permission::ManageResetPassword => p.manage_reset_password,
            Permission::ManageScim => p.manage_scim,
            Permission::ManageAccessRules => p.manage_access_rules,
        }
    }
}

/// The caller is a confirmed owner (`CurrentContext.OrganizationOwner`).
pub fn is_owner(m: Option<&Membership>) -> bool {
    confirmed(m).is_some_and(|m| m.member_type == MemberType::Owner)
}

/// The caller is a confirmed owner or admin (`CurrentContext.OrganizationAdmin`).
pub fn is_admin(m: Option<&Membership>) -> bool {
    confirmed(m).is_some_and(|m| matches!(m.member_type, MemberType::Owner | MemberType::Admin))
}

/// The caller is a confirmed custom member (`CurrentContext.OrganizationCustom`).
pub fn is_custom(m: Option<&Membership>) -> bool {
    confirmed(m).is_some_and(|m| m.member_type == MemberType::Custom)
}

/// The caller holds `p` here: an owner or admin, or a custom member granted it
/// (`CurrentContext.ManageUsers`, `.AccessEventLogs`, ...).
pub fn can(m: Option<&Membership>, p: Permission) -> bool {
    is_admin(m)
        || confirmed(m).is_some_and(|m| m.member_type == MemberType::Custom && p.of(&m.permissions))
}

/// A route's requirement (the server's `[Authorize<...Requirement>]`); refused, the route
/// answers 403 with an empty body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// `MemberRequirement` / `MemberOrProviderRequirement`: any confirmed member.
    Member,
    /// A `BasePermissionRequirement`: owners, admins, and custom members with the permission.
    Permission(Permission),
    /// `ManageUsersOrGroupsRequirement`.
    ManageUsersOrGroups,
}

/// Whether the caller meets `gate` (provider users, which orgbox has none of, would too).
pub fn passes(m: Option<&Membership>, gate: Gate) -> bool {
    match gate {
        Gate::Member => confirmed(m).is_some(),
        Gate::Permission(p) => can(m, p),
        Gate::ManageUsersOrGroups => {
            can(m, Permission::ManageUsers) || can(m, Permission::ManageGroups)
        }
    }
}

/// [`passes`] as the route answers a refusal: 403 with an empty body.
pub fn require(m: Option<&Membership>, gate: Gate) -> Result<(), Denied> {
    if passes(m, gate) {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(t: MemberType, s: MemberStatus, scim: bool) -> Membership {
        Membership {
            member_type: t,
            status: s,
            permissions: Permissions {
                manage_scim: scim,
                ..Permissions::default()
            },
        }
    }

    #[test]
    fn role_by_action_table() {
        use MemberType::*;
        let c = MemberStatus::Confirmed;
        let f = OrgFacts::default();
        let nf = Err(Denied::NotFound);
        let cases: &[(Option<Membership>, Action, Result<(), Denied>)] = &[
            (Some(member(Owner, c, false)), Action::View, Ok(())),
            (Some(member(Admin, c, false)), Action::View, nf),
            (Some(member(User, c, false)), Action::Delete, nf),
            (None, Action::View, nf),
            (
                Some(member(Admin, c, false)),
                Action::Update {
                    billing_email: false,
                },
                Err(Denied::Unauthorized),
            ),
            (
                Some(member(Admin, c, false)),
                Action::ApiKey { key_type: 2 },
                Ok(()),
            ),
            (
                Some(member(Admin, c, false)),
                Action::ApiKey { key_type: 0 },
                nf,
            ),
            (
                Some(member(Custom, c, true)),
                Action::ApiKey { key_type: 2 },
                Ok(()),
            ),
            (
                Some(member(Custom, c, false)),
                Action::ApiKey { key_type: 2 },
                nf,
            ),
            (Some(member(User, c, false)), Action::Leave, Ok(())),
            (
                Some(member(Owner, MemberStatus::Invited, false)),
                Action::View,
                nf,
            ),
            (
                Some(member(User, MemberStatus::Accepted, false)),
                Action::Leave,
                nf,
            ),
        ];
        for (m, action, want) in cases {
            assert_eq!(allows(m.as_ref(), f, *action), *want, "{m:?} {action:?}");
        }
    }

    #[test]
    fn provider_managed_orgs_keep_billing_from_the_owner() {
        let owner = member(MemberType::Owner, MemberStatus::Confirmed, false);
        let managed = OrgFacts {
            provider_managed: true,
        };
        assert_eq!(
            allows(
                Some(&owner),
                managed,
                Action::Update {
                    billing_email: true
                }
            ),
            Err(Denied::Unauthorized)
        );
        assert_eq!(
            allows(Some(&owner), managed, Action::Storage),
            Err(Denied::NotFound)
        );
        assert_eq!(
            allows(
                Some(&owner),
                managed,
                Action::Update {
                    billing_email: false
                }
            ),
            Ok(())
        );
    }
}
