//! The ledger's arithmetic: a balance is what its rows add up to, never a number edited in
//! place. Each row moves base units of one asset of one wallet:
//! `credit` adds to available, `debit` takes from available, `hold` moves available to held,
//! `release` moves held back to available, `settle` takes from held (a held amount leaves).
//! So `available = Σcredit − Σdebit − Σhold + Σrelease` and `held = Σhold − Σrelease −
//! Σsettle`, and neither may ever go below zero.

use crate::domain::error::{Error, Result};

/// What a ledger row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Money arrives (deposit, faucet, incoming transfer, trade proceeds).
    Credit,
    /// Money leaves from the available balance.
    Debit,
    /// Available money is set aside (a pending withdrawal, a resting order).
    Hold,
    /// Held money returns to available (rejected, cancelled).
    Release,
    /// Held money leaves (an approved withdrawal, a filled order).
    Settle,
}

impl EntryKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Credit => "credit",
            EntryKind::Debit => "debit",
            EntryKind::Hold => "hold",
            EntryKind::Release => "release",
            EntryKind::Settle => "settle",
        }
    }
}

/// One asset's balance in a wallet, in base units. [`Balance::apply`] keeps `available + held`
/// within `i64`, so [`Balance::total`] never overflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Balance {
    /// Spendable now.
    pub available: i64,
    /// Set aside for pending withdrawals and open orders.
    pub held: i64,
}

impl Balance {
    /// Available plus held: what the wallet owns. Saturates rather than wrapping for a
    /// balance no row of this version could write (one from an older data directory).
    pub fn total(self) -> i64 {
        self.available.saturating_add(self.held)
    }

    /// The balance after one row of `amount` (> 0), or why the row may not be written:
    /// a 400 naming the shortfall when it would overdraw.
    pub fn apply(self, kind: EntryKind, amount: i64) -> Result<Balance> {
        if amount <= 0 {
            return Err(Error::Invalid("amount must be a positive integer".into()));
        }
        let overflow = || Error::Invalid("amount is too large".into());
        let short = |have: i64, what: &str| {
            Error::InsufficientFunds(format!(
                "insufficient funds: {what} balance is {have}, {amount} needed"
            ))
        };
        let (available, held) = match kind {
            // Only a credit grows what the wallet owns: it must stay within i64 as a whole.
            EntryKind::Credit => {
                self.available
                    .checked_add(self.held)
                    .and_then(|total| total.checked_add(amount))
                    .ok_or_else(overflow)?;
                (
                    self.available.checked_add(amount).ok_or_else(overflow)?,
                    self.held,
                )
            }
            EntryKind::Debit | EntryKind::Hold if self.available < amount => {
                return Err(short(self.available, "available"))
            }
            EntryKind::Debit => (self.available - amount, self.held),
            EntryKind::Hold => (
                self.available - amount,
                self.held.checked_add(amount).ok_or_else(overflow)?,
            ),
            EntryKind::Release | EntryKind::Settle if self.held < amount => {
                return Err(short(self.held, "held"))
            }
            EntryKind::Release => (
                self.available.checked_add(amount).ok_or_else(overflow)?,
                self.held - amount,
            ),
            EntryKind::Settle => (self.available, self.held - amount),
        };
        Ok(Balance { available, held })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_move_money_between_available_and_held() {
        let b = Balance::default().apply(EntryKind::Credit, 100).unwrap();
        let b = b.apply(EntryKind::Hold, 30).unwrap();
        assert_eq!(
            b,
            Balance {
                available: 70,
                held: 30
            }
        );
        let b = b.apply(EntryKind::Release, 10).unwrap();
        let b = b.apply(EntryKind::Settle, 20).unwrap();
        assert_eq!(
            b,
            Balance {
                available: 80,
                held: 0
            }
        );
        assert_eq!(b.apply(EntryKind::Debit, 80).unwrap().total(), 0);
    }

    #[test]
    fn nothing_ever_overdraws() {
        let b = Balance {
            available: 5,
            held: 2,
        };
        for (kind, amount) in [
            (EntryKind::Debit, 6),
            (EntryKind::Hold, 6),
            (EntryKind::Release, 3),
            (EntryKind::Settle, 3),
        ] {
            assert!(matches!(
                b.apply(kind, amount),
                Err(Error::InsufficientFunds(_))
            ));
        }
        assert!(b.apply(EntryKind::Credit, 0).is_err());
        assert!(b.apply(EntryKind::Credit, -1).is_err());
        assert!(Balance {
            available: i64::MAX,
            held: 0
        }
        .apply(EntryKind::Credit, 1)
        .is_err());
    }

    #[test]
    fn what_a_wallet_owns_never_overflows() {
        // Held money counts: a credit may not push available + held past i64.
        let b = Balance {
            available: 4_000_000_000_000_000_000,
            held: 5_000_000_000_000_000_000,
        };
        assert!(b
            .apply(EntryKind::Credit, 1_000_000_000_000_000_000)
            .is_err());
        let full = b.apply(EntryKind::Credit, i64::MAX - b.total()).unwrap();
        assert_eq!(full.total(), i64::MAX);
        // Moving money between available and held keeps the total.
        assert_eq!(full.apply(EntryKind::Hold, 1).unwrap().total(), i64::MAX);
        assert_eq!(full.apply(EntryKind::Release, 1).unwrap().total(), i64::MAX);
        let legacy = Balance {
            available: i64::MAX,
            held: i64::MAX,
        };
        assert_eq!(legacy.total(), i64::MAX);
    }
}
