//! Who may read and change an organization's groups (`GroupsController`, private and Public),
//! and the checks of the server's `CreateGroupCommand` / `UpdateGroupCommand`, in their order
//! and words. The route gates are the server's requirements: `ManageGroups` for one group,
//! its members and every change, `ManageUsersOrGroups` for the list with collections, and
//! `OrganizationCollectionManagementAccessRequirement` for the plain list. A refused gate is
//! the empty 403.

use super::collections::{may_list_groups, Settings};
use super::members::MANAGE_EXCLUSIVE;
use super::policy::{passes, Denied, Gate, Membership, Permission};

/// The plan has no groups (`organization.UseGroups` is off).
pub const CANNOT_USE_GROUPS: &str = "This organization cannot use groups.";
/// An admin adding itself to a group while admins may not reach every collection.
pub const CANNOT_ADD_YOURSELF: &str = "You cannot add yourself to groups.";
/// Group access to a member's default collection.
pub const DEFAULT_COLLECTION: &str =
    "You cannot modify group access for collections with the type as DefaultUserCollection.";
/// Collections of several organizations posted together (`BulkCollectionAuthorizationHandler`).
pub const SAME_ORGANIZATION: &str = "Requested collections must belong to the same organization.";

/// What a caller asks of the groups of one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupAction {
    /// `GET .../groups`: the groups without their collections.
    List,
    /// `GET .../groups/details`: every group with its collections.
    ListDetails,
    /// One group, its details or its members; create, update, delete, remove a member.
    Manage,
}

