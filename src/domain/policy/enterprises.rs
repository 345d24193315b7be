//! Enterprises and their approvals: who sees and manages an enterprise (a child enterprise
//! included), who sees a pending approval, and who resolves it (an admin's approval, a video
//! approver's for a large withdrawal).

use crate::domain::error::{Error, Result};
use crate::domain::role::{EnterprisePermission, OrgRole};

/// A user may view an enterprise they are a member of (with any permission).
pub fn may_view_enterprise(membership: Option<&[EnterprisePermission]>) -> Result<()> {
    match membership {
        Some(_) => Ok(()),
        None => Err(Error::Forbidden(
            "you are not a member of this enterprise".into(),
        )),
    }
}

/// Only an admin of the enterprise may add, remove or re-role its users, or change its
/// settings. `membership` is the caller's permissions on it (`None`: not a member).
pub fn may_manage_enterprise(membership: Option<&[EnterprisePermission]>) -> Result<()> {
    match membership {
        None => Err(Error::Forbidden(
            "you are not a member of this enterprise".into(),
        )),
        Some(p) if p.contains(&EnterprisePermission::Admin) => Ok(()),
        Some(_) => Err(Error::Forbidden(
            "only enterprise admins may change the enterprise's users or settings".into(),
        )),
    }
}

/// Who sees a pending approval: the users it lists, and members of its enterprise.
pub fn may_view_approval(listed: bool, membership: Option<&[EnterprisePermission]>) -> Result<()> {
    if listed || membership.is_some() {
        Ok(())
    } else {
        Err(Error::NotFound("pending approval not found".into()))
    }
}

/// Who may resolve a pending approval: only an admin of its enterprise; the creator may
/// reject (cancel) their own request but never approve it.
pub fn may_resolve_approval(
    actor_id: &str,
    creator_id: &str,
    membership: Option<&[EnterprisePermission]>,
    approving: bool,
) -> Result<()> {
    if approving && actor_id == creator_id {
        return Err(Error::Forbidden(
            "you cannot approve your own request: another admin of the enterprise must approve it"
                .into(),
        ));
    }
    match membership {
        Some(p) if p.contains(&EnterprisePermission::Admin) => Ok(()),
        _ => Err(Error::Forbidden(
            "only admins of the enterprise may approve or reject this pending approval".into(),
        )),
    }
}

/// A child enterprise is visible to its members and to the admins of its organization
/// ("organization admins can access child enterprise details"); to anyone else it does not
/// exist (404, so outsiders cannot probe for ids).
pub fn may_view_child_enterprise(
    membership: Option<&[EnterprisePermission]>,
    org_role: Option<OrgRole>,
    enterprise_id: &str,
) -> Result<()> {
    if membership.is_some() || org_role == Some(OrgRole::Admin) {
        Ok(())
    } else {
        Err(Error::NotFound(format!(
            "enterprise {enterprise_id} not found"
        )))
    }
}

/// Who sees an enterprise: a child enterprise as [`may_view_child_enterprise`] says, any other
/// as [`may_view_enterprise`].
pub fn may_view_enterprise_of_kind(
    child: bool,
    membership: Option<&[EnterprisePermission]>,
    org_role: Option<OrgRole>,
    enterprise_id: &str,
) -> Result<()> {
    if child {
        may_view_child_enterprise(membership, org_role, enterprise_id)
    } else {
        may_view_enterprise(membership)
    }
}

/// Who may approve or reject a withdrawal waiting for a video approval: one of the
/// enterprise's video approvers, never its initiator (who may still reject, i.e. cancel it).
pub fn may_resolve_video_approval(
    actor_id: &str,
    creator_id: &str,
    video_approvers: &[String],
    approving: bool,
) -> Result<()> {
    if actor_id == creator_id {
        return if approving {
            Err(Error::Forbidden(
                "you cannot approve your own withdrawal: another video approver must".into(),
            ))
        } else {
            Ok(())
        };
    }
    if video_approvers.iter().any(|v| v == actor_id) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the enterprise's video approvers may approve or reject this withdrawal".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_other_video_approvers_approve_large_withdrawals() {
        let approvers = vec!["v".to_string(), "c".to_string()];
        assert!(may_resolve_video_approval("v", "c", &approvers, true).is_ok());
        assert!(may_resolve_video_approval("c", "c", &approvers, true).is_err());
        assert!(may_resolve_video_approval("c", "c", &approvers, false).is_ok());
        assert!(may_resolve_video_approval("x", "c", &approvers, true).is_err());
    }

    #[test]
    fn non_member_cannot_view_enterprise() {
        assert!(may_view_enterprise(None).is_err());
        assert!(may_view_enterprise(Some(&[EnterprisePermission::Auditor])).is_ok());
    }

    #[test]
    fn only_enterprise_admins_manage_users() {
        assert!(may_manage_enterprise(None).is_err());
        assert!(may_manage_enterprise(Some(&[EnterprisePermission::Auditor])).is_err());
        assert!(may_manage_enterprise(Some(&[EnterprisePermission::Admin])).is_ok());
    }

    #[test]
    fn creator_cannot_approve_own_request_but_may_reject_it() {
        let admin: &[EnterprisePermission] = &[EnterprisePermission::Admin];
        let err = may_resolve_approval("a", "a", Some(admin), true).unwrap_err();
        assert!(err.to_string().contains("your own request"), "{err}");
        assert!(may_resolve_approval("a", "a", Some(admin), false).is_ok());
        assert!(may_resolve_approval("b", "a", Some(admin), true).is_ok());
        assert!(
            may_resolve_approval("b", "a", Some(&[EnterprisePermission::Auditor]), true).is_err()
        );
        assert!(may_resolve_approval("b", "a", None, false).is_err());
    }

    #[test]
    fn outsiders_do_not_see_approvals() {
        assert!(matches!(
            may_view_approval(false, None),
            Err(Error::NotFound(_))
        ));
        assert!(may_view_approval(true, None).is_ok());
        assert!(may_view_approval(false, Some(&[EnterprisePermission::Member])).is_ok());
    }

    #[test]
    fn child_enterprises_are_hidden_from_outsiders() {
        assert!(may_view_child_enterprise(None, Some(OrgRole::Admin), "e").is_ok());
        assert!(may_view_child_enterprise(Some(&[]), None, "e").is_ok());
        for role in [None, Some(OrgRole::Member), Some(OrgRole::ServiceUser)] {
            assert!(matches!(
                may_view_child_enterprise(None, role, "e"),
                Err(Error::NotFound(_))
            ));
        }
    }
}
