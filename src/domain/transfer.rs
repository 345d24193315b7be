//! A transfer's state as the sandbox clock moves: a withdrawal to an outside address is stored
//! `signed` and a deposit `unconfirmed` until their first confirmation, then both show
//! `confirmed` (the change happens at a time already fixed, so it is read, not written).

/// The state a transfer stored as `stored`, first confirmed at `settle_at`, shows at `now_ms`.
pub fn shown_state(stored: &str, settle_at: Option<i64>, now_ms: i64) -> &str {
    match (stored, settle_at) {
        ("signed" | "unconfirmed", Some(at)) if now_ms >= at => "confirmed",
        (s, _) => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_and_received_transfers_confirm_at_their_settle_time() {
        assert_eq!(shown_state("signed", Some(10), 9), "signed");
        assert_eq!(shown_state("signed", Some(10), 10), "confirmed");
        assert_eq!(shown_state("unconfirmed", Some(10), 11), "confirmed");
        assert_eq!(shown_state("unconfirmed", None, 11), "unconfirmed");
        assert_eq!(shown_state("rejected", Some(10), 11), "rejected");
        assert_eq!(shown_state("pendingApproval", None, 11), "pendingApproval");
    }
}
