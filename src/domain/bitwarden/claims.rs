//! What an access token says about its holder's place in one organization, read as the
//! server reads it (`OrganizationClaimsExtensions.GetCurrentContextOrganization`): the role
//! claims `orgowner`, `orgadmin`, `orgcustom`, `orguser` (checked in that order) and, for a
//! custom role only, one claim per custom permission. The token carries only **confirmed**
//! memberships as of its issue; a role changed since answers with the old role until the
//! client refreshes its token, as on the real server.

use super::policy::Membership;
use super::role::{MemberStatus, MemberType, Permissions};

/// The membership `has_claim` describes, where `has_claim(name)` tells whether the claim
/// `name` lists the organization in question; `None` when the token names no role there.
pub fn org_membership(has_claim: impl Fn(&str) -> bool) -> Option<Membership> {
    let member_type = [
        MemberType::Owner,
        MemberType::Admin,
        MemberType::Custom,
        MemberType::User,
    ]
    .into_iter()
    .find(|t| has_claim(t.claim()))?;
    let permissions = if member_type == MemberType::Custom {
        permissions_from(&has_claim)
    } else {
        Permissions::default()
    };
    Some(Membership {
        member_type,
        status: MemberStatus::Confirmed,
        permissions,
    })
}

fn permissions_from(has: &impl Fn(&str) -> bool) -> Permissions {
    Permissions {
        access_event_logs: has("accesseventlogs"),
        access_import_export: has("accessimportexport"),
        access_reports: has("accessreports"),
        create_new_collections: has("createnewcollections"),
        edit_any_collection: has("editanycollection"),
        delete_any_collection: has("deleteanycollection"),
        manage_groups: has("managegroups"),
        manage_policies: has("managepolicies"),
        manage_sso: has("managesso"),
        manage_users: has("manageusers"),
        manage_reset_password: has("manageresetpassword"),
        manage_scim: has("managescim"),
        manage_access_rules: has("manageaccessrules"),
        edit_assigned_collections: false,
        delete_assigned_collections: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_role_claim_wins_and_only_custom_roles_carry_permissions() {
        let owner = org_membership(|c| c == "orgowner" || c == "orgadmin").unwrap();
        assert_eq!(owner.member_type, MemberType::Owner);
        assert_eq!(org_membership(|_| false), None);
        let custom = org_membership(|c| c == "orgcustom" || c == "manageusers").unwrap();
        assert!(custom.permissions.manage_users && !custom.permissions.manage_groups);
        let user = org_membership(|c| c == "orguser" || c == "manageusers").unwrap();
        assert_eq!(user.member_type, MemberType::User);
        assert!(
            !user.permissions.manage_users,
            "a user's stray claim grants nothing"
        );
        let round_trip = Permissions {
            manage_scim: true,
            access_event_logs: true,
            ..Permissions::default()
        };
        let claims = round_trip.claims();
        let read = org_membership(|c| c == "orgcustom" || claims.contains(&c)).unwrap();
        assert_eq!(read.permissions, round_trip);
    }
}
