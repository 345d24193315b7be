//! One table walks every role (as a token's claims state it) through every route gate and
//! member action of the admin surface, so a change to one rule shows up as one changed cell.

use super::collections::{
    allows as collection_allows, may_create, may_read_all, Operation, Targets, DEFAULT_SETTINGS,
};
use super::groups::{self, check_create, ChangeFacts, GroupAction};
use super::members::{
    check_remove, check_restore, check_revoke, check_role_change, Acting, Target,
};
use super::policy::{passes, Gate, Membership, Permission};
use super::role::{MemberStatus, MemberType, Permissions};

fn role(t: MemberType, manage_users: bool) -> Option<Membership> {
    Some(Membership {
        member_type: t,
        status: MemberStatus::Confirmed,
        permissions: Permissions {
            manage_users,
            ..Permissions::default()
        },
    })
}

fn target(t: MemberType) -> Target {
    Target {
        member_type: t,
        status: MemberStatus::Confirmed,
        is_self: false,
        claimed: false,
    }
}

/// The roles, in the table's column order.
fn roles() -> [(&'static str, Option<Membership>); 6] {
    [
        ("owner", role(MemberType::Owner, false)),
        ("admin", role(MemberType::Admin, false)),
        ("custom+manageUsers", role(MemberType::Custom, true)),
        ("custom", role(MemberType::Custom, false)),
        ("user", role(MemberType::User, false)),
        ("none", None),
    ]
}

type Cell = fn(Option<&Membership>) -> bool;

/// An action, whether each role may do it, in [`roles`]' order.
type Row = (
    &'static str,
    Box<dyn Fn(Option<&Membership>) -> bool>,
    [bool; 6],
);

/// A collection the caller does not manage and someone else does.
const UNMANAGED: Targets = Targets {
    all_managed: false,
    all_managed_or_orphaned: false,
};

fn gate(g: Gate) -> impl Fn(Option<&Membership>) -> bool {
    move |m| passes(m, g)
}

fn acting(m: Option<&Membership>) -> Acting<'_> {
    Acting::User(m)
}

/// A member action: the route's ManageUsers gate, then the command's own rule.
fn managed(m: Option<&Membership>, rule: impl FnOnce(Option<&Membership>) -> bool) -> bool {
    passes(m, Gate::Permission(Permission::ManageUsers)) && rule(m)
}

/// The table (data, one row per action): route gates, member actions, groups.
fn rows() -> Vec<Row> {
    let mut rows = gate_rows();
    rows.extend(member_rows());
    rows.extend(removal_rows());
    rows.extend(group_rows());
    rows
}

/// The route gates.
fn gate_rows() -> Vec<Row> {
    vec![
        (
            "any member (mini-details)",
            Box::new(gate(Gate::Member)),
            [true, true, true, true, true, false],
        ),
        (
            "ManageUsers (list, invite, confirm, revoke, remove)",
            Box::new(gate(Gate::Permission(Permission::ManageUsers))),
            [true, true, true, false, false, false],
        ),
        (
            "ManageGroups",
            Box::new(gate(Gate::Permission(Permission::ManageGroups))),
            [true, true, false, false, false, false],
        ),
        (
            "ManagePolicies",
            Box::new(gate(Gate::Permission(Permission::ManagePolicies))),
            [true, true, false, false, false, false],
        ),
        (
            "AccessEventLogs (events)",
            Box::new(gate(Gate::Permission(Permission::AccessEventLogs))),
            [true, true, false, false, false, false],
        ),
        (
            "ManageUsersOrGroups",
            Box::new(gate(Gate::ManageUsersOrGroups)),
            [true, true, true, false, false, false],
        ),
        (
            "create a collection",
            Box::new(|m| may_create(m, DEFAULT_SETTINGS)),
            [true, true, true, true, true, false],
        ),
        (
            "read every collection",
            Box::new(may_read_all as Cell),
            [true, true, false, false, false, false],
        ),
    ]
}

