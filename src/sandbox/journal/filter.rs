//! Which journal entries a query selects: method, path glob, status range, time window,
//! refusals, principal and paging. Fault rules share the path glob.

use super::JournalEntry;

/// Which entries a query selects.
#[derive(Debug, Default, Clone)]
pub struct JournalFilter {
    /// Method, any case.
    pub method: Option<String>,
    /// Path glob: `*` matches any run of characters.
    pub path: Option<String>,
    /// `404`, `4xx` or `200-299`.
    pub status: Option<StatusMatch>,
    /// Arrived at or after (ms).
    pub since_ms: Option<i64>,
    /// Arrived at or before (ms).
    pub until_ms: Option<i64>,
    /// Only refusals (status 400 and above).
    pub refused: Option<bool>,
    /// Authenticated as this user id, or with this token id.
    pub principal: Option<String>,
    /// Only entries older than this one (`seq` below it): the next page back.
    pub before_seq: Option<u64>,
}

/// A status condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusMatch {
    low: u16,
    high: u16,
}

impl StatusMatch {
    /// Parses `404`, `4xx` or `200-299`.
    pub fn parse(s: &str) -> Option<StatusMatch> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('-') {
            let (low, high) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            return (low <= high).then_some(StatusMatch { low, high });
        }
        if s.len() == 3 && s[1..].eq_ignore_ascii_case("xx") {
            let d: u16 = s[..1].parse().ok()?;
            return (1..=5).contains(&d).then_some(StatusMatch {
                low: d * 100,
                high: d * 100 + 99,
            });
        }
        let code: u16 = s.parse().ok()?;
        Some(StatusMatch {
            low: code,
            high: code,
        })
    }

    fn matches(&self, status: u16) -> bool {
        (self.low..=self.high).contains(&status)
    }
}

impl JournalFilter {
    /// Whether `e` is selected.
    pub fn matches(&self, e: &JournalEntry) -> bool {
        self.method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(&e.method))
            && self.path.as_ref().is_none_or(|p| glob_match(p, &e.path))
            && self.status.is_none_or(|s| s.matches(e.status))
            && self.since_ms.is_none_or(|t| e.at_ms >= t)
            && self.until_ms.is_none_or(|t| e.at_ms <= t)
            && self.refused.is_none_or(|r| r == (e.status >= 400))
            && self.principal.as_ref().is_none_or(|p| {
                e.user_id.as_deref() == Some(p.as_str())
                    || e.token_id.as_deref() == Some(p.as_str())
            })
            && self.before_seq.is_none_or(|s| e.seq < s)
    }
}

/// Longest path glob a query (or a fault rule) may give, bytes.
pub const MAX_GLOB_BYTES: usize = 512;

/// Glob match where `*` is any run of characters (`/` included) and everything else is
/// literal. Linear in the pattern and the text: the literal runs between stars must appear
/// in order, the first at the start and the last at the end, and the leftmost place of each
/// run (found with the standard library's linear substring search) is always a right one.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut runs = pattern.split('*');
    let first = runs.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let runs: Vec<&str> = runs.collect();
    let Some((last, middle)) = runs.split_last() else {
        return rest.is_empty(); // no star: the whole text is the literal
    };
    for run in middle {
        match rest.find(run) {
            Some(at) => rest = &rest[at + run.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_any_run() {
        assert!(glob_match("/api/v2/user/*", "/api/v2/user/me"));
        assert!(glob_match("*/me", "/api/v2/user/me"));
        assert!(glob_match(
            "/api/*/enterprise/*/user",
            "/api/v2/enterprise/ab/user"
        ));
        assert!(!glob_match("/api/v2/user", "/api/v2/user/me"));
        assert!(glob_match("*", ""));
        assert!(glob_match("", "") && !glob_match("", "x"));
        assert!(glob_match("a*a", "aa") && !glob_match("a*a", "a"));
        assert!(glob_match("*ab*ab", "xabyab") && !glob_match("*ab*ab", "xab"));
        assert!(glob_match("**/me", "/me") && glob_match("/a**", "/a"));
        assert!(glob_match("*é*", "/café/x"));
    }

    #[test]
    fn globs_agree_with_a_plain_recursive_matcher() {
        fn reference(p: &[u8], t: &[u8]) -> bool {
            match p.split_first() {
                None => t.is_empty(),
                Some((b'*', rest)) => (0..=t.len()).any(|i| reference(rest, &t[i..])),
                Some((c, rest)) => t.first() == Some(c) && reference(rest, &t[1..]),
            }
        }
        let alphabet = ["a", "b", "*"];
        let mut patterns = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = patterns
                .iter()
                .flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}")))
                .collect();
            patterns.extend(longer);
        }
        patterns.sort();
        patterns.dedup();
        let texts = ["", "a", "b", "ab", "ba", "aab", "abab", "bbaa", "aaaaab"];
        for p in &patterns {
            for t in texts {
                assert_eq!(
                    glob_match(p, t),
                    reference(p.as_bytes(), t.as_bytes()),
                    "{p} {t}"
                );
            }
        }
    }

    #[test]
    fn statuses_parse() {
        let s = StatusMatch::parse("4xx").unwrap();
        assert!(s.matches(404) && !s.matches(500));
        assert!(StatusMatch::parse("200-201").unwrap().matches(201));
        assert!(StatusMatch::parse("nope").is_none());
    }
}
