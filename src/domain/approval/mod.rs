//! Pending approvals: BitGo's states, who must approve, and the state machine an admin's
//! approval or rejection drives. Pure: the caller loads the approval and its resolutions,
//! asks [`resolve`], and writes what it answers in the same transaction.
//!
//! Who may resolve at all (an admin of the enterprise, never the creator approving their own)
//! is a permission rule and lives in `domain::policy`; this file only knows decisions and
//! counts, and `state.rs` the states.

use crate::domain::error::{Error, Result};

mod state;

pub use state::{ApprovalState, DEFAULT_LIST_STATES};

/// What a resolver asks for with `PUT .../pendingapprovals/{id} {state}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// `state: "approved"`.
    Approve,
    /// `state: "rejected"`.
    Reject,
}

impl Decision {
    /// Parses the requested `state`.
    pub fn parse(state: &str) -> Result<Decision> {
        match state {
            "approved" => Ok(Decision::Approve),
            "rejected" => Ok(Decision::Reject),
            other => Err(Error::Invalid(format!(
                "invalid state {other:?}: send \"approved\" or \"rejected\""
            ))),
        }
    }

    /// The stored action (`approve` | `reject`), also BitGo's `resolutionAction`.
    pub fn as_action(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }

    /// Parses a stored action.
    pub fn from_action(s: &str) -> Option<Decision> {
        match s {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            _ => None,
        }
    }
}

/// One admin's recorded decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Who.
    pub user_id: String,
    /// What.
    pub decision: Decision,
    /// When, ms.
    pub at_ms: i64,
}

/// What [`resolve`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded; more approvals are needed.
    StillPending,
    /// Enough approvals: apply the change now, in this transaction.
    Approved,
    /// Rejected: nothing is applied.
    Rejected,
}

impl Outcome {
    /// The state the approval moves to.
    pub fn state(self, current: ApprovalState) -> ApprovalState {
        match self {
            Outcome::StillPending => current,
            Outcome::Approved => ApprovalState::Approved,
            Outcome::Rejected => ApprovalState::Rejected,
        }
    }
}

/// Applies `actor`'s `decision` to an approval in `state` that needs `required` approvals and
/// already has `resolutions`. A resolved approval cannot be resolved again (409), nor can an
/// admin approve twice; one rejection rejects.
pub fn resolve(
    state: ApprovalState,
    required: u32,
    resolutions: &[Resolution],
    actor: &str,
    decision: Decision,
) -> Result<Outcome> {
    resolve_as(state, required, resolutions, actor, decision, false)
}

/// [`resolve`] for a withdrawal (`transactionRequest`): a video approver's approval also
/// moves a `pendingVideoApproval` on. Who may resolve is `policy::may_resolve_video_approval`.
pub fn resolve_transaction(
    state: ApprovalState,
    resolutions: &[Resolution],
    actor: &str,
    decision: Decision,
) -> Result<Outcome> {
    resolve_as(state, 1, resolutions, actor, decision, true)
}

fn resolve_as(
    state: ApprovalState,
    required: u32,
    resolutions: &[Resolution],
    actor: &str,
    decision: Decision,
    video: bool,
) -> Result<Outcome> {
    if !state.is_open() {
        return Err(Error::Conflict(format!(
            "this pending approval is already {} and cannot be resolved again",
            state.as_str()
        )));
    }
    if resolutions.iter().any(|r| r.user_id == actor) {
        return Err(Error::Conflict(
            "you have already resolved this pending approval".into(),
        ));
    }
    match decision {
        Decision::Reject => Ok(Outcome::Rejected),
        Decision::Approve
            if !(state.takes_admin_approval()
                || (video && state == ApprovalState::PendingVideoApproval)) =>
        {
            Err(Error::Invalid(format!(
                "a pending approval in state {} cannot be approved by an admin",
                state.as_str()
            )))
        }
        Decision::Approve => {
            let approvals = resolutions
                .iter()
                .filter(|r| r.decision == Decision::Approve)
                .count()
                + 1;
            if approvals >= required.max(1) as usize {
                Ok(Outcome::Approved)
            } else {
                Ok(Outcome::StillPending)
            }
        }
    }
}

/// Whether a change by an admin must wait for approval: only when another admin exists who
/// could approve it (a lone admin's change applies at once).
pub fn needs_approval(other_admins: usize) -> bool {
    other_admins > 0
}

