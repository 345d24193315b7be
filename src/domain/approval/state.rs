//! A pending approval's states: BitGo's wire names, which states are still open, which an
//! admin's approval moves on, and the states a list shows by default.

/// A pending approval's `state` (BitGo's `PendingApprovalState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalState {
    /// Waiting for admins to approve.
    Pending,
    /// Waiting for a signature (transactions).
    AwaitingSignature,
    /// Waiting for the final approver.
    PendingFinalApproval,
    /// Waiting for a custodian.
    PendingCustodianApproval,
    /// Waiting for a video approver (large withdrawals).
    PendingVideoApproval,
    /// Waiting for BitGo support's video approval.
    PendingVideoApprovalFromSupport,
    /// Waiting for an identity verification.
    PendingIdVerification,
    /// Waiting for a liveness check.
    PendingLivenessVerification,
    /// Waiting for BitGo Trust's manual review.
    PendingManualTrustReview,
    /// Waiting for BitGo support's manual review.
    PendingManualSupportReview,
    /// Approved and applied.
    Approved,
    /// Approved, being carried out.
    Processing,
    /// Rejected (or cancelled by its creator).
    Rejected,
}

impl ApprovalState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Pending => "pending",
            ApprovalState::AwaitingSignature => "awaitingSignature",
            ApprovalState::PendingFinalApproval => "pendingFinalApproval",
            ApprovalState::PendingCustodianApproval => "pendingCustodianApproval",
            ApprovalState::PendingVideoApproval => "pendingVideoApproval",
            ApprovalState::PendingVideoApprovalFromSupport => "pendingVideoApprovalFromSupport",
            ApprovalState::PendingIdVerification => "pendingIdVerification",
            ApprovalState::PendingLivenessVerification => "pendingLivenessVerification",
            ApprovalState::PendingManualTrustReview => "pendingManualTrustReview",
            ApprovalState::PendingManualSupportReview => "pendingManualSupportReview",
            ApprovalState::Approved => "approved",
            ApprovalState::Processing => "processing",
            ApprovalState::Rejected => "rejected",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<ApprovalState> {
        Some(match s {
            "pending" => ApprovalState::Pending,
            "awaitingSignature" => ApprovalState::AwaitingSignature,
            "pendingFinalApproval" => ApprovalState::PendingFinalApproval,
            "pendingCustodianApproval" => ApprovalState::PendingCustodianApproval,
            "pendingVideoApproval" => ApprovalState::PendingVideoApproval,
            "pendingVideoApprovalFromSupport" => ApprovalState::PendingVideoApprovalFromSupport,
            "pendingIdVerification" => ApprovalState::PendingIdVerification,
            "pendingLivenessVerification" => ApprovalState::PendingLivenessVerification,
            "pendingManualTrustReview" => ApprovalState::PendingManualTrustReview,
            "pendingManualSupportReview" => ApprovalState::PendingManualSupportReview,
            "approved" => ApprovalState::Approved,
            "processing" => ApprovalState::Processing,
            "rejected" => ApprovalState::Rejected,
            _ => return None,
        })
    }

    /// Whether it still waits for someone (BitGo's "pending group").
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ApprovalState::Approved | ApprovalState::Processing | ApprovalState::Rejected
        )
    }

    /// Whether an admin's approval moves it on (other open states wait for a signature or
    /// a video approver instead).
    pub(super) fn takes_admin_approval(self) -> bool {
        matches!(
            self,
            ApprovalState::Pending | ApprovalState::PendingFinalApproval
        )
    }
}

/// The states a list returns when no `state` filter is given (BitGo's default).
pub const DEFAULT_LIST_STATES: &[ApprovalState] = &[
    ApprovalState::AwaitingSignature,
    ApprovalState::Pending,
    ApprovalState::PendingFinalApproval,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for s in [
            ApprovalState::Pending,
            ApprovalState::AwaitingSignature,
            ApprovalState::PendingFinalApproval,
            ApprovalState::PendingCustodianApproval,
            ApprovalState::PendingVideoApproval,
            ApprovalState::PendingVideoApprovalFromSupport,
            ApprovalState::PendingIdVerification,
            ApprovalState::PendingLivenessVerification,
            ApprovalState::PendingManualTrustReview,
            ApprovalState::PendingManualSupportReview,
            ApprovalState::Approved,
            ApprovalState::Processing,
            ApprovalState::Rejected,
        ] {
            assert_eq!(ApprovalState::parse(s.as_str()), Some(s));
        }
    }
}