/// Whether the caller (as its token's claims state it) may do `action`; `manages_any`: it
/// manages at least one collection of the organization (directly or through a group).
pub fn allows(
    m: Option<&Membership>,
    s: Settings,
    manages_any: bool,
    action: GroupAction,
) -> Result<(), Denied> {
    let ok = match action {
        GroupAction::List => may_list_groups(m, s, manages_any),
        GroupAction::ListDetails => passes(m, Gate::ManageUsersOrGroups),
        GroupAction::Manage => passes(m, Gate::Permission(Permission::ManageGroups)),
    };
    if ok {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// How a group command refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRefusal {
    /// `NotFoundException`: 404 `Resource not found.`.
    NotFound,
    /// `BadRequestException` with the server's words.
    BadRequest(&'static str),
}

/// The facts a group create or update is checked against, read inside its transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeFacts {
    /// The organization's plan has groups.
    pub use_groups: bool,
    /// The organization API key acts (the Public API authorizes no collection).
    pub public_api: bool,
    /// The request names at least one collection.
    pub posted_collections: bool,
    /// How many organizations the named collections that exist belong to.
    pub found_orgs: usize,
    /// The caller may change group access on each named collection that exists
    /// (`BulkCollectionOperations.ModifyGroupAccess`, in that collection's organization).
    pub authorized: bool,
    /// A named collection does not exist or belongs to another organization.
    pub foreign_collection: bool,
    /// A named collection is a member's default collection.
    pub default_collection: bool,
    /// A named member does not exist or belongs to another organization.
    pub foreign_member: bool,
    /// An entry pairs `manage` with `readOnly` or `hidePasswords`.
    pub manage_conflict: bool,
}

/// `POST .../groups` (and `POST /public/groups`): the controller's collection authorization,
/// then `CreateGroupCommand.Validate`. Unknown collections and members of other
/// organizations are dropped afterwards, as the server's stored procedures do.
pub fn check_create(f: &ChangeFacts) -> Result<(), GroupRefusal> {
    if !f.public_api && f.posted_collections {
        // The authorization handler fails on an empty set of collections.
        if f.found_orgs == 0 {
            return Err(GroupRefusal::NotFound);
        }
        if f.found_orgs > 1 {
            return Err(GroupRefusal::BadRequest(SAME_ORGANIZATION));
        }
        if !f.authorized {
            return Err(GroupRefusal::NotFound);
        }
    }
    if !f.use_groups {
        return Err(GroupRefusal::BadRequest(CANNOT_USE_GROUPS));
    }
    if f.manage_conflict {
        return Err(GroupRefusal::BadRequest(MANAGE_EXCLUSIVE));
    }
    Ok(())
}

/// `PUT .../groups/{id}` (and `PUT /public/groups/{id}`): the controller's per-collection
/// authorization, then `UpdateGroupCommand.ValidateAsync`.
pub fn check_update(f: &ChangeFacts) -> Result<(), GroupRefusal> {
    if !f.public_api && !f.authorized {
        return Err(GroupRefusal::NotFound);
    }
    if !f.use_groups {
        return Err(GroupRefusal::BadRequest(CANNOT_USE_GROUPS));
    }
    if f.foreign_collection {
        return Err(GroupRefusal::NotFound);
    }
    if f.default_collection {
        return Err(GroupRefusal::BadRequest(DEFAULT_COLLECTION));
    }
    if f.foreign_member {
        return Err(GroupRefusal::NotFound);
    }
    if f.manage_conflict {
        return Err(GroupRefusal::BadRequest(MANAGE_EXCLUSIVE));
    }
    Ok(())
}

/// The update's first check: while admins may not reach every collection, a caller may not
/// add itself to a group it is not in (`self_added`: the posted members name the caller's
/// membership and the group's current members do not).
pub fn check_self_add(s: Settings, self_added: bool) -> Result<(), GroupRefusal> {
    if !s.allow_admin_access_to_all && self_added {
        return Err(GroupRefusal::BadRequest(CANNOT_ADD_YOURSELF));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bitwarden::collections::DEFAULT_SETTINGS;
    use crate::domain::bitwarden::role::{MemberStatus, MemberType, Permissions};

    fn m(t: MemberType, p: Permissions) -> Membership {
        Membership {
            member_type: t,
            status: MemberStatus::Confirmed,
            permissions: p,
        }
    }

    const OK: ChangeFacts = ChangeFacts {
        use_groups: true,
        public_api: false,
        posted_collections: true,
        found_orgs: 1,
        authorized: true,
        foreign_collection: false,
        default_collection: false,
        foreign_member: false,
        manage_conflict: false,
    };

    #[test]
    fn custom_members_need_manage_groups_and_users_only_list() {
        let s = DEFAULT_SETTINGS;
        let groups = m(
            MemberType::Custom,
            Permissions {
                manage_groups: true,
                ..Permissions::default()
            },
        );
        let user = m(MemberType::User, Permissions::default());
        assert_eq!(allows(Some(&groups), s, false, GroupAction::Manage), Ok(()));
        assert_eq!(
            allows(Some(&user), s, false, GroupAction::Manage),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            allows(Some(&user), s, false, GroupAction::ListDetails),
            Err(Denied::Forbidden)
        );
        assert_eq!(allows(Some(&user), s, false, GroupAction::List), Ok(()));
        assert_eq!(
            allows(None, s, true, GroupAction::List),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn commands_refuse_in_the_servers_order() {
        assert_eq!(check_create(&OK), Ok(()));
        let no_groups = ChangeFacts {
            use_groups: false,
            authorized: false,
            ..OK
        };
        assert_eq!(check_create(&no_groups), Err(GroupRefusal::NotFound));
        assert_eq!(
            check_create(&ChangeFacts {
                public_api: true,
                ..no_groups
            }),
            Err(GroupRefusal::BadRequest(CANNOT_USE_GROUPS))
        );
        let two_orgs = ChangeFacts {
            found_orgs: 2,
            ..OK
        };
        assert_eq!(
            check_create(&two_orgs),
            Err(GroupRefusal::BadRequest(SAME_ORGANIZATION))
        );
        let unknown = ChangeFacts {
            found_orgs: 0,
            ..OK
        };
        assert_eq!(check_create(&unknown), Err(GroupRefusal::NotFound));
        let default = ChangeFacts {
            default_collection: true,
            foreign_member: true,
            ..OK
        };
        assert_eq!(
            check_update(&default),
            Err(GroupRefusal::BadRequest(DEFAULT_COLLECTION))
        );
        let manage = ChangeFacts {
            manage_conflict: true,
            ..OK
        };
        assert_eq!(
            check_update(&manage),
            Err(GroupRefusal::BadRequest(MANAGE_EXCLUSIVE))
        );
    }

    #[test]
    fn adding_yourself_is_refused_only_when_admins_do_not_reach_everything() {
        assert_eq!(check_self_add(DEFAULT_SETTINGS, true), Ok(()));
        let limited = Settings {
            allow_admin_access_to_all: false,
            ..DEFAULT_SETTINGS
        };
        assert_eq!(
            check_self_add(limited, true),
            Err(GroupRefusal::BadRequest(CANNOT_ADD_YOURSELF))
        );
        assert_eq!(check_self_add(limited, false), Ok(()));
    }
}
