//! KYC identities (`/api/evs/v1/identity`): which fields each kind of submission needs, and how
//! an identity's status moves on the sandbox clock. Pure: `now_ms` comes in as an argument.
//!
//! Status: `initiating` until `review_at`, `in review` until `decision_at`, then the outcome:
//! `approved`, or `declined` when the submission asked for it with `debugStatus: "failed"`
//! (BitGo's test-environment hook; it passes by default). The enterprise's `kycState`
//! follows: `pending` while undecided, then `approved` or `rejected`.

mod fields;
mod forms;

pub use fields::{validate_patch, validate_submission, Submission};

use crate::domain::error::{Error, Result};

/// Status while the submission waits to be reviewed.
pub const INITIATING: &str = "initiating";
/// Status while under review.
pub const IN_REVIEW: &str = "in review";
/// Final status: verified.
pub const APPROVED: &str = "approved";
/// Final status: refused.
pub const DECLINED: &str = "declined";

/// How a submission will end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `approved`
    Approved,
    /// `declined`
    Declined,
}

impl Outcome {
    /// The final status.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => APPROVED,
            Outcome::Declined => DECLINED,
        }
    }

    /// Parses a final status (`approved` or `declined`).
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            APPROVED => Some(Outcome::Approved),
            DECLINED => Some(Outcome::Declined),
            _ => None,
        }
    }

    /// The outcome the `debugStatus` hook asks for (`passed`, the default, or `failed`).
    pub fn from_debug_status(debug_status: Option<&str>) -> Result<Outcome> {
        match debug_status {
            None | Some("passed") => Ok(Outcome::Approved),
            Some("failed") => Ok(Outcome::Declined),
            Some(other) => Err(Error::Invalid(format!(
                "invalid debugStatus {other:?}: expected \"passed\" or \"failed\""
            ))),
        }
    }
}

/// When an identity moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// From this instant (ms) the identity is `in review`.
    pub review_at: i64,
    /// From this instant (ms) it has its outcome.
    pub decision_at: i64,
    /// The outcome.
    pub outcome: Outcome,
}

impl Schedule {
    /// A schedule for a submission made at `now_ms` with the configured delays (ms).
    pub fn starting(
        now_ms: i64,
        review_after_ms: i64,
        decision_after_ms: i64,
        outcome: Outcome,
    ) -> Schedule {
        let review_at = now_ms.saturating_add(review_after_ms.max(0));
        Schedule {
            review_at,
            decision_at: now_ms
                .saturating_add(decision_after_ms.max(0))
                .max(review_at),
            outcome,
        }
    }

    /// The status at `now_ms`.
    pub fn status_at(&self, now_ms: i64) -> &'static str {
        if now_ms >= self.decision_at {
            self.outcome.as_str()
        } else if now_ms >= self.review_at {
            IN_REVIEW
        } else {
            INITIATING
        }
    }

    /// The instant the status last changed, as of `now_ms` (for `updatedAt`).
    pub fn changed_at(&self, created_at: i64, now_ms: i64) -> i64 {
        if now_ms >= self.decision_at {
            self.decision_at
        } else if now_ms >= self.review_at {
            self.review_at
        } else {
            created_at
        }
    }

    /// The same schedule, decided at `now_ms` with `outcome` (the control plane's "complete").
    pub fn completed(&self, now_ms: i64, outcome: Outcome) -> Schedule {
        Schedule {
            review_at: self.review_at.min(now_ms),
            decision_at: self.decision_at.min(now_ms),
            outcome,
        }
    }
}

/// Whether `status` is final.
pub fn is_decided(status: &str) -> bool {
    status == APPROVED || status == DECLINED
}

/// The enterprise `kycState` (BitGo's `KycState` enum) an identity status stands for.
pub fn enterprise_kyc_state(status: &str) -> &'static str {
    match status {
        APPROVED => "approved",
        DECLINED => "rejected",
        _ => "pending",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_moves_on_the_clock_and_debug_status_decides() {
        let s = Schedule::starting(
            1_000,
            5_000,
            30_000,
            Outcome::from_debug_status(None).unwrap(),
        );
        assert_eq!(s.status_at(1_000), INITIATING);
        assert_eq!(s.status_at(5_999), INITIATING);
        assert_eq!(s.status_at(6_000), IN_REVIEW);
        assert_eq!(s.status_at(31_000), APPROVED);
        assert_eq!(s.changed_at(1_000, 40_000), 31_000);
        let failed = Schedule::starting(
            0,
            5,
            30,
            Outcome::from_debug_status(Some("failed")).unwrap(),
        );
        assert_eq!(failed.status_at(30), DECLINED);
        assert_eq!(enterprise_kyc_state(DECLINED), "rejected");
        assert_eq!(enterprise_kyc_state(IN_REVIEW), "pending");
        let done = s.completed(2_000, Outcome::Declined);
        assert_eq!(done.status_at(2_000), DECLINED);
    }
}
