//! Organization policies (`PolicyType`): their numbers and names, which policies need which
//! (turning one on or off in the wrong order is refused in the server's words), what their
//! data may hold, and what the enforced ones ask of a member who joins: the Single
//! organization policy and two-step login (`SingleOrganizationPolicyRequirement`,
//! `RequireTwoFactorPolicyRequirement`). Owners and admins are exempt from both.

use super::role::{MemberStatus, MemberType};
use serde_json::{Map, Value};

/// A policy type, by the server's number and display name (`PolicyTypeExtensions.GetName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyType {
    /// The wire number.
    pub number: i64,
    /// The enum member's name (what "Invalid data for {type} policy" says).
    pub ident: &'static str,
    /// The name the server shows.
    pub name: &'static str,
}

macro_rules! policy_types {
    ($($n:literal $ident:ident $name:literal),* $(,)?) => {
        /// Every policy type the server knows, by number.
        pub const POLICY_TYPES: &[PolicyType] = &[
            $(PolicyType { number: $n, ident: stringify!($ident), name: $name }),*
        ];
    };
}

policy_types! {
    0 TwoFactorAuthentication "Require two-step login",
    1 MasterPassword "Master password requirements",
    2 PasswordGenerator "Password generator",
    3 SingleOrg "Single organization",
    4 RequireSso "Require single sign-on authentication",
    5 OrganizationDataOwnership "Enforce organization data ownership",
    6 DisableSend "Remove Send",
    7 SendOptions "Send options",
    8 ResetPassword "Account recovery administration",
    9 MaximumVaultTimeout "Vault timeout",
    10 DisablePersonalVaultExport "Remove individual vault export",
    11 ActivateAutofill "Active auto-fill",
    12 AutomaticAppLogIn "Automatic login with SSO",
    13 FreeFamiliesSponsorshipPolicy "Remove Free Bitwarden Families sponsorship",
    14 RemoveUnlockWithPin "Remove unlock with PIN",
    15 RestrictedItemTypesPolicy "Restricted item types",
    16 UriMatchDefaults "URI match defaults",
    17 AutotypeDefaultSetting "Autotype default setting",
    18 AutomaticUserConfirmation "Automatically confirm invited users",
    19 BlockClaimedDomainAccountCreation "Block account creation for claimed domains",
    20 OrganizationUserNotification "Vault banner message",
    21 SendControls "Send controls",
    22 FillAssist "Fill Assist",
}

/// Two-step login.
pub const TWO_FACTOR: i64 = 0;
/// Master password requirements.
pub const MASTER_PASSWORD: i64 = 1;
/// Single organization.
pub const SINGLE_ORG: i64 = 3;
/// Account recovery (reset password), with `autoEnrollEnabled`.
pub const RESET_PASSWORD: i64 = 8;

/// The policy type with this number.
pub fn policy_type(number: i64) -> Option<PolicyType> {
    POLICY_TYPES.iter().copied().find(|t| t.number == number)
}

/// The policy type named `text`: its number, or its enum name in any case (how ASP.NET binds a
/// `{type}` route value).
pub fn parse_policy_type(text: &str) -> Option<PolicyType> {
    match text.parse::<i64>() {
        Ok(n) => policy_type(n),
        Err(_) => POLICY_TYPES
            .iter()
            .copied()
            .find(|t| t.ident.eq_ignore_ascii_case(text)),
    }
}

/// The policies a policy needs on (`IEnforceDependentPoliciesEvent.RequiredPolicies`).
pub fn required_policies(number: i64) -> &'static [i64] {
    match number {
        4 | 8 | 9 | 16 | 18 | 20 => &[SINGLE_ORG],
        _ => &[],
    }
}

fn name(number: i64) -> &'static str {
    policy_type(number).map_or("Unknown", |t| t.name)
}

/// Turning policy `number` on or off, with `enabled_now` the numbers of the organization's
/// enabled policies: the server's refusal when a policy it needs is off, or one that needs it
/// is on.
pub fn check_dependencies(number: i64, enable: bool, enabled_now: &[i64]) -> Result<(), String> {
    let currently = enabled_now.contains(&number);
    if enable && !currently {
        if let Some(missing) = required_policies(number)
            .iter()
            .find(|r| !enabled_now.contains(r))
        {
            return Err(format!(
                "Turn on the {} policy because it is required for the {} policy.",
                name(*missing),
                name(number)
            ));
        }
    } else if !enable && currently {
        let dependents: Vec<i64> = enabled_now
            .iter()
            .copied()
            .filter(|d| required_policies(*d).contains(&number))
            .collect();
        match dependents.as_slice() {
            [] => {}
            [one] => {
                return Err(format!(
                    "Turn off the {} policy because it requires the {} policy.",
                    name(*one),
                    name(number)
                ))
            }
            _ => {
                return Err(format!(
                    "Turn off all of the policies that require the {} policy.",
                    name(number)
                ))
            }
        }
    }
    Ok(())
}

