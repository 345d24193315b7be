//! The member commands' rules, in the server's order and words: remove, revoke, restore,
//! role and permission changes, confirmation and acceptance. Each takes the acting side (a
//! member, as its token's claims state it, or the Public API's organization key) and the
//! facts about the target the store read inside the transaction that writes, and answers
//! the server's 400 message when it refuses. The route gates (`ManageUsers`, ...) are
//! `policy::passes`; these run after them.

use super::policy::{can, is_admin, is_custom, is_owner, Membership, Permission};
use super::role::{MemberStatus, MemberType, Permissions};

/// Who performs a member command.
#[derive(Debug, Clone, Copy)]
pub enum Acting<'a> {
    /// A user, with the membership its token's claims give it here (`StandardUser`).
    User(Option<&'a Membership>),
    /// The Public API's organization key (`SystemUser(PublicApi)`): no role checks apply.
    System,
}

impl Acting<'_> {
    fn membership(&self) -> Option<&Membership> {
        match self {
            Acting::User(m) => *m,
            Acting::System => None,
        }
    }

    fn is_user(&self) -> bool {
        matches!(self, Acting::User(_))
    }
}

/// What a command needs to know of the member it acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The member's role.
    pub member_type: MemberType,
    /// The member's status.
    pub status: MemberStatus,
    /// The member is the acting user.
    pub is_self: bool,
    /// The organization claims the member's account.
    pub claimed: bool,
}

/// Refused: the message of the server's `BadRequestException`.
pub type Refusal = &'static str;

/// Organization must keep a confirmed owner.
pub const LAST_OWNER: &str = "Organization must have at least one confirmed owner.";

/// `DELETE /organizations/{orgId}/users/{id}` (and the Public API's): `others_confirmed_owners`
/// counts confirmed owners other than the target.
pub fn check_remove(acting: Acting, t: Target, other_confirmed_owners: i64) -> Result<(), Refusal> {
    if acting.is_user() && t.is_self {
        return Err("You cannot remove yourself.");
    }
    if t.member_type == MemberType::Owner {
        if acting.is_user() && !is_owner(acting.membership()) {
            return Err("Only owners can remove other owners.");
        }
        if other_confirmed_owners == 0 {
            return Err(LAST_OWNER);
        }
    }
    if t.member_type == MemberType::Admin && is_custom(acting.membership()) {
        return Err("Custom users can not remove admins.");
    }
    if acting.is_user() && t.claimed {
        return Err("Cannot remove member accounts claimed by the organization. To offboard a member, revoke or delete the account.");
    }
    Ok(())
}

/// One member of a bulk removal (the last-owner check is made once for the whole request).
pub fn check_remove_one_of_many(acting: Acting, t: Target) -> Result<(), Refusal> {
    check_remove(acting, t, 1)
}

/// `PUT /organizations/{orgId}/users/{id}/revoke`: `remaining_owners` is whether a confirmed
/// owner other than the target stays.
pub fn check_revoke(acting: Acting, t: Target, remaining_owners: bool) -> Result<(), Refusal> {
    if acting.is_user() {
        let m = acting.membership();
        if t.is_self {
            return Err("You cannot revoke yourself.");
        }
        if t.member_type == MemberType::Owner && !is_owner(m) {
            return Err("Only owners can revoke other owners.");
        }
        if t.member_type == MemberType::Admin && !is_admin(m) {
            return Err("Custom users can not revoke admins.");
        }
    }
    if t.status == MemberStatus::Revoked {
        return Err("Already revoked.");
    }
    if !remaining_owners {
        return Err(LAST_OWNER);
    }
    Ok(())
}

/// One member of `PUT /organizations/{orgId}/users/revoke` (and the Public API's revoke):
/// `remaining_owners` is whether a confirmed owner outside the whole request stays.
pub fn check_revoke_one_of_many(
    acting: Acting,
    t: Target,
    remaining_owners: bool,
) -> Result<(), Refusal> {
    let m = acting.membership();
    if acting.is_user() && t.is_self {
        return Err("You cannot revoke yourself.");
    }
    if t.status == MemberStatus::Revoked {
        return Err("Already revoked.");
    }
    if t.member_type == MemberType::Owner && !remaining_owners {
        return Err(LAST_OWNER);
    }
    if t.member_type == MemberType::Owner && acting.is_user() && !is_owner(m) {
        return Err("Only owners can revoke other owners.");
    }
    if t.member_type == MemberType::Admin && acting.is_user() && !is_admin(m) {
        return Err("Custom users can not revoke admins.");
    }
    Ok(())
}

/// `PUT /organizations/{orgId}/users/{id}/restore`, before the seat and policy checks.
pub fn check_restore(acting: Acting, t: Target) -> Result<(), Refusal> {
    if acting.is_user() {
        let m = acting.membership();
        if t.is_self {
            return Err("You cannot restore yourself.");
        }
        if t.member_type == MemberType::Owner && !is_owner(m) {
            return Err("Only owners can restore other owners.");
        }
        if t.member_type == MemberType::Admin && !is_admin(m) {
            return Err("Custom users can not restore admins.");
        }
    }
    if t.status != MemberStatus::Revoked {
        return Err("Already active.");
    }
    Ok(())
}

/// One member of `PUT /organizations/{orgId}/users/restore`: the same checks, the status first.
pub fn check_restore_one_of_many(acting: Acting, t: Target) -> Result<(), Refusal> {
    if t.status != MemberStatus::Revoked {
        return Err("Already active.");
    }
    check_restore(acting, t)
}