/// The approvals a new request needs: the enterprise's setting, but never more than the
/// other admins who could give them (or it could never complete).
pub fn approvals_required_for(setting: u32, other_admins: usize) -> u32 {
    let cap = u32::try_from(other_admins).unwrap_or(u32::MAX).max(1);
    setting.clamp(1, cap)
}

/// Checks a requested `approvalsRequired`: at least 1, and no more than the admins other
/// than one requester could give.
pub fn check_approvals_required(requested: i64, admins: usize) -> Result<u32> {
    let most = admins.saturating_sub(1).max(1);
    if requested < 1 {
        return Err(Error::Invalid(
            "approvalsRequired must be a whole number of at least 1".into(),
        ));
    }
    if requested as u128 > most as u128 {
        return Err(Error::Invalid(format!(
            "approvalsRequired {requested} is more than the {most} other admin(s) who could approve"
        )));
    }
    Ok(requested as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approved_by(user: &str) -> Resolution {
        Resolution {
            user_id: user.into(),
            decision: Decision::Approve,
            at_ms: 1,
        }
    }

    #[test]
    fn one_approval_is_enough_when_one_is_required() {
        let out = resolve(ApprovalState::Pending, 1, &[], "dale", Decision::Approve).unwrap();
        assert_eq!(out, Outcome::Approved);
        assert_eq!(out.state(ApprovalState::Pending), ApprovalState::Approved);
    }

    #[test]
    fn two_required_stays_pending_until_a_second_distinct_admin() {
        let first = resolve(ApprovalState::Pending, 2, &[], "dale", Decision::Approve).unwrap();
        assert_eq!(first, Outcome::StillPending);
        let again = resolve(
            ApprovalState::Pending,
            2,
            &[approved_by("dale")],
            "dale",
            Decision::Approve,
        );
        assert!(matches!(again, Err(Error::Conflict(_))));
        let second = resolve(
            ApprovalState::Pending,
            2,
            &[approved_by("dale")],
            "service",
            Decision::Approve,
        )
        .unwrap();
        assert_eq!(second, Outcome::Approved);
    }

    #[test]
    fn one_rejection_rejects() {
        let out = resolve(
            ApprovalState::Pending,
            2,
            &[approved_by("dale")],
            "service",
            Decision::Reject,
        )
        .unwrap();
        assert_eq!(out, Outcome::Rejected);
    }

    #[test]
    fn resolved_approvals_cannot_be_resolved_again() {
        for state in [ApprovalState::Approved, ApprovalState::Rejected] {
            for d in [Decision::Approve, Decision::Reject] {
                assert!(matches!(
                    resolve(state, 1, &[], "dale", d),
                    Err(Error::Conflict(_))
                ));
            }
        }
    }

    #[test]
    fn video_approval_state_is_open_but_not_admin_approvable() {
        let s = ApprovalState::PendingVideoApproval;
        assert!(s.is_open());
        assert!(matches!(
            resolve(s, 1, &[], "dale", Decision::Approve),
            Err(Error::Invalid(_))
        ));
        assert_eq!(
            resolve(s, 1, &[], "dale", Decision::Reject).unwrap(),
            Outcome::Rejected
        );
    }

    #[test]
    fn a_withdrawal_waiting_for_video_is_approved_once_by_a_video_approver() {
        let s = ApprovalState::PendingVideoApproval;
        assert_eq!(
            resolve_transaction(s, &[], "chazz", Decision::Approve).unwrap(),
            Outcome::Approved
        );
        assert!(matches!(
            resolve_transaction(ApprovalState::Approved, &[], "chazz", Decision::Approve),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn only_approved_or_rejected_may_be_requested() {
        assert_eq!(Decision::parse("approved").unwrap(), Decision::Approve);
        assert_eq!(Decision::parse("rejected").unwrap(), Decision::Reject);
        assert!(Decision::parse("pending").is_err());
    }

    #[test]
    fn a_lone_admin_needs_no_approval_and_requirements_are_capped() {
        assert!(!needs_approval(0));
        assert!(needs_approval(1));
        assert_eq!(approvals_required_for(1, 2), 1);
        assert_eq!(approvals_required_for(3, 2), 2);
        assert_eq!(approvals_required_for(0, 0), 1);
    }

    #[test]
    fn approvals_required_must_fit_the_admins() {
        assert_eq!(check_approvals_required(2, 3).unwrap(), 2);
        assert!(check_approvals_required(3, 3).is_err());
        assert!(check_approvals_required(0, 3).is_err());
        assert_eq!(check_approvals_required(1, 1).unwrap(), 1);
    }
}