/// Checks a policy's `data` as `PolicyDataValidator` does: the typed fields of the master
/// password and reset-password policies, with the server's messages.
pub fn check_data(t: PolicyType, data: &Map<String, Value>) -> Result<(), String> {
    let invalid = |field: &str| {
        format!(
            "Invalid data for {} policy: {field} has an invalid value.",
            t.ident
        )
    };
    let typed: &[(&str, FieldKind)] = match t.number {
        MASTER_PASSWORD => &[
            ("minComplexity", FieldKind::Int(0, 4, "MinComplexity")),
            ("minLength", FieldKind::Int(12, 128, "MinLength")),
            ("requireLower", FieldKind::Bool),
            ("requireUpper", FieldKind::Bool),
            ("requireNumbers", FieldKind::Bool),
            ("requireSpecial", FieldKind::Bool),
            ("enforceOnLogin", FieldKind::Bool),
        ],
        RESET_PASSWORD => &[("autoEnrollEnabled", FieldKind::Bool)],
        _ => &[],
    };
    let mut ranges = Vec::new();
    for (field, kind) in typed {
        let Some(v) = data.get(*field).filter(|v| !v.is_null()) else {
            continue;
        };
        match kind {
            FieldKind::Bool if !v.is_boolean() => return Err(invalid(field)),
            FieldKind::Int(lo, hi, display) => {
                let n = v.as_i64().ok_or_else(|| invalid(field))?;
                if n < *lo || n > *hi {
                    ranges.push(format!(
                        "The field {display} must be between {lo} and {hi}."
                    ));
                }
            }
            _ => {}
        }
    }
    if !ranges.is_empty() {
        return Err(format!(
            "Invalid data for {} policy: {}",
            t.ident,
            ranges.join(", ")
        ));
    }
    Ok(())
}

enum FieldKind {
    Bool,
    Int(i64, i64, &'static str),
}

/// One of a user's memberships, with the policies its organization enforces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affiliation {
    /// The organization.
    pub organization_id: String,
    /// The user's role there.
    pub member_type: MemberType,
    /// The membership's status.
    pub status: MemberStatus,
    /// That organization has the Single organization policy on.
    pub single_org: bool,
    /// That organization has the two-step login policy on.
    pub two_factor: bool,
}

impl Affiliation {
    fn exempt(&self) -> bool {
        matches!(self.member_type, MemberType::Owner | MemberType::Admin)
    }

    fn active(&self) -> bool {
        matches!(
            self.status,
            MemberStatus::Accepted | MemberStatus::Confirmed
        )
    }
}

/// Why the Single organization policy keeps a user out of an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SingleOrgRefusal {
    /// The target enforces it and the user belongs to another organization.
    MemberOfAnotherOrg,
    /// Another organization the user is active in enforces it.
    ForbiddenByOtherOrg,
}

/// `SingleOrganizationPolicyRequirement.CanJoinOrganization` for `target`.
pub fn single_org_refusal(target: &str, all: &[Affiliation]) -> Option<SingleOrgRefusal> {
    let enforced = |a: &&Affiliation| a.single_org && !a.exempt();
    let target_enforces = all
        .iter()
        .filter(enforced)
        .any(|a| a.organization_id == target);
    if target_enforces && all.iter().any(|a| a.organization_id != target) {
        return Some(SingleOrgRefusal::MemberOfAnotherOrg);
    }
    let other_enforces = all
        .iter()
        .filter(enforced)
        .any(|a| a.organization_id != target && a.active());
    other_enforces.then_some(SingleOrgRefusal::ForbiddenByOtherOrg)
}

/// `SingleOrganizationPolicyRequirement.CanCreateOrganization`: a user accepted or confirmed
/// (not as owner or admin) in an organization with the Single organization policy on cannot
/// create another organization.
pub const CANNOT_CREATE_ORG: &str = "You cannot create a new organization vault because your current membership doesn't allow you to join or create additional organization vaults.";

