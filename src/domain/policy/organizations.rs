//! Organizations: who sees and manages one, who changes an organization role and who resolves
//! a held change of one, and who submits KYC for a child enterprise's user.

use crate::domain::error::{Error, Result};
use crate::domain::role::OrgRole;

fn unknown_organization(org_id: &str) -> Error {
    Error::NotFound(format!("organization {org_id} not found"))
}

/// Any member of an organization may read it; to anyone else it does not exist (404).
/// `role` is the caller's role in the organization, if any.
pub fn may_view_organization(role: Option<OrgRole>, org_id: &str) -> Result<OrgRole> {
    role.ok_or_else(|| unknown_organization(org_id))
}

/// Only organization admins manage an organization: its users and its child enterprises.
/// Non-members get a 404 (the organization is not theirs to know about), members a 403.
pub fn may_manage_organization(role: Option<OrgRole>, org_id: &str) -> Result<()> {
    match may_view_organization(role, org_id)? {
        OrgRole::Admin => Ok(()),
        other => Err(Error::Forbidden(format!(
            "only organization admins can do this; your role in organization {org_id} is {}",
            other.as_str()
        ))),
    }
}

/// Nobody changes or removes their own organization role: another organization admin must,
/// so an admin can never make himself the service user (or step around the last-admin rule).
pub fn may_change_organization_member(caller_id: &str, target_id: &str) -> Result<()> {
    if caller_id == target_id {
        return Err(Error::Forbidden(
            "you cannot change your own organization role: another organization admin must".into(),
        ));
    }
    Ok(())
}

/// Who may resolve a held organization role change (`updateOrganizationRequest`): an admin
/// of the organization who is neither the member it changes (approving or rejecting) nor,
/// when approving, its creator (who may still reject, i.e. cancel, it). `actor_role` is the
/// resolver's role in the organization now.
pub fn may_resolve_organization_change(
    actor_id: &str,
    creator_id: &str,
    target_id: &str,
    actor_role: Option<OrgRole>,
    approving: bool,
) -> Result<()> {
    if actor_id == target_id {
        return Err(Error::Forbidden(
            "this request changes your own organization role: another organization admin must \
             resolve it"
                .into(),
        ));
    }
    if approving && actor_id == creator_id {
        return Err(Error::Forbidden(
            "you cannot approve your own request: another organization admin must approve it"
                .into(),
        ));
    }
    match actor_role {
        Some(OrgRole::Admin) => Ok(()),
        _ => Err(Error::Forbidden(
            "only organization admins may approve or reject an organization role change".into(),
        )),
    }
}

/// KYC for a child enterprise's user is submitted with the service user's token (BitGo's
/// guide); orgbox also lets organization admins submit it. Others in the organization get a
/// 403, outsiders a 404.
pub fn may_submit_kyc(role: Option<OrgRole>, org_id: &str) -> Result<()> {
    match may_view_organization(role, org_id)? {
        OrgRole::ServiceUser | OrgRole::Admin => Ok(()),
        other => Err(Error::Forbidden(format!(
            "only the organization's service user or an organization admin can submit KYC; your role in organization {org_id} is {}",
            other.as_str()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_access_by_role() {
        assert!(matches!(
            may_view_organization(None, "o"),
            Err(Error::NotFound(_))
        ));
        assert!(may_view_organization(Some(OrgRole::Customer), "o").is_ok());
        assert!(may_manage_organization(Some(OrgRole::Admin), "o").is_ok());
        for role in [OrgRole::Member, OrgRole::ServiceUser, OrgRole::Customer] {
            assert!(matches!(
                may_manage_organization(Some(role), "o"),
                Err(Error::Forbidden(_))
            ));
        }
        assert!(matches!(
            may_manage_organization(None, "o"),
            Err(Error::NotFound(_))
        ));
        assert!(may_submit_kyc(Some(OrgRole::ServiceUser), "o").is_ok());
        assert!(may_submit_kyc(Some(OrgRole::Admin), "o").is_ok());
        assert!(may_submit_kyc(Some(OrgRole::Member), "o").is_err());
    }

    #[test]
    fn nobody_changes_their_own_organization_role() {
        assert!(matches!(
            may_change_organization_member("a", "a"),
            Err(Error::Forbidden(_))
        ));
        assert!(may_change_organization_member("a", "b").is_ok());
    }

    #[test]
    fn organization_role_changes_are_resolved_by_another_admin_who_is_not_the_target() {
        use OrgRole::*;
        // (actor, role of actor, approving, allowed); creator "c", target "t".
        let table = [
            ("d", Some(Admin), true, true),
            ("d", Some(Admin), false, true),
            ("c", Some(Admin), true, false),
            ("c", Some(Admin), false, true),
            ("t", Some(Admin), true, false),
            ("t", Some(Admin), false, false),
            ("d", Some(ServiceUser), true, false),
            ("d", Some(Member), false, false),
            ("d", None, true, false),
        ];
        for (actor, role, approving, allowed) in table {
            let r = may_resolve_organization_change(actor, "c", "t", role, approving);
            assert_eq!(r.is_ok(), allowed, "{actor} {role:?} {approving}: {r:?}");
            if let Err(e) = r {
                assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
            }
        }
    }
}
