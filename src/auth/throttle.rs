//! Throttling of password and OTP guesses: a fixed window of attempts per account and per
//! client address. An attempt is counted when it starts, before any PBKDF2 work, so a burst
//! of concurrent guesses cannot run more hashes than the limit allows; a success clears the
//! account's and the address's counts. Time is the sandbox clock's, so moving the clock
//! lifts a throttle as waiting would.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Buckets kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

/// What is being guessed at, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// Password guesses against one account (lowercased email).
    Password(String),
    /// OTP guesses against one user (user id).
    Otp(String),
    /// Any guess from one client address (`None`: an address that could not be trusted).
    Address(Option<IpAddr>),
}

/// The limits: attempts per window, 0 meaning unlimited.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    /// Attempts per account (password or OTP) per window.
    pub per_account: u32,
    /// Attempts per client address per window.
    pub per_address: u32,
    /// Window length, ms.
    pub window_ms: i64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    window_start: i64,
    attempts: u32,
}

/// Attempt counters of one sandbox.
#[derive(Debug)]
pub struct Throttle {
    limits: ThrottleLimits,
    buckets: Mutex<HashMap<ThrottleKey, Bucket>>,
}

impl Throttle {
    /// Forgets every attempt (a sandbox reset).
    pub fn clear(&self) {
        self.buckets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// A throttle with `limits` and no attempts yet.
    pub fn new(limits: ThrottleLimits) -> Throttle {
        Throttle {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn limit_of(&self, key: &ThrottleKey) -> u32 {
        match key {
            ThrottleKey::Password(_) | ThrottleKey::Otp(_) => self.limits.per_account,
            ThrottleKey::Address(_) => self.limits.per_address,
        }
    }

    /// Counts one attempt against every key, or, when any key is at its limit, counts
    /// nothing and returns the milliseconds until that key's window ends.
    pub fn begin(&self, keys: &[ThrottleKey], now_ms: i64) -> Result<(), i64> {
        let window = self.limits.window_ms.max(1);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= SWEEP_AT {
            buckets.retain(|_, b| now_ms < b.window_start.saturating_add(window));
        }
        let mut wait = 0;
        for key in keys {
            let limit = self.limit_of(key);
            if limit == 0 {
                continue;
            }
            if let Some(b) = buckets.get(key) {
                let ends = b.window_start.saturating_add(window);
                if now_ms < ends && b.attempts >= limit {
                    wait = wait.max(ends - now_ms);
                }
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        for key in keys {
            if self.limit_of(key) == 0 {
                continue;
            }
            let b = buckets.entry(key.clone()).or_insert(Bucket {
                window_start: now_ms,
                attempts: 0,
            });
            if now_ms >= b.window_start.saturating_add(window) || now_ms < b.window_start {
                *b = Bucket {
                    window_start: now_ms,
                    attempts: 0,
                };
            }
            b.attempts += 1;
        }
        Ok(())
    }

    /// A successful attempt: forgets the keys' counts.
    pub fn succeeded(&self, keys: &[ThrottleKey]) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            buckets.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(per_account: u32, per_address: u32) -> Throttle {
        Throttle::new(ThrottleLimits {
            per_account,
            per_address,
            window_ms: 1_000,
        })
    }

    fn keys(email: &str, ip: &str) -> Vec<ThrottleKey> {
        vec![
            ThrottleKey::Password(email.into()),
            ThrottleKey::Address(Some(ip.parse().unwrap())),
        ]
    }

    #[test]
    fn the_attempt_after_the_limit_waits_for_the_window_to_end() {
        let t = throttle(3, 100);
        let k = keys("a@x", "192.0.2.1");
        for _ in 0..3 {
            assert!(t.begin(&k, 100).is_ok());
        }
        assert_eq!(t.begin(&k, 400), Err(700));
        assert!(t.begin(&k, 1_100).is_ok(), "a new window starts");
    }

    #[test]
    fn a_success_clears_the_count() {
        let t = throttle(2, 100);
        let k = keys("a@x", "192.0.2.1");
        t.begin(&k, 0).unwrap();
        t.succeeded(&k);
        t.begin(&k, 0).unwrap();
        t.begin(&k, 0).unwrap();
        assert!(t.begin(&k, 0).is_err());
    }

    #[test]
    fn one_address_guessing_many_accounts_is_throttled_by_address() {
        let t = throttle(100, 3);
        for i in 0..3 {
            t.begin(&keys(&format!("{i}@x"), "192.0.2.1"), 0).unwrap();
        }
        assert!(t.begin(&keys("new@x", "192.0.2.1"), 0).is_err());
        assert!(t.begin(&keys("new@x", "192.0.2.2"), 0).is_ok());
    }

    #[test]
    fn a_refused_attempt_counts_nothing_and_zero_means_unlimited() {
        let t = throttle(1, 0);
        let k = keys("a@x", "192.0.2.1");
        t.begin(&k, 0).unwrap();
        assert!(t.begin(&k, 0).is_err());
        assert!(t.begin(&keys("b@x", "192.0.2.1"), 0).is_ok());
        let open = throttle(0, 0);
        for _ in 0..1_000 {
            open.begin(&k, 0).unwrap();
        }
    }
}