/// Role changes: the route's gate, then the command's own rule.
fn member_rows() -> Vec<Row> {
    vec![
        (
            "make a user an admin",
            Box::new(|m| {
                managed(m, |m| {
                    check_role_change(
                        m,
                        MemberType::Admin,
                        Some(MemberType::User),
                        &Permissions::default(),
                    )
                    .is_ok()
                })
            }),
            [true, true, false, false, false, false],
        ),
        (
            "make a user an owner",
            Box::new(|m| {
                managed(m, |m| {
                    check_role_change(
                        m,
                        MemberType::Owner,
                        Some(MemberType::User),
                        &Permissions::default(),
                    )
                    .is_ok()
                })
            }),
            [true, false, false, false, false, false],
        ),
        (
            "change a user's role to user",
            Box::new(|m| {
                managed(m, |m| {
                    check_role_change(
                        m,
                        MemberType::User,
                        Some(MemberType::User),
                        &Permissions::default(),
                    )
                    .is_ok()
                })
            }),
            [true, true, true, false, false, false],
        ),
    ]
}

/// Removing, revoking and restoring members.
fn removal_rows() -> Vec<Row> {
    vec![
        (
            "remove an owner",
            Box::new(|m| {
                managed(m, |m| {
                    check_remove(acting(m), target(MemberType::Owner), 1).is_ok()
                })
            }),
            [true, false, false, false, false, false],
        ),
        (
            "remove an admin",
            Box::new(|m| {
                managed(m, |m| {
                    check_remove(acting(m), target(MemberType::Admin), 1).is_ok()
                })
            }),
            [true, true, false, false, false, false],
        ),
        (
            "revoke an owner",
            Box::new(|m| {
                managed(m, |m| {
                    check_revoke(acting(m), target(MemberType::Owner), true).is_ok()
                })
            }),
            [true, false, false, false, false, false],
        ),
        (
            "revoke an admin",
            Box::new(|m| {
                managed(m, |m| {
                    check_revoke(acting(m), target(MemberType::Admin), true).is_ok()
                })
            }),
            [true, true, false, false, false, false],
        ),
        (
            "restore a revoked admin",
            Box::new(|m| {
                let t = Target {
                    status: MemberStatus::Revoked,
                    ..target(MemberType::Admin)
                };
                managed(m, |m| check_restore(acting(m), t).is_ok())
            }),
            [true, true, false, false, false, false],
        ),
    ]
}

/// The group actions.
fn group_rows() -> Vec<Row> {
    vec![
        (
            "list groups",
            Box::new(|m| groups::allows(m, DEFAULT_SETTINGS, false, GroupAction::List).is_ok()),
            [true, true, true, true, true, false],
        ),
        (
            "list groups with their collections",
            Box::new(|m| {
                groups::allows(m, DEFAULT_SETTINGS, false, GroupAction::ListDetails).is_ok()
            }),
            [true, true, true, false, false, false],
        ),
        (
            "read, create, change or delete a group",
            Box::new(|m| groups::allows(m, DEFAULT_SETTINGS, false, GroupAction::Manage).is_ok()),
            [true, true, false, false, false, false],
        ),
        (
            "create a group on a plan without groups",
            Box::new(|m| {
                groups::allows(m, DEFAULT_SETTINGS, false, GroupAction::Manage).is_ok()
                    && check_create(&ChangeFacts::default()).is_ok()
            }),
            [false, false, false, false, false, false],
        ),
        (
            "give a group a collection the caller does not manage",
            Box::new(|m| {
                let facts = ChangeFacts {
                    use_groups: true,
                    posted_collections: true,
                    found_orgs: 1,
                    authorized: collection_allows(
                        m,
                        DEFAULT_SETTINGS,
                        Operation::ModifyGroupAccess,
                        UNMANAGED,
                    ),
                    ..ChangeFacts::default()
                };
                groups::allows(m, DEFAULT_SETTINGS, false, GroupAction::Manage).is_ok()
                    && check_create(&facts).is_ok()
            }),
            [true, true, false, false, false, false],
        ),
    ]
}

#[test]
fn every_role_through_every_admin_action() {
    let rows = rows();
    let roles = roles();
    let mut wrong = Vec::new();
    for (action, cell, want) in &rows {
        for ((name, m), want) in roles.iter().zip(want) {
            if cell(m.as_ref()) != *want {
                wrong.push(format!("{action} / {name}: expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
