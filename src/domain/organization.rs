//! Organization rules (BitGo Crypto-as-a-Service): who may hold which role. Pure: callers load
//! the members and the candidate's parent-enterprise permissions and pass them in.
//!
//! - Only an admin of the organization's parent enterprise can become an organization admin
//!   (seed 000 step 4: "people you select from among your enterprise admins").
//! - The service user is a role of its own, held by at most one user per organization; a user
//!   has one role per organization (BitGo's user object lists one `role` per organization), so
//!   the service user and the organization admins are different users.
//! - An organization keeps at least one admin: the public API cannot make one (only BitGo
//!   support can), so removing the last would lock the organization out of its own settings.
//! - A change that gives or takes the service user role (the one role that transacts on child
//!   enterprises) waits for another organization admin's approval: BitGo's
//!   `updateOrganizationRequest` pending approval. Who may resolve it is in `domain::policy`.

use serde::{Deserialize, Serialize};

use crate::domain::error::{Error, Result};
use crate::domain::role::{EnterprisePermission, OrgRole};

/// The `info.type` of a held organization role change.
pub const UPDATE_ORGANIZATION_REQUEST: &str = "updateOrganizationRequest";

/// A change of one member's organization role, kept as JSON with its pending approval and
/// applied when another organization admin approves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleChange {
    /// The member.
    pub user_id: String,
    /// Their email (BitGo's username).
    pub email: String,
    /// The new role; `None` removes the member from the organization.
    pub role: Option<OrgRole>,
}

impl RoleChange {
    /// BitGo's `updateOrganizationRequest.action`.
    pub fn action(&self) -> &'static str {
        match self.role {
            Some(_) => "update",
            None => "remove",
        }
    }
}

/// Whether moving a member from `current` to `new` (`None`: removal) needs another
/// organization admin's approval: any change that gives or takes the service user role.
pub fn needs_second_admin(current: Option<OrgRole>, new: Option<OrgRole>) -> bool {
    current != new && (current == Some(OrgRole::ServiceUser) || new == Some(OrgRole::ServiceUser))
}

/// One member of an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMember {
    /// The user.
    pub user_id: String,
    /// Their role.
    pub role: OrgRole,
}

fn role_of<'a>(members: &'a [OrgMember], user_id: &str) -> Option<&'a OrgMember> {
    members.iter().find(|m| m.user_id == user_id)
}

/// `candidate` may become an organization admin only if they are an admin of the
/// organization's parent enterprise (`parent_permissions` is their membership there).
pub fn check_admin_candidate(parent_permissions: Option<&[EnterprisePermission]>) -> Result<()> {
    match parent_permissions {
        Some(p) if p.contains(&EnterprisePermission::Admin) => Ok(()),
        _ => Err(Error::Forbidden(
            "only an admin of the organization's parent enterprise can become an organization \
             admin: add the user to the enterprise with the admin permission first"
                .into(),
        )),
    }
}

/// Whether `user_id` may be given `role`, given the current members (the user may already be
/// one of them) and their parent-enterprise permissions.
pub fn check_role_assignment(
    members: &[OrgMember],
    user_id: &str,
    role: OrgRole,
    parent_permissions: Option<&[EnterprisePermission]>,
) -> Result<()> {
    let current = role_of(members, user_id).map(|m| m.role);
    if current == Some(role) {
        return Ok(());
    }
    match role {
        OrgRole::Admin => {
            if current == Some(OrgRole::ServiceUser) {
                return Err(Error::Conflict(
                    "this user is the organization's service user; organization admin and \
                     service user are separate roles held by different users"
                        .into(),
                ));
            }
            check_admin_candidate(parent_permissions)?;
        }
        OrgRole::ServiceUser => {
            if let Some(holder) = members
                .iter()
                .find(|m| m.role == OrgRole::ServiceUser && m.user_id != user_id)
            {
                return Err(Error::Conflict(format!(
                    "the organization already has a service user ({}); change that user's role \
                     first",
                    holder.user_id
                )));
            }
        }
        OrgRole::Member | OrgRole::Customer => {}
    }
    if current == Some(OrgRole::Admin) {
        check_not_last_admin(members, user_id)?;
    }
    Ok(())
}

/// Whether `user_id` may leave the organization.
pub fn check_removal(members: &[OrgMember], user_id: &str) -> Result<()> {
    match role_of(members, user_id) {
        None => Err(Error::NotFound(format!(
            "user {user_id} is not a member of this organization"
        ))),
        Some(m) if m.role == OrgRole::Admin => check_not_last_admin(members, user_id),
        Some(_) => Ok(()),
    }
}

fn check_not_last_admin(members: &[OrgMember], leaving: &str) -> Result<()> {
    let others = members
        .iter()
        .filter(|m| m.role == OrgRole::Admin && m.user_id != leaving)
        .count();
    if others == 0 {
        Err(Error::Conflict(
            "an organization keeps at least one admin (only BitGo support can make one)".into(),
        ))
    } else {
        Ok(())
    }
}

