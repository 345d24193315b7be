//! Fault and latency rules of one sandbox: by method and path glob, with a probability drawn
//! from a seeded generator (so a run repeats) and a count (once, N times, always). A rule
//! delays the request, answers it with a status in the dialect's error body, or drops the
//! connection; delay combines with either.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::sandbox::journal::{glob_match, MAX_GLOB_BYTES};

/// A rule as given through the API.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    /// Method to match (any case); none matches every method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path glob within the sandbox (`*` is any run); default `*`.
    #[serde(default = "any_path")]
    pub path: String,
    /// Chance of applying to a matching request, 0 to 1; default 1.
    #[serde(default = "always")]
    pub probability: f64,
    /// How many times it applies; none: always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Seed of the probability draws (default: the rule's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Answer with this status (400 to 599) in the dialect's error body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The error message of that answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `Retry-After` seconds (a 429 gets 1 when none is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Delay before answering (or before the handler runs), ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// With `delayMs`: a random delay between the two, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_max_ms: Option<u64>,
    /// Close the connection without an answer.
    #[serde(default)]
    pub drop: bool,
}

fn any_path() -> String {
    "*".into()
}

fn always() -> f64 {
    1.0
}

/// Longest delay a rule may ask for, ms.
pub const MAX_DELAY_MS: u64 = 120_000;

impl FaultSpec {
    /// Checks the rule makes sense; the message says what does not.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.probability) || self.probability.is_nan() {
            return Err("probability must be between 0 and 1".into());
        }
        if let Some(s) = self.status {
            if !(400..=599).contains(&s) {
                return Err("status must be between 400 and 599".into());
            }
        }
        if self.status.is_some() && self.drop {
            return Err("a rule either answers with a status or drops the connection".into());
        }
        if self.status.is_none() && !self.drop && self.delay_ms.is_none() {
            return Err("a rule needs status, drop or delayMs".into());
        }
        if self.delay_ms.unwrap_or(0) > MAX_DELAY_MS
            || self.delay_max_ms.unwrap_or(0) > MAX_DELAY_MS
        {
            return Err(format!("delays are at most {MAX_DELAY_MS} ms"));
        }
        if let (Some(lo), Some(hi)) = (self.delay_ms, self.delay_max_ms) {
            if hi < lo {
                return Err("delayMaxMs must not be below delayMs".into());
            }
        }
        if self.delay_max_ms.is_some() && self.delay_ms.is_none() {
            return Err("delayMaxMs needs delayMs".into());
        }
        if self.times == Some(0) {
            return Err("times must be at least 1 (leave it out for always)".into());
        }
        if self.path.is_empty() || self.path.len() > MAX_GLOB_BYTES {
            return Err(format!("path must be 1 to {MAX_GLOB_BYTES} characters"));
        }
        Ok(())
    }
}

/// A rule in force.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// Its id.
    pub id: u64,
    /// As given.
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Applications left; none: always.
    pub remaining: Option<u64>,
    /// How often it applied.
    pub hits: u64,
    #[serde(skip)]
    rng: StdRng,
}

/// What a rule does to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultHit {
    /// The rule.
    pub rule: u64,
    /// Wait this long first, ms.
    pub delay_ms: u64,
    /// Then answer with this status ...
    pub status: Option<u16>,
    /// ... and message ...
    pub message: Option<String>,
    /// ... and `Retry-After`.
    pub retry_after: Option<u64>,
    /// Or close the connection.
    pub drop: bool,
}

/// One sandbox's rules.
#[derive(Default)]
pub struct Faults {
    any: AtomicBool,
    rules: Mutex<(u64, Vec<FaultRule>)>,
}

