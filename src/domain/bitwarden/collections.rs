//! Who may do what with an organization's collections (the server's
//! `BulkCollectionAuthorizationHandler`, `CollectionAuthorizationHandler` and
//! `CollectionPermissions`), and the checks of its collection commands. The caller's role is
//! its token's claims; which collections it manages (directly or through a group) and which
//! have no manager at all are facts the store reads.

use super::policy::{is_admin, Membership, Permission};
use super::role::MemberType;

/// The organization's collection management settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Owners and admins may manage every collection (`allowAdminAccessToAllCollectionItems`).
    pub allow_admin_access_to_all: bool,
    /// Only owners, admins and holders of `createNewCollections` may create collections.
    pub limit_collection_creation: bool,
    /// Only owners and admins (or `deleteAnyCollection`) may delete collections.
    pub limit_collection_deletion: bool,
}

/// What orgbox's organizations are set to (the server's defaults for a new organization).
pub const DEFAULT_SETTINGS: Settings = Settings {
    allow_admin_access_to_all: true,
    limit_collection_creation: false,
    limit_collection_deletion: false,
};

/// `CollectionType.DefaultUserCollection`: a member's own "My items" collection, which the
/// Public API neither shows, edits nor deletes.
pub const DEFAULT_USER_COLLECTION: i64 = 1;

/// The target collections as the caller relates to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// The caller has `manage` on every target (itself or through a group).
    pub all_managed: bool,
    /// Every target is either managed by the caller or has no manager at all (orphaned).
    pub all_managed_or_orphaned: bool,
}

/// An operation on one or more existing collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Read the collection.
    Read,
    /// Read it with its member and group access.
    ReadWithAccess,
    /// Rename it or change its access.
    Update,
    /// Change which members may use it.
    ModifyUserAccess,
    /// Change which groups may use it.
    ModifyGroupAccess,
    /// Delete it.
    Delete,
}

fn member(m: Option<&Membership>) -> bool {
    is_admin(m) || m.is_some_and(|m| m.status == super::role::MemberStatus::Confirmed)
}

fn has(m: Option<&Membership>, p: Permission) -> bool {
    m.is_some_and(|m| m.member_type == MemberType::Custom && p.of(&m.permissions))
}

/// `CanManageCollectionsAsync`: all targets managed, or (for owners, admins and holders of
/// `editAnyCollection`) managed or orphaned.
fn can_manage(m: Option<&Membership>, t: Targets) -> bool {
    t.all_managed
        || ((is_admin(m) || has(m, Permission::EditAnyCollection)) && t.all_managed_or_orphaned)
}

/// Whether the caller may do `op` on the targets.
pub fn allows(m: Option<&Membership>, s: Settings, op: Operation, t: Targets) -> bool {
    let admin_all = s.allow_admin_access_to_all && is_admin(m);
    let managing = member(m) && can_manage(m, t);
    match op {
        Operation::Read => {
            is_admin(m)
                || has(m, Permission::EditAnyCollection)
                || has(m, Permission::DeleteAnyCollection)
                || managing
        }
        Operation::ReadWithAccess => {
            allows(m, s, Operation::Read, t) || has(m, Permission::ManageUsers)
        }
        Operation::Update => has(m, Permission::EditAnyCollection) || admin_all || managing,
        Operation::ModifyUserAccess => {
            (s.allow_admin_access_to_all && has(m, Permission::ManageUsers))
                || allows(m, s, Operation::Update, t)
        }
        Operation::ModifyGroupAccess => {
            (s.allow_admin_access_to_all && has(m, Permission::ManageGroups))
                || allows(m, s, Operation::Update, t)
        }
        Operation::Delete => {
            has(m, Permission::DeleteAnyCollection)
                || admin_all
                || (member(m) && (!s.limit_collection_deletion || is_admin(m)) && managing)
        }
    }
}

/// `CollectionPermissions.CanCreate`.
pub fn may_create(m: Option<&Membership>, s: Settings) -> bool {
    is_admin(m)
        || has(m, Permission::CreateNewCollections)
        || (member(m) && !s.limit_collection_creation)
}

/// `ReadAll`: the whole list of the organization's collections (else only those it manages).
pub fn may_read_all(m: Option<&Membership>) -> bool {
    is_admin(m)
        || [
            Permission::EditAnyCollection,
            Permission::DeleteAnyCollection,
            Permission::AccessImportExport,
            Permission::ManageGroups,
        ]
        .iter()
        .any(|p| has(m, *p))
}

/// `ReadAllWithAccess`: every collection's details (else only those it manages).
pub fn may_read_all_with_access(m: Option<&Membership>) -> bool {
    is_admin(m)
        || [
            Permission::EditAnyCollection,
            Permission::DeleteAnyCollection,
            Permission::ManageUsers,
            Permission::ManageGroups,
        ]
        .iter()
        .any(|p| has(m, *p))
}

