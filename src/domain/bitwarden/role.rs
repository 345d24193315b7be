//! Membership roles, statuses and the custom permissions object.

use serde::{Deserialize, Serialize};

/// Why a member was revoked (the server's `RevocationReason`, answered as
/// `revocationReason`; `null` while the member is not revoked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationReason {
    /// Revoked by an admin (or the Public API, or SCIM).
    Manual = 1,
    /// Revoked when the two-step login policy was turned on.
    TwoFactorPolicyNonCompliance = 2,
    /// Revoked when the single organization policy was turned on.
    SingleOrgPolicyNonCompliance = 4,
}

impl RevocationReason {
    /// The stored and answered number.
    pub fn as_i64(self) -> i64 {
        self as i64
    }
}

/// A member's role (`OrganizationUserType`). Manager (3) was deleted from the server in 2024;
/// it is still accepted on input as the legacy name of a custom role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberType {
    /// 0
    Owner,
    /// 1
    Admin,
    /// 2
    User,
    /// 4 (and the legacy 3, Manager)
    Custom,
}

impl MemberType {
    /// Parses the wire integer; 3 (Manager) becomes Custom.
    pub fn from_i64(v: i64) -> Option<MemberType> {
        match v {
            0 => Some(MemberType::Owner),
            1 => Some(MemberType::Admin),
            2 => Some(MemberType::User),
            3 | 4 => Some(MemberType::Custom),
            _ => None,
        }
    }

    /// Parses a config name (`owner`, `admin`, `user`, `custom`, `manager`).
    pub fn from_name(name: &str) -> Option<MemberType> {
        match name.to_ascii_lowercase().as_str() {
            "owner" => Some(MemberType::Owner),
            "admin" => Some(MemberType::Admin),
            "user" => Some(MemberType::User),
            "custom" | "manager" => Some(MemberType::Custom),
            _ => None,
        }
    }

    /// The wire integer.
    pub fn as_i64(self) -> i64 {
        match self {
            MemberType::Owner => 0,
            MemberType::Admin => 1,
            MemberType::User => 2,
            MemberType::Custom => 4,
        }
    }

    /// The access-token claim naming this role (`orgowner`, ...).
    pub fn claim(self) -> &'static str {
        match self {
            MemberType::Owner => "orgowner",
            MemberType::Admin => "orgadmin",
            MemberType::User => "orguser",
            MemberType::Custom => "orgcustom",
        }
    }
}

/// Membership status (`OrganizationUserStatusType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberStatus {
    /// -1
    Revoked,
    /// 0
    Invited,
    /// 1
    Accepted,
    /// 2
    Confirmed,
}

impl MemberStatus {
    /// Parses the wire integer.
    pub fn from_i64(v: i64) -> Option<MemberStatus> {
        match v {
            -1 => Some(MemberStatus::Revoked),
            0 => Some(MemberStatus::Invited),
            1 => Some(MemberStatus::Accepted),
            2 => Some(MemberStatus::Confirmed),
            _ => None,
        }
    }

    /// Parses a config name (`revoked`, `invited`, `accepted`, `confirmed`).
    pub fn from_name(name: &str) -> Option<MemberStatus> {
        match name.to_ascii_lowercase().as_str() {
            "revoked" => Some(MemberStatus::Revoked),
            "invited" => Some(MemberStatus::Invited),
            "accepted" => Some(MemberStatus::Accepted),
            "confirmed" => Some(MemberStatus::Confirmed),
            _ => None,
        }
    }

    /// The wire integer.
    pub fn as_i64(self) -> i64 {
        match self {
            MemberStatus::Revoked => -1,
            MemberStatus::Invited => 0,
            MemberStatus::Accepted => 1,
            MemberStatus::Confirmed => 2,
        }
    }
}

/// The custom permissions object. Today's names, plus the seed's two removed ones, which are
/// read (case-insensitively, via the dialect's JSON reader) and never written out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Permissions {
    /// View event logs.
    pub access_event_logs: bool,
    /// Import and export.
    pub access_import_export: bool,
    /// Reports.
    pub access_reports: bool,
    /// Create collections.
    pub create_new_collections: bool,
    /// Edit any collection.
    pub edit_any_collection: bool,
    /// Delete any collection.
    pub delete_any_collection: bool,
    /// Manage groups.
    pub manage_groups: bool,
    /// Manage policies.
    pub manage_policies: bool,
    /// Manage SSO.
    pub manage_sso: bool,
    /// Manage members.
    pub manage_users: bool,
    /// Manage account recovery.
    pub manage_reset_password: bool,
    /// Manage SCIM.
    pub manage_scim: bool,
    /// Manage access rules (added Aug 2026).
    pub manage_access_rules: bool,
    /// Legacy (removed Sept 2024): accepted, not written out.
    #[serde(skip_serializing)]
    pub edit_assigned_collections: bool,
    /// Legacy (removed Sept 2024): accepted, not written out.
    #[serde(skip_serializing)]
    pub delete_assigned_collections: bool,
}

impl Permissions {
    /// The lower-case claim names of the permissions that are set (custom members only).
    pub fn claims(&self) -> Vec<&'static str> {
        let all = [
            (self.access_event_logs, "accesseventlogs"),
            (self.access_import_export, "accessimportexport"),
            (self.access_reports, "accessreports"),
            (self.create_new_collections, "createnewcollections"),
            (self.edit_any_collection, "editanycollection"),
            (self.delete_any_collection, "deleteanycollection"),
            (self.manage_groups, "managegroups"),
            (self.manage_policies, "managepolicies"),
            (self.manage_sso, "managesso"),
            (self.manage_users, "manageusers"),
            (self.manage_reset_password, "manageresetpassword"),
            (self.manage_scim, "managescim"),
            (self.manage_access_rules, "manageaccessrules"),
        ];
        all.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manager_is_accepted_as_custom_and_written_as_four() {
        assert_eq!(MemberType::from_i64(3), Some(MemberType::Custom));
        assert_eq!(MemberType::from_i64(3).unwrap().as_i64(), 4);
        assert_eq!(MemberType::from_i64(5), None);
        assert_eq!(MemberStatus::from_i64(-1), Some(MemberStatus::Revoked));
    }

    #[test]
    fn legacy_permission_names_are_read_but_not_written() {
        let p: Permissions =
            serde_json::from_str(r#"{"editAssignedCollections":true,"manageScim":true}"#).unwrap();
        assert!(p.edit_assigned_collections && p.manage_scim);
        let out = serde_json::to_value(&p).unwrap();
        assert!(out.get("editAssignedCollections").is_none());
        assert_eq!(out["manageAccessRules"], false);
        assert_eq!(p.claims(), ["managescim"]);
    }
}
