//! Accepting an invitation: the refusals that follow a valid link token, in the order and
//! words of `AcceptOrgUserByEmailTokenAsync`, and how long a link is good for.

use super::role::MemberStatus;

/// The access invitation to an organization's member rows, as `AcceptOrgUserByEmailTokenAsync`
/// and `AcceptOrgUserAsync` check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptFacts {
    /// Rows of this organization already held by the accepting user (by its email).
    pub rows_of_user_here: i64,
    /// The invitation row's status.
    pub status: MemberStatus,
    /// The address the invitation was sent to, if the row still has it.
    pub invited_email: Option<String>,
    /// The accepting user's email.
    pub user_email: String,
}

/// The acceptance refusals that follow a valid token, in the server's order (revoked rows
/// name the organization: `org_name`).
pub fn check_accept(f: &AcceptFacts, org_name: &str) -> Result<(), String> {
    if f.rows_of_user_here > 0 {
        return Err(if f.status == MemberStatus::Accepted {
            "Invitation already accepted. You will receive an email when your organization membership is confirmed.".into()
        } else {
            "You are already part of this organization.".into()
        });
    }
    let matches = f
        .invited_email
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case(&f.user_email));
    if !matches {
        return Err("User email does not match invite.".into());
    }
    if f.status == MemberStatus::Revoked {
        return Err(format!(
            "Your access to the {org_name} vault has been revoked."
        ));
    }
    if f.status != MemberStatus::Invited {
        return Err("Already accepted.".into());
    }
    Ok(())
}

/// How long an invitation link is good for (`OrgUserInviteTokenable`): five days.
pub const INVITE_LIFETIME_MS: i64 = 5 * 24 * 3600 * 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptance_names_what_is_wrong() {
        let f = AcceptFacts {
            rows_of_user_here: 0,
            status: MemberStatus::Invited,
            invited_email: Some("a@x.test".into()),
            user_email: "A@x.test".into(),
        };
        assert_eq!(check_accept(&f, "O"), Ok(()));
        let other = AcceptFacts {
            user_email: "b@x.test".into(),
            ..f.clone()
        };
        assert_eq!(
            check_accept(&other, "O").unwrap_err(),
            "User email does not match invite."
        );
        let revoked = AcceptFacts {
            status: MemberStatus::Revoked,
            ..f.clone()
        };
        assert_eq!(
            check_accept(&revoked, "O").unwrap_err(),
            "Your access to the O vault has been revoked."
        );
        let twice = AcceptFacts {
            rows_of_user_here: 1,
            status: MemberStatus::Accepted,
            ..f
        };
        assert!(check_accept(&twice, "O")
            .unwrap_err()
            .starts_with("Invitation already accepted."));
    }
}
