//! Who may do what on the Organizations API (spec §8): the one permission file of the Bitwarden
//! dialect. Handlers ask [`allows`] before they read or write. As the real server, only
//! **confirmed** memberships count; unlike it, the membership is read from the store at each
//! request rather than from the token's claims, so a role change applies at once.

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
    /// `GET /organizations/{id}/users`
    ListMembers,
    /// Read one member, or confirm an accepted one, of this role.
    ManageMember {
        /// The member's role.
        role: MemberType,
    },
    /// `POST /organizations/{id}/users/invite` of a member with this role.
    Invite {
        /// The role the invitation gives.
        role: MemberType,
    },
}

/// How a refusal looks on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// 404 `Resource not found.`: the organization is hidden from the caller.
    NotFound,
    /// 401 with an empty body (`PUT` without the right to update).
    Unauthorized,
}

fn confirmed(m: Option<&Membership>) -> Option<&Membership> {
    m.filter(|m| m.status == MemberStatus::Confirmed)
}

fn is_owner(m: Option<&Membership>) -> bool {
    confirmed(m).is_some_and(|m| m.member_type == MemberType::Owner)
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
        Action::Leave | Action::ListMembers => confirmed(m).is_some(),
        Action::Invite { role } | Action::ManageMember { role } => {
            confirmed(m).is_some_and(|m| match m.member_type {
                MemberType::Owner => true,
                // Only owners may make owners; admins and user managers may invite the rest.
                MemberType::Admin => role != MemberType::Owner,
                MemberType::Custom => {
                    m.permissions.manage_users
                        && role != MemberType::Owner
                        && role != MemberType::Admin
                }
                MemberType::User => false,
            })
        }
    };
    if ok {
        Ok(())
    } else if matches!(action, Action::Update { .. }) {
        Err(Denied::Unauthorized)
    } else {
        Err(Denied::NotFound)
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