/// The refusal of a new organization for a user with these memberships, if any.
pub fn create_org_refusal(all: &[Affiliation]) -> Option<&'static str> {
    all.iter()
        .any(|a| a.single_org && !a.exempt() && a.active())
        .then_some(CANNOT_CREATE_ORG)
}

/// Whether `target` makes this user turn on two-step login first (owners and admins exempt).
pub fn two_factor_required(target: &str, all: &[Affiliation]) -> bool {
    all.iter()
        .any(|a| a.organization_id == target && a.two_factor && !a.exempt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(org: &str, t: MemberType, s: MemberStatus, single: bool) -> Affiliation {
        Affiliation {
            organization_id: org.into(),
            member_type: t,
            status: s,
            single_org: single,
            two_factor: false,
        }
    }

    #[test]
    fn dependent_policies_are_refused_in_the_servers_words() {
        assert_eq!(
            check_dependencies(RESET_PASSWORD, true, &[]).unwrap_err(),
            "Turn on the Single organization policy because it is required for the Account recovery administration policy."
        );
        assert!(check_dependencies(RESET_PASSWORD, true, &[SINGLE_ORG]).is_ok());
        assert_eq!(
            check_dependencies(SINGLE_ORG, false, &[SINGLE_ORG, RESET_PASSWORD]).unwrap_err(),
            "Turn off the Account recovery administration policy because it requires the Single organization policy."
        );
        assert!(
            check_dependencies(SINGLE_ORG, false, &[SINGLE_ORG, RESET_PASSWORD, 4])
                .unwrap_err()
                .starts_with("Turn off all of the policies")
        );
        assert_eq!(parse_policy_type("singleorg").map(|t| t.number), Some(3));
        assert_eq!(
            parse_policy_type("8").map(|t| t.ident),
            Some("ResetPassword")
        );
    }

    #[test]
    fn policy_data_is_checked_like_the_server() {
        let mp = policy_type(MASTER_PASSWORD).unwrap();
        let data = |v: Value| v.as_object().cloned().unwrap();
        assert!(check_data(mp, &data(serde_json::json!({"minLength": 14}))).is_ok());
        assert_eq!(
            check_data(mp, &data(serde_json::json!({"minLength": 4}))).unwrap_err(),
            "Invalid data for MasterPassword policy: The field MinLength must be between 12 and 128."
        );
        let rp = policy_type(RESET_PASSWORD).unwrap();
        assert_eq!(
            check_data(rp, &data(serde_json::json!({"autoEnrollEnabled": "yes"}))).unwrap_err(),
            "Invalid data for ResetPassword policy: autoEnrollEnabled has an invalid value."
        );
    }

    #[test]
    fn single_org_keeps_members_of_other_orgs_out_but_not_admins() {
        use MemberStatus::*;
        use MemberType::*;
        let joining = a("t", User, Invited, true);
        let elsewhere = a("o", User, Confirmed, false);
        assert_eq!(
            single_org_refusal("t", &[joining.clone(), elsewhere.clone()]),
            Some(SingleOrgRefusal::MemberOfAnotherOrg)
        );
        let as_admin = a("t", Admin, Invited, true);
        assert_eq!(single_org_refusal("t", &[as_admin, elsewhere]), None);
        let other_forbids = a("o", User, Confirmed, true);
        let plain = a("t", User, Invited, false);
        assert_eq!(
            single_org_refusal("t", &[plain, other_forbids]),
            Some(SingleOrgRefusal::ForbiddenByOtherOrg)
        );
        let mut tf = a("t", User, Invited, false);
        tf.two_factor = true;
        assert!(two_factor_required("t", &[tf.clone()]));
        tf.member_type = Owner;
        assert!(!two_factor_required("t", &[tf]));
    }

    #[test]
    fn single_org_keeps_its_active_members_from_creating_an_organization() {
        use MemberStatus::*;
        use MemberType::*;
        assert_eq!(
            create_org_refusal(&[a("t", User, Confirmed, true)]),
            Some(CANNOT_CREATE_ORG)
        );
        assert_eq!(create_org_refusal(&[a("t", User, Invited, true)]), None);
        assert_eq!(create_org_refusal(&[a("t", Admin, Confirmed, true)]), None);
        assert_eq!(create_org_refusal(&[a("t", User, Accepted, false)]), None);
    }
}
