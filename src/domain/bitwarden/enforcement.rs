//! What turning a policy on does to the members already in the organization, as the server's
//! `SingleOrgPolicyEventHandler` and `TwoFactorAuthenticationPolicyEventHandler` do it before
//! the policy is saved: accepted and confirmed members who are not owners or admins (and not
//! the member turning it on) are revoked when they do not comply, each with its own event
//! type and a mail. Turning a policy off, or saving one already on, changes no member.

use super::events::types;
use super::org_policies::{SINGLE_ORG, TWO_FACTOR};
use super::role::{MemberStatus, MemberType, RevocationReason};

/// `TwoFactorAuthenticationPolicyEventHandler.NonCompliantMembersWillLoseAccessMessage`.
pub const MEMBERS_WOULD_LOSE_ACCESS: &str = "Policy could not be enabled. Non-compliant members will lose access to their accounts. Identify members without two-step login from the policies column in the members page.";

/// What the policy handlers look at in one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberFacts {
    /// The member's role.
    pub member_type: MemberType,
    /// The member's status.
    pub status: MemberStatus,
    /// The member is the user turning the policy on.
    pub is_actor: bool,
    /// The user is accepted, confirmed or revoked in another organization.
    pub in_other_org: bool,
    /// The user has a two-step login method.
    pub two_factor: bool,
    /// The user has a master password.
    pub has_master_password: bool,
}

impl MemberFacts {
    /// Accepted or confirmed, neither owner nor admin, not the acting user.
    fn revocable(&self) -> bool {
        matches!(
            self.status,
            MemberStatus::Accepted | MemberStatus::Confirmed
        ) && !matches!(self.member_type, MemberType::Owner | MemberType::Admin)
            && !self.is_actor
    }
}

/// How a policy that acts on members revokes them: the event it records and the mail it sends.
#[derive(Debug, Clone, Copy)]
pub struct Revocation {
    /// `OrganizationUser_Revoked_...NonCompliance`.
    pub event_type: i64,
    /// The reason kept on the member (`RevocationReason`).
    pub reason: RevocationReason,
    /// The mail's body for organization `name` (subject: [`revoked_subject`]).
    pub mail_body: fn(&str) -> String,
}

/// The subject of a revocation mail (`You have been revoked from {organization}`).
pub fn revoked_subject(org_name: &str) -> String {
    format!("You have been revoked from {org_name}")
}

fn single_org_mail(org: &str) -> String {
    format!("Your user account has been revoked from the {org} vault because your account is part of multiple organization vaults. Before you can rejoin, you must first leave all other organizations.\n\nTo leave an organization, first log into the web app. On the All vaults page, select the More options menu next to the organization name, and select Leave.")
}

fn two_factor_mail(org: &str) -> String {
    format!("Your user account has been revoked from the {org} vault because you do not have two-step login configured. Before you can rejoin, you need to set up two-step login for your user account.\n\nLearn how to enable two-step login on your user account at https://help.bitwarden.com/article/setup-two-step-login/")
}

/// The revocation policy `number` performs when it goes from off (`was_enabled` false) to on;
/// `None` for every other change.
pub fn revocation_on_enable(number: i64, was_enabled: bool, enable: bool) -> Option<Revocation> {
    if was_enabled || !enable {
        return None;
    }
    match number {
        SINGLE_ORG => Some(Revocation {
            event_type: types::MEMBER_REVOKED_SINGLE_ORG,
            reason: RevocationReason::SingleOrgPolicyNonCompliance,
            mail_body: single_org_mail,
        }),
        TWO_FACTOR => Some(Revocation {
            event_type: types::MEMBER_REVOKED_TWO_FACTOR,
            reason: RevocationReason::TwoFactorPolicyNonCompliance,
            mail_body: two_factor_mail,
        }),
        _ => None,
    }
}

/// The indexes of the members policy `number` revokes when turned on, or the server's refusal
/// (two-step login refuses when a member without a master password would lose access).
pub fn non_compliant(number: i64, members: &[MemberFacts]) -> Result<Vec<usize>, &'static str> {
    let revocable = members.iter().enumerate().filter(|(_, m)| m.revocable());
    match number {
        SINGLE_ORG => Ok(revocable
            .filter(|(_, m)| m.in_other_org)
            .map(|(i, _)| i)
            .collect()),
        TWO_FACTOR => {
            let out: Vec<(usize, &MemberFacts)> =
                revocable.filter(|(_, m)| !m.two_factor).collect();
            if out.iter().any(|(_, m)| !m.has_master_password) {
                return Err(MEMBERS_WOULD_LOSE_ACCESS);
            }
            Ok(out.into_iter().map(|(i, _)| i).collect())
        }
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberStatus::*;
    use MemberType::*;

    fn m(t: MemberType, s: MemberStatus) -> MemberFacts {
        MemberFacts {
            member_type: t,
            status: s,
            is_actor: false,
            in_other_org: true,
            two_factor: false,
            has_master_password: true,
        }
    }

    #[test]
    fn only_turning_single_org_or_two_step_login_on_revokes() {
        assert!(revocation_on_enable(SINGLE_ORG, false, true).is_some());
        assert!(revocation_on_enable(TWO_FACTOR, false, true).is_some());
        assert!(revocation_on_enable(SINGLE_ORG, true, true).is_none());
        assert!(revocation_on_enable(SINGLE_ORG, false, false).is_none());
        assert!(revocation_on_enable(1, false, true).is_none());
        let r = revocation_on_enable(TWO_FACTOR, false, true).unwrap();
        assert_eq!(r.event_type, 1520);
        assert!((r.mail_body)("Vandelay").contains("the Vandelay vault"));
    }

    #[test]
    fn owners_admins_the_actor_and_invited_or_revoked_members_are_spared() {
        let mut actor = m(User, Confirmed);
        actor.is_actor = true;
        let mut alone = m(User, Confirmed);
        alone.in_other_org = false;
        let all = [
            m(Owner, Confirmed),
            m(Admin, Confirmed),
            m(User, Invited),
            m(User, Revoked),
            actor,
            alone,
            m(Custom, Accepted),
            m(User, Confirmed),
        ];
        assert_eq!(non_compliant(SINGLE_ORG, &all), Ok(vec![6, 7]));
        let mut with_2fa = m(User, Confirmed);
        with_2fa.two_factor = true;
        assert_eq!(
            non_compliant(TWO_FACTOR, &[with_2fa, m(User, Confirmed)]),
            Ok(vec![1])
        );
        assert_eq!(non_compliant(1, &all), Ok(vec![]));
    }

    #[test]
    fn two_step_login_refuses_when_a_member_without_a_master_password_would_lose_access() {
        let mut no_mp = m(User, Confirmed);
        no_mp.has_master_password = false;
        assert_eq!(
            non_compliant(TWO_FACTOR, &[m(User, Confirmed), no_mp]),
            Err(MEMBERS_WOULD_LOSE_ACCESS)
        );
        no_mp.two_factor = true;
        assert_eq!(non_compliant(TWO_FACTOR, &[no_mp]), Ok(vec![]));
    }
}