impl Faults {
    fn rules(&self) -> std::sync::MutexGuard<'_, (u64, Vec<FaultRule>)> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a rule (checked first); returns its id.
    pub fn add(&self, spec: FaultSpec) -> Result<u64, String> {
        spec.validate()?;
        let mut rules = self.rules();
        rules.0 += 1;
        let id = rules.0;
        let rng = StdRng::seed_from_u64(spec.seed.unwrap_or(id));
        rules.1.push(FaultRule {
            id,
            remaining: spec.times,
            spec,
            hits: 0,
            rng,
        });
        self.any.store(true, Ordering::Release);
        Ok(id)
    }

    /// The rules in force, as JSON.
    pub fn list(&self) -> serde_json::Value {
        serde_json::to_value(&self.rules().1).unwrap_or_default()
    }

    /// Removes one rule; whether it existed.
    pub fn remove(&self, id: u64) -> bool {
        let mut rules = self.rules();
        let before = rules.1.len();
        rules.1.retain(|r| r.id != id);
        self.any.store(!rules.1.is_empty(), Ordering::Release);
        rules.1.len() != before
    }

    /// Removes every rule.
    pub fn clear(&self) {
        let mut rules = self.rules();
        rules.1.clear();
        self.any.store(false, Ordering::Release);
    }

    /// Whether any rule is in force (one atomic load).
    pub fn any(&self) -> bool {
        self.any.load(Ordering::Acquire)
    }

    /// The first rule that applies to this request, used up by one. Without rules this is
    /// one atomic load.
    pub fn pick(&self, method: &str, path: &str) -> Option<FaultHit> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.rules();
        let mut hit = None;
        for rule in rules.1.iter_mut() {
            let spec = &rule.spec;
            if !spec
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
                || !glob_match(&spec.path, path)
            {
                continue;
            }
            if spec.probability < 1.0 && rule.rng.random::<f64>() >= spec.probability {
                continue;
            }
            let delay_ms = match (spec.delay_ms, spec.delay_max_ms) {
                (Some(lo), Some(hi)) if hi > lo => rule.rng.random_range(lo..=hi),
                (Some(lo), _) => lo,
                _ => 0,
            };
            rule.hits += 1;
            if let Some(left) = rule.remaining.as_mut() {
                *left = left.saturating_sub(1);
            }
            hit = Some(FaultHit {
                rule: rule.id,
                delay_ms,
                status: spec.status,
                message: spec.message.clone(),
                retry_after: spec.retry_after.or((spec.status == Some(429)).then_some(1)),
                drop: spec.drop,
            });
            break;
        }
        rules.1.retain(|r| r.remaining != Some(0));
        self.any.store(!rules.1.is_empty(), Ordering::Release);
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> FaultSpec {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn counted_rules_run_out() {
        let f = Faults::default();
        f.add(spec(r#"{"path":"/api/*","status":503,"times":2}"#))
            .unwrap();
        assert!(f.pick("GET", "/other").is_none());
        assert_eq!(f.pick("GET", "/api/x").unwrap().status, Some(503));
        assert!(f.pick("POST", "/api/x").is_some());
        assert!(f.pick("GET", "/api/x").is_none());
    }

    #[test]
    fn probabilities_repeat_with_the_same_seed() {
        let draw = || {
            let f = Faults::default();
            f.add(spec(r#"{"status":500,"probability":0.5,"seed":7}"#))
                .unwrap();
            (0..64)
                .map(|_| f.pick("GET", "/a").is_some())
                .collect::<Vec<_>>()
        };
        let a = draw();
        assert_eq!(a, draw());
        let n = a.iter().filter(|x| **x).count();
        assert!((16..48).contains(&n), "{n} of 64");
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in [
            r#"{"status":200}"#,
            r#"{"probability":2,"status":500}"#,
            r#"{"path":"*"}"#,
            r#"{"status":500,"drop":true}"#,
            r#"{"delayMs":10,"delayMaxMs":5}"#,
            r#"{"status":500,"times":0}"#,
        ] {
            assert!(spec(bad).validate().is_err(), "{bad}");
        }
    }
}