/// The status a revoked member returns to: the one it had (kept at revocation), else what its
/// row shows (a user and a key: confirmed; a user: accepted; neither: invited).
pub fn restored_status(prior: Option<MemberStatus>, has_user: bool, has_key: bool) -> MemberStatus {
    match prior {
        Some(s) if s != MemberStatus::Revoked => s,
        _ if has_user && has_key => MemberStatus::Confirmed,
        _ if has_user => MemberStatus::Accepted,
        _ => MemberStatus::Invited,
    }
}

/// Whether the acting member may give (or change to) `new_type` with `permissions` a member
/// now of `old_type` (`None` for an invitation): `ValidateOrganizationUserUpdatePermissions`.
pub fn check_role_change(
    acting: Option<&Membership>,
    new_type: MemberType,
    old_type: Option<MemberType>,
    permissions: &Permissions,
) -> Result<(), Refusal> {
    if is_owner(acting) {
        return Ok(());
    }
    if old_type == Some(MemberType::Owner) || new_type == MemberType::Owner {
        return Err("Only an Owner can configure another Owner's account.");
    }
    if is_admin(acting) {
        return Ok(());
    }
    if !can(acting, Permission::ManageUsers) {
        return Err("Your account does not have permission to manage users.");
    }
    if old_type == Some(MemberType::Admin) || new_type == MemberType::Admin {
        return Err("Custom users can not manage Admins or Owners.");
    }
    if new_type == MemberType::Custom && !may_grant(acting, permissions) {
        return Err("Custom users can only grant the same custom permissions that they have.");
    }
    Ok(())
}

/// A custom member grants only permissions it holds itself.
fn may_grant(acting: Option<&Membership>, wanted: &Permissions) -> bool {
    Permission::ALL
        .iter()
        .all(|p| !p.of(wanted) || can(acting, *p))
}

/// A custom role needs the organization's custom permissions (an Enterprise plan).
pub fn check_custom_allowed(
    new_type: MemberType,
    use_custom_permissions: bool,
) -> Result<(), Refusal> {
    if new_type == MemberType::Custom && !use_custom_permissions {
        return Err("To enable custom permissions the organization must be on an Enterprise plan.");
    }
    Ok(())
}

/// The one-free-organization rule when a member becomes (or stays) owner or admin of a Free
/// organization: `admin_of_free` counts the Free organizations the user already owns or
/// administers, this one included when `already_admin`.
pub fn check_free_admin(
    free_plan: bool,
    new_type: MemberType,
    already_admin: bool,
    admin_of_free: i64,
) -> Result<(), Refusal> {
    let admin_role = matches!(new_type, MemberType::Owner | MemberType::Admin);
    if !free_plan || !admin_role {
        return Ok(());
    }
    let allowed = if already_admin { 1 } else { 0 };
    if admin_of_free > allowed {
        return Err("User can only be an admin of 1 free organization vault.");
    }
    Ok(())
}

/// A collection (or group) access entry whose `manage` is set together with `readOnly` or
/// `hidePasswords` is refused.
pub const MANAGE_EXCLUSIVE: &str = "The Manage property is mutually exclusive and cannot be true while the ReadOnly or HidePasswords properties are also true.";

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: MemberType) -> Membership {
        Membership {
            member_type: t,
            status: MemberStatus::Confirmed,
            permissions: Permissions::default(),
        }
    }

    fn target(t: MemberType) -> Target {
        Target {
            member_type: t,
            status: MemberStatus::Confirmed,
            is_self: false,
            claimed: false,
        }
    }

    #[test]
    fn removal_refusals_in_the_servers_order() {
        use MemberType::*;
        let admin = m(Admin);
        let me = Target {
            is_self: true,
            ..target(Owner)
        };
        assert_eq!(
            check_remove(Acting::User(Some(&admin)), me, 0),
            Err("You cannot remove yourself.")
        );
        assert_eq!(
            check_remove(Acting::User(Some(&admin)), target(Owner), 1),
            Err("Only owners can remove other owners.")
        );
        let owner = m(Owner);
        assert_eq!(
            check_remove(Acting::User(Some(&owner)), target(Owner), 0),
            Err(LAST_OWNER)
        );
        assert_eq!(check_remove(Acting::System, target(Owner), 1), Ok(()));
        let claimed = Target {
            claimed: true,
            ..target(User)
        };
        assert!(check_remove(Acting::User(Some(&owner)), claimed, 1)
            .unwrap_err()
            .starts_with("Cannot remove member accounts claimed"));
        assert_eq!(check_remove(Acting::System, claimed, 1), Ok(()));
    }

    #[test]
    fn restored_members_return_to_their_former_status() {
        use MemberStatus::*;
        assert_eq!(restored_status(Some(Accepted), true, false), Accepted);
        assert_eq!(restored_status(None, true, true), Confirmed);
        assert_eq!(restored_status(None, true, false), Accepted);
        assert_eq!(restored_status(None, false, false), Invited);
    }

    #[test]
    fn custom_members_grant_only_what_they_hold() {
        let manager = Membership {
            permissions: Permissions {
                manage_users: true,
                access_reports: true,
                ..Permissions::default()
            },
            ..m(MemberType::Custom)
        };
        let reports = Permissions {
            access_reports: true,
            ..Permissions::default()
        };
        let groups = Permissions {
            manage_groups: true,
            ..Permissions::default()
        };
        let c = MemberType::Custom;
        assert_eq!(check_role_change(Some(&manager), c, None, &reports), Ok(()));
        assert_eq!(
            check_role_change(Some(&manager), c, None, &groups),
            Err("Custom users can only grant the same custom permissions that they have.")
        );
    }
}