/// An `additionalAdmins` entry of a new child enterprise must be the organization's service
/// user or one of its admins (BitGo's guide passes exactly those two); `role` is that user's
/// role in the organization.
pub fn check_additional_admin(role: Option<OrgRole>, user_id: &str) -> Result<()> {
    match role {
        Some(OrgRole::ServiceUser | OrgRole::Admin) => Ok(()),
        _ => Err(Error::Invalid(format!(
            "invalid additionalAdmins: user {user_id} is neither the organization's service \
             user nor an organization admin"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_that_give_or_take_the_service_user_role_wait_for_a_second_admin() {
        use OrgRole::*;
        let table = [
            (Some(Admin), Some(ServiceUser), true),
            (Some(Member), Some(ServiceUser), true),
            (Some(Customer), Some(ServiceUser), true),
            (Some(ServiceUser), Some(Member), true),
            (Some(ServiceUser), Some(Customer), true),
            (Some(ServiceUser), None, true),
            (Some(ServiceUser), Some(ServiceUser), false),
            (Some(Member), Some(Admin), false),
            (Some(Admin), Some(Member), false),
            (Some(Customer), Some(Member), false),
            (Some(Member), None, false),
            (Some(Admin), None, false),
        ];
        for (current, new, held) in table {
            assert_eq!(
                needs_second_admin(current, new),
                held,
                "{current:?} -> {new:?}"
            );
        }
    }

    #[test]
    fn a_role_change_round_trips_with_wire_role_names() {
        let c = RoleChange {
            user_id: "u".into(),
            email: "u@x.test".into(),
            role: Some(OrgRole::ServiceUser),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["role"], "serviceUser");
        assert_eq!(v["userId"], "u");
        assert_eq!(serde_json::from_value::<RoleChange>(v).unwrap(), c);
        assert_eq!(c.action(), "update");
        let removal = RoleChange { role: None, ..c };
        assert_eq!(removal.action(), "remove");
    }

    fn m(id: &str, role: OrgRole) -> OrgMember {
        OrgMember {
            user_id: id.into(),
            role,
        }
    }

    const ADMIN: &[EnterprisePermission] = &[EnterprisePermission::Admin];
    const AUDITOR: &[EnterprisePermission] = &[EnterprisePermission::Auditor];

    #[test]
    fn only_parent_enterprise_admins_become_organization_admins() {
        let members = [m("a", OrgRole::Admin), m("b", OrgRole::Member)];
        assert!(check_role_assignment(&members, "b", OrgRole::Admin, Some(ADMIN)).is_ok());
        for perms in [Some(AUDITOR), None] {
            assert!(matches!(
                check_role_assignment(&members, "b", OrgRole::Admin, perms),
                Err(Error::Forbidden(_))
            ));
        }
        assert!(check_admin_candidate(Some(ADMIN)).is_ok());
        assert!(check_admin_candidate(None).is_err());
    }

    #[test]
    fn one_service_user_and_it_is_not_an_admin() {
        let members = [
            m("a", OrgRole::Admin),
            m("s", OrgRole::ServiceUser),
            m("c", OrgRole::Member),
        ];
        assert!(matches!(
            check_role_assignment(&members, "c", OrgRole::ServiceUser, Some(ADMIN)),
            Err(Error::Conflict(_))
        ));
        assert!(check_role_assignment(&members, "s", OrgRole::ServiceUser, None).is_ok());
        assert!(matches!(
            check_role_assignment(&members, "s", OrgRole::Admin, Some(ADMIN)),
            Err(Error::Conflict(_))
        ));
        // Once the service user steps down, someone else may take the role.
        let members = [m("a", OrgRole::Admin), m("c", OrgRole::Member)];
        assert!(check_role_assignment(&members, "c", OrgRole::ServiceUser, None).is_ok());
    }

    #[test]
    fn additional_admins_are_the_service_user_or_admins() {
        assert!(check_additional_admin(Some(OrgRole::ServiceUser), "s").is_ok());
        assert!(check_additional_admin(Some(OrgRole::Admin), "a").is_ok());
        for role in [None, Some(OrgRole::Member), Some(OrgRole::Customer)] {
            assert!(matches!(
                check_additional_admin(role, "x"),
                Err(Error::Invalid(_))
            ));
        }
    }

    #[test]
    fn the_last_admin_cannot_leave_or_be_demoted() {
        let members = [m("a", OrgRole::Admin), m("b", OrgRole::Member)];
        assert!(matches!(
            check_removal(&members, "a"),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            check_role_assignment(&members, "a", OrgRole::Member, None),
            Err(Error::Conflict(_))
        ));
        assert!(check_removal(&members, "b").is_ok());
        assert!(matches!(
            check_removal(&members, "x"),
            Err(Error::NotFound(_))
        ));
        let two = [m("a", OrgRole::Admin), m("b", OrgRole::Admin)];
        assert!(check_removal(&two, "a").is_ok());
        assert!(check_role_assignment(&two, "a", OrgRole::Customer, None).is_ok());
    }
}
