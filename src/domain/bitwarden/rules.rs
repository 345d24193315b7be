//! The check-then-write rules of the Organizations API, as pure functions: leaving, storage
//! adjustment, the one-free-organization rule. The store calls them inside the transaction
//! that writes, with the facts it just read.

use super::plan::Plan;
use super::role::MemberType;

/// Facts about a member who asks to leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaveFacts {
    /// The org's SSO config uses Key Connector decryption.
    pub org_uses_key_connector_sso: bool,
    /// The user unlocks with Key Connector.
    pub user_uses_key_connector: bool,
    /// The org claims the user's account.
    pub claimed: bool,
    /// The member's role.
    pub member_type: MemberType,
    /// Confirmed owners other than this member.
    pub other_confirmed_owners: i64,
}

/// The refusal messages of `POST /organizations/{id}/leave`, in the server's order.
pub fn check_leave(f: LeaveFacts) -> Result<(), &'static str> {
    if f.org_uses_key_connector_sso && f.user_uses_key_connector {
        return Err("Your organization single sign-on settings prevent you from leaving.");
    }
    if f.claimed {
        return Err("You can't leave this organization vault because your account is claimed. Contact your admin for more information.");
    }
    if f.member_type == MemberType::Owner && f.other_confirmed_owners == 0 {
        return Err("Organization must have at least one confirmed owner.");
    }
    Ok(())
}

/// Largest storage an organization may have, GB.
pub const MAX_STORAGE_GB: i64 = 100;

/// Why a storage adjustment is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageRefusal {
    /// Model-state error on `StorageGbAdjustment`.
    Zero,
    /// A plain 400 message.
    Message(String),
}

/// The new `maxStorageGb` after adding `adjustment` GB (spec §2.10).
pub fn adjust_storage(
    plan: Option<&Plan>,
    has_subscription: bool,
    current_max_gb: Option<i64>,
    adjustment: i64,
    used_bytes: i64,
) -> Result<i64, StorageRefusal> {
    let msg = |m: &str| Err(StorageRefusal::Message(m.to_string()));
    if adjustment == 0 {
        return Err(StorageRefusal::Zero);
    }
    let Some(plan) = plan.filter(|p| p.has_additional_storage) else {
        return msg("Plan does not allow additional storage.");
    };
    if !has_subscription {
        return msg("No subscription found.");
    }
    let Some(current) = current_max_gb else {
        return msg("No access to storage.");
    };
    let new = (current + adjustment).max(plan.base_storage_gb);
    if new > MAX_STORAGE_GB {
        return msg("Maximum storage is 100 GB.");
    }
    let limit_bytes = new * 1024 * 1024 * 1024;
    if used_bytes > limit_bytes {
        return msg(&format!(
            "You are currently using {} of storage. Delete some stored data first.",
            human_size(used_bytes)
        ));
    }
    Ok(new)
}

fn human_size(bytes: i64) -> String {
    let units = ["Bytes", "KB", "MB", "GB", "TB"];
    let mut size = bytes as f64;
    let mut i = 0;
    while size >= 1024.0 && i < units.len() - 1 {
        size /= 1024.0;
        i += 1;
    }
    format!("{} {}", (size * 100.0).round() / 100.0, units[i])
}

/// The one-free-organization rule: a user who is already an owner or admin of a Free
/// organization may not create another.
pub fn check_free_org(plan_type: i64, free_orgs_administered: i64) -> Result<(), &'static str> {
    if plan_type == 0 && free_orgs_administered > 0 {
        return Err("You can only be an admin of 1 free organization vault.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bitwarden::plan::plan;

    fn owner(others: i64) -> LeaveFacts {
        LeaveFacts {
            org_uses_key_connector_sso: false,
            user_uses_key_connector: false,
            claimed: false,
            member_type: MemberType::Owner,
            other_confirmed_owners: others,
        }
    }

    #[test]
    fn the_last_confirmed_owner_cannot_leave() {
        assert_eq!(
            check_leave(owner(0)),
            Err("Organization must have at least one confirmed owner.")
        );
        assert_eq!(check_leave(owner(1)), Ok(()));
        let user = LeaveFacts {
            member_type: MemberType::User,
            ..owner(0)
        };
        assert_eq!(check_leave(user), Ok(()));
    }

    #[test]
    fn key_connector_comes_before_claimed_before_last_owner() {
        let all = LeaveFacts {
            org_uses_key_connector_sso: true,
            user_uses_key_connector: true,
            claimed: true,
            ..owner(0)
        };
        assert!(check_leave(all).unwrap_err().contains("single sign-on"));
        let claimed = LeaveFacts {
            user_uses_key_connector: false,
            ..all
        };
        assert!(check_leave(claimed).unwrap_err().contains("claimed"));
    }

    #[test]
    fn storage_rules() {
        let teams = plan(3).unwrap();
        assert_eq!(adjust_storage(Some(&teams), true, Some(1), 4, 0), Ok(5));
        assert_eq!(adjust_storage(Some(&teams), true, Some(5), -10, 0), Ok(1));
        assert_eq!(
            adjust_storage(Some(&teams), true, Some(1), 0, 0),
            Err(StorageRefusal::Zero)
        );
        assert!(
            matches!(adjust_storage(Some(&teams), true, Some(90), 11, 0),
            Err(StorageRefusal::Message(m)) if m == "Maximum storage is 100 GB.")
        );
        assert!(
            matches!(adjust_storage(Some(&plan(0).unwrap()), true, Some(0), 1, 0),
            Err(StorageRefusal::Message(m)) if m == "Plan does not allow additional storage.")
        );
        assert!(
            matches!(adjust_storage(Some(&teams), true, Some(5), -4, 3 * 1024 * 1024 * 1024),
            Err(StorageRefusal::Message(m)) if m.starts_with("You are currently using 3 GB"))
        );
    }

    #[test]
    fn one_free_org_per_admin() {
        assert!(check_free_org(0, 1).is_err());
        assert!(check_free_org(0, 0).is_ok());
        assert!(check_free_org(3, 5).is_ok());
    }
}
