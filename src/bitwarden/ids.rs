//! Ids and random keys of the Bitwarden dialect: lowercase GUIDs (parsed leniently, so a
//! malformed id is a clean 404 and never a 500) and `[A-Za-z0-9]` keys.

use crate::domain::ids::{new_uuid, random_chars, ALPHANUMERIC};

/// `n` random characters from `[A-Za-z0-9]` (API keys, license keys).
pub fn random_alnum(n: usize) -> String {
    random_chars(ALPHANUMERIC, n)
}

/// A fresh lowercase GUID (version 4).
pub fn new_guid() -> String {
    new_uuid()
}

/// Parses a GUID in any case, with or without dashes or braces, into its lowercase dashed form;
/// `None` when it is not one (a malformed id is then a clean 404, never a 500).
pub fn parse_guid(text: &str) -> Option<String> {
    let t = text.trim_start_matches('{').trim_end_matches('}');
    let hex_only: String = if t.len() == 36 {
        let dashes_ok = [8, 13, 18, 23]
            .iter()
            .all(|&i| t.as_bytes().get(i) == Some(&b'-'));
        if !dashes_ok {
            return None;
        }
        t.chars().filter(|c| *c != '-').collect()
    } else {
        t.to_string()
    };
    if hex_only.len() != 32 || !hex_only.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex_only.to_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_parse_in_any_case_and_refuse_junk() {
        let g = new_guid();
        assert_eq!(parse_guid(&g.to_uppercase()), Some(g.clone()));
        assert_eq!(parse_guid(&g.replace('-', "")), Some(g));
        assert_eq!(parse_guid("not-a-guid"), None);
        assert_eq!(parse_guid("1234"), None);
    }
}