/// `OrganizationCollectionManagementAccessRequirement` (the group list): those who may create
/// collections, custom members managing users, groups or reports, and members who manage at
/// least one collection.
pub fn may_list_groups(m: Option<&Membership>, s: Settings, manages_any: bool) -> bool {
    may_create(m, s)
        || [
            Permission::ManageUsers,
            Permission::ManageGroups,
            Permission::AccessReports,
        ]
        .iter()
        .any(|p| has(m, *p))
        || (member(m) && manages_any)
}

/// The refusal of a collection whose group access pairs `manage` with `readOnly` or
/// `hidePasswords`, of one nobody may manage (unless admins manage all), and of one past the
/// plan's limit.
pub fn check_create(
    s: Settings,
    any_manager: bool,
    count: i64,
    max_collections: Option<i64>,
) -> Result<(), String> {
    if !any_manager && !s.allow_admin_access_to_all {
        return Err("At least one member or group must have can manage permission.".into());
    }
    if let Some(max) = max_collections.filter(|max| *max <= count) {
        return Err(format!(
            "You have reached the maximum number of collections ({max}) for this organization."
        ));
    }
    Ok(())
}

/// Whether an access entry pairs `manage` with `readOnly` or `hidePasswords`.
pub fn manage_conflicts(read_only: bool, hide_passwords: bool, manage: bool) -> bool {
    manage && (read_only || hide_passwords)
}

/// What one access entry lets a member do in a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// May not change items.
    pub read_only: bool,
    /// May not see passwords.
    pub hide_passwords: bool,
    /// May manage the collection.
    pub manage: bool,
}

/// A member's access to one collection, as the server's `UserCollectionDetails` reads it: a
/// direct assignment alone decides (its groups are not joined when one exists); without one,
/// the most permissive of its groups' entries (`MIN(ReadOnly)`, `MIN(HidePasswords)`,
/// `MAX(Manage)` in `Collection_ReadByUserId`).
pub fn effective_access(direct: Option<Grant>, via_groups: &[Grant]) -> Option<Grant> {
    direct.or_else(|| {
        via_groups.iter().copied().reduce(|a, b| Grant {
            read_only: a.read_only && b.read_only,
            hide_passwords: a.hide_passwords && b.hide_passwords,
            manage: a.manage || b.manage,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bitwarden::role::{MemberStatus, Permissions};

    fn m(t: MemberType, p: Permissions) -> Membership {
        Membership {
            member_type: t,
            status: MemberStatus::Confirmed,
            permissions: p,
        }
    }

    const NONE: Targets = Targets {
        all_managed: false,
        all_managed_or_orphaned: false,
    };
    const MANAGED: Targets = Targets {
        all_managed: true,
        all_managed_or_orphaned: true,
    };

    #[test]
    fn users_manage_only_their_collections_and_admins_all() {
        let s = DEFAULT_SETTINGS;
        let user = m(MemberType::User, Permissions::default());
        let admin = m(MemberType::Admin, Permissions::default());
        assert!(!allows(Some(&user), s, Operation::Update, NONE));
        assert!(allows(Some(&user), s, Operation::Update, MANAGED));
        assert!(allows(Some(&user), s, Operation::Delete, MANAGED));
        assert!(allows(Some(&admin), s, Operation::Delete, NONE));
        assert!(!allows(None, s, Operation::Read, MANAGED));
        assert!(may_create(Some(&user), s));
        let limited = Settings {
            limit_collection_creation: true,
            ..s
        };
        assert!(!may_create(Some(&user), limited));
        assert!(!may_read_all(Some(&user)));
    }

    #[test]
    fn collection_limits_and_manage_conflicts() {
        assert!(check_create(DEFAULT_SETTINGS, false, 2, Some(2))
            .unwrap_err()
            .contains("maximum number of collections (2)"));
        assert!(check_create(DEFAULT_SETTINGS, false, 1, Some(2)).is_ok());
        assert!(manage_conflicts(true, false, true));
        assert!(!manage_conflicts(true, true, false));
    }

    #[test]
    fn a_direct_assignment_decides_else_the_most_permissive_group() {
        let g = |read_only, hide_passwords, manage| Grant {
            read_only,
            hide_passwords,
            manage,
        };
        let direct = g(false, true, false);
        let groups = [g(true, false, false), g(false, false, true)];
        assert_eq!(effective_access(Some(direct), &groups), Some(direct));
        assert_eq!(effective_access(None, &groups), Some(g(false, false, true)));
        assert_eq!(effective_access(None, &groups[..1]), Some(groups[0]));
        assert_eq!(effective_access(None, &[]), None);
    }
}
